"""Facility photos: image files copied into a `photos` folder beside the database file (so the
folder travels with the database), attached to a facility; a missing file is reported, not fatal."""
from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from .. import session
from ..atomic import atomic_path
from ..db import database_path, transaction
from ..models import Facility, FacilityPhoto
from ..rules.text import ValidationError, clean_text
from . import audit

PHOTO_SUFFIXES = (".png", ".jpg", ".jpeg", ".bmp", ".gif", ".webp")


def photos_dir() -> Path:
    path = database_path()
    if path is None:
        raise ValidationError("数据库未打开")
    return path.parent / "photos"


def add_photo(facility_id: int, source: str | Path, caption: str = "") -> int:
    """Copy an image file into the photos folder and attach it to the facility."""
    session.require_write()
    source = Path(source)
    if source.suffix.lower() not in PHOTO_SUFFIXES:
        raise ValidationError(f"“{source.name}”不是图片文件（可用 {' '.join(PHOTO_SUFFIXES)}）")
    if not source.is_file():
        raise ValidationError(f"找不到图片文件：{source}")
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
        with transaction():
            facility = Facility.get_by_id(facility_id)
            photo = FacilityPhoto.create(facility=facility_id, file_name=name,
                                         caption=clean_text(caption, max_length=60) or source.stem)
            audit.record("新增", "facility_photo", photo.id, f"{facility.name} 添加照片 {source.name}")
    except BaseException:
        (folder / name).unlink(missing_ok=True)
        raise
    return photo.id


def list_photos(facility_id: int) -> list[dict]:
    """{id, path, caption, exists} of the facility's photos, oldest first."""
    folder = photos_dir()
    out = []
    for p in FacilityPhoto.select().where(FacilityPhoto.facility == facility_id).order_by(FacilityPhoto.id):
        path = folder / p.file_name
        out.append({"id": p.id, "path": path, "caption": p.caption, "exists": path.is_file()})
    return out


def delete_photo(photo_id: int) -> None:
    session.require_write()
    with transaction():
        photo = FacilityPhoto.get_by_id(photo_id)
        name = photo.file_name
        audit.record("删除", "facility_photo", photo_id, f"删除照片 {name}")
        photo.delete_instance()
    (photos_dir() / name).unlink(missing_ok=True)
