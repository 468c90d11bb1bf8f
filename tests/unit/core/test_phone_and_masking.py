"""Phone normalisation and masking of personal data."""
import pytest

from community_desk.core.rules.masking import mask_id, mask_name, mask_phone
from community_desk.core.rules.phone import normalize_phone
from community_desk.core.rules.text import ValidationError


@pytest.mark.parametrize("raw, expected", [
    ("138 0013 8000", "13800138000"),
    ("+86 138-0013-8000", "13800138000"),
    ("１３８００１３８０００", "13800138000"),
    ("010-6789 1234", "010-67891234"),
    ("01067891234", "010-67891234"),
    (13800138000.0, "13800138000"),
    ("", ""),
])
def test_phone_forms_are_normalised(raw, expected):
    assert normalize_phone(raw) == expected


@pytest.mark.parametrize("raw", ["12345", "2380013800", "phone", "138001380001"])
def test_bad_phone_refused_with_its_text(raw):
    with pytest.raises(ValidationError) as err:
        normalize_phone(raw)
    assert raw in err.value.message


def test_masks():
    assert mask_id("11010519491231002X") == "110105********002X"
    assert mask_phone("13812345678") == "138****5678"
    assert mask_name("王小洋") == "王*洋"
    assert mask_name("王洋") == "王*"
