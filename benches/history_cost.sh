#!/usr/bin/env bash
# What keeping a history costs a national score run (README "What monitoring costs at national
# scale"): `--no-history` against `--history H` (the day before already recorded), taking turns,
# on generated national data; prints each run and the medians.
#
#   bash benches/history_cost.sh [DATA] [RUNS] [PERIOD ARGS...]
#   bash benches/history_cost.sh /tmp/nat-50000000-interleaved 11 --period 2026-12 --cumulative
#
# DATA defaults to /tmp/nat-50000000 (made with `chitieu generate national --dossiers 50000000`
# when missing); the binary is $CHITIEU or $CARGO_TARGET_DIR/release/chitieu.
set -euo pipefail
cd "$(dirname "$0")/.."
data="${1:-/tmp/nat-50000000}"; runs="${2:-11}"; shift $(( $# < 2 ? $# : 2 )) || true
period=("$@"); [ ${#period[@]} -gt 0 ] || period=(--period 2026-12)
bin="${CHITIEU:-${CARGO_TARGET_DIR:-target}/release/chitieu}"
[ -x "$bin" ] || { echo "build the release binary first (cargo build --release), or set CHITIEU" >&2; exit 2; }
[ -f "$data/ho_so.parquet" ] || "$bin" generate national --dossiers 50000000 --out "$data"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
score=("$bin" score --catalogue indicators/bo-chi-so-766 --data "$data" "${period[@]}" --no-charts)
# the day before, so that each measured run records a change, as a daily run does
"${score[@]}" --history "$work/h" --as-of 2026-12-01 --out "$work/first" >/dev/null 2>&1
for _ in $(seq "$runs"); do
  for mode in no-history history; do
    if [ "$mode" = history ]; then args=(--history "$work/h"); else args=(--no-history); fi
    /usr/bin/time -f "$mode %e s %M KB" -a -o "$work/times" \
      "${score[@]}" "${args[@]}" --out "$work/$mode" >/dev/null 2>&1
  done
done
cat "$work/times"
python3 - "$work/times" <<'PY'
import statistics, sys
runs = {}
for line in open(sys.argv[1]):
    mode, secs, _, kb, _ = line.split()
    runs.setdefault(mode, []).append((float(secs), int(kb)))
no, yes = runs["no-history"], runs["history"]
diff = statistics.median(y[0] - n[0] for n, y in zip(no, yes))
base = statistics.median(s for s, _ in no)
print(f"--no-history median {base:.2f} s, --history median {statistics.median(s for s, _ in yes):.2f} s; "
      f"median paired difference {diff:+.2f} s ({diff / base:+.1%}); peak "
      f"{statistics.median(k for _, k in no) / 1024:.0f} -> {statistics.median(k for _, k in yes) / 1024:.0f} MB")
PY
