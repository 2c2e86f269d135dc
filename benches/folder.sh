#!/usr/bin/env bash
# framescope on a folder corpus of many files, its files in the page cache
# ("warm") and, when this script may empty the cache (root: it writes
# /proc/sys/vm/drop_caches), not in it ("cold", as on a first run after a
# reboot or a copy from elsewhere): `freq --by corpus` and `run`, each
# BINARY in turn, ROUNDS times. Prints wall and CPU seconds and the peak.
#
# Usage: [ROUNDS=2] benches/folder.sh FOLDER [BINARY...]
#   (default BINARY: target/release/framescope, built first)
#   A folder of 100,000 files of up to 3,000 characters from the real corpus:
#   python3 benches/folder-corpus.py target/bench/wh-real.jsonl target/bench/folder-100k 100000
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 1 ] && [ -d "$1" ] || { echo "usage: benches/folder.sh FOLDER [BINARY...] (FOLDER an existing folder)" >&2; exit 1; }
DIR=$1; shift
ROUNDS=${ROUNDS:-2}
if [ $# -eq 0 ]; then
  cargo build --release --quiet
  set -- target/release/framescope
fi
OUT=target/bench/folder-out
cold=no
if [ -w /proc/sys/vm/drop_caches ]; then cold=yes; fi
[ $cold = yes ] || echo "folder.sh: cannot write /proc/sys/vm/drop_caches (not root): warm runs only" >&2
echo "$DIR: $(find "$DIR" -name '*.txt' | wc -l) files, $(du -sm "$DIR" | cut -f1) MB on disk"
printf '%-5s %-28s %-5s %-4s %8s %8s %8s %9s\n' round binary cache cmd wall_s user_s sys_s peak_MiB
one() { # ROUND BINARY CACHE CMD
  if [ "$3" = cold ]; then sync; echo 3 > /proc/sys/vm/drop_caches; fi
  if [ "$4" = freq ]; then
    /usr/bin/time -f "%e %U %S %M" -o "$OUT.time" "$2" freq --by corpus --corpus "$DIR" --quiet > /dev/null 2> "$OUT.err" \
      || { cat "$OUT.err" >&2; exit 1; }
  else
    /usr/bin/time -f "%e %U %S %M" -o "$OUT.time" "$2" run --corpus "$DIR" --out "$OUT" --quiet 2> "$OUT.err" \
      || { cat "$OUT.err" >&2; exit 1; }
  fi
  read -r wall user sys peak < "$OUT.time"
  printf '%-5s %-28s %-5s %-4s %8s %8s %8s %9d\n' "$1" "$2" "$3" "$4" "$wall" "$user" "$sys" $((peak / 1024))
}
caches=(warm); [ $cold = yes ] && caches=(cold warm)
for r in $(seq "$ROUNDS"); do
  for cache in "${caches[@]}"; do
    for cmd in freq run; do
      for b in "$@"; do one "$r" "$b" "$cache" "$cmd"; done
    done
  done
done
