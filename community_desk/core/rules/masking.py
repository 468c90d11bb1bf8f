"""Masking of personal data on screen lists and printed sheets (110111********1234, 138****5678, 王*洋)."""
from __future__ import annotations


def mask_phone(phone: str) -> str:
    """Idempotent: a value masked already (it holds *) is returned as it is."""
    if "*" in phone:
        return phone
    if len(phone) == 11 and phone.isdigit():
        return phone[:3] + "****" + phone[7:]
    return phone[:-4] + "****" if len(phone) > 4 else phone


def mask_id(number: str) -> str:
    """110111********1234. Other lengths (an old 15-digit number, a passport) keep at most the first 6 and
    last 4 characters. Idempotent, like mask_phone."""
    if "*" in number or len(number) <= 4:
        return number
    if len(number) > 10:
        return number[:6] + "*" * (len(number) - 10) + number[-4:]
    return "*" * (len(number) - 4) + number[-4:]


def mask_columns(row: tuple, id_index: int, phone_index: int) -> tuple:
    """The row with its ID-number and phone cells masked."""
    values = list(row)
    values[id_index] = mask_id(values[id_index] or "")
    values[phone_index] = mask_phone(values[phone_index] or "")
    return tuple(values)


def mask_name(name: str) -> str:
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]
