#!/usr/bin/env python3
"""Independent reference implementation of the framescope text contract, v1,
sections 1-7 and 9 (tokens, norm, stem, sentences, stopwords, patterns,
matching, KWIC lines), after /work/shared/CONTRACT.md.

Written for clarity, not speed: every rule below is a direct transcription of
the contract text, so that the Rust implementation can be cross-checked on
large corpora.

Requires Python 3.11 and `pip install snowballstemmer==2.2.0` (pure Python;
the English stemmer class is imported directly so that an installed PyStemmer,
which may be a different Snowball version, is never used instead).

Usage:
  contract.py vectors [TOKENIZE.jsonl]
  contract.py freq CORPUS --by corpus|doc [--unit norm|stem]
                   [--ngram N] [--drop-stopwords]
  contract.py docs CORPUS
  contract.py tokens TEXT            (debug: print the tokens of TEXT)
  contract.py kwic CORPUS PATTERN... [--window N] [--sentence] [--sort KEYS]
                   [--near PATTERN] [--near-window N] [--limit N]
  contract.py kwic-selftest

CORPUS is a .jsonl[.gz] file, a folder with manifest.csv, or a folder of
.txt files (see read_corpus).
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
    """Yield (doc_id, text) from a corpus, in document order:

    - a folder with manifest.csv: one document a row, in manifest order;
      `file` is a path relative to the folder, `id` is optional (default,
      also when the cell is empty: the file name without its extension);
    - a folder without manifest.csv: every `.txt` file below it, in the
      order of their relative paths compared bytewise; id = file name
      without `.txt`;
    - a JSON-lines file (.gz → gzip): one object a line with a string
      `text` and an optional `id` (default text1, text2, … by position).

    Files are decoded as strict UTF-8 with no newline translation, so byte
    offsets are offsets into the file's bytes."""
    if os.path.isdir(path):
        if os.path.isfile(os.path.join(path, "manifest.csv")):
            yield from read_manifest_folder(path)
        else:
            yield from read_txt_folder(path)
    else:
        yield from read_jsonl(path)


def read_text_file(path):
    with open(path, "rb") as f:
        data = f.read()
    if data.startswith(b"\xff\xfe") or data.startswith(b"\xfe\xff"):
        sys.exit(f"{path}: UTF-16 text; convert it to UTF-8 first")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        sys.exit(f"{path}: byte {e.start}: not UTF-8")


def read_manifest_folder(folder):
    manifest = os.path.join(folder, "manifest.csv")
    root = os.path.realpath(folder)
    seen = set()
    with open(manifest, encoding="utf-8", newline="") as f:
        for rowno, row in enumerate(csv.DictReader(f), 2):
            rel = row.get("file")
            if not rel:
                sys.exit(f"{manifest}:{rowno}: no `file`")
            parts = re.split(r"[/\\]", rel)
            if os.path.isabs(rel) or ".." in parts:
                sys.exit(f"{manifest}:{rowno}: file {rel!r} leads out of the folder")
            full = os.path.join(folder, rel)
            if os.path.commonpath([root, os.path.realpath(full)]) != root:
                sys.exit(f"{manifest}:{rowno}: file {rel!r} leads out of the folder")
            doc_id = row.get("id") or os.path.splitext(os.path.basename(rel))[0]
            if doc_id in seen:
                sys.exit(f"{manifest}:{rowno}: duplicate id {doc_id!r}")
            seen.add(doc_id)
            yield doc_id, read_text_file(full)


def read_txt_folder(folder):
    rels = []
    for dirpath, _dirnames, filenames in os.walk(folder):
        for name in filenames:
            if name.endswith(".txt"):
                full = os.path.join(dirpath, name)
                rel = os.path.relpath(full, folder).replace(os.sep, "/")
                rels.append(rel)
    rels.sort(key=lambda r: r.encode("utf-8", "surrogateescape"))  # bytewise
    seen = set()
    for rel in rels:
        doc_id = os.path.basename(rel)[: -len(".txt")]
        if doc_id in seen:
            sys.exit(f"{os.path.join(folder, rel)}: duplicate id {doc_id!r}")
        seen.add(doc_id)
        yield doc_id, read_text_file(os.path.join(folder, rel))


def read_jsonl(path):
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
# §6 Patterns
# ---------------------------------------------------------------------------

# Unicode White_Space, listed explicitly (str.isspace and str.split also
# take U+001C–U+001F, which are not White_Space).
WHITE_SPACE = (
    "\t\n\x0b\x0c\r \x85\xa0\u1680"
    "\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u2028\u2029\u202f\u205f\u3000"
)
WHITE_SPACE_RUN = re.compile("[" + re.escape(WHITE_SPACE) + "]+")


class PatternError(Exception):
    pass


# A test is a pair (kind, value):
#   ("any", None)      any one token                      piece `*`
#   ("stem", s)        token stem == s                    piece `~word`
#   ("glob", regex)    regex.fullmatch(token norm)        piece holding `*`
#   ("norm", n)        token norm == n                    anything else


def glob_regex(piece):
    """`*` is any run of characters (also none); all else is literal."""
    return re.compile(
        "".join(".*" if c == "*" else re.escape(c) for c in piece), re.DOTALL
    )


def parse_pattern(src):
    """The list of token tests of pattern `src` (§6). The rows of the
    contract's table are tried in order, so a piece that starts with `~` is
    a stem test even when it holds a `*`."""
    tests = []
    for piece in WHITE_SPACE_RUN.split(src):
        if piece == "":
            continue  # white space at either end
        if piece == "*":
            tests.append(("any", None))
        elif piece.startswith("~"):
            toks = tokenize(piece[1:])
            if len(toks) != 1:
                raise PatternError(
                    f"pattern {src!r}: {piece!r}: the word after ~ must be one "
                    f"token, it is {len(toks)}"
                )
            tests.append(("stem", stem(toks[0][2])))
        elif "*" in piece:
            g = norm_steps_1_3(piece)
            if set(g) == {"*"}:
                raise PatternError(f"pattern {src!r}: {piece!r} is only `*`s")
            tests.append(("glob", glob_regex(g)))
        else:
            for tok in tokenize(piece):
                tests.append(("norm", tok[2]))
    if not tests:
        raise PatternError(f"pattern {src!r} has no token test")
    return tests


def passes(test, tok):
    kind, value = test
    if kind == "any":
        return True
    if kind == "stem":
        return tok[3] == value
    if kind == "glob":
        return value.fullmatch(tok[2]) is not None
    return tok[2] == value  # "norm"


# ---------------------------------------------------------------------------
# §7 Matching
# ---------------------------------------------------------------------------

NEGATORS = frozenset(
    "not no never nor neither without cannot none nobody nothing nowhere".split()
)


def matches_at(tests, toks, i):
    """Do tokens i … i+k−1 pass the k tests in order, all in one sentence?"""
    k = len(tests)
    if i + k > len(toks):
        return False
    if toks[i][4] != toks[i + k - 1][4]:  # sentences only grow left to right
        return False
    return all(passes(t, toks[i + m]) for m, t in enumerate(tests))


def match_frame(frame, toks):
    """Hits of one frame (a list of patterns, each a list of tests): a list of
    (i, j, pattern index), j inclusive. Scan left to right; at token i take the
    longest matching pattern (on equal length the one listed first), record
    i … i+k−1 and continue at i+k; where none matches continue at i+1."""
    hits = []
    i = 0
    while i < len(toks):
        best = None  # (k, pattern index)
        for q, tests in enumerate(frame):
            if matches_at(tests, toks, i) and (best is None or len(tests) > best[0]):
                best = (len(tests), q)
        if best is None:
            i += 1
        else:
            k, q = best
            hits.append((i, i + k - 1, q))
            i += k
    return hits


def is_negated(toks, i):
    """One of the up to three tokens right before token i, in its sentence, is
    a negator or ends in n't."""
    for m in range(max(0, i - 3), i):
        if toks[m][4] == toks[i][4]:
            n = toks[m][2]
            if n in NEGATORS or n.endswith("n't"):
                return True
    return False


# ---------------------------------------------------------------------------
# §9 KWIC lines
# ---------------------------------------------------------------------------

KWIC_HEADER = [
    "doc_id", "pattern", "token_start", "token_end", "byte_start", "byte_end",
    "sentence", "negated", "left", "match", "right",
]
SORT_KEYS = ["doc", "match"] + [f"{s}{k}" for s in "LR" for k in range(1, 6)]


def span_text(data, toks, a, b):
    """Original text from the start of token a to the end of token b, every
    run of white space made one space; empty when a > b."""
    if a > b:
        return ""
    raw = data[toks[a][0]:toks[b][1]].decode("utf-8")
    return WHITE_SPACE_RUN.sub(" ", raw)


def sort_value(key, d, i, j, q, toks):
    if key == "doc":
        return (d, i, q)
    if key == "match":
        return [t[2] for t in toks[i:j + 1]]
    k = int(key[1:])
    m = i - k if key[0] == "L" else j + k
    if 0 <= m < len(toks):
        return (1, toks[m][2])
    return (0, "")  # no token there: sorts first


def near_ok(i, j, near_hits, n):
    """Is there a hit [a, b] not overlapping [i, j] within n tokens of it?"""
    for a, b, _q in near_hits:
        if (b < i and i - b <= n) or (a > j and a - j <= n):
            return True
    return False


def kwic(docs, patterns, window=5, sentence=False, sort=(), near=None,
         near_window=None, limit=None):
    """KWIC rows (lists of cell values, header not included) for `docs`, an
    iterable of (doc_id, text), and `patterns`, a list of pattern strings,
    each matched as its own one-pattern frame."""
    frames = [[parse_pattern(p)] for p in patterns]
    near_frame = [parse_pattern(near)] if near is not None else None
    if near_window is None:
        near_window = window
    for key in sort:
        if key not in SORT_KEYS:
            raise PatternError(f"unknown sort key {key!r} (one of {', '.join(SORT_KEYS)})")

    lines = []  # (sort values, row), in the default order
    for d, (doc_id, text) in enumerate(docs):
        toks = tokenize(text)
        n = len(toks)
        data = text.encode("utf-8")
        near_hits = match_frame(near_frame, toks) if near_frame else None
        doc_lines = []
        for q, frame in enumerate(frames):
            for i, j, _ in match_frame(frame, toks):
                if near_hits is not None and not near_ok(i, j, near_hits, near_window):
                    continue
                s = toks[i][4]
                lo, hi = max(0, i - window), min(n - 1, j + window)
                if sentence:
                    while toks[lo][4] != s:  # first token of the window in s
                        lo += 1
                    while toks[hi][4] != s:
                        hi -= 1
                row = [
                    doc_id, patterns[q], i, j, toks[i][0], toks[j][1], s,
                    "true" if is_negated(toks, i) else "false",
                    span_text(data, toks, lo, i - 1),
                    span_text(data, toks, i, j),
                    span_text(data, toks, j + 1, hi),
                ]
                values = [sort_value(key, d, i, j, q, toks) for key in sort]
                doc_lines.append(((i, q), values, row))
        doc_lines.sort(key=lambda x: x[0])  # token_start, then pattern position
        lines.extend(doc_lines)
    lines.sort(key=lambda x: x[1])  # stable: ties keep the default order
    rows = [row for _, _, row in lines]
    return rows if limit is None else rows[:limit]


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value, text=False):
    """RFC 4180 cell; `text` cells (document text) that begin like a formula
    get a leading `'` (§11)."""
    s = str(value)
    if text and s.startswith(FORMULA_STARTS):
        s = "'" + s
    if any(c in s for c in ',"\r\n'):
        s = '"' + s.replace('"', '""') + '"'
    return s


def kwic_csv(rows):
    out = [",".join(KWIC_HEADER) + "\n"]
    for row in rows:
        cells = [csv_cell(v, text=(k >= 8)) for k, v in enumerate(row)]
        out.append(",".join(cells) + "\n")
    return "".join(out)


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


def cmd_kwic(args):
    for name in ("window", "near_window", "limit"):
        v = getattr(args, name)
        if v is not None and v < 0:
            print(f"--{name.replace('_', '-')} must not be negative", file=sys.stderr)
            return 2
    sort = args.sort.split(",") if args.sort is not None else []
    try:
        rows = kwic(
            read_corpus(args.corpus), args.patterns, window=args.window,
            sentence=args.sentence, sort=sort, near=args.near,
            near_window=args.near_window, limit=args.limit,
        )
    except PatternError as e:
        print(f"kwic: {e}", file=sys.stderr)
        return 2
    sys.stdout.write(kwic_csv(rows))
    return 0


# Hand-worked cases for kwic-selftest. Every expected line was worked out
# from the contract text (token offsets counted by hand), not from this code.

# d1: tokens 0 Win-win [0,7] · 1 cooperation [8,19] · 2 is [20,22] ·
# 3 not [23,26] · 4 cooperative [27,38] | sentence 1: 5 We [40,42] ·
# 6 cooperate [43,52] · 7 on [53,55] · 8 a [56,57] · 9 shared [58,64] ·
# 10 common [66,72] · 11 future [73,79]. Stems: cooperation, cooperative,
# cooperate → cooper.
D1 = [("d1", "Win-win cooperation is not cooperative. We cooperate on a shared, common future.")]
D1_PATTERNS = ["win-win cooperation", "~cooperate", "co*ive", "shared * future"]
HEADER = ",".join(KWIC_HEADER) + "\n"

# d2: 0 China’s [0,9] (norm china) · NBSP · 1 role [11,15] | sentence 1:
# 2 Role [17,21] · 3 models [22,28] · 4 China [31,36] · "\n " · 5 role [38,42].
D2 = [("d2", "China\u2019s\u00a0role. Role models:  China\n role!")]

# d3: 0 Peace [0,5] · 1 and [6,9] · 2 development [10,21] | sentence 1:
# 3 Development [23,34] · 4 brings [35,41] · 5 peace [42,47] · ; ·
# 6 peace [49,54] · 7 brings [55,61] · 8 development [62,73].
D3 = [("d3", "Peace and development. Development brings peace; peace brings development.")]
D3_LINES = {  # token_start → CSV line with --window 1, patterns peace, ~develop
    0: "d3,peace,0,0,0,5,0,false,,Peace,and\n",
    2: "d3,~develop,2,2,10,21,0,false,and,development,Development\n",
    3: "d3,~develop,3,3,23,34,1,false,development,Development,brings\n",
    5: "d3,peace,5,5,42,47,1,false,brings,peace,peace\n",
    6: "d3,peace,6,6,49,54,1,false,peace,peace,brings\n",
    8: "d3,~develop,8,8,62,73,1,false,brings,development,\n",
}


def d3(*order):
    return HEADER + "".join(D3_LINES[i] for i in order)


KWIC_CASES = [
    (
        "glob, stem, gap *, overlap between patterns, negation in one sentence",
        D1, D1_PATTERNS, dict(window=2),
        HEADER
        + "d1,win-win cooperation,0,1,0,19,0,false,,Win-win cooperation,is not\n"
        + "d1,~cooperate,1,1,8,19,0,false,Win-win,cooperation,is not\n"
        + "d1,~cooperate,4,4,27,38,0,true,is not,cooperative,We cooperate\n"
        + "d1,co*ive,4,4,27,38,0,true,is not,cooperative,We cooperate\n"
        + "d1,~cooperate,6,6,43,52,1,false,cooperative. We,cooperate,on a\n"
        + 'd1,shared * future,9,11,58,79,1,false,on a,"shared, common future",\n',
    ),
    (
        "--sentence clips both windows to the match's sentence",
        D1, D1_PATTERNS, dict(window=2, sentence=True),
        HEADER
        + "d1,win-win cooperation,0,1,0,19,0,false,,Win-win cooperation,is not\n"
        + "d1,~cooperate,1,1,8,19,0,false,Win-win,cooperation,is not\n"
        + "d1,~cooperate,4,4,27,38,0,true,is not,cooperative,\n"
        + "d1,co*ive,4,4,27,38,0,true,is not,cooperative,\n"
        + "d1,~cooperate,6,6,43,52,1,false,We,cooperate,on a\n"
        + 'd1,shared * future,9,11,58,79,1,false,on a,"shared, common future",\n',
    ),
    (
        "'s dropped, no phrase across a sentence, white space runs → one space",
        D2, ["China's role", "role role", "china"], dict(window=1),
        HEADER
        + "d2,China's role,0,1,0,15,0,false,,China\u2019s role,Role\n"
        + "d2,china,0,0,0,9,0,false,,China\u2019s,role\n"
        + "d2,China's role,4,5,31,42,1,false,models,China role,\n"
        + "d2,china,4,4,31,36,1,false,models,China,role\n",
    ),
    ("default order", D3, ["peace", "~develop"], dict(window=1), d3(0, 2, 3, 5, 6, 8)),
    ("--sort L1: missing first, stable", D3, ["peace", "~develop"],
     dict(window=1, sort=["L1"]), d3(0, 2, 5, 8, 3, 6)),
    ("--sort R1: a missing token past the end sorts first", D3, ["peace", "~develop"],
     dict(window=1, sort=["R1"]), d3(8, 0, 3, 6, 2, 5)),
    ("--sort match,L1", D3, ["peace", "~develop"],
     dict(window=1, sort=["match", "L1"]), d3(2, 8, 3, 0, 5, 6)),
    ("--sort L2 looks past the window and the sentence", D3, ["peace", "~develop"],
     # L2: 0 –, 2 peace, 3 and, 5 development, 6 brings, 8 peace
     dict(window=0, sort=["L2", "doc"]),
     HEADER
     + "d3,peace,0,0,0,5,0,false,,Peace,\n"
     + "d3,~develop,3,3,23,34,1,false,,Development,\n"
     + "d3,peace,6,6,49,54,1,false,,peace,\n"
     + "d3,peace,5,5,42,47,1,false,,peace,\n"
     + "d3,~develop,2,2,10,21,0,false,,development,\n"
     + "d3,~develop,8,8,62,73,1,false,,development,\n"),
    ("--near brings --near-window 1", D3, ["peace", "~develop"],
     dict(window=1, near="brings", near_window=1), d3(3, 5, 6, 8)),
    ("--near crosses sentences; near-window defaults to the window", D3,
     ["peace", "~develop"], dict(window=2, near="brings"),
     HEADER
     + "d3,~develop,2,2,10,21,0,false,Peace and,development,Development brings\n"
     + "d3,~develop,3,3,23,34,1,false,and development,Development,brings peace\n"
     + "d3,peace,5,5,42,47,1,false,Development brings,peace,peace brings\n"
     + "d3,peace,6,6,49,54,1,false,brings peace,peace,brings development\n"
     + "d3,~develop,8,8,62,73,1,false,peace brings,development,\n"),
    ("--near: a hit overlapping the line does not count", D3, ["peace"],
     dict(window=1, near="peace", near_window=1), d3(5, 6)),
    ("--limit after sorting", D3, ["peace", "~develop"],
     dict(window=1, sort=["R1"], limit=2), d3(8, 0)),
    (
        "n't negates; a negator in the previous sentence does not; quoting",
        [("d4", 'No. It doesn\u2019t "cooperate", they say.')],
        # 0 No [0,2] | 1 It [4,6] · 2 doesn’t [7,16] · 3 cooperate [18,27] ·
        # 4 they [30,34] · 5 say [35,38]
        ["~cooperation", "no"], dict(window=3),
        HEADER
        + 'd4,no,0,0,0,2,0,false,,No,"It doesn\u2019t ""cooperate"\n'
        + "d4,~cooperation,3,3,18,27,1,true,No. It doesn\u2019t,cooperate,they say\n",
    ),
]

PATTERN_CASES = [  # (pattern, tests as (kind, value) with globs as source)
    ("U.S.-China", [("norm", "u.s"), ("norm", "china")]),
    ("win-win", [("norm", "win-win")]),
    ("China\u2019s", [("norm", "china")]),
    ("shared * future", [("norm", "shared"), ("any", None), ("norm", "future")]),
    ("~Developing", [("stem", "develop")]),
    ("*LATERAL", [("glob", ".*lateral")]),
    ("  Cooperat*  \u3000 ", [("glob", "cooperat.*")]),
]
PATTERN_ERRORS = ["**", "~", "~U.S.-China", "--", " ", "a ***"]

FRAME_CASES = [  # (text, frame, expected hits (i, j, pattern index))
    ("Central Asian countries and Central Asia.",
     ["central asia", "central", "central asian countries"], [(0, 2, 2), (4, 5, 0)]),
    ("Central Asian countries and Central Asia.",
     ["* asia", "central asia"], [(4, 5, 0)]),
    ("peace peace peace", ["peace peace"], [(0, 1, 0)]),
    ("Multilateral, bilateral and lateral ties.", ["*lateral"],
     [(0, 0, 0), (1, 1, 0), (3, 3, 0)]),
    ("Shared. Future", ["shared future"], []),
]


def cmd_kwic_selftest(args):
    failed = 0
    total = 0

    def check(name, got, want):
        nonlocal failed, total
        total += 1
        if got != want:
            failed += 1
            print(f"FAIL {name}\n  want {want!r}\n  got  {got!r}")

    for src, want in PATTERN_CASES:
        got = [(k, v.pattern if k == "glob" else v) for k, v in parse_pattern(src)]
        check(f"pattern {src!r}", got, want)
    for src in PATTERN_ERRORS:
        try:
            parse_pattern(src)
            check(f"pattern {src!r} is an error", "no error", "PatternError")
        except PatternError:
            check(f"pattern {src!r} is an error", "PatternError", "PatternError")
    for text, frame, want in FRAME_CASES:
        got = match_frame([parse_pattern(p) for p in frame], tokenize(text))
        check(f"frame {frame} on {text!r}", got, want)
    check("negated after n't", is_negated(tokenize("It doesn\u2019t cooperate"), 2), True)
    check("no negation 4 tokens back", is_negated(tokenize("not a b c d"), 4), False)
    check("negation 3 tokens back", is_negated(tokenize("never a b c d"), 3), True)
    check("formula cell", csv_cell("-x", text=True), "'-x")
    check("formula cell quoted", csv_cell("=a,b", text=True), "\"'=a,b\"")
    for name, docs, patterns, opts, want in KWIC_CASES:
        check(f"kwic: {name}", kwic_csv(kwic(docs, patterns, **opts)), want)
    print(f"kwic-selftest: {total - failed} passed, {failed} failed")
    return 0 if failed == 0 else 1


def add_kwic_arguments(k):
    k.add_argument("corpus")
    k.add_argument("patterns", nargs="+", metavar="PATTERN",
                   help="each pattern is its own frame; put -- before a pattern starting with -")
    k.add_argument("--window", type=int, default=5)
    k.add_argument("--sentence", action="store_true",
                   help="clip both windows to the match's sentence")
    k.add_argument("--sort", metavar="KEYS",
                   help="comma-separated: " + ",".join(SORT_KEYS))
    k.add_argument("--near", metavar="PATTERN")
    k.add_argument("--near-window", type=int, metavar="N", help="default: --window")
    k.add_argument("--limit", type=int, metavar="N")


def main(argv=None):
    p = argparse.ArgumentParser(description="framescope contract §1-7, §9 reference")
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

    k = sub.add_parser("kwic", help="KWIC lines of patterns (§6, §7, §9) as CSV")
    add_kwic_arguments(k)
    k.set_defaults(func=cmd_kwic)

    s = sub.add_parser("kwic-selftest", help="check kwic against hand-worked cases")
    s.set_defaults(func=cmd_kwic_selftest)

    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["kwic"]:
        # options may stand between the patterns
        k = argparse.ArgumentParser(prog=f"{p.prog} kwic")
        add_kwic_arguments(k)
        args = k.parse_intermixed_args(argv[1:])
        args.func = cmd_kwic
    else:
        args = p.parse_args(argv)
    try:
        return args.func(args)
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())
