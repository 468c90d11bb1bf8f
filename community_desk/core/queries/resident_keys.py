"""The registry's search keys held in memory, in name order, for a search as fast as one frame (issue 19).

A fragment typed into 居民台账 is looked for in every resident's search key (name, initials, full pinyin, ID
number, phone, address: table resident_search). In SQL that is a scan of the (sort_key, text) index, GLOB on each
key: 16-35 ms at 100,000 residents for a fragment that few keys hold (19701, 郭霞, wq), because the first 300
matches in name order are far apart. Here the keys are UTF-8 byte strings in name order, one key a line, and
`bytes.find` walks them at memory speed.

A fragment of digits only can match only inside a run of digits, one of letters only inside a run of letters, one
of Chinese only inside a run of non-ASCII characters, and any other (3号楼) only inside a word of the key that is
not all of one kind. So each key's runs of each kind are kept, runs apart by a space, and its mixed words: the
digits of 100,000 keys are about half their bytes, the letters a fifth, the mixed words (addresses) a third, and
a fragment is looked for in its own kind only (1-5 ms for a rare fragment, well under 1 ms for a common one).

The answer is the SQL path's, id for id: the same keys, read in the same order (sort key in code-point order,
then id), and a UTF-8 needle found in UTF-8 text only where the text holds the fragment (the typed text is
folded as the keys are and has no space or line break, so a match never runs from one run or key into the next).

The keys are a copy: whoever holds one must drop it when the residents change (ResidentsPage does, on every
data change it is told of, and loads them again). About 11 MB at 100,000 residents.
"""
from __future__ import annotations

import re
from array import array
from bisect import bisect_right
from itertools import accumulate, count
from operator import add, itemgetter

from ..dialect import binary_order, small_page_cache
from ..models import db_proxy
from .search_text import normalize_query

FETCH = 1000  # rows read at a time: the keys are built without holding every row as a Python tuple
# the kinds of text a fragment may be made of alone: (name, a fragment of it, what is not of it within a line),
# the last said of UTF-8 bytes (Chinese is made of bytes from 0x80 up)
KINDS = (("digits", re.compile(r"[0-9]+"), re.compile(rb"[^0-9\n]+")),
         ("letters", re.compile(r"[a-z]+"), re.compile(rb"[^a-z\n]+")),
         ("chinese", re.compile(r"[^\x00-\x7f]+"), re.compile(rb"[\x00-\x09\x0b-\x7f]+")))
# Any other fragment (3号楼, 1单元5, a digit and an x) lies within one word of a key (the words are apart by
# spaces; the typed text has none) that is not all of one kind: only those words are kept for it.
MIXED = "mixed"
ONE_KIND_WORD = re.compile(rb"(?<![^ \n])(?:[0-9]+|[a-z]+|[\x80-\xff]+)(?=[ \n])")


class _Lines:
    """One kind of text of every key, in name order: the lines joined, and where each line begins."""

    def __init__(self) -> None:
        self.starts = array("i")
        self.text = bytearray()  # (a bytearray finds as fast as bytes; not copied into one)

    def add(self, chunk: bytes) -> None:
        """Lines, each ended by a line break."""
        lines = chunk.split(b"\n")
        lines.pop()  # after the last line break
        # where line k begins: the lengths of the lines before it, and their k line breaks
        self.starts.extend(map(add, accumulate(map(len, lines), initial=len(self.text)), count()))
        self.starts.pop()  # where the next chunk begins
        self.text += chunk


class SearchKeys:
    """Every resident's search key in name order: `find` gives what search_ids gives for a text alone."""

    def __init__(self, ids: array, lines: dict[str, _Lines]):
        self._ids = ids  # resident id of each key, in name order
        self._lines = lines  # by kind (KINDS, MIXED): each key's text of that kind, a line each

    @classmethod
    def load(cls) -> SearchKeys:
        """Read the keys from the database (about 0.5 s at 100,000 residents, on a worker; 11 MB)."""
        ids = array("i")
        lines = {name: _Lines() for name in (*(kind[0] for kind in KINDS), MIXED)}
        with small_page_cache():
            cursor = db_proxy.execute_sql(f"SELECT resident_id, text FROM resident_search "
                                          f"ORDER BY {binary_order('sort_key')}, resident_id")
            while rows := cursor.fetchmany(FETCH):
                ids.extend(map(itemgetter(0), rows))
                # a key has no line break (the keys are folded as normalize_query folds the typed text)
                chunk = ("\n".join(map(itemgetter(1), rows)) + "\n").encode("utf-8")
                for name, _fragment, other in KINDS:
                    lines[name].add(other.sub(b" ", chunk))
                lines[MIXED].add(ONE_KIND_WORD.sub(b"", chunk))
        return cls(ids, lines)

    def __len__(self) -> int:
        return len(self._ids)

    def find(self, text: str, limit: int | None = None, descending: bool = False) -> list[int]:
        """Ids of the residents whose key holds the typed text, in name order (reversed when descending), the
        first `limit` of them. An empty text matches every key."""
        text = normalize_query(text)
        lines = self._lines[next((name for name, run, _other in KINDS if run.fullmatch(text)), MIXED)]
        needle = text.encode("utf-8")
        wanted = len(self._ids) if limit is None else max(limit, 0)
        if descending:
            return self._find_backwards(lines, needle, wanted)
        keys, starts, ids, found = lines.text, lines.starts, self._ids, []
        at = keys.find(needle)
        while at >= 0 and len(found) < wanted:
            row = bisect_right(starts, at) - 1
            found.append(ids[row])
            if row + 1 >= len(starts):
                break
            at = keys.find(needle, starts[row + 1])  # the next key: one match a resident
        return found

    def _find_backwards(self, lines: _Lines, needle: bytes, wanted: int) -> list[int]:
        keys, starts, ids, found = lines.text, lines.starts, self._ids, []
        at = keys.rfind(needle)
        while at >= 0 and len(found) < wanted:
            row = bisect_right(starts, at) - 1
            found.append(ids[row])
            if row == 0:
                break
            at = keys.rfind(needle, 0, starts[row] - 1)  # the key before: its line break excluded
        return found
