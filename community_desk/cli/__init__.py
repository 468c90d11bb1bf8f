"""Headless commands: `python main.py [--db PATH] COMMAND ...`. Qt-free.

Exit code 0 on success, 2 on bad input with a one-line Chinese-and-English error on stderr.
The commands are those of the modules in COMMAND_MODULES, in that order (an explicit list: importing a module
registers nothing); the reports of `export` are listed the same way in cli.export.EXPORT_MODULES.
"""
from __future__ import annotations

import argparse
import sys

from ..core.faults import describe_fault
from ..core.rules.text import ValidationError
from ..core.session import PermissionDenied
from ..exit_codes import EXIT_BAD_INPUT
from . import backups, demo_data, export, pdf, quarantine, server
from .command import Command, CommandError
from .export import EXPORTS

COMMAND_MODULES = (demo_data, export, pdf, backups, quarantine, server)
COMMANDS: dict[str, Command] = {command.name: command for module in COMMAND_MODULES for command in module.COMMANDS}

__all__ = ["COMMANDS", "EXPORTS", "Command", "CommandError", "add_commands", "run_command"]


def add_commands(subparsers) -> None:
    for command in COMMANDS.values():
        command.add_arguments(subparsers.add_parser(command.name, help=command.help))


def run_command(args: argparse.Namespace) -> int:
    try:
        return COMMANDS[args.command].run(args)
    except CommandError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except ValidationError as exc:
        print(f"错误：{exc.message} (invalid input)", file=sys.stderr)
        return EXIT_BAD_INPUT
    except PermissionDenied as exc:
        print(f"错误：{exc.message} (permission denied)", file=sys.stderr)
        return EXIT_BAD_INPUT
    except Exception as exc:  # noqa: BLE001 - a fault of the machine is one plain line and exit 2, a bug goes on up
        message = describe_fault(exc)
        if message is None:
            raise
        print(f"错误：{message} (environment fault)", file=sys.stderr)
        return EXIT_BAD_INPUT
