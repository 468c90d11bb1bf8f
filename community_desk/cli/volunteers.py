"""Command-line exports of the volunteer module (listed in cli.export):

    export duty-roster --week YYYY-MM-DD --out FILE.xlsx   (the week containing that day)
    export volunteers --out FILE.xlsx                      (volunteers with hours served)
    export events --from DATE --to DATE --out FILE.xlsx    (publicity events in the period)
"""
from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from ..core.excel.volunteers_export import export_duty_roster, export_events, export_volunteers
from ..core.rules.resident import parse_date
from ..core.rules.text import ValidationError
from ..core.rules.volunteers import week_start
from .command import CommandError, Export


def _date(raw: str | None, option: str, required: bool = False) -> dt.date | None:
    if not raw:
        if required:
            raise CommandError(f"请用 {option} 给出日期，例如 {option} 2021-08-16", f"{option} YYYY-MM-DD is required")
        return None
    try:
        return parse_date(raw, option)
    except ValidationError as exc:
        raise CommandError(exc.message, f"{option} must be YYYY-MM-DD") from exc


def _export_duty_roster(args: argparse.Namespace, out: Path) -> str:
    day = _date(args.week, "--week", required=True)
    count = export_duty_roster(out, day)
    return f"已导出 {week_start(day):%Y-%m-%d} 起一周门岗排班 {count} 班到 {out}"


def _export_volunteers(args: argparse.Namespace, out: Path) -> str:
    return f"已导出 {export_volunteers(out, mask=args.mask):,} 名志愿者（含服务时长）到 {out}"


def _export_events(args: argparse.Namespace, out: Path) -> str:
    date_from, date_to = _date(args.date_from, "--from"), _date(args.date_to, "--to")
    if date_from and date_to and date_from > date_to:
        raise CommandError("--from 的日期晚于 --to", "--from is after --to")
    return f"已导出 {export_events(out, date_from, date_to)} 场宣传活动到 {out}"


EXPORTS: dict[str, Export] = {
    "duty-roster": _export_duty_roster,
    "volunteers": _export_volunteers,
    "events": _export_events,
}
