"""core.faults names the machine's faults in Chinese, through peewee's wrapping, and leaves bugs alone."""
import errno
import sqlite3

import peewee
import pytest

from community_desk.core import faults


def test_sqlite_faults_are_named_through_peewee(tmp_path):
    db_path = tmp_path / "a.db"
    holder = sqlite3.connect(db_path, isolation_level=None)
    holder.execute("CREATE TABLE t (x)")
    holder.execute("BEGIN IMMEDIATE")
    holder.execute("INSERT INTO t VALUES (1)")
    db = peewee.SqliteDatabase(str(db_path), pragmas={"busy_timeout": 50})
    with pytest.raises(peewee.OperationalError) as caught:
        db.execute_sql("INSERT INTO t VALUES (2)")
    assert faults.describe_fault(caught.value) == faults.DATABASE_BUSY
    holder.execute("ROLLBACK")
    holder.close()
    db.close()


@pytest.mark.parametrize(("exc", "expected"), [
    (OSError(errno.ENOSPC, "No space left on device"), faults.DISK_FULL),
    (sqlite3.OperationalError("database or disk is full"), faults.DISK_FULL),
    (sqlite3.OperationalError("attempt to write a readonly database"), faults.NO_WRITE_PERMISSION),
    (PermissionError(errno.EACCES, "Permission denied"), faults.NO_WRITE_PERMISSION),
    (IsADirectoryError(errno.EISDIR, "Is a directory"), faults.IS_A_FOLDER),
    (faults.EnvironmentFault("说明"), "说明"),
])
def test_faults_named(exc, expected):
    assert faults.describe_fault(exc) == expected


def test_lxml_write_errors_are_named():
    """openpyxl writes its sheets through lxml when lxml is installed: a full disk is then lxml's IO_ENOSPC."""
    from lxml import etree

    with pytest.raises(etree.SerialisationError) as caught:
        with etree.xmlfile("/dev/full") as xf, xf.element("sheetData"):
            for _ in range(100_000):
                xf.write(etree.Element("row"))
    assert faults.describe_fault(caught.value) == faults.DISK_FULL


def test_a_wrapped_cause_is_found():
    try:
        try:
            raise OSError(errno.ENOSPC, "full")
        except OSError as inner:
            raise RuntimeError("export failed") from inner
    except RuntimeError as outer:
        assert faults.describe_fault(outer) == faults.DISK_FULL


@pytest.mark.parametrize("exc", [ValueError("bug"), KeyError("x"), sqlite3.IntegrityError("UNIQUE constraint failed")])
def test_bugs_are_not_faults(exc):
    assert faults.describe_fault(exc) is None
