"""The command-line contract against a PostgreSQL URL (issue 17), through real `main.py` processes: server-init,
demo-data, import-ledger with its JSON verdicts, every export, backup (pg_dump, checked by a scratch restore), and
the Chinese one-line refusals with exit code 2. Runs on $COMMUNITY_DESK_TEST_PG (.ci/run starts a throwaway
PostgreSQL); skips with the reason where there is none."""
from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from community_desk.core.rules.idcard import make_id

ROOT = Path(__file__).resolve().parents[2]
PG_URL = os.environ.get("COMMUNITY_DESK_TEST_PG", "")
pytestmark = pytest.mark.skipif(not PG_URL, reason=os.environ.get("COMMUNITY_DESK_TEST_PG_SKIP")
                                or "COMMUNITY_DESK_TEST_PG is not set: no PostgreSQL for this run")


def desk(*args: str, password: str | None = "secret-12", user: str | None = None, home: Path | None = None):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("COMMUNITY_DESK_PASSWORD", None)
    if password:
        env["COMMUNITY_DESK_PASSWORD"] = password
    if home is not None:
        env["HOME"] = str(home)
        env["XDG_DATA_HOME"] = str(home / "data")
    command = [sys.executable, str(ROOT / "main.py"), "--db", PG_URL] + (["--user", user] if user else []) + list(args)
    return subprocess.run(command, capture_output=True, text=True, timeout=600, cwd=str(ROOT), env=env)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    psycopg = pytest.importorskip("psycopg", reason="the server extra is not installed: pip install -e '.[server]'")
    with psycopg.connect(PG_URL, autocommit=True) as conn:
        conn.execute("DROP SCHEMA public CASCADE")
        conn.execute("CREATE SCHEMA public")
    home = tmp_path_factory.mktemp("home")
    result = desk("server-init", "--admin", "zhangmin", "--name", "张敏", "--office", "长阳镇原乡小镇社区居委会",
                  "--communities", "原乡小镇、天瑞嘉园", home=home)
    assert result.returncode == 0, result.stderr
    assert "创建管理员 zhangmin" in result.stdout and "secret" not in result.stdout
    return home


def ledger(path: Path, rows: int) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "返京人员"
    ws.append(["长阳镇返京人员信息推送表"])
    ws.append(["序号", "姓名", "身份证号", "联系电话", "现居住地址", "所属社区", "返京日期", "管控措施"])
    for n in range(rows):
        ws.append([n + 1, "王伟" if n else "", make_id("110111", dt.date(1960, 1, 1) + dt.timedelta(days=n), n),
                   "13800138000", "3号楼2单元501", "原乡小镇", dt.date.today() - dt.timedelta(days=1), "居家隔离"])
    wb.save(path)
    return path


def test_server_init_twice_is_refused_and_a_wrong_password_gets_in_nowhere(server):
    again = desk("server-init", "--admin", "other", home=server)
    assert again.returncode == 2 and "已经有账号" in again.stderr and "Traceback" not in again.stderr
    wrong = desk("backup", user="zhangmin", password="not-the-one", home=server)
    assert wrong.returncode == 2 and "用户名或密码不正确" in wrong.stderr


def test_demo_data_import_exports_and_backup_on_the_server(server, tmp_path):
    demo = desk("demo-data", "--residents", "300", user="zhangmin", home=server)
    assert demo.returncode == 0, demo.stderr

    path = ledger(tmp_path / "list.xlsx", 6)
    dry = desk("import-ledger", str(path), "--dry-run", "--json", user="zhangmin", home=server)
    assert dry.returncode == 0, dry.stderr
    verdict = json.loads(dry.stdout)
    assert verdict["committed"] is False and verdict["new"] == 5
    assert verdict["rejected"] == [{"row": 3, "reason": "缺少姓名"}]
    done = desk("import-ledger", str(path), "--json", user="zhangmin", home=server)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["committed"] is True
    twice = desk("import-ledger", str(path), "--json", user="zhangmin", home=server)
    assert twice.returncode == 2 and "Traceback" not in twice.stderr  # the same file again is refused

    from community_desk.cli import EXPORTS

    for name in EXPORTS:
        out = tmp_path / f"{name}.xlsx"
        today = dt.date.today().isoformat()
        extra = {"cleaning-roster": ["--round", "1"], "duty-roster": ["--week", today],
                 "quarantine-daily": ["--date", today], "quarantine-daily-detailed": ["--date", today],
                 "service-requests": ["--from", "2020-01-01", "--to", today],
                 "events": ["--from", "2020-01-01", "--to", today]}.get(name, [])
        result = desk("export", name, "--out", str(out), *extra, user="zhangmin", home=server)
        assert result.returncode == 0, (name, result.stderr)
        book = load_workbook(out)  # not read_only: a write-only workbook records no dimension to read back
        assert sum(ws.max_row for ws in book.worksheets) > 1, name

    backup = desk("backup", user="zhangmin", home=server)
    assert backup.returncode == 0, backup.stderr
    assert "已恢复到临时数据库核对过" in backup.stdout
    dumps = list((server / "data").rglob("community_desk-*-manual.dump"))
    assert len(dumps) == 1 and dumps[0].stat().st_size > 10_000

    read_only = desk("demo-data", home=server, password=None)
    assert read_only.returncode == 2 and "Traceback" not in read_only.stderr


def test_an_unreachable_server_is_one_chinese_line_and_exit_2(tmp_path):
    result = subprocess.run([sys.executable, str(ROOT / "main.py"), "--db",
                             f"postgresql://desk@/nosuchdb?host={tmp_path}", "export", "residents", "--out",
                             str(tmp_path / "r.xlsx")], capture_output=True, text=True, timeout=120, cwd=str(ROOT))
    assert result.returncode == 2
    assert "无法连接数据库服务器" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "r.xlsx").exists()
