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


# Volunteers, gate duty, training sessions and events (issue 6). Generated from
# core/models/volunteers.py once, with the DEFAULTs written in, then frozen.
V6_VOLUNTEERS = [
    """CREATE TABLE "volunteer_team" ("id" INTEGER NOT NULL PRIMARY KEY, "name" VARCHAR(255) NOT NULL,
        "community_id" INTEGER, "notes" TEXT NOT NULL DEFAULT '',
        FOREIGN KEY ("community_id") REFERENCES "community" ("id") ON DELETE SET NULL)""",
    'CREATE UNIQUE INDEX "volunteer_team_name" ON "volunteer_team" ("name")',
    'CREATE INDEX "volunteer_team_community_id" ON "volunteer_team" ("community_id")',
    """CREATE TABLE "volunteer" ("id" INTEGER NOT NULL PRIMARY KEY, "created_at" DATETIME NOT NULL,
        "updated_at" DATETIME NOT NULL, "resident_id" INTEGER, "name" VARCHAR(255) NOT NULL,
        "phone" VARCHAR(255) NOT NULL DEFAULT '', "team_id" INTEGER, "kind" VARCHAR(255) NOT NULL DEFAULT '普通居民',
        "skills" VARCHAR(255) NOT NULL DEFAULT '', "availability" VARCHAR(255) NOT NULL DEFAULT '000000000000000000000',
        "joined_on" DATE, "active" INTEGER NOT NULL DEFAULT 1, "notes" TEXT NOT NULL DEFAULT '',
        "name_pinyin" VARCHAR(255) NOT NULL DEFAULT '', "name_initials" VARCHAR(255) NOT NULL DEFAULT '',
        FOREIGN KEY ("resident_id") REFERENCES "resident" ("id") ON DELETE SET NULL,
        FOREIGN KEY ("team_id") REFERENCES "volunteer_team" ("id") ON DELETE SET NULL)""",
    'CREATE INDEX "volunteer_resident_id" ON "volunteer" ("resident_id")',
    'CREATE INDEX "volunteer_name" ON "volunteer" ("name")',
    'CREATE INDEX "volunteer_team_id" ON "volunteer" ("team_id")',
    """CREATE TABLE "gate_post" ("id" INTEGER NOT NULL PRIMARY KEY, "name" VARCHAR(255) NOT NULL,
        "min_volunteers" INTEGER NOT NULL DEFAULT 2, "parts" VARCHAR(255) NOT NULL DEFAULT '上午下午晚上',
        "sort_order" INTEGER NOT NULL DEFAULT 0, "active" INTEGER NOT NULL DEFAULT 1)""",
    'CREATE UNIQUE INDEX "gate_post_name" ON "gate_post" ("name")',
    """CREATE TABLE "duty_shift" ("id" INTEGER NOT NULL PRIMARY KEY, "date" DATE NOT NULL, "part" VARCHAR(255) NOT NULL,
        "start_time" VARCHAR(255) NOT NULL, "end_time" VARCHAR(255) NOT NULL, "minutes" INTEGER NOT NULL,
        "post_id" INTEGER NOT NULL, "lead" VARCHAR(255) NOT NULL DEFAULT '', "notes" TEXT NOT NULL DEFAULT '',
        FOREIGN KEY ("post_id") REFERENCES "gate_post" ("id") ON DELETE CASCADE)""",
    'CREATE INDEX "duty_shift_date" ON "duty_shift" ("date")',
    'CREATE INDEX "duty_shift_post_id" ON "duty_shift" ("post_id")',
    'CREATE UNIQUE INDEX "duty_shift_date_part_post_id" ON "duty_shift" ("date", "part", "post_id")',
    """CREATE TABLE "shift_volunteer" ("id" INTEGER NOT NULL PRIMARY KEY, "shift_id" INTEGER NOT NULL,
        "volunteer_id" INTEGER NOT NULL, "attended" INTEGER,
        FOREIGN KEY ("shift_id") REFERENCES "duty_shift" ("id") ON DELETE CASCADE,
        FOREIGN KEY ("volunteer_id") REFERENCES "volunteer" ("id") ON DELETE CASCADE)""",
    'CREATE INDEX "shift_volunteer_shift_id" ON "shift_volunteer" ("shift_id")',
    'CREATE INDEX "shift_volunteer_volunteer_id" ON "shift_volunteer" ("volunteer_id")',
    'CREATE UNIQUE INDEX "shift_volunteer_shift_id_volunteer_id" ON "shift_volunteer" ("shift_id", "volunteer_id")',
    """CREATE TABLE "shift_log" ("id" INTEGER NOT NULL PRIMARY KEY, "shift_id" INTEGER NOT NULL,
        "people_checked" INTEGER NOT NULL DEFAULT 0, "remarks" TEXT NOT NULL DEFAULT '',
        "logged_by" VARCHAR(255) NOT NULL DEFAULT '', "logged_at" DATETIME NOT NULL,
        FOREIGN KEY ("shift_id") REFERENCES "duty_shift" ("id") ON DELETE CASCADE)""",
    'CREATE UNIQUE INDEX "shift_log_shift_id" ON "shift_log" ("shift_id")',
    """CREATE TABLE "gate_entry" ("id" INTEGER NOT NULL PRIMARY KEY, "post_id" INTEGER, "name" VARCHAR(255) NOT NULL,
        "phone" VARCHAR(255) NOT NULL DEFAULT '', "id_number" VARCHAR(255), "temperature" DECIMAL(4, 1) NOT NULL,
        "fever" INTEGER NOT NULL DEFAULT 0, "time_in" DATETIME NOT NULL, "reason" VARCHAR(255) NOT NULL DEFAULT '',
        "checked_by" VARCHAR(255) NOT NULL DEFAULT '', "case_ref" VARCHAR(255) NOT NULL DEFAULT '',
        FOREIGN KEY ("post_id") REFERENCES "gate_post" ("id") ON DELETE SET NULL)""",
    'CREATE INDEX "gate_entry_post_id" ON "gate_entry" ("post_id")',
    'CREATE INDEX "gate_entry_fever" ON "gate_entry" ("fever")',
    'CREATE INDEX "gate_entry_time_in" ON "gate_entry" ("time_in")',
    """CREATE TABLE "training_session" ("id" INTEGER NOT NULL PRIMARY KEY, "date" DATE NOT NULL,
        "topic" VARCHAR(255) NOT NULL, "trainer" VARCHAR(255) NOT NULL DEFAULT '',
        "materials" TEXT NOT NULL DEFAULT '', "notes" TEXT NOT NULL DEFAULT '')""",
    'CREATE INDEX "training_session_date" ON "training_session" ("date")',
    'CREATE INDEX "training_session_topic" ON "training_session" ("topic")',
    """CREATE TABLE "training_attendee" ("id" INTEGER NOT NULL PRIMARY KEY, "session_id" INTEGER NOT NULL,
        "staff_name" VARCHAR(255) NOT NULL,
        FOREIGN KEY ("session_id") REFERENCES "training_session" ("id") ON DELETE CASCADE)""",
    'CREATE INDEX "training_attendee_session_id" ON "training_attendee" ("session_id")',
    'CREATE UNIQUE INDEX "training_attendee_session_id_staff_name" ON "training_attendee" ("session_id", "staff_name")',
    """CREATE TABLE "community_event" ("id" INTEGER NOT NULL PRIMARY KEY, "created_at" DATETIME NOT NULL,
        "updated_at" DATETIME NOT NULL, "title" VARCHAR(255) NOT NULL, "date" DATE NOT NULL,
        "place" VARCHAR(255) NOT NULL DEFAULT '', "community_id" INTEGER, "leaflets" INTEGER NOT NULL DEFAULT 0,
        "letters" INTEGER NOT NULL DEFAULT 0, "residents_reached" INTEGER NOT NULL DEFAULT 0,
        "notes" TEXT NOT NULL DEFAULT '', "photos" TEXT NOT NULL DEFAULT '',
        FOREIGN KEY ("community_id") REFERENCES "community" ("id") ON DELETE SET NULL)""",
    'CREATE INDEX "community_event_date" ON "community_event" ("date")',
    'CREATE INDEX "community_event_community_id" ON "community_event" ("community_id")',
    """CREATE TABLE "event_volunteer" ("id" INTEGER NOT NULL PRIMARY KEY, "event_id" INTEGER NOT NULL,
        "volunteer_id" INTEGER NOT NULL, "minutes" INTEGER NOT NULL DEFAULT 0,
        FOREIGN KEY ("event_id") REFERENCES "community_event" ("id") ON DELETE CASCADE,
        FOREIGN KEY ("volunteer_id") REFERENCES "volunteer" ("id") ON DELETE CASCADE)""",
    'CREATE INDEX "event_volunteer_event_id" ON "event_volunteer" ("event_id")',
    'CREATE INDEX "event_volunteer_volunteer_id" ON "event_volunteer" ("volunteer_id")',
    'CREATE UNIQUE INDEX "event_volunteer_event_id_volunteer_id" ON "event_volunteer" ("event_id", "volunteer_id")',
]


def _v6(db: Database) -> None:
    for sql in V6_VOLUNTEERS:
        db.execute_sql(sql)


# (version, description, function). Append only.
MIGRATIONS: list[tuple[int, str, Callable[[Database], None]]] = [
    (1, "居民台账基础表", _v1),
    (2, "设置与操作日志", _v2),
    (6, "志愿者、门岗值守、培训会与宣传活动", _v6),
]

LATEST_VERSION = MIGRATIONS[-1][0]
