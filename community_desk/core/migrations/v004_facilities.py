"""Version 4: the facility log (设施台账) and the service desk (我来办工作站)."""
from __future__ import annotations

from peewee import Database

V4_FACILITIES_SERVICE_DESK = [
    """CREATE TABLE "facility_kind" ("id" INTEGER NOT NULL PRIMARY KEY, "name" VARCHAR(255) NOT NULL,
        "default_unit" VARCHAR(255) NOT NULL DEFAULT '个', "builtin" INTEGER NOT NULL DEFAULT 0,
        "sort_order" INTEGER NOT NULL DEFAULT 100)""",
    'CREATE UNIQUE INDEX "facility_kind_name" ON "facility_kind" ("name")',
    """CREATE TABLE "facility" ("id" INTEGER NOT NULL PRIMARY KEY, "created_at" DATETIME NOT NULL,
        "updated_at" DATETIME NOT NULL, "kind_id" INTEGER NOT NULL, "name" VARCHAR(255) NOT NULL,
        "quantity" INTEGER NOT NULL DEFAULT 1, "unit" VARCHAR(255) NOT NULL DEFAULT '个', "community_id" INTEGER,
        "building_id" INTEGER, "location" VARCHAR(255) NOT NULL DEFAULT '',
        "status" VARCHAR(255) NOT NULL DEFAULT '已完工', "planned_date" DATE, "installed_date" DATE,
        "builder" VARCHAR(255) NOT NULL DEFAULT '', "cost" DECIMAL(12, 2), "funding" VARCHAR(255) NOT NULL DEFAULT '',
        "responsible" VARCHAR(255) NOT NULL DEFAULT '', "next_step" VARCHAR(255) NOT NULL DEFAULT '',
        "notes" TEXT NOT NULL DEFAULT '',
        FOREIGN KEY ("kind_id") REFERENCES "facility_kind" ("id") ON DELETE RESTRICT,
        FOREIGN KEY ("community_id") REFERENCES "community" ("id") ON DELETE SET NULL,
        FOREIGN KEY ("building_id") REFERENCES "building" ("id") ON DELETE SET NULL)""",
    'CREATE INDEX "facility_kind_id" ON "facility" ("kind_id")',
    'CREATE INDEX "facility_community_id" ON "facility" ("community_id")',
    'CREATE INDEX "facility_building_id" ON "facility" ("building_id")',
    'CREATE INDEX "facility_status" ON "facility" ("status")',
    """CREATE TABLE "facility_event" ("id" INTEGER NOT NULL PRIMARY KEY, "facility_id" INTEGER NOT NULL,
        "kind" VARCHAR(255) NOT NULL, "date" DATE NOT NULL, "who" VARCHAR(255) NOT NULL DEFAULT '',
        "found" TEXT NOT NULL DEFAULT '', "cost" DECIMAL(12, 2), "old_status" VARCHAR(255) NOT NULL DEFAULT '',
        "new_status" VARCHAR(255) NOT NULL DEFAULT '', "created_at" DATETIME NOT NULL,
        FOREIGN KEY ("facility_id") REFERENCES "facility" ("id") ON DELETE CASCADE)""",
    'CREATE INDEX "facility_event_facility_id" ON "facility_event" ("facility_id")',
    'CREATE INDEX "facility_event_date" ON "facility_event" ("date")',
    """CREATE TABLE "facility_photo" ("id" INTEGER NOT NULL PRIMARY KEY, "facility_id" INTEGER NOT NULL,
        "file_name" VARCHAR(255) NOT NULL, "caption" VARCHAR(255) NOT NULL DEFAULT '', "added_at" DATETIME NOT NULL,
        FOREIGN KEY ("facility_id") REFERENCES "facility" ("id") ON DELETE CASCADE)""",
    'CREATE INDEX "facility_photo_facility_id" ON "facility_photo" ("facility_id")',
    """CREATE TABLE "request_category" ("id" INTEGER NOT NULL PRIMARY KEY, "name" VARCHAR(255) NOT NULL,
        "builtin" INTEGER NOT NULL DEFAULT 0, "sort_order" INTEGER NOT NULL DEFAULT 100)""",
    'CREATE UNIQUE INDEX "request_category_name" ON "request_category" ("name")',
    """CREATE TABLE "service_request" ("id" INTEGER NOT NULL PRIMARY KEY, "created_at" DATETIME NOT NULL,
        "updated_at" DATETIME NOT NULL, "number" VARCHAR(255) NOT NULL, "type" VARCHAR(255) NOT NULL DEFAULT '诉求',
        "resident_id" INTEGER, "household_id" INTEGER, "community_id" INTEGER,
        "contact_name" VARCHAR(255) NOT NULL DEFAULT '', "contact_phone" VARCHAR(255) NOT NULL DEFAULT '',
        "address" VARCHAR(255) NOT NULL DEFAULT '', "category_id" INTEGER NOT NULL,
        "description" TEXT NOT NULL DEFAULT '', "received_at" DATETIME NOT NULL,
        "channel" VARCHAR(255) NOT NULL DEFAULT '来访', "assigned_to" VARCHAR(255) NOT NULL DEFAULT '',
        "deadline" DATE, "status" VARCHAR(255) NOT NULL DEFAULT '待受理', "resolution" TEXT NOT NULL DEFAULT '',
        "resolved_date" DATE, "solved" VARCHAR(255) NOT NULL DEFAULT '',
        "satisfaction" VARCHAR(255) NOT NULL DEFAULT '未评价', "followup_date" DATE, "facility_id" INTEGER,
        FOREIGN KEY ("resident_id") REFERENCES "resident" ("id") ON DELETE SET NULL,
        FOREIGN KEY ("household_id") REFERENCES "household" ("id") ON DELETE SET NULL,
        FOREIGN KEY ("community_id") REFERENCES "community" ("id") ON DELETE SET NULL,
        FOREIGN KEY ("category_id") REFERENCES "request_category" ("id") ON DELETE RESTRICT,
        FOREIGN KEY ("facility_id") REFERENCES "facility" ("id") ON DELETE SET NULL)""",
    'CREATE UNIQUE INDEX "service_request_number" ON "service_request" ("number")',
    'CREATE INDEX "service_request_resident_id" ON "service_request" ("resident_id")',
    'CREATE INDEX "service_request_household_id" ON "service_request" ("household_id")',
    'CREATE INDEX "service_request_community_id" ON "service_request" ("community_id")',
    'CREATE INDEX "service_request_category_id" ON "service_request" ("category_id")',
    'CREATE INDEX "service_request_received_at" ON "service_request" ("received_at")',
    'CREATE INDEX "service_request_deadline" ON "service_request" ("deadline")',
    'CREATE INDEX "service_request_status" ON "service_request" ("status")',
    'CREATE INDEX "service_request_facility_id" ON "service_request" ("facility_id")',
]
# Seeds frozen with the schema: later changes to the lists in models/ do not alter old databases.
V4_FACILITY_KINDS = (("休闲座椅", "套"), ("儿童滑梯", "组"), ("秋千", "套"), ("摇摇马", "个"), ("跷跷板", "个"),
                     ("乒乓球桌", "台"), ("电动车充电桩", "台"), ("社区图书馆", "个"), ("党群服务中心", "个"))
V4_REQUEST_CATEGORIES = ("漏雨", "停电", "停水", "维修", "环境卫生", "邻里纠纷", "其他")


def apply(db: Database) -> None:
    for sql in V4_FACILITIES_SERVICE_DESK:
        db.execute_sql(sql)
    for order, (name, unit) in enumerate(V4_FACILITY_KINDS):
        db.execute_sql('INSERT INTO "facility_kind" ("name", "default_unit", "builtin", "sort_order") '
                       'VALUES (?, ?, 1, ?)', (name, unit, order))
    for order, name in enumerate(V4_REQUEST_CATEGORIES):
        db.execute_sql('INSERT INTO "request_category" ("name", "builtin", "sort_order") VALUES (?, 1, ?)',
                       (name, order))
