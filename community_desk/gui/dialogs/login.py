"""Log in (登录), and the lock that asks for the password again: after a quiet spell, or when the person locked the
window (Ctrl+L). The main window says which in `note`."""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout

from .base import RememberingDialog


class LoginDialog(RememberingDialog):
    settings_key = "login"

    def __init__(self, parent=None, username: str = "", locked: bool = False,
                 before_login: Callable[[], bool] | None = None, note: str = ""):
        """`before_login` runs when 登录 is pressed (start-up opens the database there if it is not open yet);
        False closes the dialog."""
        super().__init__(parent)
        self.before_login = before_login
        self.setWindowTitle("已锁定 - 请重新登录" if locked else "登录社区工作台")
        self.setMinimumWidth(380)  # the longest refusal (locked for 5 minutes) on one line
        self.username_edit = QLineEdit(username)
        self.password_edit = QLineEdit()
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.error_label = QLabel()
        self.error_label.setObjectName("errorLabel")
        self.error_label.setWordWrap(True)
        form = QFormLayout()
        form.addRow("用户名", self.username_edit)
        form.addRow("密码", self.password_edit)
        # Two plain buttons, not a QDialogButtonBox: that one loads all of Qt's enumerations (about 13 ms), and
        # this window is the first a person waits for.
        self.login_button = QPushButton("登录")
        self.login_button.setDefault(True)
        self.login_button.clicked.connect(self.try_login)
        cancel_button = QPushButton("退出程序" if locked else "取消")
        cancel_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.login_button)
        buttons.addWidget(cancel_button)
        layout = QVBoxLayout(self)
        self.note_label = QLabel(note or ("程序已锁定以保护居民信息，请重新输入密码。" if locked else ""))
        self.note_label.setWordWrap(True)
        self.note_label.setVisible(bool(self.note_label.text()))
        layout.addWidget(self.note_label)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addLayout(buttons)
        (self.password_edit if username else self.username_edit).setFocus()

    def try_login(self) -> None:
        from ...core.queries import accounts

        if self.before_login is not None and not self.before_login():
            self.reject()
            return
        from ...core.errors import DatabaseError

        try:
            accounts.login(self.username_edit.text(), self.password_edit.text())
        except accounts.LoginFailed as exc:
            self.error_label.setText(exc.message)
            self.password_edit.clear()
            self.password_edit.setFocus()
            return
        except DatabaseError as exc:  # server mode: the server went away meanwhile, or is of another version
            self.error_label.setText(str(exc))
            return
        self.accept()
