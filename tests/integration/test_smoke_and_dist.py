"""`--smoke` starts the real program on a fresh database and exits 0; the PyInstaller build does the same.

The build test is marked slow (about half a minute here): `make test` runs it, `-m "not slow"` leaves it out.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def offscreen_env(tmp_path: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "COMMUNITY_DESK_DB")}
    env["QT_QPA_PLATFORM"] = "offscreen"
    env["HOME"] = str(tmp_path / "home")  # nothing may land in the real user's folders
    env["XDG_DATA_HOME"] = str(tmp_path / "home" / "data")
    env["XDG_CONFIG_HOME"] = str(tmp_path / "home" / "config")
    return env


def test_smoke_flag_opens_the_main_window_on_a_fresh_database(tmp_path):
    db = tmp_path / "fresh.db"
    result = subprocess.run([sys.executable, str(ROOT / "main.py"), "--smoke", "--db", str(db)],
                            env=offscreen_env(tmp_path), capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "smoke ok" in result.stdout and "居民台账" in result.stdout
    assert "拼音 ('zm', 'zhangmin')" in result.stdout and "PDF 1 页" in result.stdout
    assert db.exists()  # it really opened (and created) the database it was given
    assert not (tmp_path / "home" / "data" / "CommunityDesk").exists()


def test_smoke_without_db_uses_a_temporary_database(tmp_path):
    result = subprocess.run([sys.executable, str(ROOT / "main.py"), "--smoke"], env=offscreen_env(tmp_path),
                            capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "desk-smoke-" in result.stdout
    assert not (tmp_path / "home" / "data" / "CommunityDesk").exists()


@pytest.mark.slow
def test_pyinstaller_build_starts_with_smoke(tmp_path):
    pytest.importorskip("PyInstaller", reason="PyInstaller is in the test extra: `pip install -e .[test]`")
    dist, work = tmp_path / "dist", tmp_path / "build"
    build = subprocess.run([sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
                            "--distpath", str(dist), "--workpath", str(work),
                            str(ROOT / "packaging" / "community_desk.spec")],
                           capture_output=True, text=True, timeout=900, cwd=ROOT)
    assert build.returncode == 0, build.stderr[-3000:]
    app = dist / "community-desk" / ("community-desk.exe" if sys.platform == "win32" else "community-desk")
    assert app.exists()
    assert (dist / "community-desk" / "_internal" / "resources" / "manual" / "index.html").exists()
    run = subprocess.run([str(app), "--smoke", "--db", str(tmp_path / "built.db")], env=offscreen_env(tmp_path),
                         capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "smoke ok" in run.stdout and "Excel 写入并读回" in run.stdout and "PDF 1 页" in run.stdout
    assert (tmp_path / "built.db").exists()
