"""The cleaning service page (擦玻璃服务): the rounds on top; below, for the chosen round, its
eligible residents, the pre-survey and the schedule; the roster printed, saved as PDF or exported.
"""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ....core.excel.cleaning_export import export_cleaning_roster
from ....core.queries import cleaning, cleaning_visits
from ....core.rules.cleaning import date_text
from ... import printing, tasks
from ...dialogs.base import attempt, confirm
from ...exporting import ask_xlsx_path, run_export, with_suffix
from ...page import Page, bus
from ...table_model import LazyTableModel
from .common import make_table
from .members_tab import MembersTab
from .roster_print import roster_document
from .round_form import RoundForm, TeamsDialog
from .schedule_tab import ScheduleTab
from .survey_tab import SurveyTab

CHANGED = "cleaning"


class CleaningPage(Page):
    title = "擦玻璃服务"

    def __init__(self, parent=None):
        super().__init__(parent)
        self.round_id: int | None = None
        self.last_export: str | None = None
        self.rounds_model = LazyTableModel(cleaning.ROUND_COLUMNS, cleaning.load_round_rows, self)
        self.rounds_table = make_table(self.rounds_model, (200, 90, 150, 200, 50, 60, 60))
        self.rounds_table.selectionModel().currentRowChanged.connect(self._round_chosen)
        self.rounds_table.doubleClicked.connect(lambda _i: self.edit_round())
        self.new_button = QPushButton("新建服务批次")
        self.new_button.clicked.connect(self.new_record)
        self.edit_button = QPushButton("修改批次")
        self.edit_button.clicked.connect(self.edit_round)
        self.delete_button = QPushButton("删除批次")
        self.delete_button.clicked.connect(self.delete_round)
        self.team_button = QPushButton("服务队管理…")
        self.team_button.clicked.connect(self.new_team)
        self.stats_label = QLabel()
        self.stats_label.setWordWrap(True)
        self.stats_label.setTextFormat(Qt.TextFormat.RichText)

        self.members_tab = MembersTab()
        self.survey_tab = SurveyTab()
        self.schedule_tab = ScheduleTab()
        self.tabs = QTabWidget()
        self.tabs.addTab(self.members_tab, "服务对象名单")
        self.tabs.addTab(self.survey_tab, "前期统计")
        self.tabs.addTab(self.schedule_tab, "服务安排与回访")
        for tab in (self.members_tab, self.survey_tab, self.schedule_tab):
            tab.changed.connect(self._tab_changed)
        self.schedule_tab.print_button.clicked.connect(lambda: self.print_preview())
        self.schedule_tab.pdf_button.clicked.connect(lambda: self.save_pdf())
        self.schedule_tab.export_button.clicked.connect(lambda: self.export_excel())

        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        buttons = QHBoxLayout()
        for b in (self.new_button, self.edit_button, self.delete_button, self.team_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        top_layout.addLayout(buttons)
        top_layout.addWidget(self.rounds_table)
        bottom = QWidget()
        bottom_layout = QVBoxLayout(bottom)
        bottom_layout.setContentsMargins(0, 0, 0, 0)
        bottom_layout.addWidget(self.stats_label)
        bottom_layout.addWidget(self.tabs)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(top)
        splitter.addWidget(bottom)
        splitter.setSizes([170, 560])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        bus.data_changed.connect(self._on_data_changed)
        self._set_round(None)
        self.refresh()

    # --- rounds ---
    def refresh(self) -> None:
        tasks.run_query(cleaning.round_ids, self._show_rounds)

    def _show_rounds(self, ids: list[int]) -> None:
        keep = self.round_id
        self.rounds_model.invalidate()
        self.rounds_model.set_ids(ids)
        row = self.rounds_model.row_of(keep) if keep in ids else (0 if ids else -1)
        if row >= 0:
            self.rounds_table.selectRow(row)
            self.rounds_table.setCurrentIndex(self.rounds_model.index(row, 0))
            if self.rounds_model.id_at(row) == self.round_id:
                self._set_round(self.round_id)  # same round: its data changed
        else:
            self._set_round(None)
        self.count_changed.emit(self.status_text())

    def rounds_loaded(self) -> bool:
        return self.rounds_model.rowCount() == len(cleaning.round_ids())

    def _round_chosen(self, current, _previous) -> None:
        round_id = self.rounds_model.id_at(current.row())
        if round_id != self.round_id:
            self._set_round(round_id)

    def _set_round(self, round_id: int | None) -> None:
        self.round_id = round_id
        for tab in (self.members_tab, self.survey_tab, self.schedule_tab):
            tab.set_round(round_id)
        self.tabs.setEnabled(round_id is not None)
        for button in (self.edit_button, self.delete_button):
            button.setEnabled(round_id is not None)
        self._show_stats()

    def _show_stats(self) -> None:
        if self.round_id is None:
            self.stats_label.setText("还没有服务批次。点击“新建服务批次”，设定日期、纳入条件和服务队。")
            return
        s = cleaning_visits.round_stats(self.round_id)
        sat = s["satisfaction"]
        results = "，".join(f"{k} {v}" for k, v in s["results"].items())
        self.stats_label.setText(
            f"<b>{cleaning.get_round(self.round_id)['name']}</b>　服务对象 {s['households']} 户　"
            f"已统计 {s['surveyed']} 户{f'（{results}）' if results else ''}　已安排 {s['scheduled']} 户　"
            f"已服务 <b>{s['served']}</b> 户　擦窗 {s['windows']} 扇　"
            f"回访 {s['followed_up']} 户（满意 {sat['满意']}，基本满意 {sat['基本满意']}，不满意 {sat['不满意']}）")

    def show_schedule(self) -> None:
        """Opened from the home screen: the visits (服务安排与回访) of the chosen round."""
        self.tabs.setCurrentWidget(self.schedule_tab)

    def status_text(self) -> str:
        return f"共 {self.rounds_model.rowCount()} 个服务批次"

    def _tab_changed(self) -> None:
        bus.data_changed.emit(CHANGED)

    def _on_data_changed(self, table: str) -> None:
        if table in (CHANGED, "resident", "*"):
            self.refresh()

    def new_record(self) -> None:
        form = RoundForm(self)
        if form.exec():
            self.round_id = form.saved_id
            bus.data_changed.emit(CHANGED)

    def edit_round(self) -> None:
        if self.round_id is not None and RoundForm(self, self.round_id).exec():
            bus.data_changed.emit(CHANGED)

    def delete_round(self) -> None:
        if self.round_id is None:
            return
        name = cleaning.get_round(self.round_id)["name"]
        if not confirm(self, "删除批次", f"确定删除服务批次“{name}”及其名单、统计和安排？"):
            return
        if not attempt(self, "删除批次", lambda: cleaning.delete_round(self.round_id)):
            return
        self.round_id = None
        bus.data_changed.emit(CHANGED)

    def new_team(self) -> None:
        TeamsDialog(self).exec()
        bus.data_changed.emit(CHANGED)

    # --- roster: print, PDF, Excel ---
    def _roster_maker(self):
        """What the print path runs on its worker: the roster of the chosen day and team, as chosen now."""
        round_id = self.round_id
        day, team, full = self.schedule_tab.selection()
        return lambda: roster_document(round_id, day, team, full)

    def _file_name(self, suffix: str) -> str:
        day, _team, _full = self.schedule_tab.selection()
        when = date_text(day) if day else f"{dt.date.today():%Y%m%d}"
        return f"擦玻璃服务花名册_{when}.{suffix}"

    def print_preview(self) -> None:
        if self.round_id is None:
            return
        make = self._roster_maker()
        printing.open_preview(self, lambda: make()[0])

    def save_pdf(self, path: str | None = None) -> None:
        if self.round_id is None:
            return
        make = self._roster_maker()
        counted = []

        def document():
            document, count = make()
            counted.append(count)
            return document

        printing.save_pdf_as(self, document, self._file_name("pdf"), path=path, on_done=lambda pages, saved: (
            self.schedule_tab.count_label.setText(f"已保存花名册 {counted[-1]} 户、{pages} 页到 {saved}")))

    def export_excel(self, path: str | None = None) -> None:
        if self.round_id is None:
            return
        path = with_suffix(path) if path else ask_xlsx_path(self, self._file_name("xlsx"))
        if path is None:
            return
        round_id = self.round_id
        run_export(self, path, lambda progress: export_cleaning_roster(path, round_id, progress),
                   button=self.schedule_tab.export_button,
                   on_done=lambda stats: self.schedule_tab.count_label.setText(
                       f"已导出：已服务 {stats['served']} 户，擦窗 {stats['windows']} 扇，到 {path}"))
