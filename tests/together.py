"""Two writers at once, for the tests of server mode: child processes started, each saying a first line when it
is ready (its connection open, its work prepared), then all released by one "go" on their stdin, so that their
writes meet on the server. The test waits for lines, never for time."""
from __future__ import annotations

import json
import subprocess
from collections.abc import Callable


def released_together(commands: list[list[str]], timeout: float = 120,
                      ready: Callable[[str], None] | None = None) -> list:
    """Run the commands, wait for each one's first line (`ready(line)` checks it; by default it must be `ready`),
    release them together, and return each one's last stdout line read as JSON. A child that fails fails the
    test with its stderr; none is left running."""
    children = [subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                 text=True) for command in commands]
    try:
        for child in children:
            line = child.stdout.readline()
            if not line:
                raise AssertionError(f"a child ended before it was ready:\n{child.stderr.read()[-3000:]}")
            if ready is None:
                assert line.strip() == "ready", child.stderr.read()[-3000:]
            else:
                ready(line)
        for child in children:
            child.stdin.write("go\n")
            child.stdin.flush()
        outputs = [child.communicate(timeout=timeout) for child in children]
    finally:
        for child in children:
            if child.poll() is None:
                child.kill()
    for child, (_out, err) in zip(children, outputs, strict=True):
        assert child.returncode == 0, err[-3000:]  # a refusal is the program's message, never a database error
    return [json.loads(out.strip().splitlines()[-1]) for out, _err in outputs]
