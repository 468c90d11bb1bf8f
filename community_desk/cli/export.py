"""`export WHAT --out FILE.xlsx [options]`: every report as Excel. The reports are the EXPORTS of the modules in
EXPORT_MODULES, in that order (the order the help and the error message list them)."""
from __future__ import annotations

import argparse

from ..exit_codes import EXIT_OK
from . import cleaning, facilities, quarantine, residents, volunteers
from .command import Command, CommandError, Export, output_path

EXPORT_MODULES = (residents, cleaning, quarantine, volunteers, facilities)
EXPORTS: dict[str, Export] = {name: export for module in EXPORT_MODULES for name, export in module.EXPORTS.items()}


def _add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("what", help="what to export: " + ", ".join(EXPORTS))
    parser.add_argument("--out", required=True, help="the .xlsx file to write")
    parser.add_argument("--date", help="YYYY-MM-DD, for daily reports")
    parser.add_argument("--from", dest="date_from", help="YYYY-MM-DD")
    parser.add_argument("--to", dest="date_to", help="YYYY-MM-DD")
    parser.add_argument("--round", dest="round_id", type=int, help="service round id")
    parser.add_argument("--week", help="YYYY-MM-DD, a day of the week")
    parser.add_argument("--mask", action="store_true", help="mask ID numbers and phones (110111********1234)")


def _run(args: argparse.Namespace) -> int:
    handler = EXPORTS.get(args.what)
    if handler is None:
        raise CommandError(f"不能导出“{args.what}”，可导出：{'、'.join(EXPORTS)}", f"unknown export {args.what!r}")
    print(handler(args, output_path(args.out, ".xlsx")))
    return EXIT_OK


COMMANDS = (Command("export", "export a report as Excel", _add_arguments, _run),)
