"""Run database work off the GUI thread; the result comes back on the GUI thread.

`run_query` uses a thread pool for reads; `run_write` uses a single worker so that writes never
race each other (like Anki's QueryOp / CollectionOp). No widget is touched from a worker: the
callbacks run on the GUI thread through a queued signal. Each worker thread gets its own SQLite
connection (Peewee keeps one per thread) and closes it when the job is done.
"""
from __future__ import annotations

import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

from ..core.models import db_proxy

_read_pool: QThreadPool | None = None
_write_pool: QThreadPool | None = None
_live: set[_Relay] = set()


class _Relay(QObject):
    """Lives on the GUI thread; its slots run there when a worker emits (a queued connection)."""

    done = Signal(object)
    failed = Signal(object)

    def __init__(self, on_done, on_error):
        super().__init__()
        self.on_done = on_done
        self.on_error = on_error
        self.done.connect(self._deliver_done)
        self.failed.connect(self._deliver_error)

    @Slot(object)
    def _deliver_done(self, result) -> None:
        try:
            if self.on_done is not None:
                _call_unless_gone(self.on_done, result)
        finally:
            _live.discard(self)

    @Slot(object)
    def _deliver_error(self, exc) -> None:
        try:
            if self.on_error is not None:
                _call_unless_gone(self.on_error, exc)
            else:
                traceback.print_exception(exc)
        finally:
            _live.discard(self)


def _call_unless_gone(callback, value) -> None:
    """Deliver a result; if the window it was for has been closed meanwhile, drop it quietly."""
    try:
        callback(value)
    except RuntimeError as exc:
        if "already deleted" not in str(exc):
            raise


class _Job(QRunnable):
    def __init__(self, fn: Callable[[], Any], relay: _Relay):
        super().__init__()
        self.fn = fn
        self.relay = relay
        self.setAutoDelete(True)

    @Slot()
    def run(self) -> None:
        try:
            try:
                result = self.fn()
            except BaseException as exc:  # noqa: BLE001 - handed to the GUI thread
                exc.traceback_text = traceback.format_exc()  # type: ignore[attr-defined]
                self.relay.failed.emit(exc)
            else:
                self.relay.done.emit(result)
        except RuntimeError as exc:  # the program is closing: nobody is left to take the result
            if "deleted" not in str(exc):
                raise
        finally:
            db = db_proxy.obj
            if db is not None and not db.is_closed():
                db.close()


def _pool(write: bool) -> QThreadPool:
    global _read_pool, _write_pool
    if write:
        if _write_pool is None:
            _write_pool = QThreadPool()
            _write_pool.setMaxThreadCount(1)
        return _write_pool
    if _read_pool is None:
        _read_pool = QThreadPool()
        _read_pool.setMaxThreadCount(2)
    return _read_pool


def _start(fn, on_done, on_error, write: bool) -> None:
    relay = _Relay(on_done, on_error)
    _live.add(relay)
    _pool(write).start(_Job(fn, relay))


def run_query(fn: Callable[[], Any], on_done: Callable[[Any], None] | None = None,
              on_error: Callable[[BaseException], None] | None = None) -> None:
    _start(fn, on_done, on_error, write=False)


def run_write(fn: Callable[[], Any], on_done: Callable[[Any], None] | None = None,
              on_error: Callable[[BaseException], None] | None = None) -> None:
    _start(fn, on_done, on_error, write=True)


def wait_all(msecs: int = 30000) -> None:
    """Wait for running jobs (used at exit and by tests)."""
    for pool in (_read_pool, _write_pool):
        if pool is not None:
            pool.waitForDone(msecs)


class LatestQuery:
    """Runs a window's queries in the background and delivers only the newest result.

    When one types fast, an older search may finish after a newer one; its result is dropped.
    `done()` tells tests and benchmarks that the newest result is on screen."""

    def __init__(self) -> None:
        self.started = 0
        self.shown = 0

    def run(self, work: Callable[[], Any], on_result: Callable[[Any], None],
            on_error: Callable[[BaseException], None] | None = None) -> int:
        self.started += 1
        seq = self.started
        run_query(work, lambda result: self._deliver(seq, result, on_result), on_error)
        return seq

    def _deliver(self, seq: int, result: Any, on_result: Callable[[Any], None]) -> None:
        if seq < self.shown:
            return
        self.shown = seq
        on_result(result)

    def done(self) -> bool:
        return self.shown == self.started
