"""`main.py pdf WHAT --out F.pdf` (issue 16) through a real process on a demo database: each printed sheet, as the
administrator with full ID numbers and phones, and as a read-only session (no --user once accounts exist) with
none; bad input is one Chinese line and exit 2."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.pdf_text import pdf_text

ROOT = Path(__file__).resolve().parents[2]
FULL_ID = re.compile(r"(?<!\d)\d{17}[\dXx](?!\d)")
FULL_PHONE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
SHEETS = {  # what -> (options, a text every such sheet holds, whether it prints ID numbers / phones)
    "residents": ([], "居民台账", (True, True)),
    "quarantine-day": (["--date", "{today}"], "隔离管控台账", (False, True)),
    "notices": (["--date", "{today}"], "通知", (True, False)),
    "cleaning-roster": (["--round", "1"], "擦玻璃服务花名册", (False, False)),
    "duty-roster": (["--week", "{today}"], "门岗值守签到表", (False, False)),
    "facilities": ([], "设施台账", (False, False)),
    "service-requests": (["--from", "{first}", "--to", "{today}"], "我来办工作站工单", (False, True)),
}


def _main(db: Path, *args: str, user: bool = False) -> subprocess.CompletedProcess:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "COMMUNITY_DESK_PASSWORD": "secret-1"}
    command = [sys.executable, str(ROOT / "main.py"), "--db", str(db)] + (["--user", "admin"] if user else [])
    return subprocess.run(command + list(args), capture_output=True, text=True, env=env, cwd=ROOT, timeout=300)


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("pdf") / "demo.db"
    done = _main(db, "demo-data")
    assert done.returncode == 0, done.stderr
    script = ("import sys; from community_desk.core import session; "
              "from community_desk.core.db import open_database, close_database; "
              "from community_desk.core.queries import accounts; open_database(sys.argv[1]); "
              "session.current = session.Session('测试员', '管理员'); "
              "accounts.create_account('admin', '张敏', 'secret-1'); close_database()")
    subprocess.run([sys.executable, "-c", script, str(db)], check=True, cwd=ROOT)
    return db


def _options(options: list[str]) -> list[str]:
    import datetime as dt

    today = dt.date.today()
    return [o.format(today=today.isoformat(), first=(today - dt.timedelta(days=40)).isoformat()) for o in options]


@pytest.mark.parametrize("what", list(SHEETS))
def test_each_sheet_full_for_the_administrator_masked_read_only(demo_db, tmp_path, what):
    options, title, (ids, phones) = SHEETS[what]
    full = _main(demo_db, "pdf", what, *_options(options), "--out", str(tmp_path / "full.pdf"), user=True)
    assert full.returncode == 0, full.stderr
    assert "已输出" in full.stdout and "页" in full.stdout
    text = pdf_text(tmp_path / "full.pdf")
    assert title in text
    assert bool(FULL_ID.search(text)) == ids and bool(FULL_PHONE.search(text)) == phones
    read_only = _main(demo_db, "pdf", what, *_options(options), "--out", str(tmp_path / "ro.pdf"))
    assert read_only.returncode == 0, read_only.stderr
    text = pdf_text(tmp_path / "ro.pdf")
    assert title in text
    assert not FULL_ID.search(text) and not FULL_PHONE.search(text)


def test_mask_masks_for_the_administrator(demo_db, tmp_path):
    done = _main(demo_db, "pdf", "residents", "--mask", "--out", str(tmp_path / "m.pdf"), user=True)
    assert done.returncode == 0 and "已脱敏" in done.stdout
    text = pdf_text(tmp_path / "m.pdf")
    assert "居民台账" in text and not FULL_ID.search(text) and not FULL_PHONE.search(text)


def test_each_notice_is_numbered_on_its_own(demo_db, tmp_path):
    """A person is handed 第 1 页，共 1 页 of their own notice, not page 5 of the office's whole batch."""
    done = _main(demo_db, "pdf", "notices", *_options(["--date", "{today}"]), "--out", str(tmp_path / "n.pdf"),
                 user=True)
    assert done.returncode == 0, done.stderr
    pages = re.findall(r"第 (\d+) 页，共 (\d+) 页", pdf_text(tmp_path / "n.pdf"))
    assert len(pages) > 1 and set(pages) == {("1", "1")}, pages[:5]


@pytest.mark.parametrize("args, message", [
    (["cleaning-roster", "--round", "99"], "没有编号为 99 的服务批次"),
    (["cleaning-roster"], "请用 --round 指定服务批次编号"),
    (["quarantine-day", "--date", "8月5日"], "--date 须写成 YYYY-MM-DD"),
    (["nothing"], "不能输出“nothing”"),
])
def test_bad_input_is_one_line_and_exit_2(demo_db, tmp_path, args, message):
    done = _main(demo_db, "pdf", *args, "--out", str(tmp_path / "x.pdf"))
    assert done.returncode == 2
    assert message in done.stderr and done.stderr.count("\n") == 1
    assert not (tmp_path / "x.pdf").exists()


def test_the_out_file_must_be_a_pdf(demo_db, tmp_path):
    done = _main(demo_db, "pdf", "residents", "--out", str(tmp_path / "x.xlsx"))
    assert done.returncode == 2 and "须以 .pdf 结尾" in done.stderr
