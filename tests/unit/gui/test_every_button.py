"""Every button and action of every page of the real main window, pressed as a person would.

The suite was green while two main buttons of 隔离管控 did nothing (a slot received Qt's `checked=False` as its
`path`) and two print previews ended the program (a QPrintPreviewDialog whose QPrinter was freed): tests called
methods, nobody pressed buttons. Here each page's buttons (every tab, nothing selected / the first row selected /
dialogs accepted), its buttons' menu actions, context menus and the menu bar and toolbar are pressed by
tests/button_press.py in a child process per page (two at a time), on a copy of one demo-sized database. A page
fails when a press raised inside a slot, crashed or hung the child (the page and button are named), wrote a file
anywhere but the path its save dialog was given, or showed nothing at all (no dialog, message, status bar or label
text, row count, tab, page, focus or file change) without a reason in QUIET below.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from community_desk.gui.main_window import PAGES
from tests.button_press import prepare_database

ROOT = Path(__file__).resolve().parents[3]
CHILD_TIMEOUT_S = 400
PARALLEL = 2  # children at a time (the machine has two cores)
OUTPUT_SUFFIXES = (".xlsx", ".pdf", ".db", ".csv", ".png")

# Presses whose effect is rightly invisible: (pattern on the press's name, why). Keep this list short.
QUIET = [
    (r"\[菜单 查看\(V\) ▸ (?P<page>[^\]]+)\]$", "the 查看 menu's entry of the page already shown: it stays there"),
]


def quiet_reason(key: str, page: str) -> str | None:
    for pattern, reason in QUIET:
        match = re.search(pattern, key)
        if match and match.groupdict().get("page", page) == page:
            return reason
    return None


def _project_outputs() -> set[str]:
    """Output-looking files in the project folder (a stray export lands here when a path is lost)."""
    found = set()
    for folder in (ROOT, ROOT / "community_desk", ROOT / "tests"):
        for path in folder.iterdir():
            if path.is_file() and (path.suffix.lower() in OUTPUT_SUFFIXES or path.name.startswith(("False", "True"))):
                found.add(str(path))
    return found


def _child_env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("COMMUNITY_DESK_DB", "PYTEST_CURRENT_TEST")}
    env.update(HOME=str(home), XDG_DATA_HOME=str(home / ".local/share"), XDG_CONFIG_HOME=str(home / ".config"),
               XDG_CACHE_HOME=str(home / ".cache"), PYTHONPATH=str(ROOT), PYTHONFAULTHANDLER="1")
    env.pop("QT_QPA_PLATFORM", None)  # the child sets the office's 1366 x 768 offscreen screen itself
    return env


@pytest.fixture(scope="module")
def pressed(tmp_path_factory, request):
    """Every page's child run, two at a time: {row: (return code, report or None, last press, stderr)}."""
    base = tmp_path_factory.mktemp("buttons")
    server = os.environ.get("DESK_TEST_ENGINE") == "postgres"
    if server:  # each page's child on its own server database, copied from the prepared one (CREATE … TEMPLATE)
        from tests.pg_engine import database_copies

        copies = database_copies(prepare_database, len(PAGES))
    else:
        prepared = base / "prepared.db"
        prepare_database(prepared)
    outputs_before = _project_outputs()
    waiting, running, results = list(range(len(PAGES))), {}, {}
    started = time.monotonic()
    while waiting or running:
        while waiting and len(running) < PARALLEL:
            row = waiting.pop(0)
            work = base / f"page{row}"
            for name in ("data", "home", "cwd", "out"):
                (work / name).mkdir(parents=True)
            if server:
                target = copies[row]
            else:
                shutil.copy(prepared, work / "data" / "desk.db")
                target = str(work / "data" / "desk.db")
            err = open(work / "stderr.txt", "w")  # noqa: SIM115 - closed when the child ends
            child = subprocess.Popen(
                [sys.executable, "-m", "tests.button_press", "--db", target, "--page",
                 str(row), "--out", str(work / "out")], cwd=work / "cwd", env=_child_env(work / "home"),
                stdout=subprocess.DEVNULL, stderr=err)
            running[row] = (child, err, work, time.monotonic())
        for row, (child, err, work, began) in list(running.items()):
            code = child.poll()
            if code is None and time.monotonic() - began > CHILD_TIMEOUT_S:
                child.kill()
                code = child.wait()
                code = "timeout"
            if code is None:
                continue
            err.close()
            del running[row]
            log = (work / "out" / "progress.log")
            lines = log.read_text(encoding="utf-8").splitlines() if log.exists() else []
            last = next((line[6:] for line in reversed(lines) if line.startswith("PRESS ")), "(before any press)")
            report_file = work / "out" / "report.json"
            report = json.loads(report_file.read_text(encoding="utf-8")) if report_file.exists() else None
            stderr = (work / "stderr.txt").read_text(encoding="utf-8", errors="replace")
            results[row] = (code, report, last, stderr)
        time.sleep(0.05)
    stray = sorted(_project_outputs() - outputs_before)
    total = sum(len(r[1]["presses"]) for r in results.values() if r[1])
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    line = (f"every button: {total} buttons and actions pressed on {len(PAGES)} pages in "
            f"{time.monotonic() - started:.0f} s (" + ", ".join(
                f"{PAGES[row].title} {len(r[1]['presses']) if r[1] else '?'}" for row, r in sorted(results.items())) + ")")
    print(line)
    if reporter is not None:
        reporter.write_line(line)
    return results, stray


@pytest.mark.parametrize("row", range(len(PAGES)), ids=[spec.title for spec in PAGES])
def test_every_button_of_the_page_does_something_and_nothing_breaks(pressed, row):
    results, stray = pressed
    code, report, last, stderr = results[row]
    page = PAGES[row].title
    tail = "\n".join(line for line in stderr.splitlines() if "propagateSizeHints" not in line)[-4000:]
    if code == "timeout":
        pytest.fail(f"{page}: the child hung (over {CHILD_TIMEOUT_S} s) while pressing {last}\n{tail}", pytrace=False)
    if code != 0:
        how = f"crashed (signal {-code})" if code < 0 else f"failed (exit {code})"
        pytest.fail(f"{page}: the child {how} while pressing {last}\n{tail}", pytrace=False)
    assert report is not None, f"{page}: the child wrote no report\n{tail}"
    problems = list(report["errors"])
    if "Traceback (most recent call last)" in stderr:
        problems.append(f"a traceback on the child's stderr:\n{tail}")
    for press in report["presses"]:
        if not press["effects"] and quiet_reason(press["key"], report["page"]) is None:
            problems.append(f"{press['key']}: the press showed nothing at all (no dialog, message, status bar or "
                            f"label text, row count, tab, page, focus or file)")
    problems += [f"a file appeared in the project folder: {path}" for path in stray]
    assert not problems, f"{page}: {len(problems)} problems in {len(report['presses'])} presses:\n" + "\n".join(
        problems)
    assert len(report["presses"]) > 10, f"{page}: only {len(report['presses'])} presses: the walk found no buttons"
