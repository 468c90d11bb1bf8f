"""The glossary in code (GLOSSARY.md): the Chinese names of tables and fields and the fixed choices.

Forms, exports, printed sheets and the audit log (操作日志, 变更记录) take their words from here, so
one thing has one name everywhere. The value lists that models and rules use (statuses, roles,
results ...) are defined here once; the old names (rules.quarantine.STATUSES, models.people.
RESIDENCE_STATUSES, session.ROLES ...) are these same tuples. Pure Python: no Qt, no database.
"""
from __future__ import annotations

# --- roles (角色) ------------------------------------------------------------------------------
ROLE_ADMIN = "管理员"
ROLE_STAFF = "工作人员"
ROLE_READ_ONLY = "只读"
ROLES = (ROLE_ADMIN, ROLE_STAFF, ROLE_READ_ONLY)
WRITE_ROLES = (ROLE_ADMIN, ROLE_STAFF)

# --- people (居民) -----------------------------------------------------------------------------
GENDERS = ("男", "女")
RESIDENCE_STATUSES = ("常住", "流动", "外出")
CONTACT_PREFERENCES = ("电话", "短信", "上门")  # 联系方式偏好; hearing-impaired residents: 上门
DISABILITY_KINDS = ("听力", "言语", "视力", "肢体", "智力", "精神", "多重")

# --- epidemic control (隔离管控) ----------------------------------------------------------------
CASE_PENDING = "待核实"
CASE_UNDER_CONTROL = "管控中"
CASE_RELEASED = "已解除"
CASE_TRANSFERRED = "已转出"
CASE_POSITIVE = "阳性待转运"  # a positive result: out of every release list until the transfer is recorded
CASE_MOVED = "已转运"  # a positive taken to a central quarantine site (集中隔离地点)
CASE_STATUSES = (CASE_PENDING, CASE_UNDER_CONTROL, CASE_POSITIVE, CASE_RELEASED, CASE_TRANSFERRED, CASE_MOVED)
CASE_OPEN_STATUSES = (CASE_PENDING, CASE_UNDER_CONTROL)  # 在管 (a positive awaiting transfer has its own list)
CASE_CLOSED_STATUSES = (CASE_RELEASED, CASE_TRANSFERRED, CASE_MOVED)
RESULT_PENDING = "待出"
RESULT_NEGATIVE = "阴性"
RESULT_POSITIVE = "阳性"
RESULTS = (RESULT_PENDING, RESULT_NEGATIVE, RESULT_POSITIVE)
SOURCES = ("市派", "自排")
MEASURES = ("居家隔离", "居家健康监测", "集中隔离")
RELEASE_KINDS = ("期满解除", "提前解除", "转集中隔离", "转出", "失联")
RELEASE_POSITIVE = "阳性转运"  # the release kind a recorded transfer writes (not offered in the release dialog)
CLOSE_CONTACT = "密切接触者"  # the classification of a household member added from a positive

# --- facilities and the service desk (设施台账, 我来办) -------------------------------------------
FACILITY_STATUSES = ("规划中", "已立项", "施工中", "已完工", "维修中", "已拆除")
PLANNED_FACILITY_STATUSES = ("规划中", "已立项", "施工中")
REQUEST_STATUSES = ("待受理", "处理中", "已办结", "已回访")
OPEN_REQUEST_STATUSES = ("待受理", "处理中")

# --- shown for values in the audit log ---------------------------------------------------------
EMPTY = "（空）"
YES, NO = "是", "否"


def sql_list(values: tuple[str, ...]) -> str:
    """Fixed choices as an SQL list, for `status IN (...)`: "'待核实', '管控中'". Only for the constants
    above (no quote in them), never for what a person typed."""
    assert all("'" not in v for v in values)
    return ", ".join(f"'{v}'" for v in values)


# --- the audited tables and their fields -------------------------------------------------------
TABLE_LABELS = {
    "resident": "居民", "tag": "人员类别", "community": "社区", "setting": "设置", "staff_account": "账号",
    "quarantine_case": "隔离人员", "facility": "设施", "facility_kind": "设施种类", "facility_event": "设施记录",
    "facility_photo": "设施照片", "service_request": "工单", "request_category": "问题类别",
    "service_team": "服务队", "service_round": "服务批次", "round_member": "服务名单", "survey": "前期统计",
    "visit": "服务安排", "volunteer": "志愿者", "volunteer_team": "志愿服务队", "gate_post": "门岗",
    "duty_shift": "门岗排班", "gate_entry": "出入登记", "training_session": "培训会", "community_event": "宣传活动",
}
# What the audit log names that is not one table: the whole database (by-hand backups and restores).
SUBJECT_LABELS = {"database": "数据库"}

# Words shared by every table unless the table says otherwise.
COMMON_LABELS = {
    "id": "编号", "name": "名称", "notes": "备注", "phone": "联系电话", "address": "住址", "community": "社区",
    "building": "楼栋", "resident": "居民", "household": "户", "status": "状态", "active": "启用",
    "created_at": "登记时间", "updated_at": "修改时间", "sort_order": "排序", "builtin": "内置", "date": "日期",
    "version": "版本",
}

_PERSON = {"name": "姓名", "gender": "性别", "id_number": "身份证号", "birth_date": "出生日期"}

FIELD_LABELS: dict[str, dict[str, str]] = {
    "resident": {
        **_PERSON, "community": "所属社区", "unit": "单元", "room": "门牌号", "floor": "楼层",
        "household_number": "户号", "relation_to_head": "与户主关系", "registered_address": "户籍地",
        "same_as_registered": "人户一致", "residence_status": "居住状态", "contact_preference": "联系方式偏好",
        "disability": "残疾类别", "tags": "人员类别", "name_initials": "拼音首字母", "name_pinyin": "姓名拼音",
    },
    "tag": {"name": "类别名称"},
    "community": {"name": "社区名称", "planned_households": "规划户数"},
    "setting": {
        "key": "设置项", "value": "设置值", "office_name": "填报单位", "reporter_name": "填报人",
        "reporter_phone": "联系电话", "follow_up_workers": "健康监测责任人", "backup_dir": "备份文件夹",
        "backup_keep_daily": "保留每日备份天数", "backup_keep_weekly": "保留每周备份周数",
        "idle_lock_minutes": "无操作自动锁定（分钟）", "show_full_ids": "列表显示完整身份证号",
        "request_deadline_days": "我来办工单办理时限（天）", "staff_names": "工作人员名单",
        "days": "天数", "test_days": "核酸检测日", "retention_days": "隔离记录保存期（天）",
        "quarantine_policies": "管控措施默认期限", "quarantine_classifications": "人员分类",
        "inspection_overdue_days": "设施巡检周期（天）", "need_lead_days": "特殊需求提前提醒（天）",
    },
    "staff_account": {
        "username": "用户名", "display_name": "姓名", "role": "角色", "password_hash": "密码",
        "failed_attempts": "连续登录失败次数", "locked_until": "锁定至", "last_login": "最近登录",
    },
    "quarantine_case": {
        **_PERSON, "address": "现居住地址", "community": "所属社区", "resident": "居民台账", "source": "来源",
        "push_batch": "推送批次", "push_row": "名单行号", "found_by": "发现人", "found_how": "发现途径",
        "classification": "人员分类", "origin": "出发地", "arrival_date": "返京日期", "transport": "交通方式",
        "measure": "管控措施", "start_date": "隔离起始日期", "planned_end": "计划解除日期",
        "previous_end": "原计划解除日期", "end_change_reason": "调整原因", "verbal_notice_date": "口头通知日期",
        "written_notice_date": "书面通知日期", "home_possible": "具备居家隔离条件", "home_comment": "居家条件说明",
        "supplies_ok": "生活物资已保障", "supplies_comment": "物资保障说明", "release_date": "解除日期",
        "release_kind": "解除方式", "release_approved_by": "批准人", "release_reason": "解除原因",
        "follow_up_worker": "健康监测责任人", "search_text": "检索文字", "anonymised_at": "匿名化时间",
        "positive_date": "阳性采样日期", "transfer_date": "转运日期", "transfer_site": "集中隔离地点",
        "contact_of": "密接来源",
        # the case's tests, written under the case
        "result": "核酸结果", "sampling_date": "采样日期", "result_date": "出结果日期", "institution": "检测机构",
    },
    "facility": {
        "kind": "设施种类", "name": "设施名称", "quantity": "数量", "unit": "单位", "location": "位置",
        "planned_date": "计划日期", "installed_date": "安装日期", "builder": "供货或施工单位", "cost": "费用（元）",
        "funding": "资金来源", "responsible": "负责人", "next_step": "下一步",
    },
    "facility_kind": {"name": "种类名称", "default_unit": "默认单位"},
    "facility_event": {
        "facility": "设施", "kind": "记录类型", "who": "经办人", "found": "发现问题及处理", "cost": "费用（元）",
        "old_status": "原状态", "new_status": "新状态", "created_at": "记录时间",
    },
    "facility_photo": {"facility": "设施", "file_name": "照片文件", "caption": "说明", "added_at": "添加时间",
                       "data": "照片内容"},
    "service_request": {
        "number": "工单编号", "type": "诉求类型", "contact_name": "诉求人", "contact_phone": "联系电话",
        "category": "问题类别", "description": "诉求内容", "received_at": "受理时间", "channel": "来源渠道",
        "assigned_to": "承办人", "deadline": "办理时限", "status": "办理状态", "resolution": "办理结果",
        "resolved_date": "办结日期", "solved": "是否解决", "satisfaction": "满意度", "followup_date": "回访日期",
        "facility": "相关设施",
    },
    "request_category": {"name": "类别名称"},
    "service_team": {"name": "服务队名称", "leader": "带队人", "members": "其他成员", "volunteers": "志愿者",
                     "volunteer_ids": "志愿者"},
    "service_round": {
        "name": "批次名称", "start_date": "开始日期", "end_date": "结束日期", "capacity": "每队每时段户数",
        "criteria": "纳入条件",
    },
    "round_member": {"round": "服务批次", "source": "来源", "reason": "纳入原因"},
    "survey": {
        "round": "服务批次", "resident": "联系人", "contact_method": "联系方式", "result": "统计结果",
        "preferred_dates": "希望日期", "preferred_slot": "希望时段", "windows": "窗户数", "surveyed_on": "统计日期",
        "surveyed_by": "统计人",
    },
    "visit": {
        "round": "服务批次", "survey": "前期统计", "date": "服务日期", "slot": "时段", "team": "服务队",
        "floor": "楼层", "done": "完成", "slippers": "自带拖鞋", "glass": "玻璃", "screens": "纱窗", "sills": "窗台",
        "railings": "护栏", "started_at": "开始时间", "finished_at": "结束时间", "windows_cleaned": "擦窗数",
        "problems": "发现问题", "satisfaction": "满意度", "feedback": "居民意见", "followed_up_on": "回访日期",
        "request_number": "我来办工单编号",
    },
    "volunteer": {
        "resident": "居民台账", "name": "姓名", "team": "服务队", "kind": "类别", "skills": "特长",
        "availability": "可服务时间", "joined_on": "加入日期", "active": "在册", "name_pinyin": "姓名拼音",
        "name_initials": "拼音首字母",
    },
    "volunteer_team": {"name": "服务队名称"},
    "gate_post": {"name": "门岗名称", "min_volunteers": "每班最少志愿者", "parts": "值守时段"},
    "duty_shift": {
        "part": "时段", "start_time": "开始时间", "end_time": "结束时间", "minutes": "时长（分钟）", "post": "门岗",
        "lead": "带班", "volunteers": "志愿者", "volunteer_ids": "志愿者",
    },
    "gate_entry": {
        **_PERSON, "post": "门岗", "temperature": "体温(℃)", "fever": "体温异常", "time_in": "登记时间",
        "reason": "事由", "checked_by": "检查人", "case_ref": "转隔离管控",
    },
    "training_session": {"topic": "培训主题", "trainer": "主讲人", "materials": "培训材料", "attendees": "参加人员"},
    "community_event": {
        "title": "活动名称", "place": "地点", "community": "组织社区", "leaflets": "发放宣传页(份)",
        "letters": "发放告居民书(封)", "residents_reached": "覆盖居民(人)", "photos": "照片", "volunteers": "参加志愿者",
    },
}


def table_label(table: str) -> str:
    """The Chinese name of a table: 'quarantine_case' -> '隔离人员'."""
    return TABLE_LABELS.get(table) or SUBJECT_LABELS.get(table, table)


def field_label(table: str, field: str) -> str | None:
    """The Chinese name of a field of a table, or None when the glossary has none. A foreign key's
    column ('community_id') has its field's name ('所属社区'); a key already in Chinese (a 管控措施
    named in a setting) is its own name."""
    labels = FIELD_LABELS.get(table, {})
    for key in (field, field[:-3] if field.endswith("_id") else None):
        if key and (key in labels or key in COMMON_LABELS):
            return labels.get(key) or COMMON_LABELS[key]
    if field and not field.isascii():
        return field
    return None
