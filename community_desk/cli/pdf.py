"""`pdf WHAT --out FILE.pdf [options]`: every printed sheet as a PDF, for batch printing and for checks.

The sheets are those of the print buttons, made by the same builders (no window needed: they read core and return a
gui.printing Document or TableSheet) and written by gui.printing.write_pdf. Qt (QtGui, offscreen where there is no
display) is loaded only when this command runs, so neither the window's start nor other commands pay for it. A
read-only session gets masked ID numbers and phones, as on paper; --mask masks them for anyone.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from collections.abc import Callable

from ..exit_codes import EXIT_OK
from .command import Command, CommandError, output_path


def _date(text: str | None, flag: str, default: dt.date | None = None) -> dt.date:
    if not text:
        if default is None:
            raise CommandError(f"请用 {flag} 指定日期（YYYY-MM-DD）", f"{flag} is required")
        return default
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"{flag} 须写成 YYYY-MM-DD，例如 2021-08-05", f"{flag} must be YYYY-MM-DD") from None


def _residents(args: argparse.Namespace):
    from ..gui.windows.residents.list_print import all_residents_sheet

    return all_residents_sheet(mask=args.mask), "居民台账"


def _quarantine_day(args: argparse.Namespace):
    from ..gui.windows.quarantine.notice import day_list_sheet

    day = _date(args.date, "--date", dt.date.today())
    return day_list_sheet(day, mask=args.mask), f"{day:%Y-%m-%d} 隔离管控台账"


def _notices(args: argparse.Namespace):
    from ..gui.windows.quarantine.notice import day_notices_document

    day = _date(args.date, "--date", dt.date.today())
    return day_notices_document(day, mask=args.mask), f"{day:%Y-%m-%d} 名单上人员的隔离通知"


def _cleaning_roster(args: argparse.Namespace):
    from ..core.models import ServiceRound
    from ..gui.windows.cleaning.roster_print import roster_document

    if not args.round_id:
        raise CommandError("请用 --round 指定服务批次编号", "--round ID is required")
    if not ServiceRound.select().where(ServiceRound.id == args.round_id).exists():
        raise CommandError(f"没有编号为 {args.round_id} 的服务批次", f"no service round {args.round_id}")
    day = _date(args.date, "--date", None) if args.date else None
    document, count = roster_document(args.round_id, day)
    return document, f"服务批次 {args.round_id} 擦玻璃服务花名册 {count} 户"


def _duty_roster(args: argparse.Namespace):
    from ..core.rules.volunteers import week_start
    from ..gui.windows.volunteers.roster_print import roster_document

    monday = week_start(_date(args.week, "--week", dt.date.today()))
    return roster_document(monday), f"{monday:%Y-%m-%d} 起一周的门岗值守排班表和签到表"


def _facilities(args: argparse.Namespace):
    from ..gui.windows.facilities.list_print import all_facilities_sheet

    return all_facilities_sheet(), "设施台账"


def _service_requests(args: argparse.Namespace):
    from ..gui.windows.service_desk.list_print import month_range, requests_sheet

    first_of_month = dt.date.today().replace(day=1)
    first = _date(args.date_from, "--from", first_of_month)
    last = _date(args.date_to, "--to", month_range(first.replace(day=1))[1])
    if last < first:
        raise CommandError("--to 不能早于 --from", "--to is before --from")
    return requests_sheet(first, last, mask=args.mask), f"{first:%Y-%m-%d} 至 {last:%Y-%m-%d} 的我来办工单"


# name -> maker(args) -> (printable, what it is): the sheets of the print buttons, in the order help lists them
SHEETS: dict[str, Callable[[argparse.Namespace], tuple]] = {
    "residents": _residents,
    "quarantine-day": _quarantine_day,
    "notices": _notices,
    "cleaning-roster": _cleaning_roster,
    "duty-roster": _duty_roster,
    "facilities": _facilities,
    "service-requests": _service_requests,
}


def _add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("what", help="the sheet: " + ", ".join(SHEETS))
    parser.add_argument("--out", required=True, help="the .pdf file to write")
    parser.add_argument("--date", help="YYYY-MM-DD: the day of quarantine-day and notices (default today); "
                                       "one day of cleaning-roster")
    parser.add_argument("--from", dest="date_from", help="YYYY-MM-DD, service-requests (default: this month)")
    parser.add_argument("--to", dest="date_to", help="YYYY-MM-DD, service-requests")
    parser.add_argument("--round", dest="round_id", type=int, help="service round id, cleaning-roster")
    parser.add_argument("--week", help="YYYY-MM-DD, a day of the week, duty-roster (default this week)")
    parser.add_argument("--mask", action="store_true", help="mask ID numbers and phones (110111********1234)")


def _start_qt() -> None:
    """QtGui for the layout and the PDF writer: offscreen where there is no display."""
    if sys.platform.startswith("linux") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    if QGuiApplication.instance() is None:
        _start_qt.app = QGuiApplication(["community-desk"])  # kept alive while the command runs


def _run(args: argparse.Namespace) -> int:
    maker = SHEETS.get(args.what)
    if maker is None:
        raise CommandError(f"不能输出“{args.what}”，可输出：{'、'.join(SHEETS)}", f"unknown sheet {args.what!r}")
    out = output_path(args.out, ".pdf")
    _start_qt()
    from ..gui.printing import write_pdf

    printable, what = maker(args)
    pages = write_pdf(printable, out)
    print(f"已输出{what}（{pages} 页）到 {out}" + ("（身份证号和电话已脱敏）" if args.mask else ""))
    return EXIT_OK


COMMANDS = (Command("pdf", "save a printed sheet as PDF", _add_arguments, _run),)
