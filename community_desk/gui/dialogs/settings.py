"""The settings dialog (设置, 文件 → 设置…, Ctrl+,): what an office changes, on four tabs, saved in the
database through core.queries.office_settings_form (administrators only, checked, audit-logged).

A refused save keeps everything typed and shows each message; the tab with the first error comes up.
"""
from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ...core import session, vocabulary
from ...core.models.volunteers import PARTS
from ...core.queries import office_settings_form as form_queries
from ...core.rules.resident import FormErrors
from ...core.rules.service_desk import DEADLINE_DAYS_SETTING
from ...core.session import PermissionDenied
from ..file_dialogs import ask_folder
from ..page import bus
from ..windows.quarantine.settings_dialog import PolicyGrid
from .base import RememberingDialog

# which tab shows a field whose key starts with ...
TAB_OF = {"office_name": 0, "reporter": 0, "communit": 0, DEADLINE_DAYS_SETTING: 0, "policy_": 1, "follow_up": 1,
          "post_": 2, "backup": 3, "idle": 3}


def _scrolled(widget: QWidget) -> QScrollArea:
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setWidget(widget)
    return area


class SettingsDialog(RememberingDialog):
    settings_key = "settings_dialog"

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWindowTitle("设置")
        self.saved: list[str] | None = None
        values = form_queries.load()
        self.tabs = QTabWidget()
        self.tabs.addTab(self._office_tab(values), "单位与社区")
        self.tabs.addTab(self._quarantine_tab(values), "隔离管控")
        self.tabs.addTab(_scrolled(self._posts_tab(values)), "门岗")
        self.tabs.addTab(self._safety_tab(values), "备份与安全")
        self.error = QLabel()
        self.error.setObjectName("errorLabel")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #c62828;")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText("保存")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        if session.current.role != vocabulary.ROLE_ADMIN:
            self.error.setText(form_queries.ADMIN_ONLY + "；当前账号只能查看。")
            self.save_button.setEnabled(False)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.resize(660, 520)

    # --- tabs ---
    def _office_tab(self, values: dict) -> QWidget:
        page = QWidget()
        form = QFormLayout()
        self.office_name = QLineEdit(values["office_name"])
        self.office_name.setPlaceholderText("例如 长阳镇原乡小镇社区居委会")
        self.reporter_name = QLineEdit(values["reporter_name"])
        self.reporter_phone = QLineEdit(values["reporter_phone"])
        form.addRow("填报单位（社区居委会名称）", self.office_name)
        form.addRow("填报人", self.reporter_name)
        form.addRow("联系电话", self.reporter_phone)
        form.addRow(QLabel("填报单位、填报人和联系电话印在每张报表和居家隔离通知上。"))
        self.request_days = QLineEdit(str(values[DEADLINE_DAYS_SETTING]))
        self.request_days.setMaximumWidth(100)
        form.addRow("我来办工单办理时限（天）", self.request_days)
        grid = QGridLayout()
        grid.addWidget(QLabel("社区名称"), 0, 0)
        grid.addWidget(QLabel("规划户数"), 0, 1)
        self.community_rows: list[tuple[int | None, QLineEdit, QLineEdit]] = []
        for row, c in enumerate([*values["communities"], {"id": None, "name": "", "planned": ""}], start=1):
            name, planned = QLineEdit(c["name"]), QLineEdit(str(c["planned"]))
            if c["id"] is None:
                name.setPlaceholderText("新增社区（可不填）")
                planned.setPlaceholderText("例如 1688")
            planned.setMaximumWidth(120)
            self.community_rows.append((c["id"], name, planned))
            grid.addWidget(name, row, 0)
            grid.addWidget(planned, row, 1)
        layout = QVBoxLayout(page)
        layout.addLayout(form)
        layout.addWidget(QLabel("<b>社区</b>（规划户数用于首页的登记覆盖：已登记户数 / 规划户数）"))
        layout.addLayout(grid)
        layout.addStretch(1)
        return page

    def _quarantine_tab(self, values: dict) -> QWidget:
        page = QWidget()
        self.policies = PolicyGrid()
        self.follow_up_workers = QPlainTextEdit("\n".join(values["follow_up_workers"]))
        self.follow_up_workers.setPlaceholderText("每行一人，例如\n张敏\n王芳")
        layout = QVBoxLayout(page)
        layout.addWidget(QLabel("<b>管控期限和核酸检测日</b>（修改只对新登记的人员生效）"))
        layout.addWidget(self.policies)
        layout.addWidget(QLabel("<b>健康监测责任人</b>（指定责任人时可选）"))
        layout.addWidget(self.follow_up_workers, 1)
        return page

    def _posts_tab(self, values: dict) -> QWidget:
        page = QWidget()
        grid = QGridLayout(page)
        for col, text in enumerate(("门岗名称", "每班最少志愿者", "值守时段", "", "", "使用中")):
            grid.addWidget(QLabel(text), 0, col)
        self.post_rows: list[tuple[int | None, QLineEdit, QLineEdit, dict[str, QCheckBox], QCheckBox]] = []
        blank = {"id": None, "name": "", "min_volunteers": 2, "parts": "".join(PARTS), "active": True}
        for row, p in enumerate([*values["posts"], blank], start=1):
            name, minimum = QLineEdit(p["name"]), QLineEdit(str(p["min_volunteers"]))
            minimum.setMaximumWidth(80)
            if p["id"] is None:
                name.setPlaceholderText("新增门岗（可不填）")
            parts = {part: QCheckBox(part) for part in PARTS}
            for part, check in parts.items():
                check.setChecked(part in p["parts"])
            active = QCheckBox()
            active.setChecked(bool(p["active"]))
            self.post_rows.append((p["id"], name, minimum, parts, active))
            grid.addWidget(name, row, 0)
            grid.addWidget(minimum, row, 1)
            for col, check in enumerate(parts.values(), start=2):
                grid.addWidget(check, row, col)
            grid.addWidget(active, row, 5)
        grid.setRowStretch(len(self.post_rows) + 1, 1)
        return page

    def _safety_tab(self, values: dict) -> QWidget:
        page = QWidget()
        self.backup_dir = QLineEdit(values["backup_dir"])
        self.backup_dir.setPlaceholderText("不填：数据库所在文件夹下的 backups")
        browse = QPushButton("选择…")
        browse.clicked.connect(self._browse)
        folder = QHBoxLayout()
        folder.addWidget(self.backup_dir, 1)
        folder.addWidget(browse)
        self.keep_daily = QLineEdit(str(values["backup_keep_daily"]))
        self.keep_weekly = QLineEdit(str(values["backup_keep_weekly"]))
        self.idle_lock = QLineEdit(str(values["idle_lock_minutes"]))
        for edit in (self.keep_daily, self.keep_weekly, self.idle_lock):
            edit.setMaximumWidth(100)
        self.show_full_ids = QCheckBox("列表和打印显示完整身份证号、电话（不勾选则脱敏，如 110111********1234）")
        self.show_full_ids.setChecked(bool(values["show_full_ids"]))
        form = QFormLayout(page)
        form.addRow("备份文件夹", folder)
        form.addRow("保留每日备份（天）", self.keep_daily)
        form.addRow("保留每周备份（周）", self.keep_weekly)
        form.addRow("无操作自动锁定（分钟，0 为不锁定）", self.idle_lock)
        form.addRow(self.show_full_ids)
        return page

    def _browse(self) -> None:
        folder = ask_folder(self, "选择备份文件夹", self.backup_dir.text())
        if folder:
            self.backup_dir.setText(folder)

    # --- saving ---
    def values(self) -> dict:
        return {
            "office_name": self.office_name.text(), "reporter_name": self.reporter_name.text(),
            "reporter_phone": self.reporter_phone.text(),
            "communities": [{"id": cid, "name": name.text(), "planned": planned.text()}
                            for cid, name, planned in self.community_rows],
            "policies": self.policies.values(),
            "follow_up_workers": self.follow_up_workers.toPlainText(),
            "posts": [{"id": pid, "name": name.text(), "min_volunteers": minimum.text(),
                       "parts": "".join(p for p, check in parts.items() if check.isChecked()),
                       "active": active.isChecked()}
                      for pid, name, minimum, parts, active in self.post_rows],
            "backup_dir": self.backup_dir.text(), "backup_keep_daily": self.keep_daily.text(),
            "backup_keep_weekly": self.keep_weekly.text(), "idle_lock_minutes": self.idle_lock.text(),
            "show_full_ids": self.show_full_ids.isChecked(), DEADLINE_DAYS_SETTING: self.request_days.text(),
        }

    def save(self) -> bool:
        try:
            self.saved = form_queries.save(self.values())
        except FormErrors as exc:
            self.error.setText("\n".join(exc.errors.values()))
            first = next(iter(exc.errors), "")
            tab = next((i for prefix, i in TAB_OF.items() if first.startswith(prefix)), None)
            if tab is not None:
                self.tabs.setCurrentIndex(tab)
            return False
        except PermissionDenied as exc:
            self.error.setText(exc.message)
            return False
        if self.saved:
            bus.data_changed.emit("*")
        self.accept()
        return True
