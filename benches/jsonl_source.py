"""The documents of a .jsonl (or .jsonl.gz) corpus as framescope reads
them, for the generators in benches/: a byte-order mark skipped, blank
lines holding no document, and a clear one-line exit on a line that is
not a JSON object with a string "text"."""

import gzip
import json
import sys


def documents(path):
    """Each document's object, in order."""
    opener = gzip.open if path.endswith(".gz") else open
    try:
        # utf-8-sig: a byte-order mark is skipped, as framescope skips it.
        f = opener(path, "rt", encoding="utf-8-sig")
    except OSError as e:
        sys.exit(f"{path}: {e.strerror}; give a .jsonl or .jsonl.gz corpus")
    with f:
        for lineno, line in enumerate(f, 1):
            if not line.strip():
                continue  # a blank line holds no document, as framescope reads it
            try:
                d = json.loads(line)
            except json.JSONDecodeError as e:
                sys.exit(f"{path}:{lineno}: not JSON ({e.msg}); every line needs one object")
            if not isinstance(d, dict) or not isinstance(d.get("text"), str):
                sys.exit(f'{path}:{lineno}: no "text" string field; every line needs one')
            yield d
