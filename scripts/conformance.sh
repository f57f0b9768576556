#!/usr/bin/env bash
# conformance.sh WORKDIR [ENGINE] [OUTDIR] [LIST...]: runs ansible-core's integration targets
# (a work dir prepared by shared/conformance/setup.sh) against ENGINE and prints a per-tier table.
#
#   WORKDIR  the prepared conformance work dir (run-suite.sh, lists/, targets/ inside).
#   ENGINE   an executable that behaves as ansible-playbook; default: this checkout's
#            dist/cli/main.js (run `npm run build` first), wrapped in a two-line script.
#            Pass `ansible-playbook` to measure real Ansible the same way.
#   OUTDIR   where the TSVs go (default WORKDIR/results/conformance-YYYYmmdd-HHMMSS);
#            one TSV per list (tier1-modules.tsv, ...) plus RESULTS.d/ with each target's
#            output and the logs of failures, and all.tsv merged.
#   LIST     list names without .txt (default: the five lists tier1-modules tier2-language
#            tier3-templating tier4-extra-modules limited).
#
# Environment: HTTPTESTER (default 1: the stand-in is started by setup.sh), CONFORMANCE_TIMEOUT
# (per target, default 600 s), CONFORMANCE_ISOLATE (passed to run-target.sh).
# Targets change the host (users, services, the CA store): run this as root in a disposable
# container or VM, never on a workstation. Prints, per list: targets passed of total and
# asserts passed, next to real Ansible's baseline (WORKDIR/results/final.tsv) where present.
set -euo pipefail

WORKDIR=${1:?usage: conformance.sh WORKDIR [ENGINE] [OUTDIR] [LIST...]}
WORKDIR=$(cd "$WORKDIR" && pwd)
ENGINE=${2:-}
OUTDIR=${3:-$WORKDIR/results/conformance-$(date +%Y%m%d-%H%M%S)}
shift $(( $# < 3 ? $# : 3 ))
LISTS=("$@")
[ ${#LISTS[@]} -gt 0 ] || LISTS=(tier1-modules tier2-language tier3-templating tier4-extra-modules limited)

[ -x "$WORKDIR/run-suite.sh" ] || { echo "conformance.sh: $WORKDIR has no run-suite.sh (prepare it with setup.sh)" >&2; exit 3; }
mkdir -p "$OUTDIR"
OUTDIR=$(cd "$OUTDIR" && pwd)

if [ -z "$ENGINE" ]; then
  REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
  [ -f "$REPO/dist/cli/main.js" ] || { echo "conformance.sh: build first (npm run build)" >&2; exit 3; }
  ENGINE=$OUTDIR/tsible-engine
  printf '#!/bin/sh\nexec node %q "$@"\n' "$REPO/dist/cli/main.js" > "$ENGINE"
  chmod +x "$ENGINE"
elif [[ $ENGINE != */* ]]; then
  ENGINE=$(command -v "$ENGINE") || { echo "conformance.sh: engine not found: $2" >&2; exit 3; }
fi

export HTTPTESTER=${HTTPTESTER-1}
export CONFORMANCE_TIMEOUT=${CONFORMANCE_TIMEOUT:-600}
echo "conformance: engine $ENGINE, results in $OUTDIR, started $(date -u '+%Y-%m-%d %H:%M UTC')"
TSVS=()
for list in "${LISTS[@]}"; do
  file=$WORKDIR/lists/$list.txt
  [ -f "$file" ] || { echo "conformance.sh: no list $file" >&2; exit 3; }
  tsv=$OUTDIR/$list.tsv
  rm -rf "$tsv" "$tsv.d"
  echo "== $list ($(grep -cvE '^\s*(#|$)' "$file") targets)"
  (cd "$WORKDIR" && ./run-suite.sh "$tsv" "$ENGINE" "@$file")
  awk -F'\t' 'NR>1 { printf "  %-32s %-5s asserts=%s\n", $1, $3, $9 }' "$tsv"
  TSVS+=("$tsv")
done
"$WORKDIR/merge-results.py" "$OUTDIR/all.tsv" "${TSVS[@]}" 2>/dev/null || true

# Per-list table: targets passed / total and asserts passed, with the baseline beside them.
BASE=$WORKDIR/results/final.tsv
echo
echo "| list | targets passed | asserts passed | baseline targets | baseline asserts |"
echo "| --- | --- | --- | --- | --- |"
tp=0; tt=0; ta=0; bp=0; ba=0
for list in "${LISTS[@]}"; do
  read -r p t a < <(awk -F'\t' 'NR>1 { t++; if ($3=="PASS") p++; a+=$9 } END { print p+0, t+0, a+0 }' "$OUTDIR/$list.tsv")
  read -r q b < <( [ -f "$BASE" ] && awk -F'\t' 'NR==FNR { if ($0 !~ /^\s*(#|$)/) want[$1]=1; next }
      FNR>1 && ($1 in want) { if ($3=="PASS") q++; b+=$9 } END { print q+0, b+0 }' "$WORKDIR/lists/$list.txt" "$BASE" || echo "- -")
  echo "| $list | $p / $t | $a | $q | $b |"
  tp=$((tp+p)); tt=$((tt+t)); ta=$((ta+a))
  [[ $q =~ ^[0-9]+$ ]] && bp=$((bp+q)) && ba=$((ba+b))
done
echo "| total | $tp / $tt | $ta | $bp | $ba |"
echo "failures (each target's output: $OUTDIR/LIST.tsv.d/TARGET.out):"
awk -F'\t' 'FNR>1 && $3!="PASS" { print "  " $1 " (" $3 ", rc=" $4 ")" }' "${TSVS[@]}"
