"""Pictures for the user manual (resources/manual/images/*.png), taken from the real program with demo data.

Called by tools/screenshots.py (`make screenshots`) with the main window open on a demo database. Each
picture is at most WIDTH pixels wide (PNG); printed sheets are rendered from the real PDF with pdftoppm.
"""
from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QApplication, QWidget

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "resources" / "manual" / "images"
WIDTH = 1000
# The pictures index.html shows; tests check that each one exists.
NAMES = ("main_window", "import_preview", "quarantine_today", "case_tests", "release", "cleaning_roster",
         "gate_roster", "backups", "accounts")
# One printed page of each sheet (section 打印的表格), made by `main.py pdf WHAT` as a person or a batch would.
PRINT_SHEETS = {"print_residents": ["residents"], "print_quarantine_day": ["quarantine-day"],
                "print_notices": ["notices"], "print_cleaning_roster": ["cleaning-roster", "--round", "1"],
                "print_duty_roster": ["duty-roster"], "print_facilities": ["facilities"],
                "print_service_requests": ["service-requests"]}
PRINT_DPI = 50  # small pictures: a page to recognise, not to read


def settle(seconds: float = 0.5, until: Callable[[], bool] | None = None) -> None:
    app = QApplication.instance()
    end = time.monotonic() + seconds
    while time.monotonic() < end or (until is not None and not until() and time.monotonic() < end + 10):
        app.processEvents()
        time.sleep(0.02)


def save(picture: QWidget | QPixmap | QImage, name: str) -> Path:
    image = picture.grab().toImage() if isinstance(picture, QWidget) else picture
    if isinstance(image, QPixmap):
        image = image.toImage()
    if image.width() > WIDTH:
        image = image.scaledToWidth(WIDTH, Qt.TransformationMode.SmoothTransformation)
    path = OUT / f"{name}.png"
    image.save(str(path), "PNG")
    print("wrote", path, f"{image.width()}x{image.height()}")
    return path


def save_pdf_page(write_pdf: Callable[[str], object], name: str, keep: float = 1.0) -> Path | None:
    """The first page of a PDF the program prints, as a picture (needs pdftoppm from poppler-utils);
    `keep` is the part of the page kept from the top (a half-empty portrait page need not be shown whole)."""
    if shutil.which("pdftoppm") is None:
        print("skipped", name, "(pdftoppm not installed: apt install poppler-utils)")
        return None
    with tempfile.TemporaryDirectory() as tmp:
        pdf = Path(tmp) / "sheet.pdf"
        write_pdf(str(pdf))
        settle(0, until=pdf.exists)  # a page's save_pdf writes on a worker (gui/printing.save_pdf_as)
        subprocess.run(["pdftoppm", "-f", "1", "-l", "1", "-png", "-scale-to-x", str(WIDTH), "-scale-to-y", "-1",
                        "-singlefile", str(pdf), str(Path(tmp) / "page")], check=True)
        image = QImage(str(Path(tmp) / "page.png"))
        return save(image.copy(0, 0, image.width(), int(image.height() * keep)), name)


def take_print_pages(db_path: Path) -> list[Path]:
    """The first page of each printed sheet, from `main.py --db DB pdf WHAT --mask` and pdftoppm at PRINT_DPI."""
    import os
    import sys

    if shutil.which("pdftoppm") is None:
        print("skipped the printed sheets (pdftoppm not installed: apt install poppler-utils)")
        return []
    written = []
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    with tempfile.TemporaryDirectory() as tmp:
        for name, args in PRINT_SHEETS.items():
            pdf = Path(tmp) / f"{name}.pdf"
            subprocess.run([sys.executable, str(ROOT / "main.py"), "--db", str(db_path), "pdf", *args, "--mask",
                            "--out", str(pdf)], check=True, env=env, cwd=ROOT)
            subprocess.run(["pdftoppm", "-f", "1", "-l", "1", "-r", str(PRINT_DPI), "-png", "-singlefile", str(pdf),
                            str(OUT / name)], check=True)
            print("wrote", OUT / f"{name}.png")
            written.append(OUT / f"{name}.png")
    return written


def dispatched_workbook(path: Path) -> Path:
    """A small 市派 list like the ones the district sends: a title, the push date, rows, one bad row."""
    from openpyxl import Workbook

    from community_desk.core.rules.idcard import make_id

    today = dt.date.today()
    wb = Workbook()
    ws = wb.active
    ws.append(["长阳镇返京人员信息推送表"])
    ws.append([f"推送日期：{today:%Y年%m月%d日}"])
    ws.append(["序号", "姓名", "身份证号", "联系电话", "现居住地址", "返京日期", "管控措施"])
    people = [("赵晓梅", "13911002345", "3号楼2单元501", "居家隔离"), ("钱卫东", "13801234567", "5号楼1单元302", "居家健康监测"),
              ("孙丽娟", "15210098765", "8号楼3单元1102", "居家隔离"), ("李国强", "13661112233", "2号楼1单元201", "居家隔离")]
    for i, (name, phone, address, measure) in enumerate(people):
        ws.append([i + 1, name, make_id("110111", dt.date(1970 + 7 * i, 3, 12), i + 40), phone, address,
                   f"{today - dt.timedelta(days=1):%Y.%m.%d}", measure])
    ws.append([len(people) + 1, "", make_id("110111", dt.date(1988, 6, 1), 7), "", "", "", ""])
    wb.save(path)
    return path


def take_manual_images(window, db_path: Path) -> list[Path]:
    from community_desk.core import startup
    from community_desk.core.models import QuarantineCase
    from community_desk.core.queries import accounts
    from community_desk.gui.dialogs.accounts import AccountsDialog
    from community_desk.gui.dialogs.backups import BackupsDialog
    from community_desk.gui.windows.cleaning.window import CleaningPage
    from community_desk.gui.windows.quarantine.case_form import CaseForm
    from community_desk.gui.windows.quarantine.dialogs import ReleaseDialog
    from community_desk.gui.windows.quarantine.import_dialog import ImportPreviewDialog
    from community_desk.gui.windows.quarantine.page import QuarantinePage
    from community_desk.gui.windows.volunteers.window import VolunteersPage

    OUT.mkdir(parents=True, exist_ok=True)
    written = []
    window.nav.setCurrentRow(0)
    settle()
    written.append(save(window, "main_window"))

    quarantine = window.page(QuarantinePage)
    window.nav.setCurrentRow(window.pages.index(quarantine))
    quarantine.tabs.setCurrentWidget(quarantine.today_view)
    settle(1.0)
    written.append(save(window, "quarantine_today"))

    with tempfile.TemporaryDirectory() as tmp:
        dialog = ImportPreviewDialog(window, dispatched_workbook(Path(tmp) / "市派名单.xlsx"))
        dialog.resize(900, 520)
        dialog.show()
        settle(0.5, until=lambda: dialog.preview is not None or bool(dialog.error))
        settle(0.3)
        written.append(save(dialog, "import_preview"))
        dialog.reject()  # the picture only: nothing is imported

    case = (QuarantineCase.select().where(QuarantineCase.status == "管控中")
            .order_by(QuarantineCase.start_date).first())
    if case is not None:
        form = CaseForm(window, case.id)
        form.tabs.setCurrentWidget(form.tests_tab)
        form.show()
        settle()
        written.append(save(form, "case_tests"))
        form.reject()
        release = ReleaseDialog(window, [case.id])
        release.reason.setText("期满核酸阴性")
        release.resize(460, 240)
        release.show()
        settle()
        written.append(save(release, "release"))
        release.reject()

    cleaning = window.page(CleaningPage)
    window.nav.setCurrentRow(window.pages.index(cleaning))
    settle(1.0, until=lambda: cleaning.round_id is not None)
    if cleaning.round_id is not None:
        cleaning.tabs.setCurrentWidget(cleaning.schedule_tab)
        settle(0.5)
        shot = save_pdf_page(cleaning.save_pdf, "cleaning_roster", keep=0.66)
        written += [shot] if shot else []

    volunteers = window.page(VolunteersPage)
    window.nav.setCurrentRow(window.pages.index(volunteers))
    volunteers.tabs.setCurrentWidget(volunteers.roster_tab)
    settle(0.5)
    shot = save_pdf_page(volunteers.roster_tab.save_pdf, "gate_roster")
    written += [shot] if shot else []

    written += take_print_pages(db_path)

    startup.backup_now(db_path, "manual")
    backups = BackupsDialog(window)
    backups.show()
    settle()
    written.append(save(backups, "backups"))
    backups.reject()

    # Accounts last: once they exist, the program asks for a password (this database is thrown away).
    if not accounts.has_accounts():
        accounts.create_account("zhangmin", "张敏", "demo-2026", "管理员")
        accounts.create_account("lijun", "李军", "demo-2026", "工作人员")
        accounts.create_account("menggang", "门岗志愿者", "demo-2026", "只读")
    dialog = AccountsDialog(window)
    dialog.show()
    settle()
    written.append(save(dialog, "accounts"))
    dialog.reject()
    return written
