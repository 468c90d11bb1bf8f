"""Command-line exports of the facility log and the service desk (listed in cli.export)."""
from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from ..core.excel.facilities_export import export_facilities, export_service_requests, period_text
from ..core.rules.resident import parse_date
from ..core.rules.text import ValidationError
from .command import Export


def _export_facilities(_args: argparse.Namespace, out: Path) -> str:
    return f"已导出设施台账 {export_facilities(out)} 项（含分类汇总和规划项目）到 {out}"


def _export_service_requests(args: argparse.Namespace, out: Path) -> str:
    date_from = parse_date(args.date_from, "--from 开始日期")
    date_to = parse_date(args.date_to, "--to 结束日期")
    if date_from is None and date_to is None:
        today = dt.date.today()
        date_from, date_to = today.replace(day=1), today
    if date_from and date_to and date_from > date_to:
        raise ValidationError("开始日期晚于结束日期")
    count = export_service_requests(out, date_from, date_to, mask=args.mask)
    return f"已导出我来办工单 {count} 件（{period_text(date_from, date_to)}）到 {out}"


EXPORTS: dict[str, Export] = {"facilities": _export_facilities, "service-requests": _export_service_requests}
