"""The Linux desktop entry: 社区工作台 in the applications menu and on the desktop, started by a double-click.

`make install-desktop` (python -m community_desk.desktop_entry install) writes, for the current user only:
- $XDG_DATA_HOME/applications/community-desk.desktop (XDG_DATA_HOME defaults to ~/.local/share),
  launching this checkout's venv Python on main.py;
- the icon into $XDG_DATA_HOME/icons/hicolor (scalable SVG and a 256 px PNG);
- a copy on the desktop folder (~/Desktop or ~/桌面, as xdg-user-dirs names it) when that folder exists.
`... uninstall` removes them again. Qt-free, so it is tested with a temporary HOME.
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
from pathlib import Path

from . import __version__

APP_ID = "community-desk"
ROOT = Path(__file__).resolve().parent.parent
ICONS = ROOT / "resources" / "icons"
_EXEC_RESERVED = set(' \t\n"\'\\><~|&;$*?#()`')


def data_home(env: dict | None = None) -> Path:
    env = os.environ if env is None else env
    value = env.get("XDG_DATA_HOME")
    if value and Path(value).is_absolute():
        return Path(value)
    return Path(env.get("HOME") or Path.home()) / ".local" / "share"


def desktop_dir(env: dict | None = None) -> Path | None:
    """The user's desktop folder if it exists ($XDG_CONFIG_HOME/user-dirs.dirs, else ~/Desktop or ~/桌面)."""
    env = os.environ if env is None else env
    home = Path(env.get("HOME") or Path.home())
    config = Path(env.get("XDG_CONFIG_HOME") or home / ".config") / "user-dirs.dirs"
    candidates = []
    if config.exists():
        match = re.search(r'^XDG_DESKTOP_DIR="([^"]+)"', config.read_text(encoding="utf-8", errors="replace"), re.M)
        if match:
            candidates.append(Path(match.group(1).replace("$HOME", str(home))))
    candidates += [home / "Desktop", home / "桌面"]
    return next((c for c in candidates if c.is_dir() and c != home), None)


def exec_arg(arg: str) -> str:
    """One Exec argument as the Desktop Entry Specification wants it: quoted when needed, % doubled,
    and backslashes escaped once for the quoting and once more for the string value."""
    arg = arg.replace("%", "%%")
    if any(ch in _EXEC_RESERVED for ch in arg):
        inner = "".join("\\" + ch if ch in '"`$\\' else ch for ch in arg)
        arg = f'"{inner}"'
    return arg.replace("\\", "\\\\")


def default_python(root: Path = ROOT) -> Path:
    venv = root / ".venv" / "bin" / "python"
    return venv if venv.exists() else Path(sys.executable)


def entry_text(python: Path, root: Path = ROOT, icon: str = APP_ID) -> str:
    """The .desktop file for the program run by `python root/main.py`."""
    command = " ".join(exec_arg(str(a)) for a in (python, root / "main.py"))
    return "\n".join([
        "[Desktop Entry]",
        "Type=Application",
        "Version=1.4",
        "Name=社区工作台",
        "GenericName=Community Desk",
        "Comment=社区居委会离线工作程序：居民台账、隔离管控、设施台账、擦玻璃服务、志愿者与门岗",
        f"Exec={command}",
        f"Path={root}",
        f"Icon={icon}",
        "Terminal=false",
        "StartupNotify=true",
        "Categories=Office;",
        "Keywords=社区;居委会;居民;台账;隔离;community;",
        f"X-CommunityDesk-Version={__version__}",
        "",
    ])


def installed_paths(env: dict | None = None) -> dict[str, Path]:
    base = data_home(env)
    return {
        "entry": base / "applications" / f"{APP_ID}.desktop",
        "svg": base / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg",
        "png": base / "icons" / "hicolor" / "256x256" / "apps" / f"{APP_ID}.png",
    }


def install(python: Path | None = None, root: Path = ROOT, env: dict | None = None,
            on_desktop: bool = True) -> list[Path]:
    """Write the entry and icons for the current user; returns the files written."""
    from .core.atomic import write_text

    paths = installed_paths(env)
    written = []
    for key, source in (("svg", ICONS / "app.svg"), ("png", ICONS / "app.png")):
        if source.exists():
            paths[key].parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, paths[key])
            written.append(paths[key])
    text = entry_text(python or default_python(root), root)
    write_text(paths["entry"], text)
    paths["entry"].chmod(0o755)
    written.append(paths["entry"])
    desktop = desktop_dir(env) if on_desktop else None
    if desktop is not None:
        shortcut = desktop / f"{APP_ID}.desktop"
        write_text(shortcut, text)
        shortcut.chmod(0o755)  # file managers run only executable (trusted) launchers on a double-click
        written.append(shortcut)
    return written


def uninstall(env: dict | None = None) -> list[Path]:
    removed = []
    candidates = list(installed_paths(env).values())
    desktop = desktop_dir(env)
    if desktop is not None:
        candidates.append(desktop / f"{APP_ID}.desktop")
    for path in candidates:
        if path.exists():
            path.unlink()
            removed.append(path)
    return removed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="install the 社区工作台 desktop entry for the current user")
    parser.add_argument("action", choices=("install", "uninstall", "print"))
    parser.add_argument("--python", help="the Python that runs the program (default: this checkout's .venv)")
    parser.add_argument("--no-desktop", action="store_true", help="only the applications menu, no desktop icon")
    args = parser.parse_args(argv)
    if args.action == "print":
        print(entry_text(Path(args.python) if args.python else default_python()), end="")
        return 0
    if args.action == "uninstall":
        for path in uninstall():
            print("removed", path)
        return 0
    written = install(Path(args.python) if args.python else None, on_desktop=not args.no_desktop)
    for path in written:
        print("wrote", path)
    on_desktop = any(p.parent != installed_paths()["entry"].parent and p.suffix == ".desktop" for p in written)
    print("社区工作台已加入应用程序菜单" + ("，桌面上也有了它的图标：双击即可启动。" if on_desktop else "。"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
