"""Training sessions (培训会): the list, a form (date, topic, trainer, staff attending, materials), the
office's staff list, and who has not attended the latest session on a topic."""
from __future__ import annotations

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ....core.queries import events, volunteers
from ....core.rules.resident import FormErrors
from ....core.session import PermissionDenied
from ... import font_size
from ...dialogs.base import RememberingDialog, attempt
from ...page import bus, need_selection
from ...table_model import LazyTableModel, make_table_view, selected_id


class TrainingForm(RememberingDialog):
    settings_key = "training_form"

    def __init__(self, parent=None, session_id: int | None = None):
        super().__init__(parent)
        self.session_id = session_id
        self.setWindowTitle("修改培训会" if session_id else "新增培训会")
        self.date_edit = QDateEdit(QDate.currentDate())
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("yyyy-MM-dd")
        self.topic_combo = QComboBox()
        self.topic_combo.setEditable(True)
        self.topic_combo.addItems(events.topics())
        self.topic_combo.setEditText("")
        self.trainer_edit = QLineEdit()
        self.attendee_list = QListWidget()
        self.materials_edit = QPlainTextEdit()
        font_size.fix_lines(self.materials_edit, 3)
        values = events.get_training(session_id) if session_id else {"attendees": []}
        for name in dict.fromkeys([*volunteers.staff_names(), *values["attendees"]]):
            item = QListWidgetItem(name)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if name in values["attendees"] else Qt.CheckState.Unchecked)
            self.attendee_list.addItem(item)
        if session_id:
            self.date_edit.setDate(QDate.fromString(values["date"], "yyyy-MM-dd"))
            self.topic_combo.setEditText(values["topic"])
            self.trainer_edit.setText(values["trainer"])
            self.materials_edit.setPlainText(values["materials"])
        self.summary = QLabel()
        self.summary.setObjectName("errorLabel")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText("保存")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow("日期", self.date_edit)
        form.addRow("培训主题", self.topic_combo)
        form.addRow("主讲人", self.trainer_edit)
        form.addRow("参加人员（工作人员）", self.attendee_list)
        form.addRow("培训材料", self.materials_edit)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.summary)
        layout.addWidget(self.buttons)

    def set_attended(self, names: set[str]) -> None:
        for r in range(self.attendee_list.count()):
            item = self.attendee_list.item(r)
            item.setCheckState(Qt.CheckState.Checked if item.text() in names else Qt.CheckState.Unchecked)

    def save(self) -> bool:
        attendees = [self.attendee_list.item(r).text() for r in range(self.attendee_list.count())
                     if self.attendee_list.item(r).checkState() == Qt.CheckState.Checked]
        raw = {"date": self.date_edit.date().toPython(), "topic": self.topic_combo.currentText(),
               "trainer": self.trainer_edit.text(), "materials": self.materials_edit.toPlainText(),
               "attendees": attendees}
        try:
            self.session_id = events.save_training(raw, self.session_id)
        except FormErrors as exc:
            self.summary.setText("未保存：" + "；".join(exc.errors.values()))
            return False
        except PermissionDenied as exc:
            self.summary.setText(exc.message)
            return False
        self.accept()
        return True


class TrainingTab(QWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.model = LazyTableModel([h for _k, h in events.TRAINING_COLUMNS], events.load_training_rows, self)
        self.table = make_table_view(self.model, (90, 180, 110, 70, 260))
        self.table.doubleClicked.connect(lambda _i: self.edit_selected())
        new_button = QPushButton("新增培训会")
        new_button.clicked.connect(self.new_record)
        edit_button = QPushButton("修改")
        edit_button.clicked.connect(self.edit_selected)
        staff_button = QPushButton("工作人员名单")
        staff_button.clicked.connect(self.edit_staff)
        self.topic_combo = QComboBox()
        self.topic_combo.currentIndexChanged.connect(self.show_missing)
        self.missing_label = QLabel()
        self.missing_label.setWordWrap(True)
        self.missing_label.setObjectName("errorLabel")
        buttons = QHBoxLayout()
        buttons.addWidget(new_button)
        buttons.addWidget(edit_button)
        buttons.addStretch(1)
        buttons.addWidget(staff_button)
        missing = QHBoxLayout()
        missing.addWidget(QLabel("未参加最新一次培训："))
        missing.addWidget(self.topic_combo)
        missing.addWidget(self.missing_label, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        layout.addLayout(missing)
        self.refresh()

    def refresh(self) -> None:
        self.model.set_ids(events.training_ids())
        current = self.topic_combo.currentText()
        self.topic_combo.blockSignals(True)
        self.topic_combo.clear()
        self.topic_combo.addItems(events.topics())
        if current:
            self.topic_combo.setCurrentIndex(max(self.topic_combo.findText(current), 0))
        self.topic_combo.blockSignals(False)
        self.show_missing()

    def show_missing(self, *_args) -> None:
        topic = self.topic_combo.currentText()
        if not topic:
            self.missing_label.setText("还没有培训记录")
            return
        latest, missing = events.not_attended_latest(topic)
        when = f"{latest['date']:%Y-%m-%d}" if latest else ""
        self.missing_label.setText(f"（{when}）" + ("、".join(missing) if missing else "全部工作人员均已参加"))

    def status_text(self) -> str:
        return f"培训会 {self.model.rowCount()} 次"

    def selected_id(self) -> int | None:
        return selected_id(self.table)

    def new_record(self) -> None:
        if TrainingForm(self).exec():
            bus.data_changed.emit("training_session")
            self.refresh()

    def edit_selected(self) -> None:
        sid = self.selected_id()
        if need_selection(self, [sid] if sid else []) and TrainingForm(self, sid).exec():
            bus.data_changed.emit("training_session")
            self.refresh()

    def edit_staff(self) -> None:
        text, ok = QInputDialog.getMultiLineText(self, "工作人员名单", "每行一位工作人员（带班和培训签到从这里选）：",
                                                 "\n".join(volunteers.staff_names()))
        if not ok:
            return
        if not attempt(self, "工作人员名单", lambda: volunteers.set_staff_names(text.splitlines())):
            return
        self.refresh()
