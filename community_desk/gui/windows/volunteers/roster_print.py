"""The printed week roster (门岗值守排班表): A4 landscape, a grid of posts x days with the lead and the
volunteers of each shift, then the sign-in sheet with a 签字 column for every shift.

Laid out as HTML and printed through gui.printing, the one print path (preview, PDF, paper). No widget here: the
roster tab's buttons and `pdf duty-roster` print the same document.
"""
from __future__ import annotations

import datetime as dt
import html

from ....core.excel.residents_export import report_meta
from ....core.excel.volunteers_export import (
    SIGN_HEADERS,
    day_headers,
    roster_grid_rows,
    roster_title,
    sign_rows,
)
from ....core.queries import duty
from ....core.rules.volunteers import week_start
from ... import printing

FONT_PT = 9.0


def roster_maker(day: dt.date):
    """The HTML maker of the week's roster (gui.printing.Tables keeps each footer with its table)."""
    monday = week_start(day)
    esc = html.escape
    meta = report_meta()
    grid = roster_grid_rows(monday, separator="\n")
    head = "<tr>" + "".join(f"<th>{esc(h)}</th>" for h in ["门岗", "时段", *day_headers(monday)]) + "</tr>"
    body = []
    for row in grid:
        cells = [f"<td><b>{esc(row[0])}</b></td>", f"<td>{esc(row[1]).replace(' ', '<br>')}</td>"]
        for text in row[2:]:
            lead, _sep, names = text.partition("\n")
            cells.append(f"<td><b>{esc(lead)}</b><br>{esc(names)}</td>" if text else "<td></td>")
        body.append(f"<tr>{''.join(cells)}</tr>")
    gaps = duty.week_gaps(monday)
    gap_text = ("排班缺口：" + "；".join(gaps)) if gaps else "各门岗均已排满。"
    sign_head = "<tr>" + "".join(f"<th>{esc(h)}</th>" for h in SIGN_HEADERS) + "</tr>"
    sign_body = ["<tr>" + "".join(f"<td>{esc(str(v))}</td>" for v in row[:-1])
                 + '<td width="14%">&nbsp;</td></tr>' for row in sign_rows(monday)]
    footer = f"填报单位：{esc(meta.office)}&emsp;&emsp;填报人：{esc(meta.reporter)}&emsp;&emsp;填报日期：{meta.date:%Y年%m月%d日}"

    def make(tables: printing.Tables) -> str:
        return f"""<html><head><style>
        h1 {{ font-size: {FONT_PT + 7}pt; text-align: center; margin: 0; }}
        h2 {{ font-size: {FONT_PT + 4}pt; text-align: center; margin: 0; }}
        p.sub {{ text-align: center; font-size: {FONT_PT + 1}pt; margin: 2px 0 6px 0; }}
        table {{ border-collapse: collapse; width: 100%; }}
        th {{ background: #dde8f5; font-weight: bold; }}
        th, td {{ border: 1px solid #555; padding: 3px; font-size: {FONT_PT}pt; vertical-align: top; }}
        td.sign {{ height: 22px; }}
        p.foot {{ font-size: {FONT_PT + 1}pt; margin-top: 8px; }}
        </style></head><body>
        <h1>{esc(roster_title(monday))}</h1>
        <p class="sub">每格：带班（工作人员）与值守志愿者</p>
        {tables.table(head, body)}
        <p class="foot">{esc(gap_text)}</p>
        <p class="foot">{footer}</p>
        <h2 style="page-break-before: always;">门岗值守签到表</h2>
        <p class="sub">{monday:%Y年%m月%d日}起一周，每班值守后由带班填写检查人数并签字</p>
        {tables.table(sign_head, sign_body, 'cellspacing="0" cellpadding="4" width="100%"')}
        <p class="foot">{footer}</p></body></html>"""
    return make


def roster_html(day: dt.date) -> str:
    return roster_maker(day)(printing.Tables())


def roster_document(day: dt.date) -> printing.Document:
    """The week's roster and sign-in sheet as one printed document (A4 landscape)."""
    monday = week_start(day)
    return printing.Document.single(roster_title(monday), roster_maker(monday), landscape=True, font_pt=FONT_PT)
