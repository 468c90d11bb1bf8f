"""Worker killed by the crash tests (test_crash_safety, test_temp_files): works until it is SIGKILLed.

  import DB LEDGER   imports the dispatched list (10,000 rows) again and again, as the office does; prints
                     PREVIEW before reading the list, COMMIT before the backup and the transaction, COMMITTED after
  edits DB           a burst of edits: each transaction sets the same counter on two residents; prints EDITED n
  measure DB LEDGER  how fast this machine is, on a copy of the database: two uninterrupted imports (the first
                     adds the rows, the second updates them) and 20 edits; prints TIMES and the seconds of each
                     part: preview, commit (first import), preview, commit (second), one edit
  export OUT ROWS    writes a workbook of ROWS residents' rows to OUT (ROWS 0: rows without end); prints
                     ROWS n every 1,000 rows and SAVING once the rows are all written (the save follows)
"""
import sys
import time

from community_desk.core import session
from community_desk.core.db import open_database, transaction
from community_desk.core.excel import ledger_import, ledger_preview
from community_desk.core.queries import residents


def import_ledger(path: str) -> tuple[float, float]:
    """One import, with its phases said on stdout; returns the seconds of the preview and of the commit."""
    started = time.perf_counter()
    print("PREVIEW", flush=True)
    result = ledger_preview.preview(path)
    previewed = time.perf_counter()
    print("COMMIT", flush=True)
    ledger_import.commit(result, again=True)  # the second import of the same file times an update
    print("COMMITTED", flush=True)
    return previewed - started, time.perf_counter() - previewed


def edit_pair(counter: int) -> None:
    with transaction():
        for rid in (1, 2):
            form = residents.get_form(rid)
            form["notes"] = f"第{counter}次修改"
            residents.save(form, rid)


def export(out: str, count: int) -> None:
    from community_desk.core.excel.house_style import ReportMeta, Sheet, write_workbook

    def rows():
        n = 0
        while not count or n < count:
            n += 1
            yield (n, "王伟", f"110111{19500101 + n % 9000:08d}{n % 10000:04d}"[:18], "13800138000", "3号楼2单元501")
        print("SAVING", flush=True)

    def progress(n: int) -> bool:
        print(f"ROWS {n}", flush=True)
        return True

    sheet = Sheet("居民", "居民台账", ["序号", "姓名", "身份证号", "联系电话", "现居住地址"], rows())
    write_workbook(out, [sheet], ReportMeta("原乡小镇社区居委会", "张敏"), progress)
    print("DONE", flush=True)


def main() -> None:
    mode, path = sys.argv[1], sys.argv[2]
    session.current = session.Session(user="测试员")
    if mode == "export":
        print("READY", flush=True)
        export(path, int(sys.argv[3]))
        return
    open_database(path)
    print("READY", flush=True)
    if mode == "measure":
        times = [*import_ledger(sys.argv[3]), *import_ledger(sys.argv[3])]
        started = time.perf_counter()
        for n in range(20):
            edit_pair(n)
        print("TIMES", *(f"{t:.4f}" for t in (*times, (time.perf_counter() - started) / 20)), flush=True)
        return
    n = 0
    while True:
        n += 1
        if mode == "import":
            import_ledger(sys.argv[3])
        else:
            edit_pair(n)
            print(f"EDITED {n}", flush=True)


if __name__ == "__main__":
    main()
