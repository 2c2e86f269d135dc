#!/usr/bin/env python3
"""Write a corpus of sentence-sized documents that keep their article's
metadata: each sentence of 20 characters or more of wh-briefings becomes a
document with the article's date, title, category and administration and
the id `ARTICLE-ID#COPY.N`, the whole source repeated until MAX_BYTES
(cut at a line's end). Long ids and values repeated from one document to
the next: what the documents' summaries cost when every short document
carries a lot of metadata (benches/split-sentences.py keeps only `id`
and `date`).

Usage:
  benches/rich-sentences.py OUT.jsonl MAX_BYTES [--source ../shared/corpora/wh-briefings.jsonl.gz]

The figures in the README: MAX_BYTES 1000000000: 1 GB, 2,227,811
documents (they were measured on a first version of this script that
wrote one line more).
"""

import argparse
import gzip
import json
import re

SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n\n")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("max_bytes", type=int)
    ap.add_argument("--source", default="../shared/corpora/wh-briefings.jsonl.gz")
    args = ap.parse_args()
    opener = gzip.open if args.source.endswith(".gz") else open
    written, n, copy = 0, 0, 0
    with open(args.out, "w", encoding="utf-8") as w:
        while written < args.max_bytes:
            with opener(args.source, "rt", encoding="utf-8") as f:
                for line in f:
                    d = json.loads(line)
                    k = 0
                    for s in SENTENCE_END.split(d["text"]):
                        s = s.strip()
                        if len(s) < 20:
                            continue
                        k += 1
                        doc = {"id": f"{d['id']}#{copy}.{k}"}
                        for field, value in d.items():
                            if field not in ("id", "text"):
                                doc[field] = value
                        doc["text"] = s
                        out = json.dumps(doc, ensure_ascii=False) + "\n"
                        size = len(out.encode("utf-8"))
                        if written + size > args.max_bytes:
                            print(f"{args.out}: {n} documents, {written} bytes")
                            return
                        w.write(out)
                        written += size
                        n += 1
            copy += 1
    print(f"{args.out}: {n} documents, {written} bytes")


if __name__ == "__main__":
    main()
