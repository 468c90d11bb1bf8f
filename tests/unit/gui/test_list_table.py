"""Every list's table paints its rows itself (gui/list_table.py, issue 19). What a person sees is what Qt's own
painting showed: each row's texts, a too-long text cut with "…", the alternate, selected and coloured rows, the
grid; and while a search changes the rows in place the model keeps Qt's contract (Qt's own model tester)."""
from __future__ import annotations

from PySide6.QtGui import QColor, QStandardItem, QStandardItemModel

from community_desk.gui.table_model import LazyTableModel, make_table_view

LONG = "北京市房山区长阳镇原乡小镇社区三十一号楼三单元五零一室（东侧楼梯上）"
PINK = "#ffd7d7"


def rows(ids):
    return {i: (f"名{i}", LONG if i == 3 else f"{i}号楼", "" if i == 2 else "电话") for i in ids if i != 6}


def make(qtbot, count=12, width=520):
    model = LazyTableModel(["姓名", "住址", "联系方式"], rows, row_style=lambda row: PINK if row[0] == "名4" else None)
    model.set_ids(list(range(count)))
    view = make_table_view(model, (90, 200, 90))
    qtbot.addWidget(view)
    view.resize(width, 400)
    view.show()
    qtbot.waitExposed(view)
    return model, view


def colour_at(image, x, y) -> str:
    return QColor(image.pixel(x, y)).name()


def row_middle(view, row) -> int:
    return view.rowViewportPosition(row) + view.rowHeight(row) // 2


def test_rows_are_painted_in_their_colours_with_their_texts(qtbot):
    model, view = make(qtbot)
    view.selectRow(5)
    image = view.viewport().grab().toImage()
    palette = view.palette()
    right_of_text = view.columnViewportPosition(0) + view.columnWidth(0) - 6  # inside the cell, past its short text
    colours = [colour_at(image, right_of_text, row_middle(view, row)) for row in range(8)]
    assert colours[0] == palette.base().color().name()
    assert colours[1] == colours[3] == palette.alternateBase().color().name() != colours[0]
    assert colours[4] == PINK  # the page's row colour (an overdue case, a positive result)
    assert colours[5] == palette.highlight().color().name()  # the selected row
    assert colours[6] == colours[0]  # a row deleted since the search, in its place
    grid = view.columnViewportPosition(0) + view.columnWidth(0) - 1
    assert colour_at(image, grid, row_middle(view, 0)) != colours[0]  # the grid between the columns

    def ink(row, column) -> int:
        """Pixels darker than the row's own colour in a cell: its text."""
        x0, y0 = view.columnViewportPosition(column), view.rowViewportPosition(row)
        return sum(QColor(image.pixel(x, y)).lightness() < 128
                   for x in range(x0 + 2, x0 + view.columnWidth(column) - 2)
                   for y in range(y0 + 2, y0 + view.rowHeight(row) - 2))

    assert ink(0, 0) > 20 and ink(0, 2) > 20  # 名0, 电话
    assert ink(2, 2) == 0  # an empty cell
    assert ink(6, 0) > ink(6, 1) == 0  # （已删除） in the first column only


def test_a_text_too_long_for_its_column_is_cut_with_an_ellipsis(qtbot):
    _model, view = make(qtbot)
    width = view.columnWidth(1) - 1 - 8
    cut = view._fit(LONG, width)
    assert cut.endswith("…") and LONG.startswith(cut[:-1]) and len(cut) > 5
    assert view.fontMetrics().horizontalAdvance(cut) <= width
    assert view._fit("3号楼", width) == "3号楼"
    assert model_tooltip(view, 3, 1) == LONG  # the whole text stays in the tooltip


def model_tooltip(view, row, column):
    from PySide6.QtCore import Qt

    return view.model().data(view.model().index(row, column), Qt.ItemDataRole.ToolTipRole)


def test_a_hidden_column_is_not_painted(qtbot):
    _model, view = make(qtbot)
    view.setColumnHidden(0, True)
    assert [column for column, _x, _w in view._columns(0, view.viewport().width())] == [1, 2]
    view.viewport().grab()  # paints without it


def test_another_model_is_painted_by_qt(qtbot):
    model = QStandardItemModel(3, 2)
    for row in range(3):
        model.setItem(row, 0, QStandardItem(f"行{row}"))
    view = make_table_view(model)
    qtbot.addWidget(view)
    view.show()
    image = view.viewport().grab().toImage()
    assert any(QColor(image.pixel(x, y)).lightness() < 128 for x in range(4, 60) for y in range(4, 20))


def test_the_rows_change_in_place_within_qts_model_contract(qtbot, qtmodeltester):
    model, view = make(qtbot, count=40)
    qtmodeltester.check(model)  # Qt's tester stays on the model and checks every change below
    for ids in ([3, 2, 1], [], list(range(100, 130)), list(range(130, 160)), [7, 8]):
        model.set_ids(ids)
        assert model.ids() == ids
        assert [model.data(model.index(r, 0)) for r in range(len(ids))] == \
            [f"名{i}" if i != 6 else "（已删除）" for i in ids]
    view.selectRow(1)  # a chosen row: its index must not stay on the row now showing somebody else
    model.set_ids(list(range(20)))
    assert not view.selectionModel().hasSelection() and model.rowCount() == 20


def test_the_row_numbers_and_scroll_bar_stay_put_while_the_count_changes(qtbot):
    model, view = make(qtbot, count=1200)
    numbers = view.verticalHeader()
    wide = numbers.width()
    model.set_ids([1, 2, 3])
    qtbot.wait(10)
    assert numbers.width() == wide  # the columns do not move left when 1,200 rows become 3
    assert view.verticalScrollBar().isVisible()


def test_the_list_paints_every_pixel_of_its_viewport(qtbot):
    """The viewport is opaque (Qt paints nothing under it): its own painting fills the rows and what lies below the
    last one, with a few rows and with none. Rendered without Qt's background onto red: red left is unpainted."""
    from PySide6.QtCore import QPoint, Qt
    from PySide6.QtGui import QPixmap, QRegion
    from PySide6.QtWidgets import QWidget

    for count in (3, 0):
        model, view = make(qtbot, count=count)
        viewport = view.viewport()
        assert viewport.testAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        canvas = QPixmap(viewport.size())
        canvas.fill(QColor("red"))
        viewport.render(canvas, QPoint(), QRegion(), QWidget.RenderFlag(0))
        image = canvas.toImage()
        red = sum(colour_at(image, x, y) == "#ff0000"
                  for x in range(0, image.width(), 7) for y in range(0, image.height(), 7))
        assert red == 0, f"{count} rows: {red} unpainted points"
        below = view.rowViewportPosition(count - 1) + view.rowHeight(count - 1) + 20 if count else 20
        assert colour_at(image, 30, below) == view.palette().base().color().name()
