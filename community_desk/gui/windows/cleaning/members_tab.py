"""资格名单: the round's eligible residents with the reason each is in, add by criteria or by hand."""
from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ....core.queries import cleaning, residents
from ....core.rules.cleaning import Criteria
from ....core.rules.text import ValidationError
from ....core.session import PermissionDenied
from ... import tasks
from ...dialogs.base import RememberingDialog, attempt, confirm, show_error
from ...page import need_selection
from ...table_model import LazyTableModel
from .common import make_table, selected_ids

PICK_COLUMNS = [0, 2, 6, 9, 12]  # 姓名, 年龄, 住址, 人员类别, 残疾类别 of residents.COLUMNS


class MembersTab(QWidget):
    changed = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.round_id: int | None = None
        self.criteria_label = QLabel()
        self.criteria_label.setWordWrap(True)
        self.add_eligible_button = QPushButton("按条件纳入")
        self.add_eligible_button.setToolTip("从居民台账中找出符合本批次条件、尚未纳入的居民")
        self.add_eligible_button.clicked.connect(self.add_eligible)
        self.add_hand_button = QPushButton("手动添加…")
        self.add_hand_button.clicked.connect(self.add_by_hand)
        self.remove_button = QPushButton("移出名单")
        self.remove_button.clicked.connect(self.remove_selected)
        self.count_label = QLabel()
        self.model = LazyTableModel(cleaning.MEMBER_COLUMNS, cleaning.load_member_rows, self)
        self.table = make_table(self.model, (80, 44, 160, 44, 150, 70, 90, 200))
        buttons = QHBoxLayout()
        for b in (self.add_eligible_button, self.add_hand_button, self.remove_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.count_label)
        layout = QVBoxLayout(self)
        layout.addWidget(self.criteria_label)
        layout.addLayout(buttons)
        layout.addWidget(self.table)

    def set_round(self, round_id: int | None) -> None:
        self.round_id = round_id
        self.refresh()

    def refresh(self) -> None:
        if self.round_id is None:
            self.model.set_ids([])
            self.criteria_label.setText("")
            return
        round_id = self.round_id
        info = cleaning.get_round(round_id)
        criteria: Criteria = info["criteria"]
        self.criteria_label.setText(f"纳入条件：{criteria.describe()}" +
                                    (f"；社区：{info['community']}" if info["community"] else ""))
        tasks.run_query(lambda: cleaning.member_ids(round_id), self._show)

    def _show(self, ids: list[int]) -> None:
        self.model.set_ids(ids)
        self.count_label.setText(f"名单共 {len(ids)} 人")

    def add_eligible(self) -> None:
        if self.round_id is None:
            return
        try:
            added = cleaning.add_eligible(self.round_id)
        except PermissionDenied as exc:
            show_error(self, "按条件纳入", exc.message)
            return
        self.count_label.setText(f"新纳入 {added} 人" if added else "没有新的符合条件的居民")
        self.changed.emit()

    def add_by_hand(self) -> None:
        if self.round_id is None:
            return
        dialog = AddMemberDialog(self.round_id, self)
        if dialog.exec():
            self.changed.emit()

    def remove_selected(self) -> None:
        ids = selected_ids(self.table)
        if not need_selection(self, ids) or not confirm(self, "移出名单", f"确定把选中的 {len(ids)} 人移出本批次名单？已有的安排一并取消。"):
            return
        if not attempt(self, "移出名单", lambda: cleaning.remove_members(ids)):
            return
        self.changed.emit()


class AddMemberDialog(RememberingDialog):
    """Find a resident in the registry and add them with the reason."""
    settings_key = "cleaning_add_member"

    def __init__(self, round_id: int, parent=None):
        super().__init__(parent)
        self.round_id = round_id
        self.setWindowTitle("手动添加服务对象")
        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText("搜索：姓名 / 拼音首字母 / 身份证号 / 电话 / 住址")
        self.search_edit.textChanged.connect(self.run_search)
        headers = [residents.COLUMNS[c][1] for c in PICK_COLUMNS]
        self.model = LazyTableModel(headers, self._rows, self)
        self.table = make_table(self.model, (80, 44, 170, 150))
        self.reason_edit = QLineEdit()
        self.reason_edit.setPlaceholderText("必填，例如 家属申请、腿脚不便、独自居住")
        self.error = QLabel()
        self.error.setObjectName("errorLabel")
        self.error.setWordWrap(True)
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        box.button(QDialogButtonBox.StandardButton.Ok).setText("添加")
        box.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        box.accepted.connect(self.save)
        box.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.search_edit)
        layout.addWidget(self.table)
        row = QHBoxLayout()
        row.addWidget(QLabel("纳入原因"))
        row.addWidget(self.reason_edit)
        layout.addLayout(row)
        layout.addWidget(self.error)
        layout.addWidget(box)
        self.resize(640, 460)
        self.run_search()

    @staticmethod
    def _rows(ids: list[int]) -> dict[int, tuple]:
        return {rid: tuple(row[c] for c in PICK_COLUMNS) for rid, row in residents.load_rows(ids).items()}

    def run_search(self, *_args) -> None:
        self._seq = getattr(self, "_seq", 0) + 1
        seq = self._seq
        flt = residents.ResidentFilter(text=self.search_edit.text())
        tasks.run_query(lambda: residents.search_ids(flt)[:500], lambda ids: self._show(seq, ids))

    def _show(self, seq: int, ids: list[int]) -> None:
        if seq == self._seq:  # an older search finishing late is dropped
            self.model.set_ids(ids)

    def save(self) -> None:
        ids = selected_ids(self.table)
        if not ids:
            self.error.setText("请先在列表中选择一位居民")
            return
        try:
            cleaning.add_member(self.round_id, ids[0], self.reason_edit.text())
        except (ValidationError, PermissionDenied) as exc:
            self.error.setText(exc.message)
            return
        self.accept()
