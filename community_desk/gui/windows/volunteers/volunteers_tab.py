"""The volunteer list tab (志愿者): search, filter by team and kind, add, edit, delete, export with hours.

A ListPage; the 志愿者与门岗 page refreshes it when a table it shows changes (window.WATCHES)."""
from __future__ import annotations

from ....core.excel.volunteers_export import export_volunteers
from ....core.models.volunteers import VOLUNTEER_KINDS
from ....core.queries import volunteers
from ...list_page import Check, Combo, ListPage
from .form import VolunteerForm


class VolunteersTab(ListPage):
    columns = volunteers.COLUMNS
    widths = (80, 70, 80, 110, 140, 90, 260, 90, 60, 100)
    filter_type = volunteers.VolunteerFilter
    sort_key = "name"
    search_hint = "搜索：姓名 / 拼音首字母 / 电话 / 特长"
    filters = (
        Combo("team_filter", "team_id", "服务队", lambda _v: [(n, t) for t, n in volunteers.list_teams()],
              all_text="全部服务队"),
        Combo("kind_filter", "kind", "类别", [(k, k) for k in VOLUNTEER_KINDS], all_text="全部类别"),
        Check("active_check", "active_only", "只看在队", checked=True),
    )
    record_table = "volunteer"
    count_text = "志愿者 {shown:,} 人（全部 {total:,} 人）"
    new_text = "新增志愿者"
    form_class = VolunteerForm
    delete_text = "删除"
    delete_title = "删除志愿者"
    export_text = "导出Excel（含服务时长）"
    export_done = "已导出 {count} 名志愿者到 {path}"
    file_name = "志愿者名册"

    def load_rows(self, ids: list[int]) -> dict[int, tuple]:
        return volunteers.load_rows(ids)

    def find(self, flt: volunteers.VolunteerFilter, limit: int | None = None) -> list[int]:
        return volunteers.search_ids(flt)

    def find_more(self, flt, stale: bool) -> int:
        return volunteers.count_all()

    def show_more(self, more: int) -> None:
        self.total = more

    def delete_question(self, ids: list[int]) -> str:
        names = "、".join(volunteers.names(ids[:5]).values()) + ("等" if len(ids) > 5 else "")
        return f"确定删除 {names} 共 {len(ids)} 人？其排班和活动记录中的名字也会一并删除。"

    def delete_records(self, ids: list[int]) -> None:
        volunteers.delete(ids)

    def export_work(self, path: str, flt: volunteers.VolunteerFilter):
        return lambda progress: export_volunteers(path, flt, progress)
