"""`demo-data [--residents N]`: fictional demo data into an empty database (core.demo)."""
from __future__ import annotations

import argparse
import time

from ..core import demo
from ..core.rules.text import ValidationError
from ..exit_codes import EXIT_OK
from .command import Command, CommandError


def _add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--residents", type=int, default=400, help="number of fictional residents (default 400)")


def _run(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    try:
        counts = demo.load_demo_data(residents=args.residents)
    except ValidationError as exc:
        raise CommandError(exc.message, "demo data needs an empty database") from exc
    print(f"已载入示例数据：{counts['communities']} 个社区，{counts['households']} 户，{counts['residents']} 名居民，"
          f"用时 {time.perf_counter() - started:.1f} 秒")
    return EXIT_OK


COMMANDS = (Command("demo-data", "fill an empty database with fictional demo data", _add_arguments, _run),)
