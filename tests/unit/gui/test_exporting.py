"""Exports from the windows: a progress window with rows and percent, 取消 that writes nothing, the same path for
every page's Excel export (the volunteer tabs' exports were written on the GUI thread before)."""
import threading

import openpyxl
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMainWindow, QProgressDialog, QPushButton

from community_desk.core.excel.house_style import ReportMeta, Sheet, write_workbook
from community_desk.gui import exporting


def gated_rows(gate: threading.Event, count: int):
    """Rows that stop at row 1,500 until the test has looked at the progress window."""
    for i in range(count):
        if i == 1500:
            gate.wait(20)
        yield (i + 1, f"居民{i}")


def start(qtbot, path, gate, total=5000):
    window = QMainWindow()
    qtbot.addWidget(window)
    button = QPushButton("导出Excel")
    window.setCentralWidget(button)
    window.show()
    outcome = {}

    def work(progress):
        sheet = Sheet(name="居民", title="居民台账", headers=["序号", "姓名"], rows=gated_rows(gate, total))
        write_workbook(path, [sheet], ReportMeta("原乡小镇社区居委会", "张敏"), progress)
        return total

    exporting.run_export(window, str(path), work, button=button, total=total,
                         on_done=lambda n: outcome.setdefault("done", n),
                         on_failed=lambda: outcome.setdefault("failed", True))
    dialog = window.findChild(QProgressDialog)
    qtbot.waitUntil(lambda: "1,000 / 5,000" in dialog.labelText(), timeout=10000)  # the first report, at 1,000
    return window, button, dialog, outcome


def test_progress_shows_rows_and_percent_then_the_file_is_written(community, qtbot, qt_settings, tmp_path):
    path = tmp_path / "居民.xlsx"
    gate = threading.Event()
    window, button, dialog, outcome = start(qtbot, path, gate)
    assert dialog.maximum() == 5000 and dialog.value() == 1000 and not button.isEnabled()
    gate.set()
    qtbot.waitUntil(lambda: "done" in outcome, timeout=20000)
    assert outcome == {"done": 5000} and button.isEnabled()
    ws = openpyxl.load_workbook(path, read_only=True).active
    assert sum(1 for r in ws.iter_rows(values_only=True) if r and isinstance(r[0], int)) == 5000


def test_cancel_stops_the_export_and_writes_nothing(community, qtbot, qt_settings, tmp_path):
    folder = tmp_path / "导出"
    folder.mkdir()
    path = folder / "居民.xlsx"
    gate = threading.Event()
    window, button, dialog, outcome = start(qtbot, path, gate)
    cancel = next(b for b in dialog.findChildren(QPushButton) if b.text() == "取消")
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    gate.set()
    qtbot.waitUntil(lambda: "failed" in outcome, timeout=20000)
    assert list(folder.iterdir()) == []  # no half file, no temporary left
    assert "已取消导出" in window.statusBar().currentMessage() and button.isEnabled()


def test_volunteer_tabs_export_through_the_same_path(community, qtbot, qt_settings, tmp_path):
    import datetime as dt

    from community_desk.core.queries import duty, events, volunteers
    from community_desk.gui.windows.volunteers.window import VolunteersPage

    team = volunteers.ensure_team("大爱原香", community)
    ids = [volunteers.save({"name": n, "kind": "普通居民", "team_id": team, "availability": "1" * 21})
           for n in ("李娜", "王强")]
    duty.save_post({"name": "东门", "min_volunteers": 1})
    events.save_event({"title": "文明祭扫", "place": "加州商业广场", "date": dt.date.today().isoformat(),
                       "volunteers": [(vid, "2") for vid in ids]})
    page = VolunteersPage()
    qtbot.addWidget(page)
    page.show()
    page.volunteers_tab.export_excel(str(tmp_path / "志愿者"))
    page.roster_tab.build(ask=False)
    page.roster_tab.export_excel(str(tmp_path / "排班.xlsx"))
    page.events_tab.refresh()
    page.events_tab.export_excel(str(tmp_path / "活动.xlsx"))
    files = {name: tmp_path / name for name in ("志愿者.xlsx", "排班.xlsx", "活动.xlsx")}
    qtbot.waitUntil(lambda: all(f.exists() for f in files.values()), timeout=20000)
    qtbot.waitUntil(lambda: "已导出 1 场" in page.events_tab.count_label.text())
    titles = {name: openpyxl.load_workbook(f, read_only=True).worksheets[0]["A1"].value for name, f in files.items()}
    assert "志愿者名册" in titles["志愿者.xlsx"] and "排班" in titles["排班.xlsx"] and "宣传活动" in titles["活动.xlsx"]
