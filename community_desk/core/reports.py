"""What every report and printed sheet carries: the community title and 填报单位 / 填报人 / 填报日期."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from .queries import settings as office_settings
from .queries.communities import list_communities


@dataclass
class ReportMeta:
    office: str = ""      # 填报单位
    reporter: str = ""    # 填报人
    date: dt.date = field(default_factory=dt.date.today)  # 填报日期

    def footer(self) -> str:
        return f"填报单位：{self.office}      填报人：{self.reporter}      填报日期：{self.date:%Y年%m月%d日}"


def report_meta(day: dt.date | None = None) -> ReportMeta:
    return ReportMeta(office=office_settings.get("office_name") or "",
                      reporter=office_settings.get("reporter_name") or "", date=day or dt.date.today())


def community_title() -> str:
    names = [name for _id, name in list_communities()]
    return "、".join(names) if names else "社区"
