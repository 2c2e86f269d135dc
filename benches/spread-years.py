#!/usr/bin/env python3
"""Write a corpus whose documents' dates are spread over many years: the
lines of a .jsonl corpus, in order, each with its `date` replaced by
June 1st of one of YEARS years from 1970 (document i gets year
1970 + (i * 7919) % YEARS). `run` compares the years with one another,
so this is what a corpus of many groups (the UN General Debate, a
decade or more of news) costs in keyness.csv.

Usage:
  benches/spread-years.py IN.jsonl OUT.jsonl [YEARS]

The figures in the README: IN is target/bench/wh-100mb.jsonl or
wh-1000mb.jsonl (from benches/gen-corpus.py), YEARS 51.
"""

import json
import sys


def main():
    if len(sys.argv) not in (3, 4):
        sys.exit(__doc__.strip())
    src, out = sys.argv[1], sys.argv[2]
    try:
        years = int(sys.argv[3]) if len(sys.argv) > 3 else 51
    except ValueError:
        sys.exit(f"spread-years.py: {sys.argv[3]}: not a number of years")
    if years < 1:
        sys.exit("spread-years.py: YEARS must be at least 1")
    with open(src, encoding="utf-8") as f, open(out, "w", encoding="utf-8", newline="\n") as w:
        for i, line in enumerate(f):
            try:
                doc = json.loads(line)
            except ValueError as e:
                sys.exit(f"spread-years.py: {src}:{i + 1}: {e}")
            doc["date"] = f"{1970 + (i * 7919) % years}-06-01"
            w.write(json.dumps(doc, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
