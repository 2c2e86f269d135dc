#!/usr/bin/env python3
"""Write a richer source corpus for memory tests: wh-briefings as it is,
then a second copy of its documents (up to EXTRA_MB of text) whose words
are spelt backwards. The result has about 1.7 times the bytes of the
source and about twice its distinct words and n-grams: the vocabulary a
larger real corpus would bring, for `benches/gen-corpus.py` to resample.

Deterministic (no randomness): the same source gives the same bytes.

Usage:
  benches/rich-source.py OUT.jsonl.gz [--source ../shared/corpora/wh-briefings.jsonl.gz] [--extra-mb 72]
  benches/gen-corpus.py 1000 target/bench/rich-1000mb.jsonl --source OUT.jsonl.gz
"""

import argparse
import gzip
import json
import re


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--source", default="../shared/corpora/wh-briefings.jsonl.gz")
    ap.add_argument("--extra-mb", type=float, default=72)
    a = ap.parse_args()
    with gzip.open(a.source, "rt", encoding="utf-8") as f:
        docs = [json.loads(line) for line in f if line.strip()]
    budget = int(a.extra_mb * 1e6)
    reverse = lambda m: m.group(0)[::-1]
    with gzip.open(a.out, "wt", encoding="utf-8", compresslevel=1) as out:
        for d in docs:
            out.write(json.dumps(d) + "\n")
        used = 0
        for d in docs:
            if used > budget:
                break
            r = dict(d)
            r["id"] = f"{d.get('id', '')}-r"
            r["text"] = re.sub(r"[A-Za-z]+", reverse, d["text"])
            used += len(r["text"])
            out.write(json.dumps(r) + "\n")


if __name__ == "__main__":
    main()
