"""Issue 16: `--smoke` in a windowed build (no stdout) writes its result to smoke-result.txt beside the database."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from community_desk.gui import smoke

ROOT = Path(__file__).resolve().parents[2]


def test_smoke_without_stdout_writes_the_result_file(tmp_path):
    db = tmp_path / "desk.db"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    # fd 1 closed: Python starts with sys.stdout None, as PyInstaller's windowed build does
    done = subprocess.run(["sh", "-c", '"$@" >&-; echo "rc=$?"', "sh", sys.executable, str(ROOT / "main.py"),
                           "--smoke", "--db", str(db)], env=env, capture_output=True, text=True, timeout=300)
    assert done.stdout.strip() == "rc=0", done.stderr
    text = (tmp_path / smoke.RESULT_NAME).read_text(encoding="utf-8")
    assert "smoke ok: 主窗口已打开" in text
    assert text.rstrip().endswith("exit code 0")


def test_console_or_not(monkeypatch, tmp_path):
    monkeypatch.setattr(sys, "stdout", None)
    assert not smoke.has_console()
    assert smoke.result_path(tmp_path / "desk.db") == tmp_path.resolve() / smoke.RESULT_NAME
    assert smoke.result_path(None).parent == Path(smoke.tempfile.gettempdir())


def test_a_frozen_program_with_its_output_captured_writes_there(monkeypatch):
    """A script checking the build (the PyInstaller test) reads --smoke's result from the captured output."""
    import io

    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "stdout", io.StringIO())
    assert smoke.has_console()
