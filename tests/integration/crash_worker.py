"""Worker killed by test_crash_safety: writes in transactions until it is SIGKILLed.

  import DB LEDGER   imports the dispatched list (10,000 rows) again and again, as the office does
  edits DB           a burst of edits: each transaction sets the same counter on two residents
"""
import sys

from community_desk.core import session
from community_desk.core.db import open_database, transaction
from community_desk.core.excel import ledger_import
from community_desk.core.queries import residents


def import_ledger(path: str) -> None:
    ledger_import.commit(ledger_import.preview(path))


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
        import_ledger(sys.argv[3]) if mode == "import" else edit_pair(n)


if __name__ == "__main__":
    main()
