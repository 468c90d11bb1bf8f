"""Photo thumbnails for the facility form: read scaled (never the full image into memory twice),
and a clear placeholder when a photo file is missing or unreadable."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QColor, QIcon, QImageReader, QPainter, QPen, QPixmap
from PySide6.QtWidgets import QAbstractItemView, QListView, QListWidget, QListWidgetItem

THUMB = QSize(112, 84)
MISSING_TEXT = "照片缺失"


def placeholder(size: QSize = THUMB, text: str = MISSING_TEXT) -> QPixmap:
    pixmap = QPixmap(size)
    pixmap.fill(QColor("#eceff3"))
    painter = QPainter(pixmap)
    painter.setPen(QPen(QColor("#c5221f"), 2, Qt.PenStyle.DashLine))
    painter.drawRect(pixmap.rect().adjusted(1, 1, -2, -2))
    painter.setPen(QColor("#5f6368"))
    painter.drawText(pixmap.rect(), int(Qt.AlignmentFlag.AlignCenter), text)
    painter.end()
    return pixmap


def thumbnail(path: str | Path, size: QSize = THUMB) -> tuple[QPixmap, bool]:
    """(pixmap, ok): the scaled image, or the placeholder when the file is missing or not an image."""
    if not Path(path).is_file():
        return placeholder(size), False
    reader = QImageReader(str(path))
    reader.setAutoTransform(True)
    original = reader.size()
    if original.isValid():
        reader.setScaledSize(original.scaled(size, Qt.AspectRatioMode.KeepAspectRatio))
    image = reader.read()
    if image.isNull():
        return placeholder(size, "无法读取"), False
    return QPixmap.fromImage(image), True


class PhotoList(QListWidget):
    """Thumbnails in a row; each item keeps ("id", photo id) or ("pending", file path) in UserRole."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setViewMode(QListView.ViewMode.IconMode)
        self.setIconSize(THUMB)
        self.setFlow(QListView.Flow.LeftToRight)
        self.setWrapping(False)
        self.setMovement(QListView.Movement.Static)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setFixedHeight(THUMB.height() + 48)
        self.missing = 0

    def add_photo(self, key: tuple[str, object], path: str | Path, caption: str) -> bool:
        pixmap, ok = thumbnail(path)
        if not ok:
            self.missing += 1
        item = QListWidgetItem(QIcon(pixmap), caption if ok else f"{caption}（{MISSING_TEXT}）")
        item.setData(Qt.ItemDataRole.UserRole, key)
        item.setToolTip(str(path))
        self.addItem(item)
        return ok

    def keys(self) -> list[tuple[str, object]]:
        return [self.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.count())]
