"""Small shared pieces of the cleaning page: its tables are table_model.make_table_view, imported here as
make_table, and the selection helper."""
from __future__ import annotations

from ...table_model import make_table_view as make_table  # noqa: F401  (the package's tabs use these two)
from ...table_model import selected_ids  # noqa: F401
