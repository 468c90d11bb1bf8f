"""Where the database lives: --db PATH, else $COMMUNITY_DESK_DB, else the user's data directory."""
from __future__ import annotations

import os
from pathlib import Path

ENV_VAR = "COMMUNITY_DESK_DB"
PASSWORD_ENV = "COMMUNITY_DESK_PASSWORD"


def default_database_path() -> Path:
    from platformdirs import user_data_dir  # only when neither --db nor the variable says where

    return Path(user_data_dir("CommunityDesk", appauthor=False)) / "community_desk.db"


def resolve_database_path(cli_value: str | None) -> Path | str:
    """The database: --db, else COMMUNITY_DESK_DB, else the user's data folder. A `postgresql://` URL (server mode)
    is returned as it is, a file path as a Path."""
    from .dialect import is_server_url

    for given in (cli_value, os.environ.get(ENV_VAR)):
        if given and is_server_url(given):
            return given
    if cli_value:
        return Path(cli_value).expanduser()
    env = os.environ.get(ENV_VAR)
    if env:
        return Path(env).expanduser()
    return default_database_path()
