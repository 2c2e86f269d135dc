#!/usr/bin/env python3
"""Independent reference implementation of the framescope text contract, v1,
sections 1-5 (tokens, norm, stem, sentences, stopwords), after
/work/shared/CONTRACT.md.

Written for clarity, not speed: every rule below is a direct transcription of
the contract text, so that the Rust implementation can be cross-checked on
large corpora.

Requires Python 3.11 and `pip install snowballstemmer==2.2.0` (pure Python;
the English stemmer class is imported directly so that an installed PyStemmer,
which may be a different Snowball version, is never used instead).

Usage:
  contract.py vectors [TOKENIZE.jsonl]
  contract.py freq CORPUS.jsonl[.gz] --by corpus|doc [--unit norm|stem]
                   [--ngram N] [--drop-stopwords]
  contract.py docs CORPUS.jsonl[.gz]
  contract.py tokens TEXT            (debug: print the tokens of TEXT)
"""

import argparse
import csv
import gzip
import json
import os
import re
import sys
import unicodedata
from collections import Counter

from snowballstemmer.english_stemmer import EnglishStemmer

SHARED = os.environ.get("FRAMESCOPE_SHARED", "/work/shared")
VECTORS = os.path.join(SHARED, "contract", "tokenize.jsonl")
STOPWORDS = os.path.join(SHARED, "contract", "stopwords-en.txt")

# ---------------------------------------------------------------------------
# §1 Tokens
# ---------------------------------------------------------------------------

# "ideograph: a code point in U+3040–U+30FF (Hiragana, Katakana),
#  U+3400–U+4DBF, U+4E00–U+9FFF, U+F900–U+FAFF or U+20000–U+3134F."
# Taken literally: every code point in these ranges, whatever its category
# (so U+30FB KATAKANA MIDDLE DOT or U+3099 combining dakuten are ideographs).
IDEOGRAPH_RANGES = (
    (0x3040, 0x30FF),
    (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF),
    (0xF900, 0xFAFF),
    (0x20000, 0x3134F),
)

APOSTROPHES = ("'", "\u2019", "\u02bc")
HYPHENS = ("-", "\u2010", "\u2011")
JOINERS = frozenset(APOSTROPHES + HYPHENS + (".", ","))


def is_ideograph(c):
    cp = ord(c)
    return any(lo <= cp <= hi for lo, hi in IDEOGRAPH_RANGES)


def is_word_char(c):
    # General Category Letter (L*), Mark (M*) or Number (N*), not an ideograph.
    return unicodedata.category(c)[0] in "LMN" and not is_ideograph(c)


def is_decimal_digit(c):
    return unicodedata.category(c) == "Nd"


def joiner_may_stand(chars, j):
    """May chars[j] (a candidate joiner) stand inside a token?

    "a single joiner may stand when the character right before it and the
    character right after it are both word chars; for the comma, both must be
    decimal digits (General Category Nd)."
    """
    if j <= 0 or j + 1 >= len(chars):
        return False
    c = chars[j]
    if c not in JOINERS:
        return False
    before, after = chars[j - 1], chars[j + 1]
    if c == ",":
        return is_decimal_digit(before) and is_decimal_digit(after)
    return is_word_char(before) and is_word_char(after)


def token_spans(text):
    """Character spans [i, j) of the tokens of `text`, in order."""
    chars = text  # indexable by code point
    n = len(chars)
    spans = []
    i = 0
    while i < n:
        c = chars[i]
        if is_ideograph(c):
            spans.append((i, i + 1))  # one ideograph is one token
            i += 1
        elif is_word_char(c):
            # maximal run of word chars, with single joiners between word chars
            j = i + 1
            while True:
                while j < n and is_word_char(chars[j]):
                    j += 1
                # chars[j-1] is a word char here; a joiner needs one after it too
                if j < n and joiner_may_stand(chars, j):
                    j += 2  # the joiner and the word char right after it
                    continue
                break
            spans.append((i, j))
            i = j
        else:
            i += 1  # every other character separates tokens
    return spans


# ---------------------------------------------------------------------------
# §2 norm
# ---------------------------------------------------------------------------

NORM_MAP = str.maketrans({"\u2019": "'", "\u02bc": "'", "\u2010": "-", "\u2011": "-"})


def norm_steps_1_3(surface):
    s = unicodedata.normalize("NFKC", surface)  # 1. NFKC
    s = s.translate(NORM_MAP)  # 2. apostrophes and hyphens
    return s.lower()  # 3. full Unicode lowercase


def norm(surface):
    s = norm_steps_1_3(surface)
    # 4. drop a final "'s" when the result is longer than two characters
    if s.endswith("'s") and len(s) > 2:
        s = s[:-2]
    return s


# ---------------------------------------------------------------------------
# §3 stem
# ---------------------------------------------------------------------------

_STEMMER = EnglishStemmer()
_STEM_CACHE = {}


def stem(nrm):
    """Snowball English (snowballstemmer 2.2.0) of the norm; a norm holding a
    decimal digit (Nd) is not stemmed."""
    r = _STEM_CACHE.get(nrm)
    if r is None:
        if any(is_decimal_digit(c) for c in nrm):
            r = nrm
        else:
            r = _STEMMER.stemWord(nrm)
        _STEM_CACHE[nrm] = r
    return r


# ---------------------------------------------------------------------------
# §4 Sentences
# ---------------------------------------------------------------------------

BLANK_LINE = re.compile(r"\n[ \t\r]*\n")
SENTENCE_MARKS = frozenset(".!?\u3002\uff01\uff1f")  # . ! ? 。 ！ ？
ABBREVIATIONS = frozenset("mr mrs ms dr prof st jr sr vs".split())


def starts_new_sentence(gap, prev_surface, prev_norm):
    """Does the token after `gap` start a new sentence? `prev_*` describe the
    token before the gap."""
    if BLANK_LINE.search(gap):
        return True
    for k, c in enumerate(gap):
        if c in SENTENCE_MARKS:
            if (
                k == 0
                and c == "."
                and ("." in prev_surface or prev_norm in ABBREVIATIONS)
            ):
                continue  # "U.S." / "Mr." : the first "." does not count
            return True
    return False


# ---------------------------------------------------------------------------
# Tokenize: §1-4 together
# ---------------------------------------------------------------------------


def tokenize(text):
    """List of (start, end, norm, stem, sentence); start/end are UTF-8 byte
    offsets into `text`, end exclusive; sentence is 0-based."""
    spans = token_spans(text)
    # byte offset of every code point index (and of the end of the text)
    byte_at = [0] * (len(text) + 1)
    b = 0
    for idx, c in enumerate(text):
        byte_at[idx] = b
        b += len(c.encode("utf-8"))
    byte_at[len(text)] = b

    out = []
    sentence = 0
    prev = None  # (char_end, surface, norm)
    for i, j in spans:
        surface = text[i:j]
        nrm = norm(surface)
        if prev is not None:
            gap = text[prev[0]:i]
            if starts_new_sentence(gap, prev[1], prev[2]):
                sentence += 1
        out.append((byte_at[i], byte_at[j], nrm, stem(nrm), sentence))
        prev = (j, surface, nrm)
    return out


# ---------------------------------------------------------------------------
# §5 Stopwords
# ---------------------------------------------------------------------------


def load_stopwords(path=STOPWORDS):
    """One word a line; compared with `norm`. Blank lines are ignored and the
    line end (\\n or \\r\\n) is not part of the word."""
    with open(path, encoding="utf-8") as f:
        return frozenset(
            line.rstrip("\r\n") for line in f if line.rstrip("\r\n") != ""
        )


# ---------------------------------------------------------------------------
# Corpus reading
# ---------------------------------------------------------------------------


def read_corpus(path):
    """Yield (doc_id, text) from a JSON-lines corpus (.gz → gzip)."""
    opener = gzip.open if path.endswith(".gz") else open
    seen = set()
    position = 0
    with opener(path, "rt", encoding="utf-8", newline="\n") as f:
        for lineno, line in enumerate(f, 1):
            if line.strip() == "":
                continue  # blank lines are not documents
            obj = json.loads(line)
            position += 1
            text = obj.get("text")
            if not isinstance(text, str):
                sys.exit(f"{path}:{lineno}: no string `text`")
            doc_id = obj.get("id")
            if doc_id is None:
                doc_id = f"text{position}"
            elif not isinstance(doc_id, str):
                doc_id = json.dumps(doc_id, ensure_ascii=False)
            if doc_id in seen:
                sys.exit(f"{path}:{lineno}: duplicate id {doc_id!r}")
            seen.add(doc_id)
            yield doc_id, text


def csv_writer():
    return csv.writer(sys.stdout, lineterminator="\n")


# ---------------------------------------------------------------------------
# Commands
# ---------------------------------------------------------------------------


def cmd_vectors(args):
    passed = failed = 0
    with open(args.file, encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            if not line.strip():
                continue
            v = json.loads(line)
            got = [[s, e, n, sent] for s, e, n, _stem, sent in tokenize(v["text"])]
            want = v["tokens"]
            if got == want:
                passed += 1
            else:
                failed += 1
                print(f"FAIL line {lineno}: {v['text']!r}")
                print(f"  want {want}")
                print(f"  got  {got}")
    print(f"vectors: {passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


def terms_of(tokens, unit, ngram, stopwords):
    """Terms of one document: n consecutive tokens in one sentence, unit
    strings joined by one space. With stopwords: a unigram is dropped when its
    norm is a stopword, an n-gram when its first or last token's is."""
    ui = 2 if unit == "norm" else 3
    for k in range(len(tokens) - ngram + 1):
        window = tokens[k:k + ngram]
        if len({t[4] for t in window}) != 1:
            continue  # all n tokens must lie in one sentence
        if stopwords is not None and (
            window[0][2] in stopwords or window[-1][2] in stopwords
        ):
            continue
        yield " ".join(t[ui] for t in window)


def cmd_freq(args):
    if args.ngram < 1:
        sys.exit("--ngram must be at least 1")
    stopwords = load_stopwords() if args.drop_stopwords else None
    w = csv_writer()
    w.writerow(["group", "term", "n"])

    def emit(group, counts):
        for term, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
            w.writerow([group, term, n])

    total = Counter()
    for doc_id, text in read_corpus(args.corpus):
        counts = Counter(terms_of(tokenize(text), args.unit, args.ngram, stopwords))
        if args.by == "doc":
            emit(doc_id, counts)
        else:
            total.update(counts)
    if args.by == "corpus":
        emit("corpus", total)
    return 0


def cmd_docs(args):
    w = csv_writer()
    w.writerow(["doc_id", "n_tokens", "n_types", "n_sentences", "n_bytes"])
    for doc_id, text in read_corpus(args.corpus):
        toks = tokenize(text)
        n_types = len({t[2] for t in toks})
        n_sentences = toks[-1][4] + 1 if toks else 0
        w.writerow([doc_id, len(toks), n_types, n_sentences, len(text.encode("utf-8"))])
    return 0


def cmd_tokens(args):
    text = args.text
    data = text.encode("utf-8")
    for s, e, n, st, sent in tokenize(text):
        print(json.dumps([s, e, data[s:e].decode("utf-8"), n, st, sent], ensure_ascii=False))
    return 0


def main(argv=None):
    p = argparse.ArgumentParser(description="framescope contract §1-5 reference")
    sub = p.add_subparsers(dest="cmd", required=True)

    v = sub.add_parser("vectors", help="check the contract test vectors")
    v.add_argument("file", nargs="?", default=VECTORS)
    v.set_defaults(func=cmd_vectors)

    f = sub.add_parser("freq", help="term / n-gram frequencies")
    f.add_argument("corpus")
    f.add_argument("--by", choices=["corpus", "doc"], required=True)
    f.add_argument("--unit", choices=["norm", "stem"], default="norm")
    f.add_argument("--ngram", type=int, default=1)
    f.add_argument("--drop-stopwords", action="store_true",
                   help="drop unigrams that are stopwords, n-grams beginning or ending with one")
    f.set_defaults(func=cmd_freq)

    d = sub.add_parser("docs", help="per-document token statistics")
    d.add_argument("corpus")
    d.set_defaults(func=cmd_docs)

    t = sub.add_parser("tokens", help="print the tokens of a text (debug)")
    t.add_argument("text")
    t.set_defaults(func=cmd_tokens)

    args = p.parse_args(argv)
    try:
        return args.func(args)
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())
