"""Pinyin search keys for names: 王洋 -> initials 'wy', full 'wangyang'; 王长春 -> 'wcc wzc', 'wangchangchun wangzhangchun'.

`name_keys(name)` returns (initials, full pinyin). Each is one key, or several separated by a space when a character
of the name has more than one reading in use, the name's own reading first:

- the given name is read by pypinyin on the whole name, so phrases decide (王长春 wang chang chun, 刘重庆 liu chong
  qing); a surname with a reading of its own comes from SURNAME_READINGS / COMPOUND_SURNAMES (单 shan, 曾 zeng,
  万俟 mo qi, 尉迟 yu chi);
- every other reading pypinyin's heteronyms give is indexed too (people type 王长春 as wcc or wzc), but only one that
  pypinyin's phrase dictionary uses somewhere: that keeps the readings of dictionaries long past (王 yu, 明 meng, 洋
  xiang) out, so a name without a reading in doubt gets exactly one key. At most MAX_KEYS keys a name.

The first key is the name's order: `name_pinyin` sorts lists; the search keys hold all of them. Computed once, on
save (pypinyin's import and its phrase dictionary cost ~0.3 s the first time).
"""
from __future__ import annotations

from functools import lru_cache
from itertools import combinations, product

# Single-character surnames read otherwise than pypinyin reads the character; a second reading is indexed too.
SURNAME_READINGS: dict[str, tuple[str, ...]] = {
    "曾": ("zeng",), "单": ("shan",), "解": ("xie",), "区": ("ou",), "仇": ("qiu",), "查": ("zha",),
    "朴": ("piao",), "繁": ("po",), "盖": ("ge",), "尉": ("wei",), "乐": ("yue", "le"), "缪": ("miao",),
    "覃": ("qin", "tan"), "翟": ("zhai",), "种": ("chong",), "秘": ("bi",), "长": ("chang",), "重": ("chong",),
    "朝": ("chao",), "句": ("gou",), "任": ("ren",), "华": ("hua",), "纪": ("ji",), "燕": ("yan",), "宁": ("ning",),
    "沈": ("shen",), "万": ("wan",), "员": ("yun",), "召": ("shao",), "冼": ("xian",), "阚": ("kan",),
    "粘": ("nian",), "折": ("she",), "相": ("xiang",), "藏": ("zang",), "褚": ("chu",), "柏": ("bai",),
    "薄": ("bo",), "卜": ("bu",), "都": ("du",), "能": ("nai",), "过": ("guo",), "隗": ("wei",),
}
# Two-character surnames, read as one (checked before the single ones: 万俟 is mo qi, not wan si).
COMPOUND_SURNAMES: dict[str, tuple[str, ...]] = {
    "万俟": ("mo", "qi"), "尉迟": ("yu", "chi"), "单于": ("chan", "yu"), "长孙": ("zhang", "sun"),
    "澹台": ("tan", "tai"), "乐正": ("yue", "zheng"), "令狐": ("ling", "hu"), "宰父": ("zai", "fu"),
    "亓官": ("qi", "guan"), "召南": ("shao", "nan"),
}
SEPARATORS = " ·•.・"
MAX_KEYS = 4  # readings kept a name: the name's own, then those that change the fewest characters


def _han(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or "\U00020000" <= ch <= "\U0003134f"


@lru_cache(maxsize=1)
def _used_readings() -> frozenset[tuple[str, str]]:
    """(character, toneless reading) pairs that pypinyin's phrase dictionary uses, for characters with several."""
    from pypinyin.contrib.tone_convert import to_normal
    from pypinyin.phrases_dict import phrases_dict
    from pypinyin.pinyin_dict import pinyin_dict

    several = {chr(code) for code, readings in pinyin_dict.items() if "," in readings}
    normal = lru_cache(maxsize=None)(to_normal)
    return frozenset((ch, normal(readings[0])) for phrase, phrase_readings in phrases_dict.items()
                     for ch, readings in zip(phrase, phrase_readings, strict=False) if ch in several)


@lru_cache(maxsize=20000)
def _other_readings(ch: str) -> tuple[str, ...]:
    """The readings of one character in use (see the module's docstring), pypinyin's order."""
    from pypinyin import Style, pinyin

    readings = pinyin(ch, style=Style.NORMAL, heteronym=True)[0]
    if len(readings) < 2:
        return tuple(readings)
    used = _used_readings()
    return tuple(r for r in readings if (ch, r) in used) or tuple(readings[:1])


def _primary(text: str) -> list[str]:
    """One reading a character, phrases deciding; anything not Chinese stays itself, lower-case, a character each."""
    readings = [_other_readings(ch) if _han(ch) else (ch.lower(),) for ch in text]
    if all(len(r) == 1 for r in readings):  # no character in doubt: no phrase can change a reading
        return [r[0] for r in readings]
    from pypinyin import Style, lazy_pinyin  # imported on first use: it costs 0.13 s at start-up

    return [s.lower() for s in lazy_pinyin(text, style=Style.NORMAL, errors=lambda x: [c for c in x])]


def _choices(name: str) -> list[list[str]]:
    """Per character of the name (separators dropped): its readings, the name's own first."""
    chars = [ch for ch in name if ch not in SEPARATORS]
    text = "".join(chars)
    if not text:
        return []
    primary = _primary(text)
    if len(primary) != len(chars):  # pypinyin split the text otherwise than by character: read each alone
        primary = [_primary(ch)[0] if _han(ch) else ch.lower() for ch in chars]
    choices = []
    for ch, own in zip(chars, primary, strict=True):
        if not _han(ch):
            choices.append([own])
        else:
            choices.append([own] + [r for r in _other_readings(ch) if r != own])
    if text[:2] in COMPOUND_SURNAMES:
        choices[0], choices[1] = [[r] for r in COMPOUND_SURNAMES[text[:2]]]
    elif text[0] in SURNAME_READINGS:
        choices[0] = list(SURNAME_READINGS[text[0]])
    return choices


def name_readings(name: str) -> list[list[str]]:
    """The readings of a name as syllable lists, its own first, at most MAX_KEYS (fewest changed characters
    first)."""
    choices = _choices(name)
    if not choices:
        return []
    readings = [[c[0] for c in choices]]
    doubtful = [k for k, c in enumerate(choices) if len(c) > 1]
    for changed in range(1, len(doubtful) + 1):  # the name's own reading, then one character read otherwise ...
        for positions in combinations(doubtful, changed):
            for others in product(*(choices[k][1:] for k in positions)):
                if len(readings) == MAX_KEYS:
                    return readings
                reading = list(readings[0])
                for k, other in zip(positions, others, strict=True):
                    reading[k] = other
                readings.append(reading)
    return readings


@lru_cache(maxsize=50000)
def name_keys(name: str) -> tuple[str, str]:
    """Return (initials, full pinyin), lower-case ASCII where the name is Chinese; several readings are separated by
    a space, the name's own first (so the full pinyin still sorts by it)."""
    if not name:
        return "", ""
    initials, full = [], []
    for syllables in name_readings(name):
        i, f = "".join(s[0] for s in syllables if s), "".join(syllables)
        if f not in full:
            full.append(f)
        if i not in initials:
            initials.append(i)
    return " ".join(initials), " ".join(full)
