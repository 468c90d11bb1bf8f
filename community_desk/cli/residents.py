"""Command-line export of the residents: `export residents --out FILE.xlsx [--mask]`."""
from __future__ import annotations

import argparse
from pathlib import Path

from ..core.excel.residents_export import export_residents
from .command import Export


def _export_residents(args: argparse.Namespace, out: Path) -> str:
    count = export_residents(out, mask=args.mask)
    return f"已导出 {count:,} 名居民到 {out}" + ("（身份证号和电话已脱敏）" if args.mask else "")


EXPORTS: dict[str, Export] = {"residents": _export_residents}
