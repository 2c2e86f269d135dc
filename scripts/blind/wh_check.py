"""Scale check on a real corpus: VENV/bin/python scripts/blind/wh_check.py [CORPUS.jsonl.gz] [MAXDOCS]
Compares per-document n_tokens/n_types/n_sentences/n_bytes, corpus-wide norm and stem
frequencies, and KWIC lines of a few patterns."""
import collections, csv, gzip, io, json, os, subprocess, sys, time
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from paths import BIN, ROOT, work  # noqa: E402
import contract_impl as C
path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, '..', 'shared', 'corpora', 'wh-briefings.jsonl.gz')
maxdocs = int(sys.argv[2]) if len(sys.argv) > 2 else 10**9
def run(args):
    return subprocess.run([BIN, '-q', '--threads', '1'] + args, capture_output=True, check=True).stdout.decode()
docs = []
with gzip.open(path, 'rt', encoding='utf-8') as f:
    for i, line in enumerate(f):
        if i >= maxdocs: break
        docs.append(json.loads(line))
sub = os.path.join(work('wh'), 'wh-sub.jsonl')
with open(sub, 'w', encoding='utf-8') as f:
    for d in docs:
        f.write(json.dumps({'id': d['id'], 'text': d['text'], 'administration': d.get('administration', '')}, ensure_ascii=False) + '\n')
t0 = time.time()
A = {}
for d in docs:
    A[d['id']] = C.analyze(d['text'])
print(f'{len(docs)} docs analyzed in {time.time()-t0:.0f}s, {sum(len(v) for v in A.values())} tokens', file=sys.stderr)
bad = 0
rows = list(csv.DictReader(io.StringIO(run(['corpus', '--corpus', sub, '--format', 'csv']), newline='')))
for r in rows:
    toks = A[r['doc_id']]
    text = next(d['text'] for d in docs if d['id'] == r['doc_id']) if False else None
    mine = [len(toks), len({t.norm for t in toks}), (toks[-1].sentence + 1) if toks else 0]
    theirs = [int(r['n_tokens']), int(r['n_types']), int(r['n_sentences'])]
    if mine != theirs:
        bad += 1
        if bad <= 10: print('DOC', r['doc_id'], 'binary', theirs, 'mine', mine)
print(f'corpus rows: {len(rows)} compared, {bad} differ')
for unit in ('norm', 'stem'):
    theirs = {r['term']: int(r['n']) for r in csv.DictReader(io.StringIO(run(['freq', '--corpus', sub, '--by', 'corpus', '--unit', unit, '--format', 'csv']), newline=''))}
    mine = collections.Counter(t.norm if unit == 'norm' else t.stem for v in A.values() for t in v)
    diff = [(k, theirs.get(k), mine.get(k)) for k in set(theirs) | set(mine) if theirs.get(k) != mine.get(k)]
    print(f'freq {unit}: {len(mine)} terms, {len(diff)} differ', diff[:10])
for pat in ['cooperat*', '~develop', 'not *', 'u.s *', "china's", '*-*', 'mr. *', 'win-win', '* cooperation']:
    out = run(['kwic', '--corpus', sub, '--format', 'csv', '--window', '4', '--', pat])
    theirs = [(r['doc_id'], int(r['token_start']), int(r['token_end']), r['negated'] == 'true', r['left'], r['match'], r['right'])
              for r in csv.DictReader(io.StringIO(out, newline=''))]
    tests = C.compile_pattern(pat)
    mine = []
    for d in docs:
        toks = A[d['id']]
        for (i, j, _) in C.match_frame([(pat, tests)], toks):
            l, m, rr = C.kwic_parts(d['text'], toks, i, j, 4)
            mine.append((d['id'], i, j, C.is_negated(toks, i), l, m, rr))
    nd = len(set(theirs) ^ set(mine))
    print(f'kwic {pat!r}: {len(theirs)} binary lines, {len(mine)} mine, {nd} differ, order equal: {theirs == mine}')
    if nd:
        print('  e.g.', sorted(set(theirs) - set(mine))[:3], sorted(set(mine) - set(theirs))[:3])

# bigrams within sentences, corpus-wide
theirs = {r['term']: int(r['n']) for r in csv.DictReader(io.StringIO(run(['freq', '--corpus', sub, '--by', 'corpus', '--ngram', '2', '--format', 'csv']), newline=''))}
mine = collections.Counter()
for v in A.values():
    for k in range(len(v) - 1):
        if v[k].sentence == v[k + 1].sentence:
            mine[v[k].norm + ' ' + v[k + 1].norm] += 1
diff = [(k, theirs.get(k), mine.get(k)) for k in set(theirs) | set(mine) if theirs.get(k) != mine.get(k)]
print(f'freq bigrams: {len(mine)} terms, {len(diff)} differ', diff[:10])
# keyness: compare --what terms --by administration --target Biden (norms, stopwords kept, min count 3)
out = run(['compare', '--corpus', sub, '--what', 'terms', '--by', 'administration', '--target', 'Biden', '--format', 'csv', '--keep-stopwords'])
theirs = list(csv.DictReader(io.StringIO(out, newline='')))
tc, rc = collections.Counter(), collections.Counter()
for d in docs:
    for t in A[d['id']]:
        (tc if d.get('administration') == 'Biden' else rc)[t.norm] += 1
c, dd = sum(tc.values()), sum(rc.values())
rows = []
for term in set(tc) | set(rc):
    a, b = tc[term], rc[term]
    if a + b < 3: continue
    g = C.g2_stat(a, b, c, dd)
    rows.append(dict(term=term, n_target=a, n_reference=b, g2=g, p_value=C.p_chi1(g), log_ratio=C.log_ratio(a, b, c, dd)))
for r, pa in zip(rows, C.bh([r['p_value'] for r in rows])): r['p_adjusted'] = pa
rows.sort(key=lambda r: (-r['g2'], r['term']))
def close(x, y, rel=1e-7, ab=1e-13):
    x = float(x); return abs(x - y) <= max(ab, rel * max(abs(x), abs(y)))
bad = [(x['term'], y['term'], k, x[k], y[k]) for x, y in zip(theirs, rows) for k in ('g2', 'p_value', 'p_adjusted', 'log_ratio')
       if x['term'] != y['term'] or not close(x[k], y[k])]
print(f'keyness Biden vs rest: {len(theirs)} binary rows, {len(rows)} mine, {len(bad)} cell differences', bad[:5])
