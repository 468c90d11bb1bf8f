"""FormDialog, the one form of the program, driven as a person would: the base on its own, then real forms
(居民, 设施, 志愿者, 重新办理). A refused 保存 puts a red message under the field and one summary line, saves
nothing and keeps what was typed; changing the field clears its message; 取消 / Esc / the window's close
button ask before typed changes are thrown away, and do not ask when nothing changed."""
from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QLineEdit, QMessageBox, QPlainTextEdit

from community_desk.core.models import Facility, Resident, Volunteer
from community_desk.core.queries import facilities, residents, service_desk
from community_desk.core.rules.idcard import make_id
from community_desk.core.rules.resident import FormErrors
from community_desk.core.rules.text import ValidationError
from community_desk.core.session import PermissionDenied
from community_desk.gui.dialogs.field_form import DISCARD_QUESTION, FormDialog
from community_desk.gui.windows.facilities.form import FacilityForm
from community_desk.gui.windows.residents.form import ResidentForm
from community_desk.gui.windows.service_desk.actions import reopen_dialog
from community_desk.gui.windows.volunteers.form import VolunteerForm
from tests.pdf_text import find_button

ID_WANG = make_id("110111", dt.date(1956, 3, 12), 21)


# --- what a person does ---
def type_chinese(widget, text: str) -> None:
    """As an input method commits 张三 (qtbot.keyClicks with Chinese aborts Qt)."""
    widget.setFocus()
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def click(qtbot, dialog, text: str) -> None:
    qtbot.mouseClick(find_button(dialog, text), Qt.MouseButton.LeftButton)


class Questions:
    """Answers the message boxes that appear while the person acts, and remembers what they asked."""

    def __init__(self, qtbot):
        self.qtbot = qtbot
        self.asked: list[str] = []
        self.answer = QMessageBox.StandardButton.No
        self._watching = False

    def _look(self) -> None:
        if not self._watching:
            return
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox) and box.isVisible():
            self.asked.append(box.text())
            self.qtbot.mouseClick(box.button(self.answer), Qt.MouseButton.LeftButton)
            return
        QTimer.singleShot(10, self._look)

    def during(self, action, answer=QMessageBox.StandardButton.No) -> None:
        """Do `action` (a click or a key); a question it raises is answered with `answer`."""
        self.answer = answer
        self._watching = True
        QTimer.singleShot(0, self._look)
        try:
            action()
        finally:
            self._watching = False


@pytest.fixture
def questions(qtbot):
    return Questions(qtbot)


def shown(qtbot, dialog):
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def is_red(widget) -> bool:
    return bool(widget.property("invalid"))


def assert_not_clipped(dialog, label) -> None:
    """A wrapped message is as tall as its text needs and lies inside what the scroll area shows."""
    assert label.isVisible()
    assert label.height() >= label.heightForWidth(label.width()) > label.fontMetrics().lineSpacing()
    top_left = label.mapTo(dialog.scroll.viewport(), label.rect().topLeft())
    assert dialog.scroll.viewport().rect().contains(top_left)
    assert top_left.y() + label.height() <= dialog.scroll.viewport().height()


# --- the base on its own ---
@pytest.fixture
def small_form(qtbot, qt_settings):
    saved: list[dict] = []

    def save(values):
        if not values["phone"].isdigit():
            raise FormErrors({"phone": f"联系电话“{values['phone']}”不是有效的手机号"})
        if values["phone"] == "000":
            raise ValidationError("这个号码已停用\n请换一个号码", field="phone")
        if values["phone"] == "111":
            raise PermissionDenied()
        if values["phone"] == "222":
            raise ValidationError("今天不能登记")
        saved.append(values)
        return len(saved)

    rows = [("name", "姓名", QLineEdit()), ("phone", "联系电话", QLineEdit()), ("notes", "备注", QPlainTextEdit())]
    dialog = shown(qtbot, FormDialog(None, "登记", rows, save, "test_form"))
    dialog.saved = saved
    return dialog


def test_a_refused_save_shows_the_message_under_the_field_and_keeps_the_typing(small_form, qtbot):
    form = small_form
    type_chinese(form.inputs["name"], "张三")
    qtbot.keyClicks(form.inputs["phone"], "12a45")
    click(qtbot, form, "保存")
    assert form.isVisible() and form.saved == []
    message = form.errors["phone"]
    assert message.isVisible() and "不是有效的手机号" in message.text() and is_red(form.inputs["phone"])
    assert not form.errors["name"].isVisible() and not is_red(form.inputs["name"])
    assert form.summary.text().startswith("未保存，请修改：") and "“12a45”" in form.summary.text()
    assert form.inputs["name"].text() == "张三" and form.inputs["phone"].text() == "12a45"
    assert QApplication.focusWidget() is form.inputs["phone"]

    qtbot.keyClick(form.inputs["phone"], Qt.Key.Key_Backspace)  # the person corrects the field
    assert not message.isVisible() and not is_red(form.inputs["phone"]) and form.summary.text() == ""
    form.inputs["phone"].clear()
    qtbot.keyClicks(form.inputs["phone"], "13812345678")
    click(qtbot, form, "保存")
    assert not form.isVisible() and form.result() == FormDialog.DialogCode.Accepted
    assert form.saved == [{"name": "张三", "phone": "13812345678", "notes": ""}] and form.result_value == 1


def test_validation_error_and_permission_are_said_in_words(small_form, qtbot):
    form = small_form
    qtbot.keyClicks(form.inputs["phone"], "000")
    click(qtbot, form, "保存")
    assert form.errors["phone"].text() == "这个号码已停用\n请换一个号码" and is_red(form.inputs["phone"])
    assert_not_clipped(form, form.errors["phone"])
    qtbot.waitUntil(lambda: not form.scroll.verticalScrollBar().isVisible())  # the window grew: all of it shows
    form.inputs["phone"].setText("222")  # a message for no field: in the summary only
    click(qtbot, form, "保存")
    assert form.summary.text() == "未保存，请修改：今天不能登记" and not form.errors["phone"].isVisible()
    form.inputs["phone"].setText("111")
    click(qtbot, form, "保存")
    assert form.summary.text() == "当前账号为只读，不能修改数据" and form.isVisible() and form.saved == []


def test_cancel_asks_before_throwing_typed_changes_away(small_form, qtbot, questions):
    form = small_form
    type_chinese(form.inputs["notes"], "周三下午再来")
    questions.during(lambda: click(qtbot, form, "取消"), QMessageBox.StandardButton.No)
    assert questions.asked == [DISCARD_QUESTION]
    assert form.isVisible() and form.inputs["notes"].toPlainText() == "周三下午再来"  # 否: keeps the dialog
    questions.during(lambda: click(qtbot, form, "取消"), QMessageBox.StandardButton.Yes)
    assert questions.asked == [DISCARD_QUESTION] * 2
    assert not form.isVisible() and form.result() == FormDialog.DialogCode.Rejected and form.saved == []


def test_esc_and_the_close_button_ask_too(small_form, qtbot, questions):
    form = small_form
    qtbot.keyClicks(form.inputs["phone"], "139")
    questions.during(lambda: qtbot.keyClick(form.inputs["phone"], Qt.Key.Key_Escape))
    assert questions.asked == [DISCARD_QUESTION] and form.isVisible()
    questions.during(lambda: form.windowHandle().close())  # as the window's close button does
    assert questions.asked == [DISCARD_QUESTION] * 2 and form.isVisible()
    questions.during(lambda: form.windowHandle().close(), QMessageBox.StandardButton.Yes)
    assert not form.isVisible()


def test_no_question_when_nothing_was_changed(small_form, qtbot, questions):
    form = small_form
    qtbot.keyClicks(form.inputs["phone"], "7")
    qtbot.keyClick(form.inputs["phone"], Qt.Key.Key_Backspace)  # typed and taken back: nothing changed
    questions.during(lambda: click(qtbot, form, "取消"))
    assert questions.asked == [] and not form.isVisible() and form.result() == FormDialog.DialogCode.Rejected


def test_esc_without_changes_closes_at_once(small_form, qtbot, questions):
    questions.during(lambda: qtbot.keyClick(small_form.inputs["name"], Qt.Key.Key_Escape))
    assert questions.asked == [] and not small_form.isVisible()


# --- real forms ---
@pytest.fixture
def wang(community):
    return residents.save({"name": "王洋", "community_id": community, "id_number": ID_WANG,
                           "building": "3号楼", "unit": "2", "room": "501"})


def test_resident_form_duplicate_id_named_under_the_field(qtbot, qt_settings, wang, questions):
    form = shown(qtbot, ResidentForm(None))
    type_chinese(form.name_edit, "孙丽")
    qtbot.keyClicks(form.id_edit, ID_WANG)
    qtbot.keyClicks(form.phone_edit, "13812345678")
    click(qtbot, form, "保存")
    message = form.errors["id_number"]
    assert "王洋" in message.text() and "不能重复登记" in message.text() and is_red(form.id_edit)
    assert_not_clipped(form, message)  # two lines in the field's column, whole
    assert "身份证号已登记给 王洋" in form.summary.text() and form.isVisible()
    assert Resident.select().count() == 1
    assert (form.name_edit.text(), form.id_edit.text(), form.phone_edit.text()) == ("孙丽", ID_WANG, "13812345678")

    qtbot.keyClick(form.id_edit, Qt.Key.Key_Backspace)
    assert not message.isVisible() and not is_red(form.id_edit) and form.summary.text() == ""
    questions.during(lambda: click(qtbot, form, "取消"))
    assert questions.asked == [DISCARD_QUESTION] and form.isVisible()
    questions.during(lambda: click(qtbot, form, "取消"), QMessageBox.StandardButton.Yes)
    assert not form.isVisible() and Resident.select().count() == 1


def test_resident_form_opened_and_closed_untouched_asks_nothing(qtbot, qt_settings, wang, questions):
    form = shown(qtbot, ResidentForm(None, wang))  # filled from the registry: not typed by the person
    questions.during(lambda: click(qtbot, form, "取消"))
    assert questions.asked == [] and not form.isVisible()


def test_facility_form_refused_cost_then_fixed(qtbot, qt_settings, community, questions):
    form = shown(qtbot, FacilityForm(None))
    type_chinese(form.name_edit, "中心花园座椅")
    qtbot.keyClicks(form.cost_edit, "1.234")
    form.installed_edit.setText("2025-05-01")
    click(qtbot, form, "保存")
    assert "两位小数" in form.errors["cost"].text() and form.errors["cost"].isVisible() and is_red(form.cost_edit)
    assert "费用" in form.summary.text() and Facility.select().count() == 0
    assert form.name_edit.text() == "中心花园座椅" and form.cost_edit.text() == "1.234"
    qtbot.keyClick(form.cost_edit, Qt.Key.Key_Backspace)
    assert not form.errors["cost"].isVisible() and not is_red(form.cost_edit)
    questions.during(lambda: click(qtbot, form, "关闭"))  # 关闭 here: history and photos are kept at once
    assert questions.asked == [DISCARD_QUESTION] and form.isVisible()
    click(qtbot, form, "保存")
    assert not form.isVisible() and facilities.get_form(form.saved_id)["cost"] == "1.23"


def test_volunteer_form_bad_phone(qtbot, qt_settings, community, questions):
    form = shown(qtbot, VolunteerForm(None))
    type_chinese(form.name_edit, "外来志愿者")
    qtbot.keyClicks(form.phone_edit, "12345")
    click(qtbot, form, "保存")
    assert "手机号" in form.errors["phone"].text() and is_red(form.phone_edit) and "手机号" in form.summary.text()
    assert Volunteer.select().count() == 0 and form.name_edit.text() == "外来志愿者"
    qtbot.keyClick(form.phone_edit, Qt.Key.Key_Backspace)
    assert not form.errors["phone"].isVisible() and form.summary.text() == ""
    questions.during(lambda: click(qtbot, form, "取消"), QMessageBox.StandardButton.Yes)
    assert questions.asked == [DISCARD_QUESTION] and not form.isVisible() and Volunteer.select().count() == 0


def test_a_step_dialog_refuses_without_a_reason(qtbot, qt_settings, community, questions):
    rid = service_desk.take_in({"contact_name": "王秀英", "category_id": service_desk.list_categories()[0][0],
                                "description": "顶楼漏雨"})
    service_desk.assign(rid, "赵国庆")
    service_desk.resolve(rid, {"resolution": "修补屋面防水层", "resolved_date": dt.date.today().isoformat(),
                               "solved": "解决"})
    dialog = shown(qtbot, reopen_dialog(None, rid))
    click(qtbot, dialog, "保存")
    assert "原因" in dialog.errors["reason"].text() and is_red(dialog.inputs["reason"])
    assert service_desk.get(rid)["status"] == "已办结"
    type_chinese(dialog.inputs["reason"], "仍然漏雨")
    assert not dialog.errors["reason"].isVisible()
    click(qtbot, dialog, "保存")
    assert not dialog.isVisible() and service_desk.get(rid)["status"] == "处理中"


def test_a_big_form_with_many_messages_still_fits_the_screen(qtbot, qt_settings, community):
    from community_desk.gui.windows.quarantine.case_form import CaseForm

    form = shown(qtbot, CaseForm(None))
    for key in ("id_number", "phone", "arrival_date", "planned_end", "verbal_notice_date", "written_notice_date"):
        form.inputs[key].setText("12")
    click(qtbot, form, "保存")
    area = QApplication.primaryScreen().availableGeometry()
    assert sum(label.isVisible() for label in form.errors.values()) >= 5
    assert form.height() <= area.height() - 40 and area.contains(form.frameGeometry())
    assert find_button(form, "保存").isVisible()
    first = form.errors["id_number"]
    assert first.height() >= first.heightForWidth(first.width())  # the rest scrolls; nothing is squeezed
