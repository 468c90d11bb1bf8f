"""GB 11643-1999 ID rules: length, area, birth date, check digit, x/X, full-width and spaces."""
import datetime as dt

import pytest

from community_desk.core.rules.idcard import check_digit, make_id, normalize_id, parse_id
from community_desk.core.rules.text import ValidationError

VALID = "11010519491231002X"  # the standard's own example


def test_valid_id_gives_birth_date_and_gender():
    info = parse_id(VALID)
    assert info.number == VALID
    assert info.birth_date == dt.date(1949, 12, 31)
    assert info.gender == "女"


def test_male_from_odd_sequence_digit():
    number = make_id("110111", dt.date(1980, 5, 6), 13)
    assert parse_id(number).gender == "男"


def test_wrong_check_digit_names_the_expected_one():
    with pytest.raises(ValidationError) as err:
        parse_id("110105194912310021")
    assert "最后一位应为 X" in err.value.message


def test_lower_case_x_full_width_digits_and_spaces_are_normalised():
    full_width = "１１０１０５ １９４９１２３１ ００２x"
    assert parse_id(full_width).number == VALID
    assert normalize_id(" 110105-19491231-002x ") == VALID


@pytest.mark.parametrize("raw, fragment", [
    ("11010519491331002X", "出生日期"),         # month 13
    ("11010519490230002X", "出生日期"),         # 30 February
    ("1101051949123100", "18 位"),
    ("99010519491231002X", "地区码"),
    ("1101051949123100AX", "数字"),
    ("", "为空"),
])
def test_invalid_ids_say_what_is_wrong(raw, fragment):
    with pytest.raises(ValidationError) as err:
        parse_id(raw)
    assert fragment in err.value.message


def test_future_birth_date_refused():
    number = make_id("110111", dt.date(2030, 1, 1), 1)
    with pytest.raises(ValidationError, match="不合理"):
        parse_id(number, today=dt.date(2026, 11, 28))


def test_id_stored_as_number_is_never_repaired():
    with pytest.raises(ValidationError, match="数字"):
        normalize_id(1.10105194912310e17)


def test_check_digit_matches_known_values():
    assert check_digit("11010519491231002") == "X"
    assert check_digit("44052418800101001") == "4"  # 440524188001010014, a textbook example
