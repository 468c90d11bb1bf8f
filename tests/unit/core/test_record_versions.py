"""Two people, one record (issue 18): every form's save of a stored record writes only what that person changed,
over the version the form loaded. For each adapted save: A loads the record, B (another person) saves a change,
then A saves the form A loaded. Different fields merge; the same field changed to different values is an
EditConflict naming who changed it when, and nothing is lost. On SQLite and, with DESK_TEST_ENGINE=postgres, on
the server (the same `db` fixture)."""
from __future__ import annotations

import json

import pytest

from community_desk.core.errors import EditConflict
from community_desk.core.models import AuditLog
from community_desk.core.queries import residents, service_desk
from tests.record_forms import FORMS, A, B, loaded_then_theirs_saved, request


@pytest.mark.parametrize("name", list(FORMS))
def test_edits_of_different_fields_merge(community, name):
    form, record_id, loaded = loaded_then_theirs_saved(name, community)
    (theirs_field, theirs_value, _mine), (mine_field, mine_value) = form.first, form.second
    lines = AuditLog.select().count()
    form.save({**loaded, mine_field: mine_value}, record_id, loaded)  # A's form, loaded before B saved
    now = form.read(record_id)
    assert (str(now[theirs_field]), str(now[mine_field])) == (str(theirs_value), str(mine_value))  # nothing lost
    assert now["version"] == loaded["version"] + 2
    [line] = AuditLog.select().order_by(AuditLog.id.desc()).limit(AuditLog.select().count() - lines)
    assert (line.user, list(json.loads(line.changes))) == (A, [mine_field])  # only the field A wrote


@pytest.mark.parametrize("name", list(FORMS))
def test_the_same_field_changed_by_both_is_a_clash_with_who_and_when(community, name):
    form, record_id, loaded = loaded_then_theirs_saved(name, community)
    (field, theirs_value, mine_value), (other, other_value) = form.first, form.second
    stored = form.read(record_id)
    with pytest.raises(EditConflict) as caught:
        form.save({**loaded, field: mine_value, other: other_value}, record_id, loaded)
    conflict = caught.value
    [clash] = conflict.clashes
    assert (clash.field, clash.mine, clash.theirs, clash.who) == (field, mine_value, theirs_value, B)
    assert clash.label and clash.when is not None and clash.theirs_text == str(theirs_value)
    assert conflict.theirs["version"] == stored["version"] == loaded["version"] + 1
    assert form.read(record_id) == stored  # nothing written: B's value stays, A's other field waits
    # 用我的: the form saves again over the version just read
    form.save({**loaded, field: mine_value, other: other_value}, record_id, conflict.theirs)
    now = form.read(record_id)
    assert (now[field], str(now[other]), now["version"]) == (mine_value, str(other_value), stored["version"] + 1)


def test_a_save_with_nothing_changed_writes_nothing(community):
    rid = residents.save({"name": "王洋", "community_id": community})
    loaded = residents.get_form(rid)
    lines = AuditLog.select().count()
    residents.save(dict(loaded), rid, loaded=loaded)
    assert residents.get_form(rid)["version"] == loaded["version"] and AuditLog.select().count() == lines


def test_a_change_outside_the_form_moves_the_version(community):
    rid = request(community)
    loaded = service_desk.get(rid)
    service_desk.assign(rid, "张敏")  # 派单 is no form save, but the form must see it
    service_desk.update(rid, {**loaded, "description": "顶楼漏雨，已两天"}, loaded=loaded)
    assert service_desk.get(rid)["assigned_to"] == "张敏"
