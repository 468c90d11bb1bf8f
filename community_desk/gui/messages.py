"""One line that tells the person what just happened: done (green), refused (red) or a plain note.

A `MessageLabel` never widens its window: it asks for no width of its own, shows as much as fits and ends with
"…" (the whole text is in its tooltip). The main window clears every such line of a page when the person goes to
another page, so yesterday's "已导出" does not stand next to today's work.
"""
from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget

OK, REFUSED, INFO = "ok", "refused", "info"
KINDS = (OK, REFUSED, INFO)


class MessageLabel(QLabel):
    """A one-line message, elided to the width it is given; `kind` styles it (resources/style.qss)."""

    def __init__(self, text: str = "", kind: str = INFO, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("message")
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self._full = ""
        self.show_message(text, kind)

    # --- what the page says ---
    def show_message(self, text: str, kind: str = INFO) -> None:
        self._full = text
        style_as(self, kind)
        self.setToolTip(text if text else "")
        self._elide()
        self.updateGeometry()  # the width it asks for follows the whole text, not the elided one shown

    def show_ok(self, text: str) -> None:
        self.show_message(text, OK)

    def show_refusal(self, text: str) -> None:
        self.show_message(text, REFUSED)

    def clear(self) -> None:
        self.show_message("", INFO)

    def kind(self) -> str:
        return self.property("kind") or INFO

    def text(self) -> str:  # the whole message, not the elided one on screen
        return self._full

    def shown_text(self) -> str:
        return super().text()

    # --- size: never the reason a window grows ---
    def sizeHint(self) -> QSize:  # noqa: N802 - Qt name
        hint = super().sizeHint()
        width = QFontMetrics(self.font()).horizontalAdvance(self._full) + 2 * self.margin() + 4
        return QSize(width, hint.height())

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt name
        return QSize(0, super().minimumSizeHint().height())

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt name
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        first_line = self._full.split("\n", 1)[0] + ("…" if "\n" in self._full else "")
        width = max(self.contentsRect().width(), 0)
        metrics = QFontMetrics(self.font())
        QLabel.setText(self, metrics.elidedText(first_line, Qt.TextElideMode.ElideRight, width) if width > 0
                       else first_line)

    def setText(self, text: str) -> None:  # noqa: N802 - Qt name; a plain setText is a note
        self.show_message(text, INFO)


def style_as(label: QLabel, kind: str) -> None:
    """Give any label the look of a message of that kind (e.g. a wrapping list of gaps that is good news when
    empty)."""
    if kind not in KINDS:
        raise ValueError(f"unknown message kind {kind!r}")
    label.setObjectName("message")
    if label.property("kind") != kind:
        label.setProperty("kind", kind)
        label.style().unpolish(label)
        label.style().polish(label)


def clear_messages(widget: QWidget) -> None:
    """Clear every message line inside `widget` (the page being left)."""
    for label in widget.findChildren(MessageLabel):
        label.clear()


def tell(widget: QWidget | None, text: str, kind: str = OK) -> None:
    """Say it in the main window's status bar (a window without one, e.g. a test's bare page, says nothing)."""
    window = widget.window() if widget is not None else None
    show = getattr(window, "show_message", None)
    if callable(show):
        show(text, kind)
