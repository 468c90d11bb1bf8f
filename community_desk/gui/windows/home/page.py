"""The home page (工作台首页), first in the main window: today's numbers, each a click away from its
list, registration coverage per community, and charts that follow the data. While positives await transfer
(阳性待转运), a red line beside the date names them and opens 今日 (not a ninth tile: the tiles stay four to a
row, so the coverage box keeps its width in a 1024 px window).

The figures come from core.queries.dashboard on a worker thread. A click opens another module's page
through the main window, without importing it: the page that has the named method (e.g.
`show_open_cases`) is made current and the method applies the matching filter.
"""
from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtWidgets import QGridLayout, QGroupBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from ....core.queries import dashboard
from ... import font_size, tasks
from ...page import Page, bus
from .tiles import AlarmLine, CoverageLine, NumberTile

WEEKDAYS = "一二三四五六日"
REFRESH_MS = 5 * 60_000
TILE_COLUMNS = 4
POSITIVES = "阳性待转运"

# key: (caption, method of the page that lists it, its arguments)
TILES: dict[str, tuple[str, str, tuple]] = {
    "open_cases": ("在管隔离人员", "show_open_cases", ()),
    "tests_due": ("今日待核酸", "show_today", ("tests_due",)),
    "results_pending": ("待出结果", "show_today", ("results_pending",)),
    "releases": ("今明两日待解除", "show_today", ("releases",)),
    "needs": ("今日特殊需求", "show_today", ("needs",)),
    "open_requests": ("未办结诉求", "show_open_requests", ()),
    "cleaning": ("本周擦玻璃服务", "show_schedule", ()),
    "gate_gaps": ("本周门岗缺岗", "show_week_roster", ()),
}


class HomePage(Page):
    title = "工作台首页"

    def __init__(self, parent=None, today: dt.date | None = None):
        super().__init__(parent)
        self._today = today
        self.counts = tasks.LatestQuery()
        self._stale = False
        self.data: dashboard.Dashboard | None = None
        self.heading = QLabel()
        font_size.set_style(self.heading, "font-size: 16px; font-weight: bold;")  # grows with 字号
        self.message = QLabel()
        self.message.setObjectName("hintLabel")
        self.positives = AlarmLine()
        self.positives.clicked.connect(lambda: self.open_list("show_today", "positives"))
        self.tiles: dict[str, NumberTile] = {}
        grid = QGridLayout()
        grid.setSpacing(8)
        for key, (caption, method, args) in TILES.items():
            tile = NumberTile(caption)
            tile.clicked.connect(lambda _=False, m=method, a=args: self.open_list(m, *a))
            self.tiles[key] = tile
        self.tile_grid = grid
        self.tile_columns = 0
        self.place_tiles(TILE_COLUMNS)
        self.coverage_box = QGroupBox("登记覆盖（已登记户数 / 规划户数）")
        self.coverage_layout = QVBoxLayout(self.coverage_box)
        self.coverage_layout.setSpacing(2)
        self.coverage_lines: dict[int, CoverageLine] = {}
        self.charts = None  # built just after the numbers are shown (build_charts)

        top = QHBoxLayout()
        top.addWidget(self.heading)
        top.addSpacing(12)
        top.addWidget(self.positives)
        top.addStretch(1)
        top.addWidget(self.message)
        numbers = QHBoxLayout()
        self.tiles_box = QWidget()
        self.tiles_box.setLayout(grid)
        numbers.addWidget(self.tiles_box, 5)
        numbers.addWidget(self.coverage_box, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(numbers)
        self.charts_slot = QVBoxLayout()
        layout.addLayout(self.charts_slot, 1)
        bus.data_changed.connect(self._on_data_changed)
        self.clock = QTimer(self)  # left open overnight, "today" moves on: count again every few minutes
        self.clock.timeout.connect(lambda: self._on_data_changed("clock"))
        self.clock.start(REFRESH_MS)
        self._charts_shown = 0
        self._charts_timer = QTimer(self)  # owned by the page: never fires after it is gone
        self._charts_timer.setSingleShot(True)
        self._charts_timer.timeout.connect(lambda: self._load_charts(self.counts.shown))
        self.refresh()

    @property
    def today(self) -> dt.date:
        return self._today or dt.date.today()

    # --- loading ---
    def place_tiles(self, columns: int) -> None:
        """The tiles in rows of `columns` (four, fewer when a large 字号 makes them too wide to sit four abreast)."""
        if columns == self.tile_columns:
            return
        self.tile_columns = columns
        for tile in self.tiles.values():
            self.tile_grid.removeWidget(tile)
        for i, tile in enumerate(self.tiles.values()):
            self.tile_grid.addWidget(tile, i // columns, i % columns)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt name
        super().resizeEvent(event)
        self.fit_tiles()

    def changeEvent(self, event) -> None:  # noqa: N802 - Qt name
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):  # 字号 changed: the tiles' widths too
            QTimer.singleShot(0, self, self.fit_tiles)  # not after the page is gone

    def fit_tiles(self) -> None:
        """As many tiles abreast as fit whole in the room there is (at most four, at least two)."""
        spacing = self.tile_grid.spacing()
        need = max(tile.needed_width() for tile in self.tiles.values()) + spacing
        room = self.tiles_box.width() + spacing
        self.place_tiles(max(2, min(TILE_COLUMNS, room // max(need, 1))))

    def build_charts(self) -> None:
        """Build the chart panel (once), imported only now: after the numbers are on screen."""
        if self.charts is not None:
            return
        from .charts import ChartsPanel

        self.charts = ChartsPanel()
        self.charts.tag_clicked.connect(lambda tag_id: self.open_list("show_filtered", tag_id=tag_id))
        self.charts_slot.addWidget(self.charts)

    def refresh(self) -> None:
        """The numbers first; the charts' series follow in a second query once the numbers are shown."""
        self._stale = False
        day = self.today
        self.counts.run(lambda: dashboard.load(day, charts=False), self._show,
                        lambda exc: self.message.setText(f"统计失败：{exc}"))

    def _load_charts(self, seq: int) -> None:
        if seq != self.counts.started:
            return
        self.build_charts()
        day = self.today
        tasks.run_query(lambda: dashboard.load(day, charts=True), lambda d: self._show_charts(seq, d))

    def _show_charts(self, seq: int, d: dashboard.Dashboard) -> None:
        if seq == self.counts.started:
            self.charts.show_data(d)
            self._charts_shown = seq
            self.settled.emit()

    def charts_loaded(self) -> bool:
        """True when the charts show the newest data."""
        return self.loaded() and self._charts_shown == self.counts.started

    def loaded(self) -> bool:
        return self.counts.done()

    def _on_data_changed(self, _table: str) -> None:
        if self.isVisible():
            self.refresh()
        else:
            self._stale = True  # counted again when the page is shown

    def showEvent(self, event) -> None:  # noqa: N802 - Qt name
        super().showEvent(event)
        if self._stale:
            self.refresh()

    def _show(self, d: dashboard.Dashboard) -> None:
        self.data = d
        self.heading.setText(f"今天 {d.today:%Y年%m月%d日} 星期{WEEKDAYS[d.today.weekday()]}")
        t = self.tiles
        self.positives.set_names(POSITIVES, d.positives, "请登记转运")
        t["open_cases"].set_number(f"{d.open_cases}", detail="人")
        t["tests_due"].set_number(f"{d.tests_due}", detail="人次，含逾期")
        t["results_pending"].set_number(f"{d.results_pending}", detail="份")
        t["releases"].set_number(f"{d.releases}", detail="人")
        t["needs"].set_number(f"{d.needs}", detail="件")
        t["open_requests"].set_number(f"{d.open_requests}", alarm=d.overdue_requests > 0,
                                      detail=f"其中逾期 {d.overdue_requests}" if d.overdue_requests else "无逾期",
                                      detail_alarm=d.overdue_requests > 0)
        t["cleaning"].set_number(f"{d.cleaning_done} / {d.cleaning_planned}", detail="完成 / 安排")
        if d.gate_posts:
            t["gate_gaps"].set_number(f"{d.gate_gaps}", alarm=d.gate_gaps > 0, detail="处")
        else:
            t["gate_gaps"].set_number("—", detail="尚未设置门岗")
        self._show_coverage(d.coverage)
        self.fit_tiles()
        self.count_changed.emit(self.status_text())
        self._charts_timer.start(0)  # after this paint

    def _show_coverage(self, coverage: list[dashboard.Coverage]) -> None:
        wanted = [c.community_id for c in coverage]
        for cid in list(self.coverage_lines):
            if cid not in wanted:
                self.coverage_lines.pop(cid).deleteLater()
        for c in coverage:
            line = self.coverage_lines.get(c.community_id)
            if line is None:
                line = CoverageLine(c.community_id)
                line.clicked.connect(lambda _=False, cid=c.community_id: self.open_list("show_filtered",
                                                                                      community_id=cid))
                self.coverage_lines[c.community_id] = line
            self.coverage_layout.removeWidget(line)
            self.coverage_layout.addWidget(line)
            line.set_figures(c.name, c.registered, c.planned)
        if not coverage:
            self.coverage_box.setTitle("登记覆盖：还没有社区")
        else:
            self.coverage_box.setTitle("登记覆盖（已登记户数 / 规划户数）")
        self.coverage_layout.setAlignment(Qt.AlignmentFlag.AlignTop)

    def status_text(self) -> str:
        d = self.data
        if d is None:
            return "正在统计…"
        return ((f"{POSITIVES} {len(d.positives)} 人，" if d.positives else "")
                + f"在管隔离 {d.open_cases} 人，今日待核酸 {d.tests_due}，未办结诉求 {d.open_requests}"
                + (f"（逾期 {d.overdue_requests}）" if d.overdue_requests else ""))

    # --- a click opens the list ---
    def open_list(self, method: str, *args, **kwargs) -> bool:
        """Make current the page that has `method` and call it; False when no page offers it."""
        window = self.window()
        pages = getattr(window, "pages", [])
        for row, page in enumerate(pages):
            if page is not self and callable(getattr(page, method, None)):
                window.nav.setCurrentRow(row)
                getattr(page, method)(*args, **kwargs)
                return True
        self.message.setText("该名单所在的模块未安装")
        return False
