"""Benchmark (not a test): generate a 20,000-row dispatched list and time the import preview and
the commit. Run: `.venv/bin/python tests/benchmarks/bench_import.py [ROWS]`. Prints figures only."""
from __future__ import annotations

import datetime as dt
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from openpyxl import Workbook  # noqa: E402

from community_desk.core import session  # noqa: E402
from community_desk.core.db import close_database, open_database  # noqa: E402
from community_desk.core.excel import ledger_import, ledger_preview  # noqa: E402
from community_desk.core.queries import communities  # noqa: E402
from community_desk.core.rules.idcard import make_id  # noqa: E402

COMMUNITIES = ["原乡小镇", "天瑞嘉园", "领峰四季园", "嘉州水郡北区"]


def make_ledger(path: Path, rows: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("返京人员")
    ws.append(["长阳镇返京人员信息推送表"])
    ws.append(["推送单位：房山区疫情防控办  推送日期：2021年8月5日"])
    ws.append(["序号", "姓名", "性别", "身份证号", "联系电话", "现居住地址", "所属社区", "返京日期", "出发地",
               "交通方式", "管控措施", "备注"])
    used = set()
    for i in range(rows):
        while True:
            number = make_id("110111", dt.date(1950, 1, 1) + dt.timedelta(days=rng.randint(0, 25000)),
                             rng.randint(0, 999))
            if number not in used:
                used.add(number)
                break
        community = rng.choice(COMMUNITIES + ["其他社区"] * (1 if i % 50 == 0 else 0))
        arrival = rng.choice([dt.date(2021, 7, 20) + dt.timedelta(days=rng.randint(0, 15)), "2021.8.1", "8月3日"])
        ws.append([i + 1, "王" + "伟芳娜敏静丽强磊"[i % 8] + "军勇"[i % 2], "", number if i % 400 else int(number[:15]),
                   f"138-{rng.randint(0, 9999):04d}-{rng.randint(0, 9999):04d}",
                   f"北京市房山区长阳镇{community}{rng.randint(1, 30)}号楼{rng.randint(1, 4)}单元{rng.randint(1, 18)}0{rng.randint(1, 4)}",
                   community, arrival, "云南省德宏州瑞丽市", rng.choice(["自驾", "高铁G923"]),
                   rng.choice(["居家隔离", "居家健康监测", "集中隔离"]), ""])
    ws.append(["合计：", rows])
    wb.save(path)


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        path = folder / "ledger.xlsx"
        started = time.perf_counter()
        make_ledger(path, rows)
        print(f"generated {rows:,}-row ledger ({path.stat().st_size / 1e6:.1f} MB) in {time.perf_counter() - started:.1f} s")
        open_database(folder / "bench.db")
        session.current = session.Session(user="bench")
        communities.ensure_communities(COMMUNITIES)
        started = time.perf_counter()
        preview = ledger_preview.preview(path)
        t_preview = time.perf_counter() - started
        print(f"preview: {t_preview:.2f} s — new {len(preview.new):,}, rejected {len(preview.rejected):,}, "
              f"other community {len(preview.other_community):,}, duplicates {len(preview.duplicates):,}")
        started = time.perf_counter()
        counts = ledger_import.commit(preview)
        print(f"commit (one transaction, cases + tests + follow-ups + audit): {time.perf_counter() - started:.2f} s — "
              f"{counts['new']:,} new")
        started = time.perf_counter()
        again = ledger_preview.preview(path)
        print(f"second preview (all known): {time.perf_counter() - started:.2f} s — updated {len(again.updated):,}, "
              f"unchanged {len(again.unchanged):,}")
        started = time.perf_counter()
        ledger_import.commit(again, again=True)  # the same file: imported again on purpose
        print(f"second commit (updates, nothing changed): {time.perf_counter() - started:.2f} s")
        close_database()


if __name__ == "__main__":
    main()
