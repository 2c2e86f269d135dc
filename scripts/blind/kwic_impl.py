"""Independent implementation of framescope `kwic`'s options, `run`'s hits.csv and
`score --by`, written from README.md and `--help` alone, on top of contract_impl.py.

Readings taken (see NOTES in check_kwic.py's report):
- several patterns: each is a one-pattern "frame" (CONTRACT §7) on its own; lines of
  different patterns may overlap; a pattern given twice gives its lines twice.
- doc order: (document, first token, pattern index).
- --sentence: left/right windows clipped at the match's sentence (window still applies).
- --sort: keys in order, stable sort over doc order; Lk/Rk = norm of token i-k / j+k
  in the whole document (not clipped by window or sentence); a missing token sorts
  first; match = tuple of the match's norms; code point order.
- --near P: P matched per §7 on its own (leftmost-longest, non-overlapping) in the
  document; a line is kept when some P-match [p,q] does not overlap [i,j] and lies
  within N tokens: NEAR_MODE "inside" = i-N <= p and q <= j+N (whole near-match inside
  the window); "touch" = some token of it within the window.  Windows cross sentences
  (and are not clipped by --sentence unless NEAR_CLIP).
- --limit N: first N lines after filter and sort.
"""
import os
import sys
import tomllib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import contract_impl as C  # noqa: E402

NEAR_MODE = os.environ.get("NEAR_MODE", "touch")
NEAR_CLIP = os.environ.get("NEAR_CLIP", "0") == "1"


class Doc:
    def __init__(self, idx, did, text, meta):
        self.idx = idx
        self.id = did
        self.text = text
        self.meta = meta
        self.toks = C.analyze(text)
        # sentence bounds per token
        n = len(self.toks)
        self.sfirst = [0] * n
        self.slast = [0] * n
        k = 0
        while k < n:
            s = self.toks[k].sentence
            e = k
            while e + 1 < n and self.toks[e + 1].sentence == s:
                e += 1
            for m in range(k, e + 1):
                self.sfirst[m] = k
                self.slast[m] = e
            k = e + 1


def load_docs(path):
    import json
    docs = []
    with open(path, encoding="utf-8") as f:
        for ln in f:
            if not ln.strip():
                continue
            o = json.loads(ln)
            text = o.pop("text")
            did = o.pop("id", None)
            if did is None:
                did = f"text{len(docs) + 1}"
            docs.append(Doc(len(docs), str(did), text, o))
    return docs


def load_lexicon(path):
    with open(path, "rb") as f:
        t = tomllib.load(f)
    name = os.path.splitext(os.path.basename(path))[0]
    frames = []
    for fr in t["frame"]:
        pats = [(p, C.compile_pattern(p)) for p in fr["patterns"]]
        frames.append((fr["id"], pats))
    return name, frames


class Line:
    __slots__ = ("doc", "i", "j", "pi", "pattern", "order")

    def __init__(self, doc, i, j, pi, pattern):
        self.doc, self.i, self.j, self.pi, self.pattern = doc, i, j, pi, pattern


def context(doc, i, j, w, sentence):
    toks = doc.toks
    n = len(toks)
    lo = max(0, i - w)
    hi = min(n - 1, j + w)
    if sentence:
        lo = max(lo, doc.sfirst[i])
        hi = min(hi, doc.slast[j])
    text = doc.text
    left = "" if lo > i - 1 else text[toks[lo].cstart:toks[i - 1].cend]
    match = text[toks[i].cstart:toks[j].cend]
    right = "" if j + 1 > hi else text[toks[j + 1].cstart:toks[hi].cend]
    return C.collapse_ws(left), C.collapse_ws(match), C.collapse_ws(right)


def near_ok(doc, line, near_hits, N):
    i, j = line.i, line.j
    lo, hi = i - N, j + N
    if NEAR_CLIP:
        lo = max(lo, doc.sfirst[i])
        hi = min(hi, doc.slast[j])
    for (p, q, _) in near_hits:
        if not (q < i or p > j):
            continue  # overlaps the match
        if NEAR_MODE == "inside":
            if p >= lo and q <= hi:
                return True
        elif NEAR_MODE == "touch":
            if q >= lo and p <= hi:
                return True
        elif NEAR_MODE == "start":  # near-match's first token within the window
            if lo <= p <= hi:
                return True
    return False


def sort_key_fn(key):
    k = key.lower()
    if k == "doc":
        return lambda ln: (ln.doc.idx, ln.i, ln.pi)
    if k == "match":
        return lambda ln: tuple(t.norm for t in ln.doc.toks[ln.i:ln.j + 1])
    side, num = k[0], int(k[1:])
    if side == "l":
        def f(ln):
            m = ln.i - num
            return (1, ln.doc.toks[m].norm) if m >= 0 else (0, "")
    else:
        def f(ln):
            m = ln.j + num
            return (1, ln.doc.toks[m].norm) if m < len(ln.doc.toks) else (0, "")
    return f


def kwic(docs, patterns=None, frame=None, window=5, sentence=False, sort=None,
         near=None, near_window=None, limit=None, by=None, target=None):
    """patterns: list of strings; frame: list of (pattern, tests). Returns list of row dicts."""
    lines = []
    if patterns is not None:
        comp = [(p, C.compile_pattern(p)) for p in patterns]
    near_t = [(near, C.compile_pattern(near))] if near is not None else None
    nw = window if near_window is None else near_window
    keep_vals = None if by is None else set(target.split(","))
    for d in docs:
        if keep_vals is not None:
            v = d.id if by == "id" else d.meta.get(by)
            if by == "year":
                v = str(d.meta.get("date", ""))[:4]
            if str(v) not in keep_vals:
                continue
        cur = []
        if patterns is not None:
            for pi, pc in enumerate(comp):
                for (i, j, _) in C.match_frame([pc], d.toks):
                    cur.append(Line(d, i, j, pi, pc[0]))
        else:
            for (i, j, pi) in C.match_frame(frame, d.toks):
                cur.append(Line(d, i, j, pi, frame[pi][0]))
        cur.sort(key=lambda ln: (ln.i, ln.pi))
        if near_t is not None:
            nh = C.match_frame(near_t, d.toks)
            cur = [ln for ln in cur if near_ok(d, ln, nh, nw)]
        lines.extend(cur)
    if sort:
        keys = [sort_key_fn(k) for k in sort.split(",")]
        lines.sort(key=lambda ln: tuple(f(ln) for f in keys))
    if limit is not None:
        lines = lines[:limit]
    rows = []
    for ln in lines:
        d = ln.doc
        a, b = d.toks[ln.i], d.toks[ln.j]
        left, match, right = context(d, ln.i, ln.j, window, sentence)
        rows.append(dict(doc_id=d.id, pattern=ln.pattern, token_start=ln.i, token_end=ln.j,
                         byte_start=a.start, byte_end=b.end, sentence=a.sentence,
                         negated=C.is_negated(d.toks, ln.i), left=left, match=match, right=right))
    return rows


COLS = ["doc_id", "pattern", "token_start", "token_end", "byte_start", "byte_end", "sentence",
        "negated", "left", "match", "right"]

_NUM = __import__("re").compile(r"^[+-]?(\d[\d,]*)(\.\d+)?([eE][+-]?\d+)?$")


def guard(s):
    if s and s[0] in "=+-@\t\r" and not _NUM.match(s):
        return "'" + s
    return s


def csv_cell(v):
    if isinstance(v, bool):
        v = "true" if v else "false"
    v = str(v)
    if any(c in v for c in ',"\n\r'):
        return '"' + v.replace('"', '""') + '"'
    return v


def csv_row(row, cols=COLS):
    out = []
    for c in cols:
        v = row[c]
        if c in ("doc_id", "pattern", "left", "match", "right", "group", "lexicon", "frame"):
            v = guard(v)
        out.append(csv_cell(v))
    return ",".join(out)


def hits_csv(docs, lexicons, window=5, max_hits=100000):
    """run's hits.csv: documents, then first token, then frame (lexicon order, frame order)."""
    per_frame_count = {}
    rows = []
    for d in docs:
        cur = []
        fo = 0
        for (lname, frames) in lexicons:
            for (fid, pats) in frames:
                for (i, j, pi) in C.match_frame(pats, d.toks):
                    cur.append((i, fo, lname, fid, pats[pi][0], j))
                fo += 1
        cur.sort(key=lambda t: (t[0], t[1]))
        for (i, fo_, lname, fid, pat, j) in cur:
            c = per_frame_count.get(fo_, 0)
            per_frame_count[fo_] = c + 1
            if max_hits and c >= max_hits:
                continue
            left, match, right = context(d, i, j, window, False)
            a, b = d.toks[i], d.toks[j]
            rows.append(dict(doc_id=d.id, lexicon=lname, frame=fid, pattern=pat, token_start=i,
                             token_end=j, byte_start=a.start, byte_end=b.end, sentence=a.sentence,
                             negated=C.is_negated(d.toks, i), left=left, match=match, right=right))
    return rows


def group_value(d, by):
    if by == "doc" or by == "id":
        return d.id
    if by == "corpus":
        return "corpus"
    if by == "year":
        return str(d.meta["date"])[:4]
    v = d.meta[by]
    return v if isinstance(v, str) else str(v)


def score(docs, lexicons, by="doc"):
    groups = {}
    order = []
    for d in docs:
        g = group_value(d, by)
        if g not in groups:
            groups[g] = []
            order.append(g)
        groups[g].append(d)
    # A field's groups in the README's group order (numbers by value,
    # then text by code point); documents in corpus order.
    if by not in ("doc", "id", "doc_id"):
        def key(v):
            try:
                x = float(v)
                if x == x and abs(x) != float("inf"):
                    return (0, x, v)
            except (TypeError, ValueError):
                pass
            return (1, 0.0, v)
        order.sort(key=key)
    rows = []
    for g in order:
        ntok = sum(len(d.toks) for d in groups[g])
        counts, names = [], []
        for (lname, frames) in lexicons:
            for (fid, pats) in frames:
                h = ng = 0
                for d in groups[g]:
                    for (i, j, pi) in C.match_frame(pats, d.toks):
                        h += 1
                        ng += C.is_negated(d.toks, i)
                counts.append((h, ng))
                names.append((lname, fid))
        # share: hits / hits of all frames of ALL lexicons in the group (SHARE_PER_LEXICON=1: per lexicon)
        if os.environ.get("SHARE_PER_LEXICON") == "1":
            sc = []
            k = 0
            for (lname, frames) in lexicons:
                sc += C.frame_scores(ntok, counts[k:k + len(frames)])
                k += len(frames)
        else:
            sc = C.frame_scores(ntok, counts)
        for (lname, fid), r in zip(names, sc):
            r = dict(r)
            r["group"] = g
            r["lexicon"] = lname
            r["frame"] = fid
            rows.append(r)
    return rows


# ---------------------------------------------------------------- text format (README reading)
def _cw(ch):
    import unicodedata2 as ud
    cat = ud.category(ch)
    if cat in ("Mn", "Me", "Cf"):
        return 0
    if 0x1160 <= ord(ch) <= 0x11FF:
        return 0
    if ud.east_asian_width(ch) in ("W", "F"):
        return 2
    return 1


def width(s):
    return sum(_cw(c) for c in s)


def _ctrl(s):
    import unicodedata2 as ud
    return "".join("\ufffd" if ud.category(c) == "Cc" else c for c in s)


def _cut_left(s, w=40):
    if width(s) <= w:
        return s
    out, acc = [], 1
    for ch in reversed(s):
        cw = _cw(ch)
        if acc + cw > w:
            break
        out.append(ch)
        acc += cw
    return "\u2026" + "".join(reversed(out))


def _cut_right(s, w=40):
    if width(s) <= w:
        return s
    out, acc = [], 1
    for ch in s:
        cw = _cw(ch)
        if acc + cw > w:
            break
        out.append(ch)
        acc += cw
    return "".join(out) + "\u2026"


def text_lines(rows):
    ms = [_ctrl(r["match"]) for r in rows]
    # undocumented, found by probing: the match column is as wide as the widest match of
    # at most 30 columns; wider matches overflow it
    mw = max((width(m) for m in ms if width(m) <= 30), default=0)
    out = []
    for r, m in zip(rows, ms):
        left = _cut_left(_ctrl(r["left"]))
        right = _cut_right(_ctrl(r["right"]))
        out.append(" " * (40 - width(left)) + left + "  " + m + " " * max(0, mw - width(m)) + "  " + right
                   + " " * (40 - width(right)) + "  " + _ctrl(r["doc_id"]))
    return out
