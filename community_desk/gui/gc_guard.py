"""Garbage collection on the GUI thread only.

Python's cyclic garbage collector runs in whichever thread happens to allocate when a threshold is
crossed. With database work on worker threads (gui/tasks.py), that can be a worker, and a collected
cycle that holds a Qt object then destroys it off the GUI thread: a crash. So automatic collection is
switched off and done here, on a timer on the GUI thread, with the same generation thresholds
(the approach PyQt's documentation and pyqtgraph recommend).
"""
from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

INTERVAL_MS = 500

_collector: GuiThreadCollector | None = None


class GuiThreadCollector(QObject):
    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.threshold = gc.get_threshold()
        gc.disable()
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.check)
        self.timer.start(INTERVAL_MS)

    def check(self) -> None:
        counts = gc.get_count()
        if counts[0] > self.threshold[0]:
            generation = 0
            if counts[1] > self.threshold[1]:
                generation = 1
                if counts[2] > self.threshold[2]:
                    generation = 2
            gc.collect(generation)


def install(app: QObject) -> GuiThreadCollector:
    """Once per application: automatic collection off, collection on the GUI thread instead."""
    global _collector
    if _collector is None:
        _collector = GuiThreadCollector(app)
    return _collector
