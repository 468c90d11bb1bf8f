"""字号 (查看 ▸ 字号): 标准 / 大 / 特大 for the whole program, remembered per staff account.

One factor scales everything drawn from a size: the application font's point size, the sizes the stylesheet
names (font-size, heights and widths; borders, radii and paddings stay as drawn), the row heights of every table
made by `table_model.make_table_view` (its vertical header is a `list_table.RowHeights`, which takes heights in px at
标准 and keeps them in step), and the print preview's zoom. A widget's own stylesheet set through `set_style` (written at
标准, e.g. the home page's tiles) is scaled as the program's is; a form's multi-line text box made `fix_lines` high
stays that many lines of its font high.

Where the choice is kept: QSettings (this PC's per-user settings file), under the staff account's user name. It is
a preference of the person at this screen, not office data: it needs no schema change and no write permission (a
read-only session, or a database another copy has open, can still enlarge its text), it is never in a backup or an
export, and one PC's screen may want a different size than another's. The last size used on this PC is kept too:
the login window opens at it (before the password it cannot know who is typing).
"""
from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING
from urllib.parse import quote

from PySide6.QtCore import QEvent, QObject, QSettings, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from ..core import session

if TYPE_CHECKING:
    from PySide6.QtWidgets import QPlainTextEdit, QTextEdit

STANDARD, LARGE, LARGEST = "标准", "大", "特大"
FACTORS = {STANDARD: 1.0, LARGE: 1.2, LARGEST: 1.4}  # 10 pt -> 12 pt -> 14 pt
NAMES = tuple(FACTORS)
BASE_POINT_SIZE = 10
SETTINGS_GROUP = "fontSize"
LAST_KEY = f"{SETTINGS_GROUP}/last"
# The stylesheet's properties that are a size of text or of a box drawn around text, and a group box's top margin
# (its title is drawn in it: at 特大 the title was cut); the others (borders, radii, paddings) stay as drawn.
SCALED_PROPERTIES = ("font-size", "min-height", "height", "max-height", "min-width", "width", "max-width",
                     "margin-top")
OWN_STYLE = "fontSizeOwnStyle"  # the dynamic property that keeps a widget's own stylesheet as written (at 标准)

_base_stylesheet = ""
_current = STANDARD


def factor(name: str | None = None) -> float:
    return FACTORS.get(name or _current, 1.0)


def current() -> str:
    return _current


def scaled(px: int | float, name: str | None = None) -> int:
    """A size in px at 标准, at the size now applied (or at `name`)."""
    return round(px * factor(name))


def scaled_stylesheet(text: str, scale: float) -> str:
    """The stylesheet with every size in SCALED_PROPERTIES (px or pt) multiplied by `scale`."""
    if scale == 1.0:
        return text
    pattern = re.compile(r"(?<![\w-])(" + "|".join(re.escape(p) for p in SCALED_PROPERTIES)
                         + r")(\s*:\s*)(\d+(?:\.\d+)?)(px|pt)")

    def grow(match: re.Match) -> str:
        value = float(match.group(3)) * scale
        number = f"{value:.1f}".rstrip("0").rstrip(".") if match.group(4) == "pt" else str(round(value))
        return f"{match.group(1)}{match.group(2)}{number}{match.group(4)}"

    return pattern.sub(grow, text)


# --- where the choice is kept ---
def _user_key(who: session.Session | None = None) -> str:
    who = who or session.current
    name = who.username or f"@{who.user}"  # no accounts yet: the OS login name (marked, so no account can match it)
    return f"{SETTINGS_GROUP}/users/{quote(name, safe='')}"  # a '/' in a user name is not a settings group


def saved(who: session.Session | None = None) -> str:
    name = QSettings().value(_user_key(who), STANDARD)
    return name if name in FACTORS else STANDARD


def remember(name: str, who: session.Session | None = None) -> None:
    """`name` for this account, and as the size last used on this PC (written only when it changes)."""
    settings = QSettings()
    for key in (_user_key(who), LAST_KEY):
        if settings.value(key) != name:
            settings.setValue(key, name)


def last_used() -> str:
    name = QSettings().value(LAST_KEY, STANDARD)
    return name if name in FACTORS else STANDARD


# --- applying it ---
def install(app: QApplication, stylesheet: str) -> None:
    """Start-up: the stylesheet as written (at 标准), then 标准 applied."""
    global _base_stylesheet
    _base_stylesheet = stylesheet
    apply(STANDARD, app, force=True)


def apply(name: str, app: QApplication | None = None, force: bool = False) -> None:
    """Set the application font and the stylesheet at `name`, and every table's row height; at once, no restart.
    Nothing is done when `name` is the size applied already (the stylesheet polishes every widget again: at login,
    on a built window, that would cost a good part of a first paint)."""
    global _current
    app = app or QApplication.instance()
    name = name if name in FACTORS else STANDARD
    if name == _current and not force:
        return
    _current = name
    font = app.font()
    font.setPointSizeF(BASE_POINT_SIZE * factor(name))
    app.setFont(font)
    # Set again even when unchanged: a widget the stylesheet styles takes the new application font only when the
    # stylesheet polishes it again.
    app.setStyleSheet(scaled_stylesheet(_base_stylesheet, factor(name)))
    for widget in app.allWidgets():
        follow_font = getattr(widget, "follow_font", None)  # a list's row header (list_table.RowHeights)
        if follow_font is not None:
            follow_font()
        own = widget.property(OWN_STYLE)
        if own is not None:
            widget.setStyleSheet(scaled_stylesheet(own, factor(name)))


def set_style(widget: QWidget, stylesheet: str) -> None:
    """A widget's own stylesheet, written at 标准 (e.g. the home page's "font-size: 28px"): set with its sizes at
    the size now applied, and again when the size changes (apply)."""
    widget.setProperty(OWN_STYLE, stylesheet)
    widget.setStyleSheet(scaled_stylesheet(stylesheet, factor()))


class _LinesHigh(QObject):
    """Keeps a text box `lines` lines of its font high: again when its font or style changes (字号) and when it is
    shown (the stylesheet's padding has reached it then)."""

    def __init__(self, edit: QPlainTextEdit | QTextEdit, lines: float):
        super().__init__(edit)
        self.edit = edit
        self.lines = lines
        edit.installEventFilter(self)
        self.fit()

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt name
        # Show too: at Polish the stylesheet's padding is not yet in the frame width
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange, QEvent.Type.Polish, QEvent.Type.Show):
            self.fit()
        return False

    def fit(self) -> None:
        edit = self.edit
        text = self.lines * edit.fontMetrics().lineSpacing() + 2 * edit.document().documentMargin()
        edit.setFixedHeight(math.ceil(text) + 2 * edit.frameWidth())


def fix_lines(edit: QPlainTextEdit | QTextEdit, lines: float) -> None:
    """A form's multi-line text box as high as `lines` lines of its own font, at every 字号 (a fixed height in px
    showed fewer lines at 特大)."""
    _LinesHigh(edit, lines)


# --- the print preview ---
def preview_zoom(fit_factor: float, name: str | None = None) -> float:
    """The preview's zoom: Qt's whole-page fit at 标准, that times the factor at 大 and 特大 (text on the page then
    grows as the program's own text did)."""
    return fit_factor * factor(name)


class _ZoomWhenShown(QObject):
    def __init__(self, dialog: QWidget, preview: QWidget, name: str):
        super().__init__(dialog)
        self.preview = preview
        self.name = name
        dialog.installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt name
        if event.type() == QEvent.Type.Show:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self, self.zoom)  # once laid out: the fit is computed from the shown size
        return False

    def zoom(self) -> None:
        self.preview.setZoomMode(self.preview.ZoomMode.FitInView)
        self.preview.setZoomFactor(preview_zoom(self.preview.zoomFactor(), self.name))


def zoom_preview(dialog: QWidget) -> None:
    """printing.open_preview: a QPrintPreviewDialog opens zoomed to the font size (as it was at 标准: whole page)."""
    from PySide6.QtPrintSupport import QPrintPreviewWidget

    preview = dialog.findChild(QPrintPreviewWidget)
    if preview is not None and factor() != 1.0:
        _ZoomWhenShown(dialog, preview, current())
