"""The documents of a corpus as framescope reads them, for the scripts in
benches/ (the generators, and compare.sh's scikit-learn side):

- a .jsonl (.jsonl.gz, .ndjson, .ndjson.gz) file: a byte-order mark
  skipped, blank lines holding no document, a lone surrogate escape
  (half of a UTF-16 pair, `\\ud83d` alone) read as U+FFFD;
- a .json (.json.gz) file: one array of objects (read whole), or JSON
  lines as above when its first byte is `{`;
- a .csv or .tsv (.csv.gz, .tsv.gz) file: a header, one document a row;
- a folder: the files manifest.csv lists (its `file` column, its other
  columns the metadata), or without one every .txt below it in path
  order, its id the file's stem.

Invalid UTF-8 is read as U+FFFD, as framescope reads it with --lossy
(without it, framescope refuses such a corpus and says so).

Each document is a dict of its fields, the text under `text_field`. A
corpus framescope would refuse ends the script with a clear one-line
message: a line that is not a JSON object, a document without a string
text."""

import csv
import gzip
import json
import os
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


def missing_text(d, text_field):
    """`d` with a null (or NaN) text made empty, as framescope reads it:
    pandas writes a missing text so."""
    if isinstance(d, dict) and text_field in d:
        t = d[text_field]
        if t is None or (isinstance(t, float) and t != t):
            d[text_field] = ""
    return d


def documents(path, text_field="text", name_fields=None, name_sep="_"):
    """Each document's fields, in order; `text_field` holds its text
    (framescope's --text-field; a folder's is always `text`).
    `name_fields` (a list) reads a folder's metadata from its file names,
    as framescope's --name-fields and --name-sep."""
    if os.path.isdir(path):
        yield from folder_documents(path, text_field, name_fields, name_sep)
        return
    name = path.lower()
    if name.endswith((".csv", ".csv.gz", ".tsv", ".tsv.gz")):
        yield from csv_documents(path, text_field)
        return
    opener = gzip.open if name.endswith(".gz") else open
    if name.endswith((".json", ".json.gz")):
        # An array (its first byte past whitespace `[`), or JSON lines.
        with opener(path, "rt", encoding="utf-8-sig", errors="replace") as f:
            head = f.read(4096)
            while head.isspace() and (more := f.read(4096)):
                head = more
            f.seek(0)
            docs = json.load(f) if head.lstrip().startswith("[") else None
        if docs is not None:
            for i, d in enumerate(docs):
                d = missing_text(mend(d), text_field)
                if not isinstance(d, dict) or not isinstance(d.get(text_field), str):
                    sys.exit(f'{path}: object {i + 1}: no "{text_field}" string field; every object needs one')
                yield d
            return
    elif not name.endswith((".jsonl", ".jsonl.gz", ".ndjson", ".ndjson.gz")):
        sys.exit(f"{path}: give a .jsonl, .json, .csv or .tsv (any may be .gz) or a folder of .txt files")
    try:
        # utf-8-sig: a byte-order mark is skipped, as framescope skips it.
        f = opener(path, "rt", encoding="utf-8-sig", errors="replace")
    except OSError as e:
        sys.exit(f"{path}: {e.strerror}; give a .jsonl or .jsonl.gz corpus that exists")
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
            d = missing_text(d, text_field)
            if not isinstance(d, dict) or not isinstance(d.get(text_field), str):
                sys.exit(f'{path}:{lineno}: no "{text_field}" string field; every line needs one')
            yield d


def csv_documents(path, text_field):
    """The rows of a CSV (or TSV) corpus, as dicts of its header's names
    (trimmed, as framescope trims them)."""
    opener = gzip.open if path.lower().endswith(".gz") else open
    sep = "\t" if path.lower().endswith((".tsv", ".tsv.gz")) else ","
    try:
        f = opener(path, "rt", encoding="utf-8-sig", errors="replace", newline="")
    except OSError as e:
        sys.exit(f"{path}: {e.strerror}; give a .csv or .csv.gz corpus that exists")
    # A document's text may be any length (Python's csv refuses a field
    # over 128 KiB unless told).
    csv.field_size_limit(sys.maxsize)
    with f:
        rows = csv.reader(f, delimiter=sep)
        header = [h.strip() for h in next(rows, [])]
        if text_field not in header:
            sys.exit(f'{path}:1: no "{text_field}" column; name the text column with TEXT_FIELD')
        for row in rows:
            if len(row) != len(header):
                sys.exit(f"{path}:{rows.line_num}: {len(row)} fields where the header has {len(header)}")
            yield dict(zip(header, row))


def folder_documents(path, text_field, name_fields=None, name_sep="_"):
    """The files of a folder corpus, each a dict of its manifest row (the
    `file` column left out) or its id (the file's stem) and the fields
    its name's parts give, and its text."""
    manifest = os.path.join(path, "manifest.csv")
    if os.path.exists(manifest):
        with open(manifest, encoding="utf-8-sig", newline="") as f:
            rows = list(csv.DictReader(f))
        listed = []
        for row in rows:
            row = {k.strip(): v for k, v in row.items()}
            file = row.pop("file", None)
            if file is None:
                sys.exit(f"{manifest}: no `file` column")
            if not row.get("id", "").strip():
                row["id"] = os.path.splitext(os.path.basename(file))[0]
            listed.append((os.path.join(path, file), row))
    else:
        files = []
        for root, _, names in os.walk(path):
            files += [os.path.join(root, n) for n in names if n.endswith(".txt")]
        # Path order, relative paths compared bytewise, as framescope lists them.
        files.sort(key=lambda p: os.path.relpath(p, path).encode("utf-8", "surrogateescape"))
        listed = []
        for p in files:
            stem = os.path.splitext(os.path.basename(p))[0]
            row = {"id": stem}
            if name_fields:
                parts = stem.split(name_sep)
                if len(parts) != len(name_fields):
                    sys.exit(f"{p}: {len(parts)} parts separated by {name_sep!r}, {len(name_fields)} name fields")
                row.update((n, v) for n, v in zip(name_fields, parts) if n != "-")
            listed.append((p, row))
    for file, row in listed:
        with open(file, encoding="utf-8", errors="replace") as f:
            row[text_field] = f.read()
        yield row
