"""Ordered schema migrations. Each is frozen SQL: never edit one that has shipped, add a new one.

A database made by any older version opens in a newer one: core.db runs every migration whose
number is above the stored schema version, each in its own transaction.
"""
from __future__ import annotations

from collections.abc import Callable

from peewee import Database

from .models.people import BUILTIN_TAGS

V1_FOUNDATION = [
    """CREATE TABLE "community" ("id" INTEGER NOT NULL PRIMARY KEY, "name" VARCHAR(255) NOT NULL,
        "planned_households" INTEGER NOT NULL DEFAULT 0, "sort_order" INTEGER NOT NULL DEFAULT 0)""",
    'CREATE UNIQUE INDEX "community_name" ON "community" ("name")',
    """CREATE TABLE "building" ("id" INTEGER NOT NULL PRIMARY KEY, "community_id" INTEGER NOT NULL,
        "name" VARCHAR(255) NOT NULL, "floors" INTEGER,
        FOREIGN KEY ("community_id") REFERENCES "community" ("id") ON DELETE CASCADE)""",
    'CREATE INDEX "building_community_id" ON "building" ("community_id")',
    'CREATE UNIQUE INDEX "building_community_id_name" ON "building" ("community_id", "name")',
    """CREATE TABLE "household" ("id" INTEGER NOT NULL PRIMARY KEY, "created_at" DATETIME NOT NULL,
        "updated_at" DATETIME NOT NULL, "community_id" INTEGER NOT NULL, "number" VARCHAR(255) NOT NULL,
        "building_id" INTEGER, "unit" VARCHAR(255) NOT NULL DEFAULT '', "room" VARCHAR(255) NOT NULL DEFAULT '',
        "notes" TEXT NOT NULL DEFAULT '',
        FOREIGN KEY ("community_id") REFERENCES "community" ("id") ON DELETE RESTRICT,
        FOREIGN KEY ("building_id") REFERENCES "building" ("id") ON DELETE SET NULL)""",
    'CREATE INDEX "household_community_id" ON "household" ("community_id")',
    'CREATE INDEX "household_building_id" ON "household" ("building_id")',
    'CREATE UNIQUE INDEX "household_community_id_number" ON "household" ("community_id", "number")',
    """CREATE TABLE "tag" ("id" INTEGER NOT NULL PRIMARY KEY, "name" VARCHAR(255) NOT NULL,
        "builtin" INTEGER NOT NULL DEFAULT 0, "sort_order" INTEGER NOT NULL DEFAULT 100)""",
    'CREATE UNIQUE INDEX "tag_name" ON "tag" ("name")',
    """CREATE TABLE "resident" ("id" INTEGER NOT NULL PRIMARY KEY, "created_at" DATETIME NOT NULL,
        "updated_at" DATETIME NOT NULL, "name" VARCHAR(255) NOT NULL, "gender" VARCHAR(255) NOT NULL DEFAULT '',
        "id_number" VARCHAR(255), "birth_date" DATE, "phone" VARCHAR(255) NOT NULL DEFAULT '',
        "community_id" INTEGER NOT NULL, "building_id" INTEGER, "unit" VARCHAR(255) NOT NULL DEFAULT '',
        "room" VARCHAR(255) NOT NULL DEFAULT '', "floor" INTEGER, "address" VARCHAR(255) NOT NULL DEFAULT '',
        "household_id" INTEGER, "relation_to_head" VARCHAR(255) NOT NULL DEFAULT '',
        "registered_address" VARCHAR(255) NOT NULL DEFAULT '', "same_as_registered" INTEGER NOT NULL DEFAULT 1,
        "residence_status" VARCHAR(255) NOT NULL DEFAULT '常住',
        "contact_preference" VARCHAR(255) NOT NULL DEFAULT '电话',
        "disability" VARCHAR(255) NOT NULL DEFAULT '', "notes" TEXT NOT NULL DEFAULT '',
        "name_initials" VARCHAR(255) NOT NULL DEFAULT '', "name_pinyin" VARCHAR(255) NOT NULL DEFAULT '',
        FOREIGN KEY ("community_id") REFERENCES "community" ("id") ON DELETE RESTRICT,
        FOREIGN KEY ("building_id") REFERENCES "building" ("id") ON DELETE SET NULL,
        FOREIGN KEY ("household_id") REFERENCES "household" ("id") ON DELETE SET NULL)""",
    'CREATE INDEX "resident_name" ON "resident" ("name")',
    'CREATE UNIQUE INDEX "resident_id_number" ON "resident" ("id_number")',
    'CREATE INDEX "resident_birth_date" ON "resident" ("birth_date")',
    'CREATE INDEX "resident_phone" ON "resident" ("phone")',
    'CREATE INDEX "resident_community_id" ON "resident" ("community_id")',
    'CREATE INDEX "resident_building_id" ON "resident" ("building_id")',
    'CREATE INDEX "resident_address" ON "resident" ("address")',
    'CREATE INDEX "resident_household_id" ON "resident" ("household_id")',
    'CREATE INDEX "resident_name_initials" ON "resident" ("name_initials")',
    'CREATE INDEX "resident_name_pinyin" ON "resident" ("name_pinyin")',
    """CREATE TABLE "resident_tag" ("id" INTEGER NOT NULL PRIMARY KEY, "resident_id" INTEGER NOT NULL,
        "tag_id" INTEGER NOT NULL,
        FOREIGN KEY ("resident_id") REFERENCES "resident" ("id") ON DELETE CASCADE,
        FOREIGN KEY ("tag_id") REFERENCES "tag" ("id") ON DELETE CASCADE)""",
    """CREATE TABLE "resident_search" ("resident_id" INTEGER NOT NULL PRIMARY KEY, "text" TEXT NOT NULL,
        FOREIGN KEY ("resident_id") REFERENCES "resident" ("id") ON DELETE CASCADE)""",
    'CREATE INDEX "resident_tag_resident_id" ON "resident_tag" ("resident_id")',
    'CREATE INDEX "resident_tag_tag_id" ON "resident_tag" ("tag_id")',
    'CREATE UNIQUE INDEX "resident_tag_resident_id_tag_id" ON "resident_tag" ("resident_id", "tag_id")',
]


def _v1(db: Database) -> None:
    for sql in V1_FOUNDATION:
        db.execute_sql(sql)
    for order, name in enumerate(BUILTIN_TAGS):
        db.execute_sql('INSERT INTO "tag" ("name", "builtin", "sort_order") VALUES (?, 1, ?)', (name, order))


V2_SETTINGS_AUDIT = [
    'CREATE TABLE "setting" ("key" VARCHAR(255) NOT NULL PRIMARY KEY, "value" TEXT NOT NULL)',
    """CREATE TABLE "audit_log" ("id" INTEGER NOT NULL PRIMARY KEY, "at" DATETIME NOT NULL,
        "user" VARCHAR(255) NOT NULL DEFAULT '', "action" VARCHAR(255) NOT NULL, "table" VARCHAR(255) NOT NULL,
        "record_id" INTEGER, "summary" VARCHAR(255) NOT NULL DEFAULT '', "changes" TEXT NOT NULL DEFAULT '')""",
    'CREATE INDEX "audit_log_at" ON "audit_log" ("at")',
    'CREATE INDEX "audit_log_table" ON "audit_log" ("table")',
    'CREATE INDEX "audit_log_record_id" ON "audit_log" ("record_id")',
    # The registry filtered by community and sorted by name (pinyin order) uses this index.
    'CREATE INDEX "resident_community_pinyin" ON "resident" ("community_id", "name_pinyin")',
]


def _v2(db: Database) -> None:
    for sql in V2_SETTINGS_AUDIT:
        db.execute_sql(sql)


# Window-cleaning home service (居家无忧项目 擦玻璃服务), issue 5.
V5_CLEANING = [
    """CREATE TABLE "service_team" ("id" INTEGER NOT NULL PRIMARY KEY, "name" VARCHAR(255) NOT NULL,
        "leader" VARCHAR(255) NOT NULL DEFAULT '', "members" TEXT NOT NULL DEFAULT '',
        "phone" VARCHAR(255) NOT NULL DEFAULT '', "notes" TEXT NOT NULL DEFAULT '')""",
    'CREATE UNIQUE INDEX "service_team_name" ON "service_team" ("name")',
    """CREATE TABLE "service_round" ("id" INTEGER NOT NULL PRIMARY KEY, "created_at" DATETIME NOT NULL,
        "updated_at" DATETIME NOT NULL, "name" VARCHAR(255) NOT NULL, "community_id" INTEGER,
        "start_date" DATE NOT NULL, "end_date" DATE NOT NULL, "capacity" INTEGER NOT NULL DEFAULT 4,
        "criteria" TEXT NOT NULL DEFAULT '', "notes" TEXT NOT NULL DEFAULT '',
        FOREIGN KEY ("community_id") REFERENCES "community" ("id") ON DELETE SET NULL)""",
    'CREATE INDEX "service_round_community_id" ON "service_round" ("community_id")',
    """CREATE TABLE "round_team" ("id" INTEGER NOT NULL PRIMARY KEY, "round_id" INTEGER NOT NULL,
        "team_id" INTEGER NOT NULL,
        FOREIGN KEY ("round_id") REFERENCES "service_round" ("id") ON DELETE CASCADE,
        FOREIGN KEY ("team_id") REFERENCES "service_team" ("id") ON DELETE RESTRICT)""",
    'CREATE INDEX "round_team_round_id" ON "round_team" ("round_id")',
    'CREATE INDEX "round_team_team_id" ON "round_team" ("team_id")',
    'CREATE UNIQUE INDEX "round_team_round_id_team_id" ON "round_team" ("round_id", "team_id")',
    """CREATE TABLE "round_member" ("id" INTEGER NOT NULL PRIMARY KEY, "round_id" INTEGER NOT NULL,
        "resident_id" INTEGER NOT NULL, "source" VARCHAR(255) NOT NULL DEFAULT '条件筛选',
        "reason" VARCHAR(255) NOT NULL DEFAULT '',
        FOREIGN KEY ("round_id") REFERENCES "service_round" ("id") ON DELETE CASCADE,
        FOREIGN KEY ("resident_id") REFERENCES "resident" ("id") ON DELETE CASCADE)""",
    'CREATE INDEX "round_member_round_id" ON "round_member" ("round_id")',
    'CREATE INDEX "round_member_resident_id" ON "round_member" ("resident_id")',
    'CREATE UNIQUE INDEX "round_member_round_id_resident_id" ON "round_member" ("round_id", "resident_id")',
    """CREATE TABLE "survey" ("id" INTEGER NOT NULL PRIMARY KEY, "created_at" DATETIME NOT NULL,
        "updated_at" DATETIME NOT NULL, "round_id" INTEGER NOT NULL, "resident_id" INTEGER NOT NULL,
        "household_id" INTEGER, "contact_method" VARCHAR(255) NOT NULL DEFAULT '电话',
        "result" VARCHAR(255) NOT NULL DEFAULT '需要', "preferred_dates" VARCHAR(255) NOT NULL DEFAULT '',
        "preferred_slot" VARCHAR(255) NOT NULL DEFAULT '不限', "windows" INTEGER NOT NULL DEFAULT 0,
        "notes" TEXT NOT NULL DEFAULT '', "surveyed_on" DATE, "surveyed_by" VARCHAR(255) NOT NULL DEFAULT '',
        FOREIGN KEY ("round_id") REFERENCES "service_round" ("id") ON DELETE CASCADE,
        FOREIGN KEY ("resident_id") REFERENCES "resident" ("id") ON DELETE CASCADE,
        FOREIGN KEY ("household_id") REFERENCES "household" ("id") ON DELETE SET NULL)""",
    'CREATE INDEX "survey_round_id" ON "survey" ("round_id")',
    'CREATE INDEX "survey_resident_id" ON "survey" ("resident_id")',
    'CREATE INDEX "survey_household_id" ON "survey" ("household_id")',
    'CREATE UNIQUE INDEX "survey_round_id_resident_id" ON "survey" ("round_id", "resident_id")',
    """CREATE TABLE "visit" ("id" INTEGER NOT NULL PRIMARY KEY, "created_at" DATETIME NOT NULL,
        "updated_at" DATETIME NOT NULL, "round_id" INTEGER NOT NULL, "survey_id" INTEGER,
        "resident_id" INTEGER NOT NULL, "household_id" INTEGER, "date" DATE NOT NULL,
        "slot" VARCHAR(255) NOT NULL DEFAULT '上午', "team_id" INTEGER, "address" VARCHAR(255) NOT NULL DEFAULT '',
        "floor" INTEGER, "done" INTEGER NOT NULL DEFAULT 0, "slippers" INTEGER NOT NULL DEFAULT 0,
        "glass" INTEGER NOT NULL DEFAULT 0, "screens" INTEGER NOT NULL DEFAULT 0,
        "sills" INTEGER NOT NULL DEFAULT 0, "railings" INTEGER NOT NULL DEFAULT 0,
        "started_at" VARCHAR(255) NOT NULL DEFAULT '', "finished_at" VARCHAR(255) NOT NULL DEFAULT '',
        "windows_cleaned" INTEGER NOT NULL DEFAULT 0, "problems" TEXT NOT NULL DEFAULT '',
        "satisfaction" VARCHAR(255) NOT NULL DEFAULT '', "feedback" TEXT NOT NULL DEFAULT '',
        "followed_up_on" DATE,
        FOREIGN KEY ("round_id") REFERENCES "service_round" ("id") ON DELETE CASCADE,
        FOREIGN KEY ("survey_id") REFERENCES "survey" ("id") ON DELETE SET NULL,
        FOREIGN KEY ("resident_id") REFERENCES "resident" ("id") ON DELETE CASCADE,
        FOREIGN KEY ("household_id") REFERENCES "household" ("id") ON DELETE SET NULL,
        FOREIGN KEY ("team_id") REFERENCES "service_team" ("id") ON DELETE SET NULL)""",
    'CREATE INDEX "visit_round_id" ON "visit" ("round_id")',
    'CREATE INDEX "visit_survey_id" ON "visit" ("survey_id")',
    'CREATE INDEX "visit_resident_id" ON "visit" ("resident_id")',
    'CREATE INDEX "visit_household_id" ON "visit" ("household_id")',
    'CREATE INDEX "visit_date" ON "visit" ("date")',
    'CREATE INDEX "visit_team_id" ON "visit" ("team_id")',
    'CREATE UNIQUE INDEX "visit_round_id_resident_id" ON "visit" ("round_id", "resident_id")',
    # the schedule of one round in date / slot order
    'CREATE INDEX "visit_round_date_slot" ON "visit" ("round_id", "date", "slot")',
]


def _v5(db: Database) -> None:
    for sql in V5_CLEANING:
        db.execute_sql(sql)


# (version, description, function). Append only.
MIGRATIONS: list[tuple[int, str, Callable[[Database], None]]] = [
    (1, "居民台账基础表", _v1),
    (2, "设置与操作日志", _v2),
    (5, "居家无忧擦玻璃服务", _v5),
]

LATEST_VERSION = MIGRATIONS[-1][0]
