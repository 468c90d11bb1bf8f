"""The table every list shows its LazyTableModel in: a QTableView that paints its rows itself (issue 19).

Qt's own painting asks the model seven questions a cell (text, font, alignment, colours, check state, icon),
builds a style option for each and lays each text out for wrapping: 16 ms for a 1280 x 780 registry page here, the
most of what one typed character cost. A list cell is one line of text on its row's colour, so this view paints
a row at a time from the row the model has already loaded: the row's fill (alternate, selected, the page's row
colour), each visible column's text cut with "…" when it is too long for its column (the tooltip keeps the whole
text), then the grid. Everything else (headers, scrolling, selection, keyboard, the model's data() for tooltips
and accessibility) is QTableView's own.

What the view may be asked that this painting does not do: spans, word wrap, icons, check boxes, editors, moved
rows. No list uses them; a model other than LazyTableModel is painted by QTableView itself.
"""
from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QPoint, QSize, Qt
from PySide6.QtGui import QBrush, QColor, QFontMetrics, QPainter, QPalette, QPen
from PySide6.QtWidgets import QHeaderView, QStyle, QStyleOptionViewItem, QTableView, QWidget

from .font_size import scaled

MARGIN = 4  # px left and right of a cell's text, as Qt's own delegate leaves
ELIDED_KEPT = 4000  # cut texts remembered (a long address or note is cut again on every repaint otherwise)
_RESTYLED = (QEvent.Type.FontChange, QEvent.Type.PaletteChange, QEvent.Type.StyleChange)
_NO_PARENT = QModelIndex()


class ListTable(QTableView):
    """make_table_view's view: QTableView, painting a LazyTableModel's rows itself."""

    def __init__(self, parent=None):
        super().__init__(parent)
        # Every pixel of the viewport is painted here (its background first): Qt need not paint what lies under it.
        # Without this, each repaint of the list also painted the view's stylesheet background and the page's under
        # it, the whole list's size, on every typed character.
        self.viewport().setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self._metrics: QFontMetrics | None = None
        self._elided: dict[tuple[str, int], str] = {}
        self._brushes: dict[str, QBrush] = {}

    def changeEvent(self, event) -> None:  # noqa: N802 - Qt name
        if event.type() in _RESTYLED:
            self._metrics = None
        super().changeEvent(event)

    def _measure(self) -> QFontMetrics:
        metrics = self._metrics = QFontMetrics(self.font())
        self._ascent = metrics.ascent()
        self._text_height = metrics.height()
        # no character of a list's text is wider than a Chinese one (one em): a text shorter than its column by
        # that measure is drawn without being measured
        self._widest = max(metrics.horizontalAdvance(c) for c in "中W…")
        option = QStyleOptionViewItem()
        self.initViewItemOption(option)
        self._grid = QColor.fromRgba(self.style().styleHint(QStyle.StyleHint.SH_Table_GridLineColor, option, self)
                                     & 0xFFFFFFFF)
        self._elided.clear()
        return metrics

    def _fit(self, text: str, width: int) -> str:
        if self._metrics is None:
            self._measure()
        if len(text) * self._widest <= width:
            return text
        key = (text, width)
        cut = self._elided.get(key)
        if cut is None:
            if len(self._elided) >= ELIDED_KEPT:
                self._elided.clear()
            cut = self._elided[key] = self._metrics.elidedText(text, Qt.TextElideMode.ElideRight, width)
        return cut

    def _brush(self, colour: str) -> QBrush:
        brush = self._brushes.get(colour)
        if brush is None:
            brush = self._brushes[colour] = QBrush(QColor(colour))
        return brush

    def _columns(self, left: int, right: int) -> list[tuple[int, int, int]]:
        """(column, x, width) of the columns shown between x = left and right, in the order shown."""
        header = self.horizontalHeader()
        first = header.visualIndexAt(left)
        last = header.visualIndexAt(right)
        if first < 0:
            first = 0
        if last < 0:
            last = header.count() - 1
        columns = []
        for visual in range(first, last + 1):
            column = header.logicalIndex(visual)
            if not header.isSectionHidden(column):
                columns.append((column, header.sectionViewportPosition(column), header.sectionSize(column)))
        return columns

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt name
        viewport = self.viewport()
        painter = QPainter(viewport)
        try:
            painter.fillRect(event.rect(), viewport.palette().brush(viewport.backgroundRole()))
            model = self.model()
            if not hasattr(model, "row_display"):  # not a LazyTableModel (gui/table_model.py): Qt paints it
                painter.end()
                super().paintEvent(event)
                return
            rows = self._rows_in(event.rect(), model.rowCount())
            columns = self._columns(event.rect().left(), event.rect().right()) if rows else None
            if columns:
                if self._metrics is None:
                    self._measure()
                self._paint_rows(painter, model, *rows, columns)
        finally:
            if painter.isActive():
                painter.end()

    def _rows_in(self, rect, count: int) -> tuple[int, int] | None:
        """(first, last) row within rect, None when none is."""
        if not count:
            return None
        first = self.rowAt(rect.top())
        if first < 0:
            return None  # below the last row: the background only
        last = self.rowAt(rect.bottom())
        return first, count - 1 if last < 0 else last

    def _paint_rows(self, painter: QPainter, model, first: int, last: int,
                    columns: list[tuple[int, int, int]]) -> None:
        palette = self.palette()
        palette.setCurrentColorGroup(QPalette.ColorGroup.Active if self.isActiveWindow() and self.isEnabled()
                                     else QPalette.ColorGroup.Inactive if self.isEnabled()
                                     else QPalette.ColorGroup.Disabled)
        alternate = palette.alternateBase() if self.alternatingRowColors() else None
        highlight, text_pen, chosen_pen = palette.highlight(), palette.text().color(), palette.highlightedText().color()
        chosen = self.selectionModel()
        grid = 1 if self.showGrid() else 0
        left = columns[0][1]
        right = columns[-1][1] + columns[-1][2]
        height = self.rowHeight(first)
        top = self.rowViewportPosition(first)
        baseline = (height - grid - self._text_height) // 2 + self._ascent
        y = top
        for row in range(first, last + 1):
            texts, colour = model.row_display(row)
            if chosen.isRowSelected(row, _NO_PARENT):
                fill, pen = highlight, chosen_pen
            else:
                fill = self._brush(colour) if colour else alternate if row & 1 else None
                pen = text_pen
            if fill is not None:
                painter.fillRect(left, y, right - left, height - grid, fill)
            painter.setPen(pen)
            for column, x, width in columns:
                text = texts[column] if column < len(texts) else None
                if text:
                    if "\n" in text:
                        text = " ".join(text.split("\n"))
                    painter.drawText(x + MARGIN, y + baseline, self._fit(text, width - grid - 2 * MARGIN))
            y += height
        if grid:
            painter.setPen(QPen(self._grid, 0))
            bottom = y - 1
            for _column, x, width in columns:
                painter.drawLine(QPoint(x + width - 1, top), QPoint(x + width - 1, bottom))
            for line in range(top + height - 1, y, height):
                painter.drawLine(QPoint(left, line), QPoint(right - 1, line))


class RowHeights(QHeaderView):
    """A table's vertical header whose row heights are given in px at 标准 (make_table_view's ROW_HEIGHT, a list's
    own compact height) and follow the font size: set at the size now applied, and again when it changes. The
    table's first column widths (make_table_view's `widths`, px at 标准) follow it too.

    Its width (the row numbers') is measured once for each number of digits and never narrows: QHeaderView asks
    every row's number again on each change of the row count (740 questions, 3 ms, on each key typed in the
    registry), and a narrower column moved every other column left while one typed."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(Qt.Orientation.Vertical, parent)
        self.setSectionsClickable(True)  # as QTableView's own vertical header
        self.setHighlightSections(True)
        self._default: int | None = None
        self._minimum: int | None = None
        self._widths: tuple[int, ...] = ()
        self._hints: dict[int, QSize] = {}  # by the number of digits of the row count
        self._widest = 0

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt name
        digits = len(str(self.count()))
        hint = self._hints.get(digits)
        if hint is None:
            hint = self._hints[digits] = super().sizeHint()
        self._widest = max(self._widest, hint.width())
        return QSize(self._widest, hint.height())

    def changeEvent(self, event) -> None:  # noqa: N802 - Qt name
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._hints.clear()
            self._widest = 0
        super().changeEvent(event)

    def set_column_widths(self, widths) -> None:
        self._widths = tuple(widths)
        self.follow_font()

    def setDefaultSectionSize(self, size: int) -> None:  # noqa: N802 - Qt name
        self._default = size
        self.follow_font()

    def setMinimumSectionSize(self, size: int) -> None:  # noqa: N802 - Qt name
        self._minimum = size
        self.follow_font()

    def follow_font(self) -> None:
        if self._minimum is not None:
            super().setMinimumSectionSize(min(scaled(self._minimum), super().minimumSectionSize()))
        if self._default is not None:
            super().setDefaultSectionSize(scaled(self._default))
        if self._minimum is not None:
            super().setMinimumSectionSize(scaled(self._minimum))
        table = self.parent()
        for col, width in enumerate(self._widths):
            table.setColumnWidth(col, scaled(width))
