"""How staff may contact a resident: the one rule, used wherever the program tells staff to call or visit someone
(我来办 回访 and 受理, 擦玻璃服务 surveys and visits, the resident form).

A resident with a hearing or speech disability cannot take a call, and a resident whose 联系方式偏好 is 上门 is
visited: for both the program says 上门, never 电话.
"""
from __future__ import annotations

NO_PHONE_DISABILITIES = ("听力", "言语")
WAYS = ("电话", "短信", "上门")


def phone_forbidden(contact_preference: str, disability: str) -> str:
    """Why this resident must not be phoned ('' when a call is fine)."""
    if disability in NO_PHONE_DISABILITIES:
        return f"{disability}残疾，不能电话联系"
    if contact_preference == "上门":
        return "联系方式偏好为上门"
    return ""


def contact_way(contact_preference: str = "电话", disability: str = "") -> str:
    """电话, 短信 or 上门: how to reach this resident (上门 whenever a call is ruled out)."""
    if phone_forbidden(contact_preference, disability):
        return "上门"
    return contact_preference if contact_preference in WAYS else "电话"


def contact_instruction(task: str, name: str, phone: str = "", contact_preference: str = "电话",
                        disability: str = "") -> str:
    """What to tell staff, e.g. "请电话回访 张三（13800001234）" or "请上门回访 李四（听力残疾，不能电话联系）"."""
    way = contact_way(contact_preference, disability)
    why = phone_forbidden(contact_preference, disability)
    if way == "上门":
        detail = why
    elif way == "短信":
        detail = f"发短信至 {phone}" if phone else "无电话，请上门"
    else:
        detail = phone or "无电话，请上门"
    return f"请{way}{task} {name}" + (f"（{detail}）" if detail else "")
