#!/usr/bin/env python3
"""Write a corpus of sentence-sized documents (posts, short statements):
each sentence of 20 characters or more of a .jsonl corpus becomes a
document of its own (same date), the whole repeated COPIES times, then
cut to at most MAX_BYTES at a line's end. What a corpus of millions of
very short documents costs in memory per document.

Usage:
  benches/split-sentences.py IN.jsonl OUT.jsonl [COPIES [MAX_BYTES]]

The figures in the README: IN is target/bench/wh-100mb.jsonl (from
benches/gen-corpus.py), COPIES 10, MAX_BYTES 1000000000: 1 GB,
5,859,842 documents of 170 bytes on average.
"""

import json
import re
import sys

SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n\n")


def main():
    src, out = sys.argv[1], sys.argv[2]
    copies = int(sys.argv[3]) if len(sys.argv) > 3 else 1
    max_bytes = int(sys.argv[4]) if len(sys.argv) > 4 else None
    n, written = 0, 0
    with open(out, "wb") as w:
        for _ in range(copies):
            with open(src, encoding="utf-8") as f:
                for line in f:
                    d = json.loads(line)
                    for s in SENTENCE_END.split(d["text"]):
                        if len(s.strip()) < 20:
                            continue
                        doc = {"id": f"T{n}", "date": d.get("date"), "text": s}
                        row = (json.dumps(doc, ensure_ascii=False) + "\n").encode("utf-8")
                        if max_bytes is not None and written + len(row) > max_bytes:
                            print(n)
                            return
                        w.write(row)
                        written += len(row)
                        n += 1
    print(n)


if __name__ == "__main__":
    main()
