"""Live updates in the window (issue 18): another PC's change refreshes the lists, an open form of a changed
record shows a yellow banner, and the status bar says who else is working. The Qt side of core/change_notices.py.

- Server mode: `start(window, url)` after the window is shown runs a change_notices.Listener (its own connection,
  a background thread; the GUI thread only receives its results through a queued signal, so it never waits).
- A read-only second copy of a database file: `start(window, None, follow_file=True)` reads the audit log every
  2 s instead (change_notices.FileFollower, on its own thread too); nothing is shown of who else is working (a
  file has no sessions to ask).
- Each change becomes the program's one signal, `bus.data_changed(table)` (list pages refresh the lists that
  declare the table); a line that changes no data (导出, 备份, 登录) refreshes only the audit log's page.
- FormDialog calls `form_shown(form)`; a form whose record another PC changes then shows the banner. Which record
  a form edits: its `watched_record()` if it has one, else FORM_RECORDS below.
"""
from __future__ import annotations

import time
import weakref

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QLabel, QWidget

from ..core import change_notices
from ..core.change_notices import Change
from .page import bus

GATHER_MS = 100  # changes arriving this close together refresh the lists once (a colleague's many small saves)
NO_DATA_ACTIONS = frozenset({"导出", "备份", "登录", "登录失败"})
AUDIT_TABLE = "audit_log"  # the audit page follows every change; named when a line changes no data
RESTORE_ACTION = "恢复"  # the whole database replaced: every list again ("*")

# form class -> (audit table, the attribute holding the record's id; None: a new record)
FORM_RECORDS: dict[str, tuple[str, str]] = {
    "ResidentForm": ("resident", "resident_id"),
    "FacilityForm": ("facility", "facility_id"),
    "CaseForm": ("quarantine_case", "case_id"),
    "VolunteerForm": ("volunteer", "volunteer_id"),
    "RequestForm": ("service_request", "request_id"),
    "RoundForm": ("service_round", "round_id"),
    "TeamForm": ("service_team", "team_id"),
}

BANNER_NAME = "changeBanner"
BANNER_STYLE = ("QLabel#changeBanner { background: #fff3c4; color: #5c4400; border: 1px solid #e6c35c; "
                "border-radius: 3px; padding: 6px 8px; }")

_live: LiveUpdates | None = None
_open_forms: weakref.WeakSet = weakref.WeakSet()
_floor: int | None = None  # the newest audit line at the login: what the lists then load is not news


def banner_text(change: Change) -> str:
    who = change.user or "另一台电脑上的同事"
    when = f"（{change.at}）" if change.at else ""
    if change.action == "删除":
        return f"{who} 刚刚删除了这条记录{when}"
    return f"{who} 刚刚修改了这条记录{when}，保存时会合并不冲突的修改"


def others_text(others: list[str]) -> str:
    """“另有 2 人在用：张敏@办公室1、李娜@门岗”, or nothing when no one else is."""
    return f"另有 {len(others)} 人在用：" + "、".join(others) if others else ""


def bus_table(change: Change) -> str:
    if change.action == RESTORE_ACTION:
        return "*"
    if change.action in NO_DATA_ACTIONS:
        return AUDIT_TABLE
    return change.table


# --- open forms ---------------------------------------------------------------------------------------------


def watched_record(form: QWidget) -> tuple[str, int] | None:
    own = getattr(form, "watched_record", None)
    if callable(own):
        return own()
    entry = FORM_RECORDS.get(type(form).__name__)
    if entry is None:
        return None
    record_id = getattr(form, entry[1], None)
    return (entry[0], record_id) if record_id else None


def form_shown(form: QWidget) -> None:
    """FormDialog's hook: this form is open; a change of its record by another PC shows the banner on it."""
    if watched_record(form) is not None:
        _open_forms.add(form)


def show_banner(form: QWidget, change: Change) -> QLabel:
    """The yellow line at the top of the form: who changed this record, when."""
    banner = form.findChild(QLabel, BANNER_NAME)
    if banner is None:
        banner = QLabel(form)
        banner.setObjectName(BANNER_NAME)
        banner.setStyleSheet(BANNER_STYLE)
        banner.setWordWrap(True)
        banner.setTextFormat(Qt.TextFormat.PlainText)
        form.layout().insertWidget(0, banner)
    banner.setText(banner_text(change))
    banner.show()
    return banner


def _tell_forms(changes: list[Change]) -> None:
    latest = {(c.table, c.record_id): c for c in changes if c.record_id is not None}
    for form in list(_open_forms):
        try:
            key = watched_record(form)
            change = latest.get(key) if key is not None and form.isVisible() else None
        except RuntimeError:  # the form's C++ side is gone
            continue
        if change is not None:
            show_banner(form, change)


# --- the running part ---------------------------------------------------------------------------------------


class LiveUpdates(QObject):
    """Receives the listener's changes and who else is working on the GUI thread and shows them."""

    arrived = Signal(object)  # list[Change], from the listener's thread
    others_seen = Signal(object)  # list[str]

    def __init__(self, window: QWidget | None = None):
        super().__init__(window)
        self.listener: change_notices.Listener | None = None
        self.follower: change_notices.FileFollower | None = None
        self.others: list[str] = []
        self.batches = 0  # tests and the measurements: how many batches arrived, and when the last one did
        self.last_arrival = 0.0
        self.status_label: QLabel | None = None
        self.pending: list[Change] = []
        self.gather = QTimer(self)
        self.gather.setSingleShot(True)
        self.gather.timeout.connect(self._apply_pending)
        self.arrived.connect(self.gathered, Qt.ConnectionType.QueuedConnection)
        self.others_seen.connect(self.show_others, Qt.ConnectionType.QueuedConnection)
        if window is not None and hasattr(window, "statusBar"):
            self.status_label = QLabel()
            self.status_label.setObjectName("othersWorking")
            self.status_label.setContentsMargins(12, 0, 0, 0)
            self.status_label.hide()
            window.statusBar().addPermanentWidget(self.status_label)

    def listen(self, url: str, safety_seconds: float = change_notices.SAFETY_SECONDS,
               tracker: change_notices.ChangeTracker | None = None) -> None:
        """Listen to the open database with its own connection parameters (a login's user and password among
        them); `url` when none is open."""
        from ..core.db import server_url
        from ..core.models import db_proxy

        url = server_url() or url
        params = getattr(db_proxy.obj, "connect_params", None) if server_url() == url else None
        self.listener = change_notices.Listener(url, self.arrived.emit, self.others_seen.emit,
                                                safety_seconds=safety_seconds, connect_params=params,
                                                tracker=tracker).start()

    def follow(self) -> None:
        self.follower = change_notices.FileFollower(self.arrived.emit).start()

    def stop(self) -> None:
        if self.listener is not None:
            self.listener.stop(wait=1.0)  # it looks at its stop flag twice a second
        if self.follower is not None:
            self.follower.stop()  # it may be reading: it ends after that, closing its own connection
        try:
            self.gather.stop()
            if self.status_label is not None:
                self.status_label.deleteLater()  # a start after this one adds its own
        except RuntimeError:  # deleted with the window
            pass

    def gathered(self, changes: list[Change]) -> None:
        """A batch from the listener: applied with whatever else arrives within GATHER_MS."""
        self.pending.extend(changes)
        if not self.gather.isActive():
            self.gather.start(GATHER_MS)

    def _apply_pending(self) -> None:
        changes, self.pending = self.pending, []
        self.apply(changes)

    def apply(self, changes: list[Change]) -> None:
        if not changes:
            return
        self.batches += 1
        self.last_arrival = time.perf_counter()
        for table in dict.fromkeys(bus_table(change) for change in changes):
            bus.data_changed.emit(table)
        _tell_forms(changes)

    def show_others(self, others: list[str]) -> None:
        self.others = list(others)
        if self.status_label is not None:
            text = others_text(self.others)
            self.status_label.setText(text)
            self.status_label.setToolTip(text)
            self.status_label.setVisible(bool(text))


def start(window: QWidget | None, url: str | None, *, follow_file: bool = False,
          safety_seconds: float = change_notices.SAFETY_SECONDS) -> LiveUpdates | None:
    """Server mode (url): listen for other PCs' changes; a read-only copy of a file (follow_file): read the audit
    log on a timer; else (the one copy writing a file) nothing to do."""
    global _live
    stop()
    if url is None and not follow_file:
        return None
    _live = LiveUpdates(window)
    if url is not None:  # from the login on: a colleague's save while the lists first load is caught up
        _live.listen(url, safety_seconds, None if _floor is None else change_notices.ChangeTracker(_floor))
    else:
        _live.follow()
    return _live


def stop() -> None:
    global _live
    if _live is not None:
        _live.stop()
        _live = None


def current() -> LiveUpdates | None:
    return _live


def others_working() -> list[str]:
    """Who else has the program open on the server, as last seen (关于); empty on a file."""
    return list(_live.others) if _live is not None else []


def logged_in(user: str) -> None:
    """After the login (server mode): this program's connections carry the person's and the PC's name, and the
    audit log's newest line is noted: the listener, started once the window is shown, catches up from there."""
    global _floor
    from ..core.models import db_proxy

    change_notices.working_as(user)
    change_notices.name_this_thread()
    try:
        with db_proxy.atomic():  # a refusal (a login that may not read the audit log) leaves no failed transaction
            _floor = change_notices.highest_audit_id(db_proxy.execute_sql)
    except Exception:  # noqa: BLE001 - then the listener starts from where the log stands when it connects
        _floor = None
