"""Worker killed by test_crash_safety: writes in transactions until it is SIGKILLed.

  import DB   repeatedly writes 10,000 residents in one transaction (as an import does)
  edits DB    a burst of edits: each transaction sets the same counter on two residents
"""
import datetime as dt
import os
import sys

from community_desk.core import session
from community_desk.core.db import open_database, transaction
from community_desk.core.models import db_proxy
from community_desk.core.queries import residents


def bulk_import(batch: int) -> None:
    now = dt.datetime.now().isoformat()
    tag = f"bulk-{os.getpid()}-{batch}"
    rows = [(now, now, f"导入{batch}-{i}", 1, tag) for i in range(10_000)]
    with transaction():
        db_proxy.cursor().executemany(
            "INSERT INTO resident (created_at, updated_at, name, community_id, notes) VALUES (?,?,?,?,?)", rows)


def edit_pair(counter: int) -> None:
    with transaction():
        for rid in (1, 2):
            form = residents.get_form(rid)
            form["notes"] = f"第{counter}次修改"
            residents.save(form, rid)


def main() -> None:
    mode, path = sys.argv[1], sys.argv[2]
    open_database(path)
    session.current = session.Session(user="测试员")
    print("READY", flush=True)
    n = 0
    while True:
        n += 1
        bulk_import(n) if mode == "import" else edit_pair(n)


if __name__ == "__main__":
    main()
