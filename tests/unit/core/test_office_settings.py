"""The settings form in core: load, save, checks with Chinese messages, administrator only, audit log."""
from __future__ import annotations

import pytest

from community_desk.core import session
from community_desk.core.models import AuditLog, Community
from community_desk.core.queries import duty, office_settings_form
from community_desk.core.queries import quarantine as cases
from community_desk.core.queries import settings as office_settings
from community_desk.core.rules.resident import FormErrors
from community_desk.core.session import PermissionDenied, Session


def _form(**changes):
    raw = office_settings_form.load()
    raw.update(changes)
    return raw


def test_round_trip_and_audit(community, tmp_path):
    duty.save_post({"name": "东门", "min_volunteers": "2", "parts": "上午下午"})
    raw = _form(office_name="长阳镇天瑞嘉园社区居委会", reporter_name="李娜", reporter_phone="010 8036 1234",
                follow_up_workers="张敏\n王芳、张敏", backup_dir=str(tmp_path / "备份"), backup_keep_daily="10",
                backup_keep_weekly="8", idle_lock_minutes="30", show_full_ids=False)
    raw["communities"][0]["planned"] = "1,688"
    raw["communities"].append({"id": None, "name": "天瑞嘉园", "planned": "1200"})
    raw["communities"].append({"id": None, "name": "", "planned": ""})  # the empty line is ignored
    raw["policies"]["居家健康监测"] = {"days": "10", "test_days": "1，5，10"}
    raw["posts"][0].update(min_volunteers="3", parts="上午")
    raw["posts"].append({"id": None, "name": "西门", "min_volunteers": "1", "parts": "晚上", "active": True})
    changed = office_settings_form.save(raw)
    assert "填报单位" in changed and "社区 天瑞嘉园" in changed and "居家健康监测期限" in changed
    again = office_settings_form.load()
    assert again["office_name"] == "长阳镇天瑞嘉园社区居委会" and again["reporter_phone"] == "010-80361234"
    assert again["follow_up_workers"] == ["张敏", "王芳"]
    assert (again["backup_keep_daily"], again["backup_keep_weekly"], again["idle_lock_minutes"]) == (10, 8, 30)
    assert again["show_full_ids"] is False and (tmp_path / "备份").is_dir()
    assert [(c["name"], c["planned"]) for c in again["communities"]] == [("原乡小镇", 1688), ("天瑞嘉园", 1200)]
    assert cases.policies()["居家健康监测"].test_days == (1, 5, 10)
    assert [(p.name, p.min_volunteers, p.parts) for p in duty.list_posts()] == [("东门", 3, "上午"), ("西门", 1, "晚上")]
    assert office_settings.get("backup_keep_daily") == 10  # the key core.startup reads
    logged = [(a.action, a.table, a.summary) for a in AuditLog.select()]
    assert any(t == "setting" and "填报单位" in s and "备份文件夹" in s for _a, t, s in logged)
    assert any(t == "community" and "天瑞嘉园" in s for _a, t, s in logged)
    # saving the same form again changes nothing and logs nothing
    count = AuditLog.select().count()
    assert office_settings_form.save(office_settings_form.load()) == []
    assert AuditLog.select().count() == count


def test_refused_values_name_the_field_and_store_nothing(community, tmp_path):
    (tmp_path / "a-file").write_text("x")
    raw = _form(office_name=" ", reporter_phone="12345", idle_lock_minutes="半小时", backup_keep_daily="0",
                backup_dir=str(tmp_path / "a-file"))
    raw["communities"][0]["planned"] = "-5"
    raw["policies"]["居家隔离"] = {"days": "14", "test_days": "1,20"}
    with pytest.raises(FormErrors) as err:
        office_settings_form.save(raw)
    e = err.value.errors
    assert "请填写填报单位" in e["office_name"]
    assert "不是有效的手机号" in e["reporter_phone"]
    assert e["idle_lock_minutes"] == "无操作自动锁定时间“半小时”不是整数"
    assert e["backup_keep_daily"] == "保留每日备份的天数应在 1 到 365 天之间"
    assert "是一个文件，不是文件夹" in e["backup_dir"]
    assert "规划户数" in e["community_0"]
    assert "第 1 天到第 14 天之间" in e["policy_居家隔离"]
    assert office_settings.get("office_name") == "长阳镇原乡小镇社区居委会"  # unchanged


def test_a_refused_gate_post_rolls_back_the_whole_form(community):
    raw = _form(office_name="新名称")
    raw["posts"] = [{"id": None, "name": "北门", "min_volunteers": "99", "parts": "上午"}]
    with pytest.raises(FormErrors) as err:
        office_settings_form.save(raw)
    assert "门岗“北门”" in err.value.errors["post_0"] and "20" in err.value.errors["post_0"]
    assert office_settings.get("office_name") == "长阳镇原乡小镇社区居委会" and duty.list_posts() == []


def test_only_an_administrator_may_change_settings(community):
    for role in ("工作人员", "只读"):
        session.current = Session(user="小李", role=role)
        with pytest.raises(PermissionDenied, match="只有管理员可以修改设置"):
            office_settings_form.save(_form(office_name="别的名称"))
    assert office_settings.get("office_name") == "长阳镇原乡小镇社区居委会"
    assert Community.select().count() == 1


def test_backup_folder_checks(community, tmp_path):
    (tmp_path / "a-file").write_text("x")
    cases_ = {"备份": "须写完整路径", str(tmp_path / "a-file" / "sub"): "不能创建", str(tmp_path / "a-file"): "不是文件夹"}
    for folder, message in cases_.items():
        with pytest.raises(FormErrors) as err:
            office_settings_form.save(_form(backup_dir=folder))
        assert message in err.value.errors["backup_dir"]
    # a new folder is made only when the whole form is saved
    with pytest.raises(FormErrors):
        office_settings_form.save(_form(backup_dir=str(tmp_path / "new"), office_name=""))
    assert not (tmp_path / "new").exists()
    office_settings_form.save(_form(backup_dir=str(tmp_path / "new")))
    assert (tmp_path / "new").is_dir() and office_settings.get("backup_dir") == str(tmp_path / "new")


@pytest.mark.sqlite_only  # start-up reads the file before opening it
def test_start_up_reads_configured_from_the_file_as_the_settings_say_it(db, db_path):
    """file_peek.looks_configured (raw, before the model layer) agrees with settings.is_configured at every step."""
    from community_desk.core import file_peek
    from community_desk.core.queries import accounts, communities

    def both():
        return office_settings.is_configured(), file_peek.looks_configured(db_path)

    assert both() == (False, False)
    office_settings.put("office_name", "长阳镇原乡小镇社区居委会")
    assert both() == (False, False)
    communities.ensure_communities(["原乡小镇"])
    assert both() == (False, False)
    accounts.create_account("admin", "张敏", "secret-1")
    assert both() == (True, True)
    office_settings.put("office_name", "")
    assert both() == (False, False)
    assert file_peek.looks_configured(db_path.with_name("missing.db")) is False
