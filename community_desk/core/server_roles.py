"""Roles in the server (issue 18): what each staff account may do is decided by PostgreSQL, not by the program.

Migration 19 (core/migrations/postgres.py) runs `apply`:

- Three group roles without login: `desk_admin` (a member of `desk_staff`, plus account management),
  `desk_staff` (reads and writes the tables, except the password hashes of staff_account and the audit log's
  "user" and time) and `desk_readonly` (the masked views in schema `desk_ro` only). Each staff account is a login
  role in one of them (core/server_login.py); `desk_gate` is the one role every PC may log in as before its person
  has: it may only call the login functions below.
- The views of `desk_ro` have the tables' names and columns, with ID numbers as 110111********1234, phones as
  138****5678 (desk_mask_id / desk_mask_phone: core/rules/masking.py's rules in SQL; in the audit log's text the
  same shapes wherever they appear), digit runs taken out of the search keys and no password hashes. A read-only login role has `search_path = desk_ro, public`, so the program's
  unchanged queries read the views; `public.resident` answers "permission denied" to any client.
- The audit log's "user" is the staff name of `session_user` (a trigger): a modified client cannot write another
  person's name. The log is insert-only for clients (retention may blank a line's summary and changes).
- The lock-out on the server: `desk_login_failed(username)` counts a wrong password (called through `desk_gate`
  after the server refused a login) and at `max_failures` sets the login role `VALID UNTIL '-infinity'`, so the
  server refuses even the right password; `desk_login_check(username)`, called before every login, says how long a
  lock still lasts and, once it has passed, gives the role `VALID UNTIL 'infinity'` again. `desk_login_rules` holds
  the number and the seconds (accounts.MAX_FAILURES and LOCK_MINUTES, as in a file; tests shorten them). Both
  answer alike for a name that is no account.
- `desk_login_ok()`, called by the login role once connected, clears the count, records the login and returns the
  account with the role its group gives. `desk_account_login(username, group, active, verifier)`, for desk_admin,
  creates or changes an account's login role; it takes the password as a SCRAM verifier only (the plain password
  never reaches the server, its logs or pg_stat_activity).

Role names come from user names in one place, `desk_login_role(username)`: `desk_u_<name>` for a plain lower-case
identifier, else `desk_h_` and 24 hex digits of its SHA-256 (Chinese names, capitals, spaces). `grant_roles`
(re)makes the grants and views from the tables there are: a later migration that adds a table calls it again.
"""
from __future__ import annotations

from peewee import Database

from . import vocabulary

GROUPS = {vocabulary.ROLE_ADMIN: "desk_admin", vocabulary.ROLE_STAFF: "desk_staff",
          vocabulary.ROLE_READ_ONLY: "desk_readonly"}
GATE_ROLE = "desk_gate"
GATE_PASSWORD = "community-desk-gate"  # not a secret: the gate may only call the login functions
READ_ONLY_SCHEMA = "desk_ro"
PRIVATE_TABLES = ("desk_login_guard", "desk_login_rules")  # the lock-out's state: the owner's (and pg_dump's)
ID_COLUMNS = ("id_number",)
PHONE_COLUMNS = ("phone", "contact_phone")
SEARCH_COLUMNS = ("text", "search_text")  # search keys: names, pinyin, ID numbers and phones run together
TEXT_COLUMNS = {"audit_log": ("summary", "changes")}  # free text that may quote an ID number or a phone

_ROLES_SQL = """
DO $$
DECLARE
    name text;
BEGIN
    -- roles are the cluster's: another database may be making them at this moment (its advisory lock is its own)
    FOREACH name IN ARRAY ARRAY['desk_staff', 'desk_readonly', 'desk_admin'] LOOP
        IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = name) THEN
            BEGIN
                EXECUTE format('CREATE ROLE %I NOLOGIN', name);
            EXCEPTION WHEN duplicate_object OR unique_violation THEN
                NULL;
            END;
        END IF;
    END LOOP;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'desk_gate') THEN
        BEGIN
            CREATE ROLE desk_gate LOGIN PASSWORD '{gate_password}';
        EXCEPTION WHEN duplicate_object OR unique_violation THEN
            NULL;
        END;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_auth_members WHERE roleid = 'desk_staff'::regrole
                   AND member = 'desk_admin'::regrole) THEN
        GRANT desk_staff TO desk_admin;
    END IF;
END
$$"""

_FUNCTIONS_SQL = [
    """CREATE OR REPLACE FUNCTION desk_login_role(username text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
        SELECT CASE WHEN username ~ '^[a-z0-9_]{1,40}$' THEN 'desk_u_' || username
                    ELSE 'desk_h_' || left(encode(sha256(convert_to(username, 'UTF8')), 'hex'), 24) END
    $$""",
    """CREATE OR REPLACE FUNCTION desk_mask_id(v text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
        SELECT CASE WHEN v IS NULL OR position('*' IN v) > 0 OR length(v) <= 4 THEN v
                    WHEN length(v) > 10 THEN left(v, 6) || repeat('*', length(v) - 10) || right(v, 4)
                    ELSE repeat('*', length(v) - 4) || right(v, 4) END
    $$""",
    """CREATE OR REPLACE FUNCTION desk_mask_phone(v text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
        SELECT CASE WHEN v IS NULL OR position('*' IN v) > 0 THEN v
                    WHEN length(v) = 11 AND v ~ '^[0-9]+$' THEN left(v, 3) || '****' || right(v, 4)
                    WHEN length(v) > 4 THEN left(v, length(v) - 4) || '****'
                    ELSE v END
    $$""",
    # ID numbers and mobile numbers inside free text (the audit log's summaries and changes), masked in place
    """CREATE OR REPLACE FUNCTION desk_mask_text(v text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
        SELECT regexp_replace(regexp_replace(v, '([0-9]{6})[0-9]{8}([0-9]{3}[0-9xX])', '\\1********\\2', 'g'),
                              '(1[0-9]{2})[0-9]{4}([0-9]{4})', '\\1****\\2', 'g')
    $$""",
    """CREATE OR REPLACE FUNCTION desk_mask_search(v text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
        SELECT regexp_replace(v, '[0-9][0-9xX*]{4,}', '', 'g')
    $$""",
    """CREATE TABLE IF NOT EXISTS desk_login_guard (
        name text PRIMARY KEY, failures integer NOT NULL DEFAULT 0, locked_until timestamptz,
        last_failure timestamptz NOT NULL DEFAULT now())""",
    """CREATE TABLE IF NOT EXISTS desk_login_rules (
        one boolean PRIMARY KEY DEFAULT TRUE CHECK (one), max_failures integer NOT NULL, lock_seconds integer NOT NULL)""",
    "INSERT INTO desk_login_rules (max_failures, lock_seconds) VALUES ({max_failures}, {lock_seconds}) "
    "ON CONFLICT DO NOTHING",
    # the staff name of the session's login role; other sessions (the owner's commands) keep the name given
    """CREATE OR REPLACE FUNCTION desk_session_staff() RETURNS text LANGUAGE sql STABLE SECURITY DEFINER
       SET search_path = public, pg_temp AS $$
        SELECT display_name FROM staff_account WHERE desk_login_role(username) = session_user::text
    $$""",
    """CREATE OR REPLACE FUNCTION desk_audit_user() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
       SET search_path = public, pg_temp AS $$
    BEGIN
        IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = session_user)  -- a superuser is a member of all
           AND (pg_has_role(session_user, 'desk_staff', 'MEMBER') OR pg_has_role(session_user, 'desk_readonly', 'MEMBER'))
        THEN
            NEW."user" := COALESCE(desk_session_staff(), session_user::text);
            NEW."at" := localtimestamp;
        END IF;
        RETURN NEW;
    END
    $$""",
    'DROP TRIGGER IF EXISTS "desk_audit_user" ON "audit_log"',
    'CREATE TRIGGER "desk_audit_user" BEFORE INSERT ON "audit_log" FOR EACH ROW EXECUTE FUNCTION desk_audit_user()',
    """CREATE OR REPLACE FUNCTION desk_login_check(username text, OUT login_role text, OUT locked_seconds integer)
       LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
    DECLARE
        guard desk_login_guard;
    BEGIN
        login_role := desk_login_role(username);
        locked_seconds := 0;
        SELECT * INTO guard FROM desk_login_guard WHERE name = username FOR UPDATE;
        IF guard.locked_until IS NULL THEN
            RETURN;
        END IF;
        IF guard.locked_until > clock_timestamp() THEN
            locked_seconds := ceil(extract(epoch FROM guard.locked_until - clock_timestamp()));
            RETURN;
        END IF;
        DELETE FROM desk_login_guard WHERE name = username;
        IF EXISTS (SELECT FROM pg_roles WHERE rolname = login_role) THEN
            EXECUTE format('ALTER ROLE %I VALID UNTIL %L', login_role, 'infinity');
        END IF;
    END
    $$""",
    """CREATE OR REPLACE FUNCTION desk_login_failed(username text, OUT failures integer, OUT locked_seconds integer)
       LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
    DECLARE
        rules desk_login_rules;
        guard desk_login_guard;
        account integer;
        role_name text := desk_login_role(username);
    BEGIN
        SELECT * INTO rules FROM desk_login_rules;
        DELETE FROM desk_login_guard WHERE last_failure < now() - interval '1 day'
            AND (locked_until IS NULL OR locked_until < now());
        INSERT INTO desk_login_guard (name) VALUES (username) ON CONFLICT (name) DO NOTHING;
        SELECT * INTO guard FROM desk_login_guard WHERE name = username FOR UPDATE;
        IF guard.locked_until > clock_timestamp() THEN  -- locked already: not counted again
            failures := 0;
            locked_seconds := ceil(extract(epoch FROM guard.locked_until - clock_timestamp()));
            RETURN;
        END IF;
        failures := CASE WHEN guard.locked_until IS NULL THEN guard.failures + 1 ELSE 1 END;
        locked_seconds := CASE WHEN failures >= rules.max_failures THEN rules.lock_seconds ELSE 0 END;
        UPDATE desk_login_guard SET failures = desk_login_failed.failures, last_failure = now(),
            locked_until = CASE WHEN locked_seconds > 0 THEN clock_timestamp() + locked_seconds * interval '1 second' END
            WHERE name = username;
        IF locked_seconds > 0 AND EXISTS (SELECT FROM pg_roles WHERE rolname = role_name) THEN
            EXECUTE format('ALTER ROLE %I VALID UNTIL %L', role_name, '-infinity');
        END IF;
        SELECT id INTO account FROM staff_account WHERE staff_account.username = desk_login_failed.username;
        IF account IS NOT NULL THEN
            UPDATE staff_account SET failed_attempts = desk_login_failed.failures,
                locked_until = CASE WHEN locked_seconds > 0
                                    THEN localtimestamp + locked_seconds * interval '1 second' END
                WHERE id = account;
            INSERT INTO audit_log ("at", "user", action, "table", record_id, summary, changes)
            VALUES (localtimestamp, '', '登录失败', 'staff_account', account,
                    username || ' 密码错误' || CASE WHEN locked_seconds > 0 THEN '，账号已锁定' ELSE '' END, '{}');
        END IF;
    END
    $$""",
    """CREATE OR REPLACE FUNCTION desk_login_ok(OUT account_id integer, OUT username text, OUT display_name text,
                                                OUT role_group text)
       LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
    BEGIN
        SELECT a.id, a.username, a.display_name INTO account_id, username, display_name
            FROM staff_account a WHERE desk_login_role(a.username) = session_user::text;
        IF account_id IS NULL THEN
            RAISE EXCEPTION 'no staff account for role %', session_user;
        END IF;
        role_group := CASE WHEN pg_has_role(session_user, 'desk_admin', 'MEMBER') THEN 'desk_admin'
                           WHEN pg_has_role(session_user, 'desk_staff', 'MEMBER') THEN 'desk_staff'
                           ELSE 'desk_readonly' END;
        DELETE FROM desk_login_guard WHERE name = username;
        UPDATE staff_account SET failed_attempts = 0, locked_until = NULL, last_login = localtimestamp
            WHERE id = account_id;
        INSERT INTO audit_log ("at", "user", action, "table", record_id, summary, changes)
            VALUES (localtimestamp, display_name, '登录', 'staff_account', account_id, display_name || ' 登录', '{}');
    END
    $$""",
    """CREATE OR REPLACE FUNCTION desk_account_login(username text, role_group text, active boolean,
                                                     verifier text DEFAULT NULL) RETURNS text
       LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
    DECLARE
        role_name text := desk_login_role(username);
        other text;
    BEGIN
        IF role_group NOT IN ('desk_admin', 'desk_staff', 'desk_readonly') THEN
            RAISE EXCEPTION 'not a group of Community Desk: %', role_group;
        END IF;
        IF verifier IS NOT NULL AND verifier NOT LIKE 'SCRAM-SHA-256$%' THEN
            RAISE EXCEPTION 'the password must come as a SCRAM-SHA-256 verifier';
        END IF;
        IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = role_name) THEN
            IF verifier IS NULL THEN
                RAISE EXCEPTION 'a new login role needs a password';
            END IF;
            BEGIN
                EXECUTE format('CREATE ROLE %I NOLOGIN', role_name);
            EXCEPTION WHEN duplicate_object OR unique_violation THEN  -- made by another database's account
                NULL;
            END;
        END IF;
        EXECUTE CASE WHEN active THEN format('ALTER ROLE %I LOGIN', role_name)
                     ELSE format('ALTER ROLE %I NOLOGIN', role_name) END;
        IF verifier IS NOT NULL THEN
            EXECUTE format('ALTER ROLE %I PASSWORD %L VALID UNTIL %L', role_name, verifier, 'infinity');
            DELETE FROM desk_login_guard WHERE name = username;
        END IF;
        FOREACH other IN ARRAY ARRAY['desk_admin', 'desk_staff', 'desk_readonly'] LOOP
            IF other <> role_group AND EXISTS (SELECT FROM pg_auth_members
                    WHERE roleid = other::regrole AND member = role_name::regrole) THEN
                EXECUTE format('REVOKE %I FROM %I', other, role_name);
            END IF;
        END LOOP;
        IF NOT EXISTS (SELECT FROM pg_auth_members WHERE roleid = role_group::regrole AND member = role_name::regrole)
        THEN
            EXECUTE format('GRANT %I TO %I', role_group, role_name);
        END IF;
        IF role_group = 'desk_readonly' THEN
            EXECUTE format('ALTER ROLE %I SET search_path = desk_ro, public', role_name);
        ELSE
            EXECUTE format('ALTER ROLE %I RESET search_path', role_name);
        END IF;
        RETURN role_name;
    END
    $$""",
    """CREATE OR REPLACE FUNCTION desk_server_state(OUT version integer, OUT has_accounts boolean)
       LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
        SELECT (SELECT MAX(version) FROM schema_version), EXISTS (SELECT FROM staff_account)
    $$""",
]

# who may call which function; EXECUTE is taken from PUBLIC first (a function is everyone's by default)
_CALLERS = {
    "desk_login_check(text)": (GATE_ROLE,), "desk_login_failed(text)": (GATE_ROLE,),
    "desk_server_state()": (GATE_ROLE, "desk_staff", "desk_readonly"),
    "desk_login_ok()": ("desk_staff", "desk_readonly"), "desk_account_login(text, text, boolean, text)": ("desk_admin",),
    "desk_session_staff()": ("desk_staff", "desk_readonly"),
}


def apply(db: Database) -> None:
    """Migration 19 on PostgreSQL: the roles, the functions, the trigger, the grants and the views. Idempotent."""
    from .queries.accounts import LOCK_MINUTES, MAX_FAILURES  # the file's rule, the same on the server

    db.execute_sql(_ROLES_SQL.replace("{gate_password}", GATE_PASSWORD))
    for sql in _FUNCTIONS_SQL:
        db.execute_sql(sql.replace("{max_failures}", str(MAX_FAILURES))
                       .replace("{lock_seconds}", str(LOCK_MINUTES * 60)))
    for function, callers in _CALLERS.items():
        db.execute_sql(f"REVOKE ALL ON FUNCTION {function} FROM PUBLIC")
        db.execute_sql(f"GRANT EXECUTE ON FUNCTION {function} TO {', '.join(callers)}")
    grant_roles(db)


def _columns(db: Database, table: str) -> list[tuple[str, str]]:
    return db.execute_sql(
        "SELECT a.attname, format_type(a.atttypid, a.atttypmod) FROM pg_attribute a "
        "WHERE a.attrelid = ('public.' || quote_ident(?))::regclass AND a.attnum > 0 AND NOT a.attisdropped "
        "ORDER BY a.attnum", (table,)).fetchall()


def _view_column(table: str, column: str, kind: str) -> str:
    quoted = _ident(column)
    if table == "staff_account" and column == "password_hash":
        return f"CAST('' AS {kind}) AS {quoted}"
    for names, function in ((ID_COLUMNS, "desk_mask_id"), (PHONE_COLUMNS, "desk_mask_phone"),
                            (SEARCH_COLUMNS, "desk_mask_search"), (TEXT_COLUMNS.get(table, ()), "desk_mask_text")):
        if column in names:
            return f"CAST({function}({quoted}) AS {kind}) AS {quoted}"
    return quoted


def _ident(name: str) -> str:
    """A table's or column's name quoted for SQL (as psycopg.sql.Identifier would; the names come from the catalogue)."""
    return '"' + name.replace('"', '""') + '"'


def _quoted(columns) -> str:
    return ", ".join(_ident(name) for name in columns)


def grant_roles(db: Database) -> None:
    """The groups' rights on every table of schema public, and the masked views of desk_ro, made afresh."""
    tables = [t for (t,) in db.execute_sql(
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename").fetchall()]
    db.execute_sql("REVOKE CREATE ON SCHEMA public FROM PUBLIC")  # PostgreSQL before 15 let everyone create there
    db.execute_sql("GRANT USAGE ON SCHEMA public TO desk_staff, desk_readonly, desk_gate")
    db.execute_sql(f"CREATE SCHEMA IF NOT EXISTS {READ_ONLY_SCHEMA}")
    db.execute_sql(f"REVOKE ALL ON SCHEMA {READ_ONLY_SCHEMA} FROM PUBLIC")
    db.execute_sql(f"GRANT USAGE ON SCHEMA {READ_ONLY_SCHEMA} TO desk_readonly")
    for table in tables:
        name = _ident(table)
        db.execute_sql(f'REVOKE ALL ON {name} FROM desk_admin, desk_staff, desk_readonly, desk_gate')
        columns = [column for column, _kind in _columns(db, table)]
        if table in PRIVATE_TABLES:
            db.execute_sql(f'GRANT SELECT ON {name} TO desk_admin')
        elif table == "schema_version":
            db.execute_sql('GRANT SELECT ON "schema_version" TO desk_staff, desk_readonly')
        elif table == "staff_account":  # the hash column: the administrators' only (empty in server mode)
            shown = _quoted(c for c in columns if c != "password_hash")
            db.execute_sql(f'GRANT SELECT ({shown}) ON "staff_account" TO desk_staff')
            db.execute_sql('GRANT SELECT, INSERT, UPDATE ON "staff_account" TO desk_admin')
        elif table == "audit_log":  # lines are added (their user and time the trigger's), never changed, except
            # that retention blanks the summary and changes of expired records
            db.execute_sql('GRANT SELECT, INSERT, UPDATE ("summary", "changes") ON "audit_log" TO desk_staff')
        else:
            db.execute_sql(f'GRANT SELECT, INSERT, UPDATE, DELETE ON {name} TO desk_staff')
        if table in PRIVATE_TABLES or table == "schema_version":
            continue  # the read-only role reads schema_version in public, the lock-out's tables not at all
        shown = ", ".join(_view_column(table, column, kind) for column, kind in _columns(db, table))
        db.execute_sql(f'DROP VIEW IF EXISTS {READ_ONLY_SCHEMA}.{name}')
        db.execute_sql(f'CREATE VIEW {READ_ONLY_SCHEMA}.{name} AS SELECT {shown} FROM public.{name}')
        db.execute_sql(f'GRANT SELECT ON {READ_ONLY_SCHEMA}.{name} TO desk_readonly')
    db.execute_sql("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO desk_staff")
