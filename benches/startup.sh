#!/usr/bin/env bash
# Whole-process startup: `errex UnauthorizedOperation` against `errno ENOENT` (moreutils), in
# one hyperfine run so both see the same machine load. Prints the medians and their ratio.
# Usage: benches/startup.sh [runs]   (installs hyperfine and moreutils with apt-get if missing)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-300}
need() { command -v "$1" >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq "$2" >/dev/null; }; }
need hyperfine hyperfine
need errno moreutils
cargo build --release --locked -q
bin=target/release/errex
out=$(mktemp -d)
hyperfine -N --warmup 20 --runs "$runs" --export-json "$out/startup.json" \
  "$bin UnauthorizedOperation" "errno ENOENT" >/dev/null
python3 - "$out/startup.json" <<'PY'
import json, sys, statistics
r = json.load(open(sys.argv[1]))["results"]
med = {x["command"]: statistics.median(x["times"]) for x in r}
e, n = med[r[0]["command"]], med[r[1]["command"]]
for c, m in med.items():
    print(f"{c:36s} median {m*1000:7.3f} ms")
print(f"ratio errex/errno (medians): {e/n:.2f}x  (budget: 2.00x)")
PY
