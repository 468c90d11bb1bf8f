"""Every form that edits a stored record meets another person's save of it (issue 18): the form is open, another
person saves one field (through the core, as their form would), then this person types another value in that field
and one more edit and presses 保存. The clash dialog names the field; 用他的, pressed, puts their value in the field
(each form's own kind of input: check boxes, a picked resident, a spin box …) and keeps the other edit; 保存 then
stores both and nothing of theirs is lost. (Two real processes on the server: test_edit_conflict.py.)"""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from community_desk.gui.dialogs.edit_conflict import EditConflictDialog
from community_desk.gui.dialogs.field_form import set_widget_value
from community_desk.gui.windows.cleaning.round_form import RoundForm, TeamForm
from community_desk.gui.windows.cleaning.survey_form import SurveyForm
from community_desk.gui.windows.cleaning.visit_forms import VisitRecordDialog
from community_desk.gui.windows.facilities.form import FacilityForm
from community_desk.gui.windows.quarantine.case_form import CaseForm
from community_desk.gui.windows.residents.form import ResidentForm
from community_desk.gui.windows.service_desk.request_form import RequestForm
from community_desk.gui.windows.volunteers.form import VolunteerForm
from community_desk.gui.windows.volunteers.shift_dialog import ShiftDialog
from tests.record_forms import FORMS, A, B, as_user
from tests.windows import answer_dialog

OPEN = {
    "resident": lambda _f, rid: ResidentForm(None, rid),
    "volunteer": lambda _f, vid: VolunteerForm(None, vid),
    "facility": lambda _f, fid: FacilityForm(None, fid),
    "service_request": lambda _f, rid: RequestForm(None, rid),
    "survey": lambda f, _sid: SurveyForm(f.made["round"], f.made["resident"]),
    "service_round": lambda _f, rid: RoundForm(None, rid),
    "visit": lambda _f, vid: VisitRecordDialog(vid),
    "quarantine_case": lambda _f, cid: CaseForm(None, cid),
    "duty_shift": lambda _f, sid: ShiftDialog(sid),
    "service_team": lambda _f, tid: TeamForm(None, tid),
}


def test_every_record_form_is_covered():
    assert set(OPEN) == set(FORMS)


@pytest.mark.parametrize("name", list(FORMS))
def test_use_theirs_in_each_form_takes_their_value_and_keeps_my_other_edit(community, qt_settings, qtbot, name):
    form = FORMS[name]()
    record_id = form.make(community)
    as_user(A)
    dialog = OPEN[name](form, record_id)
    qtbot.addWidget(dialog)
    dialog.show()
    (field, theirs, mine), (other, other_mine) = form.first, form.second
    as_user(B)
    now = form.read(record_id)
    form.save({**now, field: theirs}, record_id, now)  # the other person saves first
    as_user(A)
    set_widget_value(dialog.inputs[field], mine)
    set_widget_value(dialog.inputs[other], other_mine)
    seen: list[list[str]] = []

    def use_theirs(box):
        assert isinstance(box, EditConflictDialog)
        seen.extend([box.table.item(r, c).text() for c in range(3)] for r in range(box.table.rowCount()))
        [button] = [b for b in box.findChildren(QPushButton) if b.text() == "用他的"]
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)

    answer_dialog(use_theirs)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert seen == [[dialog.labels[field], mine, theirs]]
    shown = dialog.values()
    assert dialog.isVisible() and shown[field] == theirs
    assert str(shown[other]) == other_mine  # my other edit is kept
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible(), dialog.summary.text()
    stored = form.read(record_id)
    assert (stored[field], str(stored[other])) == (theirs, other_mine)
