"""A dialog that remembers its size and place between runs and always fits the screen, and shared message helpers."""
from __future__ import annotations

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QWidget

# Room left for the window frame (title bar, borders) around a window's client area.
FRAME_W, FRAME_H = 16, 40


def fit_to_screen(widget: QWidget) -> None:
    """Shrink and move a window so that it lies inside the available area of its screen (on a 1366 x 768 office
    screen with a taskbar, 780 px tall would hide the buttons at the bottom). Never below its minimum size."""
    screen = widget.screen() or QApplication.primaryScreen()
    if screen is None:
        return
    area = screen.availableGeometry()
    width = max(min(widget.width(), area.width() - FRAME_W), widget.minimumWidth())
    height = max(min(widget.height(), area.height() - FRAME_H), widget.minimumHeight())
    if (width, height) != (widget.width(), widget.height()):
        widget.resize(width, height)
    if widget.isWindow() and not area.contains(widget.frameGeometry()):
        x = min(max(widget.x(), area.left()), max(area.left(), area.right() - width - FRAME_W))
        y = min(max(widget.y(), area.top()), max(area.top(), area.bottom() - height - FRAME_H))
        widget.move(x, y)


class RememberingDialog(QDialog):
    settings_key = "dialog"

    def showEvent(self, event) -> None:  # noqa: N802 - Qt name
        geometry = QSettings().value(f"geometry/{self.settings_key}")
        if geometry is not None:
            self.restoreGeometry(geometry)
        fit_to_screen(self)
        super().showEvent(event)

    def done(self, result: int) -> None:
        QSettings().setValue(f"geometry/{self.settings_key}", self.saveGeometry())
        super().done(result)


def show_error(parent: QWidget | None, title: str, message: str) -> None:
    QMessageBox.warning(parent, title, message)


def confirm(parent: QWidget | None, title: str, message: str) -> bool:
    answer = QMessageBox.question(parent, title, message,
                                  QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                  QMessageBox.StandardButton.No)
    return answer == QMessageBox.StandardButton.Yes


def ask_mask(parent: QWidget | None) -> bool | None:
    """Before an export of personal data: masked (True), full (False) or cancelled (None)."""
    box = QMessageBox(QMessageBox.Icon.Question, "导出个人信息",
                      "导出的文件含有居民个人信息。身份证号和电话是否脱敏（如 110111********1234、138****5678）？\n"
                      "此次导出及选择会记入操作日志。", parent=parent)
    masked = box.addButton("脱敏导出", QMessageBox.ButtonRole.AcceptRole)
    full = box.addButton("完整导出", QMessageBox.ButtonRole.AcceptRole)
    box.addButton("取消", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(masked)
    box.exec()
    clicked = box.clickedButton()
    return True if clicked is masked else False if clicked is full else None


def attempt(parent: QWidget | None, title: str, action) -> bool:
    """Run a write from a window; a refusal (bad input, no permission) or a fault of the machine (full disk, a
    database another PC is writing) is shown in plain words and nothing is changed. True when done."""
    from ...core.faults import describe_fault
    from ...core.rules.text import ValidationError
    from ...core.session import PermissionDenied

    try:
        action()
    except (ValidationError, PermissionDenied) as exc:
        show_error(parent, title, exc.message)
        return False
    except Exception as exc:  # noqa: BLE001 - a fault of the machine (full disk, locked database) is said plainly
        message = describe_fault(exc)
        if message is None:
            raise
        show_error(parent, title, message)
        return False
    return True
