"""Both schemas match the models (issue 17): the SQLite file built by its migrations 1…latest and the PostgreSQL
database built by its baseline and steps have, for every model, the same columns with the same kind of type,
nullability and constant default, and the same indexes (columns and uniqueness). Each engine is read from its own
catalogue, not from peewee's models, so a migration that forgets a column, a default or an index fails here."""
from __future__ import annotations

import os

import pytest

from community_desk.core.db import close_database, model_classes, open_database

PG_URL = os.environ.get("COMMUNITY_DESK_TEST_PG", "")
# the search's own indexes on the server (trigram: a GIN index, not compared; the name-order walk, migration 21)
SERVER_ONLY_INDEXES = {"resident_search_walk"}

# peewee field type -> the kind each engine's catalogue names
KINDS = {"AUTO": "integer", "INT": "integer", "BIGINT": "integer", "VARCHAR": "text", "TEXT": "text",
         "DATE": "date", "DATETIME": "timestamp", "BOOL": "boolean", "FLOAT": "real", "DOUBLE": "real",
         "BLOB": "blob", "DECIMAL": "real"}
SQLITE_KINDS = {"INTEGER": "integer", "VARCHAR": "text", "TEXT": "text", "DATE": "date", "DATETIME": "timestamp",
                "REAL": "real", "BLOB": "blob", "BOOLEAN": "boolean", "DECIMAL": "real"}
PG_KINDS = {"integer": "integer", "bigint": "integer", "character varying": "text", "text": "text", "date": "date",
            "timestamp without time zone": "timestamp", "boolean": "boolean", "real": "real",
            "double precision": "real", "numeric": "real", "bytea": "blob"}


def _default(value) -> str | None:
    """A constant default as comparable text: None for none or a callable one (peewee fills those in)."""
    if value is None or callable(value):
        return None
    if isinstance(value, bool):
        return "1" if value else "0"
    return str(value)


def _sqlite_default(text):
    if text is None:
        return None
    text = str(text).strip()
    if text.upper() in ("TRUE", "FALSE"):
        return "1" if text.upper() == "TRUE" else "0"
    if text.startswith("'") and text.endswith("'"):
        return text[1:-1].replace("''", "'")
    return text.strip("()")


def _pg_default(text):
    if text is None or text.startswith("nextval("):
        return None
    if text in ("true", "false"):
        return "1" if text == "true" else "0"
    if text.startswith("'"):
        return text[1:text.rindex("'")].replace("''", "'")
    return text


def _normal_number(text):
    try:
        return str(float(text)) if text is not None and "." in text else text
    except ValueError:
        return text


def sqlite_schema(tmp_path) -> dict:
    db = open_database(tmp_path / "schema.db")
    try:
        out = {}
        for model in model_classes():
            table = model._meta.table_name
            columns = {}
            for _cid, name, kind, notnull, default, pk in db.execute_sql(f'PRAGMA table_info("{table}")'):
                base = kind.split("(")[0].upper()
                columns[name] = (SQLITE_KINDS.get(base, base), bool(notnull or pk),
                                 _normal_number(_sqlite_default(default)))
            indexes = set()
            for _seq, name, unique, origin, _partial in db.execute_sql(f'PRAGMA index_list("{table}")'):
                if origin == "pk":
                    continue
                cols = tuple(r[2] for r in db.execute_sql(f'PRAGMA index_info("{name}")'))
                indexes.add((cols, bool(unique)))
            out[table] = (columns, indexes)
        return out
    finally:
        close_database()


def pg_schema() -> dict:
    import psycopg

    with psycopg.connect(PG_URL, autocommit=True) as conn:
        conn.execute("DROP SCHEMA public CASCADE")
        conn.execute("CREATE SCHEMA public")
    db = open_database(PG_URL)
    try:
        out = {}
        for model in model_classes():
            table = model._meta.table_name
            columns = {}
            for name, kind, nullable, default in db.execute_sql(
                    "SELECT column_name, data_type, is_nullable, column_default FROM information_schema.columns "
                    "WHERE table_schema = 'public' AND table_name = ?", (table,)):
                columns[name] = (PG_KINDS.get(kind, kind), nullable == "NO" or name == model._meta.primary_key.column_name,
                                 _normal_number(_pg_default(default)))
            indexes = set()
            for name, unique, primary, cols in db.execute_sql(
                    "SELECT i.relname, ix.indisunique, ix.indisprimary, "
                    "ARRAY(SELECT a.attname FROM unnest(ix.indkey) WITH ORDINALITY k(attnum, n) "
                    "JOIN pg_attribute a ON a.attrelid = ix.indrelid AND a.attnum = k.attnum ORDER BY k.n) "
                    "FROM pg_index ix JOIN pg_class i ON i.oid = ix.indexrelid JOIN pg_class t ON t.oid = ix.indrelid "
                    "JOIN pg_am am ON am.oid = i.relam "
                    "WHERE t.relname = ? AND ix.indexprs IS NULL AND am.amname = 'btree'", (table,)):
                if not primary and name not in SERVER_ONLY_INDEXES:
                    indexes.add((tuple(cols), bool(unique)))
            out[table] = (columns, indexes)
        return out
    finally:
        close_database()


def model_schema() -> dict:
    out = {}
    for model in model_classes():
        columns = {}
        for field in model._meta.sorted_fields:
            target = field.rel_field if hasattr(field, "rel_field") else field
            kind = KINDS[target.field_type] if target.field_type != "AUTO" else "integer"
            columns[field.column_name] = (kind, not field.null or field.primary_key,
                                          _normal_number(_default(field.default)))
        out[model._meta.table_name] = columns
    return out


def _compare(engine: str, found: dict, models: dict, boolean_as: str) -> list[str]:
    problems = []
    for table, columns in models.items():
        have = found[table][0]
        for name, (kind, not_null, default) in columns.items():
            if name not in have:
                problems.append(f"{engine}: {table}.{name} is missing")
                continue
            want_kind = boolean_as if kind == "boolean" else kind
            got_kind, got_not_null, got_default = have[name]
            if got_kind != want_kind:
                problems.append(f"{engine}: {table}.{name} is {got_kind}, the model says {want_kind}")
            if got_not_null != not_null:
                problems.append(f"{engine}: {table}.{name} NOT NULL is {got_not_null}, the model says {not_null}")
            if default is not None and got_default != default:
                problems.append(f"{engine}: {table}.{name} default {got_default!r}, the model says {default!r}")
        for name in set(have) - set(columns):
            problems.append(f"{engine}: {table}.{name} is not in the model")
    return problems


def test_the_sqlite_migrations_make_the_models_schema(tmp_path):
    problems = _compare("SQLite", sqlite_schema(tmp_path), model_schema(), boolean_as="integer")
    assert problems == []


@pytest.mark.skipif(not PG_URL, reason=os.environ.get("COMMUNITY_DESK_TEST_PG_SKIP")
                    or "COMMUNITY_DESK_TEST_PG is not set: no PostgreSQL for this run")
def test_both_engines_have_the_same_schema(tmp_path):
    """The PostgreSQL schema has every column of the models with the same type, nullability and default, and the
    same indexes as the SQLite file (besides the trigram index the search uses on the server)."""
    models = model_schema()
    sqlite = sqlite_schema(tmp_path)
    server = pg_schema()
    assert _compare("PostgreSQL", server, models, boolean_as="boolean") == []
    differing = {table: (sorted(sqlite[table][1] - server[table][1]), sorted(server[table][1] - sqlite[table][1]))
                 for table in models if sqlite[table][1] != server[table][1]}
    assert differing == {}
