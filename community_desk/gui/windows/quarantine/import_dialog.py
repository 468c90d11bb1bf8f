"""The import preview of a dispatched list (导入市派名单): the file is read off the GUI thread with a
progress bar and a cancel button; the preview shows new / updated / rejected (with Excel row and
reason) / repeated / 非本社区; 确认导入 writes everything in one transaction, 取消 writes nothing.
"""
from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QLabel,
    QProgressBar,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
)

from ....core.excel import ledger_import
from ....core.faults import describe_fault
from ... import tasks
from ...dialogs.base import RememberingDialog
from .common import changed, fill, list_model, make_table

ROW_HEADERS = ["Excel行号", "姓名", "身份证号", "联系电话", "现居住地址", "管控措施", "返京日期"]


def _reason(exc: BaseException) -> str:
    """What the dialog says went wrong: the Chinese message of a refusal, the plain cause of a machine fault (full
    disk, database busy ...), else the error's own text."""
    return getattr(exc, "message", None) or describe_fault(exc) or f"{type(exc).__name__}: {exc}"


class ImportPreviewDialog(RememberingDialog):
    settings_key = "quarantine_import"

    def __init__(self, parent, path: str | Path, push_date: dt.date | None = None):
        super().__init__(parent)
        self.path = Path(path)
        self.preview: ledger_import.LedgerPreview | None = None
        self.committed: dict | None = None
        self.error = ""
        self._progress = [0, 1]
        self._cancel = threading.Event()
        self.setWindowTitle(f"导入市派名单 - {self.path.name}")
        self.info = QLabel("正在读取……")
        self.info.setWordWrap(True)
        self.bar = QProgressBar()
        self.bar.setRange(0, 0)
        self.stop_button = QPushButton("停止读取")
        self.stop_button.clicked.connect(self._cancel.set)
        self.tabs = QTabWidget()
        self.models = {}
        for key, title, headers in (
                ("new", "新增", ROW_HEADERS), ("updated", "更新", ROW_HEADERS),
                ("rejected", "未导入", ["Excel行号", "姓名", "原因"]),
                ("duplicates", "文件内重复", ["Excel行号", "姓名", "身份证号", "与第几行重复"]),
                ("other", "非本社区", ["Excel行号", "姓名", "社区"])):
            model = list_model(headers, self)
            self.models[key] = model
            self.tabs.addTab(make_table(model, (70, 80, 170, 110, 260)), title)
        self.buttons = QDialogButtonBox()
        self.confirm_button = self.buttons.addButton("确认导入", QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button = self.buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        self.confirm_button.setEnabled(False)
        self.confirm_button.clicked.connect(self.confirm)
        self.cancel_button.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.info)
        layout.addWidget(self.bar)
        layout.addWidget(self.stop_button, 0, Qt.AlignmentFlag.AlignRight)
        layout.addWidget(self.tabs)
        layout.addWidget(self.buttons)
        self.resize(960, 620)
        self._timer = QTimer(self)
        self._timer.timeout.connect(self._tick)
        self._timer.start(100)
        tasks.run_query(lambda: ledger_import.preview(self.path, push_date=push_date, progress=self._report),
                        self._show, self._failed)

    # --- reading (worker thread touches only plain values) ---
    def _report(self, done: int, total: int) -> bool:
        self._progress = [done, max(total, 1)]
        return not self._cancel.is_set()

    def _tick(self) -> None:
        done, total = self._progress
        if total > 1:
            self.bar.setRange(0, total)
            self.bar.setValue(done)

    def _stop_progress(self) -> None:
        self._timer.stop()
        self.bar.hide()
        self.stop_button.hide()

    def _failed(self, exc: BaseException) -> None:
        self._stop_progress()
        self.error = _reason(exc)
        self.info.setText(f"无法导入：{self.error}。未写入任何数据。")
        self.info.setObjectName("errorLabel")

    def _show(self, result: ledger_import.LedgerPreview) -> None:
        self._stop_progress()
        self.preview = result

        def row(item):
            v = item.values
            return (item.row, v["name"], v["id_number"], v["phone"], v["address"], v["measure"],
                    v["arrival_date"].isoformat() if v["arrival_date"] else "")

        fill(self.models["new"], [(i, row(r)) for i, r in enumerate(result.new)])
        fill(self.models["updated"], [(i, row(r)) for i, r in enumerate(result.updated)])
        fill(self.models["rejected"], [(i, (r["row"], r["name"], r["reason"])) for i, r in enumerate(result.rejected)])
        fill(self.models["duplicates"], [(i, (d["row"], d["name"], d["id_number"], f"第 {d['first_row']} 行"))
                                         for i, d in enumerate(result.duplicates)])
        fill(self.models["other"], [(i, (o["row"], o["name"], o["community"]))
                                    for i, o in enumerate(result.other_community)])
        for index, n in enumerate((len(result.new), len(result.updated), len(result.rejected), len(result.duplicates),
                                   len(result.other_community))):
            self.tabs.setTabText(index, f"{self.tabs.tabText(index).split('（')[0]}（{n}）")
        self.info.setText(
            f"工作表“{result.sheet}”，表头在{result.header_text}；推送日期 {result.push_date:%Y-%m-%d}"
            f"{'，推送单位 ' + result.sender if result.sender else ''}。\n新增 {len(result.new)} 人，更新 "
            f"{len(result.updated)} 人，未导入 {len(result.rejected)} 行，文件内重复 {len(result.duplicates)} 行，"
            f"非本社区 {len(result.other_community)} 行。确认后一次写入；取消则不写入任何数据。")
        if result.rejected and not result.importable:
            self.tabs.setCurrentIndex(2)
        if not result.importable:
            self.info.setText(f"{self.info.text()}\n{result.nothing_reason()}。")
        self.confirm_button.setEnabled(result.importable)

    # --- writing ---
    def confirm(self) -> None:
        if self.preview is None:
            return
        self.confirm_button.setEnabled(False)
        self.cancel_button.setEnabled(False)
        self.info.setText(f"正在备份数据库并写入 {len(self.preview.new) + len(self.preview.updated):,} 人"
                          "（一次写完，不会只写入一半）……")
        self.bar.setRange(0, 0)  # busy: the backup and the one transaction report no rows
        self.bar.show()
        preview = self.preview
        tasks.run_write(lambda: ledger_import.commit(preview), self._committed, self._commit_failed)

    def _committed(self, counts: dict) -> None:
        self.committed = counts
        changed()
        self.accept()

    def _commit_failed(self, exc: BaseException) -> None:
        self.bar.hide()
        self.cancel_button.setEnabled(True)
        self.error = _reason(exc)
        self.info.setText(f"写入失败，未写入任何数据：{self.error}")
        self.info.setObjectName("errorLabel")

    def reject(self) -> None:
        self._cancel.set()
        self._timer.stop()
        super().reject()
