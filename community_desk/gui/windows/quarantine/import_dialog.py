"""The import preview of a dispatched list (导入市派名单): the file is read off the GUI thread with a
progress bar and a cancel button; the preview shows new / updated (field by field, old → new) / rejected (with
Excel row and reason) / repeated (both rows' values) / 非本社区 / conflicts (a value newer than the push: keep or
take, each) / 已规范 (raw → value); the sheets with the header (all chosen), hidden rows, old return dates, the
community when the file does not say it; a file imported before is asked about. 确认导入 writes everything in one
transaction, 取消 writes nothing.
"""
from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ....core.excel import ledger_import, ledger_preview
from ....core.excel import push_provenance as provenance
from ....core.faults import describe_fault
from ... import tasks
from ...dialogs.base import RememberingDialog
from .common import changed, fill, list_model, make_table, selected_ids

ROW_HEADERS = ["Excel行号", "姓名", "身份证号", "联系电话", "现居住地址", "管控措施", "返京日期"]
KEEP, TAKE = "保留现值", "采用名单值"
CONFLICTS, NORMALISED = 5, 6  # tab indexes


def _reason(exc: BaseException) -> str:
    """What the dialog says went wrong: the Chinese message of a refusal, the plain cause of a machine fault (full
    disk, database busy ...), else the error's own text."""
    return getattr(exc, "message", None) or describe_fault(exc) or f"{type(exc).__name__}: {exc}"


class ImportPreviewDialog(RememberingDialog):
    settings_key = "quarantine_import"

    def __init__(self, parent, path: str | Path, push_date: dt.date | None = None):
        super().__init__(parent)
        self.path = Path(path)
        self.preview: ledger_preview.LedgerPreview | None = None
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
        self.tables = {}
        for key, title, headers in (
                ("new", "新增", ROW_HEADERS), ("updated", "更新", ["Excel行号", "姓名", "身份证号", "变化（原值 → 新值）"]),
                ("rejected", "未导入", ["Excel行号", "姓名", "原因"]),
                ("duplicates", "文件内重复", ["Excel行号", "姓名", "身份证号", "与第几行重复", "本行", "前一行"]),
                ("other", "非本社区", ["Excel行号", "姓名", "社区"]),
                ("conflicts", "冲突", ["Excel行号", "姓名", "字段", "现值", "名单值", "现值来源", "处理"]),
                ("normalised", "已规范", ["Excel行号", "姓名", "字段", "原文", "规范为"])):
            model = list_model(headers, self)
            self.models[key] = model
            self.tables[key] = make_table(model, (70, 80, 170, 110, 260))
            self.tabs.addTab(self.tables[key], title)
        self.sheet_list = QListWidget()
        self.sheet_list.setMaximumHeight(80)
        self.sheet_list.hide()
        self.reread_button = QPushButton("按所选工作表重新读取")
        self.reread_button.clicked.connect(self._reread)
        self.reread_button.hide()
        self.community_box = QComboBox()
        self.community_box.hide()
        self.community_box.currentIndexChanged.connect(self._community_chosen)
        self.take_button = QPushButton(TAKE)
        self.keep_button = QPushButton(KEEP)
        self.take_button.clicked.connect(lambda: self.set_conflicts(True))
        self.keep_button.clicked.connect(lambda: self.set_conflicts(False))
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
        layout.addWidget(self.sheet_list)
        layout.addWidget(self.reread_button, 0, Qt.AlignmentFlag.AlignRight)
        layout.addWidget(self.community_box)
        layout.addWidget(self.tabs)
        self.conflict_row = QWidget()  # shown only when the file has conflicts
        choice = QHBoxLayout(self.conflict_row)
        choice.setContentsMargins(0, 0, 0, 0)
        choice.addWidget(QLabel("冲突（所选行）："))
        choice.addWidget(self.keep_button)
        choice.addWidget(self.take_button)
        choice.addStretch(1)
        self.conflict_row.hide()
        layout.addWidget(self.conflict_row)
        layout.addWidget(self.buttons)
        self.resize(960, 620)
        self._timer = QTimer(self)
        self._timer.timeout.connect(self._tick)
        self._push_date = push_date
        self._read(None)

    def _read(self, sheets: list[str] | None) -> None:
        self._timer.start(100)
        path, push_date = self.path, self._push_date
        tasks.run_query(lambda: ledger_preview.preview(path, push_date=push_date, progress=self._report, sheets=sheets),
                        self._show, self._failed)

    def _reread(self) -> None:
        chosen = [self.sheet_list.item(i).text() for i in range(self.sheet_list.count())
                  if self.sheet_list.item(i).checkState() == Qt.CheckState.Checked]
        if not chosen:
            self.info.setText("请至少选择一张工作表")
            return
        self.confirm_button.setEnabled(False)
        self.preview = None
        self.bar.setRange(0, 0)
        self.bar.show()
        self._read(chosen)

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

    def _show(self, result: ledger_preview.LedgerPreview) -> None:
        self._stop_progress()
        self.preview = result

        def row(item):
            v = item.values
            return (item.row, v["name"], v["id_number"], v["phone"], v["address"], v["measure"],
                    v["arrival_date"].isoformat() if v["arrival_date"] else "")

        fill(self.models["new"], [(i, row(r)) for i, r in enumerate(result.new)])
        fill(self.models["updated"], [(i, (r.row, r.values["name"], r.values["id_number"],
                                           "；".join(c.text() for c in r.changes)))
                                      for i, r in enumerate(result.updated)])
        fill(self.models["rejected"], [(i, (r["row"], r["name"], r["reason"])) for i, r in enumerate(result.rejected)])
        fill(self.models["duplicates"], [(i, (d["row"], d["name"], d["id_number"], f"第 {d['first_row']} 行",
                                              d.get("values", ""), d.get("first_values", "")))
                                         for i, d in enumerate(result.duplicates)])
        fill(self.models["other"], [(i, (o["row"], o["name"], o["community"]))
                                    for i, o in enumerate(result.other_community)])
        self._fill_conflicts()
        marks = [(r.row, r.values["name"], *m) for r in result.normalised for m in r.normalised]
        fill(self.models["normalised"], list(enumerate(marks)))
        counts = (len(result.new), len(result.updated), len(result.rejected), len(result.duplicates),
                  len(result.other_community), len(result.conflicts), len(marks))
        for index, n in enumerate(counts):
            self.tabs.setTabText(index, f"{self.tabs.tabText(index).split('（')[0]}（{n}）")
        self._show_sheets(result)
        lines = [f"工作表“{result.sheet}”，表头在{result.header_text}；推送日期 {result.push_date:%Y-%m-%d}"
                 f"{'，推送单位 ' + result.sender if result.sender else ''}。",
                 f"新增 {len(result.new)} 人，更新 {len(result.updated)} 人，无变化 {len(result.unchanged)} 人，"
                 f"未导入 {len(result.rejected)} 行，文件内重复 {len(result.duplicates)} 行，"
                 f"非本社区 {len(result.other_community)} 行，冲突 {len(result.conflicts)} 项（默认保留现值）。"
                 "确认后一次写入；取消则不写入任何数据。"]
        if result.hidden_rows:
            lines.append(f"隐藏行 {result.hidden_rows} 行：是推送单位发来的数据，一并导入。")
        lines += [f"注意：{w}" for w in result.warnings]
        if result.already:
            a = result.already
            lines.append(f"该文件已于 {a['at']} 由 {a['by'] or '（未记名）'} 导入过（批次 {a['batch']}）。")
        self.conflict_row.setVisible(bool(result.conflicts))
        self.community_box.setVisible(result.needs_community)
        if result.needs_community:
            rows = "、".join(str(r) for _s, r in result.no_community[:10])
            lines.append(f"第 {rows} 行读不出所属社区（共 {len(result.no_community)} 行），请在上面选择社区。")
            self.community_box.blockSignals(True)
            self.community_box.clear()
            self.community_box.addItem("请选择这些行的社区……", None)
            for cid, name in result.communities:
                self.community_box.addItem(name, cid)
            self.community_box.blockSignals(False)
        if result.rejected and not result.importable:
            self.tabs.setCurrentIndex(2)
        if not result.importable:
            lines.append(f"{result.nothing_reason()}。")
        self.info.setText("\n".join(lines))
        self.confirm_button.setEnabled(result.importable and not result.needs_community)

    def _show_sheets(self, result: ledger_preview.LedgerPreview) -> None:
        several = len(result.sheets) > 1
        self.sheet_list.setVisible(several)
        self.reread_button.setVisible(several)
        if several and self.sheet_list.count() == 0:
            for name in result.sheets:
                item = QListWidgetItem(name)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Qt.CheckState.Checked if name in result.chosen_sheets else Qt.CheckState.Unchecked)
                self.sheet_list.addItem(item)

    def _fill_conflicts(self) -> None:
        conflicts = self.preview.conflicts if self.preview else []
        fill(self.models["conflicts"], [(i, (c.row, c.name, provenance.label(c.field),
                                             provenance.show(c.old), provenance.show(c.new),
                                             c.source, TAKE if c.take else KEEP)) for i, c in enumerate(conflicts)])

    def set_conflicts(self, take: bool, rows: list[int] | None = None) -> None:
        """保留现值 / 采用名单值 for the selected conflicts (rows: their indexes, for a caller without a selection)."""
        if self.preview is None:
            return
        rows = selected_ids(self.tables["conflicts"]) if rows is None else rows
        for i in rows:
            self.preview.conflicts[i].take = take
        self._fill_conflicts()

    def _community_chosen(self, _index: int) -> None:
        cid = self.community_box.currentData()
        if self.preview is None or cid is None:
            return
        self.preview.assign_community(cid)
        self.community_box.setEnabled(False)
        self.confirm_button.setEnabled(self.preview.importable)

    # --- writing ---
    def confirm(self) -> None:
        if self.preview is None:
            return
        preview = self.preview
        again = False
        if preview.already:  # the same file (same bytes) imported before: ask, the default stops
            a = preview.already
            answer = QMessageBox.question(self, "导入市派名单", f"该文件已于 {a['at']} 由 {a['by'] or '（未记名）'} 导入过"
                                          f"（批次 {a['batch']}）。仍要再次导入吗？",
                                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                          QMessageBox.StandardButton.No)
            if answer != QMessageBox.StandardButton.Yes:
                return
            again = True
        self.confirm_button.setEnabled(False)
        self.cancel_button.setEnabled(False)
        self.info.setText(f"正在备份数据库并写入 {len(preview.new) + len(preview.updated):,} 人"
                          "（一次写完，不会只写入一半）……")
        self.bar.setRange(0, 0)  # busy: the backup and the one transaction report no rows
        self.bar.show()
        tasks.run_write(lambda: ledger_import.commit(preview, again=again), self._committed, self._commit_failed)

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
