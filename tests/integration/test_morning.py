"""The office's morning, end to end, through the real buttons found by their text (never the pages' methods).

The program is started as a person starts it (gui.startup.start_gui on a new database file): the first-run dialog
is answered by typing into its fields; then in the main window: 载入示例数据 (for the window-cleaning round), the
morning's dispatched list through 隔离管控's 导入市派名单… and the preview's 确认导入, the 今日 tab's 已采样 and 阴性
for a person, 期满解除, 阳性 for another (confirmed in its dialog: he leaves 今明应解除 for the red line of
阳性待转运, and 登记转运… takes him off it), a special need (特殊需求) in the person's case form, 导出日报Excel… (the 细化台账 and mask
questions answered) checked cell by cell, and the window-cleaning roster saved by its 另存为PDF… button and read
back with pdftotext. It runs in a child process (pytest mark child_process): a crash of Qt fails this test only.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QDialog,
    QFileDialog,
    QGroupBox,
    QLabel,
    QMessageBox,
    QTabWidget,
)

from community_desk.core.rules.idcard import age_on, make_id

TODAY = dt.date.today()
SAMPLED = "黄玲"  # 居家健康监测 since six days ago: her last test and her release are today
NEEDY = "严燕"
POSITIVE = "周强"  # 居家健康监测 since six days ago, as she is: his last test today is positive
POSITIVE_ADDRESS = "7号楼1单元702"
HUANG_ID = make_id("110111", dt.date(1984, 5, 19), 358)
YAN_ID = make_id("420106", dt.date(1986, 6, 27), 180)
ZHOU_ID = make_id("110111", dt.date(1979, 3, 8), 417)
HEADERS = ["序号", "姓名", "性别", "身份证号", "联系电话", "现居住地址", "所属社区", "返京日期", "出发地", "交通方式",
           "管控措施", "备注"]


def morning_list(path: Path) -> Path:
    """The morning's dispatched list in the town's shape (as samples/ledger_sample.xlsx): a merged title row, the
    sending office and push date, the header in row 3."""
    wb = Workbook()
    ws = wb.active
    ws.title = "返京人员"
    ws.append(["长阳镇返京人员信息推送表"])
    ws.append([f"推送单位：房山区疫情防控工作领导小组办公室（市派数据）  推送日期：{TODAY:%Y年%m月%d日}"])
    ws.merge_cells("A1:L1")
    ws.merge_cells("A2:L2")
    ws.append(HEADERS)
    ws.append([1, SAMPLED, "女", HUANG_ID, "13977392393", "北京市房山区长阳镇原乡小镇3号楼3单元503", "原乡小镇",
               dt.datetime.combine(TODAY - dt.timedelta(days=6), dt.time()), "云南省德宏州瑞丽市", "高铁G923",
               "居家健康监测", None])
    ws.append([2, NEEDY, "女", YAN_ID, "17612557996", "北京市房山区长阳镇原乡小镇5号楼1单元1402", "原乡小镇",
               dt.datetime.combine(TODAY - dt.timedelta(days=2), dt.time()), "湖南省株洲市荷塘区", "自驾", "居家隔离",
               "孕妇"])
    ws.append([3, POSITIVE, "男", ZHOU_ID, "13522306718", f"北京市房山区长阳镇原乡小镇{POSITIVE_ADDRESS}", "原乡小镇",
               dt.datetime.combine(TODAY - dt.timedelta(days=6), dt.time()), "云南省德宏州瑞丽市", "高铁G923",
               "居家健康监测", None])
    wb.save(path)
    return path


class Answers:
    """Answers the message boxes as they come up, one by one: (words in its text, the button's text)."""

    def __init__(self):
        self.expected: list[tuple[str, str]] = []
        self.seen: list[str] = []
        self.timer = QTimer()
        self.timer.timeout.connect(self._answer)
        self.timer.start(50)

    def expect(self, words: str, button: str) -> None:
        self.expected.append((words, button))

    def _answer(self) -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox) or not box.isVisible():
            return
        self.seen.append(box.text())
        if not self.expected or self.expected[0][0] not in box.text():
            box.reject()  # unexpected: closed, and the test fails on `seen`
            self.seen.append("UNEXPECTED")
            self.expected.clear()
            return
        words, text = self.expected.pop(0)
        buttons = [b for b in box.buttons() if b.text().replace("&", "").startswith(text)]
        if not buttons:
            self.seen.append(f"UNEXPECTED: no button {text!r}, only {[b.text() for b in box.buttons()]}")
            box.reject()
            return
        buttons[0].click()

    def done(self) -> bool:
        assert not any(s.startswith("UNEXPECTED") for s in self.seen), self.seen
        return not self.expected


FAILED: list[BaseException] = []


def later(fn) -> None:
    """Run fn once the next dialog's event loop runs (a modal exec blocks the click that opened it). If it fails,
    every open dialog is closed, so that the click returns, and the failure is raised by `check_later`."""
    def run() -> None:
        try:
            fn()
        except BaseException as exc:  # noqa: BLE001 - raised again by check_later
            FAILED.append(exc)
            while isinstance(QApplication.activeModalWidget(), QDialog):
                QDialog.done(QApplication.activeModalWidget(), 0)

    QTimer.singleShot(0, run)


def check_later() -> None:
    if FAILED:
        raise FAILED.pop(0)


def button(widget, text: str) -> QAbstractButton:
    """The visible, enabled button of `widget` with this text, as a person finds it."""
    found = [b for b in widget.findChildren(QAbstractButton) if b.text() == text and b.isVisible()]
    assert found, f"no visible button {text!r} in {widget.windowTitle() or type(widget).__name__}"
    assert found[0].isEnabled(), f"the button {text!r} is disabled"
    return found[0]


def click(qtbot, widget) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=QPoint(widget.width() // 2, widget.height() // 2))


def type_text(qtbot, widget, text: str) -> None:
    """Typing as a person does: ASCII by keys, Chinese as an input method commits it."""
    widget.setFocus()
    if text.isascii():
        qtbot.keyClicks(widget, text)
        return
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def modal(qtbot, kind=QDialog) -> QDialog:
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), kind), timeout=20000)
    return QApplication.activeModalWidget()


def row_of(view, text: str, column: int = 0, also: str = "") -> int:
    """The first row whose column says `text` (and whose cells mention `also`)."""
    model = view.model()
    for row in range(model.rowCount()):
        cells = [str(model.data(model.index(row, c)) or "") for c in range(model.columnCount())]
        if cells[column] == text and also in " ".join(cells):
            return row
    return -1


def select_row(qtbot, view, text: str, also: str = "") -> None:
    """A click on the person's row (the one that also mentions `also`)."""
    qtbot.waitUntil(lambda: row_of(view, text, also=also) >= 0, timeout=20000)
    row = row_of(view, text, also=also)
    view.scrollTo(view.model().index(row, 0))
    rect = view.visualRect(view.model().index(row, 0))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert view.selectionModel().isRowSelected(row, view.rootIndex())


def section(page, title: str) -> QGroupBox:
    return next(g for g in page.findChildren(QGroupBox) if g.title().startswith(title))


def first_start(qtbot) -> None:
    """The first-run dialog, typed into as a person does, then 开始使用."""
    from community_desk.gui.dialogs.first_run import FirstRunDialog

    dialog = modal(qtbot, FirstRunDialog)
    dialog.communities_edit.clear()
    type_text(qtbot, dialog.communities_edit, "原乡小镇")
    dialog.office_edit.clear()
    type_text(qtbot, dialog.office_edit, "长阳镇原乡小镇社区居委会")
    type_text(qtbot, dialog.reporter_edit, "张敏")
    type_text(qtbot, dialog.admin_edit, "admin")
    type_text(qtbot, dialog.password_edit, "secret-1")
    type_text(qtbot, dialog.password_again, "secret-1")
    click(qtbot, button(dialog, "开始使用"))


def the_morning(qtbot, monkeypatch, tmp_path: Path, answers: Answers) -> None:
    from community_desk.gui import tasks
    from community_desk.gui.main_window import MainWindow

    window = next(w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow))
    qtbot.waitUntil(window.isVisible, timeout=20000)
    assert "长阳镇原乡小镇社区居委会" in window.windowTitle()

    # the cleaning round and the residents of the demo, through the menu
    answers.expect("已载入", "确定")
    demo = next(a for m in window.menuBar().actions() if m.menu() for a in m.menu().actions() if a.text() == "载入示例数据")
    demo.trigger()
    qtbot.waitUntil(answers.done, timeout=60000)
    tasks.wait_all()

    # 隔离管控: the morning's list
    window.nav.setCurrentRow(next(i for i in range(window.nav.count()) if window.nav.item(i).text().startswith("隔离管控")))
    page = window.current_page()
    ledger = morning_list(tmp_path / "市派名单.xlsx")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(ledger), "")))
    answers.expect("已导入：新增 3 人", "确定")
    seen = []

    def confirm_import() -> None:
        preview = modal(qtbot)
        qtbot.waitUntil(lambda: button(preview, "确认导入").isEnabled(), timeout=30000)
        seen.append(preview.info.text())
        click(qtbot, button(preview, "确认导入"))

    later(confirm_import)
    click(qtbot, button(page, "导入市派名单…"))  # returns once the preview and the message are answered
    check_later()
    qtbot.waitUntil(answers.done, timeout=30000)
    assert "新增 3 人" in seen[0] and "房山区疫情防控工作领导小组办公室" in seen[0]
    tasks.wait_all()

    # 台账: the morning's people are verified (待核实 → 管控中) through 批量操作
    tabs = page.findChild(QTabWidget)
    tabs.setCurrentIndex(next(i for i in range(tabs.count()) if tabs.tabText(i).startswith("台账")))
    cases_view = tabs.currentWidget().table
    for name in (SAMPLED, NEEDY):
        select_row(qtbot, cases_view, name)
        verify = next(a for a in button(page, "批量操作").menu().actions() if a.text().startswith("核实"))
        verify.trigger()
        tasks.wait_all()
        qtbot.waitUntil(lambda n=name: "管控中" in row_text(cases_view, n), timeout=20000)

    # 今日: her sample taken, her result negative, her release on time
    tabs.setCurrentIndex(next(i for i in range(tabs.count()) if tabs.tabText(i).startswith("今日")))
    due = section(page, "今日应检核酸")
    select_row(qtbot, due.table, SAMPLED, also=TODAY.isoformat())  # today's test (an overdue one is listed too)
    click(qtbot, button(due, "已采样"))
    pending = section(page, "结果待出")
    select_row(qtbot, pending.table, SAMPLED)
    click(qtbot, button(pending, "阴性"))
    qtbot.waitUntil(lambda: row_of(pending.table, SAMPLED) < 0, timeout=20000)
    releases = section(page, "今明应解除")
    qtbot.waitUntil(lambda: "阴性" in row_text(releases.table, SAMPLED), timeout=20000)
    select_row(qtbot, releases.table, SAMPLED)
    click(qtbot, button(releases, "期满解除"))
    qtbot.waitUntil(lambda: row_of(releases.table, SAMPLED) < 0, timeout=20000)
    assert "已期满解除 1 条" in page.today_view.message.text()
    a_positive(qtbot, page, releases)

    # her neighbour's special need, in her case form (台账 → 修改 → 特殊需求 → 新增需求…)
    tabs.setCurrentIndex(next(i for i in range(tabs.count()) if tabs.tabText(i).startswith("台账")))
    select_row(qtbot, cases_view, NEEDY)
    later(lambda: add_need(qtbot))
    click(qtbot, button(page, "修改"))
    check_later()
    tasks.wait_all()

    # 导出日报Excel…: 细化台账 yes, masked
    report = tmp_path / "日报.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(report), "")))
    answers.expect("细化台账", "是")
    answers.expect("脱敏", "脱敏导出")
    click(qtbot, button(page, "导出日报Excel…"))
    qtbot.waitUntil(report.exists, timeout=60000)
    tasks.wait_all()
    check_report(report)

    # 擦玻璃服务: the roster as a PDF
    window.nav.setCurrentRow(next(i for i in range(window.nav.count())
                                  if window.nav.item(i).text().startswith("擦玻璃服务")))
    cleaning = window.current_page()
    tabs = cleaning.findChild(QTabWidget)
    tabs.setCurrentIndex(next(i for i in range(tabs.count()) if tabs.tabText(i).startswith("服务安排")))
    pdf = tmp_path / "花名册.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(pdf), "")))
    click(qtbot, button(cleaning, "另存为PDF…"))
    qtbot.waitUntil(pdf.exists, timeout=60000)
    tasks.wait_all()
    check_roster(pdf)
    window.close()


def a_positive(qtbot, page, releases) -> None:
    """阳性 on his test of today, confirmed in its dialog: he leaves 今明应解除 for the red line of 阳性待转运
    (in the top row, the lists keep their place); 登记转运… there, answered, takes him off it."""
    due = section(page, "今日应检核酸")
    assert row_of(releases.table, POSITIVE) >= 0
    select_row(qtbot, due.table, POSITIVE, also=TODAY.isoformat())
    asked = []

    def confirm() -> None:
        dialog = modal(qtbot)
        asked.append(dialog.windowTitle() + " " + " ".join(label.text() for label in dialog.findChildren(QLabel)))
        click(qtbot, button(dialog, "确认阳性"))

    later(confirm)
    click(qtbot, button(due, "阳性"))
    check_later()
    assert asked and asked[0].startswith("确认登记阳性") and POSITIVE in asked[0]
    line = page.today_view.positives
    qtbot.waitUntil(lambda: row_of(releases.table, POSITIVE) < 0, timeout=20000)
    qtbot.waitUntil(lambda: line.isVisible() and POSITIVE in line.label.text(), timeout=20000)
    assert line.label.text().startswith("阳性待转运") and line.geometry().bottom() < releases.mapTo(
        page.today_view, releases.rect().topLeft()).y()

    def transfer() -> None:
        dialog = modal(qtbot)
        person = dialog.person
        person.setCurrentIndex(next(i for i in range(person.count()) if person.itemText(i).startswith(POSITIVE)))
        type_text(qtbot, dialog.site, "长阳镇集中隔离点")
        click(qtbot, button(dialog, "确定"))

    later(transfer)
    click(qtbot, button(line, "登记转运…"))
    check_later()
    qtbot.waitUntil(lambda: POSITIVE not in line.label.text() or not line.isVisible(), timeout=20000)
    assert "已登记转运：" + POSITIVE in page.today_view.message.text()
    tasks_wait()


def tasks_wait() -> None:
    from community_desk.gui import tasks

    tasks.wait_all()


def row_text(view, name: str) -> str:
    row = row_of(view, name)
    model = view.model()
    return " ".join(str(model.data(model.index(row, c)) or "") for c in range(model.columnCount())) if row >= 0 else ""


def add_need(qtbot) -> None:
    """In the case form: the 特殊需求 tab, 新增需求…, typed, 确定; then the form closed with 关闭."""
    form = modal(qtbot)
    tabs = form.findChild(QTabWidget)
    tabs.setCurrentIndex(next(i for i in range(tabs.count()) if tabs.tabText(i).startswith("特殊需求")))

    def fill() -> None:
        need = modal(qtbot)
        need.kind.setCurrentIndex(max(need.kind.findText("就医"), 0))
        type_text(qtbot, need.content, "每周产检，需改约到隔离期满后")
        type_text(qtbot, need.handler, "张敏")
        click(qtbot, button(need, "确定"))

    later(fill)
    click(qtbot, button(tabs.currentWidget(), "新增需求…"))
    check_later()
    needs = tabs.currentWidget()
    qtbot.waitUntil(lambda: row_of(needs.table, "每周产检，需改约到隔离期满后", 2) >= 0, timeout=20000)
    click(qtbot, button(form, "关闭"))
    qtbot.waitUntil(lambda: not form.isVisible(), timeout=20000)


def check_report(path: Path) -> None:
    wb = load_workbook(path)
    assert wb.sheetnames[:2] == ["隔离管控台账", "当日统计"] and len(wb.sheetnames) >= 3  # + the 细化台账 sheets
    ledger = wb["隔离管控台账"]
    assert ledger["A1"].value == f"原乡小镇、天瑞嘉园、领峰四季园、嘉州水郡北区隔离管控台账（{TODAY:%Y年%m月%d日}）"  # the demo's four
    header = [c.value for c in ledger[2]]
    assert header[:8] == ["序号", "姓名", "性别", "身份证号", "联系电话", "年龄", "所属社区", "现居住地址"]
    assert header[header.index("计划解除日期") + 1:header.index("计划解除日期") + 3] == ["第1天核酸", "第4天核酸"]
    rows = {r[1]: dict(zip(header, r, strict=False)) for r in ledger.iter_rows(min_row=3, values_only=True) if r[1]}
    huang, yan = rows[SAMPLED], rows[NEEDY]
    assert huang["身份证号"] == HUANG_ID[:6] + "********" + HUANG_ID[-4:]  # masked, as asked
    assert huang["联系电话"] == "139****2393"
    assert huang["来源(市派/自排)"] == "市派" and huang["管控措施"] == "居家健康监测"
    assert huang["状态"] == "已解除"
    assert huang["计划解除日期"] == dt.datetime.combine(TODAY, dt.time())  # a date cell
    assert huang["第7天核酸"] == f"{TODAY:%m-%d} 阴性"  # her last test (第1天 went unsampled: a column of its own)
    assert huang["第4天核酸"] is None  # 居家健康监测 tests on days 1 and 7 only
    assert huang["所属社区"] == "原乡小镇" and huang["年龄"] == age_on(dt.date(1984, 5, 19), TODAY)
    assert (huang["出发地"], huang["交通方式"]) == ("云南省德宏州瑞丽市", "高铁G923")
    assert (huang["解除日期"], huang["解除方式"]) == (dt.datetime.combine(TODAY, dt.time()), "期满解除")
    assert yan["特殊需求"] == f"{TODAY:%m-%d}就医：每周产检，需改约到隔离期满后" and yan["状态"] == "管控中"
    assert yan["备注"] == f"孕妇\n[{TODAY.isoformat()}] 已核实，转为管控中"
    footer = [r[0] for r in ledger.iter_rows(values_only=True) if r[0] and str(r[0]).startswith("填报单位")]
    assert footer and "长阳镇原乡小镇社区居委会" in footer[0] and "张敏" in footer[0]
    counts = wb["当日统计"]
    assert [c.value for c in counts[2]] == ["分组", "项目", "在管人数", "今日新增", "今日解除", "今日核酸", "今日新增阳性", "累计阳性"]
    total = next(r for r in counts.iter_rows(values_only=True) if r[0] == "合计")
    assert total[3] >= 2 and total[4] >= 1  # today's new (the two of the morning) and release (hers)


def check_roster(path: Path) -> None:
    from tests.pdf_text import pdf_text

    text = pdf_text(path)  # skips with its reason when pdftotext or a Chinese font is missing
    assert "花名册" in text and "第 1 页" in text
    assert "签字" in text or "回访" in text


@pytest.mark.child_process
def test_the_morning_by_its_buttons(qtbot, qt_settings, tmp_path, monkeypatch):
    from community_desk.gui import startup

    answers = Answers()
    problems: list[BaseException] = []

    def run_the_window(*_args) -> int:
        try:
            the_morning(qtbot, monkeypatch, tmp_path, answers)
        except BaseException as exc:  # noqa: BLE001 - raised again outside the program's event loop
            problems.append(exc)
        return 0

    monkeypatch.setattr(QApplication, "exec", run_the_window)
    QTimer.singleShot(0, lambda: first_start(qtbot))
    assert startup.start_gui(tmp_path / "desk.db") == 0
    if problems:
        raise problems[0]
    assert "UNEXPECTED" not in answers.seen, answers.seen
