import json, os, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from contract_impl import analyze
ok = bad = 0
for line in open(os.path.join(os.path.dirname(os.path.abspath(__file__)), 'contract', 'tokenize.jsonl'), encoding='utf-8'):
    o = json.loads(line)
    got = [[t.start, t.end, t.norm, t.sentence] for t in analyze(o['text'])]
    if got == o['tokens']: ok += 1
    else:
        bad += 1; print('MISMATCH', o['text'], got, o['tokens'])
print(ok, 'ok', bad, 'bad')
