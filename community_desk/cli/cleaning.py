"""Command-line export of the cleaning service: `export cleaning-roster --round ID --out FILE.xlsx`."""
from __future__ import annotations

import argparse
from pathlib import Path

from ..core.excel.cleaning_export import export_cleaning_roster
from .command import CommandError, Export


def export_roster(args: argparse.Namespace, out: Path) -> str:
    if not getattr(args, "round_id", None):
        raise CommandError("请用 --round 指定服务批次编号", "--round ID is required")
    stats = export_cleaning_roster(out, args.round_id)
    return (f"已导出服务批次 {args.round_id}：安排 {stats['scheduled']} 户，已服务 {stats['served']} 户，"
            f"擦窗 {stats['windows']} 扇，满意 {stats['satisfaction']['满意']} 户，到 {out}")


EXPORTS: dict[str, Export] = {"cleaning-roster": export_roster}
