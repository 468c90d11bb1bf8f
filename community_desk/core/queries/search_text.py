"""What every search box shares: the typed text folded the way the search keys are stored, GLOB patterns,
and LIKE patterns in which the typed % and _ match themselves."""
from __future__ import annotations

from peewee import OP, SQL, Expression, NodeList, Value

from ..dialect import is_postgres
from ..rules.text import to_halfwidth

# Put after every `LIKE ?` whose pattern comes from like_contains (SQL: ESCAPE '\').
LIKE_ESCAPE = "ESCAPE '\\'"


def normalize_query(text: str) -> str:
    """'王 洋' -> '王洋', '１３８-0013' -> '1380013', 'WY' -> 'wy' (the keys are lower-case, without spaces or dashes)."""
    return "".join(to_halfwidth(text).lower().split()).replace("-", "")


def glob_escape(text: str) -> str:
    """Text matched literally inside a GLOB pattern ([, * and ? are GLOB's own)."""
    return text.replace("[", "[[]").replace("*", "[*]").replace("?", "[?]")


def _like_escape(text: str) -> str:
    """Text matched literally by PostgreSQL's LIKE (its escape character is a backslash by default)."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def contains(text: str) -> str:
    """The pattern for dialect.glob(column): GLOB's '*text*' on SQLite, LIKE's '%text%' on PostgreSQL."""
    if is_postgres():
        return like_contains(text)
    return "*" + glob_escape(text) + "*"


def starts_with(text: str) -> str:
    if is_postgres():
        return _like_escape(text) + "%"
    return glob_escape(text) + "*"


def later_word_starts_with(text: str) -> str:
    """The pattern for dialect.glob(column): a space-separated word after the first starts with text ('wcc wzc'
    holds every reading of a name): GLOB's '* text*' on SQLite, LIKE's '% text%' on PostgreSQL."""
    return ("% " if is_postgres() else "* ") + starts_with(text)


def like_contains(text: str) -> str:
    """'%text%' for `LIKE ? ESCAPE '\\'`: a typed '100%' or '_' finds only those characters, not anything."""
    return "%" + _like_escape(text) + "%"


def like_any(columns: list[str]) -> str:
    """'a LIKE ? ESCAPE '\\' OR b LIKE ? ...' for raw SQL: one placeholder a column, each bound to like_contains.
    Latin letters match either case on both engines (SQLite's LIKE; PostgreSQL's ILIKE)."""
    like = "ILIKE" if is_postgres() else "LIKE"
    return " OR ".join(f"{column} {like} ? {LIKE_ESCAPE}" for column in columns)


def field_contains(field, text: str) -> Expression:
    """The peewee condition `field LIKE '%text%' ESCAPE '\\'` (case-insensitive for Latin letters, as LIKE is)."""
    return Expression(field, OP.ILIKE, NodeList((Value(like_contains(text), converter=False), SQL(LIKE_ESCAPE))))


def order_term(expression: str, descending: bool = False) -> str:
    """`expression` for ORDER BY with empty values (NULL) where SQLite puts them, said for both engines: first going
    up, last going down (PostgreSQL's own default is the other way round). An expression written with ' DESC' (age:
    the latest birth date first) runs the other way when `descending`. SQLite's plan is the same with the words."""
    if expression.endswith(" DESC"):
        expression, descending = expression[:-5], not descending
    return f"{expression} DESC NULLS LAST" if descending else f"{expression} NULLS FIRST"
