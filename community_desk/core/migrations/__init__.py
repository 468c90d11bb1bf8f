"""Ordered schema migrations, one module per version. Each is frozen SQL: never edit one that has shipped,
add a new module and a line below.

A database made by any older version opens in a newer one: core.db runs every migration whose
number is above the stored schema version, each in its own transaction.
"""
from __future__ import annotations

from collections.abc import Callable

from peewee import Database

from . import (
    v001_foundation,
    v002_settings_audit,
    v003_quarantine,
    v004_facilities,
    v005_cleaning,
    v006_volunteers,
    v007_accounts,
    v009_links,
    v010_retention,
    v011_search_order,
    v013_quarantine_positive,
    v014_push_provenance,
    v015_pinyin_readings,
    v017_photo_data,
    v018_record_versions,
    v019_server_roles,
    v020_change_notices,
    v021_search_walk,
)

# (version, description, function), in version order. Append only.
MIGRATIONS: list[tuple[int, str, Callable[[Database], None]]] = [
    (1, "居民台账基础表", v001_foundation.apply),
    (2, "设置与操作日志", v002_settings_audit.apply),
    (3, "隔离管控台账", v003_quarantine.apply),
    (4, "设施台账与我来办工作站", v004_facilities.apply),
    (5, "居家无忧擦玻璃服务", v005_cleaning.apply),
    (6, "志愿者、门岗值守、培训会与宣传活动", v006_volunteers.apply),
    (7, "工作人员账号", v007_accounts.apply),
    (9, "模块衔接：服务队志愿者、擦玻璃问题转我来办", v009_links.apply),
    (10, "隔离记录保存期满匿名化", v010_retention.apply),
    (11, "居民搜索按姓名顺序", v011_search_order.apply),
    (13, "阳性待转运、转运与同户密接", v013_quarantine_positive.apply),
    (14, "市派名单推送批次：文件指纹、未导入行、字段来源", v014_push_provenance.apply),
    (15, "姓名拼音按整名读音，多音字各读音都可搜索", v015_pinyin_readings.apply),
    (17, "设施照片可存在数据库中（服务器模式）", v017_photo_data.apply),
    (18, "记录版本：两人同时修改同一条记录时不丢失修改", v018_record_versions.apply),
    (19, "服务器中的角色：每个账号一个登录角色，只读看脱敏视图，服务器端锁定", v019_server_roles.apply),
    (20, "多台电脑之间的实时更新（服务器模式的变更通知）", v020_change_notices.apply),
    (21, "服务器上一两个字的搜索按姓名顺序读索引", v021_search_walk.apply),
]

LATEST_VERSION = max(version for version, _d, _f in MIGRATIONS)
