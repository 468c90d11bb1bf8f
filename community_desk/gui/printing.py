"""Printed sheets: a title, a table and a footer laid out by QTextDocument, printed by QPrinter.

`TableSheet` describes a sheet; `print_preview` opens Qt's preview dialog, `save_pdf` writes a
PDF (atomically). Page numbers are drawn on every page.
"""
from __future__ import annotations

import html
import os
from collections.abc import Iterable
from dataclasses import dataclass, field

from PySide6.QtCore import QMarginsF, QPointF, QRectF, QSizeF, Qt
from PySide6.QtGui import QFont, QFontDatabase, QPageLayout, QPageSize, QPainter, QTextDocument
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog

from ..core.atomic import atomic_path


@dataclass
class TableSheet:
    title: str
    headers: list[str]
    rows: Iterable[tuple]
    subtitle: str = ""
    footer: str = ""
    landscape: bool = True
    column_widths: list[int] = field(default_factory=list)  # percent per column, optional
    font_pt: float = 9.0


def sheet_html(sheet: TableSheet) -> str:
    esc = html.escape
    widths = sheet.column_widths
    head = "".join(
        f'<th{f" width={widths[i]}%" if i < len(widths) else ""}>{esc(h)}</th>' for i, h in enumerate(sheet.headers))
    body = []
    for row in sheet.rows:
        cells = "".join(f"<td>{esc('' if v is None else str(v))}</td>" for v in row)
        body.append(f"<tr>{cells}</tr>")
    return f"""<html><head><style>
        h1 {{ font-size: {sheet.font_pt + 7}pt; text-align: center; margin: 0; }}
        p.sub {{ text-align: center; font-size: {sheet.font_pt + 1}pt; margin: 2px 0 6px 0; }}
        table {{ border-collapse: collapse; width: 100%; }}
        th {{ background: #dde8f5; font-weight: bold; }}
        th, td {{ border: 1px solid #555; padding: 3px; font-size: {sheet.font_pt}pt; }}
        p.foot {{ font-size: {sheet.font_pt + 1}pt; margin-top: 10px; }}
        </style></head><body>
        <h1>{esc(sheet.title)}</h1><p class="sub">{esc(sheet.subtitle)}</p>
        <table cellspacing="0" cellpadding="3" width="100%"><thead><tr>{head}</tr></thead>
        <tbody>{''.join(body)}</tbody></table>
        <p class="foot">{esc(sheet.footer)}</p></body></html>"""


def paper_font(point_size: float) -> QFont:
    """The font of printed sheets: the Simplified Chinese family chosen at start-up (never a Japanese
    fallback, whose glyph forms differ), whatever the application font happens to be."""
    from .bootstrap import choose_font_family

    family = choose_font_family(QFontDatabase.families()) or QFont().family()
    return QFont(family, int(point_size))


def _make_printer(sheet: TableSheet, printer: QPrinter | None = None) -> QPrinter:
    printer = printer or QPrinter(QPrinter.PrinterMode.HighResolution)
    layout = QPageLayout(QPageSize(QPageSize.PageSizeId.A4),
                         QPageLayout.Orientation.Landscape if sheet.landscape else QPageLayout.Orientation.Portrait,
                         QMarginsF(12, 12, 12, 12), QPageLayout.Unit.Millimeter)
    printer.setPageLayout(layout)
    return printer


def render(sheet: TableSheet, printer: QPrinter, document_html: str | None = None) -> int:
    """Lay the sheet out on the printer's pages, with 第 n 页 / 共 m 页 under each. Returns the page count."""
    doc = QTextDocument()
    doc.setDefaultFont(paper_font(sheet.font_pt))
    doc.setHtml(document_html or sheet_html(sheet))
    page_rect = printer.pageRect(QPrinter.Unit.DevicePixel)
    dpi = printer.resolution()
    footer_h = dpi * 0.3
    body = QSizeF(page_rect.width(), page_rect.height() - footer_h)
    # Lay out at screen-like scale so that point sizes match on paper.
    scale = dpi / 96.0
    doc.setPageSize(QSizeF(body.width() / scale, body.height() / scale))
    pages = doc.pageCount()
    painter = QPainter()
    if not painter.begin(printer):
        raise OSError("无法开始打印（打印机或 PDF 文件不可用）")
    try:
        for page in range(pages):
            if page:
                printer.newPage()
            painter.save()
            painter.scale(scale, scale)
            painter.translate(0, -page * body.height() / scale)
            clip = QRectF(0, page * body.height() / scale, body.width() / scale, body.height() / scale)
            doc.drawContents(painter, clip)
            painter.restore()
            painter.setFont(paper_font(9))
            painter.drawText(QRectF(QPointF(0, body.height()), QSizeF(body.width(), footer_h)),
                             int(Qt.AlignmentFlag.AlignCenter), f"第 {page + 1} 页，共 {pages} 页")
    finally:
        painter.end()
    return pages


def save_pdf(sheet: TableSheet, path: str | os.PathLike) -> int:
    """Write the sheet as a PDF (atomically). Returns the page count."""
    html_text = sheet_html(sheet)
    with atomic_path(path) as tmp:
        printer = _make_printer(sheet)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(tmp))
        pages = render(sheet, printer, html_text)
    return pages


def print_preview(sheet: TableSheet, parent=None) -> QPrintPreviewDialog:
    html_text = sheet_html(sheet)
    printer = _make_printer(sheet)
    dialog = QPrintPreviewDialog(printer, parent)
    dialog.printer_ref = printer  # the dialog does not own the printer: keep it alive as long as the dialog
    dialog.setWindowTitle(f"打印预览 - {sheet.title}")
    dialog.paintRequested.connect(lambda p: render(sheet, p, html_text))
    dialog.resize(1000, 760)
    return dialog
