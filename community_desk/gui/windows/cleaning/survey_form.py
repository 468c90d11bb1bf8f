"""The pre-survey form (前期统计) of one household. The phone choice is disabled for residents who
are hearing- or speech-impaired or who asked for visits in person; 上门 is preset for them."""
from __future__ import annotations

from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QSizePolicy,
    QSpinBox,
    QWidget,
)

from ....core.models.cleaning import CONTACT_METHODS, SLOT_CHOICES, SURVEY_RESULTS
from ....core.queries import cleaning
from ....core.rules.cleaning import span_text
from ... import font_size
from ...dialogs.field_form import FormDialog

LABELS = {"contact_method": "联系方式", "result": "统计结果", "preferred_dates": "希望日期",
          "preferred_slot": "希望时段", "windows": "窗户数", "notes": "备注", "surveyed_by": "统计人",
          "surveyed_on": "统计日期"}


class SurveyForm(FormDialog):
    settings_key = "cleaning_survey_form"

    def __init__(self, round_id: int, resident_id: int, parent=None):
        super().__init__(parent)
        self.round_id = round_id
        self.resident_id = resident_id
        self.saved_id: int | None = None
        info = cleaning.get_survey_form(round_id, resident_id)
        self.info = self.loaded = info
        self.setWindowTitle(f"前期统计 - {info['name']}")
        person = QLabel(f"<b>{info['name']}</b>　{info['address']}" + (f"（{info['floor']}层）" if info["floor"] else "")
                        + f"<br>联系电话：{info['phone'] or '无'}　联系方式偏好：{info['contact_preference']}"
                        + (f"　残疾类别：{info['disability']}" if info["disability"] else ""))
        self.warning = QLabel(f"⚠ 该居民{info['phone_forbidden']}：请上门或发短信，不要打电话。"
                              if info["phone_forbidden"] else "")
        self.warning.setObjectName("errorLabel")
        self.warning.setVisible(bool(info["phone_forbidden"]))

        self.method_group = QButtonGroup(self)
        self.method_buttons: dict[str, QRadioButton] = {}
        methods = QWidget()
        methods.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        row = QHBoxLayout(methods)
        row.setContentsMargins(0, 0, 0, 0)
        for method in CONTACT_METHODS:
            button = QRadioButton(method)
            self.method_group.addButton(button)
            self.method_buttons[method] = button
            row.addWidget(button)
        row.addStretch(1)
        if info["phone_forbidden"]:
            self.method_buttons["电话"].setEnabled(False)
            self.method_buttons["电话"].setToolTip(info["phone_forbidden"])
        self.result_combo = QComboBox()
        self.result_combo.addItems(list(SURVEY_RESULTS))
        self.result_combo.currentTextChanged.connect(self._result_changed)
        self.dates_edit = QLineEdit()
        self.dates_edit.setPlaceholderText(f"可不填（不限日期）；例如 11-20、11-21。本批次 {span_text(info['start_date'], info['end_date'])}")
        self.slot_combo = QComboBox()
        self.slot_combo.addItems(list(SLOT_CHOICES))
        self.windows_spin = QSpinBox()
        self.windows_spin.setRange(0, 60)
        self.windows_spin.setSuffix(" 扇")
        self.notes_edit = QPlainTextEdit()
        self.notes_edit.setPlaceholderText("例如 家里有狗；钥匙放在邻居家")
        font_size.fix_lines(self.notes_edit, 2)
        self.by_edit = QLineEdit()
        self.on_edit = QLineEdit()
        for key, widget in (("contact_method", methods), ("result", self.result_combo),
                            ("preferred_dates", self.dates_edit), ("preferred_slot", self.slot_combo),
                            ("windows", self.windows_spin), ("notes", self.notes_edit),
                            ("surveyed_by", self.by_edit), ("surveyed_on", self.on_edit)):
            self.add_field(key, LABELS[key], widget)
        self.body.addWidget(person)
        self.body.addWidget(self.warning)
        self.body.addLayout(self.field_grid(list(LABELS)))
        self.body.addStretch(1)
        self._load(info)
        self.resize(560, 520)

    def _load(self, info: dict) -> None:
        self.method_buttons[info["contact_method"]].setChecked(True)
        self.result_combo.setCurrentText(info["result"])
        self.dates_edit.setText(info["preferred_dates"])
        self.slot_combo.setCurrentText(info["preferred_slot"])
        self.windows_spin.setValue(int(info["windows"] or 0))
        self.notes_edit.setPlainText(info["notes"])
        self.by_edit.setText(info["surveyed_by"])
        self.on_edit.setText(info["surveyed_on"])
        self._result_changed(info["result"])

    def _result_changed(self, result: str) -> None:
        wants = result == "需要"
        for widget in (self.dates_edit, self.slot_combo, self.windows_spin):
            widget.setEnabled(wants)

    def contact_method(self) -> str:
        return next((m for m, b in self.method_buttons.items() if b.isChecked()), "")

    def values(self) -> dict:
        return {"contact_method": self.contact_method(), "result": self.result_combo.currentText(),
                "preferred_dates": self.dates_edit.text(), "preferred_slot": self.slot_combo.currentText(),
                "windows": str(self.windows_spin.value()), "notes": self.notes_edit.toPlainText(),
                "surveyed_by": self.by_edit.text(), "surveyed_on": self.on_edit.text()}

    def set_field(self, key: str, value) -> None:
        if key == "contact_method":
            if value in self.method_buttons:
                self.method_buttons[value].setChecked(True)
        else:
            super().set_field(key, value)

    def write(self, values: dict) -> None:
        self.saved_id = cleaning.save_survey(self.round_id, self.resident_id, values, loaded=self.loaded)
