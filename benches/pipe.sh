#!/usr/bin/env bash
# Pipe-mode throughput and memory against ripgrep given every code errex knows.
#
# Usage: benches/pipe.sh [size-in-MiB] [runs]   (defaults 256 and 9)
#
# The log is the project's judged benchmark, `../shared/bench/gen_log.py LOG SIZE` (ordinary
# lines, some holding words that are also codes), when that script is beside the checkout;
# otherwise the script below writes a log of eight kinds of application lines with one AWS error
# every 50,000 lines. Both land in bench-data/ (ignored by git).
#
# The codes file holds every code and alias of `errex list --format json` (every service's
# codes, not only the written ones): what the scanner looks for. errex and rg run alternately,
# `runs` times each, so both see the same machine load; the script prints each one's median,
# the ratio of the medians, and errex's peak RSS. Then `errex --tee` against `cat`, each reading
# the same log as stdin with stdout to /dev/null, alternately: the live mode's cost over a plain
# copy (budget: at most 2x). Installs ripgrep with apt-get if missing.
set -euo pipefail
cd "$(dirname "$0")/.."
mib=${1:-256}
runs=${2:-9}
need() { command -v "$1" >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq "$2" >/dev/null; }; }
need rg ripgrep
cargo build --release --locked -q
bin=target/release/errex
mkdir -p bench-data
if [ -f ../shared/bench/gen_log.py ]; then
  log=bench-data/judged-${mib}.log
  [ -s "$log" ] || python3 ../shared/bench/gen_log.py "$log" "$mib"
else
  log=bench-data/app-${mib}MiB.log
  [ -s "$log" ] || python3 benches/app_log.py "$log" "$mib"
fi
"$bin" --no-user-kb list --format json | python3 -c '
import json, sys
codes = set()
for e in json.load(sys.stdin)["entries"]:
    codes.add(e["code"]); codes.update(e.get("aliases") or [])
print("\n".join(sorted(codes)))' > bench-data/codes-all.txt
python3 - "$bin" "$log" bench-data/codes-all.txt "$runs" <<'PY'
import os, statistics, subprocess, sys, time
bin, log, codes, runs = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
size = os.path.getsize(log)
cmds = {"errex": [bin, "--no-user-kb", "explain", log], "rg": ["rg", "-c", "-F", "-f", codes, log]}
times = {k: [] for k in cmds}
for k, c in cmds.items():  # warm the page cache and both programs
    subprocess.run(c, stdout=subprocess.DEVNULL)
for _ in range(runs):
    for k, c in cmds.items():
        t = time.perf_counter(); subprocess.run(c, stdout=subprocess.DEVNULL); times[k].append(time.perf_counter() - t)
n = sum(1 for _ in open(codes))
print(f"log {log}: {size/2**20:.0f} MiB; rg given {n} codes; {runs} alternating runs each")
med = {k: statistics.median(v) for k, v in times.items()}
for k, m in med.items():
    print(f"{k:6s} median {m*1000:8.1f} ms  {size/m/1e9:5.2f} GB/s  (min {min(times[k])*1000:.1f}, max {max(times[k])*1000:.1f})")
print(f"ratio errex/rg (medians): {med['errex']/med['rg']:.2f}x  (budget: at most 0.50x; at least 1 GB/s)")
p = subprocess.Popen(cmds["errex"], stdout=subprocess.DEVNULL)
_, _, usage = os.wait4(p.pid, 0)
print(f"peak RSS of errex: {usage.ru_maxrss / 1024:.1f} MiB  (budget: under 32 MB)")

live = {"errex --tee": [bin, "--no-user-kb", "--tee"], "cat": ["cat"]}
times = {k: [] for k in live}
for r in range(runs + 1):
    for k, c in live.items():
        with open(log, "rb") as stdin:
            t = time.perf_counter(); subprocess.run(c, stdin=stdin, stdout=subprocess.DEVNULL); t = time.perf_counter() - t
        if r:  # the first round warms up
            times[k].append(t)
med = {k: statistics.median(v) for k, v in times.items()}
for k, m in med.items():
    print(f"{k:11s} median {m*1000:8.1f} ms  {size/m/1e9:5.2f} GB/s  (stdin, stdout to /dev/null)")
print(f"ratio errex --tee/cat (medians): {med['errex --tee']/med['cat']:.2f}x  (budget: at most 2x)")
PY
