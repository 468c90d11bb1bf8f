"""Where the database lives: --db PATH, else $COMMUNITY_DESK_DB, else the user's data directory."""
from __future__ import annotations

import os
from pathlib import Path

ENV_VAR = "COMMUNITY_DESK_DB"
PASSWORD_ENV = "COMMUNITY_DESK_PASSWORD"


def default_database_path() -> Path:
    from platformdirs import user_data_dir  # only when neither --db nor the variable says where

    return Path(user_data_dir("CommunityDesk", appauthor=False)) / "community_desk.db"


def resolve_database_path(cli_value: str | None) -> Path:
    if cli_value:
        return Path(cli_value).expanduser()
    env = os.environ.get(ENV_VAR)
    if env:
        return Path(env).expanduser()
    return default_database_path()
