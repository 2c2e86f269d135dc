#!/usr/bin/env python3
"""Write a lexicon shaped like a LIWC dictionary: FRAMES categories (70
by default), each of three function words (`the`, `of`, `and`, ...) and
three word stems (`econom*`, `secur*`, ...), so that every frame
catches common words and lists its 100,000 hit lines within the first
megabytes of a corpus. What a researcher's own dictionary of many
categories costs `run` (hits.csv, the report's sample, memory).

Usage:
  benches/liwc-like.py OUT.toml [FRAMES]

The figures in the README and HISTORY.md: FRAMES 70, on
target/bench/wh-briefings.jsonl and wh-1000mb.jsonl.
"""

import sys

WORDS = (
    "the a an of to in and or but is are was were be been it he she they we "
    "you i this that these those for with on at by from as not no"
).split()
STEMS = (
    "econom* secur* cooperat* develop* trade* health* vaccin* job* work* tax* "
    "famil* child* school* war* peace* energ* climat* american* presiden* "
    "govern* law* court* vote* elect* right* freedom* democra* border* "
    "immigra* crime* polic* gun* drug* price* cost* money* bank* market* "
    "invest* build* infra* road* bridge* water* food* farm* rural* city* "
    "state* nation* world* china* russia* ukrain* europ* allie* threat* "
    "attack* defen* militar* troop* veteran* care* insur* medic* hospital* "
    "cancer* covid* pandem* test*"
).split()


def main():
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__.strip())
    try:
        frames = int(sys.argv[2]) if len(sys.argv) > 2 else 70
    except ValueError:
        sys.exit(f"FRAMES must be a whole number, not {sys.argv[2]!r}")
    out = ['name = "liwc-like"', 'version = "1"', 'language = "english"']
    for i in range(frames):
        pats = [WORDS[(i * 3 + j) % len(WORDS)] for j in range(3)]
        pats += [STEMS[(i * 2 + j) % len(STEMS)] for j in range(3)]
        out.append(
            '[[frame]]\nid = "c%02d"\nlabel = "Category %d"\npatterns = [%s]'
            % (i, i, ", ".join('"%s"' % p for p in pats))
        )
    with open(sys.argv[1], "w", encoding="utf-8") as f:
        f.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
