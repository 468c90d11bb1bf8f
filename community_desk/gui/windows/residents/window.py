"""The resident registry window (居民台账): search, filter, sort, add, edit, delete, export, print.

A ListPage: the search runs on a worker, the first 300 ids are shown at once and the rest follow when the typing
pauses; the model holds only the ordered ids and loads rows in blocks as they scroll into view. A text typed with
no other filter, in name order, is looked for in the search keys held in memory (core/queries/resident_keys.py),
read when the page is first shown and again once changes to the residents pause; until they are in, and for
every other search, SQL answers.
"""
from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QInputDialog

from ....core.models.people import RESIDENCE_STATUSES
from ....core.queries import communities, residents
from ....core.queries.resident_keys import SearchKeys
from ....core.rules.text import ValidationError
from ....core.session import PermissionDenied
from ... import tasks
from ...dialogs.base import ask_mask, confirm, show_error
from ...list_page import Action, Combo, ListPage
from ...page import bus
from .form import ResidentForm
from .list_print import residents_sheet

FIRST_PAGE = 300  # ids shown at once; the rest of a long result follows from a second query
PREVIEW_ASKS_ABOVE = 5000  # rows; a longer list asks before laying out hundreds of pages
KEYS_AFTER_CHANGE_MS = 500  # the search keys are read again once changes to the residents pause this long


def _buildings(values: dict) -> list[tuple[str, int]]:
    cid = values.get("community_id")
    return [(name if cid else f"{community_name} {name}", bid)
            for bid, name, community_name in communities.list_buildings(cid)]


class ResidentsPage(ListPage):
    title = "居民台账"
    columns = residents.COLUMNS
    widths = (80, 44, 44, 170, 110, 90, 150, 120, 80, 150, 70, 90, 70, 130, 120)
    filter_type = residents.ResidentFilter
    sort_key = "name"
    search_hint = "搜索：姓名 / 拼音首字母(如 wy) / 全拼 / 身份证号 / 电话 / 住址"
    filters = (
        Combo("community_filter", "community_id", "社区", lambda _v: [(n, c) for c, n in communities.list_communities()],
              all_text="全部社区"),
        Combo("building_filter", "building_id", "楼栋", _buildings, all_text="全部楼栋", depends_on="community_id"),
        Combo("tag_filter", "tag_id", "人员类别", lambda _v: [(n, t) for t, n in residents.list_tags()]),
        Combo("status_filter", "residence_status", "居住状态", [(s, s) for s in RESIDENCE_STATUSES]),
    )
    first_page = FIRST_PAGE
    record_table = "resident"
    tables = ("resident",)
    new_text = "新增居民"
    form_class = ResidentForm
    delete_text = "删除"
    delete_title = "删除居民"
    setup_actions = (Action("新增人员类别…", "add_tag"),)
    export_text = "导出Excel"
    export_done = "已导出 {count:,} 人到 {path}"
    export_is_list = True
    print_text = "打印预览"
    file_name = "居民台账"

    def __init__(self, parent=None):
        self._keys: SearchKeys | None = None
        self._keys_at = -1  # the data changes seen (ListPage._changes) when the keys were read
        self._keys_loading = -1  # ... when the read under way began
        self._keys_timer = QTimer()
        self._keys_timer.setSingleShot(True)
        self._keys_timer.timeout.connect(self._load_keys)
        super().__init__(parent)
        self._keys_timer.setParent(self)
        bus.data_changed.connect(self._residents_changed)  # after ListPage's own slot has counted the change

    # --- the search keys in memory ---
    def search_options(self) -> dict:
        return {"keys": self._keys} if self._keys is not None and self._keys_at == self._changes else {}

    def _residents_changed(self, table: str) -> None:
        if self._keys_at != self._changes:  # a change this page shows: the keys are out of date
            self._keys = None
            if self.isVisible():
                self._keys_timer.start(KEYS_AFTER_CHANGE_MS)

    def refresh(self) -> None:
        super().refresh()
        self._residents_changed("*")

    def showEvent(self, event) -> None:  # noqa: N802 - Qt name
        super().showEvent(event)
        if self._keys_at != self._changes and not self._keys_timer.isActive():
            self._keys_timer.start(0)

    def _load_keys(self) -> None:
        at = self._changes
        if self._keys_loading == at or self._keys_at == at:
            return
        self._keys_loading = at
        tasks.run_query(SearchKeys.load, lambda keys: self._keys_loaded(at, keys), self._keys_failed)

    def _keys_loaded(self, at: int, keys: SearchKeys) -> None:
        self._keys_loading = -1
        if at == self._changes:  # else a change came while they were read: the next read is scheduled
            self._keys, self._keys_at = keys, at

    def _keys_failed(self, _exc: BaseException) -> None:
        """SQL answers meanwhile (a failing database says so through the search itself); tried again when the page
        is next shown or the residents change."""
        self._keys_loading = -1

    def searching_in_memory(self) -> bool:
        """True when a text search now looks in the keys in memory (tests, benchmark)."""
        return bool(self.search_options())

    def load_rows(self, ids: list[int]) -> dict[int, tuple]:
        """Rows as core gives them: ID numbers and phones already masked for this session (role, setting)."""
        return residents.load_rows(ids)

    narrows = True  # one more character typed looks only at the previous result (ListPage._within)

    def find(self, flt: residents.ResidentFilter, limit: int | None = None,
             within: list[int] | None = None, keys: SearchKeys | None = None) -> list[int]:
        return residents.search_ids(flt, limit=limit, within=within, keys=keys)

    def find_more(self, flt, stale: bool):
        """The total: read again only when the data changed (it does not move while one types)."""
        return residents.count_all() if stale else None

    def show_more(self, more) -> None:
        if more is not None:
            self.total = more

    def status_text(self) -> str:
        shown = self.model.rowCount()
        if not self._complete:
            return f"找到 {shown:,}+ 人（全部 {self.total:,} 人），正在载入其余……"
        if shown == self.total:
            return f"共 {self.total:,} 人"
        return f"找到 {shown:,} 人（全部 {self.total:,} 人）"

    def show_filtered(self, community_id: int | None = None, tag_id: int | None = None) -> None:
        """Opened from the home screen: the residents of one community and/or one 人员类别, other filters cleared."""
        self.fill_filters()
        self.set_filters(community_id=community_id, tag_id=tag_id)

    # --- records ---
    def new_record(self) -> None:
        if not communities.list_communities():
            show_error(self, "新增居民", "还没有社区，请先在首次设置中填写社区名称")
            return
        super().new_record()

    def delete_question(self, ids: list[int]) -> str:
        rows = residents.load_rows(ids[:5])
        names = "、".join(rows[i][0] for i in ids[:5] if i in rows) + ("等" if len(ids) > 5 else "")
        return f"确定删除 {names} 共 {len(ids)} 人的登记？此操作记入操作日志。"

    def delete_records(self, ids: list[int]) -> None:
        residents.delete(ids)

    def screenshot_extras(self):
        """The resident form, filled, for the README (tools/screenshots.py)."""
        form = ResidentForm(self, self.model.id_at(0)) if self.model.rowCount() else ResidentForm(self)
        form.show()
        return [("resident_form", form)]

    def add_tag(self, name: str | None = None) -> int | None:
        """An office's own 人员类别; it appears in the filter and the form at once."""
        if name is None:
            name, ok = QInputDialog.getText(self, "新增人员类别", "类别名称（如 失独家庭、空巢老人）：")
            if not ok:
                return None
        try:
            tag_id = residents.add_tag(name)
        except (ValidationError, PermissionDenied) as exc:
            show_error(self, "新增人员类别", exc.message)
            return None
        self.fill_filters()
        return tag_id

    # --- export and print ---
    def export_work(self, path: str, flt, mask: bool | None = None):
        if mask is None:
            mask = ask_mask(self)
            if mask is None:
                return None
        from ....core.excel.residents_export import export_residents  # openpyxl loads on first export

        return lambda progress: export_residents(path, flt, mask=mask, progress=progress)

    def print_document(self):
        ids = list(self.model.ids())
        return lambda: residents_sheet(ids)

    def print_preview(self) -> None:
        shown = self.model.rowCount()
        if shown > PREVIEW_ASKS_ABOVE and not confirm(
                self, "打印预览", f"当前列表有 {shown:,} 人，打印页数很多。仍要预览吗？"):
            return
        super().print_preview()
