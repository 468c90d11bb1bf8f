"""The 志愿者与门岗 page driven as a person would: build a week, edit a shift, print the PDF; the gate
entry form by keyboard; the volunteer form with a resident picked from the registry; log, training, events."""
import datetime as dt
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from community_desk.core.models import GateEntry, Volunteer
from community_desk.core.queries import duty, events, residents, volunteers
from community_desk.core.rules.idcard import make_id
from community_desk.gui.main_window import page_classes
from community_desk.gui.windows.volunteers.events_tab import EventForm
from community_desk.gui.windows.volunteers.form import VolunteerForm
from community_desk.gui.windows.volunteers.training_tab import TrainingForm
from community_desk.gui.windows.volunteers.window import VolunteersPage
from tests.pdf_text import find_button, pdf_text, preview_by_button, save_pdf_by_button

NAMES = ["李娜", "王强", "赵敏", "孙丽", "周杰", "吴芳"]


@pytest.fixture
def page(community, qtbot, qt_settings):
    volunteers.set_staff_names(["张敏", "李强", "王芳"])
    team = volunteers.ensure_team("大爱原香", community)
    for i, name in enumerate(NAMES):
        volunteers.save({"name": name, "kind": ("老党员", "在职党员", "普通居民")[i % 3], "team_id": team,
                         "availability": "1" * 21})
    duty.save_post({"name": "东门", "min_volunteers": 2})
    duty.save_post({"name": "西门", "min_volunteers": 1, "parts": "上午下午"})
    widget = VolunteersPage()
    qtbot.addWidget(widget)
    widget.resize(1280, 760)
    widget.show()
    qtbot.waitUntil(lambda: widget.volunteers_tab.search_done() and widget.volunteers_tab.model.rowCount() == 6)
    return widget


def test_the_page_is_registered():
    assert VolunteersPage in page_classes()


def test_models_pass_the_model_tester(page, qtmodeltester):
    page.roster_tab.build(ask=False)
    qtmodeltester.check(page.roster_tab.model)
    qtmodeltester.check(page.volunteers_tab.model)
    qtmodeltester.check(page.gate_tab.model)


def test_build_a_week_edit_one_shift_and_print_the_pdf(page, qtbot, tmp_path, monkeypatch):
    tab = page.roster_tab
    page.tabs.setCurrentWidget(tab)
    tab.week_edit.setDate(dt.date(2021, 8, 18))
    assert "还没有排班" in tab.gaps_label.text()
    qtbot.mouseClick(tab.build_button, Qt.MouseButton.LeftButton)  # nothing to replace: no question asked
    model = tab.model
    assert model.rowCount() == 5  # 东门 x 3 parts, 西门 x 上午/下午
    assert model.headerData(1, Qt.Orientation.Horizontal) == "周一 08-16"
    assert "本周各门岗均已排满" in tab.gaps_label.text()
    monday_am_east = model.index(0, 1)
    text = model.data(monday_am_east)
    assert text.startswith("带班 ") and "08:00-12:00" in text
    # edit that shift by hand: a different lead, one volunteer only, a later end
    tab.table.setCurrentIndex(monday_am_east)
    dialog = tab.open_shift(tab.selected_index())
    qtbot.addWidget(dialog)
    dialog.lead_combo.setEditText("王芳")
    on_west = {v for v, _ in model.cell_at(model.index(3, 1)).volunteers}
    dialog.set_checked(on_west)  # someone already at 西门 at that time: refused, choices kept
    assert dialog.save() is False
    assert "不能同时在两处" in dialog.errors["volunteer_ids"].text() and set(dialog.checked_ids()) == on_west
    west_lead = model.cell_at(model.index(3, 1)).lead
    free_lead = next(n for n in ("王芳", "张敏", "李强") if n != west_lead)
    dialog.lead_combo.setEditText(free_lead)
    free = next(v.id for v in Volunteer.select().order_by(Volunteer.id) if v.id not in on_west)
    dialog.set_checked({free})
    dialog.end_edit.setText("11:30")  # 13:00 would overlap the afternoon shift
    chosen = set(dialog.checked_ids())
    assert dialog.save() is True, dialog.summary.text()
    tab.refresh()
    cell = model.cell_at(monday_am_east)
    assert cell.end_time == "11:30" and cell.lead == free_lead and {v for v, _ in cell.volunteers} == chosen == {free}
    assert "周一 上午 东门 缺" in tab.gaps_label.text()  # now short of the minimum, said in words
    # print it
    pdf = tmp_path / "roster.pdf"
    page.show()
    page.tabs.setCurrentWidget(tab)
    assert save_pdf_by_button(qtbot, monkeypatch, find_button(tab, "另存为PDF…"), pdf) >= 2
    text = pdf_text(pdf)
    assert "门岗值守排班表" in text and "门岗值守签到表" in text and "签字" in text
    assert "08:00-11:30" in text and "缺" in text


@pytest.mark.child_process
def test_duty_roster_print_preview_button(page, qtbot, monkeypatch):
    """打印预览 of the duty roster ended the program (a preview whose printer Python had freed)."""
    tab = page.roster_tab
    page.show()
    page.tabs.setCurrentWidget(tab)
    title, pages = preview_by_button(qtbot, monkeypatch, find_button(tab, "打印预览"))
    assert title.startswith("打印预览 - ") and "门岗值守排班表" in title and pages >= 2


def test_gate_entry_by_keyboard_only(page, qtbot):
    tab = page.gate_tab
    page.tabs.setCurrentWidget(tab)
    tab.fill_posts()
    page.activateWindow()
    tab.name_edit.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is tab.name_edit)
    tab.name_edit.setText("快递员甲")  # Chinese comes from the input method
    qtbot.keyClick(tab.name_edit, Qt.Key.Key_Return)
    assert QApplication.focusWidget() is tab.phone_edit
    qtbot.keyClicks(tab.phone_edit, "13800001111")
    qtbot.keyClick(tab.phone_edit, Qt.Key.Key_Return)
    assert QApplication.focusWidget() is tab.id_edit
    qtbot.keyClick(tab.id_edit, Qt.Key.Key_Return)  # ID may stay empty
    assert QApplication.focusWidget() is tab.temperature_edit
    qtbot.keyClicks(tab.temperature_edit, "36.5")
    assert tab.fever_label.text() == "" and tab.temperature_edit.styleSheet() == ""
    qtbot.keyClick(tab.temperature_edit, Qt.Key.Key_Return)
    assert QApplication.focusWidget() is tab.reason_edit
    tab.reason_edit.setText("送快递")
    qtbot.keyClick(tab.reason_edit, Qt.Key.Key_Return)  # saves and clears for the next person
    assert GateEntry.select().count() == 1
    assert all(edit.text() == "" for edit in tab.chain)
    assert QApplication.focusWidget() is tab.name_edit
    assert tab.model.rowCount() == 1

    # the next person has a fever; a wrong ID is refused first and everything typed stays
    tab.name_edit.setText("返京人员乙")
    qtbot.keyClick(tab.name_edit, Qt.Key.Key_Return)
    qtbot.keyClicks(tab.phone_edit, "13900002222")
    qtbot.keyClick(tab.phone_edit, Qt.Key.Key_Return)
    good_id = make_id("420102", dt.date(1988, 5, 6), 7)
    bad_id = good_id[:-1] + ("0" if good_id[-1] != "0" else "1")
    qtbot.keyClicks(tab.id_edit, bad_id)
    qtbot.keyClick(tab.id_edit, Qt.Key.Key_Return)
    qtbot.keyClicks(tab.temperature_edit, "37.3")
    assert "异常" in tab.fever_label.text() and "#d93025" in tab.temperature_edit.styleSheet()
    qtbot.keyClick(tab.temperature_edit, Qt.Key.Key_Return)
    tab.reason_edit.setText("返京")
    qtbot.keyClick(tab.reason_edit, Qt.Key.Key_Return)
    assert GateEntry.select().count() == 1
    assert "身份证号" in tab.message.text() and QApplication.focusWidget() is tab.id_edit
    assert tab.name_edit.text() == "返京人员乙" and tab.temperature_edit.text() == "37.3"
    tab.id_edit.setText(good_id)
    qtbot.keyClick(tab.id_edit, Qt.Key.Key_Return)
    qtbot.keyClick(tab.temperature_edit, Qt.Key.Key_Return)
    qtbot.keyClick(tab.reason_edit, Qt.Key.Key_Return)
    entry = GateEntry.get(GateEntry.name == "返京人员乙")
    assert entry.fever is True and entry.temperature == Decimal("37.3") and entry.id_number == good_id
    assert entry.post.name == "东门"
    assert "异常" in tab.message.text()
    fever_row = tab.model.row_of(entry.id)
    assert tab.model.data(tab.model.index(fever_row, 8)) == "发热"
    assert tab.model.data(tab.model.index(fever_row, 0), Qt.ItemDataRole.BackgroundRole) is not None
    assert "体温异常 1 人" in tab.status_text()


def test_volunteer_form_picks_a_resident_from_the_registry(page, qtbot, community):
    rid = residents.save({"name": "王洋", "community_id": community, "phone": "13812345678", "building": "3",
                          "unit": "2", "room": "501"})
    form = VolunteerForm(page)
    qtbot.addWidget(form)
    form.show()
    form.activateWindow()
    form.resident_search.setFocus()
    qtbot.waitUntil(form.resident_search.hasFocus)
    qtbot.keyClicks(form.resident_search, "wy")
    assert form.resident_hits.count() == 1
    qtbot.keyClick(form.resident_search, Qt.Key.Key_Return)  # picks the hit; does not save the form
    assert form.isVisible() and form.result() != form.DialogCode.Accepted
    assert form.name_edit.text() == "王洋" and form.name_edit.isReadOnly()
    assert form.phone_edit.text() == "13812345678"
    form.kind_combo.setCurrentText("老党员")
    form.slot_checks[(2, "下午")].setChecked(True)
    form.save()
    assert form.result() == form.DialogCode.Accepted
    saved = Volunteer.get(Volunteer.resident == rid)
    assert saved.kind == "老党员" and saved.availability[2 * 3 + 1] == "1" and saved.availability.count("1") == 1
    # an outside person with a bad phone: refused, typed text kept
    form = VolunteerForm(page)
    qtbot.addWidget(form)
    form.name_edit.setText("外来志愿者")
    qtbot.keyClicks(form.phone_edit, "12345")
    form.save()
    assert form.result() != form.DialogCode.Accepted and "手机号" in form.summary.text()
    assert form.name_edit.text() == "外来志愿者"
    page.volunteers_tab.refresh()
    qtbot.waitUntil(lambda: page.volunteers_tab.search_done() and page.volunteers_tab.model.rowCount() == 7)


def test_shift_log_counts_hours_for_who_came(page, qtbot):
    page.roster_tab.week_edit.setDate(dt.date.today())
    page.roster_tab.build(ask=False)
    tab = page.log_tab
    tab.day_edit.setDate(week_monday := dt.date.today() - dt.timedelta(days=dt.date.today().weekday()))
    tab.refresh()
    assert tab.shift_combo.count() == 5 and tab.present_list.count() == 2  # 东门 上午 first
    tab.present_list.item(1).setCheckState(Qt.CheckState.Unchecked)
    tab.checked_edit.setText("42")
    assert tab.save() is True
    came = tab.present_list.item(0).data(Qt.ItemDataRole.UserRole)
    missed = tab.present_list.item(1).data(Qt.ItemDataRole.UserRole)
    assert volunteers.hours_for([came, missed]) == {came: Decimal("4.0"), missed: Decimal("0.0")}
    assert "已记录" in tab.shift_combo.currentText()
    assert week_monday.weekday() == 0


def test_training_form_and_who_missed_it(page, qtbot):
    tab = page.training_tab
    form = TrainingForm(tab)
    qtbot.addWidget(form)
    form.topic_combo.setEditText("疫情防控最新要求")
    form.set_attended({"张敏"})
    assert form.save() is True
    tab.refresh()
    assert tab.model.rowCount() == 1
    assert tab.missing_label.text().endswith("李强、王芳")
    empty = TrainingForm(tab)
    qtbot.addWidget(empty)
    assert empty.save() is False and "培训主题" in empty.summary.text()


def test_event_form_adds_hours(page, qtbot):
    form = EventForm(page.events_tab)
    qtbot.addWidget(form)
    form.title_edit.setText("文明祭扫")
    form.place_edit.setText("加州商业广场")
    form.date_edit.setDate(dt.date(dt.date.today().year, 8, 21))
    a, b = (Volunteer.get(Volunteer.name == n).id for n in ("李娜", "王强"))
    form.set_present({a, b})
    form.hours_edit.setText("2.5")
    form.leaflets_edit.setText("500")
    form.letters_edit.setText("300")
    assert form.save() is True
    assert volunteers.hours_for([a, b]) == {a: Decimal("2.5"), b: Decimal("2.5")}
    page.events_tab.refresh()
    qtbot.waitUntil(lambda: page.events_tab.search_done() and page.events_tab.model.rowCount() == 1)
    row = events.load_event_rows(page.events_tab.model.ids())[page.events_tab.model.id_at(0)]
    assert row[6:8] == (500, 300)
    bad = EventForm(page.events_tab)
    qtbot.addWidget(bad)
    bad.title_edit.setText("x")
    bad.letters_edit.setText("很多")
    assert bad.save() is False and "告居民书" in bad.summary.text()
