"""Masking of personal data on screen lists and printed sheets (110111********1234, 138****5678, 王*洋)."""
from __future__ import annotations


def mask_phone(phone: str) -> str:
    if len(phone) == 11 and phone.isdigit():
        return phone[:3] + "****" + phone[7:]
    return phone[:-4] + "****" if len(phone) > 4 else phone


def mask_id(number: str) -> str:
    if len(number) == 18:
        return number[:6] + "********" + number[14:]
    return number


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
