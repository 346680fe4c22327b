#!/usr/bin/env bash
# Pipe-mode throughput and memory: generates a large realistic log with a few AWS errors
# (kept out of git, under bench-data/), then times `errex explain` against
# `rg -c -F -f codes.txt` on the same file in one hyperfine run, and measures peak RSS.
# Usage: benches/pipe.sh [size-in-MiB]   (default 1024; installs hyperfine and ripgrep if missing)
set -euo pipefail
cd "$(dirname "$0")/.."
mib=${1:-1024}
need() { command -v "$1" >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq "$2" >/dev/null; }; }
need hyperfine hyperfine
need rg ripgrep
cargo build --release --locked -q
bin=$PWD/target/release/errex
mkdir -p bench-data
log=bench-data/app-${mib}MiB.log
if [ ! -s "$log" ]; then
  python3 - "$log" "$mib" <<'PY'
import random, sys
path, mib = sys.argv[1], int(sys.argv[2])
random.seed(7)
quiet = [
    "{t} INFO  http: GET /api/v1/orders?limit={n} 200 {ms}ms user={h}",
    "{t} DEBUG cache: hit key=session:{h} ttl=3600",
    "{t} INFO  worker[{w}]: processed batch {n} ({m} items) in {ms}ms",
    "{t} WARN  db: slow query {ms}ms: SELECT id, status FROM shipments WHERE region = $1",
    "{t} INFO  terraform: aws_instance.web[{w}]: Still creating... [{n}s elapsed]",
    "{t} INFO  k8s: pod/api-7d9f8b6c5-{h} Ready; node ip-10-0-{w}-17.eu-west-1.compute.internal",
    "{t} INFO  deploy: Invalidating CloudFront cache for /static/* (request {h})",
    "{t} ERROR payment: card declined for order {n}: insufficient funds",
]
errors = [
    "{t} ERROR botocore.exceptions.ClientError: An error occurred (InvalidInstanceID.NotFound) when calling the DescribeInstances operation: The instance ID 'i-0123456789abcdef0' does not exist",
    "{t} ERROR karpenter: launching nodeclaim, creating instance, insufficient capacity aws-error-code=InsufficientInstanceCapacity",
    "{t} ERROR terraform: Error: creating EC2 Instance: operation error EC2: RunInstances, https response error StatusCode: 400, RequestID: 0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0, api error VcpuLimitExceeded: You have requested more vCPU capacity than your current vCPU limit allows",
]
size, i = mib << 20, 0
with open(path, "w") as f:
    written = 0
    while written < size:
        tmpl = random.choice(errors) if i % 50000 == 49999 else quiet[i % len(quiet)]
        line = tmpl.format(t=f"2026-11-26T07:{i//60000%60:02d}:{i//1000%60:02d}.{i%1000:03d}Z", n=i, ms=i % 900, h=f"{i*2654435761 % (1<<32):08x}", w=i % 8, m=i % 512) + "\n"
        f.write(line); written += len(line); i += 1
PY
fi
cut -f1 ../shared/reference/ec2-error-codes.tsv 2>/dev/null | tail -n +2 | sort -u > bench-data/codes.txt || true
[ -s bench-data/codes.txt ] || "$bin" list --format json | python3 -c 'import json,sys; print("\n".join(e["code"] for e in json.load(sys.stdin)["entries"]))' > bench-data/codes.txt
bytes=$(stat -c %s "$log")
hyperfine -N --warmup 1 --runs 7 -i --export-json bench-data/pipe.json \
  "$bin explain $log" "rg -c -F -f bench-data/codes.txt $log" >/dev/null
python3 - bench-data/pipe.json "$bytes" <<'PY'
import json, sys, statistics
r = json.load(open(sys.argv[1]))["results"]; size = int(sys.argv[2])
med = [statistics.median(x["times"]) for x in r]
for x, m in zip(r, med):
    print(f"{x['command'][:60]:60s} median {m*1000:8.1f} ms  {size/m/1e9:5.2f} GB/s")
print(f"ratio errex/rg (medians): {med[0]/med[1]:.2f}x  (budget: at most 1.50x; at least 1 GB/s)")
PY
rss=$( { /usr/bin/time -f %M "$bin" explain "$log" >/dev/null; } 2>&1 | tail -1 )
echo "peak RSS of errex explain: $((rss / 1024)) MiB (budget: under 32 MB)"
"$bin" explain "$log" | grep "^── " || true
