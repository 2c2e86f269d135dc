#!/usr/bin/env python3
"""Write a corpus with a richer vocabulary: the lines of a .jsonl corpus,
in order, with one word in RATE (words of letters only, split at spaces)
given a random two-letter ending, so that the corpus has many more
distinct words (the real corpus at 0.03: 358,529 norms in terms.csv
against 92,000). A corpus of news or speeches has more words than
wh-briefings' government prose; this is what more words cost (each
worker's vocabulary, the postings, the n-gram tables and their spills).
Deterministic: Python's `random` seeded with 7.

Usage:
  benches/rich-vocabulary.py IN.jsonl OUT.jsonl RATE

The figures in the README: IN is target/bench/wh-real.jsonl, RATE 0.03,
and 1 GB resampled from OUT by benches/gen-corpus.py (as compare.sh
resamples a corpus it is given):
  python3 benches/gen-corpus.py 1000 target/bench/words3-1000mb.jsonl --source OUT
"""

import json
import random
import sys

ALPHA = "abcdefghijklmnopqrstuvwxyz"


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__.strip())
    src, out = sys.argv[1], sys.argv[2]
    try:
        rate = float(sys.argv[3])
    except ValueError:
        sys.exit(f"rich-vocabulary.py: {sys.argv[3]}: not a number")
    if not 0.0 <= rate <= 1.0:
        sys.exit("rich-vocabulary.py: RATE must be between 0 and 1")
    random.seed(7)
    with open(src, encoding="utf-8") as f, open(out, "w", encoding="utf-8", newline="\n") as w:
        for line in f:
            d = json.loads(line)
            words = d["text"].split(" ")
            for i, x in enumerate(words):
                if x.isalpha() and random.random() < rate:
                    words[i] = x + random.choice(ALPHA) + random.choice(ALPHA)
            d["text"] = " ".join(words)
            w.write(json.dumps(d, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
