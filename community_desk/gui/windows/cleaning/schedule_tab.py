"""服务安排: the visits of the round by day, slot and team; auto-schedule, move, record, cancel;
the roster's choice of day, team and full names."""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QByteArray, QMimeData, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ....core.queries import cleaning, cleaning_visits
from ....core.rules.cleaning import date_text, weekday_text
from ....core.rules.resident import FormErrors
from ....core.rules.text import ValidationError
from ....core.session import PermissionDenied
from ... import tasks
from ...dialogs.base import confirm, show_error
from ...page import need_selection
from ...table_model import LazyTableModel
from .common import make_table, selected_ids
from .visit_forms import ScheduleReportDialog, VisitMoveDialog, VisitRecordDialog


def _visit_style(row: tuple) -> str | None:
    if row[9]:
        return "#e3f4e1"
    return None


class VisitModel(LazyTableModel):
    """The shared lazy model plus drag and drop: dropping visits on a visit moves them to that
    visit's day, slot and team (the move still goes through the capacity check)."""
    MIME = "application/x-community-desk-visit"

    def __init__(self, on_drop, parent=None):
        super().__init__(cleaning_visits.VISIT_COLUMNS, cleaning_visits.load_visit_rows, parent, row_style=_visit_style)
        self.on_drop = on_drop

    def flags(self, index):
        flags = super().flags(index)
        if index.isValid():
            flags |= Qt.ItemFlag.ItemIsDragEnabled | Qt.ItemFlag.ItemIsDropEnabled
        return flags

    def supportedDropActions(self):  # noqa: N802 - Qt name
        return Qt.DropAction.MoveAction

    def mimeTypes(self):  # noqa: N802 - Qt name
        return [self.MIME]

    def mimeData(self, indexes):  # noqa: N802 - Qt name
        ids = sorted({vid for vid in (self.id_at(i.row()) for i in indexes) if vid is not None})
        data = QMimeData()
        data.setData(self.MIME, QByteArray(",".join(map(str, ids)).encode()))
        return data

    def dropMimeData(self, data, _action, row, _column, parent):  # noqa: N802 - Qt name
        if not data.hasFormat(self.MIME):
            return False
        target = self.id_at(parent.row() if parent.isValid() else row)
        moved = [int(v) for v in bytes(data.data(self.MIME).data()).decode().split(",") if v]
        if target is None or not moved:
            return False
        self.on_drop([v for v in moved if v != target], target)
        return False  # the rows are not removed: the list is reloaded after the move


class ScheduleTab(QWidget):
    changed = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.round_id: int | None = None
        self.last_report: cleaning_visits.ScheduleReport | None = None
        self.auto_button = QPushButton("自动排班")
        self.auto_button.setToolTip("按前期统计的希望日期和时段安排尚未安排的户，每队每时段不超过上限")
        self.auto_button.clicked.connect(self.auto_schedule)
        self.move_button = QPushButton("调整安排…")
        self.move_button.clicked.connect(self.move_selected)
        self.record_button = QPushButton("服务记录与回访…")
        self.record_button.clicked.connect(self.record_selected)
        self.cancel_button = QPushButton("取消安排")
        self.cancel_button.clicked.connect(self.cancel_selected)
        self.day_combo = QComboBox()
        self.team_combo = QComboBox()
        self.state_combo = QComboBox()
        self.state_combo.addItem("全部", "")
        for state in cleaning_visits.VISIT_STATES:
            self.state_combo.addItem(state, state)
        self.state_combo.setToolTip("待回访：已完成服务、还没有登记满意度的户")
        self.state_combo.currentIndexChanged.connect(self.refresh_list)
        self.day_combo.currentIndexChanged.connect(self.refresh_list)
        self.team_combo.currentIndexChanged.connect(self.refresh_list)
        self.full_names = QCheckBox("花名册显示全名")
        self.full_names.setToolTip("默认打印为 王*洋 形式，保护居民信息")
        self.print_button = QPushButton("打印花名册…")
        self.pdf_button = QPushButton("另存为PDF…")
        self.export_button = QPushButton("导出Excel…")
        self.count_label = QLabel()
        self.model = VisitModel(self.drop_visits, self)
        self.table = make_table(self.model, (80, 44, 110, 190, 40, 70, 70, 50, 200, 50))
        self.table.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.table.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.table.setDropIndicatorShown(True)
        self.table.setToolTip("把一户拖到另一户上，即改到那一户的日期、时段和服务队")
        self.table.doubleClicked.connect(lambda _i: self.record_selected())
        actions = QHBoxLayout()
        for b in (self.auto_button, self.move_button, self.record_button, self.cancel_button):
            actions.addWidget(b)
        actions.addStretch(1)
        actions.addWidget(QLabel("显示"))
        actions.addWidget(self.state_combo)
        actions.addWidget(self.count_label)
        roster = QHBoxLayout()
        roster.addWidget(QLabel("日期"))
        roster.addWidget(self.day_combo)
        roster.addWidget(QLabel("服务队"))
        roster.addWidget(self.team_combo)
        roster.addWidget(self.full_names)
        roster.addStretch(1)
        for b in (self.print_button, self.pdf_button, self.export_button):
            roster.addWidget(b)
        layout = QVBoxLayout(self)
        layout.addLayout(actions)
        layout.addLayout(roster)
        layout.addWidget(self.table)

    # --- filters ---
    def set_round(self, round_id: int | None) -> None:
        self.round_id = round_id
        self.refresh()

    def refresh(self) -> None:
        day, team = self.day_combo.currentData(), self.team_combo.currentData()
        for combo in (self.day_combo, self.team_combo):
            combo.blockSignals(True)
            combo.clear()
        self.day_combo.addItem("全部日期", None)
        self.team_combo.addItem("全部服务队", None)
        if self.round_id is not None:
            info = cleaning.get_round(self.round_id)
            start, end = info["start_date"], info["end_date"]
            for n in range((end - start).days + 1):
                d = start + dt.timedelta(days=n)
                self.day_combo.addItem(f"{date_text(d)} {weekday_text(d)}", d)
            for tid, name in cleaning.round_teams(self.round_id):
                self.team_combo.addItem(name, tid)
        self.day_combo.setCurrentIndex(max(self.day_combo.findData(day), 0))
        self.team_combo.setCurrentIndex(max(self.team_combo.findData(team), 0))
        for combo in (self.day_combo, self.team_combo):
            combo.blockSignals(False)
        self.refresh_list()

    def refresh_list(self, *_args) -> None:
        if self.round_id is None:
            self.model.set_ids([])
            return
        round_id, day, team = self.round_id, self.day_combo.currentData(), self.team_combo.currentData()
        state = self.state_combo.currentData()
        tasks.run_query(lambda: cleaning_visits.visit_ids(round_id, day, team, state), self._show)

    def _show(self, ids: list[int]) -> None:
        self.model.invalidate()
        self.model.set_ids(ids)
        self.count_label.setText(f"共 {len(ids)} 户")

    def selection(self) -> tuple[dt.date | None, int | None, bool]:
        return self.day_combo.currentData(), self.team_combo.currentData(), self.full_names.isChecked()

    # --- actions ---
    def auto_schedule(self) -> None:
        if self.round_id is None:
            return
        try:
            self.last_report = cleaning_visits.run_auto_schedule(self.round_id)
        except PermissionDenied as exc:
            show_error(self, "自动排班", exc.message)
            return
        self.changed.emit()
        self.report_dialog = ScheduleReportDialog(self.last_report, self)
        self.report_dialog.open()

    def move_selected(self) -> None:
        ids = selected_ids(self.table)
        if need_selection(self, ids) and self.round_id is not None and VisitMoveDialog(self.round_id, ids[0], parent=self).exec():
            self.changed.emit()

    def record_selected(self) -> None:
        ids = selected_ids(self.table)
        if need_selection(self, ids) and VisitRecordDialog(ids[0], self).exec():
            self.changed.emit()

    def drop_visits(self, visit_ids: list[int], target_id: int) -> None:
        target = cleaning_visits.get_visit(target_id)
        raw = {"date": target["date"].isoformat(), "slot": target["slot"], "team_id": target["team_id"]}
        moved, problems = 0, []
        for vid in visit_ids:
            try:
                cleaning_visits.move_visit(vid, raw)
                moved += 1
            except FormErrors as exc:
                problems.append(str(exc))
            except (ValidationError, PermissionDenied) as exc:
                problems.append(exc.message)
        self.drop_message = (f"已调整 {moved} 户到 {date_text(target['date'])}{target['slot']}"
                             + (f"；未调整：{'；'.join(problems)}" if problems else ""))
        self.count_label.setText(self.drop_message)
        if moved:
            self.changed.emit()

    def cancel_selected(self) -> None:
        ids = selected_ids(self.table)
        if not need_selection(self, ids) or not confirm(self, "取消安排", "确定取消选中的上门安排？该户可重新自动排班。"):
            return
        try:
            for vid in ids:
                cleaning_visits.cancel_visit(vid)
        except (ValidationError, PermissionDenied) as exc:
            show_error(self, "取消安排", exc.message)
        self.changed.emit()
