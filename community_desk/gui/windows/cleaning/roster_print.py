"""The printed service roster (服务花名册): one A4 sheet per team and day, like the office's paper form.

Header with the round, the date and the team; one line per visit (time slot, address and floor,
name masked as 王*洋 unless full names are chosen, contact method, windows, notes) and the empty
完成情况 and 居民签字 columns; the 服务要求 and a signature line for the team leader. Laid out as HTML by
gui/printing (the one print path), which numbers each sheet's pages under every page and, through its `Tables`,
keeps the lines under the list with its last rows rather than alone on a page.
"""
from __future__ import annotations

import datetime as dt
import html

from ....core.excel.residents_export import report_meta
from ....core.queries import cleaning, cleaning_visits
from ....core.rules.cleaning import date_text, weekday_text
from ....core.rules.masking import mask_name
from ... import printing

FONT_PT = 10.0
HEADERS = [("序号", 5), ("时段", 6), ("住址（楼层）", 25), ("姓名", 8), ("联系方式", 9), ("窗户数", 7),
           ("备注", 16), ("完成情况", 10), ("居民签字", 14)]
BLANK_ROWS = 2  # lines for a household added on the day
LIST_ATTRS = 'class="list" width="100%" cellspacing="0" cellpadding="3"'
STYLE = f"""
h1 {{ font-size: 17pt; text-align: center; margin: 0; letter-spacing: 2px; }}
p.office {{ text-align: center; font-size: {FONT_PT + 1}pt; margin: 2px 0 8px 0; }}
table.info {{ border-collapse: collapse; margin-bottom: 8px; }}
table.info td {{ border: 1px solid #333; padding: 4px 6px; font-size: {FONT_PT + 0.5}pt; }}
td.label {{ background: #eeeeee; font-weight: bold; }}
table.list {{ border-collapse: collapse; }}
table.list th {{ border: 1px solid #333; background: #e4e4e4; padding: 5px 2px; font-size: {FONT_PT}pt; }}
table.list td {{ border: 1px solid #333; padding: 9px 3px; font-size: {FONT_PT}pt; }}
td.c {{ text-align: center; }}
p.rules {{ font-size: {FONT_PT - 0.5}pt; margin-top: 8px; }}
p.sign {{ font-size: {FONT_PT + 1}pt; margin-top: 14px; }}
"""


def roster_title(round_id: int) -> str:
    info = cleaning.get_round(round_id)
    return f"{info['community']}居家无忧项目 擦玻璃服务花名册"


def roster_documents(round_id: int, day: dt.date | None = None, team_id: int | None = None,
                     full_names: bool = False) -> tuple[list[tuple[str, printing.Part]], int]:
    """One (footer label, HTML maker) per sheet (a team on a day) for a day and/or a team of the round, and the
    number of visits. The list is made with gui.printing.Tables, which keeps the 服务要求 and the signature line
    with the last rows of the list."""
    info = cleaning.get_round(round_id)
    meta = report_meta()
    sections = cleaning_visits.roster(round_id, day, team_id)
    documents: list[tuple[str, printing.Part]] = [
        (f"{section.team}　{date_text(section.day)}", _sheet_maker(info, meta, section, full_names))
        for section in sections]
    if not sections:
        what = f"{date_text(day)}" if day else "本批次"
        documents.append(("", f"<html><body><h1>擦玻璃服务花名册</h1><p>{html.escape(what)}没有已安排的上门服务。</p>"
                              "</body></html>"))
    return documents, sum(len(section.rows) for section in sections)


def _sheet_maker(info: dict, meta, section: cleaning_visits.RosterSection, full_names: bool):
    """The HTML maker of one team-day sheet (the rows are made once, here)."""
    esc = html.escape
    am = sum(1 for row in section.rows if row[0] == "上午")
    top = (f'<h1>{esc(info["community"])}居家无忧项目 擦玻璃服务花名册</h1>'
           f'<p class="office">{esc(meta.office)}</p>'
           '<table class="info" width="100%" cellspacing="0" cellpadding="4">'
           f'<tr><td class="label" width="12%">服务批次</td><td width="38%">{esc(info["name"])}</td>'
           f'<td class="label" width="12%">服务日期</td><td width="38%">{section.day:%Y年%m月%d日} '
           f'{weekday_text(section.day)}</td></tr>'
           f'<tr><td class="label">服务队</td><td>{esc(section.team)}</td>'
           f'<td class="label">带队人</td><td>{esc(section.leader)}</td></tr>'
           f'<tr><td class="label">队员</td><td>{esc(section.members)}</td>'
           f'<td class="label">服务户数</td><td>{len(section.rows)} 户（上午 {am} 户，下午 '
           f'{len(section.rows) - am} 户）</td></tr></table>')
    head = "<tr>" + "".join(f'<th width="{w}%">{esc(h)}</th>' for h, w in HEADERS) + "</tr>"
    body = []
    for i, (slot, address, _floor, name, method, windows, notes) in enumerate(section.rows, start=1):
        shown = name if full_names else mask_name(name)
        body.append(f'<tr><td class="c">{i}</td><td class="c">{esc(slot)}</td><td>{esc(address)}</td>'
                    f'<td class="c">{esc(shown)}</td><td class="c">{esc(method)}</td>'
                    f'<td class="c">{esc(str(windows))}</td><td>{esc(notes)}</td><td></td><td></td></tr>')
    body += ["<tr>" + "<td>&nbsp;</td>" * len(HEADERS) + "</tr>"] * BLANK_ROWS
    foot = ('<p class="rules">服务要求：工作人员自带拖鞋进门；先擦玻璃、纱窗，再擦窗台、护栏；'
            '完成后在“完成情况”栏写明完成或未完成原因，并请居民签字确认。</p>'
            '<p class="sign">带队人签字：______________' + "&nbsp;" * 10 + '完成日期：______年____月____日'
            + "&nbsp;" * 10 + f'填报人：{esc(meta.reporter)}</p>')

    def make(tables: printing.Tables) -> str:
        return (f"<html><head><style>{STYLE}</style></head><body>{top}"
                f"{tables.table(head, body, LIST_ATTRS)}{foot}</body></html>")
    return make


def roster_html(round_id: int, day: dt.date | None = None, team_id: int | None = None,
                full_names: bool = False) -> tuple[str, int]:
    """All sheets as one HTML text (for checks and the clipboard); returns (html, number of visits)."""
    documents, count = roster_documents(round_id, day, team_id, full_names)
    return "".join(doc(printing.Tables()) if callable(doc) else doc for _label, doc in documents), count


def roster_document(round_id: int, day: dt.date | None = None, team_id: int | None = None,
                    full_names: bool = False) -> tuple[printing.Document, int]:
    """The roster as one printed document (A4 portrait, each sheet numbered on its own) and the number of visits."""
    documents, count = roster_documents(round_id, day, team_id, full_names)
    return printing.Document(roster_title(round_id), documents, landscape=False, font_pt=FONT_PT,
                             margins_mm=(14, 12, 14, 12)), count
