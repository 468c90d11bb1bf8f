"""`--smoke`: start the real program on a fresh database, open the main window, show every page, exit.

Used to check a built program (PyInstaller) and an installation: it needs no display when
QT_QPA_PLATFORM=offscreen (app.py sets that when there is no display), writes nothing outside a temporary
folder unless --db is given, and exits 0 when the window opened, 1 with the error otherwise.

A windowed build (PyInstaller without a console) has no stdout to print to: there the result (what would have been
printed, the traceback of a failure, the exit code) goes to RESULT_NAME beside the database given by --db, else in
the system temp folder (%TEMP% on Windows).
"""
from __future__ import annotations

import io
import sys
import tempfile
import time
import traceback
from contextlib import redirect_stderr, redirect_stdout
from datetime import datetime
from pathlib import Path

RESULT_NAME = "smoke-result.txt"


def has_console() -> bool:
    """False in a windowed build, which has no stdout at all. A frozen program started with its output captured (a
    pipe, a file: not a terminal) still writes there, as a check by a script expects."""
    return sys.stdout is not None


def result_path(db: Path | None) -> Path:
    folder = Path(db).expanduser().resolve().parent if db else Path(tempfile.gettempdir())
    return folder / RESULT_NAME


def run_smoke(db: Path | None = None) -> int:
    """The smoke check; without a console its output is written to result_path(db) instead."""
    if has_console():
        return _run_smoke(db)
    from ..core.atomic import write_text

    buffer = io.StringIO()
    with redirect_stdout(buffer), redirect_stderr(buffer):
        try:
            code = _run_smoke(db)
        except BaseException:  # noqa: BLE001 - whatever it was, the file says it
            traceback.print_exc()
            code = 1
    text = f"{datetime.now():%Y-%m-%d %H:%M:%S} community-desk --smoke\n{buffer.getvalue()}exit code {code}\n"
    try:
        write_text(result_path(db), text)
    except OSError:
        pass
    return code


def _settle(app, seconds: float = 0.3) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.01)


def library_checks(folder: Path) -> list[str]:
    """What a frozen build most easily loses: pinyin data, Excel write (openpyxl) and read (calamine), PDF
    printing (QtPrintSupport with a CJK font). Returns one line per check; raises when one fails."""
    import python_calamine

    from ..core.excel.house_style import Sheet, write_workbook
    from ..core.reports import ReportMeta
    from ..core.rules.pinyin import name_keys
    from .printing import TableSheet, write_pdf

    keys = name_keys("张敏")
    if "zm" not in keys:
        raise RuntimeError(f"拼音检索键不对：{keys}")
    xlsx = folder / "smoke.xlsx"
    write_workbook(xlsx, [Sheet("居民", "居民台账", ["姓名", "身份证号"], [("张敏", "110111195603120011")])],
                   ReportMeta("长阳镇原乡小镇社区居委会", "张敏"))
    rows = python_calamine.CalamineWorkbook.from_path(str(xlsx)).get_sheet_by_index(0).to_python()
    if not any("张敏" in [str(v) for v in row] for row in rows):
        raise RuntimeError("写出的Excel读不回来")
    pages = write_pdf(TableSheet("居民台账", ["姓名"], [("张敏",)]), folder / "smoke.pdf")
    return [f"拼音 {keys}", f"Excel 写入并读回 {len(rows)} 行", f"PDF {pages} 页"]


def _run_smoke(db: Path | None = None) -> int:
    from PySide6.QtCore import QSettings

    from ..core import session, vocabulary
    from ..core.db import close_database
    from ..core.startup import open_checked

    with tempfile.TemporaryDirectory(prefix="desk-smoke-") as tmp:
        QSettings.setDefaultFormat(QSettings.Format.IniFormat)
        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(Path(tmp) / "settings"))
        path = Path(db) if db else Path(tmp) / "smoke.db"
        try:
            from .bootstrap import make_application, missing_font_message
            from .main_window import MainWindow
            from .tasks import wait_all

            app = make_application([sys.argv[0]])
            font_message = missing_font_message()
            if font_message:  # reported, not shown: a smoke start never waits for a click
                print(font_message)
            open_checked(path, daily_backup=False)
            session.current = session.Session(user=session.default_user(), role=vocabulary.ROLE_ADMIN)
            window = MainWindow()
            window.show()
            _settle(app)
            for row in range(len(window.pages)):
                window.nav.setCurrentRow(row)
                _settle(app, 0.1)
            from .dialogs.help import MANUAL, show_help

            if not MANUAL.exists():
                print(f"smoke failed: 使用说明缺失 {MANUAL}", file=sys.stderr)
                return 1
            show_help(window).close()
            checks = library_checks(Path(tmp))
            titles = "、".join(p.title for p in window.pages)
            window.close()
            wait_all()
            _settle(app, 0.1)
            print(f"smoke ok: 主窗口已打开（{len(window.pages)} 个页面：{titles}），数据库 {path}；"
                  + "，".join(checks))
            return 0
        except Exception:  # noqa: BLE001 - report whatever broke the start, then fail
            traceback.print_exc()
            return 1
        finally:
            close_database()
