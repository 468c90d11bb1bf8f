"""Headless quarantine commands: `import-ledger FILE.xlsx [--dry-run] [--json]` and the daily report
exports (`export quarantine-daily --date D --out F.xlsx`, `export quarantine-daily-detailed ...`).
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

from ..core.excel import ledger_import, ledger_preview, ledger_read
from ..core.excel import push_provenance as provenance
from ..core.excel.quarantine_daily import export_daily
from ..exit_codes import EXIT_BAD_INPUT, EXIT_OK
from .command import Command, CommandError, Export


def _date_arg(text: str | None, flag: str) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"{flag} 须写成 YYYY-MM-DD，例如 2021-08-05", f"{flag} must be YYYY-MM-DD") from None


def _add_import(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", help="the dispatched list (.xlsx, or an old .xls)")
    parser.add_argument("--dry-run", action="store_true", help="preview only, write nothing")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.add_argument("--push-date", help="YYYY-MM-DD (default: the date in the title rows, else today)")
    parser.add_argument("--sender", default="", help="推送单位 (default: from the title rows)")
    parser.add_argument("--again", action="store_true", help="import a file that was imported before")
    parser.add_argument("--community", default="", help="所属社区 of rows that do not say it (office serving several)")


def _run_import(args: argparse.Namespace) -> int:
    """Exit 0 when people were imported (or, with --dry-run, would be); 2 when the file cannot be read, when nobody
    in it can be imported (a header-only file, every row refused: bad input, nothing written), and for a fault of
    the machine (full disk, database busy: cli.run_command names it). --json prints the verdict in every case where
    the file was read: committed, importable and, when nothing could be imported, the reason."""
    push_date = _date_arg(args.push_date, "--push-date")
    try:
        result = ledger_preview.preview(Path(args.file), push_date=push_date, sender=args.sender,
                                       community=args.community)
    except ledger_read.LedgerReadError as exc:
        raise CommandError(f"无法导入：{exc.message}，未写入任何数据", "cannot read the ledger, nothing written") from exc
    refusal = _refusal(result, args)
    written = None if args.dry_run or not result.importable or refusal else ledger_import.commit(result, again=args.again)
    if args.json:
        out = result.summary()
        out["committed"] = written is not None
        out["importable"] = result.importable
        if written is not None:
            out["new"], out["updated"] = written["new"], written["updated"]
        if not result.importable or refusal:
            out["error"] = refusal or result.nothing_reason()
        print(json.dumps(out, ensure_ascii=False, default=str))
    else:
        counts = written or {"new": len(result.new), "updated": len(result.updated)}
        verb = "已导入" if written is not None else "预览（未写入）" if result.importable else "未导入"
        verb = "未导入" if refusal else verb
        print(f"{verb}：{result.file_name} 工作表“{result.sheet}”，推送日期 {result.push_date:%Y-%m-%d}；"
              f"新增 {counts['new']} 人，更新 {counts['updated']} 人，无变化 {len(result.unchanged)} 人，"
              f"未导入 {len(result.rejected)} 行，重复 {len(result.duplicates)} 行，"
              f"非本社区 {len(result.other_community)} 行，冲突 {len(result.conflicts)} 项（保留现值）"
              + (f"，隐藏行 {result.hidden_rows} 行（已导入）" if result.hidden_rows else ""))
        for w in result.warnings:
            print(f"  注意：{w}")
        for r in result.updated:
            print(f"  更新 第 {r.row} 行 {r.values['name']}：" + "；".join(c.text() for c in r.changes))
        for c in result.conflicts:
            print(f"  冲突 第 {c.row} 行 {c.name} {provenance.label(c.field)}：现值 "
                  f"{provenance.show(c.old)}（{c.source}），名单 {provenance.show(c.new)}，保留现值")
        for r in result.rejected:
            print(f"  第 {r['row']} 行 {r['name']}：{r['reason']}")
        for d in result.duplicates:
            print(f"  第 {d['row']} 行 {d['name']}：身份证号与第 {d['first_row']} 行重复，未导入")
        for o in result.other_community:
            print(f"  第 {o['row']} 行 {o['name']}：非本社区（{o['community']}），未导入")
    if refusal:
        print(f"错误：{refusal}", file=sys.stderr)
        return EXIT_BAD_INPUT
    if not result.importable:
        print(f"错误：{result.nothing_reason()} (nothing to import)", file=sys.stderr)
        return EXIT_BAD_INPUT
    return EXIT_OK


def _refusal(result: ledger_preview.LedgerPreview, args: argparse.Namespace) -> str:
    """Why the command will not write this file: imported before (without --again), communities unknown."""
    if result.already and not args.again:
        a = result.already
        return (f"该文件已于 {a['at']} 由 {a['by'] or '（未记名）'} 导入过（批次 {a['batch']}），未再次导入；"
                "确需再导入请加 --again (already imported)")
    if result.no_community:
        rows = "、".join(str(r) for _s, r in result.no_community[:10])
        names = "、".join(n for _c, n in result.communities)
        return (f"第 {rows} 行读不出所属社区，请用 --community 指定（{names}），未写入任何数据 "
                "(community unknown)")
    return ""


def _export_daily(args: argparse.Namespace, out: Path, detailed: bool = False) -> str:
    day = _date_arg(args.date, "--date") or dt.date.today()
    count = export_daily(out, day, detailed=detailed, mask=args.mask)
    return f"已导出 {day:%Y-%m-%d} 隔离管控日报 {count} 人到 {out}" + ("（身份证号和电话已脱敏）" if args.mask else "")


COMMANDS = (Command("import-ledger", "import a dispatched quarantine list (市派名单)", _add_import, _run_import),)
EXPORTS: dict[str, Export] = {
    "quarantine-daily": _export_daily,
    "quarantine-daily-detailed": lambda args, out: _export_daily(args, out, detailed=True),
}
