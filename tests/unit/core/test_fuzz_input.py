"""Random text and numbers thrown at the validators and the save path: a clear refusal or a clean save,
never an unhandled exception and never a partial write."""
import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from community_desk.core.models import AuditLog, Resident, ResidentSearch
from community_desk.core.queries import residents
from community_desk.core.rules.idcard import parse_id
from community_desk.core.rules.phone import normalize_phone
from community_desk.core.rules.resident import FormErrors, clean_resident, parse_date
from community_desk.core.rules.text import ValidationError

anything = st.one_of(st.none(), st.text(max_size=300), st.integers(), st.floats(allow_nan=True), st.booleans())
nasty_text = st.one_of(
    st.text(max_size=60),
    st.sampled_from(["'; DROP TABLE resident; --", "\x00\x01\x1f", "=1+1", "王" * 5000, "１１０１０５", "null",
                     "Robert'); --", "%", "_", "*", "[", "1e309", "\u202e反向"]),
)


@given(anything)
def test_id_parser_refuses_cleanly(raw):
    try:
        parse_id(raw)
    except ValidationError as exc:
        assert exc.message


@given(anything)
def test_phone_parser_refuses_cleanly(raw):
    try:
        normalize_phone(raw)
    except ValidationError as exc:
        assert exc.message


@given(anything)
def test_date_parser_refuses_cleanly(raw):
    try:
        parse_date(raw, "日期")
    except ValidationError as exc:
        assert "日期" in exc.message


@given(st.dictionaries(st.sampled_from(["name", "id_number", "phone", "birth_date", "gender", "building", "unit",
                                        "room", "address", "notes", "residence_status", "contact_preference",
                                        "disability", "household_number", "registered_address"]), nasty_text))
def test_resident_cleaner_never_crashes(form):
    form.setdefault("community_id", 1)
    try:
        cleaned = clean_resident(form, today=dt.date(2026, 11, 28))
    except FormErrors as exc:
        assert exc.errors and all(exc.errors.values())
    else:
        assert cleaned["name"] and len(cleaned["notes"]) <= 2000


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(form=st.fixed_dictionaries({"name": nasty_text, "phone": nasty_text, "notes": nasty_text,
                                   "id_number": nasty_text, "building": nasty_text}))
def test_save_writes_all_or_nothing(community, form):
    before = (Resident.select().count(), ResidentSearch.select().count(), AuditLog.select().count())
    form["community_id"] = community
    try:
        residents.save(form)
    except FormErrors:
        after = (Resident.select().count(), ResidentSearch.select().count(), AuditLog.select().count())
        assert after == before
    else:
        after = (Resident.select().count(), ResidentSearch.select().count(), AuditLog.select().count())
        assert after == (before[0] + 1, before[1] + 1, before[2] + 1)


def test_ten_megabyte_notes_are_refused_with_the_length(community):
    try:
        residents.save({"name": "王洋", "community_id": community, "notes": "字" * 10_000_000})
    except FormErrors as exc:
        assert "最多 2000 个字" in exc.errors["notes"]
    else:
        raise AssertionError("10 MB of notes were accepted")
    assert Resident.select().count() == 0
