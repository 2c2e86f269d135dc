#!/usr/bin/env bash
# What a second thread could give at most with workers that each learn
# their own words and count their own tables: `run` on a corpus at 1 and
# 2 threads, and on its two halves (odd and even lines, as the two
# workers share documents out) at 1 thread each, side by side, as two
# processes that share nothing. Runs alternate so the
# machine's drift hits each alike.
#
# When the 2-thread run is about as fast as the halves side by side, the
# second thread loses nothing to waiting or to the other thread; what it
# does not give is what one worker saves by seeing the whole corpus
# (each word learnt and each table grown once): compare the CPU seconds
# of the halves with those of the whole on 1 thread.
#
# Usage: [ROUNDS=3] benches/halves.sh CORPUS.jsonl
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -eq 1 ] && [ -f "$1" ] || { echo "usage: benches/halves.sh CORPUS.jsonl (an existing file)" >&2; exit 1; }
CORPUS=$1
ROUNDS=${ROUNDS:-3}
cargo build --release --quiet
BIN=target/release/framescope
WORK=target/bench/halves
rm -rf "$WORK"
mkdir -p "$WORK"
n=$(wc -l < "$CORPUS")
[ "$n" -ge 2 ] || { echo "halves.sh: $CORPUS: fewer than 2 lines" >&2; exit 1; }
awk 'NR % 2 == 1' "$CORPUS" > "$WORK/a.jsonl"
awk 'NR % 2 == 0' "$CORPUS" > "$WORK/b.jsonl"

# one CORPUS THREADS NAME → "wall user sys peak_kb" in $WORK/NAME.time
one() {
  /usr/bin/time -f "%e %U %S %M" -o "$WORK/$3.time" \
    "$BIN" run --corpus "$1" --out "$WORK/out-$3" --threads "$2" --quiet 2> "$WORK/$3.err" \
    || { cat "$WORK/$3.err" >&2; exit 1; }
}

printf '%-6s %-22s %8s %8s %8s %9s\n' round what wall_s user_s sys_s peak_MiB
for r in $(seq "$ROUNDS"); do
  one "$CORPUS" 1 whole1
  one "$CORPUS" 2 whole2
  one "$WORK/a.jsonl" 1 a & pa=$!
  one "$WORK/b.jsonl" 1 b & pb=$!
  wait $pa; wait $pb
  for w in whole1 whole2 a b; do
    read -r wall user sys kb < "$WORK/$w.time"
    case $w in
      whole1) what="whole, 1 thread" ;;
      whole2) what="whole, 2 threads" ;;
      a) what="odd lines, 1 thread" ;;
      b) what="even lines, 1 thread" ;;
    esac
    printf '%-6s %-22s %8s %8s %8s %9d\n' "$r" "$what" "$wall" "$user" "$sys" $((kb / 1024))
  done
  awk -v r="$r" '
    FNR == 1 { f++ }
    { wall[f] = $1; cpu[f] = $2 + $3 }
    END {
      pair = wall[3] > wall[4] ? wall[3] : wall[4]
      printf "%-6s 2 threads vs 1: %.2fx; halves side by side vs 1 thread: %.2fx; CPU s: whole 1 thread %.2f, 2 threads %.2f, halves %.2f\n",
        r, wall[1] / wall[2], wall[1] / pair, cpu[1], cpu[2], cpu[3] + cpu[4]
    }' "$WORK/whole1.time" "$WORK/whole2.time" "$WORK/a.time" "$WORK/b.time"
done
