"""Log in (登录), and the idle lock that asks for the password again after a quiet spell."""
from __future__ import annotations

from PySide6.QtWidgets import QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout

from ...core.queries import accounts
from .base import RememberingDialog


class LoginDialog(RememberingDialog):
    settings_key = "login"

    def __init__(self, parent=None, username: str = "", locked: bool = False):
        super().__init__(parent)
        self.setWindowTitle("已锁定 - 请重新登录" if locked else "登录社区工作台")
        self.username_edit = QLineEdit(username)
        self.password_edit = QLineEdit()
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.error_label = QLabel()
        self.error_label.setObjectName("errorLabel")
        self.error_label.setWordWrap(True)
        form = QFormLayout()
        form.addRow("用户名", self.username_edit)
        form.addRow("密码", self.password_edit)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("登录")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("退出程序" if locked else "取消")
        buttons.accepted.connect(self.try_login)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        if locked:
            note = QLabel("长时间没有操作，程序已自动锁定以保护居民信息。")
            note.setWordWrap(True)
            layout.addWidget(note)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)
        (self.password_edit if username else self.username_edit).setFocus()

    def try_login(self) -> None:
        try:
            accounts.login(self.username_edit.text(), self.password_edit.text())
        except accounts.LoginFailed as exc:
            self.error_label.setText(exc.message)
            self.password_edit.clear()
            self.password_edit.setFocus()
            return
        self.accept()
