"""The settings dialog (设置): change, save, reopen and see the values; a refused value keeps what was
typed; a non-administrator cannot save; the menu action 文件 → 设置… (Ctrl+,)."""
from __future__ import annotations

from PySide6.QtWidgets import QDialog

from community_desk.core import session
from community_desk.core.models import Community
from community_desk.core.queries import duty
from community_desk.core.queries import quarantine as cases
from community_desk.core.queries import settings as office_settings
from community_desk.core.session import Session
from community_desk.gui.dialogs import settings as settings_dialog
from community_desk.gui.dialogs.settings import SettingsDialog
from community_desk.gui.main_window import MainWindow


def _dialog(qtbot):
    dialog = SettingsDialog()
    qtbot.addWidget(dialog)
    return dialog


def test_round_trip(qtbot, qt_settings, community, tmp_path):
    duty.save_post({"name": "东门", "min_volunteers": "2"})
    d = _dialog(qtbot)
    assert d.office_name.text() == "长阳镇原乡小镇社区居委会" and d.reporter_name.text() == "张敏"
    d.office_name.setText("长阳镇天瑞嘉园社区居委会")
    d.reporter_phone.setText("13800138000")
    d.community_rows[0][2].setText("1688")
    d.community_rows[1][1].setText("天瑞嘉园")  # the empty line adds a community
    d.community_rows[1][2].setText("1200")
    d.policies.days["居家健康监测"].setValue(10)
    d.policies.test_days["居家健康监测"].setText("1,5,10")
    d.follow_up_workers.setPlainText("张敏\n王芳")
    _pid, _name, minimum, parts, _active = d.post_rows[0]
    minimum.setText("3")
    parts["晚上"].setChecked(False)
    d.post_rows[1][1].setText("西门")
    d.backup_dir.setText(str(tmp_path / "备份"))
    d.keep_daily.setText("10")
    d.idle_lock.setText("0")
    d.show_full_ids.setChecked(False)
    assert d.save() and d.result() == QDialog.DialogCode.Accepted
    assert "填报单位" in d.saved

    again = _dialog(qtbot)
    assert again.office_name.text() == "长阳镇天瑞嘉园社区居委会" and again.reporter_phone.text() == "13800138000"
    assert [(n.text(), p.text()) for _id, n, p in again.community_rows] == [
        ("原乡小镇", "1688"), ("天瑞嘉园", "1200"), ("", "")]
    assert again.policies.days["居家健康监测"].value() == 10
    assert again.policies.test_days["居家健康监测"].text() == "1,5,10"
    assert again.follow_up_workers.toPlainText() == "张敏\n王芳"
    assert [(n.text(), m.text(), [p for p, c in ps.items() if c.isChecked()]) for _i, n, m, ps, _a in again.post_rows] \
        == [("东门", "3", ["上午", "下午"]), ("西门", "2", ["上午", "下午", "晚上"]), ("", "2", ["上午", "下午", "晚上"])]
    assert again.backup_dir.text() == str(tmp_path / "备份") and again.keep_daily.text() == "10"
    assert again.idle_lock.text() == "0" and not again.show_full_ids.isChecked()
    assert Community.get(Community.name == "天瑞嘉园").planned_households == 1200
    assert cases.policies()["居家健康监测"].days == 10


def test_a_refused_value_keeps_what_was_typed(qtbot, qt_settings, community):
    d = _dialog(qtbot)
    d.tabs.setCurrentIndex(0)
    d.idle_lock.setText("半小时")
    d.reporter_phone.setText("12345")
    d.office_name.setText("改了名字的居委会")
    assert not d.save() and d.result() != QDialog.DialogCode.Accepted
    assert "无操作自动锁定时间“半小时”不是整数" in d.error.text()
    assert "不是有效的手机号" in d.error.text()
    assert d.idle_lock.text() == "半小时" and d.reporter_phone.text() == "12345"  # kept
    assert d.office_name.text() == "改了名字的居委会"
    assert d.tabs.currentIndex() == 0  # the tab of the first error (联系电话)
    assert office_settings.get("office_name") == "长阳镇原乡小镇社区居委会"  # nothing stored
    d.idle_lock.setText("20")
    d.reporter_phone.setText("010-80361234")
    d.policies.test_days["居家隔离"].setText("1,30")
    assert not d.save()
    assert "第 1 天到第 14 天之间" in d.error.text() and d.tabs.currentIndex() == 1
    d.policies.test_days["居家隔离"].setText("1,4,7,14")
    assert d.save()
    assert office_settings.get("idle_lock_minutes") == 20 and office_settings.get("office_name") == "改了名字的居委会"


def test_the_request_deadline_is_a_setting(qtbot, qt_settings, community):
    import datetime as dt

    from community_desk.core.queries import service_desk

    d = _dialog(qtbot)
    assert d.request_days.text() == "7"  # the default
    for typed, said in (("一百", "我来办工单的办理时限“一百”不是整数"), ("0", "应在 1 到 90 天之间")):
        d.request_days.setText(typed)
        assert not d.save() and said in d.error.text() and d.tabs.currentIndex() == 0
        assert d.request_days.text() == typed
    d.request_days.setText("10")
    assert d.save()
    [(category_id, _name), *_rest] = service_desk.list_categories()
    received = dt.datetime(2026, 11, 2, 9, 30)
    rid = service_desk.take_in({"contact_name": "王秀英", "category_id": category_id, "description": "楼道灯不亮"},
                               now=received)
    assert service_desk.get(rid)["deadline"] == dt.date(2026, 11, 12)


def test_non_administrator_is_refused(qtbot, qt_settings, community):
    session.current = Session(user="小李", role="工作人员")
    d = _dialog(qtbot)
    assert not d.save_button.isEnabled() and "只有管理员可以修改设置" in d.error.text()
    d.office_name.setText("别的名称")
    assert not d.save()  # core refuses even when called directly
    assert d.error.text() == "只有管理员可以修改设置"
    assert office_settings.get("office_name") == "长阳镇原乡小镇社区居委会"


def test_menu_action_opens_the_dialog(qtbot, qt_settings, community, monkeypatch):
    opened = []
    monkeypatch.setattr(settings_dialog.SettingsDialog, "exec", lambda self: opened.append(self) or 0)
    window = MainWindow()
    qtbot.addWidget(window)
    assert window.settings_action.text() == "设置…" and window.settings_action.shortcut().toString() == "Ctrl+,"
    file_menu = window.menuBar().actions()[0].menu()
    assert window.settings_action in file_menu.actions()
    window.settings_action.trigger()
    assert len(opened) == 1 and opened[0].windowTitle() == "设置"
    assert "长阳镇原乡小镇社区居委会" in window.windowTitle()

    def rename_and_save(dialog):
        dialog.office_name.setText("长阳镇天瑞嘉园社区居委会")
        dialog.idle_lock.setText("0")
        return int(dialog.save())

    monkeypatch.setattr(settings_dialog.SettingsDialog, "exec", rename_and_save)
    window.idle_timer.start(60_000)
    window.settings_action.trigger()
    assert "长阳镇天瑞嘉园社区居委会" in window.windowTitle()  # the title follows the setting
    assert not window.idle_timer.isActive()  # 0 minutes: never lock


def test_follow_up_workers_are_offered_when_assigning(qtbot, qt_settings, community, monkeypatch):
    import datetime as dt

    from community_desk.core.models import QuarantineCase
    from community_desk.core.queries import office_settings_form
    from community_desk.gui import tasks
    from community_desk.gui.windows.quarantine import case_list
    from community_desk.gui.windows.quarantine.page import QuarantinePage
    from tests.unit.home_data import case

    raw = office_settings_form.load()
    raw["follow_up_workers"] = "王芳\n张敏"
    office_settings_form.save(raw)
    cid = case("孙德福", 1, dt.date.today(), dt.date.today())
    page = QuarantinePage()
    qtbot.addWidget(page)
    qtbot.waitUntil(lambda: page.cases.search_done() and page.cases.model.rowCount() == 1)
    page.cases.table.selectAll()
    offered = []
    monkeypatch.setattr(case_list.QInputDialog, "getItem",
                        lambda _p, _t, _l, items, *a: offered.append(list(items)) or ("张敏", True))
    page.cases.bulk_worker()
    assert offered == [["王芳", "张敏"]] and QuarantineCase.get_by_id(cid).follow_up_worker == "张敏"
    tasks.wait_all()
