"""The resident form (居民信息): add or edit one resident, with immediate, specific validation.

Nothing invalid reaches the database; a refused save keeps everything the user typed and shows
each problem under its field (the FormDialog base).
"""
from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from ....core.models.people import CONTACT_PREFERENCES, DISABILITY_KINDS, RELATIONS, RESIDENCE_STATUSES
from ....core.queries import communities, residents
from ....core.rules.idcard import parse_id
from ....core.rules.text import ValidationError
from ... import font_size
from ...dialogs.field_form import FormDialog

FIELD_LABELS = {
    "name": "姓名", "id_number": "身份证号", "gender": "性别", "birth_date": "出生日期", "phone": "联系电话",
    "community_id": "所属社区", "building": "楼栋", "unit": "单元", "room": "门牌号", "address": "住址（无楼栋时）",
    "household_number": "户号", "relation_to_head": "与户主关系", "registered_address": "户籍地",
    "residence_status": "居住状态", "contact_preference": "联系方式偏好", "disability": "残疾类别", "notes": "备注",
}
LEFT = ["name", "id_number", "gender", "birth_date", "phone", "household_number", "relation_to_head",
        "registered_address"]
RIGHT = ["community_id", "building", "unit", "room", "address", "residence_status", "contact_preference",
         "disability"]


class ResidentForm(FormDialog):
    settings_key = "resident_form"

    def __init__(self, parent=None, resident_id: int | None = None):
        super().__init__(parent)
        self.resident_id = resident_id
        self.saved_id: int | None = None
        self.setWindowTitle("修改居民信息" if resident_id else "新增居民")

        self.name_edit = self._line("name", "必填")
        self.id_edit = self._line("id_number", "18 位，可不填")
        self.id_edit.textChanged.connect(self._check_id_live)
        self.gender_combo = self._combo("gender", ["", "男", "女"])
        self.birth_edit = self._line("birth_date", "有身份证号时自动填写，例如 1956-03-12")
        self.phone_edit = self._line("phone", "手机 11 位或固定电话")
        self.community_combo = QComboBox()
        for cid, name in communities.list_communities():
            self.community_combo.addItem(name, cid)
        self.add_field("community_id", FIELD_LABELS["community_id"], self.community_combo)
        self.building_combo = self._combo("building", [""], editable=True)
        self.community_combo.currentIndexChanged.connect(self._fill_buildings)
        self._fill_buildings()
        self.unit_edit = self._line("unit", "例如 2")
        self.room_edit = self._line("room", "例如 501")
        self.address_edit = self._line("address", "没有楼栋门牌时填写")
        self.household_edit = self._line("household_number", "同一户的人填同一个户号")
        self.household_edit.editingFinished.connect(self._show_household)
        self.relation_combo = self._combo("relation_to_head", ["", *RELATIONS])
        self.registered_edit = self._line("registered_address", "例如 北京市房山区")
        self.same_check = QCheckBox("人户一致")
        self.same_check.setChecked(True)
        self.status_combo = self._combo("residence_status", list(RESIDENCE_STATUSES))
        self.contact_combo = self._combo("contact_preference", list(CONTACT_PREFERENCES))
        self.disability_combo = self._combo("disability", ["", *DISABILITY_KINDS])
        self.disability_combo.currentTextChanged.connect(self._disability_changed)
        self.notes_edit = QPlainTextEdit()
        font_size.fix_lines(self.notes_edit, 2)
        self.add_field("notes", FIELD_LABELS["notes"], self.notes_edit)

        self.tag_checks: dict[str, QCheckBox] = {}
        tags_box = QGroupBox("人员类别")
        tags_layout = QGridLayout(tags_box)
        for i, (_tid, name) in enumerate(residents.list_tags()):
            check = QCheckBox(name)
            self.tag_checks[name] = check
            tags_layout.addWidget(check, i // 4, i % 4)

        grid = self.field_grid([*LEFT, ("", self.same_check)], RIGHT)
        grid.setHorizontalSpacing(10)
        self.id_hint = QLabel()
        self.id_hint.setObjectName("hintLabel")
        self.household_hint = QLabel()
        self.household_hint.setWordWrap(True)
        self.body.addLayout(grid)
        self.body.addWidget(self.id_hint)
        self.body.addWidget(self.household_hint)
        self.body.addWidget(tags_box)
        self.body.addLayout(self.field_grid(["notes"]))
        self.body.addStretch(1)
        self.notes_edit.setTabChangesFocus(True)
        self.tab_chain = ([self.inputs[k] for k in LEFT] + [self.same_check] + [self.inputs[k] for k in RIGHT]
                          + list(self.tag_checks.values()) + [self.notes_edit] + self.buttons.buttons())
        for first, second in zip(self.tab_chain, self.tab_chain[1:], strict=False):
            QWidget.setTabOrder(first, second)  # down the left column, then the right one, as the form reads
        if resident_id:
            self.loaded = residents.get_form(resident_id)
            self._load(self.loaded)
            self._show_household()
        self.resize(820, 640)

    # --- building the form ---
    def _line(self, key: str, placeholder: str = "") -> QLineEdit:
        edit = QLineEdit()
        edit.setPlaceholderText(placeholder)
        self.add_field(key, FIELD_LABELS[key], edit)
        return edit

    def _combo(self, key: str, items: list[str], editable: bool = False) -> QComboBox:
        combo = QComboBox()
        combo.setEditable(editable)
        combo.addItems(items)
        self.add_field(key, FIELD_LABELS[key], combo)
        return combo
    def _fill_buildings(self) -> None:
        current = self.building_combo.currentText()
        self.building_combo.clear()
        self.building_combo.addItem("")
        cid = self.community_combo.currentData()
        if cid:
            self.building_combo.addItems([name for _bid, name, _c in communities.list_buildings(cid)])
        self.building_combo.setEditText(current)

    def _load(self, values: dict) -> None:
        index = self.community_combo.findData(values["community_id"])
        self.community_combo.setCurrentIndex(max(index, 0))
        for key, widget in self.inputs.items():
            if key == "community_id":
                continue
            value = values.get(key, "")
            value = "" if value is None else str(value)
            if isinstance(widget, QLineEdit):
                widget.setText(value)
            elif isinstance(widget, QComboBox):
                if widget.isEditable():
                    widget.setEditText(value)
                else:
                    widget.setCurrentIndex(max(widget.findText(value), 0))
            elif isinstance(widget, QPlainTextEdit):
                widget.setPlainText(value)
        self.same_check.setChecked(bool(values.get("same_as_registered", True)))
        for name in values.get("tags", []):
            if name in self.tag_checks:
                self.tag_checks[name].setChecked(True)

    # --- reading and checking ---
    def values(self) -> dict:
        out = super().values()
        out["same_as_registered"] = self.same_check.isChecked()
        out["tags"] = [name for name, check in self.tag_checks.items() if check.isChecked()]
        return out

    def _check_id_live(self, text: str) -> None:
        compact = text.strip()
        if len(compact) < 18:
            self.id_hint.setText("")
            self.set_message("id_number", "")
            return
        try:
            info = parse_id(compact)
        except ValidationError as exc:
            self.set_message("id_number", exc.message)
            self.id_hint.setText("")
            return
        self.set_message("id_number", "")
        self.id_hint.setText(f"身份证号有效：{info.gender}，出生于 {info.birth_date:%Y年%m月%d日}")
        self.birth_edit.setText(info.birth_date.isoformat())
        self.gender_combo.setCurrentText(info.gender)

    def _show_household(self) -> None:
        members = residents.household_members(self.community_combo.currentData(), self.household_edit.text(),
                                              exclude=self.resident_id)
        self.household_hint.setText(
            "同户成员：" + "、".join(f"{name}（{relation or '未填关系'}）" for name, relation in members)
            if members else ("该户号下还没有其他人，保存后将新建一户" if self.household_edit.text().strip() else ""))

    def _disability_changed(self, kind: str) -> None:
        if kind and "残疾人" in self.tag_checks:
            self.tag_checks["残疾人"].setChecked(True)
        if kind in ("听力", "言语") and self.contact_combo.currentText() == "电话":
            self.contact_combo.setCurrentText("上门")

    def set_field(self, key: str, value) -> None:
        if key == "tags":
            for name, check in self.tag_checks.items():
                check.setChecked(name in value)
        elif key == "same_as_registered":
            self.same_check.setChecked(bool(value))
        else:
            super().set_field(key, value)

    def write(self, values: dict) -> None:
        self.saved_id = residents.save(values, self.resident_id, loaded=self.loaded)
