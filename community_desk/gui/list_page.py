"""The base of every list page: a filter row, a lazy table, the record actions, export, print and PDF.

A module page declares what it lists (columns, filters, buttons, the tables whose change it shows) and answers a
few questions: which ids match a filter (`find`, on a worker), how a record opens (`form_class` or
`open_record`), what 删除 asks and does, what 导出Excel writes and what 打印预览 prints. The base does the rest
the same way on every page:

- typing and every filter start a search on a worker (tasks.LatestQuery: only the newest result is shown);
  a page with `first_page` shows that many ids at once and the rest when the typing pauses; a page whose `find`
  takes `within` (`narrows`) is given the whole previous result when one more character can only match fewer,
  and the rows already loaded are shown again without loading them;
- sorting by a header click runs in SQL (the filter carries sort_key / descending);
- the selection is kept across refreshes, by id;
- double-click or Enter opens the record, Delete deletes (with the confirmation);
- 导出Excel runs through exporting.run_export; 打印预览 and 另存为PDF through gui/printing, whose
  make_document runs on a worker: `print_document` reads the widgets on the GUI thread and returns it;
- the status text is the page's own words (`count_text`), also sent to the status bar (count_changed);
- bus.data_changed for a declared table refreshes the list (and refills the filters that list its values).

Buttons connect through lambdas, so that no slot ever receives Qt's `checked` argument.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Collection, Iterable, Sequence
from typing import Any

from PySide6.QtCore import QDate, QItemSelection, QItemSelectionModel, Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from ..core.queries.search_text import normalize_query
from ..core.session import PermissionDenied
from . import printing, tasks
from .dialogs.base import confirm, show_error
from .exporting import ask_xlsx_path, run_export, with_suffix
from .list_specs import Action, Check, Combo, DateFilter, Filter
from .page import Page, bus, need_selection
from .table_model import LazyTableModel, make_table_view, selected_ids

REST_DELAY_MS = 150  # the rest of a long result is fetched once the typing pauses this long

__all__ = ["Action", "Check", "Combo", "DateFilter", "Filter", "ListPage"]


class ListPage(Page):
    # --- what is listed ---
    columns: Sequence[tuple[str, str]] = ()  # (key, header), from core.queries
    widths: Sequence[int] = ()
    filter_type: Callable[..., Any] = dict  # the core.queries filter built from the values (a dataclass)
    sort_key = ""  # the default sort column's key; "" = not sortable by a header click
    sort_descending = False
    search_hint = ""  # the search box's placeholder; "" = no search box
    filters: Sequence[Filter] = ()
    checks_below = False  # the check boxes on a line of their own under the search row
    first_page = 0  # > 0: show this many ids at once, the rest once the typing pauses (long registers)
    narrows = False  # find(flt, limit, within=ids) looks only at those ids (see _within)
    record_table = ""  # the table this page writes: data_changed names it after a save or a delete
    tables: Collection[str] | None = ()  # the changes this page shows ('*' = all data replaced); None = every change
    follow_hidden = True  # False: a change while the page is hidden is shown when it is next shown
    count_text = "共 {shown:,} 条"  # the status text; {shown} rows listed, {total} in all
    # --- buttons ("" = none) ---
    new_text = ""
    edit_text = "修改"  # shown when the page opens records (form_class or open_record)
    form_class: Callable[..., Any] | None = None  # form_class(page) for a new record, form_class(page, id) to edit
    actions: Sequence[Action] = ()  # on the selected record, between 修改 and 删除
    delete_text = ""
    delete_title = "删除"
    setup_actions: Sequence[Action] = ()  # after 删除: the list's own categories and settings
    export_text = ""
    export_done = "已导出 {count:,} 条到 {path}"
    export_is_list = False  # the export writes exactly the listed rows (its progress shows a percent)
    print_text = ""  # a page that prints also has 另存为PDF
    pdf_text = "另存为PDF"
    file_name = ""  # the default file name of an export or a PDF, before the date

    def __init__(self, parent=None):
        super().__init__(parent)
        self.searches = tasks.LatestQuery()
        self.total = 0
        self.last_export: str | None = None
        self._complete = True
        self._changes = 1  # data changes seen; the search passes `stale` while the last one is not yet shown
        self._changes_shown = 0
        self._rest_of: tuple[int, Any, dict[str, Any]] = (0, None, {})  # the newest search: (seq, filter, options)
        self._whole: tuple[Any, list[int], int] | None = None  # (filter, ids, changes seen): the last complete result
        self._wanted: set[int] = set()  # selected ids not yet back in the list (the rest of a long result)
        self._rest_timer = QTimer(self)
        self._rest_timer.setSingleShot(True)
        self._rest_timer.timeout.connect(self._load_rest)

        self.search_edit: QLineEdit | None = None
        if self.search_hint:
            self.search_edit = QLineEdit()
            self.search_edit.setPlaceholderText(self.search_hint)
            self.search_edit.setClearButtonEnabled(True)
            self.search_edit.textChanged.connect(lambda _text: self.run_search())
        self.filter_widgets: dict[str, QWidget] = {}
        for spec in self.filters:
            self.filter_widgets[spec.field] = widget = self._make_filter_widget(spec)
            setattr(self, spec.name, widget)
        self.fill_filters()

        self.model = LazyTableModel([header for _key, header in self.columns], self.load_rows, self,
                                    formatter=self.format_row if self._overrides("format_row") else None,
                                    row_style=self.row_colour if self._overrides("row_colour") else None)
        self.table = make_table_view(self.model, self.widths)
        if self.sort_key:
            keys = self.column_keys()
            self.model.sort_column = keys.index(self.sort_key)
            self.model.sort_order = Qt.SortOrder.DescendingOrder if self.sort_descending else Qt.SortOrder.AscendingOrder
            self.table.horizontalHeader().setSortIndicator(self.model.sort_column, self.model.sort_order)
            self.table.setSortingEnabled(True)
            self.model.sort_requested = lambda _column, _order: self.run_search()
        self.table.doubleClicked.connect(lambda index: self.edit_record(self.model.id_at(index.row())))
        if self.can_open():
            for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                QShortcut(QKeySequence(key), self.table, context=Qt.ShortcutContext.WidgetShortcut,
                          activated=lambda: self.edit_selected())
        if self.delete_text:
            QShortcut(QKeySequence(Qt.Key.Key_Delete), self.table, context=Qt.ShortcutContext.WidgetShortcut,
                      activated=lambda: self.delete_selected())

        # The count takes the room between the buttons, whatever its text: a label as wide as its text changed the
        # layout on every typed character, and Qt then repainted the whole page (the search figure of issue 19).
        self.count_label = QLabel()
        self.count_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.count_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.buttons = QHBoxLayout()  # the record buttons; an embedding page may add its own (add_button)
        self.action_buttons: dict[str, QPushButton] = {}  # by slot name
        self.new_button = self._button(self.new_text, self.new_record)
        self.edit_button = self._button(self.edit_text if self.can_open() else "", self.edit_selected)
        record_actions = [self._action_button(action) for action in self.actions]
        self.delete_button = self._button(self.delete_text, self.delete_selected)
        setup_actions = [self._action_button(action) for action in self.setup_actions]
        for button in (self.new_button, self.edit_button, *record_actions, self.delete_button, *setup_actions):
            if button is not None:
                self.buttons.addWidget(button)
        self.export_button = self._button(self.export_text, self.export_excel)
        self.print_button = self._button(self.print_text, self.print_preview)
        self.pdf_button = self._button(self.pdf_text if self.print_text else "", self.save_pdf)
        self._lay_out()
        if self.tables is None or self.tables:
            bus.data_changed.connect(self._on_data_changed)
        self.run_search()

    # --- building ---
    def _overrides(self, name: str) -> bool:
        return getattr(type(self), name) is not getattr(ListPage, name)

    def column_keys(self) -> list[str]:
        return [key for key, _header in self.columns]

    def _make_filter_widget(self, spec: Filter) -> QWidget:
        if isinstance(spec, Combo):
            combo = QComboBox()
            if not callable(spec.choices):
                self._set_choices(combo, spec, spec.choices)
            combo.currentIndexChanged.connect(lambda _i, field=spec.field: self._filter_changed(field))
            return combo
        if isinstance(spec, Check):
            check = QCheckBox(spec.label)
            check.setChecked(spec.checked)
            check.setToolTip(spec.tip)
            check.toggled.connect(lambda _on: self.run_search())
            return check
        edit = QDateEdit(_qdate(spec.default()))
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("yyyy-MM-dd")
        edit.dateChanged.connect(lambda _d: self.run_search())
        return edit

    def _button(self, text: str, slot: Callable[[], Any]) -> QPushButton | None:
        if not text:
            return None
        button = QPushButton(text)
        button.clicked.connect(lambda: slot())
        return button

    def _action_button(self, action: Action) -> QPushButton:
        button = self._button(action.text, getattr(self, action.slot))
        button.setToolTip(action.tip)
        self.action_buttons[action.slot] = button
        return button

    def _lay_out(self) -> None:
        rows = QHBoxLayout()
        below = QHBoxLayout()
        if self.search_edit is not None:
            rows.addWidget(self.search_edit, 3)
        for spec in self.filters:
            widget = self.filter_widgets[spec.field]
            if isinstance(spec, Check):
                (below if self.checks_below else rows).addWidget(widget)
                continue
            if spec.label:
                rows.addWidget(QLabel(spec.label))
            rows.addWidget(widget, 1 if isinstance(spec, Combo) else 0)
        if self.search_edit is None:
            rows.addStretch(1)
        self.checks_row = below  # a page may add a legend here
        line = QHBoxLayout()
        line.addLayout(self.buttons)
        line.addWidget(self.count_label, 1)
        for button in (self.export_button, self.print_button, self.pdf_button):
            if button is not None:
                line.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addLayout(rows)
        if self.checks_below:
            below.addStretch(1)
            layout.addLayout(below)
        summary = self.build_summary()
        if summary is not None:
            layout.addWidget(summary)
        layout.addLayout(line)
        layout.addWidget(self.build_list_area(), 1)

    def build_summary(self) -> QWidget | None:
        """A line between the filters and the buttons (totals by kind, counts by status), built once."""
        return None

    def build_list_area(self) -> QWidget:
        """What shows the list (the table; a page may put it in a splitter with a second table)."""
        return self.table

    # --- filters ---
    def _set_choices(self, combo: QComboBox, spec: Combo, choices: Iterable[tuple[str, Any]]) -> None:
        current = combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        if spec.all_text:
            combo.addItem(spec.all_text, None)
        for text, value in choices:
            combo.addItem(text, value)
        combo.setCurrentIndex(max(combo.findData(current), 0) if current is not None else 0)
        combo.blockSignals(False)

    def _refill(self, spec: Combo) -> None:
        if callable(spec.choices):
            self._set_choices(self.filter_widgets[spec.field], spec, spec.choices(self.filter_values()))

    def fill_filters(self, table: str | None = None) -> None:
        """Read the filters' choices again: all of them, or those that list values of `table`."""
        for spec in self.filters:
            if isinstance(spec, Combo) and (table in (None, "*") or table in spec.tables):
                self._refill(spec)

    def _filter_changed(self, field: str) -> None:
        for spec in self.filters:
            if isinstance(spec, Combo) and spec.depends_on == field:
                self._refill(spec)
        self.run_search()

    def filter_values(self) -> dict[str, Any]:
        """What the person chose, read on the GUI thread; a drop-down left at 全部 is left out."""
        values: dict[str, Any] = {}
        if self.search_edit is not None:
            values["text"] = self.search_edit.text()
        for spec in self.filters:
            widget = self.filter_widgets[spec.field]
            if isinstance(spec, Combo):
                if widget.currentData() is not None:
                    values[spec.field] = widget.currentData()
            elif isinstance(spec, Check):
                values[spec.field] = widget.isChecked()
            else:
                values[spec.field] = widget.date().toPython()
        return values

    def set_filters(self, text: str = "", **values: Any) -> None:
        """Show the list with these filter values and every other filter at its default (a link from the home
        screen: 在管 cases, 未办结 requests, the residents of one community)."""
        widgets = [w for w in (self.search_edit, *self.filter_widgets.values()) if w is not None]
        for widget in widgets:
            widget.blockSignals(True)
        try:
            if self.search_edit is not None:
                self.search_edit.setText(text)
            for spec in self.filters:
                widget = self.filter_widgets[spec.field]
                value = values.get(spec.field)
                if isinstance(spec, Combo):
                    self._refill(spec)
                    widget.setCurrentIndex(max(widget.findData(value), 0) if value is not None else 0)
                elif isinstance(spec, Check):
                    widget.setChecked(spec.checked if value is None else bool(value))
                else:
                    widget.setDate(_qdate(value or spec.default()))
        finally:
            for widget in widgets:
                widget.blockSignals(False)
        self.run_search()

    def make_filter(self, values: dict[str, Any]) -> Any:
        """The query filter of these values (GUI thread), with the sort column when the page sorts."""
        if self.sort_key:
            keys = self.column_keys()
            column = self.model.sort_column
            values = {**values, "sort_key": keys[column] if 0 <= column < len(keys) else self.sort_key,
                      "descending": self.model.sort_order == Qt.SortOrder.DescendingOrder}
        return self.filter_type(**values)

    def current_filter(self) -> Any:
        return self.make_filter(self.filter_values())

    # --- what the page answers ---
    def load_rows(self, ids: list[int]) -> dict[int, tuple]:
        """The display rows of these ids (the model asks block by block, on the GUI thread)."""
        raise NotImplementedError

    def format_row(self, row: tuple) -> tuple:
        return row

    def row_colour(self, row: tuple) -> str | None:
        return None

    def find(self, flt: Any, limit: int | None = None) -> list[int]:
        """The ids matching the filter, in order (on a worker: use only the arguments)."""
        raise NotImplementedError

    def search_options(self) -> dict[str, Any]:
        """What `find` is given besides the filter, read on the GUI thread when the search starts (the registry's
        search keys in memory, while they are fresh)."""
        return {}

    def find_more(self, flt: Any, stale: bool) -> Any:
        """What the page shows besides the ids (totals, counts), found on the worker with them. `stale`: the
        data changed since the last result was shown (a total that does not move while one types)."""
        return None

    def show_more(self, more: Any) -> None:
        """Show what find_more found (GUI thread, before the ids)."""

    def status_text(self) -> str:
        return self.count_text.format(shown=self.model.rowCount(), total=self.total)

    # --- searching ---
    def run_search(self, *_args) -> None:
        flt = self.current_filter()
        seen = self._changes
        stale = seen != self._changes_shown
        limit = self.first_page or None
        within = self._within(flt, seen)
        self._complete = False
        self._rest_timer.stop()
        options = self.search_options()
        if within is not None:
            options["within"] = within
        work = lambda: (self.find(flt, limit, **options), self.find_more(flt, stale))  # noqa: E731
        self.searches.run(work, lambda result: self._show_first(flt, seen, limit, *result, narrowed=within is not None),
                          self._search_failed)
        self._rest_of = (self.searches.started, flt, options)

    def _within(self, flt: Any, seen: int) -> list[int] | None:
        """The previous result when it holds every match of `flt`: it was complete, nothing changed since, every other
        filter is the same and the typed text begins with the previous one (one more character typed at the end: a
        name key that starts with 'wcc' starts with 'wc', one that merely contains it need not). A search then
        reads a few hundred rows by id instead of scanning the whole search table for a rare fragment."""
        if not self.narrows or self._whole is None or not dataclasses.is_dataclass(flt):
            return None
        before, ids, changes = self._whole
        if changes != seen or len(ids) > max(self.first_page, 1000) or type(before) is not type(flt):
            return None
        old, new = normalize_query(before.text), normalize_query(flt.text)
        if not old or not new.startswith(old) or dataclasses.replace(before, text=flt.text) != flt:
            return None
        return ids

    def _show_first(self, flt: Any, seen: int, limit: int | None, ids: list[int], more: Any,
                    narrowed: bool = False) -> None:
        wanted = set(selected_ids(self.table)) | self._wanted
        self._changes_shown = max(self._changes_shown, seen)
        self._complete = limit is None or len(ids) < limit
        self._whole = (flt, ids, seen) if self._complete else None
        self.show_more(more)
        self.model.set_ids(ids, keep_rows=narrowed)
        self.table.executeDelayedItemsLayout()  # laid out now: the next paint is the only one, not one more after it
        missing = self._select(wanted, 0) if wanted else set()
        self._wanted = set() if self._complete else missing  # perhaps among the rest
        self._show_count()
        if not self._complete:
            self._rest_timer.start(REST_DELAY_MS)

    def _load_rest(self) -> None:
        seq, flt, options = self._rest_of
        options = {key: value for key, value in options.items() if key != "within"}
        start = self.first_page
        if seq == self.searches.started == self.searches.shown:  # not when another key was typed meanwhile
            tasks.run_query(lambda: self.find(flt, **options)[start:], lambda rest: self._show_rest(seq, rest),
                            self._search_failed)

    def _show_rest(self, seq: int, rest: list[int]) -> None:
        if seq != self.searches.started:
            return
        start = self.model.rowCount()
        self.model.extend_ids(rest)
        self._complete = True
        self._whole = (self._rest_of[1], self.model.ids(), self._changes_shown)
        if self._wanted:
            self._select(self._wanted, start, keep=True)
            self._wanted = set()
        self._show_count()

    def _select(self, wanted: set[int], start: int, keep: bool = False) -> set[int]:
        """Select the rows of these ids from row `start` on; returns the ids not found."""
        ids = self.model.ids()
        rows = [row for row in range(start, len(ids)) if ids[row] in wanted]
        if not rows:
            return wanted
        selection = QItemSelection()
        last = self.model.columnCount() - 1
        first = previous = rows[0]
        for row in [*rows[1:], None]:
            if row is not None and row == previous + 1:
                previous = row
                continue
            selection.select(self.model.index(first, 0), self.model.index(previous, last))
            if row is not None:
                first = previous = row
        flags = QItemSelectionModel.SelectionFlag
        chosen = self.table.selectionModel()
        if not keep:
            chosen.setCurrentIndex(self.model.index(rows[0], 0), flags.NoUpdate)
            self.table.scrollTo(self.model.index(rows[0], 0))
        chosen.select(selection, flags.Select | flags.Rows)
        return wanted - {ids[row] for row in rows}

    def _show_count(self) -> None:
        self.count_label.setText(self.status_text())
        self.count_changed.emit(self.status_text())

    def _search_failed(self, exc: BaseException) -> None:
        self.count_label.setText(f"查询失败：{exc}")

    def search_done(self) -> bool:
        """True when the newest search's first page is shown (tests and benchmarks wait on this)."""
        return self.searches.done()

    def search_complete(self) -> bool:
        """True when every id of the newest search is in the table."""
        return self.search_done() and self._complete

    def _follows(self, table: str) -> bool:
        return self.tables is None or table == "*" or table in self.tables

    def _on_data_changed(self, table: str) -> None:
        if not self._follows(table) or (not self.follow_hidden and not self.isVisible()):
            return
        self._changes += 1
        self.fill_filters(table)
        self.model.invalidate()
        self.run_search()

    def refresh(self) -> None:
        self._changes += 1
        self.fill_filters()
        self.model.invalidate()
        self.run_search()

    def showEvent(self, event) -> None:  # noqa: N802 - Qt name
        if not self.follow_hidden:
            self.refresh()
        super().showEvent(event)

    def focus_search(self) -> None:
        if self.search_edit is None:
            self.table.setFocus()
            return
        self.search_edit.setFocus()
        self.search_edit.selectAll()

    # --- records ---
    def selected_ids(self) -> list[int]:
        return selected_ids(self.table)

    def changed(self) -> None:
        """A record was saved or deleted: every page that shows this table refreshes."""
        bus.data_changed.emit(self.record_table)

    def can_open(self) -> bool:
        return self.form_class is not None or self._overrides("open_record")

    def open_record(self, record_id: int | None) -> bool:
        """Open the form of a record (None: a new one); True when something was saved."""
        form = self.form_class(self) if record_id is None else self.form_class(self, record_id)
        return bool(form.exec())

    def new_record(self) -> None:
        if not self.new_text:
            self.not_here("新增")
        elif self.open_record(None):
            self.changed()

    def edit_record(self, record_id: int | None) -> None:
        if record_id is not None and self.can_open() and self.open_record(record_id):
            self.changed()

    def edit_selected(self) -> None:
        ids = self.selected_ids()
        if need_selection(self, ids):
            self.edit_record(ids[0])

    def delete_question(self, ids: list[int]) -> str:
        return f"确定删除选中的 {len(ids)} 条记录？此操作记入操作日志。"

    def delete_records(self, ids: list[int]) -> None:
        raise NotImplementedError

    def delete_selected(self) -> None:
        ids = self.selected_ids()
        if not self.delete_text or not need_selection(self, ids) or not confirm(self, self.delete_title, self.delete_question(ids)):
            return
        try:
            self.delete_records(ids)
        except PermissionDenied as exc:
            show_error(self, self.delete_title, exc.message)
            return
        self.changed()

    # --- export and print ---
    def export_file_name(self, flt: Any) -> str:
        return f"{self.file_name}_{dt.date.today():%Y%m%d}.xlsx"

    def export_work(self, path: str, flt: Any, **options: Any) -> Callable[[Callable[[int], bool]], int] | None:
        """The export of this list: work(progress) -> rows written, run on a worker; None when the person
        cancelled a question asked here (masked or full IDs)."""
        raise NotImplementedError

    def export_excel(self, path: str | None = None, **options: Any) -> None:
        if not self.export_text:
            self.not_here("导出Excel")
            return
        flt = self.current_filter()
        path = with_suffix(path) if path else ask_xlsx_path(self, self.export_file_name(flt))
        if not path:
            return
        work = self.export_work(path, flt, **options)
        if work is None:
            return
        self.count_label.setText("正在导出……")
        total = self.model.rowCount() if self.export_is_list and self.search_complete() else 0
        run_export(self, path, work, button=self.export_button, total=total,
                   on_done=lambda count: self.count_label.setText(self.export_done.format(count=count, path=path)),
                   on_failed=lambda: self.count_label.setText(self.status_text()))

    def print_document(self) -> Callable[[], printing.Printable]:
        """Read what is shown (GUI thread) and return make_document: called on a worker, it may query core and
        returns the printing.TableSheet or Document."""
        raise NotImplementedError

    def pdf_file_name(self) -> str:
        return f"{self.file_name}_{dt.date.today():%Y%m%d}.pdf"

    def print_preview(self) -> None:
        if not self.print_text:
            self.not_here("打印预览")
        else:
            printing.open_preview(self, self.print_document())

    def save_pdf(self, path: str | None = None) -> None:
        if not self.print_text:
            self.not_here("另存为PDF")
        else:
            printing.save_pdf_as(self, self.print_document(), self.pdf_file_name(), path=path)


def _qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)
