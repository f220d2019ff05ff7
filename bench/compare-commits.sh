#!/usr/bin/env bash
# Old code against the working tree, alternately, in one window on one machine: the way to show
# what a change does to end-to-end throughput when a full `npm run bench` is too long, or when the
# machine's filesystem makes figures of different runs incomparable (docs/benchmarks/analysis.md).
#
#   [CORPORA=size-mix] bench/compare-commits.sh <old-ref> [scale=0.1] [repetitions=2]
#
# Builds <old-ref> in a throw-away worktree (npm ci + build), builds the working tree, then for
# count-heavy and size-mix runs bench/mailkeep-e2e.ts (1 worker) old, new, old, new, …, and the
# ceilings once after. Prints one line per run; the JSON of every run is kept in the output
# directory it names. Takes ~20 minutes at scale 0.1 here. Run nothing else meanwhile.
set -euo pipefail

old_ref=${1:?usage: bench/compare-commits.sh <old-ref> [scale] [repetitions]}
scale=${2:-0.1}
repetitions=${3:-2}
repo=$(git rev-parse --show-toplevel)
out=$(mktemp -d "${TMPDIR:-/tmp}/mailkeep-compare-XXXXXX")
old_tree="$out/old-tree"

cleanup() { git -C "$repo" worktree remove --force "$old_tree" >/dev/null 2>&1 || true; }
trap cleanup EXIT

git -C "$repo" worktree add --detach "$old_tree" "$old_ref" >/dev/null
(cd "$old_tree" && npm ci --silent >/dev/null && npx tsc -b tsconfig.build.json)
(cd "$repo" && npx tsc -b tsconfig.build.json)

for corpus in ${CORPORA:-count-heavy size-mix}; do
  for repetition in $(seq 1 "$repetitions"); do
    for side in old new; do
      tree=$repo
      [ "$side" = old ] && tree=$old_tree
      result="$out/$corpus-$side-$repetition"
      (cd "$tree" && npx node bench/mailkeep-e2e.ts "$corpus" --scale "$scale" --workers 1 >"$result.json" 2>"$result.log")
      echo "$corpus $side #$repetition: $(tail -1 "$result.log")"
    done
  done
  (cd "$repo" && npx node bench/ceilings.ts "$corpus" --scale "$scale" >"$out/$corpus-ceilings.json" 2>"$out/$corpus-ceilings.log")
  echo "$corpus ceilings:"
  tail -8 "$out/$corpus-ceilings.log"
done
echo "results: $out"
