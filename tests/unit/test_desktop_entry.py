"""The Linux desktop entry (make install-desktop): written for a temporary HOME and checked by desktop-file-validate."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from community_desk import desktop_entry

VALIDATE = shutil.which("desktop-file-validate")
needs_validator = pytest.mark.skipif(
    VALIDATE is None, reason="desktop-file-validate is not installed (Debian package desktop-file-utils; "
                             ".ci/run installs it with apt-get when it can)")


def validate(path: Path) -> str:
    result = subprocess.run([VALIDATE, str(path)], capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout + result.stderr


@pytest.fixture
def home(tmp_path):
    home = tmp_path / "home"
    (home / "Desktop").mkdir(parents=True)
    return {"HOME": str(home), "XDG_DATA_HOME": str(tmp_path / "data"), "XDG_CONFIG_HOME": str(home / ".config")}


@needs_validator
def test_install_writes_a_valid_entry_icons_and_desktop_shortcut(home, tmp_path):
    python = tmp_path / "venv" / "bin" / "python"
    written = desktop_entry.install(python, env=home)
    entry = tmp_path / "data" / "applications" / "community-desk.desktop"
    shortcut = Path(home["HOME"]) / "Desktop" / "community-desk.desktop"
    assert entry in written and shortcut in written
    assert (tmp_path / "data" / "icons" / "hicolor" / "scalable" / "apps" / "community-desk.svg").exists()
    png = tmp_path / "data" / "icons" / "hicolor" / "256x256" / "apps" / "community-desk.png"
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    text = entry.read_text(encoding="utf-8")
    assert "Name=社区工作台" in text
    assert f"Exec={python} {desktop_entry.ROOT / 'main.py'}" in text
    assert "Icon=community-desk" in text and "Terminal=false" in text
    validate(entry)
    validate(shortcut)
    assert shortcut.stat().st_mode & 0o100  # a launcher on the desktop runs only when executable

    removed = desktop_entry.uninstall(env=home)
    assert entry in removed and not entry.exists() and not shortcut.exists()


@needs_validator
def test_paths_with_spaces_quotes_and_percent_stay_valid(tmp_path):
    odd = tmp_path / "社区 工作台 100%" / 'a "b" $x'
    entry = tmp_path / "odd.desktop"
    entry.write_text(desktop_entry.entry_text(odd / "python", odd), encoding="utf-8")
    validate(entry)
    line = next(x for x in entry.read_text(encoding="utf-8").splitlines() if x.startswith("Exec="))
    assert '100%%' in line and '\\\\"b\\\\"' in line and '\\\\$x' in line


def test_exec_arg_quotes_only_when_needed():
    assert desktop_entry.exec_arg("/opt/desk/python") == "/opt/desk/python"
    assert desktop_entry.exec_arg("/home/张 敏/main.py") == '"/home/张 敏/main.py"'


def test_xdg_data_home_and_desktop_folder_rules(tmp_path):
    home = tmp_path / "h"
    (home / "桌面").mkdir(parents=True)
    env = {"HOME": str(home)}
    assert desktop_entry.data_home(env) == home / ".local" / "share"
    assert desktop_entry.data_home({**env, "XDG_DATA_HOME": "relative/ignored"}) == home / ".local" / "share"
    assert desktop_entry.desktop_dir(env) == home / "桌面"
    (home / ".config").mkdir()
    (home / "工作").mkdir()
    (home / ".config" / "user-dirs.dirs").write_text('XDG_DESKTOP_DIR="$HOME/工作"\n', encoding="utf-8")
    assert desktop_entry.desktop_dir(env) == home / "工作"
    assert desktop_entry.install(tmp_path / "py", env={"HOME": str(tmp_path / "none")}, on_desktop=True)
