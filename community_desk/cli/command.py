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


def output_path(out: str, suffix: str) -> Path:
    """The --out of an export or a PDF: with that ending, in a folder that exists; else a CommandError."""
    path = Path(out)
    if path.suffix.lower() != suffix:
        raise CommandError(f"输出文件名须以 {suffix} 结尾", f"--out must end in {suffix}")
    if not path.parent.exists():
        raise CommandError(f"文件夹不存在：{path.parent}", f"folder does not exist: {path.parent}")
    return path
