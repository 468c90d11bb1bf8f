"""The today view (今日): tests due, results pending, releases due today and tomorrow, special needs
from their lead time before their date, follow-ups not yet done. Each line acts in one or two clicks: select
it, press a button (阴性 / 阳性 / 期满解除 / 标记已办 / 正常); 阳性 asks first, with the sampling date
(dialogs.PositiveDialog); double-click opens the case. Gate fever entries not yet made a case show as a button
(门岗发热待转) that opens their list (gui.dialogs.links).

Positives awaiting transfer (阳性待转运) are not a sixth list: while there are any, a red line in the top row
names them ("阳性待转运 2 人：王伟、李娜") with 登记转运… and 同户密接…, whose dialogs ask whom when there are
several. The top row was there anyway, so the lists keep their height.

The five lists sit in two rows (three and two), each with its buttons under it: on the office's 1366 x 768 screen
(and in a window 1024 px wide) every list shows about six people and every button without scrolling.
Row heights follow 字号 (list_table.RowHeights): what a list shows, and the least height it keeps, are counted in
its rows as they are now high, not in ROW_HEIGHT (the height at 标准).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QEvent, QTimer, Signal
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ....core.queries import links
from ....core.queries import quarantine as cases
from ....core.queries import quarantine_items as items
from ....core.queries import quarantine_positive as positives
from ....core.rules.text import ValidationError
from ....core.session import PermissionDenied
from ... import tasks
from ...dialogs.base import show_error
from ...dialogs.links import FeverEntriesDialog
from ...messages import MessageLabel
from ...page import bus
from ...table_model import LazyTableModel
from .common import TABLE, changed, make_table, selected_ids
from .dialogs import RED_BOLD, ContactsDialog, FollowUpDialog, PositiveDialog, ReleaseDialog, TransferDialog

WIDTHS = {"releases": (64, 150, 90, 90, 110), "needs": (64, 110, 50, 220, 60)}
POSITIVE_NAMES_SHOWN = 3  # in the red line; the tooltip and the dialogs have them all
ROW_HEIGHT = 21  # px at 字号 标准; the header keeps it in step with the size chosen
MIN_ROWS = 4  # below this many rows a list would be useless: the page scrolls instead (a very short window)
# where each list sits: (row, column, column span) in a grid of three columns
PLACES = {"tests_due": (0, 0, 1), "results_pending": (0, 1, 1), "releases": (0, 2, 1),
          "needs": (1, 0, 1), "follow_ups": (1, 1, 2)}


class TodaySection(QGroupBox):
    def __init__(self, key: str, parent=None, today: Callable[[], dt.date] | None = None):
        title, headers = items.TODAY_SECTIONS[key]
        super().__init__(title, parent)
        self.setObjectName("todaySection")  # tighter frame (style.qss)
        self.key = key
        self.base_title = title
        day = today or dt.date.today  # a need's date reads against the view's day ('12-08（还有2天）')
        self.model = LazyTableModel(headers + ["案例"], lambda ids: items.load_today_rows(key, ids, day()), self)
        self.table = make_table(self.model, WIDTHS.get(key, (64, 150, 96, 50, 90)))
        self.table.setColumnHidden(len(headers), True)
        self.table.verticalHeader().setMinimumSectionSize(ROW_HEIGHT)  # else the header's own style sets 23-26 px
        self.table.verticalHeader().setDefaultSectionSize(ROW_HEIGHT)
        self.table.verticalHeader().hide()  # the row numbers say nothing here and cost a column
        self.fit_minimum()
        self.buttons = QHBoxLayout()
        self.buttons.setSpacing(4)
        self.buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 0, 6, 4)
        layout.setSpacing(4)
        layout.addWidget(self.table, 1)
        layout.addLayout(self.buttons)
        self.button: dict[str, QPushButton] = {}

    def chrome_height(self) -> int:
        """The table's height besides its rows: header, a horizontal scroll bar, the frame."""
        return (self.table.horizontalHeader().sizeHint().height()
                + self.table.horizontalScrollBar().sizeHint().height() + 2 * self.table.frameWidth())

    def row_height(self) -> int:
        """A row's height now: ROW_HEIGHT at 标准, more at 大 and 特大."""
        return self.table.verticalHeader().defaultSectionSize()

    def fit_minimum(self) -> None:
        """The table keeps room for MIN_ROWS rows (as high as they are now) besides its header and scroll bar."""
        self.table.setMinimumHeight(self.chrome_height() + MIN_ROWS * self.row_height())

    def visible_rows(self) -> int:
        """How many whole rows the table shows at its present size."""
        return max(self.table.viewport().height(), 0) // self.row_height()

    def changeEvent(self, event) -> None:  # noqa: N802 - Qt name
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            # 字号 changed: font_size.apply sets the rows' height after the font, so count once it has
            QTimer.singleShot(0, self, self.fit_minimum)

    def add_button(self, text: str, slot: Callable[[], None]) -> QPushButton:
        button = QPushButton(text)
        button.clicked.connect(slot)
        self.buttons.addWidget(button)
        self.button[text] = button
        return button

    def set_ids(self, ids: list[int]) -> None:
        self.model.set_ids(ids)
        self.setTitle(f"{self.base_title}（{len(ids)}）")

    def selected(self) -> list[int]:
        return selected_ids(self.table)

    def case_of(self, row_id: int) -> int | None:
        row = self.model.row_of(row_id)
        values = self.model.row_values(row) if row >= 0 else None
        return values[-1] if values else None


class PositivesLine(QFrame):
    """The red line of positives awaiting transfer, in the today view's top row; hidden while there are none."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("positivesLine")
        self.label = QLabel()
        self.label.setStyleSheet(RED_BOLD)
        self.case_ids: list[int] = []
        self.button: dict[str, QPushButton] = {}
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.label)
        self.hide()

    def add_button(self, text: str, slot: Callable[[], None]) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName("compactButton")
        button.setStyleSheet(RED_BOLD)
        button.clicked.connect(slot)
        self.layout().addWidget(button)
        self.button[text] = button
        return button

    def set_cases(self, rows: list[dict]) -> None:
        self.case_ids = [r["id"] for r in rows]
        names = [r["name"] for r in rows]
        shown = "、".join(names[:POSITIVE_NAMES_SHOWN]) + ("…" if len(names) > POSITIVE_NAMES_SHOWN else "")
        self.label.setText(f"{items.TODAY_SECTIONS['positives'][0]} {len(rows)} 人：{shown}")
        self.setToolTip("\n".join(f"{r['name']}  {r['address'] or ''}  "
                                   + (f"{r['positive_date']:%m-%d}采样阳性" if r["positive_date"] else "")
                                   for r in rows) + "\n请登记转运，并登记同户密接")
        self.setVisible(bool(rows))


class TodayView(QWidget):
    open_case = Signal(int)

    def __init__(self, parent=None, today: dt.date | None = None):
        super().__init__(parent)
        self._today = today
        self.queries = tasks.LatestQuery()
        self.summary = QLabel()
        self.message = MessageLabel()
        self.fever_button = QPushButton()
        self.fever_button.setObjectName("compactButton")
        self.fever_button.setStyleSheet("color: #c5221f; font-weight: bold;")
        self.fever_button.setToolTip("门岗测温 ≥37.3℃、尚未登记为自排人员的出入登记")
        self.fever_button.clicked.connect(self.show_fever_entries)
        self.fever_button.hide()
        self.sections = {key: TodaySection(key, self, lambda: self.today) for key in PLACES}
        self.positives = PositivesLine()
        self.positives.add_button("登记转运…", self._transfer)
        self.positives.add_button("同户密接…", self._contacts)
        s = self.sections
        s["tests_due"].add_button("已采样", lambda: self._tests("待出"))
        s["tests_due"].add_button("阴性", lambda: self._tests("阴性"))
        s["tests_due"].add_button("阳性", lambda: self._tests("阳性"))
        s["results_pending"].add_button("阴性", lambda: self._results("阴性"))
        s["results_pending"].add_button("阳性", lambda: self._results("阳性"))
        s["releases"].add_button("期满解除", self._release_on_time)
        s["releases"].add_button("其他方式解除…", self._release_other)
        s["needs"].add_button("标记已办", self._need_done)
        s["needs"].add_button("处理中", lambda: self._need_status("处理中"))
        s["follow_ups"].add_button("正常", lambda: self._follow_ups("正常"))
        s["follow_ups"].add_button("未联系上", lambda: self._follow_ups("未联系上"))
        s["follow_ups"].add_button("异常…", self._follow_up_abnormal)
        for section in s.values():
            section.table.doubleClicked.connect(lambda index, sec=section: self._open(sec, index.row()))
        grid = QGridLayout()
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(6)
        for key, (row, col, span) in PLACES.items():
            grid.addWidget(s[key], row, col, 1, span)
        for col in range(3):
            grid.setColumnStretch(col, 1)
        top = QHBoxLayout()
        top.addWidget(self.summary)
        top.addWidget(self.fever_button)
        top.addWidget(self.positives)
        top.addWidget(self.message, 1)
        lists = QWidget()
        lists.setLayout(grid)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(lists)
        scroll.viewport().setAutoFillBackground(False)  # the tab's own background, not the scroll area's grey
        lists.setAutoFillBackground(False)
        self.scroll = scroll
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.setSpacing(4)
        layout.addLayout(top)
        layout.addWidget(scroll, 1)
        bus.data_changed.connect(self._on_data_changed)
        self.refresh()

    @property
    def today(self) -> dt.date:
        return self._today or dt.date.today()

    def set_today(self, day: dt.date | None) -> None:
        self._today = day
        self.refresh()

    # --- loading ---
    def refresh(self) -> None:
        day = self.today
        self.queries.run(lambda: {"positives": positives.positive_cases(),
                                  **{key: items.today_ids(key, day) for key in PLACES}},
                         self._show, lambda exc: self.message.show_refusal(f"查询失败：{exc}"))
        self.show_fever_count()

    def show_fever_count(self) -> None:
        count = links.untaken_fever_count()
        self.fever_button.setText(f"门岗发热待转 {count} 人…")
        self.fever_button.setVisible(count > 0)

    def show_fever_entries(self) -> None:
        FeverEntriesDialog(self).exec()

    def _show(self, result: dict[str, list]) -> None:
        for key in PLACES:
            self.sections[key].set_ids(result[key])
        self.positives.set_cases(result["positives"])
        self.summary.setText(f"{self.today:%Y年%m月%d日}")  # each list's title carries its count

    def loaded(self) -> bool:
        return self.queries.done()

    def _on_data_changed(self, table: str) -> None:
        if table in (TABLE, "*"):
            self.refresh()
        elif table == "gate_entry":
            self.show_fever_count()

    # --- actions ---
    def _act(self, title: str, ids: list[int], fn: Callable[[int], None], done: str) -> None:
        if not ids:
            self.message.show_refusal("请先选中一行")
            return
        ok, refused = 0, []
        for rid in ids:
            try:
                fn(rid)
                ok += 1
            except ValidationError as exc:
                refused.append(exc.message)
            except PermissionDenied as exc:
                show_error(self, title, exc.message)
                return
        self.message.show_message(f"{done} {ok} 条" + (f"；{len(refused)} 条未办：{refused[0]}" if refused else ""),
                                  "refused" if refused else "ok")
        if refused:
            show_error(self, title, "\n".join(dict.fromkeys(refused)))
        if ok:
            changed()

    def _tests(self, result: str) -> None:
        if result == "阳性":
            self._positive("tests_due")
            return
        day = self.today
        fn = (lambda tid: items.mark_sampled(tid, day)) if result == "待出" else (
            lambda tid: items.record_result(tid, result, sampling_date=day))
        self._act("核酸检测", self.sections["tests_due"].selected(), fn, f"已登记{result if result != '待出' else '采样'}")

    def _results(self, result: str) -> None:
        if result == "阳性":
            self._positive("results_pending")
            return
        self._act("核酸结果", self.sections["results_pending"].selected(),
                  lambda tid: items.record_result(tid, result), f"已登记{result}")

    def _positive(self, key: str) -> None:
        """阳性 asks first: who, the sampling date (today for a test due, its own for a result pending), what follows."""
        section = self.sections[key]
        ids = section.selected()
        if not ids:
            self.message.show_refusal("请先选中一行")
            return
        tests = []
        for tid in ids:
            values = section.model.row_values(section.model.row_of(tid))
            sampled = values[4] if key == "results_pending" else None
            tests.append((tid, str(values[0]), dt.date.fromisoformat(str(sampled)[:10]) if sampled else None))
        dialog = PositiveDialog(self, tests, self.today)
        accepted = dialog.exec()
        if dialog.recorded:
            names = "、".join(t[1] for t in tests[:dialog.recorded])
            self.message.show_refusal(f"已登记阳性：{names}，转为{items.TODAY_SECTIONS['positives'][0]}，请登记转运")
            changed()
        elif not accepted:
            self.message.show_message("未登记阳性")

    def _transfer(self) -> None:
        dialog = TransferDialog(self, self.positives.case_ids, self.today)
        if dialog.exec():
            self.message.show_ok(dialog.summary)
            changed()

    def _contacts(self) -> None:
        dialog = ContactsDialog(self, self.positives.case_ids, self.today)
        dialog.exec()
        if dialog.added:
            self.message.show_ok(f"已登记密接 {dialog.added} 人")
            changed()

    def _release_on_time(self) -> None:
        day = self.today
        self._act("解除隔离", self.sections["releases"].selected(),
                  lambda cid: cases.release(cid, "期满解除", day, reason="期满核酸阴性"), "已期满解除")

    def _release_other(self) -> None:
        ids = self.sections["releases"].selected()
        if not ids:
            self.message.show_refusal("请先选中一行")
            return
        dialog = ReleaseDialog(self, ids, self.today, other_ways=True)
        if dialog.exec():
            self.message.show_message(dialog.summary, "refused" if dialog.refused else "ok")
            changed()

    def _need_done(self) -> None:
        self._act("特殊需求", self.sections["needs"].selected(),
                  lambda nid: items.update_need(nid, status="已办结"), "已办结")

    def _need_status(self, status: str) -> None:
        self._act("特殊需求", self.sections["needs"].selected(),
                  lambda nid: items.update_need(nid, status=status), f"已标记{status}")

    def _follow_ups(self, status: str) -> None:
        self._act("健康监测", self.sections["follow_ups"].selected(),
                  lambda fid: items.record_follow_up(fid, status, method="电话"), f"已登记{status}")

    def _follow_up_abnormal(self) -> None:
        ids = self.sections["follow_ups"].selected()
        if not ids:
            self.message.show_refusal("请先选中一行")
        elif FollowUpDialog(self, ids[0], "异常").exec():
            changed()

    def _open(self, section: TodaySection, row: int) -> None:
        rid = section.model.id_at(row)
        case_id = section.case_of(rid) if rid is not None else None
        if case_id:
            self.open_case.emit(int(case_id))
