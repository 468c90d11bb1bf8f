"""An office morning on one server with three PCs (issue 18's "Done when"): three real programs, each in its own
process (tests/integration/office_client.py: the real start-up on the server's URL, its login window answered,
the main window offscreen, the live updates running), logged in as three staff accounts with their own login roles
(张敏, the administrator server-init made; 李娜 and 王芳, 工作人员, made through core.queries.accounts on the server).

The morning, compressed: 张敏 imports the dispatched list (导入市派名单…, 确认导入) and the two others' open case
lists show the new people without anyone pressing 刷新; 李娜 and 王芳 edit different fields of one resident at the
same time (merged) and 张敏's registry shows both; three clashes of the same field, each shown to the second to
save with the field, both values and who, answered 用我的, 用他的 and 重新打开; 王芳 and 张敏 press 受理 at the same
moment (released together) and get distinct 工单编号, listed on 李娜's PC; a duty shift edited by 王芳 shows in
张敏's week roster. At the end the database holds every edit (no lost update), the audit log has a line for each
with the staff name the server set, every PC saw exactly the clashes expected and no error, and every PC's lists
equal the database.

About 11 s here (2 cores), the three start-ups included. The test waits for lines, never for time: every read
has a timeout, and a PC that dies or hangs fails the test with its stderr; the PCs are killed in any case. Needs the PostgreSQL test database (COMMUNITY_DESK_TEST_PG); skips
with the reason without it. Roles are cluster-wide: the user names here (om18…) are this module's own.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import queue
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from community_desk.core import session, vocabulary
from community_desk.core.rules.idcard import make_id
from tests.button_press import dispatched_workbook

ROOT = Path(__file__).resolve().parents[2]
PG_URL = os.environ.get("COMMUNITY_DESK_TEST_PG", "")
pytestmark = pytest.mark.skipif(not PG_URL, reason=os.environ.get("COMMUNITY_DESK_TEST_PG_SKIP")
                                or "COMMUNITY_DESK_TEST_PG is not set: no PostgreSQL for this run")
ANSWER_S = 120  # the longest wait for one answer line (each PC waits at most 60 s for what it looks for)
TODAY = dt.date.today()
YESTERDAY = TODAY - dt.timedelta(days=1)
ZHANG, LINA, WANG = ("om18zhang", "张敏", "Zhang-pw-18"), ("om18lina", "李娜", "Lina-pw-18"), ("om18wang", "王芳", "Wang-pw-18")
ARRIVED = [("刘洋", make_id("110111", dt.date(1985, 2, 3), 611), "13800138611", "1号楼1单元101", YESTERDAY,
            "密切接触者", "居家隔离"),
           ("陈静", make_id("110111", dt.date(1990, 7, 8), 622), "13800138622", "2号楼2单元202", YESTERDAY,
            "次密接", "居家健康监测"),
           ("孙磊", make_id("110111", dt.date(1978, 11, 12), 633), "13800138633", "3号楼1单元301", TODAY,
            "密切接触者", "居家隔离")]


class OfficePC:
    """One PC: the program in a child process, asked one step at a time."""

    def __init__(self, url: str, account: tuple[str, str, str], folder: Path):
        self.username, self.name, password = account
        folder.mkdir(parents=True)
        self.err_path = folder / "stderr.txt"
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT), "HOME": str(folder),
               "XDG_CONFIG_HOME": str(folder / "config"), "XDG_DATA_HOME": str(folder / "data")}
        env.pop("COMMUNITY_DESK_DB", None)
        with open(self.err_path, "w") as err:
            self.process = subprocess.Popen([sys.executable, "-m", "tests.integration.office_client", url,
                                             self.username, password], cwd=str(ROOT), env=env, text=True,
                                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=err)
        self.lines: queue.Queue = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.process.stdout:
            self.lines.put(line)
        self.lines.put(None)

    def fail(self, why: str):
        self.kill()
        raise AssertionError(f"{self.name}'s PC: {why}\n--- its stderr ---\n"
                             f"{self.err_path.read_text(errors='replace')[-4000:]}")

    def answer(self) -> dict:
        try:
            line = self.lines.get(timeout=ANSWER_S)
        except queue.Empty:
            self.fail(f"no answer in {ANSWER_S} s")
        if line is None:
            self.process.wait(10)
            self.fail(f"ended (exit {self.process.returncode}) before answering")
        said = json.loads(line)
        if "error" in said:
            self.fail(json.dumps(said, ensure_ascii=False, indent=1))
        return said

    def send(self, do: str, **args) -> None:
        try:
            self.process.stdin.write(json.dumps({"do": do, **args}, ensure_ascii=False) + "\n")
            self.process.stdin.flush()
        except OSError:
            self.fail("its stdin is closed")

    def ask(self, do: str, **args) -> dict:
        self.send(do, **args)
        return self.answer()

    def quit(self) -> None:
        self.send("quit")
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            self.fail("did not end when its window was closed")
        if self.process.returncode != 0:
            self.fail(f"ended with exit code {self.process.returncode}")

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)


@pytest.fixture
def office(tmp_path):
    """The emptied server after server-init (张敏), two 工作人员 accounts, two residents and a gate post with this
    morning's shift; yields (url, ids, pcs) and kills every PC started into `pcs`."""
    pytest.importorskip("psycopg")
    from community_desk.core.db import close_database, open_database
    from community_desk.core.queries import accounts, communities, duty, residents
    from tests.integration.test_server_cli import desk
    from tests.server_scratch import scratch_server_url

    url = scratch_server_url()
    made = desk("server-init", "--admin", ZHANG[0], "--name", ZHANG[1], "--office", "长阳镇原乡小镇社区居委会",
                "--communities", "原乡小镇", password=ZHANG[2], home=tmp_path / "server")
    assert made.returncode == 0, made.stderr
    open_database(url)
    before = session.current
    session.current = session.Session(user="张敏", role=vocabulary.ROLE_ADMIN)
    for username, name, password in (LINA, WANG):
        accounts.create_account(username, name, password, vocabulary.ROLE_STAFF)
    [(cid, _name)] = communities.list_communities()
    ids = {"王洋": residents.save({"name": "王洋", "community_id": cid, "phone": "13812345678", "notes": "独居"}),
           "赵丽": residents.save({"name": "赵丽", "community_id": cid, "phone": "13700001234", "room": "101"})}
    ids["shift"] = duty.ensure_shift(TODAY, "上午", duty.save_post({"name": "东门", "min_volunteers": "1"}))
    close_database()
    session.current = before
    pcs: list[OfficePC] = []
    try:
        yield url, ids, pcs
    finally:
        for pc in pcs:
            pc.kill()


def start_pcs(url: str, folder: Path, pcs: list) -> list[OfficePC]:
    started = [OfficePC(url, account, folder / account[0]) for account in (ZHANG, LINA, WANG)]
    pcs.extend(started)
    for pc in started:
        hello = pc.answer()
        assert hello["ready"] == pc.name and "长阳镇原乡小镇社区居委会" in hello["title"], hello
    return started


def edit(pc: OfficePC, ids: dict, name: str, **values) -> None:
    """Open the resident's form by a double-click on its row in 居民台账 and type the values (not saved yet)."""
    pc.ask("show", page="居民台账")
    assert pc.ask("open", of="residents", name=name)["record"] == ids[name]
    pc.ask("type", **values)


def database(url: str, sql: str, *params) -> list[tuple]:
    import psycopg

    with psycopg.connect(url) as conn:
        return conn.execute(sql, params).fetchall()


def test_three_pcs_work_through_a_morning_with_no_lost_update(office, tmp_path):
    url, ids, pcs = office
    zhang, lina, wang = start_pcs(url, tmp_path, pcs)
    edits: list[tuple[str, str, int, str, str]] = []  # (who, table, record id, field, value) the database must hold

    # 1. 张敏 imports the dispatched list; the case lists open on the two other PCs show the new people
    for pc in (lina, wang):
        pc.ask("show", page="隔离管控", tab="台账")
    ledger = dispatched_workbook(tmp_path / "市派名单.xlsx", ARRIVED, f"{TODAY:%Y年%m月%d日}")
    imported = zhang.ask("import", path=str(ledger))
    assert imported["committed"]["new"] == 3 and "新增 3 人" in imported["message"], imported
    for pc in (lina, wang):
        shown = pc.ask("rows", of="cases", columns=["name"], has=[[p[0]] for p in ARRIVED])
        assert shown["matched"], (pc.name, shown)

    # 2. 李娜 and 王芳 open 王洋's form at the same time: different fields merge; 张敏's registry shows both
    zhang.ask("show", page="居民台账")
    edit(lina, ids, "王洋", phone="13900002222")
    edit(wang, ids, "王洋", notes="独居，女儿每周来")
    assert lina.ask("save")["saved"] is True
    merged = wang.ask("save")
    assert merged["saved"] is True, merged  # no question: the fields differ
    edits += [("李娜", "resident", ids["王洋"], "phone", "13900002222"),
              ("王芳", "resident", ids["王洋"], "notes", "独居，女儿每周来")]
    shown = zhang.ask("rows", of="residents", columns=["name", "phone", "notes"],
                      has=[["王洋", "13900002222", "独居，女儿每周来"]])  # staff see full numbers
    assert shown["matched"], shown

    # 3a. the same field on two PCs: 王芳, second to save, sees the clash and keeps hers (用我的)
    edit(lina, ids, "赵丽", notes="李娜：腿脚不便，上门办")
    edit(wang, ids, "赵丽", notes="王芳：已搬去女儿家")
    assert lina.ask("save")["saved"] is True
    clash = wang.ask("save")["clash"]
    assert [row[:3] for row in clash] == [["备注", "王芳：已搬去女儿家", "李娜：腿脚不便，上门办"]], clash
    assert clash[0][3].startswith("李娜，"), clash  # who changed it, and when
    assert wang.ask("answer", button="用我的")["saved"] is True
    edits += [("李娜", "resident", ids["赵丽"], "notes", "李娜：腿脚不便，上门办"),
              ("王芳", "resident", ids["赵丽"], "notes", "王芳：已搬去女儿家")]

    # 3b. 张敏 and 李娜 both change 王洋's phone; 李娜 also his room: she takes his phone (用他的), keeps her room
    edit(zhang, ids, "王洋", phone="13600003333")
    edit(lina, ids, "王洋", phone="13500004444", room="502")
    assert zhang.ask("save")["saved"] is True
    clash = lina.ask("save")["clash"]
    assert [row[:3] for row in clash] == [["联系电话", "13500004444", "13600003333"]], clash
    assert clash[0][3].startswith("张敏，"), clash
    kept = lina.ask("answer", button="用他的")
    assert kept["open"] and kept["values"] == {"phone": "13600003333", "notes": "独居，女儿每周来", "room": "502"}, kept
    assert lina.ask("save")["saved"] is True
    edits += [("张敏", "resident", ids["王洋"], "phone", "13600003333"),
              ("李娜", "resident", ids["王洋"], "room", "502")]

    # 3c. 王芳 and 张敏 both change 赵丽's phone; 张敏 throws his away (重新打开), then adds a note and saves
    edit(wang, ids, "赵丽", phone="13700005555")
    edit(zhang, ids, "赵丽", phone="13700006666")
    assert wang.ask("save")["saved"] is True
    clash = zhang.ask("save")["clash"]
    assert [row[:3] for row in clash] == [["联系电话", "13700006666", "13700005555"]], clash
    assert clash[0][3].startswith("王芳，"), clash
    reopened = zhang.ask("answer", button="重新打开")
    assert reopened["open"] and reopened["values"]["phone"] == "13700005555", reopened
    assert reopened["values"]["notes"] == "王芳：已搬去女儿家", reopened
    zhang.ask("type", notes="王芳：已搬去女儿家；张敏：电话已核实")
    assert zhang.ask("save")["saved"] is True
    edits += [("王芳", "resident", ids["赵丽"], "phone", "13700005555"),
              ("张敏", "resident", ids["赵丽"], "notes", "王芳：已搬去女儿家；张敏：电话已核实")]

    # 4. 王芳 and 张敏 press 受理 at the same moment; 李娜's 我来办 list shows both
    lina.ask("show", page="我来办")
    for pc, who in ((wang, "周大爷"), (zhang, "吴阿姨")):
        pc.ask("show", page="我来办")
        assert pc.ask("take_in_prepare", contact_name=who, description=f"{who}家楼道灯不亮")["ready"] == "受理"
    for pc in (wang, zhang):  # released together: both lines written before either answer is read
        pc.send("take_in_go")
    numbers = [wang.answer()["number"], zhang.answer()["number"]]
    assert len(set(numbers)) == 2 and all(numbers), numbers
    shown = lina.ask("rows", of="requests", columns=["number", "contact_name"],
                     has=[[numbers[0], "周大爷"], [numbers[1], "吴阿姨"]])
    assert shown["matched"], shown

    # 5. 王芳 edits this morning's shift; 张敏's week roster shows it
    for pc in (zhang, wang):
        pc.ask("show", page="志愿者与门岗", tab="门岗排班")
    assert wang.ask("shift", day=TODAY.isoformat(), part="上午", post="东门", lead="王芳",
                    notes="雨天带伞")["saved"] is True
    edits += [("王芳", "duty_shift", ids["shift"], "lead", "王芳"), ("王芳", "duty_shift", ids["shift"], "notes", "雨天带伞")]
    shown = zhang.ask("rows", of="roster", contains="带班 王芳")
    assert shown["matched"], shown

    # --- the database: every edit is there, each with its audit line in the staff name the server set ---
    stored = {name: (phone, notes, room) for name, phone, notes, room in database(
        url, "SELECT name, phone, notes, room FROM resident WHERE id IN (%s, %s)", ids["王洋"], ids["赵丽"])}
    assert stored == {"王洋": ("13600003333", "独居，女儿每周来", "502"),
                      "赵丽": ("13700005555", "王芳：已搬去女儿家；张敏：电话已核实", "101")}, stored
    assert database(url, "SELECT lead, notes FROM duty_shift WHERE id = %s", ids["shift"]) == [("王芳", "雨天带伞")]
    lines = database(url, 'SELECT "user", "table", record_id, action, changes FROM audit_log ORDER BY id')
    for who, table, record_id, field, value in edits:
        assert any(u == who and t == table and r == record_id and (json.loads(c or "{}").get(field) or [None])[-1]
                   == value for u, t, r, _a, c in lines), (who, table, field, value)
    case_ids = [r for (r,) in database(url, "SELECT id FROM quarantine_case WHERE name IN (%s, %s, %s)",
                                       *[p[0] for p in ARRIVED])]
    assert len(case_ids) == 3
    assert all(("张敏", "quarantine_case", cid, "新增") in {line[:4] for line in lines} for cid in case_ids)
    takers = {r: u for u, t, r, a, _c in lines if t == "service_request" and a == "新增"}
    numbered = dict(database(url, "SELECT number, id FROM service_request"))
    assert {takers[numbered[n]] for n in numbers} == {"王芳", "张敏"} and len(numbered) == 2

    # --- every PC: the clashes it saw (exactly those), no error, and every list equal to the database ---
    expected_clashes = {"张敏": ["联系电话"], "李娜": ["联系电话"], "王芳": ["备注"]}
    residents_now = [[n, p, notes or ""] for n, p, notes in database(
        url, "SELECT name, phone, notes FROM resident")]
    in_care = vocabulary.CASE_OPEN_STATUSES + (vocabulary.CASE_POSITIVE,)
    cases_now = [[n] for (n,) in database(url, "SELECT name FROM quarantine_case WHERE status = ANY(%s)",
                                          list(in_care))]
    requests_now = [[n] for (n,) in database(url, "SELECT number FROM service_request WHERE status = ANY(%s)",
                                             list(vocabulary.OPEN_REQUEST_STATUSES))]
    assert len(cases_now) == 3 and len(requests_now) == 2
    for pc in (zhang, lina, wang):
        report = pc.ask("report")
        assert [[row[0] for row in clash] for clash in report["clashes"]] == [expected_clashes[pc.name]], report
        assert report["errors"] == [] and report["modal"] is None, report
        assert report["boxes"] == (["导入市派名单：" + imported["message"]] if pc is zhang else []), report
        for of, columns, expect in (("residents", ["name", "phone", "notes"], residents_now),
                                    ("cases", ["name"], cases_now), ("requests", ["number"], requests_now)):
            shown = pc.ask("rows", of=of, columns=columns, expect=expect)
            assert shown["matched"], (pc.name, of, shown["rows"], expect)
        assert pc.ask("rows", of="roster", contains="带班 王芳")["matched"], pc.name
    for pc in (zhang, lina, wang):
        pc.quit()
