"""What every search box shares: the typed text folded the way the search keys are stored, and GLOB patterns."""
from __future__ import annotations

from ..rules.text import to_halfwidth


def normalize_query(text: str) -> str:
    """'王 洋' -> '王洋', '１３８-0013' -> '1380013', 'WY' -> 'wy' (the keys are lower-case, without spaces or dashes)."""
    return "".join(to_halfwidth(text).lower().split()).replace("-", "")


def glob_escape(text: str) -> str:
    """Text matched literally inside a GLOB pattern ([, * and ? are GLOB's own)."""
    return text.replace("[", "[[]").replace("*", "[*]").replace("?", "[?]")


def contains(text: str) -> str:
    return "*" + glob_escape(text) + "*"


def starts_with(text: str) -> str:
    return glob_escape(text) + "*"
