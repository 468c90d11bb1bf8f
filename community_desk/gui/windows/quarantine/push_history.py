"""导入记录: every push of the dispatched list (file, push date, sender, counts, who imported it and when), a
ListPage in a window opened from the 隔离管控 page. The rows a push could not import can be seen again
(查看未导入行) and exported to Excel (导出未导入行…) with their Excel row number and reason, to send back to
the town."""
from __future__ import annotations

from PySide6.QtWidgets import QDialogButtonBox, QLabel, QVBoxLayout

from ....core.excel.push_rejected_export import export_rejected
from ....core.queries import push_batches
from ...dialogs.base import RememberingDialog
from ...exporting import ask_xlsx_path, run_export
from ...list_page import Action, ListPage
from ...page import need_selection
from .common import fill, list_model, make_table


class PushHistoryPage(ListPage):
    title = "导入记录"
    columns = push_batches.COLUMNS
    widths = (180, 80, 140, 100, 45, 45, 50, 50, 45, 70, 120)
    search_hint = "搜索：文件名 / 推送单位"
    actions = (Action("查看未导入行", "show_rejected", "这次推送中未导入的行：Excel 行号和原因"),
               Action("导出未导入行…", "export_rejected", "导出为 Excel，退回镇里核对"))
    tables = ("quarantine_case", "push_batch")
    count_text = "共 {shown:,} 次推送"

    def load_rows(self, ids: list[int]) -> dict[int, tuple]:
        return push_batches.load_rows(ids)

    def find(self, flt: dict, limit: int | None = None) -> list[int]:
        return push_batches.search_ids(flt.get("text", ""))

    def _one(self) -> int | None:
        ids = self.selected_ids()
        if not ids and self.model.rowCount() == 1:
            ids = self.model.ids()
        return ids[0] if need_selection(self, ids) else None

    def show_rejected(self) -> None:
        batch_id = self._one()
        if batch_id is not None:
            RejectedRowsDialog(self, batch_id).exec()

    def export_rejected(self, path: str | None = None) -> None:
        batch_id = self._one()
        if batch_id is None:
            return
        batch = push_batches.get(batch_id) or {}
        if path is None:
            stem = str(batch.get("file_name", "")).rsplit(".", 1)[0]
            path = ask_xlsx_path(self, f"未导入行_{stem}.xlsx", "导出未导入行")
            if not path:
                return
        self.last_export = None
        run_export(self, path, lambda progress: export_rejected(path, batch_id, progress), title="导出未导入行",
                   on_done=lambda n: self._exported(path, n))

    def _exported(self, path: str, count: int) -> None:
        self.last_export = path
        self.count_changed.emit(f"已导出未导入行 {count} 行到 {path}")


class RejectedRowsDialog(RememberingDialog):
    settings_key = "push_rejected"

    def __init__(self, parent, batch_id: int):
        super().__init__(parent)
        batch = push_batches.get(batch_id) or {}
        rows = push_batches.rejected_rows(batch_id)
        self.setWindowTitle(f"未导入行 - {batch.get('file_name', '')}")
        self.model = list_model(push_batches.REJECTED_HEADERS, self)
        fill(self.model, list(enumerate(rows)))
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"推送日期 {batch.get('push_date', '')}，未导入 {len(rows)} 行"))
        layout.addWidget(make_table(self.model, (80, 70, 80, 170, 80, 400)))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(900, 480)


class PushHistoryDialog(RememberingDialog):
    """The 导入记录 window: the page in a window of its own."""
    settings_key = "push_history"

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWindowTitle("导入记录")
        self.page = PushHistoryPage(self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.page)
        self.resize(1100, 520)
        self.page.refresh()
