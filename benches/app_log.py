#!/usr/bin/env python3
"""Writes an application log for the pipe benchmarks: eight kinds of ordinary lines (one holds
the anchor `Invalid`) with one of three AWS errors every 50,000 lines, deterministic.

usage: benches/app_log.py PATH SIZE_MIB    (used by benches/pipe.sh and benches/stress.sh)
"""
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
size, i, written, buf = mib << 20, 0, 0, []
with open(path, "w") as f:
    while written < size:
        tmpl = random.choice(errors) if i % 50000 == 49999 else quiet[i % len(quiet)]
        line = tmpl.format(t=f"2026-11-26T07:{i//60000%60:02d}:{i//1000%60:02d}.{i%1000:03d}Z", n=i, ms=i % 900, h=f"{i*2654435761 % (1<<32):08x}", w=i % 8, m=i % 512) + "\n"
        buf.append(line); written += len(line); i += 1
        if len(buf) >= 10000:
            f.write("".join(buf)); buf = []
    f.write("".join(buf))
