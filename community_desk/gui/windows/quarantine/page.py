"""The quarantine page (隔离管控) of the main window: the today view and the case list as tabs, the
case form, importing the dispatched list, notices, the daily report (Excel) and the day's list (print).
"""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QHBoxLayout,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
)

from ....core.excel.quarantine_daily import export_daily
from ... import printing
from ...dialogs.base import ask_mask, show_error
from ...exporting import ask_xlsx_path, run_export
from ...file_dialogs import IMPORT_DIR_KEY, ask_open_path, remember_folder
from ...page import Page, need_selection
from .case_form import CaseForm
from .case_list import CaseList
from .common import changed
from .import_dialog import ImportPreviewDialog
from .notice import day_list_sheet, notice_document
from .push_history import PushHistoryDialog
from .settings_dialog import PolicyDialog
from .today_view import TodayView


class QuarantinePage(Page):
    title = "隔离管控"

    def __init__(self, parent=None, today: dt.date | None = None):
        super().__init__(parent)
        self._today = today
        self._menu_added = False
        self.today_view = TodayView(self, today)
        self.cases = CaseList(self, today)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.today_view, "今日")
        self.tabs.addTab(self.cases, "台账")
        self.today_view.open_case.connect(self.open_case)
        self.cases.open_case.connect(self.open_case)
        self.cases.count_changed.connect(self.count_changed)
        c = self.cases
        c.add_button("新增（自排）", self.new_record)
        c.add_button("修改", lambda: self._open_selected())
        c.add_button("解除隔离…", c.bulk_release)
        c.add_button("批量操作", menu=[("核实（待核实→管控中）", c.bulk_verify),
                                    ("指定健康监测责任人…", c.bulk_worker), ("统一核酸日期…", c.bulk_test_date),
                                    ("批量解除隔离…", c.bulk_release)])
        c.add_button("打印通知", lambda: self.print_notices())
        c.add_button("通知另存为PDF…", lambda: self.save_notices_pdf())
        c.buttons.addStretch(1)
        top = QHBoxLayout()
        for text, slot in (("导入市派名单…", self.import_ledger), ("导入记录…", self.show_pushes),
                           ("导出日报Excel…", self.export_excel),
                           ("打印当日名单", self.print_preview), ("管控期限设置…", self.edit_policies)):
            button = QPushButton(text)
            button.clicked.connect(lambda _checked=False, slot=slot: slot())  # never Qt's `checked` as `path`
            top.addWidget(button)
        top.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.tabs)
        QTimer.singleShot(0, self, self._add_menu)  # once the main window has built its menus (dropped if gone)

    @property
    def today(self) -> dt.date:
        return self._today or dt.date.today()

    def showEvent(self, event) -> None:  # noqa: N802 - Qt name
        super().showEvent(event)
        self._add_menu()

    def _add_menu(self) -> None:
        """Put 导入市派名单 into the main window's 文件 menu once (no edit of the shared main window)."""
        window = self.window()
        if self._menu_added or not isinstance(window, QMainWindow):
            return
        menus = [a.menu() for a in window.menuBar().actions() if a.menu() is not None]
        if menus:
            action = QAction("导入市派名单…", window)
            action.setShortcut("Ctrl+I")
            action.triggered.connect(lambda: self.import_ledger())
            menus[0].insertAction(menus[0].actions()[0] if menus[0].actions() else None, action)
            self._menu_added = True

    def edit_policies(self) -> None:
        if PolicyDialog(self).exec():
            self.count_changed.emit("管控期限设置已保存，对新登记人员生效")

    def status_text(self) -> str:
        return self.cases.status_text()

    # --- opened from the home screen ---
    def show_open_cases(self) -> None:
        """The case list with the cases under control (待核实 + 管控中), other filters cleared."""
        self.tabs.setCurrentWidget(self.cases)
        self.cases.set_filters(status="open")

    def show_today(self, section: str = "") -> None:
        """The today view, scrolled to one of its sections (tests_due, results_pending, releases, needs)."""
        self.tabs.setCurrentWidget(self.today_view)
        box = self.today_view.sections.get(section)
        if box is not None:
            box.table.setFocus()

    # --- records ---
    def new_record(self) -> None:
        form = CaseForm(self, None, self.today)
        if form.exec():
            changed()

    def open_case(self, case_id: int) -> None:
        CaseForm(self, case_id, self.today).exec()
        changed()

    def _open_selected(self) -> None:
        ids = self.cases.selected()
        if need_selection(self, ids):
            self.open_case(ids[0])

    def focus_search(self) -> None:
        self.tabs.setCurrentWidget(self.cases)
        self.cases.search_edit.setFocus()
        self.cases.search_edit.selectAll()

    def refresh(self) -> None:
        self.today_view.refresh()
        self.cases.refresh()

    # --- import ---
    def import_ledger(self, path: str | None = None) -> None:
        if path is None:
            path = ask_open_path(self, "导入市派名单", "Excel 工作簿 (*.xlsx *.xls)", IMPORT_DIR_KEY)
            if not path:
                return
        remember_folder(IMPORT_DIR_KEY, str(path))
        dialog = ImportPreviewDialog(self, path)
        if dialog.exec() and dialog.committed:
            c = dialog.committed
            QMessageBox.information(self, "导入市派名单", f"已导入：新增 {c['new']} 人，更新 {c['updated']} 人，"
                                                        f"无变化 {c.get('unchanged', 0)} 人。详见“导入记录”。")

    def show_pushes(self) -> None:
        """导入记录: every push imported, with the rows each could not import."""
        self.push_history = PushHistoryDialog(self)
        self.push_history.show()

    # --- notices, report, printing ---
    def _notice_ids(self) -> list[int]:
        ids = self.cases.selected() or self.cases.model.ids()
        if not ids:
            show_error(self, "打印通知", "列表中没有人员")
        return ids

    def print_notices(self) -> None:
        ids = self._notice_ids()
        if ids:
            printing.open_preview(self, lambda: notice_document(ids))

    def save_notices_pdf(self, path: str | None = None) -> None:
        ids = self._notice_ids()
        if ids:
            printing.save_pdf_as(self, lambda: notice_document(ids), f"居家隔离通知_{self.today:%Y%m%d}.pdf",
                                 path=path)

    def export_excel(self, path: str | None = None, detailed: bool | None = None, mask: bool | None = None) -> None:
        day = self.today
        if path is None:
            name = f"隔离管控日报_{day:%Y%m%d}.xlsx"
            path = ask_xlsx_path(self, name, "导出日报Excel")
            if not path:
                return
            detailed = QMessageBox.question(self, "导出日报", "是否同时按人员分类导出细化台账（每类一张工作表）？") \
                == QMessageBox.StandardButton.Yes
        if not str(path).lower().endswith(".xlsx"):
            path = f"{path}.xlsx"
        if mask is None:
            mask = ask_mask(self)
            if mask is None:
                return
        run_export(self, path, lambda progress: export_daily(path, day, detailed=bool(detailed), mask=mask,
                                                              progress=progress),
                   title="导出日报", on_done=lambda n: self.count_changed.emit(f"已导出 {n} 人到 {path}"))

    def print_preview(self) -> None:
        day = self.today
        printing.open_preview(self, lambda: day_list_sheet(day))

    def save_pdf(self, path: str | None = None) -> None:
        day = self.today
        printing.save_pdf_as(self, lambda: day_list_sheet(day), f"隔离管控台账_{day:%Y%m%d}.pdf", path=path)
