#!/usr/bin/env python3
"""Compare framescope (paths.BIN) against an independent implementation of CONTRACT.md.

Usage:  VENV/bin/python scripts/blind/check.py [--nrandom N] [--nprose N] [--seed S] [--nlex K]
            [--skip corpus,tokens,freq,kwic,run,compare]
Writes its corpora and the binary's outputs into target/blind/check/, and every
disagreement into target/blind/check/disagreements.jsonl; prints a summary.
Related: contract_impl.py (the implementation), cases.py (adversarial texts), vectors.py
(contract/tokenize.jsonl), stem_probe.py (binary vs snowballstemmer 2.2.0 vs rust-stemmers 1.2.0),
wh_check.py (scale check on ../shared/corpora/wh-briefings.jsonl.gz).
"""
import argparse
import collections
import csv
import io
import json
import math
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import contract_impl as C
import cases

from paths import BIN, work  # noqa: E402
WORK = work("check")

DIS = []
EQ = collections.Counter()


def disagree(kind, **kw):
    DIS.append(dict(kind=kind, **kw))


def run(args, ok_fail=False):
    p = subprocess.run([BIN, "--threads", "1", "-q"] + args, capture_output=True)
    if p.returncode != 0 and not ok_fail:
        raise RuntimeError(f"{args}: rc={p.returncode} {p.stderr.decode(errors='replace')}")
    return p


def read_csv(path_or_bytes):
    if isinstance(path_or_bytes, bytes):
        s = path_or_bytes.decode("utf-8")
    else:
        with open(path_or_bytes, "rb") as f:
            s = f.read().decode("utf-8")
    return list(csv.DictReader(io.StringIO(s, newline="")))


def fclose(a, b, rel=1e-9, abs_=1e-12):
    if a in ("", None) or b in ("", None):
        return (a in ("", None)) and (b in ("", None))
    a = float(a)
    b = float(b)
    if math.isinf(a) or math.isinf(b) or math.isnan(a) or math.isnan(b):
        return str(a) == str(b)
    return abs(a - b) <= max(abs_, rel * max(abs(a), abs(b)))


# ------------------------------------------------------------------ corpus

def build_corpus(nrandom, nprose, seed):
    texts = list(cases.HAND) + cases.random_texts(nrandom, seed) + cases.random_prose(nprose, seed + 1)
    docs = []
    for i, t in enumerate(texts):
        docs.append(dict(id=f"d{i:05d}", text=t, group=f"g{i % 7}"))
    return docs


def write_jsonl(path, docs):
    with open(path, "w", encoding="utf-8") as f:
        for d in docs:
            f.write(json.dumps(d, ensure_ascii=True) + "\n")


# ------------------------------------------------------------------ comparisons

def cmp_corpus(docs, A):
    out = json.loads(run(["corpus", "--corpus", f"{WORK}/corpus.jsonl", "--format", "json"]).stdout)
    by = {r["doc_id"]: r for r in out}
    for d in docs:
        toks = A[d["id"]]
        mine = dict(n_tokens=len(toks), n_types=len({t.norm for t in toks}),
                    n_sentences=(toks[-1].sentence + 1) if toks else 0,
                    n_bytes=len(d["text"].encode("utf-8")))
        r = by.get(d["id"])
        theirs = {k: r.get(k) for k in mine} if r else None
        if theirs != mine:
            disagree("corpus", doc=d["id"], text=d["text"], binary=theirs, mine=mine)
        else:
            EQ["corpus rows"] += 1


def cmp_tokens(docs, A):
    """kwic '*' --window 1 lists every token: offsets, sentence, and 1-token contexts."""
    p = run(["kwic", "--corpus", f"{WORK}/corpus.jsonl", "--format", "json", "--window", "1", "*"])
    rows = json.loads(p.stdout)
    by = collections.defaultdict(list)
    for r in rows:
        by[r["doc_id"]].append(r)
    for d in docs:
        toks = A[d["id"]]
        mine = []
        for k, t in enumerate(toks):
            l, m, rr = C.kwic_parts(d["text"], toks, k, k, 1)
            mine.append([k, t.start, t.end, t.sentence, l, m, rr, C.is_negated(toks, k)])
        theirs = [[r["token_start"], r["byte_start"], r["byte_end"], r["sentence"], r["left"], r["match"],
                   r["right"], r["negated"]] for r in by.get(d["id"], [])]
        if mine != theirs:
            disagree("tokens(kwic *)", doc=d["id"], text=d["text"],
                     binary=theirs, mine=mine,
                     mine_tokens=[(t.surface, t.norm, t.stem, t.sentence) for t in toks])
        else:
            EQ["docs with identical token streams (offsets, sentences, negation, window-1 context)"] += 1
            EQ["tokens compared"] += len(toks)


def my_freq(docs, A, unit, by, ngram=1, drop=False):
    groups = collections.OrderedDict()
    for d in docs:
        g = d["id"] if by == "doc" else ("corpus" if by == "corpus" else d[by])
        groups.setdefault(g, []).append(d)
    rows = []
    for g, ds in groups.items():
        cnt = collections.Counter()
        ndocs = collections.Counter()
        ntok = 0
        for d in ds:
            toks = A[d["id"]]
            ntok += len(toks)
            seen = set()
            for k in range(len(toks) - ngram + 1):
                win = toks[k:k + ngram]
                if win[0].sentence != win[-1].sentence:
                    continue
                terms = [t.norm if unit == "norm" else t.stem for t in win]
                if drop:
                    if ngram == 1 and win[0].norm in C.STOPWORDS:
                        continue
                    if ngram > 1 and (win[0].norm in C.STOPWORDS or win[-1].norm in C.STOPWORDS):
                        continue
                term = " ".join(terms)
                cnt[term] += 1
                seen.add(term)
            for term in seen:
                ndocs[term] += 1
        for term, n in sorted(cnt.items(), key=lambda kv: (-kv[1], kv[0])):
            rows.append(dict(group=g, term=term, n=n, per_1k=(1000.0 * n / ntok) if ntok else None,
                             n_docs=ndocs[term]))
    return rows


def cmp_freq(docs, A, unit, by, ngram=1, drop=False):
    args = ["freq", "--corpus", f"{WORK}/corpus.jsonl", "--format", "csv", "--unit", unit, "--by", by,
            "--ngram", str(ngram)]
    if drop:
        args.append("--drop-stopwords")
    theirs = read_csv(run(args).stdout)
    mine = my_freq(docs, A, unit, by, ngram, drop)
    label = f"freq unit={unit} by={by} ngram={ngram} drop={drop}"
    tg = collections.defaultdict(list)
    mg = collections.defaultdict(list)
    for r in theirs:
        tg[r["group"]].append(r)
    for r in mine:
        mg[r["group"]].append(r)
    texts = {d["id"]: d["text"] for d in docs}
    for g in list(mg) + [g for g in tg if g not in mg]:
        a = tg.get(g, [])
        b = mg.get(g, [])
        ok = len(a) == len(b) and all(
            x["term"] == y["term"] and int(x["n"]) == y["n"] and int(x["n_docs"]) == y["n_docs"]
            and fclose(x["per_1k"], y["per_1k"]) for x, y in zip(a, b))
        if not ok:
            ta = collections.Counter({x["term"]: int(x["n"]) for x in a})
            tb = collections.Counter({y["term"]: y["n"] for y in b})
            order_only = ta == tb
            disagree(label, group=g, text=texts.get(g), order_only=order_only,
                     binary_minus_mine=dict(ta - tb), mine_minus_binary=dict(tb - ta),
                     binary_rows=[(x["term"], x["n"]) for x in a][:40],
                     mine_rows=[(y["term"], y["n"]) for y in b][:40])
        else:
            EQ[label + " groups"] += 1
            EQ[label + " rows"] += len(a)


KWIC_PATTERNS = [
    "win-win", "win win", "cooperat*", "*lateral", "~cooperate", "~cooperation", "~running", "~Ⅻ",
    "China's", "china", "CHINA’S", "U.S.-China", "u.s", "U.S.", "* *", "* * *", "mr *", "Mr. *",
    "中国", "中", "国 *", "* 国", "*s", "s", "a", "b", "a b", "a * b", "*ʼ*", "*'*", "'s", "ʼs", "s's",
    "1,000", "*2*", "2", "x", "İstanbul", "i̇stanbul", "οδος", "ΟΔΟΣ", "strasse", "ss", "fi*", "ﬁ*",
    "ﬁnancial", "financial", "abc", "ＡＢＣ", "xii", "Ⅻ", "1", "①", "㎏", "kg", "*-*", "*.*", "*,*",
    "~U.S.", "win-win cooperation", "not", "n't", "*n't", "no * win-win", "the", "it", "it's", "let's",
    "~dying", "~news", "e\u0301", "é", "ｶ", "カ", "ガ", "*\u0301*", "coop*ation", "*a*a*",
    "win\u00a0win", "win\u3000win", "win\u200bwin", "~win-win", "~it's", "... china", "china ...",
    "run*", "*ing", "~run", "~ran", "*ー*", "ー", "𠀀", "\U00031350", "ǆ", "Dž", "ſt", "st",
    "~coop*", "win\x1cwin", "*\x1c*", "a\x1c*", "win\u00a0*", "*\u2028*", "ＣＯＯＰ*", "*.", "1.", "~1980s",
    "中*", "*中", "İ*", "*'s", "china's*", "~ʼ-a", "ʼ-a", "~'tis", "ʼtis", "* ~develop *", "not *",
    "* not", "u.s *", "*\u0301", "*\u00ad*", "a\u00adb", "co\u00adop*",
    "coop＊", "～coop", "~coop＊", "coop﹡", "＊ coop", "coop ＊", "～cooperating", "other", "others", "~others",
]

BAD_PATTERNS = ["＊", "﹡", "～", "＊＊", "...", "**", "* **", "~", "~a b", "~U.S.-China", "~...", "***", "'", "~*", "~coop*",
                "-", "， 。", "~中国"]


def random_patterns(docs, A, n, seed):
    import random
    rng = random.Random(seed)
    surf = [t.surface for d in docs for t in A[d["id"]]]
    out = []
    for _ in range(n):
        pieces = []
        for _ in range(rng.choice([1, 1, 2, 2, 3])):
            w = rng.choice(surf)
            kind = rng.random()
            if kind < 0.15:
                pieces.append("*")
            elif kind < 0.3 and len(w) > 1:
                pieces.append(w[:rng.randint(1, len(w) - 1)] + "*")
            elif kind < 0.4 and len(w) > 1:
                pieces.append("*" + w[rng.randint(1, len(w) - 1):])
            elif kind < 0.55:
                pieces.append("~" + w)
            else:
                pieces.append(w)
        out.append(" ".join(pieces))
    return out


def my_kwic(docs, A, pattern, window):
    tests = C.compile_pattern(pattern)
    out = []
    for d in docs:
        toks = A[d["id"]]
        for (i, j, _) in C.match_frame([(pattern, tests)], toks):
            l, m, r = C.kwic_parts(d["text"], toks, i, j, window)
            out.append([d["id"], i, j, toks[i].start, toks[j].end, toks[i].sentence,
                        C.is_negated(toks, i), l, m, r])
    return out


def cmp_kwic(docs, A, window, patterns=None):
    texts = {d["id"]: d["text"] for d in docs}
    for pat in (patterns or KWIC_PATTERNS):
        p = run(["kwic", "--corpus", f"{WORK}/corpus.jsonl", "--format", "csv", "--window", str(window),
                 "--", pat], ok_fail=True)
        try:
            mine = my_kwic(docs, A, pat, window)
            merr = None
        except C.PatternError as e:
            mine, merr = None, str(e)
        if p.returncode != 0:
            if merr is None:
                disagree("kwic pattern accepted?", pattern=pat, binary=p.stderr.decode(), mine="accepted")
            else:
                EQ["kwic patterns both rejected"] += 1
            continue
        if merr is not None:
            disagree("kwic pattern accepted?", pattern=pat, binary="accepted", mine=merr)
            continue
        theirs = [[r["doc_id"], int(r["token_start"]), int(r["token_end"]), int(r["byte_start"]),
                   int(r["byte_end"]), int(r["sentence"]), r["negated"] == "true", r["left"], r["match"],
                   r["right"]] for r in read_csv(p.stdout)]
        if any(r["pattern"] != pat for r in read_csv(p.stdout)):
            disagree("kwic pattern column", pattern=pat)
        if theirs != mine:
            st, sm = {tuple(x) for x in theirs}, {tuple(x) for x in mine}
            only_b = sorted(st - sm)
            only_m = sorted(sm - st)
            docs_inv = sorted({x[0] for x in only_b} | {x[0] for x in only_m})
            disagree(f"kwic window={window}", pattern=pat, order_only=(st == sm),
                     binary_only=only_b[:10], mine_only=only_m[:10],
                     docs={k: texts[k] for k in docs_inv[:10]}, n_docs=len(docs_inv))
        else:
            EQ[f"kwic window={window} patterns identical"] += 1
            EQ[f"kwic window={window} lines"] += len(theirs)
    if patterns:
        return
    for pat in BAD_PATTERNS:
        p = run(["kwic", "--corpus", f"{WORK}/corpus.jsonl", "--format", "csv", "--", pat], ok_fail=True)
        try:
            C.compile_pattern(pat)
            merr = None
        except C.PatternError as e:
            merr = str(e)
        bad_b = p.returncode != 0
        if bad_b != (merr is not None):
            disagree("kwic pattern accepted?", pattern=pat,
                     binary=(p.stderr.decode().strip() if bad_b else "accepted: %d lines" %
                             len(read_csv(p.stdout))),
                     mine=merr or "accepted")
        else:
            EQ["pattern error/accept decisions equal"] += 1


def cmp_kwic_multi(docs, A):
    """Several patterns in one call: document order, then first token, then pattern order."""
    pats = ["win-win", "win", "* cooperation", "cooperat*", "~cooperate", "china", "* *", "中", "中 国"]
    p = run(["kwic", "--corpus", f"{WORK}/corpus.jsonl", "--format", "csv", "--window", "3", "--"] + pats)
    theirs = [[r["doc_id"], r["pattern"], int(r["token_start"]), int(r["token_end"]), r["left"], r["match"],
               r["right"]] for r in read_csv(p.stdout)]
    mine = []
    comp = [(pat, C.compile_pattern(pat)) for pat in pats]
    for d in docs:
        toks = A[d["id"]]
        lines = []
        for pi, (pat, tests) in enumerate(comp):
            for (i, j, _) in C.match_frame([(pat, tests)], toks):
                l, m, r = C.kwic_parts(d["text"], toks, i, j, 3)
                lines.append((i, pi, [d["id"], pat, i, j, l, m, r]))
        lines.sort(key=lambda x: (x[0], x[1]))
        mine += [x[2] for x in lines]
    if theirs != mine:
        k = next(k for k in range(min(len(theirs), len(mine)) + 1)
                 if k >= min(len(theirs), len(mine)) or theirs[k] != mine[k])
        disagree("kwic multi-pattern order", n_binary=len(theirs), n_mine=len(mine),
                 first_diff_binary=theirs[k:k + 3], first_diff_mine=mine[k:k + 3])
    else:
        EQ["kwic multi-pattern lines in identical order"] += len(theirs)


# ------------------------------------------------------------------ run

LEXICON = [
    ("f1", ["win-win", "win", "win-win cooperation", "China's", "U.S.-China", "* cooperation",
            "mutual benefit", "win win"]),
    ("f2", ["cooperat*", "~develop", "*lateral", "not", "a *", "* b", "a b"]),
    ("f3", ["中国", "中", "国 *", "1,000", "s", "ｶ", "ー *", "*s"]),
    ("f4", ["* *", "the"]),
    ("f5", ["never matches xyzzy"]),
    ("f6", ["no", "~run", "mr", "u.s", "it's", "run *", "* * * *"]),
]


def toml_str(s):
    return json.dumps(s, ensure_ascii=False).replace("\x7f", "\\u007f")


def write_lexicon(path, lexicon=None):
    lexicon = lexicon or LEXICON
    lines = ['name = "blind test"', 'version = "1"', 'description = "adversarial"', 'language = "english"', ""]
    for fid, pats in lexicon:
        lines += ["[[frame]]", f'id = "{fid}"', f'label = "{fid}"', f'description = "{fid}"',
                  "patterns = [" + ", ".join(toml_str(p) for p in pats) + "]", ""]
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines))


def my_run(docs, A, window, lexicon=None):
    frames = [(fid, [(p, C.compile_pattern(p)) for p in pats]) for fid, pats in (lexicon or LEXICON)]
    hits = []
    frows = []
    for d in docs:
        toks = A[d["id"]]
        per = []
        dh = []
        for fi, (fid, pats) in enumerate(frames):
            hs = C.match_frame(pats, toks)
            neg = 0
            for (i, j, pi) in hs:
                ng = C.is_negated(toks, i)
                neg += ng
                l, m, r = C.kwic_parts(d["text"], toks, i, j, window)
                dh.append((i, fi, [d["id"], "lex", fid, pats[pi][0], i, j, toks[i].start, toks[j].end,
                                   toks[i].sentence, ng, l, m, r]))
            per.append((len(hs), neg))
        dh.sort(key=lambda x: (x[0], x[1]))
        hits += [x[2] for x in dh]
        for (fid, _), row in zip(frames, C.frame_scores(len(toks), per)):
            frows.append(dict(doc_id=d["id"], frame=fid, **row))
    if lexicon is not None:
        for h in hits:
            h[1] = "lex-" + lexicon_tag
    return hits, frows
    return hits, frows


lexicon_tag = None


def my_keyness(docs, A, groups):
    """groups: list of (target_name, set of doc ids). Reference = all other docs."""
    allcnt = collections.Counter()
    for d in docs:
        for t in A[d["id"]]:
            allcnt[t.norm] += 1
    N = sum(allcnt.values())
    out = []
    for name, ids in groups:
        tc = collections.Counter()
        for d in docs:
            if d["id"] in ids:
                for t in A[d["id"]]:
                    tc[t.norm] += 1
        c = sum(tc.values())
        dd = N - c
        if c == 0 or dd == 0:
            continue
        rows = []
        for term, tot in allcnt.items():
            if tot < 3:
                continue
            a = tc[term]
            b = tot - a
            g = C.g2_stat(a, b, c, dd)
            rows.append(dict(target=name, term=term, n_target=a, n_reference=b,
                             per_1k_target=1000 * a / c, per_1k_reference=1000 * b / dd, g2=g,
                             p_value=C.p_chi1(g), log_ratio=C.log_ratio(a, b, c, dd)))
        adj = C.bh([r["p_value"] for r in rows])
        for r, pa in zip(rows, adj):
            r["p_adjusted"] = pa
        rows.sort(key=lambda r: (-r["g2"], r["term"]))
        out += rows
    return out


def cmp_run(docs, A, tag, by=None, window=5, lexicon=None):
    corpus = f"{WORK}/{tag}.jsonl"
    write_jsonl(corpus, docs)
    out = f"{WORK}/out-{tag}"
    lexpath = f"{WORK}/lex.toml"
    if lexicon:
        lexpath = f"{WORK}/lex-{tag}.toml"
        write_lexicon(lexpath, lexicon)
    args = ["run", "--corpus", corpus, "--lexicon", lexpath, "--out", out, "--window", str(window)]
    if by:
        args += ["--by", by]
    run(args)
    texts = {d["id"]: d["text"] for d in docs}
    # hits.csv
    mh, mf = my_run(docs, A, window, lexicon)
    th = [[r["doc_id"], "lex" if not lexicon else r["lexicon"], r["frame"], r["pattern"], int(r["token_start"]), int(r["token_end"]),
           int(r["byte_start"]), int(r["byte_end"]), int(r["sentence"]), r["negated"] == "true", r["left"],
           r["match"], r["right"]] for r in read_csv(f"{out}/hits.csv")]
    tb = collections.defaultdict(list)
    mb = collections.defaultdict(list)
    for r in th:
        tb[r[0]].append(r)
    for r in mh:
        mb[r[0]].append(r)
    for d in docs:
        a, b = tb.get(d["id"], []), mb.get(d["id"], [])
        if a != b:
            sa, sb = {tuple(x) for x in a}, {tuple(x) for x in b}
            disagree(f"run[{tag}] hits.csv", doc=d["id"], text=d["text"], order_only=(sa == sb),
                     binary_only=sorted(sa - sb)[:10], mine_only=sorted(sb - sa)[:10])
        else:
            EQ[f"run[{tag}] hits.csv docs identical"] += 1
            EQ[f"run[{tag}] hits.csv rows"] += len(a)
    # frames.csv
    tf = read_csv(f"{out}/frames.csv")
    if len(tf) != len(mf):
        disagree(f"run[{tag}] frames.csv rowcount", binary=len(tf), mine=len(mf))
    for x, y in zip(tf, mf):
        ok = (x["doc_id"] == y["doc_id"] and x["frame"] == y["frame"] and int(x["n_tokens"]) == y["n_tokens"]
              and int(x["hits"]) == y["hits"] and int(x["negated"]) == y["negated"]
              and all(fclose(x[k], y[k]) for k in ("per_1k", "ci_low", "ci_high", "share")))
        if not ok:
            disagree(f"run[{tag}] frames.csv", text=texts.get(y["doc_id"]), binary=x, mine=y)
        else:
            EQ[f"run[{tag}] frames.csv rows"] += 1
    # docs.csv
    for r in read_csv(f"{out}/docs.csv"):
        toks = A[r["doc_id"]]
        mine = [len(toks), len({t.norm for t in toks}), (toks[-1].sentence + 1) if toks else 0,
                len(texts[r["doc_id"]].encode())]
        theirs = [int(r["n_tokens"]), int(r["n_types"]), int(r["n_sentences"]), int(r["n_bytes"])]
        if mine != theirs:
            disagree(f"run[{tag}] docs.csv", doc=r["doc_id"], text=texts[r["doc_id"]], binary=theirs, mine=mine)
        else:
            EQ[f"run[{tag}] docs.csv rows"] += 1
    # keyness.csv
    if by:
        vals = []
        for d in docs:
            if d[by] not in vals:
                vals.append(d[by])
        groups = [(v, {d["id"] for d in docs if d[by] == v}) for v in vals]
    else:
        groups = [(d["id"], {d["id"]}) for d in docs]
    mk = my_keyness(docs, A, groups)
    tk = read_csv(f"{out}/keyness.csv")
    tkb = collections.defaultdict(list)
    mkb = collections.defaultdict(list)
    for r in tk:
        tkb[r["target"]].append(r)
    for r in mk:
        mkb[r["target"]].append(r)
    if list(tkb) != list(mkb):
        disagree(f"run[{tag}] keyness targets", binary=list(tkb), mine=list(mkb))
    for tgt in mkb:
        a, b = tkb.get(tgt, []), mkb[tgt]
        bad = []
        if len(a) != len(b):
            bad.append(("rowcount", len(a), len(b)))
        for x, y in zip(a, b):
            if x["term"] != y["term"] or int(x["n_target"]) != y["n_target"] or int(x["n_reference"]) != y["n_reference"]:
                bad.append(("row", x["term"], x["n_target"], x["n_reference"], y["term"], y["n_target"],
                            y["n_reference"]))
                continue
            for k in ("per_1k_target", "per_1k_reference", "g2", "p_value", "p_adjusted", "log_ratio"):
                if not fclose(x[k], y[k], rel=1e-7, abs_=1e-13):
                    bad.append((k, x["term"], x[k], y[k]))
        if bad:
            disagree(f"run[{tag}] keyness.csv", target=tgt, first=bad[:10], nbad=len(bad))
        else:
            EQ[f"run[{tag}] keyness.csv targets identical"] += 1
            EQ[f"run[{tag}] keyness.csv rows"] += len(a)


def cmp_compare(docs, A):
    """compare --what terms --by group with explicit target/reference, norms and stems."""
    for target, ref, unit, minc, drop in [("g1", "g2", "norm", 3, False), ("g1,g3", None, "stem", 2, False),
                                          ("g0", None, "norm", 1, False), ("g5", "g6,g0", "stem", 5, False),
                                          ("g2", None, "norm", 2, True), ("g3", "g4", "stem", 1, True)]:
        args = ["compare", "--corpus", f"{WORK}/corpus.jsonl", "--what", "terms", "--by", "group", "--target",
                target, "--unit", unit, "--min-count", str(minc), "--format", "csv",
                "--drop-stopwords" if drop else "--keep-stopwords"]
        if ref:
            args += ["--reference", ref]
        theirs = read_csv(run(args).stdout)
        tset = set(target.split(","))
        rset = set(ref.split(",")) if ref else None
        tc, rc = collections.Counter(), collections.Counter()
        for d in docs:
            for t in A[d["id"]]:
                term = t.norm if unit == "norm" else t.stem
                if d["group"] in tset:
                    tc[term] += 1
                elif rset is None or d["group"] in rset:
                    rc[term] += 1
        c, dd = sum(tc.values()), sum(rc.values())
        if drop:  # §5: stopwords (by norm) left out of the table; c, d stay the token totals
            tc, rc = collections.Counter(), collections.Counter()
            for d in docs:
                for t in A[d["id"]]:
                    if t.norm in C.STOPWORDS:
                        continue
                    term = t.norm if unit == "norm" else t.stem
                    if d["group"] in tset:
                        tc[term] += 1
                    elif rset is None or d["group"] in rset:
                        rc[term] += 1
        rows = []
        for term in set(tc) | set(rc):
            a, b = tc[term], rc[term]
            if a + b < minc:
                continue
            g = C.g2_stat(a, b, c, dd)
            rows.append(dict(term=term, n_target=a, n_reference=b, per_1k_target=1000 * a / c,
                             per_1k_reference=1000 * b / dd, g2=g, p_value=C.p_chi1(g),
                             log_ratio=C.log_ratio(a, b, c, dd)))
        for r, pa in zip(rows, C.bh([r["p_value"] for r in rows])):
            r["p_adjusted"] = pa
        rows.sort(key=lambda r: (-r["g2"], r["term"]))
        bad = []
        if len(rows) != len(theirs):
            bad.append(("rowcount", len(theirs), len(rows)))
        for x, y in zip(theirs, rows):
            if x["term"] != y["term"] or int(x["n_target"]) != y["n_target"] or int(x["n_reference"]) != y["n_reference"]:
                bad.append(("row", x["term"], x["n_target"], x["n_reference"], y["term"], y["n_target"], y["n_reference"]))
                continue
            for k in ("per_1k_target", "per_1k_reference", "g2", "p_value", "p_adjusted", "log_ratio"):
                if not fclose(x[k], y[k], rel=1e-7, abs_=1e-13):
                    bad.append((k, x["term"], x[k], y[k]))
        label = f"compare terms target={target} reference={ref} unit={unit} min={minc} drop={drop}"
        if bad:
            disagree(label, first=bad[:10], nbad=len(bad))
        else:
            EQ["compare --what terms rows"] += len(rows)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--nrandom", type=int, default=1500)
    ap.add_argument("--nprose", type=int, default=400)
    ap.add_argument("--seed", type=int, default=1234)
    ap.add_argument("--nlex", type=int, default=4, help="random lexicons for run")
    ap.add_argument("--skip", default="", help="comma list of: corpus,tokens,freq,kwic,run")
    args = ap.parse_args()
    skip = set(args.skip.split(","))
    os.makedirs(WORK, exist_ok=True)
    docs = build_corpus(args.nrandom, args.nprose, args.seed)
    write_jsonl(f"{WORK}/corpus.jsonl", docs)
    write_lexicon(f"{WORK}/lex.toml")
    A = {d["id"]: C.analyze(d["text"]) for d in docs}
    print(f"{len(docs)} documents, {sum(len(v) for v in A.values())} tokens (mine)", file=sys.stderr)
    if "corpus" not in skip:
        cmp_corpus(docs, A)
    if "tokens" not in skip:
        cmp_tokens(docs, A)
    if "freq" not in skip:
        for unit in ("norm", "stem"):
            cmp_freq(docs, A, unit, "doc")
        cmp_freq(docs, A, "norm", "corpus")
        cmp_freq(docs, A, "stem", "group")
        cmp_freq(docs, A, "norm", "corpus", drop=True)
        cmp_freq(docs, A, "norm", "doc", ngram=2)
        cmp_freq(docs, A, "norm", "corpus", ngram=3, drop=True)
        cmp_freq(docs, A, "stem", "corpus", ngram=2)
        cmp_freq(docs, A, "stem", "corpus", drop=True)
        cmp_freq(docs, A, "stem", "group", ngram=2, drop=True)
    if "kwic" not in skip:
        cmp_kwic(docs, A, 5)
        cmp_kwic(docs, A, 2)
    if "kwic" not in skip:
        cmp_kwic(docs, A, 3, random_patterns(docs, A, 150, args.seed))
        cmp_kwic(docs, A, 100, ["* cooperation", "~develop", "not", "中"])
        cmp_kwic(docs, A, 1, ["* *", "a", "s"])
        cmp_kwic_multi(docs, A)
    if "run" not in skip:
        cmp_run(docs, A, "all-by-group", by="group")
        small = [dict(id=f"p{i:03d}", text=t, group=f"g{i % 3}")
                 for i, t in enumerate(cases.random_prose(60, args.seed + 7, 120))]
        As = {d["id"]: C.analyze(d["text"]) for d in small}
        cmp_run(small, As, "prose-by-doc", window=3)
        hand = [dict(id=f"h{i:03d}", text=t, group="x") for i, t in enumerate(cases.HAND[:190])]
        Ah = {d["id"]: C.analyze(d["text"]) for d in hand}
        cmp_run(hand, Ah, "hand-by-doc", window=4)
        global lexicon_tag
        for k in range(args.nlex):
            lexicon_tag = f"rand{k}"
            pool = random_patterns(small + hand, {**As, **Ah}, 60, args.seed + 100 + k)
            good = []
            for ptn in pool:
                try:
                    C.compile_pattern(ptn)
                    good.append(ptn)
                except C.PatternError:
                    pass
            import random
            rng = random.Random(k)
            lex = []
            for fi in range(5):
                pats = rng.sample(good, rng.randint(2, 12))
                if rng.random() < 0.3:
                    pats.append(pats[0])  # a duplicate: the first listed must win
                lex.append((f"r{fi}", pats))
            both = small + hand
            cmp_run(both, {**As, **Ah}, f"rand{k}", by="group", window=rng.randint(1, 8), lexicon=lex)
    if "compare" not in skip:
        cmp_compare(docs, A)
    with open(f"{WORK}/disagreements.jsonl", "w", encoding="utf-8") as f:
        for d in DIS:
            f.write(json.dumps(d, ensure_ascii=False) + "\n")
    print("== equal:")
    for k, v in EQ.items():
        print(f"  {k}: {v}")
    print(f"== disagreements: {len(DIS)} (details in {WORK}/disagreements.jsonl)")
    kinds = collections.Counter(d["kind"] for d in DIS)
    for k, v in kinds.items():
        print(f"  {k}: {v}")


if __name__ == "__main__":
    main()
