#!/usr/bin/env python3
"""Orders the prefilter's anchors so Teddy checks as few false candidates as possible.

Teddy (aho-corasick 1.1, "fat" with more than 32 patterns) puts the anchors in 16 buckets and, at
every position, tests the next 4 bytes against each bucket's nibble masks: the union of the
nibbles its anchors have at each of the 4 places. A position that passes some bucket's masks is
a candidate and is compared with that bucket's anchors one by one. Ordinary text passes a bucket
whose anchors' nibbles mix well far more often than it holds an anchor, and those candidates cost
more than the scan itself. Which bucket an anchor lands in follows from its place in the list:
the i-th anchor whose first four low nibbles are new goes to bucket 15 - i % 16 (see
`Teddy::new` in aho-corasick's `packed/teddy/generic.rs`); later anchors with the same low
nibbles join it. So the order of `ANCHORS` in `src/extract/prefilter.rs` is a performance
setting: it changes no match, only how many candidates are verified.

This script counts, for each sample, the candidates a bucket assignment lets through (from the
sample's 4-byte windows; a candidate in a bucket of n anchors weighs 1 + n/4), and searches for
an order (random swaps, kept when the sum over samples of candidates per MB falls). It prints
the count before and after for each sample, and the new order as the Rust constant.

usage: benches/anchor_order.py [--iterations N] [--seed S] SAMPLE...
  SAMPLE  ordinary text, no AWS errors in it: several kinds (application logs such as
          benches/app_log.py writes, source code, documentation), a few MB each
needs numpy (pip install numpy)
"""
import argparse, ast, json, random, re, sys

import numpy as np

ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
ap.add_argument("samples", nargs="+")
ap.add_argument("--iterations", type=int, default=3000)
ap.add_argument("--seed", type=int, default=3)
ap.add_argument("--source", default="src/extract/prefilter.rs")
args = ap.parse_args()

src = open(args.source).read()
m = re.search(r"pub\(super\) const ANCHORS: &\[&str\] = &\[(.*?)\];", src, re.S)
anchors = ast.literal_eval("[" + m.group(1) + "]")

# Each sample's distinct 4-byte windows (as 4 byte arrays) and how often each occurs.
samples = []
for path in args.samples:
    b = np.frombuffer(open(path, "rb").read(), dtype=np.uint8).astype(np.uint32)
    w = b[:-3] | (b[1:-2] << 8) | (b[2:-1] << 16) | (b[3:] << 24)
    u, c = np.unique(w, return_counts=True)
    samples.append((path, [(u >> (8 * j)) & 0xFF for j in range(4)], c, len(b) / 1e6))


def buckets(order):
    out, seen = [[] for _ in range(16)], {}
    for i, a in enumerate(order):
        key = tuple(ord(ch) & 0xF for ch in a[:4])
        if key not in seen:
            seen[key] = 15 - i % 16
        out[seen[key]].append(a)
    return out


cache = {}


def cost(group):
    """Weighted candidates per MB that one bucket lets through, per sample."""
    key = tuple(sorted(group))
    if key not in cache:
        if not group:
            cache[key] = [0.0] * len(samples)
        else:
            passes = []
            for j in range(4):
                lo = {ord(a[j]) & 0xF for a in group}
                hi = {ord(a[j]) >> 4 for a in group}
                passes.append(np.array([(x & 0xF in lo) and (x >> 4 in hi) for x in range(256)]))
            cache[key] = [
                float(c[passes[0][by[0]] & passes[1][by[1]] & passes[2][by[2]] & passes[3][by[3]]].sum())
                / mb * (1 + len(group) / 4)
                for _, by, c, mb in samples
            ]
    return cache[key]


def score(order):
    per = [cost(g) for g in buckets(order)]
    totals = [sum(p[k] for p in per) for k in range(len(samples))]
    return sum(totals), totals


random.seed(args.seed)
order = list(anchors)
best, before = score(order)
for _ in range(args.iterations):
    i, j = random.sample(range(len(order)), 2)
    trial = list(order)
    trial[i], trial[j] = trial[j], trial[i]
    s, _ = score(trial)
    if s < best:
        best, order = s, trial
_, after = score(order)
print("weighted candidates per MB (before -> after):", file=sys.stderr)
for (path, *_), b, a in zip(samples, before, after):
    print(f"  {path}: {b:.0f} -> {a:.0f}", file=sys.stderr)
print("pub(super) const ANCHORS: &[&str] = &[")
print("    " + ", ".join(json.dumps(a) for a in order) + ",")
print("];")
