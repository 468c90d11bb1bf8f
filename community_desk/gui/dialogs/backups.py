"""备份与恢复: the list of backups, a backup now, and restoring one (the current database is backed up first).
In server mode the list is of the server's dumps (pg_dump, core/server_backup.py) and restoring is not offered here
(a server is restored with pg_restore, as the README says).

Backing up by hand and restoring are an administrator's: anyone else sees the list and why the buttons are off
(core.startup refuses them anyway)."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QAbstractItemView, QHBoxLayout, QLabel, QPushButton, QVBoxLayout

from ...core import backup, session, startup, vocabulary
from ...core.db import database_path, server_url
from ...core.server_info import describe_server
from ..page import bus
from ..table_model import LazyTableModel, make_table_view
from .base import RememberingDialog, confirm

HEADERS = ["备份时间", "类型", "大小", "文件"]


class BackupsDialog(RememberingDialog):
    settings_key = "backups"

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWindowTitle("备份与恢复")
        self.db_path = database_path()
        self.url = server_url()  # server mode: no file; the dumps pg_dump took (main.py --db URL backup)
        self.folder = self._server_folder() if self.url else startup.configured_backup_dir(self.db_path)
        self._backups: list[backup.BackupInfo] = []
        self.model = LazyTableModel(HEADERS, self._rows, self)
        self.table = make_table_view(self.model, (150,))
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.backup_button = QPushButton("立即备份")
        self.backup_button.clicked.connect(self.backup_now)
        self.restore_button = QPushButton("恢复所选备份…")
        self.restore_button.clicked.connect(self.restore_selected)
        is_admin = session.current.role == vocabulary.ROLE_ADMIN
        self.backup_button.setEnabled(is_admin)
        self.restore_button.setEnabled(is_admin and self.url is None)  # a server is restored with pg_restore
        buttons = QHBoxLayout()
        buttons.addWidget(self.backup_button)
        buttons.addWidget(self.restore_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        self.about_label = QLabel(self._server_text() if self.url else
                                  f"数据库：{self.db_path}\n备份文件夹：{self.folder}\n"
                                  "每天第一次启动、每次导入和升级前都会自动备份。")
        self.about_label.setWordWrap(True)
        layout.addWidget(self.about_label)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        self.resize(720, 420)
        self.reload()
        if not is_admin:
            self.message.setText(startup.ADMIN_ONLY)

    def _server_folder(self) -> Path:
        from ...core.queries import settings
        from ...core.server_backup import server_backups_dir

        return server_backups_dir(self.url, settings.get("backup_dir"))

    def _server_text(self) -> str:
        server = "，".join(f"{label} {value}" for label, value in describe_server(self.url)[:3])
        return (f"服务器模式：数据在数据库服务器上（{server}）。\n"
                "服务器的备份用 pg_dump 做：在命令行运行 main.py --db 服务器地址 backup，或按“立即备份”"
                "（这台电脑需装有 PostgreSQL 客户端工具）。\n"
                f"备份文件夹：{self.folder}\n"
                "恢复服务器上的数据库请技术人员按 README“服务器模式的备份与恢复”用 pg_restore 进行，不能在这里恢复。")

    def _rows(self, ids: list[int]) -> dict[int, tuple]:
        return {i: (f"{b.taken_at:%Y-%m-%d %H:%M:%S}", b.reason_label, f"{b.size_mb:.1f} MB", b.path.name)
                for i, b in enumerate(self._backups) if i in set(ids)}

    def reload(self) -> None:
        self._backups = backup.list_backups(self.folder)
        self.model.set_ids(list(range(len(self._backups))))

    def backup_now(self) -> None:
        try:
            info = startup.backup_now(self.db_path, "manual")
        except backup.BackupError as exc:
            self.message.setText(str(exc))
            return
        except session.PermissionDenied as exc:
            self.message.setText(exc.message)
            return
        self.message.setText(f"已备份：{info.path.name}")
        self.reload()

    def restore_selected(self, _checked=False, ask: bool = True) -> Path | None:
        if self.url is not None:
            self.message.setText("服务器上的数据库不能在这里恢复：请技术人员用 pg_restore 恢复（见 README）")
            return None
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            self.message.setText("请先在列表中选择一份备份")
            return None
        chosen = self._backups[rows[0].row()]
        if ask and not confirm(self, "恢复备份", f"用 {chosen.taken_at:%Y年%m月%d日 %H:%M} 的备份替换当前数据？\n"
                                             "当前数据会先另存一份备份，之后仍可恢复回来。"):
            return None
        try:
            safety = startup.restore_backup(self.db_path, chosen.path)
        except backup.BackupError as exc:
            self.message.setText(str(exc))
            return None
        except session.PermissionDenied as exc:
            self.message.setText(exc.message)
            return None
        self.message.setText(f"已恢复。恢复前的数据已备份为 {safety.path.name}，"
                             f"保留了此后的 {safety.audit_kept} 条操作日志")
        self.reload()
        bus.data_changed.emit("*")
        return safety.path
