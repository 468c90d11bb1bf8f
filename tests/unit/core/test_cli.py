"""The scriptable commands: exit codes, demo data, export, bad input."""
import openpyxl

from community_desk.app import main
from community_desk.core.db import close_database, open_database


def run(db_path, *args):
    code = main(["--db", str(db_path), *args])
    close_database()
    return code


def test_demo_data_then_export(tmp_path, capsys):
    db_path = tmp_path / "x.db"
    assert run(db_path, "demo-data", "--residents", "300") == 0
    out = tmp_path / "r.xlsx"
    assert run(db_path, "export", "residents", "--out", str(out)) == 0
    ws = openpyxl.load_workbook(out, read_only=True).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[1][1] == "姓名"
    numbered = [r for r in rows[2:] if r and isinstance(r[0], int)]
    assert len(numbered) == 300
    assert "已导出 300 名居民" in capsys.readouterr().out


def test_demo_data_refuses_a_filled_database(tmp_path, capsys):
    db_path = tmp_path / "x.db"
    assert run(db_path, "demo-data", "--residents", "10") == 0
    assert run(db_path, "demo-data", "--residents", "10") == 2
    err = capsys.readouterr().err
    assert "空数据库" in err and "empty database" in err
    open_database(db_path)
    from community_desk.core.queries.residents import count_all
    assert count_all() == 10
    close_database()


def test_bad_export_arguments_exit_2(tmp_path, capsys):
    db_path = tmp_path / "x.db"
    open_database(db_path)  # a command needs an existing database (a missing one is its own error)
    close_database()
    assert run(db_path, "export", "nothing", "--out", str(tmp_path / "a.xlsx")) == 2
    assert run(db_path, "export", "residents", "--out", str(tmp_path / "a.csv")) == 2
    assert run(db_path, "export", "residents", "--out", str(tmp_path / "no" / "a.xlsx")) == 2
    err = capsys.readouterr().err
    assert "unknown export" in err and ".xlsx" in err and "folder does not exist" in err
    assert not (tmp_path / "a.xlsx").exists()


def test_version_and_env_var(tmp_path, monkeypatch, capsys):
    assert main(["--version"]) == 0
    assert "Community Desk" in capsys.readouterr().out
    monkeypatch.setenv("COMMUNITY_DESK_DB", str(tmp_path / "env.db"))
    assert main(["demo-data", "--residents", "5"]) == 0
    close_database()
    assert (tmp_path / "env.db").exists()


def test_once_accounts_exist_commands_need_a_login_to_write(tmp_path, capsys, monkeypatch):
    from community_desk.core.queries import accounts

    db_path = tmp_path / "x.db"
    open_database(db_path)
    accounts.create_account("admin", "张敏", "s3cret-pw")
    close_database()
    out = tmp_path / "r.xlsx"
    assert run(db_path, "demo-data", "--residents", "5") == 2
    assert "只读" in capsys.readouterr().err
    assert run(db_path, "export", "residents", "--out", str(out)) == 2
    monkeypatch.setenv("COMMUNITY_DESK_PASSWORD", "wrong")
    assert run(db_path, "--user", "admin", "demo-data", "--residents", "5") == 2
    assert "login failed" in capsys.readouterr().err
    monkeypatch.setenv("COMMUNITY_DESK_PASSWORD", "s3cret-pw")
    assert run(db_path, "--user", "admin", "demo-data", "--residents", "5") == 0
    assert run(db_path, "--user", "admin", "export", "residents", "--out", str(out)) == 0


def test_the_window_path_loads_no_command_module():
    """Starting the window reads only the global options: openpyxl and the demo generator stay unloaded."""
    import subprocess
    import sys

    code = ("import sys; from community_desk import app; a = app.parse_arguments(['--db', 'x.db']); "
            "print(a.command, a.db, sorted(m for m in sys.modules if m == 'openpyxl' "
            "or m.startswith(('community_desk.cli', 'community_desk.core.demo'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "None x.db []"
    code = "import sys; from community_desk import app; app.build_parser(); print('community_desk.cli' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout == "True\n"


def test_the_commands_are_an_explicit_list_in_a_fixed_order():
    """Every module of the cli package that declares commands or exports is in the registry's list, in order."""
    import importlib
    import pkgutil

    from community_desk import cli
    from community_desk.cli import export

    assert list(cli.COMMANDS) == ["demo-data", "export", "pdf", "backup", "restore", "import-ledger",
                                 "server-init", "server-upgrade"]
    assert list(cli.EXPORTS) == ["residents", "cleaning-roster", "quarantine-daily", "quarantine-daily-detailed",
                                 "duty-roster", "volunteers", "events", "facilities", "service-requests"]
    for info in pkgutil.iter_modules(cli.__path__):
        module = importlib.import_module(f"community_desk.cli.{info.name}")
        if hasattr(module, "COMMANDS") and module is not cli:
            assert module in cli.COMMAND_MODULES, info.name
        if hasattr(module, "EXPORTS") and module is not export:
            assert module in export.EXPORT_MODULES, info.name


def test_unknown_options_and_help_still_go_through_the_full_parser(capsys):
    assert main(["--bogus"]) == 2
    assert "unrecognized arguments: --bogus" in capsys.readouterr().err
    assert main(["--help"]) == 0
    assert "import-ledger" in capsys.readouterr().out  # the commands are listed
