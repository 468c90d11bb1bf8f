"""The one print path: every printed sheet (lists, notices, rosters, sign-in sheets) goes through here.

A `Document` is a title, its page set-up and one or more parts of HTML; each part starts on a new page and is
numbered on its own ("大爱原香服务队 11月23日　第 1 页，共 2 页"). A `TableSheet` (title, headers, rows, footer) is the
common kind of document. From a document:

- `write_pdf(document, path)` writes a PDF atomically (any thread);
- `open_preview(parent, make_document)` (Qt's preview; its 打印 button prints on paper) and
  `save_pdf_as(parent, make_document, name)` are what a window calls. `make_document` runs on a worker thread (it may query core, never touch a widget). A PDF
  is laid out and painted on that worker too, so a long sheet (3,000 residents: 6 s of layout, 7 s of painting)
  does not freeze the window; a progress window with 取消 appears when it takes more than half a second.
  The preview (and so paper printing) lays out and paints on the GUI thread: a text document laid out on one thread
  and painted on another crashes (its layout holds the first thread's font engines; measured here).

Two things Qt's layout does not do for a table, done here. A table split across pages loses the bottom rule of the
last row on each page (with collapsed borders a row's bottom rule is the next row's top, and the next row is on the
next page): `lay_out` finds those rows and `paint` rules them. And the lines under a table (the 填报单位/填报人/填报日期
footer, a signature line) must not fall alone onto a page of their own: a table made with `Tables.table` that would
leave them so is laid out again with its last rows on that page (under the header again), so the footer stays with
the table.

Qt's print preview dialog does not own its printer: `preview_dialog` keeps it alive as long as the dialog
(without that reference the dialog segfaults on show). No other module creates a QPrinter or a preview.
"""
from __future__ import annotations

import errno
import html
import os
import re
import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import shiboken6
from PySide6.QtCore import QLineF, QMarginsF, QPointF, QRectF, QSizeF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QPageLayout,
    QPageSize,
    QPainter,
    QPen,
    QTextBlockFormat,
    QTextCursor,
    QTextDocument,
    QTextTable,
)
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import QWidget

from ..core.atomic import atomic_path
from ..core.errors import ExportCancelled
from .pdf_unicode import fix_text_layer

SCREEN_DPI = 96.0  # documents are laid out at screen scale, so that point sizes match on paper
FOOTER_IN = 0.3  # the page-number line under each page, in inches
MM_PER_IN = 25.4
KEEP_ROWS = 2  # rows moved onto the page of a footer that would stand alone
RULE_COLOUR = "#555"  # the tables' border colour
TABLE_ATTRS = 'cellspacing="0" cellpadding="3" width="100%"'

Progress = Callable[[int], bool]  # progress(pages done) -> False to cancel


class Tables:
    """The tables of one part as it is rendered: `table()` writes one, and splits off its last `keep[n]` rows (the
    n-th table of the part) into a table of their own on a new page, under the header again, when lay_out found
    that the lines under it would otherwise stand alone on a page."""

    def __init__(self, keep: dict[int, int] | None = None):
        self.keep = keep or {}
        self.made: list[int] = []  # for each QTextTable in the document, in order, the number of the table()

    def table(self, head: str, rows: list[str], attrs: str = TABLE_ATTRS) -> str:
        """head: the header row (`<tr><th>…</th></tr>`), repeated on every page; rows: one `<tr>…</tr>` each."""
        number = len(set(self.made))
        keep = min(self.keep.get(number, 0), len(rows) - 1)
        first, last = (rows[:-keep], rows[-keep:]) if keep > 0 else (rows, [])
        out = f"<!--ptable:{number}--><table {attrs}><thead>{head}</thead><tbody>{''.join(first)}</tbody></table>"
        self.made.append(number)
        if last:
            out += (f'<!--ptable:{number}--><table {attrs} style="page-break-before: always;"><thead>{head}</thead>'
                    f"<tbody>{''.join(last)}</tbody></table>")
            self.made.append(number)
        return out


Part = str | Callable[[Tables], str]  # HTML, or a function that makes it with its tables (see Tables)


@dataclass
class Document:
    title: str
    parts: list[tuple[str, Part]]  # (page-footer label, HTML or a maker of it); each part starts on a new page
    landscape: bool = True
    font_pt: float = 9.0
    margins_mm: tuple[float, float, float, float] = (12, 12, 12, 12)  # left, top, right, bottom

    @classmethod
    def single(cls, title: str, document_html: Part, **setup) -> Document:
        return cls(title, [("", document_html)], **setup)

    def document(self) -> Document:
        return self


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

    def document(self) -> Document:
        return Document.single(self.title, sheet_maker(self), landscape=self.landscape, font_pt=self.font_pt)


Printable = Document | TableSheet


def sheet_maker(sheet: TableSheet) -> Callable[[Tables], str]:
    """The sheet's HTML maker; the rows are read once, here."""
    esc = html.escape
    widths = sheet.column_widths
    head = "<tr>" + "".join(
        f'<th{f" width={widths[i]}%" if i < len(widths) else ""}>{esc(h)}</th>'
        for i, h in enumerate(sheet.headers)) + "</tr>"
    body = ["<tr>" + "".join(f"<td>{esc('' if v is None else str(v))}</td>" for v in row) + "</tr>"
            for row in sheet.rows]

    def make(tables: Tables) -> str:
        return f"""<html><head><style>
        h1 {{ font-size: {sheet.font_pt + 7}pt; text-align: center; margin: 0; }}
        p.sub {{ text-align: center; font-size: {sheet.font_pt + 1}pt; margin: 2px 0 6px 0; }}
        table {{ border-collapse: collapse; width: 100%; }}
        th {{ background: #dde8f5; font-weight: bold; }}
        th, td {{ border: 1px solid {RULE_COLOUR}; padding: 3px; font-size: {sheet.font_pt}pt; }}
        p.foot {{ font-size: {sheet.font_pt + 1}pt; margin-top: 10px; }}
        </style></head><body>
        <h1>{esc(sheet.title)}</h1><p class="sub">{esc(sheet.subtitle)}</p>
        {tables.table(head, body)}
        <p class="foot">{esc(sheet.footer)}</p></body></html>"""
    return make


def sheet_html(sheet: TableSheet) -> str:
    return sheet_maker(sheet)(Tables())


def paper_font(point_size: float) -> QFont:
    """The font of printed sheets: the Simplified Chinese family chosen at start-up (never a Japanese
    fallback, whose glyph forms differ), whatever the application font happens to be."""
    from .bootstrap import choose_font_family

    family = choose_font_family(QFontDatabase.families()) or QFont().family()
    return QFont(family, int(point_size))


# --- page set-up and layout (any thread) ---

def page_layout(document: Document) -> QPageLayout:
    left, top, right, bottom = document.margins_mm
    orientation = QPageLayout.Orientation.Landscape if document.landscape else QPageLayout.Orientation.Portrait
    return QPageLayout(QPageSize(QPageSize.PageSizeId.A4), orientation, QMarginsF(left, top, right, bottom),
                       QPageLayout.Unit.Millimeter)


def _body_size(document: Document) -> QSizeF:
    """The printable area above the page-number line, in screen pixels (the layout's unit)."""
    rect = page_layout(document).paintRect(QPageLayout.Unit.Millimeter)
    to_px = SCREEN_DPI / MM_PER_IN
    return QSizeF(rect.width() * to_px, rect.height() * to_px - FOOTER_IN * SCREEN_DPI)


Rule = tuple[float, float, float]  # x from, x to, y: a rule to draw, in document pixels


@dataclass
class LaidOut:
    """A document laid out into pages, ready to paint on any printer with its page set-up."""
    document: Document
    parts: list[tuple[str, QTextDocument, dict[int, list[Rule]]]]  # label, layout, the rules to add on each page
    body: QSizeF

    @property
    def page_count(self) -> int:
        return sum(doc.pageCount() for _label, doc, _rules in self.parts)


def lay_out(printable: Printable, cancelled: Callable[[], bool] = lambda: False) -> LaidOut:
    """Lay every part out in pages. Paint the result on the same thread (see the module's docstring)."""
    document = printable.document()
    body = _body_size(document)
    parts = []
    for label, part in document.parts:
        if cancelled():
            raise ExportCancelled()
        doc = _lay_out_part(document, part, body)
        parts.append((label, doc, _page_break_rules(doc, body.height())))
    return LaidOut(document, parts, body)


def _lay_out_part(document: Document, part: Part, body: QSizeF) -> QTextDocument:
    """Lay the part out; while a table of Tables.table leaves the lines under it alone on a page, lay it out again
    with that table's last rows moved onto their page."""
    keep: dict[int, int] = {}
    while True:
        part_html = part(Tables(keep)) if callable(part) else part
        doc = QTextDocument()
        doc.setDefaultFont(paper_font(document.font_pt))
        doc.setHtml(part_html)
        doc.setPageSize(body)
        doc.pageCount()  # forces the layout now
        orphaned = None if not callable(part) else _orphaned_footer(doc, part_html, body.height())
        if orphaned is None or orphaned in keep:
            return doc
        keep[orphaned] = KEEP_ROWS
        shiboken6.delete(doc)


def _tables(doc: QTextDocument) -> list[QTextTable]:
    """The tables of the document in their order (a table inside a cell after the one holding it)."""
    out: list[QTextTable] = []

    def walk(frame) -> None:
        for child in frame.childFrames():
            if isinstance(child, QTextTable):
                out.append(child)
            walk(child)

    walk(doc.rootFrame())
    return out


def _rows(doc: QTextDocument, table: QTextTable) -> list[tuple[float, float]]:
    """(top, bottom) of the contents of each row of the table, in document pixels."""
    layout = doc.documentLayout()
    return [_row_span(layout, table, r) for r in range(table.rows())]


def _row_span(layout, table: QTextTable, r: int) -> tuple[float, float]:
    """(top, bottom) of the contents of row r: from the highest first line to the lowest last line of its cells."""
    top, bottom = float("inf"), float("-inf")
    for c in range(table.columns()):
        cell = table.cellAt(r, c)
        if cell.row() != r or cell.column() != c:  # part of a spanning cell
            continue
        top = min(top, layout.blockBoundingRect(cell.firstCursorPosition().block()).top())
        bottom = max(bottom, layout.blockBoundingRect(cell.lastCursorPosition().block()).bottom())
    return top, bottom


def _page_break_rules(doc: QTextDocument, page_height: float) -> dict[int, list[Rule]]:
    """The bottom rules Qt leaves out: under the last row of a table on each page the table goes on from."""
    rules: dict[int, list[Rule]] = {}
    for table in _tables(doc):
        rows = _rows(doc, table)
        pages = [int(top // page_height) for top, _bottom in rows]
        gaps = [rows[i + 1][0] - rows[i][1] for i in range(len(rows) - 1) if pages[i] == pages[i + 1]]
        half_gap = min(gaps) / 2 if gaps else 3.5  # from a row's contents to the rule between rows
        left, right = _sides(doc, table)
        for i in range(len(rows) - 1):
            if pages[i + 1] > pages[i]:
                rules.setdefault(pages[i], []).append((left, right, rows[i][1] + half_gap))
    return rules


def _sides(doc: QTextDocument, table: QTextTable) -> tuple[float, float]:
    """x of the table's left and right rules: the first and last cells' contents widened by their padding and half
    the border (the table's frame rectangle is offset by the document margin)."""
    layout = doc.documentLayout()
    first, last = table.cellAt(0, 0), table.cellAt(0, table.columns() - 1)
    left_box = layout.blockBoundingRect(first.firstCursorPosition().block())
    right_box = layout.blockBoundingRect(last.firstCursorPosition().block())
    half_border = max(table.format().border(), 1) / 2
    return (left_box.left() - first.format().toTableCellFormat().leftPadding() - half_border,
            right_box.right() + last.format().toTableCellFormat().rightPadding() + half_border)


_MARKED = re.compile(r"(?:<!--ptable:(\d+)-->)?<table\b", re.IGNORECASE)


def _orphaned_footer(doc: QTextDocument, part_html: str, page_height: float) -> int | None:
    """The number (Tables.table's order) of a table one of whose following lines, up to the next table or page
    break, begins on a page after its last row (the first line, or a later one such as a signature line under a
    paragraph that still fits); None when there is none."""
    marks = [m.group(1) for m in _MARKED.finditer(part_html)]
    tables = _tables(doc)
    if len(marks) != len(tables):
        return None  # Qt made the tables otherwise than the HTML says: leave the layout as it is
    layout = doc.documentLayout()
    for mark, table in zip(marks, tables, strict=True):
        if mark is None or table.parentFrame() is not doc.rootFrame():
            continue
        last_page = int(_row_span(layout, table, table.rows() - 1)[0] // page_height)  # its last row only
        block = doc.findBlock(table.lastPosition() + 1)
        while block.isValid():
            if (block.blockFormat().pageBreakPolicy() & QTextBlockFormat.PageBreakFlag.PageBreak_AlwaysBefore
                    or QTextCursor(block).currentTable() is not None):
                break
            if block.text().strip():
                top = layout.blockBoundingRect(block).top()  # a block moved to the next page keeps its top,
                if block.layout().lineCount():  # its lines move
                    top += block.layout().lineAt(0).y()
                if int(top // page_height) > last_page:
                    return int(mark)
            block = block.next()
    return None


def make_printer(document: Document, printer: QPrinter | None = None) -> QPrinter:
    printer = printer or QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPageLayout(page_layout(document))
    printer.setDocName(document.title)
    return printer


def paint(laid: LaidOut, printer: QPrinter, progress: Progress | None = None) -> int:
    """Paint the laid-out pages on the printer, 第 n 页，共 m 页 under each. Returns the number of pages."""
    page_rect = printer.pageRect(QPrinter.Unit.DevicePixel)
    scale = page_rect.width() / laid.body.width()
    footer = QRectF(QPointF(0, laid.body.height() * scale), QSizeF(page_rect.width(), FOOTER_IN * printer.resolution()))
    painter = QPainter()
    if not painter.begin(printer):
        raise OSError("无法开始打印（打印机或 PDF 文件不可用）")
    printed = 0
    try:
        for label, doc, rules in laid.parts:
            pages = doc.pageCount()
            for page in range(pages):
                if printed:
                    printer.newPage()
                painter.save()
                painter.scale(scale, scale)
                painter.translate(0, -page * laid.body.height())
                doc.drawContents(painter, QRectF(QPointF(0, page * laid.body.height()), laid.body))
                page_bottom = (page + 1) * laid.body.height()
                for x1, x2, y in rules.get(page, ()):  # the cells' side rules run on to the page's end: cut them
                    painter.fillRect(QRectF(x1 - 3, y + 0.5, x2 - x1 + 6, page_bottom - y), QColor("white"))
                    painter.setPen(QPen(QColor(RULE_COLOUR), 1))
                    painter.drawLine(QLineF(x1, y, x2, y))
                painter.restore()
                painter.setFont(paper_font(9))
                painter.drawText(footer, int(Qt.AlignmentFlag.AlignCenter),
                                 f"{label}　第 {page + 1} 页，共 {pages} 页".strip())
                printed += 1
                if progress is not None and not progress(printed):
                    raise ExportCancelled()
    finally:
        painter.end()
    return printed


def write_pdf(printable: Printable, path: str | os.PathLike, progress: Progress | None = None) -> int:
    """Write the document as a PDF, atomically (a failed or cancelled write leaves no file). Any thread.
    Returns the page count."""
    cancelled = (lambda: not progress(0)) if progress is not None else (lambda: False)
    laid = lay_out(printable, cancelled)
    try:
        with atomic_path(path) as tmp:
            printer = make_printer(laid.document)
            printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
            printer.setOutputFileName(str(tmp))
            pages = paint(laid, printer, progress)
            _check_pdf_whole(tmp)
            fix_text_layer(tmp)  # 女 人 日 民 长 ... as themselves in the text layer, not as radicals (pdf_unicode)
            return pages
    finally:
        # The text documents belong to this thread. A failure's traceback (handed to the GUI thread) keeps the
        # frames alive, and a document freed there stops its timers from the wrong thread (a Qt warning): free
        # them here and now.
        for _label, doc, _rules in laid.parts:
            shiboken6.delete(doc)


def _check_pdf_whole(path) -> None:
    """Qt's PDF writer says nothing when a write fails (a full disk): the file simply stops. A whole PDF ends with
    its %%EOF trailer; without it the half file must not replace the old one."""
    size = os.path.getsize(path)
    with open(path, "rb") as fh:
        fh.seek(max(0, size - 64))
        if b"%%EOF" in fh.read():
            return
    full = shutil.disk_usage(os.path.dirname(os.path.abspath(path))).free < 1024 * 1024
    code = errno.ENOSPC if full else errno.EIO
    raise OSError(code, os.strerror(code), str(path))



# --- what a window calls (GUI thread) ---

def preview_dialog(laid: LaidOut, parent: QWidget | None = None) -> QPrintPreviewDialog:
    printer = make_printer(laid.document)
    dialog = QPrintPreviewDialog(printer, parent)
    dialog.printer_ref = printer  # the dialog does not own the printer: keep it alive as long as the dialog
    dialog.laid_ref = laid
    dialog.setWindowTitle(f"打印预览 - {laid.document.title}")
    dialog.paintRequested.connect(lambda target: paint(laid, target))
    dialog.resize(1000 if laid.document.landscape else 900, 780)
    return dialog


def open_preview(parent: QWidget, make_document: Callable[[], Printable], *,
                 on_shown: Callable[[QPrintPreviewDialog], None] | None = None) -> None:
    """Build the document on a worker, then lay it out and show Qt's print preview (its 打印 button prints on
    paper)."""
    from .font_size import zoom_preview
    from .long_work import run_long

    def show(document: Printable) -> None:
        dialog = preview_dialog(lay_out(document), parent)
        zoom_preview(dialog)  # opens zoomed to the 字号 (查看 ▸ 字号), as the program's own text
        if on_shown is not None:
            on_shown(dialog)
        dialog.exec()
        dialog.deleteLater()

    run_long(parent, lambda _report: make_document(), show, title="打印预览", busy_text="正在准备打印内容……")


def save_pdf_as(parent: QWidget, make_document: Callable[[], Printable], default_name: str, *,
                path: str | None = None, on_done: Callable[[int, str], None] | None = None) -> None:
    """Ask where (the 另存为PDF dialog, in the last folder), then write the PDF on a worker with progress and 取消
    (nothing is written when cancelled). The status bar says how many pages were saved where."""
    from .exporting import ask_pdf_path
    from .long_work import run_long, tell_status

    path = path or ask_pdf_path(parent, default_name)
    if not path:
        return

    def done(pages: int) -> None:
        tell_status(parent, f"已保存 PDF（{pages} 页）：{path}")
        if on_done is not None:
            on_done(pages, path)

    run_long(parent, lambda report: write_pdf(make_document(), path, report), done, title="另存为PDF",
             busy_text="正在排版……", count_text="已输出 {n} 页", remember_folder_of=path)
