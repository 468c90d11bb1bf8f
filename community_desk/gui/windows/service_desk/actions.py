"""The service desk's steps on one request: 派单 (assign), 办结 (resolve), 回访 (follow-up), 重新办理 (reopen).

回访 says how to reach the resident by the one contact rule (core.rules.contact): a resident who cannot take calls
is visited (请上门回访), never phoned."""
from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import QComboBox, QLineEdit, QPlainTextEdit

from ....core.models.service_desk import SATISFACTION_CHOICES, SOLVED_CHOICES
from ....core.queries import service_desk
from ....core.rules.contact import contact_instruction
from ... import font_size
from ...dialogs.field_form import FormDialog


def _combo(items) -> QComboBox:
    combo = QComboBox()
    combo.addItems(list(items))
    return combo


def assign_dialog(parent, request_id: int) -> FormDialog:
    request = service_desk.get(request_id)
    who = QLineEdit(request["assigned_to"])
    deadline = QLineEdit(request["deadline"].isoformat() if request["deadline"] else "")
    return FormDialog(
        parent, f"派单 - {request['number']}", [("assigned_to", "承办人", who), ("deadline", "办理时限", deadline)],
        lambda v: service_desk.assign(request_id, v["assigned_to"], v["deadline"]), "request_assign",
        intro=f"{request['contact_name']}：{request['description']}")


def resolve_dialog(parent, request_id: int) -> FormDialog:
    request = service_desk.get(request_id)
    resolution = QPlainTextEdit(request["resolution"])
    font_size.fix_lines(resolution, 4)
    day = QLineEdit(dt.date.today().isoformat())
    solved = _combo(SOLVED_CHOICES)
    return FormDialog(
        parent, f"办结 - {request['number']}",
        [("resolution", "办理结果", resolution), ("resolved_date", "办结日期", day), ("solved", "是否解决", solved)],
        lambda v: service_desk.resolve(request_id, v), "request_resolve",
        intro=f"{request['contact_name']}：{request['description']}")


def follow_up_dialog(parent, request_id: int) -> FormDialog:
    request = service_desk.get(request_id)
    satisfaction = _combo(SATISFACTION_CHOICES)
    day = QLineEdit(dt.date.today().isoformat())
    contact = service_desk.resident_contact(request["resident_id"]) if request["resident_id"] else {}
    how = contact_instruction("回访", request["contact_name"], request["contact_phone"],
                              contact.get("contact_preference", "电话"), contact.get("disability", ""))
    return FormDialog(
        parent, f"回访 - {request['number']}",
        [("satisfaction", "满意度", satisfaction), ("followup_date", "回访日期", day)],
        lambda v: service_desk.follow_up(request_id, v), "request_followup",
        intro=f"{how}：{request['resolution']}")


def reopen_dialog(parent, request_id: int) -> FormDialog:
    request = service_desk.get(request_id)
    reason = QLineEdit()
    reason.setPlaceholderText("例如：居民来电，仍然漏雨")
    return FormDialog(
        parent, f"重新办理 - {request['number']}", [("reason", "原因", reason)],
        lambda v: service_desk.reopen(request_id, v["reason"]), "request_reopen",
        intro=f"已办结：{request['resolution'] or '（未写办理结果）'}。重新办理后回到“处理中”，原办理结果保留。")
