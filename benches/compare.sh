#!/usr/bin/env bash
# Time framescope against the tools users would pick instead, on corpora
# resampled from wh-briefings: `wc -w`, scikit-learn's CountVectorizer
# (unigrams), framescope `freq --by corpus` and `run`. Runs alternate so
# the machine's drift hits every tool alike. Prints MB/s, peak memory
# and the ratios of issue 7.
#
# Usage: [SOURCE=CORPUS] [TEXT_FIELD=text] [ID_FIELD=id] benches/compare.sh [SIZE_MB|CORPUS ...]
#   (default: 100 1000). A CORPUS is any corpus framescope reads: a
#   .jsonl, .json, .csv or .tsv file (any may be .gz) or a folder of .txt files.
#   A size is a .jsonl corpus of that many MB resampled from SOURCE
#   (default ../shared/corpora/wh-briefings.jsonl.gz) by
#   benches/gen-corpus.py, written once as target/bench/NAME-SIZEmb.jsonl
#   (NAME: SOURCE's name without its extensions; wh-briefings keeps the
#   short name wh); a CORPUS is timed as it is, but a .gz file is
#   decompressed once to target/bench/ and timed so (wc -w would count
#   the compressed bytes' words). Each file written there has a
#   FILE.made-from beside it (its source's path, size and time, and the
#   options): a file of the same name made from another source, or
#   before the source changed, is made again. Paths are the caller's
#   (relative to the folder the script is run from). A folder's MB are its .txt files' bytes,
#   and wc -w reads every .txt below it. E.g. a real corpus and 1 GB
#   built from it:
#   SOURCE=real.csv benches/compare.sh real.csv 1000
#   TEXT_FIELD and ID_FIELD name the field (or column) that holds the
#   text and the id (framescope's --text-field and --id-field), in the
#   corpora given and in those generated. NAME_FIELDS and NAME_SEP
#   (framescope's --name-fields, --name-sep) read a folder's metadata
#   from its file names: given to framescope for a folder, and to
#   gen-corpus.py for a folder SOURCE (the .jsonl it writes holds the
#   fields). FRAMESCOPE_ARGS adds options to framescope's freq and run
#   (e.g. --lossy).
# Needs python3 with venv; scikit-learn is installed into a throwaway
# virtual environment under target/bench-venv by this script.
set -euo pipefail
# Paths given are the caller's: made absolute before the cd below.
abs() { if [ -e "$1" ]; then realpath -- "$1"; else printf '%s\n' "$1"; fi; }
SIZES=()
for a in "$@"; do SIZES+=("$(abs "$a")"); done
[ -n "${SOURCE:-}" ] && SOURCE=$(abs "$SOURCE")
cd "$(dirname "$0")/.."
[ $# -eq 0 ] && SIZES=(100 1000)
SOURCE=${SOURCE:-../shared/corpora/wh-briefings.jsonl.gz}
# A corpus framescope reads: a folder, or a file by its extension.
is_corpus() {
  [ -d "$1" ] || { [ -f "$1" ] && [[ "$1" =~ [.](jsonl|ndjson|json|csv|tsv)([.]gz)?$ ]]; }
}
is_corpus "$SOURCE" || { echo "compare.sh: SOURCE $SOURCE: no such corpus; set SOURCE to a .jsonl, .json, .csv or .tsv file (any may be .gz) or a folder of .txt files" >&2; exit 1; }
NAME=$(basename "$SOURCE"); NAME=${NAME%.gz}; NAME=${NAME%.jsonl}; NAME=${NAME%.ndjson}; NAME=${NAME%.json}; NAME=${NAME%.csv}; NAME=${NAME%.tsv}
[ "$NAME" = wh-briefings ] && NAME=wh
for s in "${SIZES[@]}"; do
  if [[ ! "$s" =~ ^[0-9]+([.][0-9]+)?$ ]] && ! is_corpus "$s"; then
    echo "compare.sh: $s: neither a size in MB nor an existing corpus (a .jsonl, .json, .csv or .tsv file, any may be .gz, or a folder)" >&2; exit 1
  fi
done
ROUNDS=${ROUNDS:-2}
TEXT_FIELD=${TEXT_FIELD:-text}
ID_FIELD=${ID_FIELD:-id}
FIELD=()
[ "$TEXT_FIELD" = text ] || FIELD+=(--text-field "$TEXT_FIELD")
[ "$ID_FIELD" = id ] || FIELD+=(--id-field "$ID_FIELD")
NAMES=()
if [ -n "${NAME_FIELDS:-}" ]; then
  NAMES=(--name-fields "$NAME_FIELDS" --name-sep "${NAME_SEP:-_}")
fi
# More options for framescope's freq and run, split at spaces:
# FRAMESCOPE_ARGS=--lossy for a corpus with invalid UTF-8.
read -r -a EXTRA <<< "${FRAMESCOPE_ARGS:-}"
mkdir -p target/bench
cargo build --release --quiet
BIN=target/release/framescope

VENV=target/bench-venv
if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet scikit-learn
fi
cat > target/bench/sklearn_count.py <<'EOF'
import json, sys
from sklearn.feature_extraction.text import CountVectorizer
def docs(path, field):
    if not path.endswith((".jsonl", ".ndjson")):
        # A .json, .csv or .tsv file or a folder, as benches/corpus_source.py reads it.
        sys.path.insert(0, "benches")
        from corpus_source import documents
        yield from (d[field] for d in documents(path, field))
        return
    # As framescope reads a .jsonl: a byte-order mark skipped, blank lines
    # holding no document, a null (or NaN) text an empty document.
    with open(path, encoding="utf-8-sig") as f:
        for line in f:
            if line.strip():
                text = json.loads(line)[field]
                yield text if isinstance(text, str) else ""
m = CountVectorizer().fit_transform(docs(sys.argv[1], sys.argv[2]))
print(m.sum(), file=sys.stderr)
EOF

# time CMD... → "seconds peak_kb"
measure() {
  /usr/bin/time -f "%e %M" -o target/bench/time.txt "$@" > /dev/null 2> target/bench/stderr.txt \
    || { cat target/bench/stderr.txt >&2; exit 1; }
  cat target/bench/time.txt
}

# What a corpus written under target/bench/ was made from: the source's
# path, size and time (and how it was made). A file of the same name
# made from anything else is made again, never timed in its place.
stamp() {
  local src=$1; shift
  printf '%s\n' "$(realpath -- "$src")" "$(du -s --apparent-size --block-size=1 -- "$src" | cut -f1)" \
    "$(find "$src" -printf '%T@\n' | sort -n | tail -1)" "$@"
}
fresh() { [ -e "$1" ] && [ -f "$1.made-from" ] && [ "$(cat "$1.made-from")" = "$2" ]; }

printf '%-8s %-28s %9s %9s %11s\n' size tool seconds MB/s peak_MB
for mb in "${SIZES[@]}"; do
  if [[ -f "$mb" && "$mb" == *.gz ]]; then
    # Timed decompressed, as every tool reads it (wc -w would count the
    # compressed bytes' words): written once beside the other corpora.
    corpus=target/bench/$(basename "${mb%.gz}")
    made=$(stamp "$mb" gzip)
    if ! fresh "$corpus" "$made"; then
      gzip -dc "$mb" > "$corpus.part" && mv "$corpus.part" "$corpus"
      printf '%s\n' "$made" > "$corpus.made-from"
    fi
  elif [ -e "$mb" ]; then
    corpus=$mb
  else
    corpus=target/bench/$NAME-${mb}mb.jsonl
    made=$(stamp "$SOURCE" "$mb" "$TEXT_FIELD" "$ID_FIELD" "${NAME_FIELDS:-}" "${NAME_SEP:-_}" \
      "$(cat benches/gen-corpus.py benches/corpus_source.py | sha256sum | cut -c1-16)")
    if ! fresh "$corpus" "$made"; then
      python3 benches/gen-corpus.py "$mb" "$corpus.part" --source "$SOURCE" \
        --text-field "$TEXT_FIELD" --id-field "$ID_FIELD" \
        --name-fields "${NAME_FIELDS:-}" --name-sep "${NAME_SEP:-_}"
      mv "$corpus.part" "$corpus"
      printf '%s\n' "$made" > "$corpus.made-from"
    fi
  fi
  OPTS=("${FIELD[@]}" "${EXTRA[@]}")
  if [ -d "$corpus" ]; then
    OPTS+=("${NAMES[@]}")
    bytes=$(find "$corpus" -name '*.txt' -type f -printf '%s\n' | awk '{s += $1} END {print s + 0}')
  else
    bytes=$(stat -c %s "$corpus")
  fi
  label=$(awk -v b="$bytes" 'BEGIN{printf "%.0fMB", b/1e6}')
  echo "# $corpus"
  declare -A best=()
  declare -A peak=()
  for round in $(seq "$ROUNDS"); do
    for tool in wc sklearn freq run run-1thread; do
      case $tool in
        wc) if [ -d "$corpus" ]; then
              r=$(measure sh -c 'find "$1" -name "*.txt" -type f -print0 | wc -w --files0-from=-' sh "$corpus")
            else
              r=$(measure wc -w "$corpus")
            fi ;;
        sklearn) r=$(measure "$VENV/bin/python" target/bench/sklearn_count.py "$corpus" "$TEXT_FIELD") ;;
        freq) r=$(measure "$BIN" --threads 2 -q freq --by corpus --corpus "$corpus" "${OPTS[@]}") ;;
        run) rm -rf target/bench/out2; r=$(measure "$BIN" --threads 2 -q run --corpus "$corpus" --out target/bench/out2 "${OPTS[@]}") ;;
        run-1thread) rm -rf target/bench/out1; r=$(measure "$BIN" --threads 1 -q run --corpus "$corpus" --out target/bench/out1 "${OPTS[@]}") ;;
      esac
      read -r secs kb <<< "$r"
      if [ -z "${best[$tool]:-}" ] || awk "BEGIN{exit !($secs < ${best[$tool]})}"; then
        best[$tool]=$secs
      fi
      peak[$tool]=$kb
    done
  done
  for tool in wc sklearn freq run run-1thread; do
    awk -v s="${best[$tool]}" -v b="$bytes" -v k="${peak[$tool]}" -v t="$tool" -v m="$label" \
      'BEGIN{printf "%-8s %-28s %9.2f %9.1f %11.0f\n", m, t, s, b/1e6/s, k/1024}'
  done
  awk -v wc="${best[wc]}" -v sk="${best[sklearn]}" -v fr="${best[freq]}" -v ru="${best[run]}" -v r1="${best[run-1thread]}" \
    'BEGIN{printf "ratios: freq/wc %.2fx, run/sklearn %.2fx, run 2 threads vs 1 %.2fx\n", wc/fr, sk/ru, r1/ru}'
  # The same results at 1 and 2 threads (run.json records the timings).
  if diff -r -q -x run.json target/bench/out1 target/bench/out2 > /dev/null; then
    echo "results at 1 and 2 threads: identical (every file but run.json)"
  else
    echo "results at 1 and 2 threads: DIFFERENT" >&2
    diff -r -q -x run.json target/bench/out1 target/bench/out2 >&2 || true
    exit 1
  fi
  unset best peak
done
