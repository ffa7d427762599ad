#!/usr/bin/env bash
# How long `make test` takes here against an earlier commit, on the same machine, in turns:
# earlier, now, earlier, now ... (a drift of the machine's speed falls on both), then the medians
# and their ratio. The earlier commit is checked out in a worktree beside this checkout, with its
# own .venv, and kept for the next run.
#
#   bench/test_time.sh [COMMIT] [ROUNDS]     (defaults: 4d205a1, when issue 18 was filed; 3 rounds)
#
# Each run's output is in bench/out/test-time-<label>-<round>.log.
set -euo pipefail
cd "$(dirname "$0")/.."
earlier="${1:-4d205a1}"
rounds="${2:-3}"
here="$PWD"
there="$here/../seslip-at-$earlier"
out="$here/bench/out"
mkdir -p "$out"

if [ ! -d "$there" ]; then
  git worktree add --detach "$there" "$earlier" >/dev/null
fi
make -C "$there" install >/dev/null

timed() {  # directory label round: prints the seconds `make test` took there, fails if it failed
  local start end
  start=$(date +%s.%N)
  if ! make -C "$1" test >"$out/test-time-$2-$3.log" 2>&1; then
    echo "make test failed in $1 (see $out/test-time-$2-$3.log)" >&2
    return 1
  fi
  end=$(date +%s.%N)
  echo "$end - $start" | bc
}

median() { sort -n | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }

before=() after=()
for round in $(seq 1 "$rounds"); do
  before+=("$(timed "$there" "$earlier" "$round")")
  after+=("$(timed "$here" now "$round")")
  printf 'round %s: %s %.1f s, now (%s) %.1f s\n' "$round" "$earlier" "${before[-1]}" \
    "$(git rev-parse --short HEAD)" "${after[-1]}"
done
b=$(printf '%s\n' "${before[@]}" | median)
a=$(printf '%s\n' "${after[@]}" | median)
printf 'medians: %s %.1f s, now %.1f s: now takes %.2f of the time (%.0f %% faster)\n' \
  "$earlier" "$b" "$a" "$(echo "$a / $b" | bc -l)" "$(echo "(1 - $a / $b) * 100" | bc -l)"
