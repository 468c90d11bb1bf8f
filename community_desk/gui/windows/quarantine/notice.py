"""The quarantine notice (居家隔离通知) on A4, one page per person, for one case or a selection; and
the day's list as a printed sheet. Laid out by QTextDocument through gui.printing. No widget here: the
quarantine page's buttons and `pdf notices` / `pdf quarantine-day` print the same sheets."""
from __future__ import annotations

import datetime as dt
import html

from ....core.excel.residents_export import report_meta
from ....core.queries import quarantine_items as items
from ....core.queries import quarantine_report as report
from ....core.queries import settings as office_settings
from ....core.rules.masking import mask_id, mask_phone
from ... import printing

RULES = {
    "居家隔离": ["隔离期间不外出、不接待来访，家庭成员尽量分室居住，做好个人防护和室内通风。",
             "每日早晚各测一次体温，社区工作人员每日电话或上门了解健康状况，请如实告知。",
             "按下列日期在家中或指定地点配合核酸检测采样。",
             "生活垃圾装袋密封，放在门口由社区统一收运；生活物资由社区协助保障。",
             "如出现发热、干咳、乏力、咽痛、腹泻等症状，立即联系社区，不要自行就医。"],
    "居家健康监测": ["健康监测期间不聚集、不聚餐，不前往人员密集场所，非必要不离京。",
               "每日早晚各测一次体温，如实报告健康状况。",
               "按下列日期配合核酸检测采样。",
               "如出现发热、干咳等症状，立即联系社区并做好防护后就医。"],
    "集中隔离": ["请按通知时间前往指定集中隔离点，服从隔离点管理。", "按隔离点安排配合核酸检测。"],
}


def _d(day: dt.date | None) -> str:
    return f"{day:%Y年%m月%d日}" if day else "____年__月__日"


NOTICE_STYLE = """<style>
        h1 { font-size: 20pt; text-align: center; margin-bottom: 14px; }
        p.big, ol.big { font-size: 12.5pt; line-height: 160%; }
        table.sign td { font-size: 12pt; padding: 10px 0; }
        p.right { text-align: right; font-size: 12pt; margin-top: 24px; }
        </style>"""


def notice_pages(case_ids: list[int], mask: bool = False) -> list[tuple[str, str]]:
    """(page-footer label, HTML) of each person's notice, by address: each notice is a part of its own, numbered
    on its own (a person is handed 第 1 页，共 1 页, not page 5 of the office's 37)."""
    esc = html.escape
    office = office_settings.get("office_name") or "社区居委会"
    phone = office_settings.get("reporter_phone") or "________"
    pages = []
    for case in report.notice_rows(case_ids):
        tests = "、".join(f"{t['planned_date']:%m月%d日}" for t in items.tests_of(case.id) if not t["sampling_date"]) \
            or "另行通知"
        rules = "".join(f"<li>{esc(r)}</li>" for r in RULES.get(case.measure, RULES["居家隔离"]))
        worker = f"，健康监测责任人：{esc(case.follow_up_worker)}" if case.follow_up_worker else ""
        number = mask_id(case.id_number or "") if mask else case.id_number
        pages.append((f"{case.name} {case.measure}通知", f"""<html><head>{NOTICE_STYLE}</head><body>
        <h1>{esc(case.measure)}通知</h1>
        <p class="big"><b>{esc(case.name)}</b> 同志（身份证号 {esc(number or '________')}）：</p>
        <p class="big">　　根据疫情防控有关规定，您（居住地址：{esc(case.address or '________')}）须自
        <b>{_d(case.start_date)}</b> 起至 <b>{_d(case.planned_end)}</b> 止实行<b>{esc(case.measure)}</b>。
        期间请遵守以下要求：</p>
        <ol class="big">{rules}</ol>
        <p class="big">核酸检测日期：<b>{tests}</b></p>
        <p class="big">社区联系电话：{esc(phone)}{worker}</p>
        <p class="big">　　期满且核酸检测结果为阴性，由社区通知解除。感谢您的理解与配合！</p>
        <br><table width="100%" class="sign"><tr><td>被通知人（签字）：____________</td>
        <td>日期：____年__月__日</td></tr><tr><td>社区工作人员（签字）：____________</td>
        <td>日期：____年__月__日</td></tr></table>
        <p class="right">{esc(office)}（盖章）<br>{_d(dt.date.today())}</p></body></html>"""))
    return pages


def notice_document(case_ids: list[int], mask: bool = False) -> printing.Document:
    """The notices of these cases as one printed document (A4 portrait, a page per person); ID numbers as lists
    show them, or masked."""
    return printing.Document(f"居家隔离通知（{len(case_ids)} 份）", notice_pages(case_ids, mask),
                             landscape=False, font_pt=12)


def day_notices_document(day: dt.date, mask: bool = False) -> printing.Document:
    """The notices of everyone on the day's list (`pdf notices --date D`)."""
    return notice_document(report.daily_ids(day), mask)


# The printed day list: the columns that fit on A4 landscape at 8 pt, with their share of the width (percent). The
# test columns share TEST_SHARE; the dates are printed as 月-日.
DAY_LIST_COLUMNS = [("序号", 3), ("姓名", 5), ("性别", 3), ("年龄", 3), ("联系电话", 8), ("所属社区", 6),
                    ("现居住地址", 10), ("人员分类", 6), ("管控措施", 5), ("隔离起止", 6)]
DAY_LIST_TAIL = [("体温/健康状况", 7), ("特殊需求", 9), ("状态", 5)]
TEST_SHARE = 24


def _md(value) -> str:
    text = "" if value is None else str(value)
    return text[5:10] if len(text) >= 10 else text


def day_list_sheet(day: dt.date, mask: bool = False) -> printing.TableSheet:
    """The day's ledger as a printed sheet: the person, 所属社区, the period, every scheduled test (date and
    result), the latest follow-up, the needs and the status: the columns that fit on A4 landscape at 8 pt."""
    ids = report.daily_ids(day)
    test_days = report.report_test_days(ids)
    headers = report.daily_headers(test_days)
    at = {h: i for i, h in enumerate(headers)}
    tests = [at[report.nucleic_header(d)] for d in test_days]
    test_width = max(TEST_SHARE // max(len(tests), 1), 4)

    def row(r: tuple) -> tuple:
        fixed = [mask_phone(r[at[h]] or "") if mask and h == "联系电话" else r[at[h]] for h, _w in DAY_LIST_COLUMNS[:-1]]
        period = f"{_md(r[at['隔离起始日期']])}至{_md(r[at['计划解除日期']])}"
        return (*fixed, period, *(r[i] for i in tests), *(r[at[h]] for h, _w in DAY_LIST_TAIL))

    meta = report_meta(day)
    return printing.TableSheet(
        title=f"隔离管控台账（{day:%Y年%m月%d日}）",
        headers=[h for h, _w in DAY_LIST_COLUMNS] + [report.nucleic_header(d) for d in test_days] + [h for h, _w in DAY_LIST_TAIL],
        rows=(row(r) for r in report.daily_rows(ids, day, test_days)),
        subtitle=f"打印日期：{dt.date.today():%Y年%m月%d日}",
        footer=meta.footer(),
        column_widths=[w for _h, w in DAY_LIST_COLUMNS] + [test_width] * len(tests) + [w for _h, w in DAY_LIST_TAIL],
        font_pt=8)
