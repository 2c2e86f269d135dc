"""The documents of a .jsonl (or .jsonl.gz) corpus as framescope reads
them, for the generators in benches/: a byte-order mark skipped, blank
lines holding no document, a lone surrogate escape (half of a UTF-16
pair, `\\ud83d` alone) read as U+FFFD, and a clear one-line exit on a
line that is not a JSON object with a string "text"."""

import gzip
import json
import re
import sys

# A \u escape of a UTF-16 half, paired or not: only a line with one can
# hold a lone half, which json.loads keeps as a surrogate code point that
# no UTF-8 file can be written with.
SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
SURROGATE = re.compile("[\ud800-\udfff]")


def mend(v):
    """`v` with every lone surrogate made U+FFFD, as framescope reads it
    (json.loads has joined the pairs already)."""
    if isinstance(v, str):
        return SURROGATE.sub("\ufffd", v)
    if isinstance(v, list):
        return [mend(x) for x in v]
    if isinstance(v, dict):
        return {mend(k): mend(x) for k, x in v.items()}
    return v


def documents(path, text_field="text"):
    """Each document's object, in order; `text_field` holds its text
    (framescope's --text-field)."""
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
            if SURROGATE_ESCAPE.search(line):
                d = mend(d)
            if not isinstance(d, dict) or not isinstance(d.get(text_field), str):
                sys.exit(f'{path}:{lineno}: no "{text_field}" string field; every line needs one')
            yield d
