//! Inputs shared by the benchmarks: a synthetic catalog of any size and a realistic log.

use std::borrow::Cow;

use errex::catalog::{Catalog, Category, Entry, Retry, Source};

const NOUNS: &[&str] = &[
    "Instance", "Volume", "Snapshot", "Subnet", "Gateway", "Route", "Address", "Group", "Fleet",
    "Endpoint", "Pool", "Policy",
];
const SUFFIXES: &[&str] = &[
    ".NotFound",
    ".Malformed",
    ".Duplicate",
    ".InUse",
    "LimitExceeded",
    "State.Invalid",
];

/// A catalog of `n` plausible, distinct entries (the built-in ones first).
pub fn synthetic(n: usize) -> Catalog {
    let mut entries: Vec<Entry> = Catalog::builtin().entries().to_vec();
    let mut i = 0;
    while entries.len() < n {
        let a = NOUNS[i % NOUNS.len()];
        let b = NOUNS[(i / NOUNS.len()) % NOUNS.len()];
        let s = SUFFIXES[(i / 7) % SUFFIXES.len()];
        let code = format!("Invalid{a}{b}{i}{s}");
        entries.push(Entry {
            service: Cow::Borrowed("synthetic"),
            code: Cow::Owned(code),
            category: if i % 5 == 0 {
                Category::Server
            } else {
                Category::Client
            },
            summary: Cow::Owned(format!(
                "The {a} and {b} number {i} could not be used for this request"
            )),
            cause: Cow::Owned(format!("- cause {i}")),
            remedy: Cow::Owned(format!(
                "- remedy {i}: run `aws ec2 describe-{}s`",
                a.to_lowercase()
            )),
            retry: Retry::ALL[i % Retry::ALL.len()],
            http_status: Some(400),
            related: Cow::Borrowed(&[]),
            docs: None,
            actions: Cow::Borrowed(&[]),
            aliases: Cow::Borrowed(&[]),
            tags: Cow::Borrowed(&[]),
            deprecated: None,
            replaced_by: None,
            retry_note: None,
            notes: None,
            messages: Cow::Borrowed(&[]),
            weight: 2,
            extends: None,
            source: Source::Builtin { file: "synthetic" },
            overridden_by: Cow::Borrowed(&[]),
        });
        i += 1;
    }
    Catalog::from_entries(entries)
}

/// Lines of an application log with no AWS errors in them.
pub const QUIET: &[&str] = &[
    "2026-11-26T07:15:01.123Z INFO  http: GET /api/v1/orders?limit=50 200 12ms user=4f1c2a",
    "2026-11-26T07:15:01.456Z DEBUG cache: hit key=session:9b2e7d41 ttl=3600",
    "2026-11-26T07:15:02.001Z INFO  worker[3]: processed batch 18234 (512 items) in 201ms",
    "2026-11-26T07:15:02.377Z WARN  db: slow query 812ms: SELECT id, status FROM shipments WHERE region = $1",
    "2026-11-26T07:15:03.090Z INFO  terraform: aws_instance.web: Still creating... [20s elapsed]",
    "2026-11-26T07:15:03.512Z INFO  k8s: pod/api-7d9f8b6c5-x2x4z Ready; node ip-10-0-3-17.eu-west-1.compute.internal",
];

/// Error lines, one of which is mixed in every few thousand quiet lines.
pub const ERRORS: &[&str] = &[
    "botocore.exceptions.ClientError: An error occurred (InvalidInstanceID.NotFound) when calling the DescribeInstances operation: The instance ID 'i-0123456789abcdef0' does not exist",
    "2026-11-26T07:15:04Z ERROR karpenter launching nodeclaim, creating instance, insufficient capacity aws-error-code=InsufficientInstanceCapacity",
];

/// A log of about `bytes` bytes with one error line per `every` lines.
pub fn log(bytes: usize, every: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes + 256);
    let mut i = 0;
    while out.len() < bytes {
        let line = if every > 0 && i % every == every - 1 {
            ERRORS[i % ERRORS.len()]
        } else {
            QUIET[i % QUIET.len()]
        };
        out.extend_from_slice(line.as_bytes());
        out.push(b'\n');
        i += 1;
    }
    out
}
