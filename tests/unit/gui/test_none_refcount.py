"""Guard against the PySide6 6.12.0 / Python 3.11 bug: void Qt calls leaking references to None.

After about 5,000 leaked references the interpreter aborts ("deallocating None"). On 3.12+ None is
immortal and its count does not move; on 3.11 it must stay put over tens of thousands of calls.
"""
import sys

from PySide6.QtWidgets import QLabel


def test_void_qt_calls_do_not_eat_references_to_none(qapp):
    label = QLabel()
    for _ in range(200):  # warm up caches
        label.setText("x")
        label.update()
    before = sys.getrefcount(None)
    for i in range(30_000):
        label.setText("社区" if i % 2 else "工作台")
        label.resize(100 + i % 7, 20)
        label.update()
    after = sys.getrefcount(None)
    assert after >= before - 100, f"None lost {before - after} references over 90,000 void Qt calls"
