"""账号管理 (administrators): add staff accounts with roles, reset passwords, disable an account."""
from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
)

from ...core import session
from ...core.queries import accounts
from ...core.rules.text import ValidationError
from ...core.session import PermissionDenied
from ..table_model import LazyTableModel, make_table_view, selected_id
from .base import RememberingDialog

HEADERS = ["用户名", "姓名", "角色", "状态", "最近登录"]


def _rows(ids: list[int]) -> dict[int, tuple]:
    wanted = set(ids)
    return {a["id"]: (a["username"], a["display_name"], a["role"],
                      "已停用" if not a["active"] else ("已锁定" if a["locked"] else "正常"),
                      f"{a['last_login']:%Y-%m-%d %H:%M}" if a["last_login"] else "")
            for a in accounts.list_accounts() if a["id"] in wanted}


class AccountsDialog(RememberingDialog):
    settings_key = "accounts"

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWindowTitle("账号管理")
        self.model = LazyTableModel(HEADERS, _rows, self)
        self.table = make_table_view(self.model)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.username_edit = QLineEdit()
        self.name_edit = QLineEdit()
        self.password_edit = QLineEdit()
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.role_combo = QComboBox()
        self.role_combo.addItems(list(session.ROLES[1:]) + [session.ROLES[0]])
        self.message = QLabel()
        self.message.setObjectName("errorLabel")
        self.message.setWordWrap(True)
        add_button = QPushButton("新增账号")
        add_button.clicked.connect(self.add_account)
        reset_button = QPushButton("重置密码…")
        reset_button.clicked.connect(self.reset_password)
        self.toggle_button = QPushButton("停用 / 启用")
        self.toggle_button.clicked.connect(self.toggle_active)
        role_button = QPushButton("修改角色为上方所选")
        role_button.clicked.connect(self.change_role)
        form = QFormLayout()
        form.addRow("用户名", self.username_edit)
        form.addRow("姓名", self.name_edit)
        form.addRow("初始密码", self.password_edit)
        form.addRow("角色", self.role_combo)
        buttons = QHBoxLayout()
        for button in (add_button, reset_button, self.toggle_button, role_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("角色：管理员可管理账号和全部数据；工作人员可录入和导出；只读只能查看（如门岗志愿者），"
                                "身份证号和电话脱敏显示。"))
        layout.addWidget(self.table)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        self.resize(640, 480)
        self.reload()

    def reload(self) -> None:
        self.model.set_ids([a["id"] for a in accounts.list_accounts()])

    def selected_id(self) -> int | None:
        return selected_id(self.table)

    def _run(self, action, done_text: str) -> bool:
        try:
            action()
        except (ValidationError, PermissionDenied) as exc:
            self.message.setText(exc.message)
            return False
        self.message.setText(done_text)
        self.model.invalidate()
        self.reload()
        return True

    def add_account(self) -> None:
        username = self.username_edit.text()
        if self._run(lambda: accounts.create_account(username, self.name_edit.text(), self.password_edit.text(),
                                                     self.role_combo.currentText()), f"已新增账号 {username}"):
            self.username_edit.clear()
            self.name_edit.clear()
            self.password_edit.clear()

    def reset_password(self) -> None:
        account_id = self.selected_id()
        if account_id is None:
            self.message.setText("请先在列表中选择一个账号")
            return
        password, ok = QInputDialog.getText(self, "重置密码", "新密码：", QLineEdit.EchoMode.Password)
        if ok:
            self._run(lambda: accounts.reset_password(account_id, password), "密码已重置，账号已解锁")

    def toggle_active(self) -> None:
        account_id = self.selected_id()
        if account_id is None:
            self.message.setText("请先在列表中选择一个账号")
            return
        active = next(a["active"] for a in accounts.list_accounts() if a["id"] == account_id)
        self._run(lambda: accounts.set_active(account_id, not active), "已启用" if not active else "已停用")

    def change_role(self) -> None:
        account_id = self.selected_id()
        if account_id is None:
            self.message.setText("请先在列表中选择一个账号")
            return
        role = self.role_combo.currentText()
        self._run(lambda: accounts.set_role(account_id, role), f"角色已改为 {role}")
