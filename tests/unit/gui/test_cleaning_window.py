"""The cleaning page driven as a person would: a small round from the survey to the printed roster."""
from __future__ import annotations

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt

from community_desk.core.models import Visit
from community_desk.core.queries import cleaning
from community_desk.gui import tasks
from community_desk.gui.windows.cleaning.members_tab import AddMemberDialog
from community_desk.gui.windows.cleaning.roster_print import roster_html
from community_desk.gui.windows.cleaning.round_form import RoundForm, TeamForm
from community_desk.gui.windows.cleaning.survey_form import SurveyForm
from community_desk.gui.windows.cleaning.visit_forms import VisitMoveDialog, VisitRecordDialog
from community_desk.gui.windows.cleaning.window import CleaningPage
from tests.pdf_text import preview_by_button, save_pdf_by_button
from tests.unit.cleaning_data import END, START, person


@pytest.fixture
def people(community):
    return {
        "wang": person(community, "王大洋", 86, "101", tags=["老年人"]),
        "zhao": person(community, "赵建国", 70, "301", tags=["残疾人"], disability="听力", contact="上门"),
        "sun": person(community, "孙德福", 75, "201", tags=["独居老人"]),
        "qian": person(community, "钱淑珍", 66, "602", tags=["老年人"]),
        "young": person(community, "周子轩", 35, "502"),
    }


def _settle(qtbot, page):
    """Let the chain of background queries (rounds -> tabs) finish and deliver."""
    qtbot.waitUntil(lambda: page.rounds_loaded(), timeout=5000)
    for _ in range(4):
        tasks.wait_all()
        qtbot.wait(30)


def _row_of(model, text, column):
    return next(r for r in range(model.rowCount()) if model.index(r, column).data() == text)


def test_round_from_survey_to_printed_roster(qtbot, qt_settings, people, tmp_path, qtmodeltester, monkeypatch):
    page = CleaningPage()
    qtbot.addWidget(page)
    page.resize(1200, 760)
    page.show()
    _settle(qtbot, page)
    assert "还没有服务批次" in page.stats_label.text()

    # a team and a round, through their forms
    team = TeamForm(page)
    team.name_edit.setText("大爱原香服务队")
    team.leader_edit.setText("张敏")
    team.members_edit.setText("张敏 刘强 陈静")
    team.save()
    assert team.result() and team.saved_id
    form = RoundForm(page)
    form.name_edit.setText("")
    form.save()
    assert "请填写批次名称" in form.summary.text() and not form.result()
    form.name_edit.setText("十一月擦玻璃")
    form.start_edit.setDate(form.start_edit.date().fromString(START.isoformat(), "yyyy-MM-dd"))
    form.end_edit.setDate(form.end_edit.date().fromString(END.isoformat(), "yyyy-MM-dd"))
    form.capacity_spin.setValue(2)
    form.team_checks[team.saved_id].setChecked(True)
    form.save()
    assert form.result()
    page.refresh()
    _settle(qtbot, page)
    assert page.round_id == form.saved_id
    round_id = page.round_id

    # eligible residents with their reasons, and one added by hand
    qtbot.mouseClick(page.members_tab.add_eligible_button, Qt.MouseButton.LeftButton)
    _settle(qtbot, page)
    members = page.members_tab.model
    qtmodeltester.check(members)
    assert members.rowCount() == 4
    zhao_row = _row_of(members, "赵建国", 0)
    assert members.index(zhao_row, 7).data() == "残疾人（听力）"
    add = AddMemberDialog(round_id, page)
    qtbot.addWidget(add)
    add.search_edit.setText("周子轩")
    qtbot.waitUntil(lambda: add.model.rowCount() == 1, timeout=5000)
    add.table.selectRow(0)
    add.save()
    assert "原因" in add.error.text() and not add.result()
    add.reason_edit.setText("腿骨折，家属申请")
    add.save()
    assert add.result()
    page.members_tab.changed.emit()
    _settle(qtbot, page)
    assert members.rowCount() == 5

    # the survey: the deaf resident cannot be phoned
    deaf = SurveyForm(round_id, people["zhao"], page)
    qtbot.addWidget(deaf)
    assert not deaf.method_buttons["电话"].isEnabled()
    assert deaf.method_buttons["上门"].isChecked() and deaf.warning.isVisibleTo(deaf)
    deaf.windows_spin.setValue(0)
    deaf.save()
    assert "窗户数" in deaf.summary.text() and not deaf.result()
    deaf.windows_spin.setValue(4)
    deaf.notes_edit.setPlainText("钥匙在邻居家")
    deaf.save()
    assert deaf.result()
    for key, dates in (("wang", "11-16"), ("sun", "11-16"), ("young", "11-16")):
        f = SurveyForm(round_id, people[key], page)
        qtbot.addWidget(f)
        assert f.method_buttons["电话"].isEnabled() and f.method_buttons["电话"].isChecked()
        f.dates_edit.setText(dates)
        f.slot_combo.setCurrentText("上午")
        f.windows_spin.setValue(5)
        f.save()
        assert f.result(), f.summary.text()
    page.survey_tab.changed.emit()
    _settle(qtbot, page)
    surveys = page.survey_tab.model
    qtmodeltester.check(surveys)
    assert surveys.index(_row_of(surveys, "赵建国", 2), 4).data() == "上门·勿电话"

    # auto-schedule: capacity 2 per slot, three want the 16th morning: one is explained
    page.tabs.setCurrentWidget(page.schedule_tab)
    qtbot.mouseClick(page.schedule_tab.auto_button, Qt.MouseButton.LeftButton)
    _settle(qtbot, page)
    report = page.schedule_tab.report_dialog
    assert report.isVisible() and "本次新安排 3 户" in report.summary.text()
    reasons = [report.model.item(r, 2).text() for r in range(report.model.rowCount())]
    assert any("各服务队均已排满（每队每时段最多 2 户）" in r for r in reasons)
    assert "尚未前期统计" in reasons  # 钱淑珍
    report.close()
    visits = page.schedule_tab.model
    qtmodeltester.check(visits)
    assert visits.rowCount() == 3
    morning = Visit.select().where((Visit.date == START) & (Visit.slot == "上午")).count()
    assert morning == 2

    # the unplaced household is scheduled by hand on the 17th; moving it into the full morning is refused
    unplaced = next(v for v in ("wang", "sun", "young") if not Visit.select().where(
        Visit.resident == people[v]).exists())
    survey_id = cleaning.get_survey_form(round_id, people[unplaced])["survey_id"]
    by_hand = VisitMoveDialog(round_id, survey_id=survey_id, parent=page)
    qtbot.addWidget(by_hand)
    by_hand.date_edit.setDate(by_hand.date_edit.date().addDays(1))
    by_hand.save()
    assert by_hand.result()
    new_visit = Visit.get(Visit.resident == people[unplaced]).id
    move = VisitMoveDialog(round_id, new_visit, parent=page)
    qtbot.addWidget(move)
    move.date_edit.setDate(move.date_edit.date().addDays(-1))
    move.slot_combo.setCurrentText("上午")
    move.save()
    assert "达到每队每时段上限" in move.summary.text() and not move.result()

    # one visit done, with its checklist and the follow-up
    done_id = Visit.get(Visit.resident == people["zhao"]).id
    record = VisitRecordDialog(done_id, page)
    qtbot.addWidget(record)
    record.satisfaction_combo.setCurrentText("满意")
    record.save()
    assert "服务完成后才能登记满意度" in record.summary.text()
    record.done_check.setChecked(True)
    for check in record.checks.values():
        check.setChecked(True)
    record.start_edit.setText("9:00")
    record.finish_edit.setText("10:05")
    record.feedback_edit.setPlainText("擦得很干净")
    record.save()
    assert record.result()
    page.schedule_tab.changed.emit()
    _settle(qtbot, page)
    assert "已服务 <b>1</b> 户" in page.stats_label.text()
    assert visits.index(_row_of(visits, "赵建国", 5), 9).data() == "已完成"
    page.schedule_tab.state_combo.setCurrentText("已回访")
    _settle(qtbot, page)
    assert visits.rowCount() == 1 and visits.index(0, 10).data() == "满意"
    page.schedule_tab.state_combo.setCurrentText("全部")
    _settle(qtbot, page)
    assert visits.rowCount() == 4

    # the printed roster: one sheet per team and day (16th and 17th), names masked
    html, count = roster_html(round_id)
    assert count == 4 and "赵*国" in html and "赵建国" not in html and "居民签字" in html
    page.show()
    page.tabs.setCurrentWidget(page.schedule_tab)
    pdf_button = page.schedule_tab.pdf_button
    assert save_pdf_by_button(qtbot, monkeypatch, pdf_button, tmp_path / "roster.pdf") == 2
    assert "已保存花名册 4 户、2 页" in page.schedule_tab.count_label.text()
    page.schedule_tab.full_names.setChecked(True)
    page.schedule_tab.day_combo.setCurrentIndex(1)  # the 16th only
    assert save_pdf_by_button(qtbot, monkeypatch, pdf_button, tmp_path / "day.pdf") == 1
    assert "赵建国" in roster_html(round_id, None, None, True)[0]

    # the workbook from the page
    out = tmp_path / "roster.xlsx"
    page.export_excel(str(out))
    qtbot.waitUntil(lambda: page.last_export == str(out), timeout=10000)
    ws = load_workbook(out)["服务安排"]
    names = {ws.cell(row=r, column=6).value for r in range(3, 7)}
    assert names == {"王大洋", "赵建国", "孙德福", "周子轩"}
    assert ws.cell(row=7, column=1).value == "合计" and ws.cell(row=7, column=2).value == "已服务 1 户"
    tasks.wait_all()


def test_page_registered_in_main_window(qtbot, qt_settings, community):
    from community_desk.gui.main_window import MainWindow

    window = MainWindow()
    qtbot.addWidget(window)
    page = window.page(CleaningPage)
    assert page is not None and page.title == "擦玻璃服务"
    window.nav.setCurrentRow(window.pages.index(page))
    qtbot.waitUntil(page.rounds_loaded, timeout=5000)
    assert window.count_label.text() == "共 0 个服务批次"
    tasks.wait_all()


def test_survey_tab_schedules_by_hand(qtbot, qt_settings, community, monkeypatch):
    from community_desk.gui.windows.cleaning import survey_tab, visit_forms
    from tests.unit.cleaning_data import small_round

    d = small_round(community, capacity=1)
    cleaning.add_eligible(d["round"])
    cleaning.save_survey(d["round"], d["sun"], {"contact_method": "电话", "result": "需要", "windows": "4"})
    page = CleaningPage()
    qtbot.addWidget(page)
    _settle(qtbot, page)
    tab = page.survey_tab
    errors = []
    monkeypatch.setattr(survey_tab, "show_error", lambda _p, _t, message: errors.append(message))
    tab.table.selectRow(_row_of(tab.model, "钱淑珍", 2))
    tab.schedule_selected()
    assert errors and "还没有登记为“需要”" in errors[0]
    opened = []

    def fake_exec(dialog):
        opened.append(dialog)
        dialog.slot_combo.setCurrentText("下午")
        dialog.save()
        return dialog.result()

    monkeypatch.setattr(visit_forms.VisitMoveDialog, "exec", fake_exec)
    tab.table.selectRow(_row_of(tab.model, "孙德福", 2))
    tab.schedule_selected()
    _settle(qtbot, page)
    assert opened and Visit.get(Visit.resident == d["sun"]).slot == "下午"
    assert tab.model.index(_row_of(tab.model, "孙德福", 2), 10).data() == "11月16日下午 第1服务队"
    tasks.wait_all()


@pytest.mark.child_process
def test_teams_and_print_preview(qtbot, qt_settings, community, monkeypatch):
    from community_desk.gui.windows.cleaning.roster_print import roster_documents
    from community_desk.gui.windows.cleaning.round_form import TeamsDialog
    from tests.unit.cleaning_data import small_round

    d = small_round(community)
    teams = TeamsDialog()
    qtbot.addWidget(teams)
    assert teams.list.count() == 1 and "刘强、陈静" in teams.list.item(0).text()
    edit = TeamForm(teams, d["teams"][0])
    qtbot.addWidget(edit)
    assert edit.leader_edit.text() == "刘强"
    edit.name_edit.setText("大爱原香服务队")
    edit.phone_edit.setText("13900001111")
    edit.save()
    assert edit.result() and cleaning.get_team(d["teams"][0])["phone"] == "13900001111"
    duplicate = TeamForm(teams)
    qtbot.addWidget(duplicate)
    duplicate.name_edit.setText("大爱原香服务队")
    duplicate.save()
    assert "已有名为“大爱原香服务队”的服务队" in duplicate.summary.text()

    cleaning.add_eligible(d["round"])
    cleaning.save_survey(d["round"], d["zhao"], {"contact_method": "上门", "result": "需要", "windows": "3"})
    from community_desk.core.queries import cleaning_visits

    cleaning_visits.run_auto_schedule(d["round"])
    documents, count = roster_documents(d["round"])
    assert count == 1 and len(documents) == 1
    page = CleaningPage()
    qtbot.addWidget(page)
    page.show()
    _settle(qtbot, page)
    page.tabs.setCurrentWidget(page.schedule_tab)
    title, pages = preview_by_button(qtbot, monkeypatch, page.schedule_tab.print_button)
    assert title == "打印预览 - 原乡小镇居家无忧项目 擦玻璃服务花名册" and pages == 1


def test_drag_a_visit_onto_another(qtbot, qt_settings, community, qtmodeltester):
    from tests.unit.cleaning_data import small_round

    d = small_round(community, capacity=2, teams=2)
    cleaning.add_eligible(d["round"])
    for key, dates in (("wang", "11-16"), ("sun", "11-17"), ("qian", "11-18")):
        cleaning.save_survey(d["round"], d[key], {"contact_method": "电话", "result": "需要", "windows": "4",
                                                  "preferred_dates": dates, "preferred_slot": "上午"})
    from community_desk.core.queries import cleaning_visits

    cleaning_visits.run_auto_schedule(d["round"])
    page = CleaningPage()
    qtbot.addWidget(page)
    _settle(qtbot, page)
    tab = page.schedule_tab
    model = tab.model
    qtmodeltester.check(model)
    wang, sun, qian = (_row_of(model, name, 5) for name in ("王大洋", "孙德福", "钱淑珍"))
    assert model.flags(model.index(wang, 0)) & Qt.ItemFlag.ItemIsDragEnabled
    # 王大洋 dropped on 孙德福: moves to the 17th morning with 孙德福's team
    mime = model.mimeData([model.index(wang, 0)])
    model.dropMimeData(mime, Qt.DropAction.MoveAction, -1, -1, model.index(sun, 3))
    _settle(qtbot, page)
    target = cleaning_visits.get_visit(model.id_at(_row_of(model, "孙德福", 5)))
    moved = Visit.get(Visit.resident == d["wang"])
    assert (moved.date, moved.slot, moved.team_id) == (target["date"], "上午", target["team_id"])
    assert "已调整 1 户到 11月17日上午" in tab.drop_message
    # the 17th morning of that team is now full: 钱淑珍 cannot be dropped there
    qian = _row_of(model, "钱淑珍", 5)
    model.dropMimeData(model.mimeData([model.index(qian, 0)]), Qt.DropAction.MoveAction, -1, -1,
                       model.index(_row_of(model, "孙德福", 5), 0))
    assert "达到每队每时段上限" in tab.drop_message
    assert Visit.get(Visit.resident == d["qian"]).date != target["date"]
    tasks.wait_all()
