"""字号 reaches what drew its own sizes: the home page's heading and tiles (px in their own stylesheets), the today
view's rows (counted at the real row height, not 21 px), and the forms' multi-line text boxes (lines of the font,
not a fixed height in px); also when the size changes while they are shown."""
from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication, QPlainTextEdit

from community_desk.gui import font_size
from community_desk.gui.windows.home.page import HomePage
from community_desk.gui.windows.quarantine.today_view import MIN_ROWS, ROW_HEIGHT, TodayView
from community_desk.gui.windows.residents.form import ResidentForm


@pytest.fixture
def styled(qapp, qt_settings):
    """The program's own font and stylesheet; 标准 again afterwards (the application is shared by the tests)."""
    from community_desk.gui.bootstrap import make_application

    app = make_application([])
    yield app
    font_size.apply(font_size.STANDARD, app, force=True)


def test_a_tile_and_the_heading_grow_with_the_size_while_shown(community, qtbot, styled):
    home = HomePage()
    qtbot.addWidget(home)
    home.resize(1100, 600)
    home.show()
    qtbot.waitUntil(home.loaded, timeout=10000)
    tile = home.tiles["open_cases"]
    before = (tile.number.fontInfo().pixelSize(), tile.caption.fontInfo().pixelSize(),
              home.heading.fontInfo().pixelSize())
    assert before[0] == 28 and before[2] == 16  # as drawn at 标准
    font_size.apply(font_size.LARGEST, styled)  # chosen while the page is shown
    qtbot.wait(50)
    after = (tile.number.fontInfo().pixelSize(), tile.caption.fontInfo().pixelSize(),
             home.heading.fontInfo().pixelSize())
    assert after == (round(28 * 1.4), round(13 * 1.4), round(16 * 1.4))
    assert "#1a237e" in tile.number.styleSheet()  # its colour kept
    home.tiles["open_requests"].set_number("7", alarm=True, detail="其中逾期 2", detail_alarm=True)
    assert home.tiles["open_requests"].number.fontInfo().pixelSize() == round(28 * 1.4)  # a new number too
    qtbot.wait(50)
    for t in home.tiles.values():  # the taller text is not cut: the tile grows with it
        assert t.height() >= t.layout().sizeHint().height(), t.caption.text()
    font_size.apply(font_size.STANDARD, styled)
    assert tile.number.fontInfo().pixelSize() == 28 and home.heading.fontInfo().pixelSize() == 16


def test_the_today_view_counts_its_rows_at_their_real_height(community, qtbot, styled):
    view = TodayView()
    qtbot.addWidget(view)
    view.resize(1100, 700)
    view.show()
    qtbot.waitUntil(view.loaded, timeout=10000)
    font_size.apply(font_size.LARGE, styled)
    qtbot.wait(50)
    large = round(ROW_HEIGHT * 1.2)
    for key, section in view.sections.items():
        table = section.table
        assert table.verticalHeader().defaultSectionSize() == large
        assert section.visible_rows() == table.viewport().height() // large, key
        assert table.minimumHeight() == section.chrome_height() + MIN_ROWS * large, key
        assert table.viewport().height() >= MIN_ROWS * large, key  # the rows a list keeps are whole rows of 大
    font_size.apply(font_size.STANDARD, styled)
    qtbot.wait(50)
    section = view.sections["tests_due"]
    assert section.table.minimumHeight() == section.chrome_height() + MIN_ROWS * ROW_HEIGHT


def test_a_forms_notes_box_shows_its_lines_at_every_size(community, qtbot, styled):
    heights = {}
    for name in (font_size.STANDARD, font_size.LARGEST):
        font_size.apply(name, styled)
        form = ResidentForm(None)
        qtbot.addWidget(form)
        form.show()
        notes: QPlainTextEdit = form.notes_edit
        notes.setPlainText("\n".join(f"第{i}行" for i in range(1, 6)))
        qtbot.wait(20)
        heights[name] = notes.height()
        spacing = notes.fontMetrics().lineSpacing()
        inside = notes.viewport().height() - 2 * notes.document().documentMargin()
        assert inside >= 2 * spacing, name  # two whole lines, at 特大 as at 标准
        form.close()
    assert heights[font_size.LARGEST] > heights[font_size.STANDARD]


def test_a_notes_box_follows_a_size_chosen_while_the_form_is_open(community, qtbot, styled):
    form = ResidentForm(None)
    qtbot.addWidget(form)
    form.show()
    standard = form.notes_edit.height()
    font_size.apply(font_size.LARGE, QApplication.instance())
    qtbot.wait(20)
    assert form.notes_edit.height() > standard
    assert form.notes_edit.viewport().height() >= 2 * form.notes_edit.fontMetrics().lineSpacing()


def test_the_tiles_sit_fewer_abreast_when_four_no_longer_fit(community, qtbot, styled):
    """At 特大 in a window 1024 px wide four tiles cut their captions: they go two or three abreast, and back to
    four at 标准; every caption is whole."""
    home = HomePage()
    qtbot.addWidget(home)
    home.resize(874, 600)  # the page's share of a 1024 px window
    home.show()
    qtbot.waitUntil(home.loaded, timeout=10000)
    assert home.tile_columns == 4
    font_size.apply(font_size.LARGEST, styled)
    qtbot.waitUntil(lambda: home.tile_columns < 4, timeout=5000)
    for tile in home.tiles.values():
        assert tile.width() >= tile.needed_width(), tile.caption.text()
    font_size.apply(font_size.STANDARD, styled)
    qtbot.waitUntil(lambda: home.tile_columns == 4, timeout=5000)
