"""Screenshots for the README from the real program with demo data (`make screenshots`).

Runs under Xvfb (a real X server) when DISPLAY is set, else offscreen. Writes docs/screenshots/*.png and
the user manual's pictures, resources/manual/images/*.png (tools/manual_shots.py); `--manual` writes only those.
`--out DIR` writes them under DIR instead (DIR/*.png, DIR/manual/*.png): a check that leaves the tracked pictures
alone. Every page is shot at the office's 1366 x 768; a shot of another size fails the run (exit 1).
"""
from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tools"))
if not os.environ.get("DISPLAY"):
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QCoreApplication, QSettings  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from community_desk.core import demo  # noqa: E402
from community_desk.core.db import open_database  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
SIZE = (1366, 768)  # the office PC's screen


def settle(app: QApplication, rounds: int = 30) -> None:
    import time

    for _ in range(rounds):
        app.processEvents()
        time.sleep(0.02)


def main() -> int:
    global OUT
    args = sys.argv[1:]
    if "--out" in args:
        import manual_shots

        OUT = Path(args[args.index("--out") + 1]).resolve()
        manual_shots.OUT = OUT / "manual"
    OUT.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="desk-shots-"))
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp / "settings"))
    open_database(tmp / "demo.db")
    demo.load_demo_data(residents=3000)

    from community_desk.gui.bootstrap import make_application
    from community_desk.gui.main_window import MainWindow

    app = make_application([])
    window = MainWindow()
    window.resize(*SIZE)
    window.show()
    settle(app)
    manual_only = "--manual" in args
    wrong: list[str] = []
    for row, page in enumerate([] if manual_only else window.pages):
        window.nav.setCurrentRow(row)
        settle(app)
        name = type(page).__name__.removesuffix("Page").lower()
        shot = window.grab()
        if (shot.width(), shot.height()) != SIZE:
            print(f"{name}: the window is {shot.width()} x {shot.height()}, not {SIZE[0]} x {SIZE[1]}", file=sys.stderr)
            wrong.append(name)
        shot.save(str(OUT / f"{name}.png"))
        print("wrote", OUT / f"{name}.png")
        hook = getattr(page, "screenshot_extras", None)
        if hook is not None:
            for extra_name, widget in hook():
                settle(app)
                widget.grab().save(str(OUT / f"{extra_name}.png"))
                print("wrote", OUT / f"{extra_name}.png")
                widget.close()
    from manual_shots import take_manual_images

    take_manual_images(window, tmp / "demo.db")
    window.close()
    QCoreApplication.processEvents()
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main())
