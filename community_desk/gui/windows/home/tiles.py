"""The clickable pieces of the home screen: a number tile, a community's registration coverage line and a red
alarm line (阳性待转运: names, shown only while there are any).

Both are push buttons (Tab and Space work, as a click does) with labels inside that let the click through.
Each piece of text has a line of its own where it could otherwise run into its neighbour: a tile puts its caption
above the number and the detail beside it; a coverage line puts the figures on the name's line, the bar under them,
so that nothing is cut in a window 1024 px wide.

Their text sizes are written in px at 字号 标准 and set through font_size.set_style, so they grow with 大 and 特大
(also while the page is shown); a tile and a coverage line are at least as high as their text then needs.
"""
from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QSizePolicy, QVBoxLayout

from ... import font_size

RED = "#c62828"


def _passive(label: QLabel) -> QLabel:
    label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
    return label


def _fit_contents(button: QPushButton, hint: QSize) -> QSize:
    """A push button's size hint counts only its own text: here the labels in its layout decide its height (at
    特大 they need more than the minimum height set for 标准); the width stays the button's (the grid shares it)."""
    return QSize(hint.width(), max(hint.height(), button.layout().sizeHint().height()))


class NumberTile(QPushButton):
    """A big number with its caption and an optional detail line (e.g. 其中逾期 2, in red)."""

    def __init__(self, caption: str, parent=None):
        super().__init__(parent)
        self.setObjectName("homeTile")
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setMinimumHeight(78)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.caption = _passive(QLabel(caption))
        self.number = _passive(QLabel("…"))
        self.number.setObjectName("homeNumber")
        self.detail = _passive(QLabel(""))
        self.detail.setObjectName("homeDetail")
        font_size.set_style(self.caption, "font-size: 13px; color: #455a64;")
        self.set_number("…")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 6, 12, 6)
        layout.setSpacing(0)
        layout.addWidget(self.caption)
        row = QHBoxLayout()
        row.setSpacing(6)
        row.addWidget(self.number)
        row.addWidget(self.detail, 1, Qt.AlignmentFlag.AlignBottom)
        self.detail.setWordWrap(True)
        layout.addLayout(row)
        self.setAccessibleName(caption)

    def set_number(self, text: str, alarm: bool = False, detail: str = "", detail_alarm: bool = False) -> None:
        colour = RED if alarm else "#1a237e"
        font_size.set_style(self.number, f"font-size: 28px; font-weight: bold; color: {colour};")
        self.number.setText(text)
        font_size.set_style(self.detail, f"font-size: 13px; color: {RED if detail_alarm else '#607d8b'};"
                            + (" font-weight: bold;" if detail_alarm else ""))
        self.detail.setText(detail)
        self.setToolTip(f"{self.caption.text()}：{text}{('，' + detail) if detail else ''}（点击查看名单）")

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt name
        return _fit_contents(self, super().sizeHint())

    def needed_width(self) -> int:
        """Wide enough for the whole caption, and for the number with a detail of four characters wrapped beside
        it: the home page puts fewer tiles abreast when four of these do not fit."""
        margins = self.layout().contentsMargins()
        detail = self.detail.fontMetrics().horizontalAdvance("其中逾期") if self.detail.text() else 0
        inner = max(self.caption.sizeHint().width(), self.number.sizeHint().width() + 6 + detail)
        return inner + margins.left() + margins.right()


class CoverageLine(QPushButton):
    """One community: 已登记户数 / 规划户数 and a bar; a click lists its residents."""

    def __init__(self, community_id: int, parent=None):
        super().__init__(parent)
        self.community_id = community_id
        self.setObjectName("homeCoverage")
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setMinimumHeight(46)  # two lines: name and figures, then the bar
        self.name = _passive(QLabel())
        self.figures = _passive(QLabel())
        self.figures.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.bar = QProgressBar()
        self.bar.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.bar.setTextVisible(False)
        self.bar.setFixedHeight(8)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 3, 8, 4)
        layout.setSpacing(2)
        top = QHBoxLayout()
        top.addWidget(self.name)
        top.addStretch(1)
        top.addWidget(self.figures)
        layout.addLayout(top)
        layout.addWidget(self.bar)

    def set_figures(self, name: str, registered: int, planned: int) -> None:
        self.name.setText(name)
        if planned:
            self.figures.setText(f"{registered:,} / {planned:,}（{registered / planned:.0%}）")
            self.bar.setRange(0, planned)
            self.bar.setValue(min(registered, planned))
        else:
            self.figures.setText(f"{registered:,} 户（未设规划）")
            self.bar.setRange(0, 1)
            self.bar.setValue(0)
        self.setToolTip(f"{name}：已登记 {registered:,} 户，规划 {planned:,} 户（点击查看居民）")

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt name
        return _fit_contents(self, super().sizeHint())


class AlarmLine(QPushButton):
    """A red line that names people who need doing something about now (阳性待转运 2 人：王伟、李娜 请登记转运 ›);
    hidden while there are none. A click opens their list."""
    NAMES_SHOWN = 3

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("homeAlarm")
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        font_size.set_style(self, f"QPushButton#homeAlarm {{ color: {RED}; font-size: 14px; font-weight: bold;"
                                  f" border: 1px solid {RED}; border-radius: 4px; padding: 3px 10px;"
                                  f" background: #fdecea; }}")
        self.hide()

    def set_names(self, caption: str, names: list[str], ask: str) -> None:
        shown = "、".join(names[:self.NAMES_SHOWN]) + ("…" if len(names) > self.NAMES_SHOWN else "")
        self.setText(f"{caption} {len(names)} 人：{shown}  {ask} ›")
        self.setAccessibleName(caption)
        self.setToolTip(f"{caption}：{'、'.join(names)}（点击打开今日）")
        self.setVisible(bool(names))
