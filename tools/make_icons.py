"""Render the application icon (resources/icons/app.svg) to the bitmaps platforms want.

Writes resources/icons/app.png (256 px, for the Linux desktop entry) and resources/icons/app.ico
(16-256 px, PNG-compressed entries, for the Windows .exe built by PyInstaller). Run by `make icons`,
`make dist` and `make install-desktop`; the outputs are committed so a plain checkout has them too.
"""
from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ICONS = ROOT / "resources" / "icons"
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)


def render_png(svg: Path, size: int) -> bytes:
    """The SVG drawn on a transparent square of `size` pixels, as PNG bytes."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise ValueError(f"not a valid SVG: {svg}")
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    return bytes(data)


def ico_bytes(pngs: dict[int, bytes]) -> bytes:
    """A Windows .ico holding one PNG-compressed image per size (Windows Vista and later read these)."""
    header = struct.pack("<HHH", 0, 1, len(pngs))
    offset = 6 + 16 * len(pngs)
    entries, blobs = b"", b""
    for size, png in sorted(pngs.items()):
        dim = 0 if size >= 256 else size  # 0 means 256 in an ICONDIRENTRY
        entries += struct.pack("<BBBBHHII", dim, dim, 0, 0, 1, 32, len(png), offset + len(blobs))
        blobs += png
    return header + entries + blobs


def make_icons(out_dir: Path = ICONS, svg: Path = ICONS / "app.svg") -> list[Path]:
    from PySide6.QtGui import QGuiApplication

    if QGuiApplication.instance() is None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        make_icons.app = QGuiApplication([sys.argv[0]])  # kept alive while rendering
    from community_desk.core.atomic import atomic_path

    pngs = {size: render_png(svg, size) for size in ICO_SIZES}
    written = [out_dir / "app.png", out_dir / "app.ico"]
    for path, data in zip(written, (pngs[256], ico_bytes(pngs)), strict=True):
        with atomic_path(path) as tmp:
            tmp.write_bytes(data)
    return written


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    for path in make_icons():
        print("wrote", path)
