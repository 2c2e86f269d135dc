"""Independent implementation of the framescope text contract, version 1.

Written only from CONTRACT.md.
Unicode database: `unicodedata2==16.0.0` for general categories and NFKC (the
contract pins no Unicode version; the binary was found to follow 16.0), and Python's
str.lower plus the case pairs new in 16.0.  FS_UCD=py uses Python's own database.
"""
import math
import os
import re

if os.environ.get("FS_UCD") == "py":
    import unicodedata as ud
else:
    import unicodedata2 as ud  # pinned to 16.0.0, the version the binary was found to use

# Case pairs new in Unicode 16.0 that Python 3.11's str.lower (Unicode 14.0) does not know.
_LOWER16 = {0x1C89: 0x1C8A, 0xA7CB: 0x0264, 0xA7CC: 0xA7CD, 0xA7DA: 0xA7DB, 0xA7DC: 0x019B}
_LOWER16.update({0x10D50 + k: 0x10D70 + k for k in range(0x16)})
_LOWER16 = {k: chr(v) for k, v in _LOWER16.items()} if ud.unidata_version.startswith("16") else {}

import snowballstemmer

_STEMMER = snowballstemmer.stemmer("english")
HERE = os.path.dirname(os.path.abspath(__file__))

# ---------------------------------------------------------------- §1 tokens

JOINERS = {"'", "\u2019", "\u02bc", "-", "\u2010", "\u2011", ".", ","}


def is_ideograph(ch):
    c = ord(ch)
    return (0x3040 <= c <= 0x30FF or 0x3400 <= c <= 0x4DBF or 0x4E00 <= c <= 0x9FFF
            or 0xF900 <= c <= 0xFAFF or 0x20000 <= c <= 0x3134F)


def is_word(ch):
    if is_ideograph(ch):
        return False
    return ud.category(ch)[0] in "LMN"


def is_nd(ch):
    return ud.category(ch) == "Nd"


def tokenize_spans(text):
    """Return list of (start_char, end_char) spans in code points."""
    spans = []
    n = len(text)
    i = 0
    while i < n:
        ch = text[i]
        if is_ideograph(ch):
            spans.append((i, i + 1))
            i += 1
            continue
        if not is_word(ch):
            i += 1
            continue
        start = i
        i += 1
        while i < n:
            c = text[i]
            if is_word(c):
                i += 1
                continue
            if c in JOINERS and i + 1 < n and is_word(text[i + 1]) and is_word(text[i - 1]):
                if c == ",":
                    if is_nd(text[i - 1]) and is_nd(text[i + 1]):
                        i += 2
                        continue
                    break
                i += 2
                continue
            break
        spans.append((start, i))
    return spans


# ---------------------------------------------------------------- §2 norm

_MAP = str.maketrans({"\u2019": "'", "\u02bc": "'", "\u2010": "-", "\u2011": "-"})


def norm13(s):
    return ud.normalize("NFKC", s).translate(_MAP).lower().translate(_LOWER16)


def norm(s):
    r = norm13(s)
    if r.endswith("'s") and len(r) > 2:
        r = r[:-2]
    return r


# ---------------------------------------------------------------- §3 stem

def has_digit(s):
    return any(ud.category(c) == "Nd" for c in s)


_stem_cache = {}


def stem(nrm):
    r = _stem_cache.get(nrm)
    if r is None:
        r = nrm if has_digit(nrm) else _STEMMER.stemWord(nrm)
        _stem_cache[nrm] = r
    return r


# ---------------------------------------------------------------- §4 sentences

ABBR = {"mr", "mrs", "ms", "dr", "prof", "st", "jr", "sr", "vs"}
ENDERS = set(".!?\u3002\uff01\uff1f")
_BLANK = re.compile("\n[ \t\r]*\n")


class Token:
    __slots__ = ("start", "end", "cstart", "cend", "surface", "norm", "stem", "sentence")

    def __repr__(self):
        return f"Tok({self.surface!r},{self.start},{self.end},{self.norm!r},{self.sentence})"


def gap_breaks(gap, prev_tok):
    if _BLANK.search(gap):
        return True
    for k, ch in enumerate(gap):
        if ch in ENDERS:
            if k == 0 and ch == "." and ("." in prev_tok.surface or prev_tok.norm in ABBR):
                continue
            return True
    return False


def analyze(text):
    spans = tokenize_spans(text)
    # byte offsets
    toks = []
    if spans:
        # cumulative byte offsets
        boff = [0] * (len(text) + 1)
        acc = 0
        for i, ch in enumerate(text):
            boff[i] = acc
            acc += len(ch.encode("utf-8", "surrogatepass"))
        boff[len(text)] = acc
    sent = 0
    prev = None
    for (a, b) in spans:
        t = Token()
        t.cstart, t.cend = a, b
        t.start, t.end = boff[a], boff[b]
        t.surface = text[a:b]
        t.norm = norm(t.surface)
        t.stem = stem(t.norm)
        if prev is not None and gap_breaks(text[prev.cend:a], prev):
            sent += 1
        t.sentence = sent
        toks.append(t)
        prev = t
    return toks


def load_stopwords():
    with open(os.path.join(HERE, "contract", "stopwords-en.txt"), encoding="utf-8") as f:
        return {l.strip() for l in f if l.strip()}


STOPWORDS = load_stopwords()

# ---------------------------------------------------------------- §6 patterns

WS_CHARS = set("\u0009\u000a\u000b\u000c\u000d\u0020\u0085\u00a0\u1680\u2000\u2001\u2002\u2003"
               "\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000")


class PatternError(Exception):
    pass


def split_ws(s):
    pieces, cur = [], []
    for ch in s:
        if ch in WS_CHARS:
            if cur:
                pieces.append("".join(cur))
                cur = []
        else:
            cur.append(ch)
    if cur:
        pieces.append("".join(cur))
    return pieces


def compile_pattern(p):
    """Return list of tests; each test is a function(token)->bool plus a description."""
    tests = []
    for piece in split_ws(p):
        if piece == "*":
            tests.append(("any", None, lambda t: True))
        elif piece.startswith("~"):
            word = piece[1:]
            sp = tokenize_spans(word)
            if len(sp) != 1:
                raise PatternError(f"~word must be one token: {piece!r}")
            st = stem(norm(word[sp[0][0]:sp[0][1]]))
            tests.append(("stem", st, (lambda st: lambda t: t.stem == st)(st)))
        elif "*" in piece:
            g = norm13(piece)
            if set(g) <= {"*"}:
                raise PatternError(f"glob of only stars: {piece!r}")
            rx = re.compile("".join(".*" if c == "*" else re.escape(c) for c in g), re.S)
            tests.append(("glob", g, (lambda rx: lambda t: rx.fullmatch(t.norm) is not None)(rx)))
        else:
            for (a, b) in tokenize_spans(piece):
                nn = norm(piece[a:b])
                tests.append(("norm", nn, (lambda nn: lambda t: t.norm == nn)(nn)))
    if not tests:
        raise PatternError(f"pattern yields no test: {p!r}")
    return tests


# ---------------------------------------------------------------- §7 matching

NEG = {"not", "no", "never", "nor", "neither", "without", "cannot", "none", "nobody",
       "nothing", "nowhere"}


def match_at(tests, toks, i):
    k = len(tests)
    if i + k > len(toks):
        return False
    s = toks[i].sentence
    for j, (_, _, f) in enumerate(tests):
        t = toks[i + j]
        if t.sentence != s or not f(t):
            return False
    return True


def match_frame(patterns, toks):
    """patterns: list of (pattern_string, tests). Returns list of (i, j, pattern_index)."""
    hits = []
    i = 0
    n = len(toks)
    while i < n:
        best = None
        for pi, (_, tests) in enumerate(patterns):
            k = len(tests)
            if best is not None and k <= best[1]:
                continue
            if match_at(tests, toks, i):
                best = (pi, k)
        if best is None:
            i += 1
        else:
            hits.append((i, i + best[1] - 1, best[0]))
            i += best[1]
    return hits


def is_negated(toks, i):
    s = toks[i].sentence
    for j in range(max(0, i - 3), i):
        t = toks[j]
        if t.sentence != s:
            continue
        if t.norm in NEG or t.norm.endswith("n't"):
            return True
    return False


# ---------------------------------------------------------------- §9 KWIC

def collapse_ws(s):
    out = []
    prev_ws = False
    for ch in s:
        if ch in WS_CHARS:
            if not prev_ws:
                out.append(" ")
            prev_ws = True
        else:
            out.append(ch)
            prev_ws = False
    return "".join(out)


def kwic_parts(text, toks, i, j, w):
    n = len(toks)
    if i == 0:
        left = ""
    else:
        left = text[toks[max(0, i - w)].cstart:toks[i - 1].cend]
    match = text[toks[i].cstart:toks[j].cend]
    if j == n - 1:
        right = ""
    else:
        right = text[toks[j + 1].cstart:toks[min(n - 1, j + w)].cend]
    return collapse_ws(left), collapse_ws(match), collapse_ws(right)


# ---------------------------------------------------------------- §8 scores

def garwood(h):
    from scipy.stats import chi2
    lo = 0.0 if h == 0 else 0.5 * chi2.ppf(0.025, 2 * h)
    hi = 0.5 * chi2.ppf(0.975, 2 * h + 2)
    return lo, hi


def frame_scores(ntok, hits_by_frame):
    """hits_by_frame: list of (hits, negated). Returns rows of dict."""
    tot = sum(h for h, _ in hits_by_frame)
    rows = []
    for h, ng in hits_by_frame:
        lo, hi = garwood(h)
        rows.append(dict(
            n_tokens=ntok, hits=h, negated=ng,
            per_1k=None if ntok == 0 else 1000.0 * h / ntok,
            ci_low=None if ntok == 0 else 1000.0 * lo / ntok,
            ci_high=None if ntok == 0 else 1000.0 * hi / ntok,
            share=0.0 if tot == 0 else h / tot))
    return rows


# ---------------------------------------------------------------- §10 keyness

def g2_stat(a, b, c, d):
    """Evaluated in 40-digit arithmetic: near g2 = 0 the sum cancels badly in floats."""
    from mpmath import mp, mpf, log as mlog
    mp.dps = 40
    O = [[a, b], [c - a, d - b]]
    N = c + d
    rows = [a + b, (c - a) + (d - b)]
    cols = [c, d]
    g = mpf(0)
    for i in range(2):
        for j in range(2):
            o = O[i][j]
            if o:
                g += o * mlog(mpf(o) * N / (rows[i] * cols[j]))
    g = float(2 * g)
    if a * d < b * c:
        g = -abs(g)
    return g


def g2_stat_naive(a, b, c, d):
    O = [[a, b], [c - a, d - b]]
    N = c + d
    rows = [a + b, (c - a) + (d - b)]
    cols = [c, d]
    g = 0.0
    for i in range(2):
        for j in range(2):
            o = O[i][j]
            if o == 0:
                continue
            e = rows[i] * cols[j] / N
            g += o * math.log(o / e)
    g *= 2
    if a / c < b / d:
        g = -abs(g)
    return g


def p_chi1(g):
    from scipy.stats import chi2
    return float(chi2.sf(abs(g), 1))


def log_ratio(a, b, c, d):
    a2 = a if a else 0.5
    b2 = b if b else 0.5
    return math.log2((a2 / c) / (b2 / d))


def bh(ps):
    m = len(ps)
    order = sorted(range(m), key=lambda k: ps[k])
    adj = [0.0] * m
    run = 1.0
    for rank in range(m, 0, -1):
        k = order[rank - 1]
        v = min(run, ps[k] * m / rank)
        run = v
        adj[k] = min(v, 1.0)
    return adj
