"""The clickable pieces of the home screen: a number tile and a community's registration coverage line.

Both are push buttons (Tab and Space work, as a click does) with labels inside that let the click through.
"""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QSizePolicy, QVBoxLayout

RED = "#c62828"


def _passive(label: QLabel) -> QLabel:
    label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
    return label


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
        self.caption.setStyleSheet("font-size: 13px; color: #455a64;")
        self.set_number("…")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 6, 12, 6)
        layout.setSpacing(0)
        row = QHBoxLayout()
        row.addWidget(self.caption)
        row.addStretch(1)
        row.addWidget(self.detail)
        layout.addLayout(row)
        layout.addWidget(self.number)
        self.setAccessibleName(caption)

    def set_number(self, text: str, alarm: bool = False, detail: str = "", detail_alarm: bool = False) -> None:
        colour = RED if alarm else "#1a237e"
        self.number.setStyleSheet(f"font-size: 28px; font-weight: bold; color: {colour};")
        self.number.setText(text)
        self.detail.setStyleSheet(f"font-size: 13px; color: {RED if detail_alarm else '#607d8b'};"
                                  + (" font-weight: bold;" if detail_alarm else ""))
        self.detail.setText(detail)
        self.setToolTip(f"{self.caption.text()}：{text}{('，' + detail) if detail else ''}（点击查看名单）")


class CoverageLine(QPushButton):
    """One community: 已登记户数 / 规划户数 and a bar; a click lists its residents."""

    def __init__(self, community_id: int, parent=None):
        super().__init__(parent)
        self.community_id = community_id
        self.setObjectName("homeCoverage")
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setMinimumHeight(34)
        self.name = _passive(QLabel())
        self.name.setMinimumWidth(84)
        self.figures = _passive(QLabel())
        self.bar = QProgressBar()
        self.bar.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.bar.setTextVisible(False)
        self.bar.setFixedHeight(10)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 2, 8, 2)
        layout.addWidget(self.name)
        layout.addWidget(self.bar, 1)
        layout.addWidget(self.figures)

    def set_figures(self, name: str, registered: int, planned: int) -> None:
        self.name.setText(name)
        if planned:
            self.figures.setText(f"{registered:,} / {planned:,}（{registered / planned:.0%}）")
            self.bar.setRange(0, planned)
            self.bar.setValue(min(registered, planned))
        else:
            self.figures.setText(f"{registered:,} 户 / 未设规划户数")
            self.bar.setRange(0, 1)
            self.bar.setValue(0)
        self.setToolTip(f"{name}：已登记 {registered:,} 户，规划 {planned:,} 户（点击查看居民）")
