"""The page 志愿者与门岗: tabs for volunteers, the week roster, the shift log, the gate entry log,
training sessions and publicity events. The standard actions (new, export, print, PDF, refresh)
go to the tab on show; print and PDF print the week roster.
"""
from __future__ import annotations

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QTabWidget, QVBoxLayout

from ...page import Page, bus
from .events_tab import EventsTab
from .gate_tab import GateTab
from .log_tab import ShiftLogTab
from .roster_tab import RosterTab
from .training_tab import TrainingTab
from .volunteers_tab import VolunteersTab

# Tables whose change each tab shows; "*" (demo data, restore) refreshes everything.
WATCHES = {
    "volunteers": {"volunteer", "volunteer_team", "duty_shift", "shift_log", "community_event", "resident", "cleaning"},
    "roster": {"volunteer", "duty_shift", "gate_post", "shift_log"},
    "log": {"duty_shift", "shift_log", "volunteer"},
    "gate": {"gate_post", "gate_entry"},
    "training": {"training_session", "setting"},
    "events": {"community_event", "volunteer"},
}


class VolunteersPage(Page):
    title = "志愿者与门岗"

    def __init__(self, parent=None):
        super().__init__(parent)
        self.volunteers_tab = VolunteersTab()
        self.roster_tab = RosterTab()
        self.log_tab = ShiftLogTab()
        self.gate_tab = GateTab()
        self.training_tab = TrainingTab()
        self.events_tab = EventsTab()
        self.tabs = QTabWidget()
        self.named = {"volunteers": self.volunteers_tab, "roster": self.roster_tab, "log": self.log_tab,
                      "gate": self.gate_tab, "training": self.training_tab, "events": self.events_tab}
        for title, tab in (("志愿者", self.volunteers_tab), ("门岗排班", self.roster_tab), ("值守记录", self.log_tab),
                           ("出入登记", self.gate_tab), ("培训会", self.training_tab), ("宣传活动", self.events_tab)):
            self.tabs.addTab(tab, title)
        self.tabs.currentChanged.connect(lambda _i: self.count_changed.emit(self.status_text()))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.tabs)
        bus.data_changed.connect(self._on_data_changed)
        # The tab toolbars are wide; never let them force the main window wider (it stays resizable).
        self.setMinimumSize(480, 320)

    def show_week_roster(self) -> None:
        """Opened from the home screen: this week's gate roster with its gaps."""
        self.tabs.setCurrentWidget(self.roster_tab)
        self.roster_tab.week_edit.setDate(QDate.currentDate())

    def current(self):
        return self.tabs.currentWidget()

    def _on_data_changed(self, table: str) -> None:
        for name, tab in self.named.items():
            if table == "*" or table in WATCHES[name]:
                if name == "gate":
                    tab.fill_posts()
                tab.refresh()
        self.count_changed.emit(self.status_text())

    def new_record(self) -> None:
        tab = self.current()
        if hasattr(tab, "new_record"):
            tab.new_record()
        else:
            self.not_here("新增")

    def focus_search(self) -> None:
        self.tabs.setCurrentWidget(self.volunteers_tab)  # the tab with the search box
        self.volunteers_tab.search_edit.setFocus()

    def export_excel(self) -> None:
        tab = self.current()
        (tab if hasattr(tab, "export_excel") else self.roster_tab).export_excel()

    def print_preview(self) -> None:
        self.roster_tab.print_preview()

    def save_pdf(self) -> None:
        self.roster_tab.save_pdf()

    def refresh(self) -> None:
        self.current().refresh()
        self.count_changed.emit(self.status_text())

    def status_text(self) -> str:
        tab = self.current()
        return tab.status_text() if tab is not None else ""
