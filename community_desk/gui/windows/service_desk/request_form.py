"""The request form (受理工单): who it comes from (picked from the resident registry, or a name and
phone), type, category, description, channel, time, who handles it, deadline and an optional facility.
A resident picked from the registry who cannot take calls (core.rules.contact) is said so under the phone.
The fields are declared on FormDialog, which shows the messages and asks before typed text is thrown away."""
from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QPlainTextEdit

from ....core.models.service_desk import CHANNELS, REQUEST_TYPES
from ....core.queries import facilities, service_desk
from ....core.rules.contact import contact_way, phone_forbidden
from ... import font_size
from ...dialogs.field_form import FormDialog

FIELD_LABELS = {
    "resident_search": "从居民台账查找", "resident_id": "选择居民", "contact_name": "诉求人",
    "contact_phone": "联系电话", "address": "住址", "type": "诉求类型", "category_id": "问题类别",
    "description": "诉求内容", "channel": "来源渠道", "received_at": "受理时间", "assigned_to": "承办人",
    "deadline": "办理时限", "facility_id": "相关设施",
}
NO_RESIDENT = "（不从台账选择，手工填写姓名电话）"


class RequestForm(FormDialog):
    settings_key = "request_form"

    def __init__(self, parent=None, request_id: int | None = None):
        super().__init__(parent)
        self.request_id = request_id
        self.saved_id: int | None = None
        self.setWindowTitle("修改工单" if request_id else "受理新工单")

        self.resident_search = QLineEdit()
        self.resident_search.setPlaceholderText("姓名、拼音首字母、电话或住址，例如 wxy")
        self.resident_search.textChanged.connect(self.find_residents)
        self.resident_combo = QComboBox()
        self.resident_combo.addItem(NO_RESIDENT, None)
        self.resident_combo.currentIndexChanged.connect(self._resident_picked)
        self.add_field("resident_id", FIELD_LABELS["resident_id"], self.resident_combo)
        self.name_edit = self._line("contact_name", "未从台账选择时必填")
        self.phone_edit = self._line("contact_phone", "手机 11 位或固定电话")
        self.address_edit = self._line("address", "例如 3号楼2单元501")
        self.type_combo = self._combo("type", [(t, t) for t in REQUEST_TYPES])
        self.category_combo = self._combo("category_id", [(name, cid) for cid, name in service_desk.list_categories()])
        self.description_edit = QPlainTextEdit()
        font_size.fix_lines(self.description_edit, 3)
        self.add_field("description", FIELD_LABELS["description"], self.description_edit)
        self.channel_combo = self._combo("channel", [(c, c) for c in CHANNELS])
        self.received_edit = self._line("received_at", "例如 2026-06-05 09:30")
        self.received_edit.setText(dt.datetime.now().strftime("%Y-%m-%d %H:%M"))
        self.assigned_edit = self._line("assigned_to", "填写后工单直接进入“处理中”")
        self.deadline_edit = self._line("deadline", f"不填则为受理后 {service_desk.deadline_days()} 天")
        self.facility_combo = self._combo("facility_id", [("（无）", None)] + [
            (label, fid) for fid, label in facilities.facility_choices()])

        self.contact_note = QLabel()  # how this resident may be contacted, when not by phone
        self.contact_note.setObjectName("warningLabel")
        self.contact_note.setWordWrap(True)
        self.contact_note.hide()
        self.body.addLayout(self.field_grid([
            (FIELD_LABELS["resident_search"], self.resident_search), "resident_id", "contact_name", "contact_phone",
            ("", self.contact_note), "address", "type", "category_id", "description", "channel", "received_at",
            "assigned_to", "deadline", "facility_id"]))
        self.body.addStretch(1)
        self.save_button.setText("受理" if not request_id else "保存")
        if request_id:
            self.loaded = service_desk.get(request_id)
            self._load(self.loaded)
        self.resize(620, 720)

    def _line(self, key: str, placeholder: str = "") -> QLineEdit:
        edit = QLineEdit()
        edit.setPlaceholderText(placeholder)
        return self.add_field(key, FIELD_LABELS[key], edit)

    def _combo(self, key: str, items: list[tuple[str, object]]) -> QComboBox:
        combo = QComboBox()
        for text, data in items:
            combo.addItem(text, data)
        return self.add_field(key, FIELD_LABELS[key], combo)

    def _load(self, values: dict) -> None:
        if values["resident_id"]:
            self.resident_combo.addItem(values["contact_name"], values["resident_id"])
            self.resident_combo.setCurrentIndex(1)  # fills the contact and its note from the registry
        self.name_edit.setText(values["contact_name"])
        self.phone_edit.setText(values["contact_phone"])
        self.address_edit.setText(values["address"])
        self.type_combo.setCurrentText(values["type"])
        self.category_combo.setCurrentIndex(max(self.category_combo.findData(values["category_id"]), 0))
        self.description_edit.setPlainText(values["description"])
        self.channel_combo.setCurrentText(values["channel"])
        self.received_edit.setText(f"{values['received_at']:%Y-%m-%d %H:%M}")
        self.assigned_edit.setText(values["assigned_to"])
        self.deadline_edit.setText(values["deadline"].isoformat() if values["deadline"] else "")
        self.facility_combo.setCurrentIndex(max(self.facility_combo.findData(values["facility_id"]), 0))

    def find_residents(self, text: str) -> None:
        self.resident_combo.blockSignals(True)
        self.resident_combo.clear()
        self.resident_combo.addItem(NO_RESIDENT, None)
        for rid, label in service_desk.find_residents(text):
            self.resident_combo.addItem(label, rid)
        self.resident_combo.blockSignals(False)
        if self.resident_combo.count() > 1:
            self.resident_combo.setCurrentIndex(1)

    def _resident_picked(self) -> None:
        rid = self.resident_combo.currentData()
        if not rid:
            self.show_contact_note({})
            return
        contact = service_desk.resident_contact(rid)
        self.name_edit.setText(contact["name"])
        self.phone_edit.setText(contact["phone"])
        self.address_edit.setText(contact["address"])
        self.show_contact_note(contact)

    def show_contact_note(self, contact: dict) -> None:
        """Under the phone: that this resident cannot take calls and is visited (or texted) instead."""
        preference, disability = contact.get("contact_preference", "电话"), contact.get("disability", "")
        way = contact_way(preference, disability)
        why = phone_forbidden(preference, disability)
        text = (f"⚠ {contact['name']}：{why}，联系、回访请{way}。" if why
                else f"{contact['name']}：联系方式偏好为短信。" if way == "短信" else "")
        self.contact_note.setText(text)
        self.contact_note.setVisible(bool(text))

    def values(self) -> dict:
        out = super().values()
        out["resident_id"] = self.resident_combo.currentData()  # the 'none' items hold None, not their text
        out["facility_id"] = self.facility_combo.currentData()
        return out

    def set_field(self, key: str, value) -> None:
        if key == "resident_id" and value and self.resident_combo.findData(value) < 0:
            self.resident_combo.addItem(self.loaded.get("contact_name", "") if self.loaded else "", value)
        super().set_field(key, value)

    def write(self, values: dict) -> None:
        if self.request_id:
            service_desk.update(self.request_id, values, loaded=self.loaded)
            self.saved_id = self.request_id
        else:
            self.saved_id = service_desk.take_in(values)
