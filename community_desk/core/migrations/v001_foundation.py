"""Version 1: communities, buildings, households, residents, tags, search keys (居民台账)."""
from __future__ import annotations

from peewee import Database

from ..models.people import BUILTIN_TAGS

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


def apply(db: Database) -> None:
    for sql in V1_FOUNDATION:
        db.execute_sql(sql)
    for order, name in enumerate(BUILTIN_TAGS):
        db.execute_sql('INSERT INTO "tag" ("name", "builtin", "sort_order") VALUES (?, 1, ?)', (name, order))
