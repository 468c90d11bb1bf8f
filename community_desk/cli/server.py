"""`server-init`: a new PostgreSQL database made ready for the office (issue 17): the schema (open_database has
run the PostgreSQL migrations by then) and the first administrator; with --office and --communities also the
first start's questions, so that the window opens straight to its login.

    python main.py --db postgresql://desk@server/desk server-init --admin zhangmin --name 张敏 \
        [--office 长阳镇原乡小镇社区居委会 --communities 原乡小镇、金域缇香]

The password comes from $COMMUNITY_DESK_PASSWORD or is asked for in the terminal. A database that has accounts
already is refused (exit 2): the accounts are managed in the window then.

The URL's user is the database's owner (with CREATEROLE): migration 19 makes the group roles desk_admin,
desk_staff, desk_readonly and the gate desk_gate (core/server_roles.py), and the administrator's account gets its
login role with the password (issue 18). The PCs then log in with their own accounts; the owner's password stays
on the server.

`server-upgrade`, run with the owner's URL after the program was updated, brings the schema to this program's
version (the PCs' login roles may not change it) and makes the roles' grants and masked views again."""
from __future__ import annotations

import argparse

from ..core import session, vocabulary
from ..core.db import transaction
from ..core.migrations import LATEST_VERSION
from ..exit_codes import EXIT_OK
from .command import Command, CommandError


def _add(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--admin", required=True, help="the first administrator's user name")
    parser.add_argument("--name", default="", help="the administrator's name as shown (default: the user name)")
    parser.add_argument("--office", default="", help="填报单位 (with --communities: the first start's questions too)")
    parser.add_argument("--communities", default="", help="the communities served, separated by 、 or commas")


def _run(args: argparse.Namespace) -> int:
    from ..app import _password
    from ..core import server_login
    from ..core.models.base import db_proxy
    from ..core.queries import accounts, office_setup
    from ..core.server_db import shown_url

    _need_server()
    if bool(args.office) != bool(args.communities):
        raise CommandError("--office 和 --communities 要一起给出", "give both --office and --communities, or neither")
    password = _password()
    if not password:
        raise CommandError("请在环境变量 COMMUNITY_DESK_PASSWORD 中提供管理员的密码", "password needed")
    session.current = session.Session(user=args.name or args.admin, role=vocabulary.ROLE_ADMIN)
    with transaction():
        db_proxy.execute_sql("SELECT pg_advisory_xact_lock(17018)")  # two server-inits at once: one admin
        if accounts.has_accounts():
            raise CommandError("这个数据库已经有账号了，请在窗口的 管理 → 账号管理 中添加或修改账号",
                               "the database has accounts already")
        accounts.create_account(args.admin, args.name or args.admin, password, vocabulary.ROLE_ADMIN)
    if args.office:
        office_setup.set_up_office(args.communities, args.office, args.name or args.admin)
    url = shown_url(str(db_proxy.obj.database))
    print(f"已在 {url} 建好数据表（结构版本 {LATEST_VERSION}）和角色，并创建管理员 {args.admin}（登录角色 "
          f"{server_login.login_role(args.admin)}）"
          + ("，填好了首次设置" if args.office else "；首次在窗口中打开时再填写社区和填报单位"))
    return EXIT_OK


def _need_server() -> None:
    from ..core.dialect import is_postgres

    if not is_postgres():
        raise CommandError("server-init 和 server-upgrade 只用于数据库服务器（--db postgresql://…）；"
                           "数据库文件在窗口中首次启动时设置", "this command needs a postgresql:// database")


def _upgrade(_args: argparse.Namespace) -> int:
    from ..core import server_roles
    from ..core.db import transaction
    from ..core.models.base import db_proxy
    from ..core.server_db import shown_url

    _need_server()
    with transaction():  # open_database has run the migrations as the owner; the grants cover every table now
        db_proxy.execute_sql("SELECT pg_advisory_xact_lock(17017)")
        server_roles.grant_roles(db_proxy.obj)
    print(f"{shown_url(str(db_proxy.obj.database))} 的数据表已是结构版本 {LATEST_VERSION}，各角色的权限和脱敏视图已重新设置")
    return EXIT_OK


COMMANDS = (
    Command("server-init", "make a new PostgreSQL database ready: the schema, the roles and the first administrator",
            _add, _run),
    Command("server-upgrade", "bring a PostgreSQL database to this version and renew the roles' grants (the owner's URL)",
            lambda _parser: None, _upgrade),
)
