#!/usr/bin/env python3
"""Write a corpus shaped like a collection of press releases: each
document of a .jsonl corpus is cut at paragraph breaks into pieces of
at least MIN_BYTES bytes of text (the last piece of a document takes
what is left), each piece a document of its own with every field of
its source (the id gets `#K`, K the piece's number). With COPIES above
1 the whole is written that many times, the copy's number in the id
(`~C`): 1 GB "built from" a corpus by repeating its documents, so that
documents keep their size, where benches/gen-corpus.py draws paragraphs
into documents of its own sizes.

Deterministic: the same input gives the same bytes.

Usage:
  benches/press-releases.py IN.jsonl OUT.jsonl [MIN_BYTES [COPIES]]

The figures in the README: IN is target/bench/wh-real.jsonl (the real
corpus decompressed), MIN_BYTES 1800: 71,786 documents of about 2 KB,
152 MB; with COPIES 7, 502,502 documents, 1.07 GB.
"""

import json
import sys

from corpus_source import documents


def pieces(text, min_bytes):
    """The text cut at line breaks into pieces of at least `min_bytes`
    bytes (the last one may be shorter)."""
    cur, size = [], 0
    for para in text.split("\n"):
        cur.append(para)
        size += len(para.encode("utf-8"))
        if size >= min_bytes:
            yield "\n".join(cur)
            cur, size = [], 0
    if cur:
        yield "\n".join(cur)


def main():
    if len(sys.argv) not in (3, 4, 5):
        sys.exit(__doc__.strip())
    src, out = sys.argv[1], sys.argv[2]
    try:
        min_bytes = int(sys.argv[3]) if len(sys.argv) > 3 else 1800
        copies = int(sys.argv[4]) if len(sys.argv) > 4 else 1
    except ValueError:
        sys.exit("press-releases.py: MIN_BYTES and COPIES must be whole numbers")
    if min_bytes < 1 or copies < 1:
        sys.exit("press-releases.py: MIN_BYTES and COPIES must be at least 1")
    docs, n_src = [], 0
    for d in documents(src):
        n_src += 1
        # A document without an id is `textN` to framescope (N: its
        # number among the documents).
        raw = d.get("id")
        base = str(raw) if raw is not None and str(raw).strip() else f"text{n_src}"
        for k, piece in enumerate(pieces(d["text"], min_bytes)):
            doc = dict(d)
            doc["id"] = f"{base}#{k}"
            doc["text"] = piece
            docs.append(doc)
    n = 0
    with open(out, "w", encoding="utf-8", newline="\n") as w:
        for c in range(copies):
            for d in docs:
                if copies > 1:
                    d = dict(d)
                    d["id"] = f"{d['id']}~{c}"
                w.write(json.dumps(d, ensure_ascii=False) + "\n")
                n += 1
    print(f"{out}: {n} documents", file=sys.stderr)


if __name__ == "__main__":
    main()
