#!/usr/bin/env bash
# Stress inputs from the hostile-input issue (not run in CI): generates six large inputs in a
# temporary directory and prints, side by side, the median MB/s and peak RSS (`/usr/bin/time
# -f %M`) of `errex explain`, `cat` and `rg -c -F -f <every code errex knows>` on each, then
# `errex --tee >/dev/null` against `cat >/dev/null` on the ordinary log. Medians of 3 runs
# (`--runs N` to change), after one untimed run that warms the page cache.
#
#   many      1,000 distinct codes x 100 sightings each, every sighting with its own long
#             encoded authorization message (about 1.4 KB a line)
#   repeat    one boto3 error line (operation, request id, instance id) repeated, 256 MiB
#   common    one error frame per line in five shapes (boto3/CLI, Go SDK v2, EC2 XML, Java SDK,
#             Karpenter) over eight everyday codes, each line with its own ids, 256 MiB
#   dense     the same five shapes, a different code on every line (every written code in
#             turn), 256 MiB
#   hugeline  one line of frames joined by JSON-escaped newlines (`\n`), 64 MiB, no newline
#   ordinary  the application log of benches/pipe.sh (an AWS error every 50,000 lines), 512 MiB
#
# Budgets: peak RSS under 32 MB (32,000,000 bytes) for errex everywhere; at least 200 MB/s where
# every line is an error (many, repeat, common, dense); at least 100 MB/s on the huge line; `--tee` no more than
# 2x `cat`'s time on the ordinary log.
#
# Usage: benches/stress.sh [--scale N] [--runs N] [--keep]
#   --scale N  divide every size by N (sightings per code for `many`), for a quick run
#   --keep     keep the temporary directory (its path is printed)
# Needs python3, ripgrep and GNU time (`apt-get install time ripgrep`; installed with apt-get
# when missing and run as root). MB here is 10^6 bytes, MiB 2^20.
set -euo pipefail
cd "$(dirname "$0")/.."
scale=1 runs=3 keep=0
while [ $# -gt 0 ]; do
  case $1 in
    --scale) scale=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --keep) keep=1; shift ;;
    *) echo "usage: benches/stress.sh [--scale N] [--runs N] [--keep]" >&2; exit 2 ;;
  esac
done
need() { command -v "$1" >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq "$2" >/dev/null; }; }
need rg ripgrep
[ -x /usr/bin/time ] || { apt-get update -qq && apt-get install -y -qq time >/dev/null; }
cargo build --release --locked -q
bin=$PWD/target/release/errex
dir=$(mktemp -d "${TMPDIR:-/tmp}/errex-stress.XXXXXX")
if [ "$keep" = 1 ]; then echo "inputs kept in $dir"; else trap 'rm -rf "$dir"' EXIT; fi

# Every code and alias errex knows, written entries and registry codes, once each (as
# benches/pipe.sh gives ripgrep).
"$bin" list --format json | python3 -c 'import json,sys; print("\n".join(sorted({c for e in json.load(sys.stdin)["entries"] for c in [e["code"], *(e.get("aliases") or [])]})))' > "$dir/codes.txt"
"$bin" list --format json | python3 -c 'import json,sys; print("\n".join(sorted({e["code"] for e in json.load(sys.stdin)["entries"] if e["kind"] == "written"})))' > "$dir/written.txt"

python3 - "$dir" "$scale" <<'PY'
import random, sys, os
d, scale = sys.argv[1], int(sys.argv[2])
rnd = random.Random(7)
B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
def encoded(n):
    return "".join(rnd.choice(B64) for _ in range(n))

# many: 1,000 made-up codes (all distinct, none in the catalog), 100 rounds over them.
def name(i):
    s = "Zz"
    for k in range(3):
        c = chr(ord("a") + i % 26); s += c.upper() if k == 0 else c; i //= 26
    return s + "Failure"
# One pool of encoded messages, rotated so no two sightings of a code share one.
pool = [encoded(1200) for _ in range(997)]
with open(os.path.join(d, "many.log"), "w") as f:
    k = 0
    for r in range(100 // scale):
        buf = []
        for i in range(1000):
            buf.append(f"2026-12-07T03:{r % 60:02d}:{i % 60:02d}Z ERROR botocore.exceptions.ClientError: An error occurred ({name(i)}) when calling the RunInstances operation: You are not authorized to perform this operation. User: arn:aws:sts::111122223333:assumed-role/ci-{i}/s{r} is not authorized to perform: ec2:RunInstances on resource: arn:aws:ec2:eu-west-1:111122223333:instance/* because no identity-based policy allows the ec2:RunInstances action. Encoded authorization failure message: {pool[k % 997]}\n")
            k += 1
        f.write("".join(buf))

codes = open(os.path.join(d, "written.txt")).read().split()
frames = [
    "botocore.exceptions.ClientError: An error occurred ({c}) when calling the {op} operation: {m}",
    "operation error EC2: {op}, https response error StatusCode: 400, RequestID: {u}, api error {c}: {m}",
    "<Response><Errors><Error><Code>{c}</Code><Message>{m}</Message></Error></Errors><RequestID>{u}</RequestID></Response>",
    "com.amazonaws.services.ec2.model.AmazonEC2Exception: {m} (Service: AmazonEC2; Status Code: 400; Error Code: {c}; Request ID: {u}; Proxy: null)",
    "karpenter: launching nodeclaim, creating instance, {m} aws-error-code={c}",
]
ops = ["RunInstances", "DescribeInstances", "CreateVolume", "AttachVolume", "PutObject", "Invoke"]
msgs = ["The request was rejected.", "Rate exceeded", "The resource is in use and cannot be modified now.", "You have requested more capacity than your current limit allows."]
def frame(i):
    return frames[i % len(frames)].format(c=codes[(i * 7919) % len(codes)], op=ops[i % len(ops)], m=msgs[i % len(msgs)], u="%08x-1111-2222-3333-%012x" % (i, i))

def fill(path, size, sep, end, make=frame):
    with open(path, "w") as f:
        written, i, buf = 0, 0, []
        while written < size:
            s = f"2026-12-07T03:{i // 1000 % 60:02d}:{i % 60:02d}.{i % 1000:03d}Z ERROR " + make(i) + sep
            buf.append(s); written += len(s); i += 1
            if len(buf) >= 10000:
                f.write("".join(buf)); buf = []
        f.write("".join(buf) + end)

fill(os.path.join(d, "dense.log"), (256 << 20) // scale, "\n", "")
fill(os.path.join(d, "hugeline.log"), (64 << 20) // scale, "\\n", "")

# repeat: one boto3 error line, with its operation, request id and instance id, over and over.
line = ("2026-12-07T03:00:00.000Z ERROR botocore.exceptions.ClientError: An error occurred "
        "(UnauthorizedOperation) when calling the RunInstances operation: You are not authorized "
        "to perform this operation. RequestId: 5e2c6b8a-1111-2222-3333-444455556666 instance "
        "i-0a1b2c3d4e5f60718\n")
with open(os.path.join(d, "repeat.log"), "w") as f:
    block = line * 10000
    for _ in range(((256 << 20) // scale) // len(block) + 1):
        f.write(block)

# common: the five frame shapes over eight codes people meet every day, every line with its own
# request id and instance id.
common = ["ThrottlingException", "AccessDenied", "InvalidInstanceID.NotFound",
          "InsufficientInstanceCapacity", "RequestLimitExceeded", "ValidationException",
          "NoSuchBucket", "UnauthorizedOperation"]
def common_frame(i):
    m = msgs[i % len(msgs)] + " (instance i-%017x)" % i
    return frames[i % len(frames)].format(c=common[(i // 5) % len(common)], op=ops[i % len(ops)], m=m, u="%08x-1111-2222-3333-%012x" % (i, i))
fill(os.path.join(d, "common.log"), (256 << 20) // scale, "\n", "", common_frame)

PY
# ordinary: the application log benches/pipe.sh falls back to.
python3 benches/app_log.py "$dir/ordinary.log" $((512 / scale))

python3 - "$dir" "$bin" "$runs" <<'PY'
import json, os, statistics, subprocess, sys, time
d, binary, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
codes = os.path.join(d, "codes.txt")
rss_out = os.path.join(d, "rss")

def run(cmd, stdin=None):
    """Wall time (s) and peak RSS (KiB) of one run, output to /dev/null."""
    with open(stdin or os.devnull, "rb") as i:
        t = time.perf_counter()
        subprocess.run(["/usr/bin/time", "-f", "%M", "-o", rss_out] + cmd, stdin=i,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        t = time.perf_counter() - t
    return t, int(open(rss_out).read().split()[-1])

def median(cmd, stdin=None):
    run(cmd, stdin)  # warm the page cache and the binary
    r = [run(cmd, stdin) for _ in range(runs)]
    return statistics.median(x[0] for x in r), statistics.median(x[1] for x in r)

inputs = ["many", "repeat", "common", "dense", "hugeline", "ordinary"]
tools = [("errex", lambda p: [binary, "explain", p]), ("cat", lambda p: ["cat", p]),
         ("rg", lambda p: ["rg", "-c", "-F", "-f", codes, p])]
ncodes = sum(1 for _ in open(codes))
print(f"errex: {os.path.relpath(binary)}; rg: {ncodes} literals (every code errex knows); median of {runs} runs; MB = 10^6 bytes")
print(f"{'input':9s} {'size MB':>8s} | " + " | ".join(f"{t:>5s} MB/s  RSS MiB" for t, _ in tools) + " | errex found")
results = {}
for name in inputs:
    p = os.path.join(d, name + ".log")
    size = os.path.getsize(p)
    row = []
    for tool, cmd in tools:
        t, rss = median(cmd(p))
        results[(name, tool)] = (size / t / 1e6, rss)
        row.append(f"{size / t / 1e6:10.0f} {rss / 1024:8.1f}")
    out = subprocess.run([binary, "--format", "json", "explain", p], capture_output=True).stdout
    try:
        rep = json.loads(out)
        f = rep["findings"]
        found = f"{len(f)} codes, {sum(x.get('count', 0) for x in f)} sightings"
    except Exception as e:
        found = f"(no JSON: {e})"
    print(f"{name:9s} {size / 1e6:8.0f} | " + " | ".join(row) + f" | {found}")

p = os.path.join(d, "ordinary.log")
size = os.path.getsize(p)
tee, tee_rss = median([binary, "--tee"], stdin=p)
cat, cat_rss = median(["cat"], stdin=p)
print(f"\n--tee on the ordinary log (stdin, stdout to /dev/null): errex --tee {size / tee / 1e6:.0f} MB/s "
      f"({tee * 1000:.0f} ms, {tee_rss / 1024:.1f} MiB), cat {size / cat / 1e6:.0f} MB/s "
      f"({cat * 1000:.0f} ms, {cat_rss / 1024:.1f} MiB): {tee / cat:.2f}x cat's time")

print("\nbudgets:")
def check(ok, what):
    print(f"  {'holds' if ok else 'FAILS'}: {what}")
worst = max([results[(n, "errex")][1] for n in inputs] + [tee_rss])
check(worst * 1024 < 32_000_000, f"errex peak RSS under 32 MB everywhere (worst {worst / 1024:.1f} MiB)")
for n in ["many", "repeat", "common", "dense"]:
    v = results[(n, "errex")][0]
    check(v >= 200, f"{n}: at least 200 MB/s where every line is an error ({v:.0f} MB/s)")
v = results[("hugeline", "errex")][0]
check(v >= 100, f"hugeline: at least 100 MB/s on one huge line of frames ({v:.0f} MB/s)")
check(tee / cat <= 2, f"--tee at most 2x cat on the ordinary log ({tee / cat:.2f}x)")
PY
