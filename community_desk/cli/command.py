"""What a headless command is: its name, help line, arguments and run function (Command), and the bad-input
error a command raises (CommandError), which cli.run_command turns into exit code 2 and a one-line message."""
from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple


class CommandError(Exception):
    """Bad input to a command: Chinese message and English summary."""

    def __init__(self, chinese: str, english: str):
        super().__init__(f"{chinese} ({english})")


class Command(NamedTuple):
    """One subcommand: `add_arguments` fills its parser, `run` returns the exit code."""

    name: str
    help: str
    add_arguments: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace], int]


# One export of `export WHAT --out FILE.xlsx`: writes `out` and returns the line printed for the person.
Export = Callable[[argparse.Namespace, Path], str]
