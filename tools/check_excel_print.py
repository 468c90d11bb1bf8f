"""Does every Excel export print readably on A4? (issue 16; run by `make excel-check`, part of `make bench`).

Builds each export from a fresh demo database, converts each workbook to PDF with LibreOffice headless
(`soffice --headless --convert-to pdf`), and measures from poppler's pdftotext:
- the smallest printed text size: the smallest word box height of `pdftotext -bbox-layout` / 1.3 (a measured
  rule of thumb for LibreOffice's PDFs, see NOTES.md);
- cut values: every text value of the title, the header, a sample of data rows and the footer must appear whole
  in the PDF's text (whitespace and line breaks ignored, since wrapped cells break lines), and no '###' (a number
  too wide for its column).
Prints a table (export, pages, smallest pt, cut values, pass/fail) and exits 1 when one fails. Without soffice
it says so in one line and exits 0 (LibreOffice is not in CI). `--keep DIR` keeps the workbooks and PDFs there.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

MIN_PT = 8.0
SAMPLE_ROWS = 40
TOLERANCE = 0.05  # pdftotext's box heights are rounded; 7.95 pt is 8 pt


def build_exports(folder: Path) -> dict[str, Path]:
    """Every export of the program, from a demo database made in folder. Returns name -> workbook."""
    from community_desk.core import demo, session
    from community_desk.core.db import close_database, db_proxy, open_database
    from community_desk.core.excel import (
        cleaning_export,
        facilities_export,
        push_rejected_export,
        quarantine_daily,
        residents_export,
        volunteers_export,
    )

    session.current = session.Session(user="检查", role="管理员")
    open_database(folder / "demo.db")
    demo.load_demo_data(residents=400)
    today = dt.date.today()
    out: dict[str, Path] = {}

    def make(name: str, func, *args, **kw) -> None:
        path = folder / f"{name}.xlsx"
        func(path, *args, **kw)
        out[name] = path

    make("residents", residents_export.export_residents)
    make("facilities", facilities_export.export_facilities)
    make("service-requests", facilities_export.export_service_requests)
    make("volunteers", volunteers_export.export_volunteers)
    make("events", volunteers_export.export_events, None, None)
    make("duty-roster", volunteers_export.export_duty_roster, today)
    round_id = db_proxy.execute_sql("SELECT MIN(id) FROM service_round").fetchone()[0]
    if round_id is not None:
        make("cleaning-roster", cleaning_export.export_cleaning_roster, round_id)
    make("quarantine-daily", quarantine_daily.export_daily, today, detailed=True)
    batch = db_proxy.execute_sql("SELECT MIN(id) FROM push_batch").fetchone()[0]
    if batch is not None:
        if not db_proxy.execute_sql("SELECT 1 FROM push_rejected WHERE batch_id = ?", (batch,)).fetchone():
            for n, (name, reason) in enumerate([("赵建国", "身份证号校验位不对（第18位应为 X）"),
                                                ("钱秀英", "缺少隔离起始日期，且现居住地址不在本社区辖区内，请核实后重新推送")]):
                db_proxy.execute_sql('INSERT INTO push_rejected (batch_id, kind, sheet, "row", name, id_number, reason)'
                                     " VALUES (?, '未导入', '密接', ?, ?, '11011119560312002X', ?)",
                                     (batch, 5 + n, name, reason))
        make("push-rejected", push_rejected_export.export_rejected, batch)
    close_database()
    return out


def to_pdf(workbooks: list[Path], folder: Path) -> None:
    profile = folder / "lo-profile"
    subprocess.run(["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(folder), *map(str, workbooks)], check=True, capture_output=True, timeout=600)


def smallest_pt(pdf: Path) -> tuple[int, float]:
    """(pages, smallest text size in pt) from the word boxes of pdftotext -bbox-layout."""
    html = subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"], check=True, capture_output=True,
                          text=True).stdout
    pages = html.count("<page ")
    heights = [float(y2) - float(y1) for y1, y2 in
               re.findall(r'<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)"', html)]
    return pages, (min(heights) / 1.3 if heights else 0.0)


def shown(value) -> str | None:
    """The text a cell shows, for the values whose text we can predict; None for the others."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, dt.datetime):
        return f"{value:%Y-%m-%d}"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        return value
    return None  # numbers: their format decides; '###' catches those that do not fit


def cut_values(workbook: Path, pdf: Path) -> list[str]:
    import openpyxl

    text = subprocess.run(["pdftotext", "-raw", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    flat = re.sub(r"\s+", "", text)
    missing = ["###"] if "###" in flat else []
    wb = openpyxl.load_workbook(workbook, read_only=True)
    for ws in wb.worksheets:
        rows = list(ws.iter_rows(values_only=True))
        sample = rows[:2 + SAMPLE_ROWS] + rows[-3:]
        for row in sample:
            for value in row:
                want = shown(value)
                if want and re.sub(r"\s+", "", want) not in flat:
                    missing.append(f"{ws.title}: {want}")
    wb.close()
    return missing


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", type=Path, help="keep the workbooks and PDFs in this folder")
    parser.add_argument("--only", nargs="*", help="check only these exports")
    args = parser.parse_args(argv)
    if not shutil.which("soffice") or not shutil.which("pdftotext"):
        print("excel print check skipped: LibreOffice (soffice) or poppler's pdftotext is not installed "
              "(apt-get install libreoffice-calc-nogui poppler-utils)")
        return 0
    folder = args.keep or Path(tempfile.mkdtemp(prefix="desk-excel-check-"))
    folder.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    try:
        books = build_exports(folder)
        if args.only:
            books = {k: v for k, v in books.items() if k in args.only}
        to_pdf(list(books.values()), folder)
        failed = 0
        print(f"{'export':<18} {'pages':>5} {'smallest pt':>11} {'cut values':>10}  result")
        for name, book in books.items():
            pdf = book.with_suffix(".pdf")
            pages, small = smallest_pt(pdf)
            missing = cut_values(book, pdf)
            ok = small + TOLERANCE >= MIN_PT and not missing
            failed += not ok
            print(f"{name:<18} {pages:>5} {small:>11.1f} {len(missing):>10}  {'pass' if ok else 'FAIL'}")
            for value in missing[:5]:
                print(f"    cut: {value}")
        print(f"excel print check: {len(books) - failed}/{len(books)} exports pass (>= {MIN_PT:g} pt, nothing cut)")
        return 1 if failed else 0
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
