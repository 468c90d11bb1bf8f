"""The week roster tab (门岗值守排班): pick a week, build it from availability, edit a shift by hand,
see the gaps in words, print it (A4 landscape) or save it as PDF / Excel.

The grid is a small table model over core.queries.duty.week_grid (posts x parts rows, 7 day columns). A cell puts
带班, the times, the volunteers and ✓ 已记录 on lines of their own and its row grows to show them all, also in a
window 1024 px wide. The gaps line is red; "all filled" is good news, in green.
"""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QAbstractTableModel, QDate, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ....core.excel.volunteers_export import day_headers, export_duty_roster
from ....core.models.volunteers import PARTS
from ....core.queries import duty
from ....core.rules.text import ValidationError
from ....core.rules.volunteers import week_start
from ....core.session import PermissionDenied
from ... import printing
from ...dialogs.base import confirm, show_error
from ...exporting import ask_xlsx_path, run_export, with_suffix
from ...messages import OK, REFUSED, style_as, tell
from ...page import bus
from ...table_model import make_table_view
from . import roster_print
from .shift_dialog import PostsDialog, ShiftDialog

_ValidIndex = QModelIndex | QPersistentModelIndex


class RosterGridModel(QAbstractTableModel):
    """Rows: (post, part) where the post is kept; columns: 门岗/时段 then 周一 ... 周日."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.monday = week_start(dt.date.today())
        self.rows: list[tuple[duty.PostRow, str]] = []
        self.cells: dict[tuple[int, str, int], duty.ShiftCell] = {}
        self.headers = ["门岗 / 时段", *day_headers(self.monday)]

    def load(self, monday: dt.date) -> None:
        self.beginResetModel()
        self.monday = week_start(monday)
        posts, self.cells = duty.week_grid(self.monday)
        self.rows = [(post, part) for post in posts for part in PARTS
                     if part in post.parts or any((post.id, part, d) in self.cells for d in range(7))]
        self.headers = ["门岗 / 时段", *day_headers(self.monday)]
        self.endResetModel()

    def cell_at(self, index: _ValidIndex) -> duty.ShiftCell | None:
        if not index.isValid() or index.column() == 0 or not 0 <= index.row() < len(self.rows):
            return None
        post, part = self.rows[index.row()]
        return self.cells.get((post.id, part, index.column() - 1))

    def slot_at(self, index: _ValidIndex) -> tuple[dt.date, str, int] | None:
        """(date, part, post id) of a day cell, whether or not a shift exists there."""
        if not index.isValid() or index.column() == 0 or not 0 <= index.row() < len(self.rows):
            return None
        post, part = self.rows[index.row()]
        return self.monday + dt.timedelta(days=index.column() - 1), part, post.id

    def rowCount(self, parent: _ValidIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: _ValidIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 8

    def data(self, index: _ValidIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        post, part = self.rows[index.row()]
        if index.column() == 0:
            if role == Qt.ItemDataRole.DisplayRole:
                return f"{post.name}\n{part}（至少 {post.min_volunteers} 人）"
            return None
        cell = self.cell_at(index)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if cell is None:
                return "（未排班）"
            lead = f"带班 {cell.lead}" if cell.lead else "带班 —"
            times = f"{cell.start_time}-{cell.end_time}"
            return f"{lead}\n{times}\n{cell.names() or '—'}" + ("\n✓ 已记录" if cell.logged else "")
        if role == Qt.ItemDataRole.BackgroundRole:
            short = cell is None or len(cell.volunteers) < post.min_volunteers or not cell.lead
            return QBrush(QColor("#fde7e6")) if short else None
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self.headers[section] if 0 <= section < len(self.headers) else None
        return str(section + 1)

    def flags(self, index: _ValidIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


class RosterTab(QWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.week_edit = QDateEdit(QDate.currentDate())
        self.week_edit.setCalendarPopup(True)
        self.week_edit.setDisplayFormat("yyyy-MM-dd")
        self.week_edit.dateChanged.connect(lambda _d: self.refresh())
        prev_button = QPushButton("上一周")
        prev_button.clicked.connect(lambda: self.week_edit.setDate(self.week_edit.date().addDays(-7)))
        next_button = QPushButton("下一周")
        next_button.clicked.connect(lambda: self.week_edit.setDate(self.week_edit.date().addDays(7)))
        self.build_button = QPushButton("生成本周排班")
        self.build_button.setToolTip("按志愿者的可服务时间生成本周排班")
        self.build_button.clicked.connect(self.build)
        self.edit_button = QPushButton("修改班次")
        self.edit_button.clicked.connect(self.edit_selected)
        self.posts_button = QPushButton("门岗设置")
        self.posts_button.clicked.connect(self.edit_posts)
        self.export_button = QPushButton("导出Excel")
        self.export_button.clicked.connect(lambda: self.export_excel())
        self.print_button = QPushButton("打印预览")
        self.print_button.clicked.connect(lambda: self.print_preview())
        self.pdf_button = QPushButton("另存为PDF…")
        self.pdf_button.clicked.connect(lambda: self.save_pdf())
        self.model = RosterGridModel(self)
        self.table = make_table_view(self.model)
        self.table.setWordWrap(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)  # a cell is a shift
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setMinimumSectionSize(60)
        # rows follow their cells' wrapped text whenever the columns change width (a narrower window)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.doubleClicked.connect(lambda _i: self.edit_selected())
        self.gaps_label = QLabel()
        self.gaps_label.setWordWrap(True)
        self.gaps_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        top = QHBoxLayout()
        top.addWidget(QLabel("周"))
        top.addWidget(self.week_edit)
        top.addWidget(prev_button)
        top.addWidget(next_button)
        top.addStretch(1)
        top.addWidget(self.build_button)
        top.addWidget(self.edit_button)
        bottom = QHBoxLayout()  # the gaps in words, then the less frequent actions: the tab fits 1024 px
        bottom.addWidget(self.gaps_label, 1)
        for button in (self.posts_button, self.export_button, self.print_button, self.pdf_button):
            bottom.addWidget(button, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)
        self.gaps: list[str] = []
        self.refresh()

    def monday(self) -> dt.date:
        return week_start(self.week_edit.date().toPython())

    def refresh(self) -> None:
        self.model.load(self.monday())
        self.gaps = duty.week_gaps(self.monday()) if self.model.rows else []
        if not self.model.rows:
            self.say("还没有门岗：请先点“门岗设置”添加门岗。", REFUSED)
        elif not self.model.cells:
            self.say("本周还没有排班：点“生成本周排班”（按志愿者的可服务时间）。", REFUSED)
        elif self.gaps:
            shown = "；".join(self.gaps[:30]) + ("……" if len(self.gaps) > 30 else "")
            self.say(f"缺口 {len(self.gaps)} 处：{shown}", REFUSED)
        else:
            self.say("本周各门岗均已排满。", OK)

    def say(self, text: str, kind: str) -> None:
        self.gaps_label.setText(text)
        style_as(self.gaps_label, kind)

    def status_text(self) -> str:
        return f"{self.monday():%Y-%m-%d} 起一周 {len(self.model.cells)} 班，缺口 {len(self.gaps)} 处"

    def build(self, ask: bool = True) -> None:
        if ask and self.model.cells and not confirm(
                self, "生成排班", "本周已有排班，重新生成会替换本周全部班次（手工修改也会丢失）。继续吗？"):
            return
        try:
            plan = duty.build_roster(self.monday())
        except (ValidationError, PermissionDenied) as exc:
            show_error(self, "生成排班", exc.message)
            return
        bus.data_changed.emit("duty_shift")
        self.refresh()
        self.last_plan = plan

    def selected_index(self) -> QModelIndex | None:
        indexes = self.table.selectionModel().selectedIndexes()
        return indexes[0] if indexes else None

    def open_shift(self, index: QModelIndex) -> ShiftDialog | None:
        """The edit dialog for the shift in that cell (an empty shift is made for an empty cell)."""
        slot = self.model.slot_at(index)
        if slot is None:
            return None
        cell = self.model.cell_at(index)
        try:
            shift_id = cell.shift_id if cell else duty.ensure_shift(*slot)
        except PermissionDenied as exc:
            show_error(self, "修改班次", exc.message)
            return None
        return ShiftDialog(shift_id, self)

    def edit_selected(self) -> None:
        index = self.selected_index()
        was_empty = index is not None and self.model.cell_at(index) is None
        dialog = self.open_shift(index) if index is not None else None
        if dialog is None:
            tell(self, "请先选中一个班次的格子（某个门岗某一天的时段）", REFUSED)
            return
        if not dialog.exec() and was_empty:
            duty.discard_empty_shift(dialog.shift_id)
        bus.data_changed.emit("duty_shift")
        self.refresh()

    def edit_posts(self) -> None:
        dialog = PostsDialog(self)
        dialog.exec()
        if dialog.changed:
            bus.data_changed.emit("gate_post")
            self.refresh()

    def export_excel(self, path: str | None = None) -> None:
        monday = self.monday()
        path = with_suffix(path) if path else ask_xlsx_path(self, f"门岗值守排班_{monday:%Y%m%d}.xlsx")
        if path is None:
            return
        run_export(self, path, lambda progress: export_duty_roster(path, monday, progress),
                   on_done=lambda count: self.say(f"已导出 {count} 班到 {path}", OK))

    def print_preview(self) -> None:
        monday = self.monday()
        printing.open_preview(self, lambda: roster_print.roster_document(monday))

    def save_pdf(self, path: str | None = None) -> None:
        monday = self.monday()
        printing.save_pdf_as(self, lambda: roster_print.roster_document(monday), f"门岗值守排班_{monday:%Y%m%d}.pdf",
                             path=path)
