"""Invisible characters (BOM, zero-width, bidi controls, C0/C1 controls) are removed from every field by one
function, core.rules.text.strip_invisible, used by clean_text, ID numbers and phones."""
import datetime as dt

from community_desk.core.rules.idcard import make_id, parse_id
from community_desk.core.rules.phone import normalize_phone
from community_desk.core.rules.text import clean_multiline, clean_text, strip_invisible

NUMBER = make_id("110111", dt.date(1980, 1, 1), 7)


def test_invisible_characters_are_removed():
    dirty = "\ufeff王\u200b伟\u200c\u200d\u2060\u202a\u202e\u2066\u2069\x07\x85"
    assert strip_invisible(dirty) == "王伟"
    assert clean_text(f" {dirty} ") == "王伟"
    assert clean_multiline(f"{dirty}\n第二行\u200b") == "王伟\n第二行"


def test_id_wrapped_in_bom_and_zero_width_space_is_accepted():
    assert parse_id(f"\ufeff{NUMBER}\u200b").number == NUMBER
    assert parse_id(f"\u202a{NUMBER[:6]}\u2060{NUMBER[6:]}\u202c").number == NUMBER


def test_phone_with_invisible_characters():
    assert normalize_phone("\ufeff138\u200b0013\u20688000") == "13800138000"


def test_full_width_forms_become_ascii_and_nothing_else_changes():
    from community_desk.core.rules.text import to_halfwidth

    assert to_halfwidth("１１０１０５１９６８０１０１１２３Ｘ") == "11010519680101123X"
    assert to_halfwidth("１３８　００００　００００") == "138 0000 0000"
    assert to_halfwidth("ＡＢｃ！～") == "ABc!~"
    assert to_halfwidth("张三，北京市（朝阳区）") == "张三,北京市(朝阳区)"  # full-width punctuation is ASCII's too
    assert to_halfwidth("\uff00\uff5f｡ 中文") == "\uff00\uff5f｡ 中文"  # just outside the full-width ASCII block
