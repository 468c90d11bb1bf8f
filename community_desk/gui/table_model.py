"""One lazy table model shared by every list window.

The model keeps only the ordered id list of the current search (rowCount() is its length) and
loads display rows in blocks of BLOCK rows on demand through a loader from core.queries, caching
a bounded number of blocks. Sorting and filtering happen in SQL: a window runs a new search and
calls `set_ids`. No proxy model, no list of all rows in Python.

`make_table_view` is the one read-only table view every list, tab and dialog shows a model in.
"""
from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Sequence

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

from .list_table import ListTable, RowHeights

BLOCK = 50  # rows loaded at a time: a screenful and a half (0.8 ms in the registry at 100,000 residents)
MAX_BLOCKS = 120  # 6,000 cached rows at most
ROW_HEIGHT = 26  # px at 字号 标准 (font_size scales it); fixed, so that a view never measures 100,000 rows

RowLoader = Callable[[list[int]], dict[int, tuple]]
Decorator = Callable[[tuple, int], dict]  # (row, column) -> {role: value}

_ValidIndex = QModelIndex | QPersistentModelIndex
_DELETED = ("（已删除）",)  # the texts of a row whose record was deleted since the list was read
_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable  # every cell: asked for each cell painted


class LazyTableModel(QAbstractTableModel):
    def __init__(self, headers: Sequence[str], loader: RowLoader, parent=None,
                 formatter: Callable[[tuple], tuple] | None = None,
                 row_style: Callable[[tuple], str | None] | None = None):
        super().__init__(parent)
        self._headers = list(headers)
        self._loader = loader
        self._formatter = formatter
        self._row_style = row_style
        self._ids: list[int] = []
        self._blocks: OrderedDict[int, list[tuple | None]] = OrderedDict()
        self._spare: dict[int, tuple | None] = {}  # rows of the previous id list, kept by set_ids(keep_rows=True)
        self.generation = 0  # counts the changes of what the rows show (a painter's cache says when it is stale)
        self.sort_column = 0
        self.sort_order = Qt.SortOrder.AscendingOrder
        self.sort_requested = None  # callable(column, order) set by the window

    # --- data ---
    def set_ids(self, ids: list[int], keep_rows: bool = False) -> None:
        """Show these ids. `keep_rows`: the data has not changed since the rows cached now were loaded (a search
        narrowed by one more character), so a row already loaded is shown again without asking the loader."""
        spare = {}
        if keep_rows:
            for block_no, block in self._blocks.items():
                start = block_no * BLOCK
                spare.update(zip(self._ids[start:start + len(block)], block, strict=True))
        self._spare = spare
        self.generation += 1
        if self.persistentIndexList():  # a selection, a current row: the old rows' indexes must all go
            self.beginResetModel()
            self._replace_ids(ids)
            self.endResetModel()
            return
        # else (typing a search, nothing chosen) the rows change in place: the view repaints the list, not its
        # headers, and the row numbers only where the count changed
        # (as Qt's model contract has it: rows removed or added at the end, and the rows kept, changed on their own)
        old, new = len(self._ids), len(ids)
        if new < old:
            self.beginRemoveRows(QModelIndex(), new, old - 1)
            self._replace_ids(self._ids[:new])
            self.endRemoveRows()
        kept = min(old, new)
        if kept:
            self._replace_ids([*ids[:kept], *self._ids[kept:]])
            self.dataChanged.emit(self.index(0, 0), self.index(kept - 1, len(self._headers) - 1))
        if new > old:
            self.beginInsertRows(QModelIndex(), old, new - 1)
            self._replace_ids(ids)
            self.endInsertRows()

    def _replace_ids(self, ids: list[int]) -> None:
        """Between a change's begin and end signals: rows read meanwhile were read from the old ids."""
        self._ids = list(ids)
        self._blocks.clear()

    def extend_ids(self, more: list[int]) -> None:
        """Append ids after the ones shown (the rest of a search whose first page is already shown)."""
        if not more:
            return
        start = len(self._ids)
        self.generation += 1
        self.beginInsertRows(QModelIndex(), start, start + len(more) - 1)
        self._ids.extend(more)
        self._blocks.pop(start // BLOCK, None)  # the last cached block was cut short at the old end
        self.endInsertRows()

    def invalidate(self) -> None:
        """Forget cached rows (the data changed, the ids did not)."""
        self._blocks.clear()
        self.generation += 1
        self._spare = {}
        if self._ids:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._ids) - 1, len(self._headers) - 1))

    def ids(self) -> list[int]:
        return self._ids

    def id_at(self, row: int) -> int | None:
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def row_of(self, record_id: int) -> int:
        try:
            return self._ids.index(record_id)
        except ValueError:
            return -1

    def cached_block_count(self) -> int:
        return len(self._blocks)

    def _row(self, row: int) -> tuple | None:
        block_no = row // BLOCK
        block = self._blocks.get(block_no)
        if block is None:
            start = block_no * BLOCK
            ids = self._ids[start:start + BLOCK]
            spare = self._spare
            missing = [rid for rid in ids if rid not in spare]
            loaded = self._loader(missing) if missing else {}
            block = []
            for rid in ids:
                if rid in spare:
                    block.append(spare[rid])  # formatted already
                    continue
                values = loaded.get(rid)
                if values is not None and self._formatter is not None:
                    values = self._formatter(values)
                block.append(values)
            self._blocks[block_no] = block
            while len(self._blocks) > MAX_BLOCKS:
                self._blocks.popitem(last=False)
        else:
            self._blocks.move_to_end(block_no)
        return block[row - block_no * BLOCK]

    def row_values(self, row: int) -> tuple | None:
        return self._row(row) if 0 <= row < len(self._ids) else None

    def row_display(self, row: int) -> tuple[tuple[str | None, ...], str | None]:
        """(the row's texts as shown, the row's colour): what data() gives for DisplayRole and BackgroundRole, for
        all the row's cells at once (gui/list_table.py paints from this)."""
        values = self._row(row) if 0 <= row < len(self._ids) else None
        if values is None:
            return _DELETED, None
        colour = self._row_style(values) if self._row_style is not None else None
        return tuple(None if value is None else str(value) for value in values), colour

    # --- Qt interface ---
    def rowCount(self, parent: _ValidIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: _ValidIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._headers)

    def data(self, index: _ValidIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not (0 <= index.row() < len(self._ids)):
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            texts, _colour = self.row_display(index.row())
            return texts[index.column()] if index.column() < len(texts) else None
        if role == Qt.ItemDataRole.BackgroundRole and self._row_style is not None:
            values = self._row(index.row())
            colour = self._row_style(values) if values is not None else None
            return QBrush(QColor(colour)) if colour else None
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self._headers[section] if 0 <= section < len(self._headers) else None
        return str(section + 1)

    def flags(self, index: _ValidIndex) -> Qt.ItemFlag:
        return _FLAGS if index.isValid() else Qt.ItemFlag.NoItemFlags

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.sort_column, self.sort_order = column, order
        if self.sort_requested is not None:
            self.sort_requested(column, order)


def selected_ids(table) -> list[int]:
    """The record ids of the rows selected in a view over a LazyTableModel, top to bottom."""
    model = table.model()
    rows = sorted({index.row() for index in table.selectionModel().selectedRows()})
    return [rid for rid in (model.id_at(r) for r in rows) if rid is not None]


def selected_id(table) -> int | None:
    """The first selected record id, or None."""
    ids = selected_ids(table)
    return ids[0] if ids else None


def make_table_view(model, widths: Sequence[int] = ()) -> QTableView:
    """A read-only table over `model`: whole rows selected, alternating colours, a fixed row height, the last
    column stretched, column widths measured on 100 rows at most (resizeColumnsToContents on 100,000 rows
    took 1.2 s, 0.2 s with the precision set); `widths` are the first columns' widths in px at 字号 标准.

    The row height and `widths` follow the 字号 (gui/font_size.py): so does a row height set later on
    `verticalHeader()`, which is given in px at 标准 too."""
    table = ListTable()
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    rows = RowHeights(table)
    table.setVerticalHeader(rows)
    rows.setDefaultSectionSize(ROW_HEIGHT)
    rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    header = table.horizontalHeader()
    header.setResizeContentsPrecision(100)
    header.setStretchLastSection(True)
    rows.set_column_widths(widths)
    if isinstance(model, LazyTableModel):
        # the scroll bar does not come and go with a search that finds a screenful or less (the list would move)
        table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
    return table
