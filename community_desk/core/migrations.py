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


V7_ACCOUNTS = [
    """CREATE TABLE "staff_account" ("id" INTEGER NOT NULL PRIMARY KEY, "created_at" DATETIME NOT NULL,
        "updated_at" DATETIME NOT NULL, "username" VARCHAR(255) NOT NULL, "display_name" VARCHAR(255) NOT NULL,
        "role" VARCHAR(255) NOT NULL DEFAULT '工作人员', "password_hash" VARCHAR(255) NOT NULL,
        "failed_attempts" INTEGER NOT NULL DEFAULT 0, "locked_until" DATETIME, "active" INTEGER NOT NULL DEFAULT 1,
        "last_login" DATETIME)""",
    'CREATE UNIQUE INDEX "staff_account_username" ON "staff_account" ("username")',
]


def _v7(db: Database) -> None:
    for sql in V7_ACCOUNTS:
        db.execute_sql(sql)
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


def _v4(db: Database) -> None:
    for sql in V4_FACILITIES_SERVICE_DESK:
        db.execute_sql(sql)
    for order, (name, unit) in enumerate(V4_FACILITY_KINDS):
        db.execute_sql('INSERT INTO "facility_kind" ("name", "default_unit", "builtin", "sort_order") '
                       'VALUES (?, ?, 1, ?)', (name, unit, order))
    for order, name in enumerate(V4_REQUEST_CATEGORIES):
        db.execute_sql('INSERT INTO "request_category" ("name", "builtin", "sort_order") VALUES (?, 1, ?)',
                       (name, order))
V3_QUARANTINE = [
    """CREATE TABLE "push_batch" ("id" INTEGER NOT NULL PRIMARY KEY, "push_date" DATE NOT NULL,
        "sender" VARCHAR(255) NOT NULL DEFAULT '', "file_name" VARCHAR(255) NOT NULL DEFAULT '',
        "imported_at" DATETIME NOT NULL, "imported_by" VARCHAR(255) NOT NULL DEFAULT '',
        "row_count" INTEGER NOT NULL DEFAULT 0)""",
    'CREATE INDEX "push_batch_push_date" ON "push_batch" ("push_date")',
    """CREATE TABLE "quarantine_case" ("id" INTEGER NOT NULL PRIMARY KEY, "created_at" DATETIME NOT NULL,
        "updated_at" DATETIME NOT NULL, "resident_id" INTEGER, "name" VARCHAR(255) NOT NULL,
        "gender" VARCHAR(255) NOT NULL DEFAULT '', "id_number" VARCHAR(255), "phone" VARCHAR(255) NOT NULL DEFAULT '',
        "address" VARCHAR(255) NOT NULL DEFAULT '', "community_id" INTEGER, "building_id" INTEGER,
        "source" VARCHAR(255) NOT NULL DEFAULT '自排', "push_batch_id" INTEGER, "push_row" INTEGER,
        "found_by" VARCHAR(255) NOT NULL DEFAULT '', "found_how" VARCHAR(255) NOT NULL DEFAULT '',
        "classification" VARCHAR(255) NOT NULL DEFAULT '', "origin" VARCHAR(255) NOT NULL DEFAULT '',
        "arrival_date" DATE, "transport" VARCHAR(255) NOT NULL DEFAULT '',
        "measure" VARCHAR(255) NOT NULL DEFAULT '居家隔离', "start_date" DATE NOT NULL, "planned_end" DATE NOT NULL,
        "previous_end" DATE, "end_change_reason" VARCHAR(255) NOT NULL DEFAULT '',
        "status" VARCHAR(255) NOT NULL DEFAULT '管控中', "verbal_notice_date" DATE, "written_notice_date" DATE,
        "home_possible" INTEGER, "home_comment" VARCHAR(255) NOT NULL DEFAULT '', "supplies_ok" INTEGER,
        "supplies_comment" VARCHAR(255) NOT NULL DEFAULT '', "release_date" DATE,
        "release_kind" VARCHAR(255) NOT NULL DEFAULT '', "release_approved_by" VARCHAR(255) NOT NULL DEFAULT '',
        "release_reason" VARCHAR(255) NOT NULL DEFAULT '', "follow_up_worker" VARCHAR(255) NOT NULL DEFAULT '',
        "notes" TEXT NOT NULL DEFAULT '', "search_text" TEXT NOT NULL DEFAULT '',
        FOREIGN KEY ("resident_id") REFERENCES "resident" ("id") ON DELETE SET NULL,
        FOREIGN KEY ("community_id") REFERENCES "community" ("id") ON DELETE SET NULL,
        FOREIGN KEY ("building_id") REFERENCES "building" ("id") ON DELETE SET NULL,
        FOREIGN KEY ("push_batch_id") REFERENCES "push_batch" ("id") ON DELETE SET NULL)""",
    'CREATE INDEX "quarantine_case_resident_id" ON "quarantine_case" ("resident_id")',
    'CREATE INDEX "quarantine_case_id_number" ON "quarantine_case" ("id_number")',
    'CREATE INDEX "quarantine_case_community_id" ON "quarantine_case" ("community_id")',
    'CREATE INDEX "quarantine_case_building_id" ON "quarantine_case" ("building_id")',
    'CREATE INDEX "quarantine_case_source" ON "quarantine_case" ("source")',
    'CREATE INDEX "quarantine_case_push_batch_id" ON "quarantine_case" ("push_batch_id")',
    'CREATE INDEX "quarantine_case_classification" ON "quarantine_case" ("classification")',
    'CREATE INDEX "quarantine_case_measure" ON "quarantine_case" ("measure")',
    'CREATE INDEX "quarantine_case_start_date" ON "quarantine_case" ("start_date")',
    'CREATE INDEX "quarantine_case_planned_end" ON "quarantine_case" ("planned_end")',
    'CREATE INDEX "quarantine_case_status" ON "quarantine_case" ("status")',
    'CREATE INDEX "quarantine_case_release_date" ON "quarantine_case" ("release_date")',
    """CREATE TABLE "nucleic_test" ("id" INTEGER NOT NULL PRIMARY KEY, "case_id" INTEGER NOT NULL,
        "day_no" INTEGER NOT NULL, "planned_date" DATE NOT NULL, "sampling_date" DATE,
        "institution" VARCHAR(255) NOT NULL DEFAULT '长阳卫生院', "result" VARCHAR(255) NOT NULL DEFAULT '待出',
        "result_date" DATE, "brought_forward" INTEGER NOT NULL DEFAULT 0, "notes" VARCHAR(255) NOT NULL DEFAULT '',
        FOREIGN KEY ("case_id") REFERENCES "quarantine_case" ("id") ON DELETE CASCADE)""",
    'CREATE INDEX "nucleic_test_case_id" ON "nucleic_test" ("case_id")',
    'CREATE INDEX "nucleic_test_planned_date" ON "nucleic_test" ("planned_date")',
    'CREATE INDEX "nucleic_test_sampling_date" ON "nucleic_test" ("sampling_date")',
    'CREATE INDEX "nucleic_test_result" ON "nucleic_test" ("result")',
    """CREATE TABLE "follow_up" ("id" INTEGER NOT NULL PRIMARY KEY, "case_id" INTEGER NOT NULL,
        "day_no" INTEGER NOT NULL, "date" DATE NOT NULL, "status" VARCHAR(255) NOT NULL DEFAULT '未执行',
        "temperature" DECIMAL(4, 1), "symptoms" VARCHAR(255) NOT NULL DEFAULT '',
        "method" VARCHAR(255) NOT NULL DEFAULT '', "by_whom" VARCHAR(255) NOT NULL DEFAULT '',
        FOREIGN KEY ("case_id") REFERENCES "quarantine_case" ("id") ON DELETE CASCADE)""",
    'CREATE INDEX "follow_up_case_id" ON "follow_up" ("case_id")',
    'CREATE INDEX "follow_up_date" ON "follow_up" ("date")',
    'CREATE INDEX "follow_up_status" ON "follow_up" ("status")',
    'CREATE UNIQUE INDEX "follow_up_case_id_day_no" ON "follow_up" ("case_id", "day_no")',
    """CREATE TABLE "special_need" ("id" INTEGER NOT NULL PRIMARY KEY, "created_at" DATETIME NOT NULL,
        "updated_at" DATETIME NOT NULL, "case_id" INTEGER NOT NULL, "kind" VARCHAR(255) NOT NULL DEFAULT '其他',
        "content" VARCHAR(255) NOT NULL DEFAULT '', "need_date" DATE, "handler" VARCHAR(255) NOT NULL DEFAULT '',
        "status" VARCHAR(255) NOT NULL DEFAULT '待办', "outcome" VARCHAR(255) NOT NULL DEFAULT '',
        FOREIGN KEY ("case_id") REFERENCES "quarantine_case" ("id") ON DELETE CASCADE)""",
    'CREATE INDEX "special_need_case_id" ON "special_need" ("case_id")',
    'CREATE INDEX "special_need_need_date" ON "special_need" ("need_date")',
    'CREATE INDEX "special_need_status" ON "special_need" ("status")',
]


def _v3(db: Database) -> None:
    for sql in V3_QUARANTINE:
        db.execute_sql(sql)


# (version, description, function). Append only.
MIGRATIONS: list[tuple[int, str, Callable[[Database], None]]] = [
    (1, "居民台账基础表", _v1),
    (2, "设置与操作日志", _v2),
    (3, "隔离管控台账", _v3),
    (4, "设施台账与我来办工作站", _v4),
    (7, "工作人员账号", _v7),
]

LATEST_VERSION = max(version for version, _d, _f in MIGRATIONS)
