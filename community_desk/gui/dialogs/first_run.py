"""First start: which communities this office serves and the office's name for reports."""
from __future__ import annotations

from PySide6.QtWidgets import QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QPlainTextEdit, QVBoxLayout

from ...core.queries import accounts, communities, office_setup
from ...core.queries import settings as office_settings
from ...core.rules.text import ValidationError
from ...core.session import PermissionDenied
from .. import font_size
from .base import RememberingDialog


class FirstRunDialog(RememberingDialog):
    settings_key = "first_run"

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWindowTitle("欢迎使用社区工作台")
        intro = QLabel("第一次使用，请填写本社区的基本信息（以后可在设置中修改）。")
        intro.setWordWrap(True)
        self.communities_edit = QPlainTextEdit()
        self.communities_edit.setPlaceholderText("每行一个社区，例如：\n原乡小镇\n天瑞嘉园")
        font_size.fix_lines(self.communities_edit, 4)
        self.communities_edit.setTabChangesFocus(True)  # Tab goes on to 填报单位; a new community is a new line
        self.office_edit = QLineEdit()
        self.office_edit.setPlaceholderText("例如：长阳镇原乡小镇社区居委会")
        self.reporter_edit = QLineEdit()
        self.admin_edit = QLineEdit()
        self.admin_edit.setPlaceholderText("例如 admin")
        self.password_edit = QLineEdit()
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_again = QLineEdit()
        self.password_again.setEchoMode(QLineEdit.EchoMode.Password)
        self.error_label = QLabel()
        self.error_label.setObjectName("errorLabel")
        self.error_label.setWordWrap(True)
        form = QFormLayout()
        form.addRow("服务的社区名称", self.communities_edit)
        form.addRow("填报单位（报表用）", self.office_edit)
        form.addRow("填报人", self.reporter_edit)
        form.addRow(QLabel("<b>管理员账号</b>（以后用它登录、添加其他工作人员）"))
        form.addRow("管理员用户名", self.admin_edit)
        form.addRow("密码（至少 6 位）", self.password_edit)
        form.addRow("再输一次密码", self.password_again)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("开始使用")
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)
        self._prefill()
        self.resize(480, 420)

    def _prefill(self) -> None:
        """A database made by the command line (demo data) already names its communities and office."""
        self.communities_edit.setPlainText("\n".join(name for _id, name in communities.list_communities()))
        self.office_edit.setText(office_settings.get("office_name") or "")
        self.reporter_edit.setText(office_settings.get("reporter_name") or "")
        has_admin = accounts.has_accounts()
        for widget in (self.admin_edit, self.password_edit, self.password_again):
            widget.setEnabled(not has_admin)

    def save(self) -> None:
        try:
            office_setup.set_up_office(
                self.communities_edit.toPlainText(), self.office_edit.text(), self.reporter_edit.text(),
                self.admin_edit.text(), self.password_edit.text(), self.password_again.text())
        except (ValidationError, PermissionDenied) as exc:
            self.error_label.setText(exc.message)
            return
        self.accept()
