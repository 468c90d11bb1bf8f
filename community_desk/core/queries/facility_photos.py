"""Facility photos, attached to a facility.

On a database file the image files are copied into a `photos` folder beside it (so the folder travels with the
database); a missing file is reported, not fatal. In server mode (issue 17) there is no folder beside the
database that every PC sees, so the image itself is stored in the photo's row (`data`, at most MAX_STORED_BYTES)
and each PC keeps a cache of the images it has shown, in its user data folder, named by their content's md5: the
form shows a file either way (list_photos gives a path), and a changed or removed photo is never shown stale.
"""
from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

from peewee import fn

from .. import session
from ..atomic import atomic_path
from ..db import database_path, server_url, transaction
from ..models import Facility, FacilityPhoto
from ..rules.text import ValidationError, clean_text
from . import audit

PHOTO_SUFFIXES = (".png", ".jpg", ".jpeg", ".bmp", ".gif", ".webp")
MAX_STORED_BYTES = 5 * 1024 * 1024  # server mode: a photo travels over the office network to every PC that shows it


def photos_dir() -> Path:
    """Where the photo files are: `photos` beside the database file; in server mode this PC's cache (cache_dir)."""
    url = server_url()
    if url is not None:
        return cache_dir(url)
    path = database_path()
    if path is None:
        raise ValidationError("数据库未打开")
    return path.parent / "photos"


def cache_dir(url: str) -> Path:
    """This PC's copies of a server's photos: `photo-cache/<server>-<database>` in the user's data folder."""
    from ..paths import default_database_path
    from ..server_info import server_parts

    parts = server_parts(url)
    host = "local" if not parts.host or parts.host.startswith("/") else parts.host
    name = re.sub(r"[^\w.-]", "_", f"{host}-{parts.port or 'default'}-{parts.database or 'desk'}")
    return default_database_path().parent / "photo-cache" / name


def _checked_source(source: str | Path) -> Path:
    source = Path(source)
    if source.suffix.lower() not in PHOTO_SUFFIXES:
        raise ValidationError(f"“{source.name}”不是图片文件（可用 {' '.join(PHOTO_SUFFIXES)}）")
    if not source.is_file():
        raise ValidationError(f"找不到图片文件：{source}")
    return source


def add_photo(facility_id: int, source: str | Path, caption: str = "") -> int:
    """Attach an image file to the facility: copied into the photos folder, or in server mode into the database."""
    session.require_write()
    source = _checked_source(source)
    if server_url() is not None:
        return _store_in_database(facility_id, source, caption)
    folder = photos_dir()
    stamp = dt.datetime.now().strftime("%Y%m%d%H%M%S")
    n = 1
    while True:
        name = f"facility-{facility_id}-{stamp}-{n}{source.suffix.lower()}"
        if not (folder / name).exists():
            break
        n += 1
    with atomic_path(folder / name) as tmp:
        shutil.copyfile(source, tmp)
    try:
        return _record(facility_id, source, caption, name, None)
    except BaseException:
        (folder / name).unlink(missing_ok=True)
        raise


def _store_in_database(facility_id: int, source: Path, caption: str) -> int:
    size = source.stat().st_size
    if size > MAX_STORED_BYTES:
        raise ValidationError(f"照片“{source.name}”有 {size / 1024 / 1024:.1f} MB，服务器模式下每张照片不能超过 "
                              f"{MAX_STORED_BYTES // 1024 // 1024} MB。请先把照片缩小（例如用“画图”调整大小后另存为 JPG）再添加")
    data = source.read_bytes()
    stamp = dt.datetime.now().strftime("%Y%m%d%H%M%S")
    return _record(facility_id, source, caption, f"facility-{facility_id}-{stamp}{source.suffix.lower()}", data)


def _record(facility_id: int, source: Path, caption: str, name: str, data: bytes | None) -> int:
    with transaction():
        facility = Facility.get_by_id(facility_id)
        photo = FacilityPhoto.create(facility=facility_id, file_name=name, data=data,
                                     caption=clean_text(caption, max_length=60) or source.stem)
        audit.record("新增", "facility_photo", photo.id, f"{facility.name} 添加照片 {source.name}")
    return photo.id


def list_photos(facility_id: int) -> list[dict]:
    """{id, path, caption, exists} of the facility's photos, oldest first. In server mode `path` is this PC's
    cached copy of the image stored in the database (written when not cached yet)."""
    folder = photos_dir()
    if server_url() is not None:
        return _cached_photos(facility_id, folder)
    out = []
    for p in FacilityPhoto.select().where(FacilityPhoto.facility == facility_id).order_by(FacilityPhoto.id):
        path = folder / p.file_name
        out.append({"id": p.id, "path": path, "caption": p.caption, "exists": path.is_file()})
    return out


def _cached_photos(facility_id: int, folder: Path) -> list[dict]:
    out = []
    query = (FacilityPhoto.select(FacilityPhoto.id, FacilityPhoto.file_name, FacilityPhoto.caption,
                                  fn.md5(FacilityPhoto.data).alias("digest"))
             .where(FacilityPhoto.facility == facility_id).order_by(FacilityPhoto.id))
    for p in query:
        if p.digest is None:  # a row from before server mode (its file was beside a database file)
            out.append({"id": p.id, "path": folder / p.file_name, "caption": p.caption, "exists": False})
            continue
        path = folder / f"{p.digest}{Path(p.file_name).suffix.lower()}"
        exists = path.is_file() or _cache(p.id, path)
        out.append({"id": p.id, "path": path, "caption": p.caption, "exists": exists})
    return out


def _cache(photo_id: int, path: Path) -> bool:
    """Write the stored image to this PC's cache; False when it cannot be written (a full disk: shown as missing)."""
    data = FacilityPhoto.select(FacilityPhoto.data).where(FacilityPhoto.id == photo_id).scalar()
    if data is None:
        return False
    try:
        with atomic_path(path) as tmp:
            Path(tmp).write_bytes(bytes(data))
    except OSError:
        return False
    return True


def delete_photo(photo_id: int) -> None:
    session.require_write()
    with transaction():
        photo = FacilityPhoto.get_by_id(photo_id)
        name = photo.file_name
        audit.record("删除", "facility_photo", photo_id, f"删除照片 {name}")
        photo.delete_instance()
    if server_url() is None:
        (photos_dir() / name).unlink(missing_ok=True)
