//! What the text says around an error: the operation, request id, HTTP status, resources,
//! Terraform's address and file line, and an encoded authorization message. Each reader takes
//! the error's own text (its region, bounded by the neighbouring errors) and allocates only
//! what it returns, so context costs time in proportion to the region, never to the input.

use std::ops::Range;

use super::clean::{find, find_iter, is_word, lossy, rfind};

/// The operation named in the error: the CLI's `when calling the X operation` (also wrapped over
/// two lines), Go v2's `operation error Svc: X,`, CloudTrail's `eventName`, a query string's
/// `Action=X`, Go v1's debug `Request s3/PutObject`, SSM Automation's `Exception from X API`,
/// CloudFormation handlers' `during operation 'X'`, and last an IAM action in an AccessDenied
/// message (`not authorized to perform: ecs:GetTaskProtection`). Fed every [`OPERATION`] marker of the error's text (one pass
/// finds them with the service clues); a marker inside the error's own line wins over one
/// elsewhere, then the order of [`OPERATION`].
#[derive(Default)]
pub(super) struct Operation<'w> {
    /// (rank, name): lower rank wins.
    best: Option<(usize, &'w [u8])>,
}

impl<'w> Operation<'w> {
    /// Reads marker `k` of [`OPERATION`] found at `w[start..end]`.
    pub(super) fn see(
        &mut self,
        w: &'w [u8],
        k: usize,
        start: usize,
        end: usize,
        own: &Range<usize>,
    ) {
        // An IAM action names the permission, which is often not the call's (`iam:PassRole`
        // when calling RunInstances): it is believed last wherever it stands.
        let own_line = own.contains(&start) && !matches!(OPERATION[k].1, Op::IamAction);
        let rank = k + if own_line { 0 } else { OPERATION.len() };
        if self.best.is_some_and(|(r, _)| r <= rank) {
            return;
        }
        if let Some(t) = operation_at(w, k, end) {
            self.best = Some((rank, t));
        }
    }

    /// The operation, if a marker named one.
    pub(super) fn name(&self) -> Option<String> {
        self.best.map(|(_, t)| lossy(t))
    }
}

/// The operation named anywhere in `w`.
#[cfg(test)]
fn operation(w: &[u8]) -> Option<String> {
    super::service::read_all(w).1
}

/// How each producer names the operation, in the order they are believed.
#[derive(Clone, Copy)]
pub(super) enum Op {
    /// The name follows, ending at this text (or at a non-name byte when `None`).
    Then(Option<&'static [u8]>),
    /// Go v1 debug logs: `service/Operation` follows.
    Slash,
    /// Go v2: `Service Name: Operation,` follows.
    GoV2,
    /// botocore: `the Operation operation` follows, perhaps wrapped onto the next line, or cut
    /// short by a closing quote where a message was quoted.
    Calling,
    /// An IAM action: `service:Operation` follows.
    IamAction,
}

/// Operation markers: the text before the name, and how the name is read.
pub(super) const OPERATION: &[(&str, Op)] = &[
    ("when calling", Op::Calling),
    ("\"eventName\": \"", Op::Then(Some(b"\""))),
    ("\"eventName\":\"", Op::Then(Some(b"\""))),
    // A record escaped inside another JSON string (`lookup-events`' `CloudTrailEvent`).
    ("\\\"eventName\\\":\\\"", Op::Then(Some(b"\\\""))),
    ("Action=", Op::Then(None)),
    ("aws-operation-name=", Op::Then(None)),
    ("Response ", Op::Slash),
    ("Request ", Op::Slash),
    ("operation error ", Op::GoV2),
    ("Exception from ", Op::Then(Some(b" API"))),
    ("Exception Message from ", Op::Then(Some(b" API"))),
    ("during operation '", Op::Then(Some(b"'"))),
    // Kept last: see `Operation::see`.
    ("to perform: ", Op::IamAction),
];

/// Reads the operation after marker `k`, which ends at `end`.
fn operation_at(w: &[u8], k: usize, end: usize) -> Option<&[u8]> {
    let rest = &w[end..];
    match OPERATION[k].1 {
        Op::Then(stop) => {
            let t = name(rest);
            let followed = &rest[t.len()..];
            (t.first().is_some_and(u8::is_ascii_uppercase)
                && stop.is_none_or(|s| followed.starts_with(s) || followed.is_empty()))
            .then_some(t)
        }
        Op::Slash => {
            let svc = rest
                .iter()
                .take(40)
                .take_while(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || **b == b'-')
                .count();
            if svc == 0 || rest.get(svc) != Some(&b'/') {
                return None;
            }
            let t = name(&rest[svc + 1..]);
            t.first().is_some_and(u8::is_ascii_uppercase).then_some(t)
        }
        Op::GoV2 => {
            let colon = rest.iter().take(48).position(|&b| b == b':')?;
            let rest = rest[colon + 1..].strip_prefix(b" ")?;
            let t = name(rest);
            (t.first().is_some_and(u8::is_ascii_uppercase) && rest[t.len()..].starts_with(b","))
                .then_some(t)
        }
        Op::Calling => {
            let g = gap(rest);
            let rest = rest[g..].strip_prefix(b"the")?;
            let g = gap(rest);
            if g == 0 {
                return None;
            }
            let rest = &rest[g..];
            let t = name(rest);
            let followed = &rest[t.len()..];
            let after = &followed[gap(followed)..];
            let ends = followed.is_empty()
                || matches!(followed[0], b'`' | b'\'' | b'"')
                || after.starts_with(b"operation") && after.get(9).is_none_or(|&b| !is_word(b));
            (t.first().is_some_and(u8::is_ascii_uppercase) && ends).then_some(t)
        }
        Op::IamAction => {
            let svc = rest
                .iter()
                .take(40)
                .take_while(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || **b == b'-')
                .count();
            if svc == 0 || rest.get(svc) != Some(&b':') {
                return None;
            }
            let t = name(&rest[svc + 1..]);
            // `s3:Get*` is a pattern, and many actions are no API's name (`s3:ListBucket` is
            // allowed to ListObjectsV2): only an action the registry knows as an operation.
            let wild = rest.get(svc + 1 + t.len()) == Some(&b'*');
            let known = std::str::from_utf8(t).is_ok_and(|op| {
                crate::catalog::registry::with_operation(op)
                    .next()
                    .is_some()
            });
            (t.first().is_some_and(u8::is_ascii_uppercase) && !wild && known).then_some(t)
        }
    }
}

/// The white space between two words of wrapped text: spaces, and at most one line break
/// with what starts the next line (indentation, a box edge `│`, a listing's `2.`).
fn gap(rest: &[u8]) -> usize {
    let spaces = |i: usize| {
        i + rest[i.min(rest.len())..]
            .iter()
            .take_while(|b| matches!(b, b' ' | b'\t'))
            .count()
    };
    let mut i = spaces(0);
    if rest.get(i) == Some(&b'\r') {
        i += 1;
    }
    if rest.get(i) != Some(&b'\n') {
        return i;
    }
    i = spaces(i + 1);
    if rest[i..].starts_with("│".as_bytes()) {
        i += "│".len();
    } else {
        let digits = rest[i..]
            .iter()
            .take(5)
            .take_while(|b| b.is_ascii_digit())
            .count();
        if (1..=4).contains(&digits) && rest.get(i + digits) == Some(&b'.') {
            i += digits + 1;
        }
    }
    spaces(i)
}

/// An identifier: letters and digits.
fn name(rest: &[u8]) -> &[u8] {
    let n = rest
        .iter()
        .take(80)
        .take_while(|b| b.is_ascii_alphanumeric())
        .count();
    &rest[..n]
}

/// The request id: after `request id`, `RequestId`, `Request ID`, `RequestID`,
/// `x-amz-request-id`, `"requestID"` (any case, with `:`, `=`, quotes, `>` or an escaped `>`
/// between), a UUID wrapped onto the next line joined again.
pub(super) fn request_id(w: &[u8]) -> Option<String> {
    let mut from = 0;
    while let Some(i) = find(&w[from..], b"equest") {
        let at = from + i;
        from = at + 6;
        if at == 0 || !matches!(w[at - 1], b'r' | b'R') {
            continue;
        }
        let mut j = at + 6;
        if matches!(w.get(j), Some(b' ' | b'_' | b'-')) {
            j += 1;
        }
        if !w
            .get(j..j + 2)
            .is_some_and(|s| s.eq_ignore_ascii_case(b"id"))
        {
            continue;
        }
        j += 2;
        loop {
            match w.get(j) {
                Some(b':' | b'=' | b'>' | b' ' | b'"' | b'\'' | b'\\') => j += 1,
                _ if w[j..].starts_with(b"u003e") => j += 5,
                _ if w[j..].starts_with(b"&gt;") => j += 4,
                _ if w[j..].starts_with(b"Some(") => j += 5,
                _ => break,
            }
        }
        let id_char = |b: &u8| b.is_ascii_alphanumeric() || *b == b'-';
        let mut id: Vec<u8> = w[j..]
            .iter()
            .take(80)
            .copied()
            .take_while(id_char)
            .collect();
        // A UUID cut by a line wrap continues at the start of the next line.
        let after = j + id.len();
        if id.len() < 36 && is_uuid(&id, true) && w.get(after) == Some(&b'\n') {
            let more: Vec<u8> = w[after + 1..]
                .iter()
                .take(36 - id.len())
                .copied()
                .take_while(id_char)
                .collect();
            let joined = [id.as_slice(), more.as_slice()].concat();
            if is_uuid(&joined, false) {
                id = joined;
            }
        }
        if id.len() >= 8 && id.iter().any(u8::is_ascii_digit) {
            return Some(lossy(&id));
        }
    }
    None
}

/// Whether `id` is a UUID (8-4-4-4-12 hex), or with `prefix`, the start of one.
fn is_uuid(id: &[u8], prefix: bool) -> bool {
    const SHAPE: &[u8] = b"xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx";
    (if prefix {
        id.len() <= SHAPE.len()
    } else {
        id.len() == SHAPE.len()
    }) && id.iter().zip(SHAPE).all(|(b, s)| {
        if *s == b'-' {
            *b == b'-'
        } else {
            b.is_ascii_hexdigit()
        }
    })
}

/// The HTTP status: `status code: 400`, `Status Code: 403`, `StatusCode: 404`,
/// `httpStatusCode: 400`, `'HTTPStatusCode': 400`, `"StatusCode": 400`, `HTTP/1.1 503`,
/// `status 400`, aws-api's `:cognitect.aws.http/status 400`, the Ruby SDK's log
/// `[AWS EC2 400 0.2 0 retries]`. The markers are matched ignoring case (log pipelines
/// lower-case text).
pub(super) fn http_status(w: &[u8]) -> Option<u16> {
    const MARKERS: &[&[u8]] = &[
        b"status code: ",
        b"statuscode: ",
        b"httpstatuscode: ",
        b"\"httpstatuscode\":",
        b"'httpstatuscode': ",
        b"\"httpstatuscode\": ",
        b"\"http_status_code\": ",
        b"\"statuscode\":",
        b":http-status ",
        b".http/status ",
        b"responseerror: ",
        b"http/1.1 ",
        b" status ",
    ];
    if let Some(v) = ruby_log_status(w) {
        return Some(v);
    }
    MARKERS.iter().find_map(|marker| {
        find_iter_ignoring_case(w, marker).find_map(|i| {
            let rest = &w[i + marker.len()..];
            let rest = &rest[rest.iter().take_while(|b| **b == b' ').count()..];
            let digits = rest
                .iter()
                .take(4)
                .take_while(|b| b.is_ascii_digit())
                .count();
            let v: u16 = std::str::from_utf8(&rest[..digits]).ok()?.parse().ok()?;
            (digits == 3 && (100..=599).contains(&v)).then_some(v)
        })
    })
}

/// Every position of `needle` (lower case) in `hay`, ignoring ASCII case.
fn find_iter_ignoring_case<'h>(
    hay: &'h [u8],
    needle: &'h [u8],
) -> impl Iterator<Item = usize> + 'h {
    let first = needle.first().copied().unwrap_or_default();
    memchr::memchr2_iter(first, first.to_ascii_uppercase(), hay).filter(move |&i| {
        hay[i..]
            .get(..needle.len())
            .is_some_and(|s| s.eq_ignore_ascii_case(needle))
    })
}

/// The Ruby SDK's log line: `[AWS EC2 400 0.217806 0 retries]` (v1),
/// `[Aws::S3::Client 404 0.05 0 retries]` (v2 and v3): the status is the word before the
/// duration.
fn ruby_log_status(w: &[u8]) -> Option<u16> {
    find_iter(w, b" retries]").find_map(|i| {
        let head = &w[i.saturating_sub(120)..i];
        let open = rfind(head, b"[A")?;
        let words: Vec<&[u8]> = head[open + 1..].split(|&b| b == b' ').collect();
        let [name @ .., status, _duration, _retries] = words.as_slice() else {
            return None;
        };
        let aws = name
            .first()
            .is_some_and(|n| n.starts_with(b"AWS") || n.starts_with(b"Aws::"));
        let v: u16 = std::str::from_utf8(status).ok()?.parse().ok()?;
        (aws && status.len() == 3 && (100..=599).contains(&v)).then_some(v)
    })
}

/// Resource id prefixes EC2 uses.
const ID_PREFIXES: &[&str] = &[
    "i",
    "ami",
    "sg",
    "sgr",
    "subnet",
    "vpc",
    "vol",
    "snap",
    "eni",
    "igw",
    "eigw",
    "rtb",
    "rtbassoc",
    "eipalloc",
    "eipassoc",
    "nat",
    "acl",
    "aclassoc",
    "lt",
    "pcx",
    "tgw",
    "tgw-attach",
    "tgw-rtb",
    "vpce",
    "vpce-svc",
    "dopt",
    "key",
    "cvpn-endpoint",
    "fl",
    "r",
    "lgw",
    "pl",
    "cgw",
    "vgw",
    "vpn",
    "fleet",
    "sir",
    "sfr",
    "cr",
    "h",
    "ipam",
    "ipam-pool",
    "ipam-scope",
    "vpc-cidr-assoc",
    "subnet-cidr-assoc",
    "tmt",
    "tmf",
    "tms",
    "tmfr",
    "export-ami",
    "import-ami",
    "import-snap",
    "elastic-gpu",
    "fpga",
    "aki",
    "ari",
    "bundle",
    "dhcp",
    "carrier-gateway",
    "pool",
    "vai",
    "vagr",
    "vae",
    "vatp",
    "eice",
];

/// The most resources kept per sighting.
const MAX_RESOURCES: usize = 20;

/// Resources named in the error: EC2 ids, ARNs (roles, functions, tables, keys ...), `s3://`
/// URIs, and bucket and table names the text labels as such.
#[cfg(test)]
fn resources(w: &[u8]) -> Vec<String> {
    resources_in(&[w])
}

/// [`resources`] of several pieces of text, each piece's in order (the error's own line
/// first, then its whole text), each resource once.
pub(super) fn resources_in(pieces: &[&[u8]]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for w in pieces {
        resources_into(w, &mut out);
    }
    out
}

fn resources_into(w: &[u8], out: &mut Vec<String>) {
    let push = |s: String, out: &mut Vec<String>| {
        if !s.is_empty() && out.len() < MAX_RESOURCES && !out.contains(&s) {
            out.push(s);
        }
    };
    ec2_ids(w, &mut |id| push(id, out));
    for (i, _) in find_iter(w, b"arn:aws").map(|i| (i, ())) {
        if i > 0 && is_word(w[i - 1]) {
            continue;
        }
        let arn: Vec<u8> = w[i..]
            .iter()
            .take(512)
            .copied()
            .take_while(|&b| {
                !b.is_ascii_whitespace()
                    && !matches!(b, b'"' | b'\'' | b',' | b'>' | b'<' | b')' | b'\\' | b'`')
            })
            .collect();
        let arn = arn.strip_suffix(b".").unwrap_or(&arn);
        if arn.iter().filter(|&&b| b == b':').count() >= 5 {
            push(lossy(arn), out);
        }
    }
    for (marker, stop) in [
        (&b"s3://"[..], &b" \"',)"[..]),
        (b"<BucketName>", b"<"),
        (b"bucket \"", b"\""),
        (b"bucket '", b"'"),
        (b"Bucket: ", b" ,;)\""),
        // Terraform's `reading S3 Bucket (name)`.
        (b"Bucket (", b")"),
        // DynamoDB's `Requested resource not found: Table: orders not found`.
        (b"Table: ", b" ,;)\""),
        // CloudTrail's request parameters.
        (b"\"bucketName\": \"", b"\""),
        (b"\"tableName\": \"", b"\""),
        (b"\"bucketName\":\"", b"\""),
        (b"\"tableName\":\"", b"\""),
    ] {
        // A label is a word of its own: `NoSuchBucket: The ...` labels nothing.
        for i in find_iter(w, marker).filter(|&i| i == 0 || !is_word(w[i - 1])) {
            let v: Vec<u8> = w[i + marker.len()..]
                .iter()
                .take(1024)
                .copied()
                .take_while(|b| !stop.contains(b) && !b.is_ascii_whitespace())
                .collect();
            if !v.is_empty() {
                let v = lossy(&v);
                push(
                    if marker == b"s3://" {
                        format!("s3://{v}")
                    } else {
                        v
                    },
                    out,
                );
            }
        }
    }
}

fn ec2_ids(w: &[u8], push: &mut dyn FnMut(String)) {
    let mut i = 0;
    while let Some(j) = memchr::memchr(b'-', &w[i..]) {
        let dash = i + j;
        i = dash + 1;
        // The hex part: 8 or 17 lower-case hex digits, then a boundary.
        let hex = w[dash + 1..]
            .iter()
            .take(18)
            .take_while(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
            .count();
        if !(hex == 8 || hex == 17)
            || w.get(dash + 1 + hex)
                .is_some_and(|&b| is_word(b) || b == b'-')
        {
            continue;
        }
        let found = ID_PREFIXES
            .iter()
            .filter(|p| {
                let p = p.as_bytes();
                dash >= p.len()
                    && &w[dash - p.len()..dash] == p
                    && (dash == p.len()
                        || !is_word(w[dash - p.len() - 1]) && w[dash - p.len() - 1] != b'-')
            })
            .max_by_key(|p| p.len());
        if let Some(p) = found {
            push(lossy(&w[dash - p.len()..dash + 1 + hex]));
        }
    }
}

/// How far a JSON record is followed from its error's code, each way.
const RECORD: usize = 4 * 1024;

/// The JSON record holding the error whose code is the string value at `pos` (`"errorCode":
/// "X"`, `"Code": "X"`, escaped `\"errorCode\":\"X\"` too): the object around the code, or,
/// when that object is the value of an `"Error"` key (botocore's `{"Error": {...},
/// "ResponseMetadata": {...}}`), the object around that. Its fields belong to the error
/// wherever they stand in it (CloudTrail's `requestID` comes 30 lines after `errorCode`). `None`
/// when the code is not a JSON value or the record does not close within [`RECORD`] bytes of
/// it. Braces are counted without reading strings: a brace inside a string value is rare,
/// and escaped JSON inside a string counts as it reads.
pub(super) fn json_record(buf: &[u8], pos: usize) -> Option<Range<usize>> {
    if !json_value(&buf[pos.saturating_sub(64)..pos]) {
        return None;
    }
    let lo = pos.saturating_sub(RECORD);
    let hi = (pos + RECORD).min(buf.len());
    // The unmatched opener before the code, and the one before that.
    let opener = |to: usize| -> Option<usize> {
        let mut depth = 0usize;
        for i in (lo..to).rev() {
            match buf[i] {
                b'}' | b']' => depth += 1,
                b'{' | b'[' if depth == 0 => return Some(i),
                b'{' | b'[' => depth -= 1,
                _ => {}
            }
        }
        None
    };
    let mut open = opener(pos)?;
    let error_key = || {
        let key = buf[lo..open].trim_ascii_end().strip_suffix(b":")?;
        let key = key.trim_ascii_end().strip_suffix(b"\"")?;
        let key = key.strip_suffix(b"\\").unwrap_or(key);
        let n = key.len();
        (n >= 6 && key[n - 5..].eq_ignore_ascii_case(b"error") && !is_word(key[n - 6]))
            .then_some(())
    };
    if error_key().is_some() {
        open = opener(open)?;
    }
    // Its closer.
    let mut depth = 0usize;
    for (i, &b) in buf.iter().enumerate().take(hi).skip(open + 1) {
        match b {
            b'{' | b'[' => depth += 1,
            b'}' | b']' if depth == 0 => return Some(open..i + 1),
            b'}' | b']' => depth -= 1,
            _ => {}
        }
    }
    None
}

/// Whether text ending here leaves a JSON string value open: `"key": "`, `"key":"`, or the
/// same escaped inside a string (`\"key\":\"`), perhaps with `Client.`/`Server.` read.
fn json_value(before: &[u8]) -> bool {
    let b = before;
    let b = b
        .strip_suffix(b"Client.")
        .or_else(|| b.strip_suffix(b"Server."))
        .unwrap_or(b);
    let Some(b) = b.strip_suffix(b"\"") else {
        return false;
    };
    let b = b.strip_suffix(b"\\").unwrap_or(b);
    let Some(b) = b.trim_ascii_end().strip_suffix(b":") else {
        return false;
    };
    b.trim_ascii_end().ends_with(b"\"")
}

/// The message field of a JSON record after its code (`"errorMessage": "..."`,
/// `"ErrorMessage"`, `"Message"`, `"message"`), at the code's own level of the record.
pub(super) fn json_message(record: &[u8]) -> Option<String> {
    let mut depth = 0usize;
    let mut i = 0;
    while i < record.len() {
        match record[i] {
            b'{' | b'[' => depth += 1,
            b'}' | b']' => depth = depth.checked_sub(1)?,
            b'e' if depth == 0 && record[i..].starts_with(b"essage") => {
                let key_start = record[..i]
                    .iter()
                    .rev()
                    .take(24)
                    .take_while(|b| b.is_ascii_alphabetic())
                    .count();
                let key = &record[i - key_start..i];
                let quoted = record[..i - key_start].ends_with(b"\"");
                if quoted
                    && (key.eq_ignore_ascii_case(b"m") || key.eq_ignore_ascii_case(b"errorM"))
                    && let Some(v) = json_string_after_key(&record[i + 6..])
                {
                    return (!v.is_empty()).then(|| lossy(&v));
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// After a key's name: `": "value"` (or escaped, `\":\"value\"`); the value with its `\"`
/// unescaped, at most 4 KiB.
fn json_string_after_key(rest: &[u8]) -> Option<Vec<u8>> {
    let escaped = rest.starts_with(b"\\\"");
    let rest = rest.strip_prefix(if escaped { &b"\\\""[..] } else { b"\"" })?;
    let rest = rest
        .trim_ascii_start()
        .strip_prefix(b":")?
        .trim_ascii_start();
    let rest = rest.strip_prefix(if escaped { &b"\\\""[..] } else { b"\"" })?;
    let mut v = Vec::new();
    let mut i = 0;
    while i < rest.len() && v.len() < 4096 {
        match rest[i] {
            b'\\' if escaped && rest[i + 1..].starts_with(b"\"") => break,
            b'\\' if !escaped && i + 1 < rest.len() => {
                v.push(rest[i + 1]);
                i += 2;
                continue;
            }
            b'"' | b'\n' => break,
            b => v.push(b),
        }
        i += 1;
    }
    Some(v)
}

/// Terraform's `with aws_instance.web[0],` (the resource's address).
pub(super) fn terraform_address(w: &[u8]) -> Option<String> {
    let i = find(w, b"with aws_").or_else(|| find(w, b"with module."))?;
    let rest = &w[i + 5..];
    let a: Vec<u8> = rest
        .iter()
        .take(256)
        .copied()
        .take_while(|&b| is_word(b) || matches!(b, b'.' | b'[' | b']' | b'"' | b'-' | b'\\'))
        .collect();
    let a = lossy(&a).replace("\\\"", "\"");
    (a.contains('.')).then_some(a)
}

/// Terraform's `on main.tf line 12` (where the resource is configured).
pub(super) fn source_location(w: &[u8]) -> Option<String> {
    let mut from = 0;
    while let Some(i) = find(&w[from..], b" line ") {
        let at = from + i;
        from = at + 6;
        let digits = w[at + 6..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count();
        if digits == 0 {
            continue;
        }
        let head = &w[..at];
        let Some(on) = rfind(head, b"on ") else {
            continue;
        };
        let file = &head[on + 3..];
        if (file.ends_with(b".tf") || file.ends_with(b".hcl") || file.ends_with(b".tf.json"))
            && file.iter().all(|&b| !b.is_ascii_whitespace())
            && !file.is_empty()
        {
            return Some(format!(
                "{} line {}",
                lossy(file),
                lossy(&w[at + 6..at + 6 + digits])
            ));
        }
    }
    None
}

/// `Encoded authorization failure message: <base64url...>`, possibly wrapped over lines. Kept
/// only when it is the length of a real one (at most 16 KiB).
pub(super) fn encoded_message(w: &[u8]) -> Option<String> {
    const MARKER: &[u8] = b"uthorization failure message: ";
    const MAX: usize = 16 * 1024;
    let mut j = find(w, MARKER)? + MARKER.len();
    let mut out = String::new();
    loop {
        let part: Vec<u8> = w[j..]
            .iter()
            .copied()
            .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_'))
            .collect();
        out.push_str(&String::from_utf8_lossy(&part));
        if out.len() > MAX {
            return None;
        }
        j += part.len();
        // Continue over a line break (with indentation or box characters) into more base64.
        let rest = &w[j..];
        let skip = rest
            .iter()
            .take_while(|b| matches!(b, b'\n' | b'\r' | b' ' | b'\t'))
            .count();
        let mut k = j + skip;
        if skip == 0 || !rest[..skip].contains(&b'\n') {
            break;
        }
        if w[k..].starts_with("│".as_bytes()) {
            k += "│".len();
            k += w[k..].iter().take_while(|b| **b == b' ').count();
        }
        let next: usize = w[k..]
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_'))
            .count();
        let line_rest = &w[k + next..];
        if next < 16
            || !(line_rest.is_empty() || matches!(line_rest[0], b'\n' | b'\r' | b' ' | b'"'))
        {
            break;
        }
        j = k;
    }
    (out.len() >= 32).then_some(out)
}

/// A Java SDK message: between `...Exception: ` and ` (Service:`.
pub(super) fn java_message(line: &[u8]) -> Option<String> {
    let svc = find(line, b" (Service: ")?;
    let head = &line[..svc];
    let colon = rfind(head, b"Exception: ")?;
    let m = &head[colon + 11..];
    (!m.is_empty()).then(|| lossy(m))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_operations_ids_and_statuses() {
        assert_eq!(
            operation(b"An error occurred (X) when calling the RunInstances operation: y")
                .as_deref(),
            Some("RunInstances")
        );
        assert_eq!(
            operation(b"operation error STS: AssumeRole, https response error").as_deref(),
            Some("AssumeRole")
        );
        assert_eq!(
            operation(b"operation error Auto Scaling: CreateAutoScalingGroup, https").as_deref(),
            Some("CreateAutoScalingGroup")
        );
        assert_eq!(
            request_id(b"status code: 400, request id: 1b2c3d4e-aaaa-bbbb-cccc-0123456789ab")
                .as_deref(),
            Some("1b2c3d4e-aaaa-bbbb-cccc-0123456789ab")
        );
        assert_eq!(
            request_id(b"<RequestId>4442587FB7D0A2F9</RequestId>").as_deref(),
            Some("4442587FB7D0A2F9")
        );
        assert_eq!(
            request_id(b"\"requestID\": \"ABCD1234EF\"").as_deref(),
            Some("ABCD1234EF")
        );
        assert_eq!(http_status(b"StatusCode: 403, RequestID"), Some(403));
        assert_eq!(
            http_status(b"dependent object status 400 returned"),
            Some(400)
        );
        assert_eq!(
            http_status(b"https response error statuscode: 403, requestid: x"),
            Some(403)
        );
        assert_eq!(
            http_status(b":cognitect.aws.http/status 404, :cognitect.anomalies/category"),
            Some(404)
        );
        assert_eq!(
            http_status(b"INFO -- : [AWS EC2 400 0.217806 0 retries] terminate_instances(x)"),
            Some(400)
        );
        assert_eq!(
            http_status(b"[Aws::S3::Client 404 0.051 0 retries] get_object(bucket: \"b\")"),
            Some(404)
        );
        assert_eq!(http_status(b"[Worker 400 0.1 3 retries]"), None);
        assert_eq!(
            operation(b"{\\\"eventSource\\\":\\\"ec2.amazonaws.com\\\",\\\"eventName\\\":\\\"RunInstances\\\"}")
                .as_deref(),
            Some("RunInstances")
        );
    }

    #[test]
    fn reads_operations_wrapped_cut_or_named_otherwise() {
        let op = |t: &str| operation(t.as_bytes());
        for (text, want) in [
            (
                "when calling the\n  ListBuckets operation: x",
                Some("ListBuckets"),
            ),
            (
                "when calling\nthe ListBuckets operation: x",
                Some("ListBuckets"),
            ),
            (
                "when calling the ListBuckets\n│ operation: x",
                Some("ListBuckets"),
            ),
            (
                "when calling the ListBuckets\n12.   operation: x",
                Some("ListBuckets"),
            ),
            (
                "`An error occurred (X) when calling the ListBuckets`.",
                Some("ListBuckets"),
            ),
            // Prose, not the CLI's frame.
            ("when calling the Lambda function twice", None),
            ("when calling the ListBuckets\n\noperation", None),
            (
                "Exception from DescribeImages API of ec2 Service",
                Some("DescribeImages"),
            ),
            (
                "Error occurred during operation 'PutParameter'.",
                Some("PutParameter"),
            ),
            (
                "is not authorized to perform: ecs:ListTasks on",
                Some("ListTasks"),
            ),
            ("is not authorized to perform: s3:Get* on", None),
            ("is not authorized to perform: s3:ListBucket on", None),
        ] {
            assert_eq!(op(text).as_deref(), want, "{text}");
        }
        // An IAM action is believed after any other marker, even one on another line.
        assert_eq!(
            op("when calling the RunInstances operation\nnot authorized to perform: iam:PassRole")
                .as_deref(),
            Some("RunInstances")
        );
    }

    #[test]
    fn reads_json_statuses() {
        assert_eq!(http_status(b"\"StatusCode\": 409,"), Some(409));
        assert_eq!(http_status(b"{\"statusCode\":429}"), Some(429));
    }

    #[test]
    fn json_records_hold_their_errors_fields() {
        let rec = |t: &'static str, code: &str| {
            let pos = t.find(code).expect("the code");
            json_record(t.as_bytes(), pos).map(|r| &t[r])
        };
        let trail =
            r#"[{"a": 1}, {"errorCode": "X", "p": {"q": [1]}, "requestID": "R"}, {"b": 2}]"#;
        assert_eq!(
            rec(trail, "X\""),
            Some(r#"{"errorCode": "X", "p": {"q": [1]}, "requestID": "R"}"#)
        );
        // An `Error` object's record is the response around it.
        let boto = r#"x {"Error": {"Code": "Y"}, "ResponseMetadata": {"HTTPStatusCode": 400}} y"#;
        assert_eq!(
            rec(boto, "Y\""),
            Some(r#"{"Error": {"Code": "Y"}, "ResponseMetadata": {"HTTPStatusCode": 400}}"#)
        );
        let escaped = r#""e": "{\"errorCode\":\"Client.Z\",\"requestID\":\"R\"}""#;
        assert_eq!(
            rec(escaped, "Client.Z"),
            Some(r#"{\"errorCode\":\"Client.Z\",\"requestID\":\"R\"}"#)
        );
        // Not a JSON value, or a record that does not close.
        assert_eq!(rec(r#"{"m": "code X here"}"#, "X"), None);
        assert_eq!(rec(r#"{"code": "X", "more": "#, "X"), None);
    }

    #[test]
    fn json_messages_are_the_codes_siblings() {
        let m = |t: &str| json_message(t.as_bytes());
        assert_eq!(
            m(r#"X", "errorMessage": "Role \"r\" exists", "k": 1}"#).as_deref(),
            Some("Role \"r\" exists")
        );
        assert_eq!(
            m(r#"X\",\"errorMessage\":\"Denied\"}"#).as_deref(),
            Some("Denied")
        );
        // A nested object's message, or one after the record ends, is not the error's.
        assert_eq!(
            m(r#"X", "p": {"message": "no"}, "k": 1}, {"message": "no"}"#),
            None
        );
        assert_eq!(m(r#"X", "StatusMessage": "no"}"#), None);
    }

    #[test]
    fn reads_resources_terraform_and_java() {
        assert_eq!(
            resources(b"instance i-0123456789abcdef0 in subnet-0123abcd, not xi-12345678"),
            ["i-0123456789abcdef0", "subnet-0123abcd"]
        );
        assert_eq!(
            resources(b"User: arn:aws:sts::123456789012:assumed-role/dev/x is not authorized to perform: s3:PutObject on resource: \"arn:aws:s3:::my-bucket/a.txt\""),
            ["arn:aws:sts::123456789012:assumed-role/dev/x", "arn:aws:s3:::my-bucket/a.txt"]
        );
        assert_eq!(
            resources(b"copy to s3://logs-bucket/2026/ failed"),
            ["s3://logs-bucket/2026/"]
        );
        assert_eq!(
            resources(b"reading S3 Bucket (web-assets): NoSuchBucket: The bucket"),
            ["web-assets"]
        );
        assert_eq!(
            resources(b"not found: Table: sessions not found; \"tableName\": \"carts\""),
            ["sessions", "carts"]
        );
        assert_eq!(
            terraform_address(b"  with aws_instance.web[0],\n  on main.tf line 12, in resource")
                .as_deref(),
            Some("aws_instance.web[0]")
        );
        assert_eq!(
            source_location(b"  with aws_instance.web[0],\n  on main.tf line 12, in resource")
                .as_deref(),
            Some("main.tf line 12")
        );
        assert_eq!(
            java_message(b"com.amazonaws.services.s3.model.AmazonS3Exception: Access Denied (Service: Amazon S3; Status Code: 403)").as_deref(),
            Some("Access Denied")
        );
    }
}
