"""Cyclic garbage is collected on the GUI thread only (a worker collecting a cycle with Qt objects crashes)."""
import gc
import weakref

from community_desk.gui import gc_guard


class Node:
    pass


def test_automatic_collection_is_off_and_the_gui_thread_collects(qapp):
    collector = gc_guard.install(qapp)
    assert not gc.isenabled() and collector.timer.isActive()
    a, b = Node(), Node()
    a.other, b.other = b, a  # a cycle only the collector can free
    ref = weakref.ref(a)
    del a, b
    saved = collector.threshold
    collector.threshold = (0, saved[1], saved[2])  # any allocation count now calls for a collection
    try:
        Node()
        collector.check()
    finally:
        collector.threshold = saved
    assert ref() is None
