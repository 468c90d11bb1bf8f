"""The clash of two people's edits of one record (issue 18): what the form's 保存 shows when someone else changed
the same fields since the form was loaded (core.errors.EditConflict). A table of the fields (字段 / 我的 / 他的 /
谁、何时改的) and three answers:

* 用我的: my values over theirs, saved at once over the version just read;
* 用他的: theirs in those fields, my other edits kept, the form left open to save;
* 重新打开: my edits thrown away, the record as it is now.

Fields only the other person changed always take their value. A handful of rows in a small table, not a list of data.
"""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...core.errors import Clash, EditConflict

USE_MINE, USE_THEIRS, REOPEN = "用我的", "用他的", "重新打开"
HEADERS = ("字段", "我的", "他的", "谁、何时改的")
INTRO = "您打开这条记录之后，别人也修改并保存了下面这些字段："
TAKEN_NOTE = "别人改过、您没有改的字段（{}）已换成他的。"
THEIRS_TAKEN = "已换成他的：{}。请检查后再保存。"


def who_and_when(clash: Clash) -> str:
    if not clash.who and clash.when is None:
        return "不详"
    when = f"{clash.when:%m-%d %H:%M}" if clash.when is not None else ""
    return "，".join(part for part in (clash.who, when) if part)


class EditConflictDialog(QDialog):
    """Asks which value wins; `choice` is USE_MINE, USE_THEIRS or REOPEN (None when closed unanswered)."""

    def __init__(self, parent: QWidget | None, conflict: EditConflict, labels: dict[str, str] | None = None):
        super().__init__(parent)
        self.setWindowTitle("别人也修改了这条记录")
        self.choice: str | None = None
        layout = QVBoxLayout(self)
        intro = QLabel(INTRO)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.table = QTableWidget(len(conflict.clashes), len(HEADERS))
        self.table.setHorizontalHeaderLabels(list(HEADERS))
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        for row, clash in enumerate(conflict.clashes):
            label = (labels or {}).get(clash.field) or clash.label
            for col, text in enumerate((label, clash.mine_text, clash.theirs_text, who_and_when(clash))):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.table.setItem(row, col, item)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        rows_height = sum(self.table.rowHeight(r) for r in range(self.table.rowCount()))
        self.table.setFixedHeight(min(rows_height + self.table.horizontalHeader().sizeHint().height()
                                      + 2 * self.table.frameWidth(), 360))  # as tall as its rows: no empty space
        layout.addWidget(self.table)
        if conflict.taken:
            taken = "、".join((labels or {}).get(f) or f for f in conflict.taken)
            note = QLabel(TAKEN_NOTE.format(taken))
            note.setObjectName("hintLabel")
            note.setWordWrap(True)
            layout.addWidget(note)
        self.buttons = QDialogButtonBox()
        for text, tip in ((USE_MINE, "保存我的值，覆盖他的"), (USE_THEIRS, "这些字段换成他的，我的其他修改保留，检查后再保存"),
                          (REOPEN, "放弃我的修改，显示这条记录现在的内容")):
            button = self.buttons.addButton(text, QDialogButtonBox.ButtonRole.ActionRole)
            button.setToolTip(tip)
            button.clicked.connect(lambda _checked=False, t=text: self.answer(t))
        layout.addWidget(self.buttons)
        self.resize(640, self.sizeHint().height())

    def answer(self, choice: str) -> None:
        self.choice = choice
        self.accept()


def ask(parent: QWidget | None, conflict: EditConflict, labels: dict[str, str] | None = None) -> str | None:
    dialog = EditConflictDialog(parent, conflict, labels)
    dialog.exec()
    return dialog.choice
