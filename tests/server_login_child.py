"""A second PC trying passwords (tests/integration/test_server_roles.py): logs in to the server `argv[1]` as
`argv[2]` with each of the passwords after it, as the login dialog would (core.queries.accounts.login), once the
file `argv[3]` exists (so that two children start together), and prints one line a try: OK or the refusal."""
from __future__ import annotations

import sys
import time
from pathlib import Path


def main() -> None:
    url, username, go, *passwords = sys.argv[1:]
    from community_desk.core import server_login
    from community_desk.core.queries import accounts

    server_login.use_server(url)
    while not Path(go).exists():
        time.sleep(0.01)
    for password in passwords:
        try:
            accounts.login(username, password)
            print("OK", flush=True)
        except accounts.LoginFailed as exc:
            print(exc.message, flush=True)


if __name__ == "__main__":
    main()
