"""Pinyin search keys for names: 王洋 -> initials 'wy', full 'wangyang'.

Computed once, on save, per character with a cache (so 100,000 names take well under a second);
surnames with a special reading (曾 zeng, 单 shan ...) are read as surnames.
"""
from __future__ import annotations

from functools import lru_cache

SURNAME_READINGS = {
    "曾": "zeng", "单": "shan", "解": "xie", "区": "ou", "仇": "qiu", "查": "zha", "朴": "piao",
    "繁": "po", "盖": "ge", "尉": "yu", "乐": "yue", "缪": "miao", "覃": "qin", "翟": "zhai",
    "种": "chong", "秘": "bi", "长": "chang", "重": "chong", "朝": "chao", "句": "gou",
    "任": "ren", "华": "hua", "纪": "ji", "燕": "yan", "宁": "ning", "沈": "shen", "万": "wan",
}


@lru_cache(maxsize=20000)
def _char_pinyin(ch: str) -> str:
    if ch.isascii():
        return ch.lower()
    from pypinyin import Style, lazy_pinyin  # imported on first use: it costs 0.13 s at start-up

    return lazy_pinyin(ch, style=Style.NORMAL, errors=lambda x: x.lower())[0].lower()


@lru_cache(maxsize=50000)
def name_keys(name: str) -> tuple[str, str]:
    """Return (initials, full pinyin), both lower-case ASCII where the name is Chinese."""
    if not name:
        return "", ""
    syllables = []
    for i, ch in enumerate(name):
        if ch in " ·•.":
            continue
        if i == 0 and ch in SURNAME_READINGS:
            syllables.append(SURNAME_READINGS[ch])
        else:
            syllables.append(_char_pinyin(ch))
    initials = "".join(s[0] for s in syllables if s)
    return initials, "".join(syllables)
