"""Another PC, for the live-update tests (issue 18): a child process that opens the same database (a server URL or
a file), logs in as a colleague (its connections carry the name) and saves residents when told to, one JSON line
in and one out: {"name": …, "community_id": …, "id": record id or absent} -> {"id": …, "at": time.time()}.
Started with `Colleague(target, user)`; `quit()` ends it."""
from __future__ import annotations

import json
import subprocess
import sys

CHILD = r"""
import json, sys, time
from community_desk.core import change_notices, session
from community_desk.core.db import open_database
from community_desk.core.queries import residents

target, user = sys.argv[1], sys.argv[2]
open_database(target)
session.current = session.Session(user=user, role="管理员")
change_notices.working_as(user)
change_notices.name_this_thread()
print(json.dumps({"ready": True}), flush=True)
for line in sys.stdin:
    values = json.loads(line)
    record_id = values.pop("id", None)
    saved = residents.save(values, record_id) if record_id else residents.save(values)
    print(json.dumps({"id": saved or record_id, "at": time.time()}), flush=True)
"""


class Colleague:
    def __init__(self, target: str, user: str = "张敏"):
        self.process = subprocess.Popen([sys.executable, "-c", CHILD, str(target), user], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        assert json.loads(self._line()) == {"ready": True}

    def _line(self) -> str:
        line = self.process.stdout.readline()
        if not line:
            raise AssertionError(self.process.stderr.read()[-3000:])
        return line

    def save(self, **values) -> dict:
        """Save a resident (a new one, or `id=` an existing one); its id and the time the save returned."""
        self.process.stdin.write(json.dumps(values, ensure_ascii=False) + "\n")
        self.process.stdin.flush()
        return json.loads(self._line())

    def quit(self) -> None:
        if self.process.poll() is None:
            self.process.stdin.close()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
