"""The fields of a dispatched list (市派台账): header synonyms, the header-row finder, and the
normalisation of one cell (IDs, phones, dates) with a Chinese reason when it cannot be normalised.
"""
from __future__ import annotations

import datetime as dt
import re

from ..rules.quarantine import MEASURES
from ..rules.text import ValidationError, to_halfwidth

HEADER_SYNONYMS: dict[str, tuple[str, ...]] = {
    "name": ("姓名", "人员姓名", "名字", "返京人员姓名"),
    "id_number": ("身份证号", "身份证号码", "证件号码", "证件号", "身份证", "公民身份号码", "身份证件号码"),
    "gender": ("性别",),
    "phone": ("联系电话", "手机号", "手机号码", "电话", "联系方式", "电话号码", "手机", "本人电话", "本人手机",
              "本人手机号", "本人联系电话"),
    "address": ("现居住地址", "居住地址", "现住址", "住址", "详细地址", "现居地址", "现居住地", "居住地"),
    "community": ("所属社区", "社区", "社区名称", "村/社区", "村居", "所属村居", "社区(村)"),
    "arrival_date": ("返京日期", "来京日期", "返京时间", "来京时间", "抵京日期", "抵京时间", "到京日期", "进京日期"),
    "origin": ("出发地", "来源地", "途经地", "来京出发地", "返京出发地"),
    "transport": ("交通方式", "交通工具", "车次/航班", "车次航班号", "乘坐交通工具"),
    "measure": ("管控措施", "措施", "管控方式", "管控类型"),
    "classification": ("人员分类", "人员类别", "分类", "类别", "人员类型"),
    "start_date": ("隔离起始日期", "隔离开始日期", "管控开始日期", "隔离起始时间", "隔离开始时间"),
    "notes": ("备注", "备注说明"),
}
REQUIRED = ("name", "id_number")
FIELD_LABELS = {"arrival_date": "返京日期", "start_date": "隔离起始日期"}
_LOOKUP = {syn: key for key, syns in HEADER_SYNONYMS.items() for syn in syns}
_PARENS = re.compile(r"[（(][^）)]*[）)]")
TOTAL_WORDS = ("合计", "总计", "小计", "共计")
EXCEL_EPOCH = dt.date(1899, 12, 30)


def header_key(text: object) -> str | None:
    """The field a header cell names: '身份证号码（18位）*' -> 'id_number'."""
    if not isinstance(text, str):
        return None
    cleaned = _PARENS.sub("", to_halfwidth(text))
    cleaned = re.sub(r"[\s*:：]", "", cleaned)
    return _LOOKUP.get(cleaned)


def find_header(rows: list[list], scan: int = 30) -> tuple[int, dict[str, int]] | None:
    """(row index, {field: column}) of the header row among the first `scan` rows, below any title
    rows; None when no row names both the name and the ID column."""
    best = None
    for index, row in enumerate(rows[:scan]):
        columns: dict[str, int] = {}
        for col, cell in enumerate(row):
            key = header_key(cell)
            if key and key not in columns:
                columns[key] = col
        if all(k in columns for k in REQUIRED) and (best is None or len(columns) > len(best[1])):
            best = (index, columns)
    return best


def sub_header(rows: list[list], index: int, columns: dict[str, int]) -> dict[str, int] | None:
    """A header split over two rows: merged cells such as 联系方式 over 本人电话 | 紧急联系人电话, or 返京信息 over
    返京日期 | 出发地 | 交通方式, with 姓名 and 身份证号 merged down both rows. The row under the header then names
    sub-columns and holds no person. Returns the columns with the sub-columns' names taking precedence over
    their parent's, or None when the row under the header is not such a row."""
    if index + 1 >= len(rows):
        return None
    below = rows[index + 1]

    def at(key: str) -> object:
        col = columns[key]
        return below[col] if col < len(below) else None

    if not is_blank([at(key) for key in REQUIRED]):
        return None  # a person: the first data row
    named: dict[str, int] = {}
    for col, cell in enumerate(below):
        key = header_key(cell)
        if key and key not in named:
            named[key] = col
    return {**columns, **named} if named else None


def is_blank(row: list) -> bool:
    return all(cell is None or (isinstance(cell, str) and not cell.strip()) for cell in row)


def is_total(row: list) -> bool:
    """A 合计 / 总计 row (合计：40 人) in any of the first few filled cells."""
    filled = [c for c in row if not (c is None or (isinstance(c, str) and not c.strip()))][:3]
    return any(isinstance(c, str) and to_halfwidth(c).strip().replace(" ", "").startswith(TOTAL_WORDS) for c in filled)


def cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return re.sub(r"\s+", " ", str(value)).strip()


_FULL = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_SHORT = re.compile(r"^(\d{1,2})\s*[月./-]\s*(\d{1,2})\s*日?$")


def parse_ledger_date(value: object, push_date: dt.date, label: str) -> dt.date | None:
    """A date cell as real dates, Excel serial numbers, or text: 2021.8.5, 2021/08/05, 2021年8月5日,
    20210805, and 8月5日 / 8.5 whose year is the push date's (the year before, when that would put the
    date more than a month after the push)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool):
        raise ValidationError(f"{label}“{value}”不是日期")
    if isinstance(value, int | float):
        if 20000 <= value <= 80000:  # 1954 .. 2119 as an Excel serial number
            return EXCEL_EPOCH + dt.timedelta(days=int(value))
        text = cell_text(value)
        if not _COMPACT.match(text):
            raise ValidationError(f"{label}“{text}”不是日期")
        value = text
    text = to_halfwidth(str(value)).strip()
    try:
        m = _FULL.match(text) or _COMPACT.match(text)
        if m:
            return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        m = _SHORT.match(text)
        if m:
            day = dt.date(push_date.year, int(m.group(1)), int(m.group(2)))
            if day > push_date + dt.timedelta(days=31):
                day = day.replace(year=push_date.year - 1)
            return day
    except ValueError:
        raise ValidationError(f"{label}“{text}”不存在") from None
    raise ValidationError(f"{label}“{text}”无法识别为日期，请写成 2021-08-05")


def parse_measure(value: object) -> str:
    text = cell_text(value)
    if not text:
        return ""
    for measure in MEASURES:
        if measure in text:
            return measure
    if "监测" in text:
        return "居家健康监测"
    raise ValidationError(f"管控措施“{text}”不认识，应为 {' / '.join(MEASURES)}")


_PUSH_DATE = re.compile(r"推送(?:日期|时间)\s*[:：]?\s*(\d{4})\s*[年./-]\s*(\d{1,2})\s*[月./-]\s*(\d{1,2})")
_SENDER = re.compile(r"推送单位\s*[:：]\s*(\S+)")


def title_info(rows: list[list]) -> tuple[dt.date | None, str]:
    """推送日期 and 推送单位 as the title rows above the header state them, if they do."""
    push_date, sender = None, ""
    for row in rows:
        for cell in row:
            if not isinstance(cell, str):
                continue
            text = to_halfwidth(cell)
            m = _PUSH_DATE.search(text)
            if m and push_date is None:
                try:
                    push_date = dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
                except ValueError:
                    pass
            m = _SENDER.search(text)
            if m and not sender:
                sender = m.group(1)[:60]
    return push_date, sender
