#!/usr/bin/env python3
"""Write a corpus of long documents: the texts of a .jsonl corpus, in
order, joined by blank lines into documents of at least MB megabytes
each (the last holds the rest). What a corpus of books, or of whole
proceedings in one line each, costs per document in memory.

Usage:
  benches/long-documents.py IN.jsonl OUT.jsonl [MB]

The figures in the README: IN is target/bench/wh-1000mb.jsonl (from
benches/gen-corpus.py), MB 95: 11 documents, 1,000 MB.
"""

import json
import sys


def main():
    if len(sys.argv) not in (3, 4):
        sys.exit(__doc__.strip())
    src, out = sys.argv[1], sys.argv[2]
    try:
        size = float(sys.argv[3]) * 1e6 if len(sys.argv) > 3 else 95e6
    except ValueError:
        sys.exit(f"long-documents.py: {sys.argv[3]}: not a number of MB")
    dates = ["2020-01-01", "2021-01-01", "2022-01-01", "2023-01-01", "2024-01-01"]
    n = 0
    with open(src, encoding="utf-8") as f, open(out, "w", encoding="utf-8", newline="\n") as w:
        texts, got = [], 0

        def flush():
            nonlocal n, texts, got
            doc = {"id": f"B{n}", "date": dates[n % len(dates)], "text": "\n\n".join(texts)}
            w.write(json.dumps(doc) + "\n")
            n, texts, got = n + 1, [], 0

        for k, line in enumerate(f, 1):
            try:
                text = json.loads(line)["text"]
            except (ValueError, KeyError, TypeError):
                sys.exit(f"long-documents.py: {src}, line {k}: not a JSON object with a text field")
            texts.append(text)
            got += len(text.encode("utf-8"))
            if got >= size:
                flush()
        if texts:
            flush()
    print(f"{out}: {n} documents", file=sys.stderr)


if __name__ == "__main__":
    main()
