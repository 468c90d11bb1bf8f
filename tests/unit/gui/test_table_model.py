"""The shared lazy table model: Qt's model tester, block loading, bounded cache."""
from community_desk.gui import table_model
from community_desk.gui.table_model import LazyTableModel


def make_model(n, calls):
    def loader(ids):
        calls.append(list(ids))
        return {i: (f"名{i}", i * 2) for i in ids if i != 7}

    model = LazyTableModel(["姓名", "数"], loader)
    model.set_ids(list(range(n)))
    return model


def test_model_passes_qt_model_tester(qtmodeltester):
    model = make_model(1000, [])
    qtmodeltester.check(model, force_py=True)


def test_rows_load_in_blocks_on_demand(qapp):
    calls = []
    model = make_model(100_000, calls)
    assert model.rowCount() == 100_000
    assert calls == []  # nothing loaded until a row is shown
    assert model.data(model.index(5, 0)) == "名5"
    last = table_model.BLOCK - 1  # the same block as row 5
    assert model.data(model.index(last, 1)) == str(last * 2)
    assert len(calls) == 1 and len(calls[0]) == table_model.BLOCK
    model.data(model.index(99_999, 0))
    assert len(calls) == 2
    assert model.data(model.index(7, 0)) == "（已删除）"  # a row deleted since the search


def test_cache_is_bounded(qapp):
    model = make_model(100_000, [])
    for row in range(0, 100_000, table_model.BLOCK):
        model.data(model.index(row, 0))
    assert model.cached_block_count() == table_model.MAX_BLOCKS


def test_extending_ids_reloads_the_block_cut_short(qapp):
    calls = []
    rows = 4 * table_model.BLOCK + 30
    model = make_model(rows, calls)
    assert model.data(model.index(rows - 1, 0)) == f"名{rows - 1}"  # the last block cached with 30 rows
    model.extend_ids(list(range(rows, rows + 50)))
    assert model.rowCount() == rows + 50
    assert model.data(model.index(rows + 49, 0)) == f"名{rows + 49}"


def test_only_the_newest_query_result_is_delivered(qtbot):
    import threading

    from community_desk.gui import tasks

    release_first = threading.Event()
    shown = []
    latest = tasks.LatestQuery()
    latest.run(lambda: (release_first.wait(5), "old")[1], shown.append)  # a slow, older search
    latest.run(lambda: "new", shown.append)
    qtbot.waitUntil(lambda: shown == ["new"])
    assert latest.done()
    release_first.set()
    tasks.wait_all()
    qtbot.wait(50)
    assert shown == ["new"]  # the older result, arriving late, was dropped


def test_the_one_table_view_over_a_model(qapp):
    from PySide6.QtWidgets import QAbstractItemView, QHeaderView

    model = make_model(100_000, [])
    table = table_model.make_table_view(model, (120, 60))
    assert table.model() is model
    assert [table.columnWidth(0), table.columnWidth(1)] == [120, 60]
    assert table.selectionBehavior() == QAbstractItemView.SelectionBehavior.SelectRows
    assert table.editTriggers() == QAbstractItemView.EditTrigger.NoEditTriggers
    assert table.alternatingRowColors() and table.horizontalHeader().stretchLastSection()
    rows = table.verticalHeader()
    assert rows.sectionResizeMode(0) == QHeaderView.ResizeMode.Fixed and rows.defaultSectionSize() == table_model.ROW_HEIGHT
    assert table.horizontalHeader().resizeContentsPrecision() == 100
