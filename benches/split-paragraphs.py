#!/usr/bin/env python3
"""Write a corpus of short documents: each paragraph of a .jsonl corpus
becomes a document of its own (same date), the whole repeated COPIES
times with the copy number in the id. What a corpus of millions of
posts or statements costs per document, rather than per byte.

Usage:
  benches/split-paragraphs.py IN.jsonl OUT.jsonl [COPIES]

The figures in the README: IN is target/bench/wh-100mb.jsonl (from
benches/gen-corpus.py), COPIES 8: 940 MB, 3,153,288 documents.
"""

import json
import sys


def main():
    src, out = sys.argv[1], sys.argv[2]
    copies = int(sys.argv[3]) if len(sys.argv) > 3 else 1
    with open(out, "w", encoding="utf-8", newline="\n") as w:
        for k in range(copies):
            n = 0
            with open(src, encoding="utf-8") as f:
                for line in f:
                    d = json.loads(line)
                    for p in d["text"].split("\n\n"):
                        if p.strip():
                            doc = {"id": f"S{n}-{k}", "date": d.get("date"), "text": p}
                            w.write(json.dumps(doc, ensure_ascii=False) + "\n")
                            n += 1


if __name__ == "__main__":
    main()
