//! Which service an error came from, from whatever its text says: the SDK's own frame
//! (`Service: Amazon S3`, `operation error S3:`), package and class paths (`@aws-sdk/client-s3`,
//! `software.amazon.awssdk.services.s3`, `Aws::S3::Errors`), Terraform's words (`creating S3
//! Bucket`, `with aws_s3_bucket.b`), XML namespaces, CloudTrail's `eventSource`, endpoint hosts,
//! IAM actions and ARNs, and the operation name looked up in the registry. The code itself
//! narrows the choice to the services that have it.

use super::clean::lossy;
use super::context;
use crate::catalog::registry::{self, Service};

/// Names SDKs and tools use for services that normalising serviceIds does not reach.
const ALIASES: &[(&str, &str)] = &[
    // Java SDK v1 client names, Go v1 package names, Terraform's words.
    ("identitymanagement", "iam"),
    ("securitytoken", "sts"),
    ("securitytokenservice", "sts"),
    ("dynamodbv2", "dynamodb"),
    ("simplesystemsmanagement", "ssm"),
    ("systemsmanager", "ssm"),
    ("cognitoidentityprovider", "cognito-idp"),
    ("cognitouserpool", "cognito-idp"),
    ("cognitoidp", "cognito-idp"),
    ("simpleemailservice", "ses"),
    ("simpleemailservicev2", "sesv2"),
    ("stepfunctions", "stepfunctions"),
    ("sfn", "stepfunctions"),
    ("states", "stepfunctions"),
    ("elasticloadbalancingv2", "elbv2"),
    ("elasticloadbalancing", "elb"),
    ("elbv2", "elbv2"),
    ("lb", "elbv2"),
    ("alb", "elbv2"),
    ("autoscaling", "autoscaling"),
    ("autoscalinggroup", "autoscaling"),
    ("cloudwatchlogs", "logs"),
    ("cloudwatchlog", "logs"),
    ("logs", "logs"),
    ("route53", "route53"),
    ("apigateway", "apigateway"),
    ("secretsmanager", "secretsmanager"),
    ("ec2", "ec2"),
    ("vpc", "ec2"),
    ("ebs", "ec2"),
    ("instance", "ec2"),
    ("s3", "s3"),
    ("bedrockruntime", "bedrock-runtime"),
];

/// Squeezes a name for comparison into `out`: lower case, letters and digits only, without a
/// leading `amazon` or `aws`. Returns `None` for a name too long to be a service's.
fn squeeze<'o>(name: &[u8], out: &'o mut [u8; 64]) -> Option<&'o str> {
    let mut n = 0;
    for &b in name.iter().filter(|b| b.is_ascii_alphanumeric()) {
        *out.get_mut(n)? = b.to_ascii_lowercase();
        n += 1;
    }
    let mut s: &[u8] = &out[..n];
    for prefix in [&b"amazon"[..], b"aws"] {
        if let Some(rest) = s.strip_prefix(prefix).filter(|r| !r.is_empty()) {
            s = rest;
            break;
        }
    }
    // Only ASCII letters and digits were kept.
    std::str::from_utf8(s).ok()
}

/// Every name a service goes by (squeezed), built once: ids, serviceIds, abbreviations, full
/// names, then the aliases above (which win).
fn names() -> &'static std::collections::HashMap<Box<str>, &'static Service, super::BuildFx> {
    static NAMES: std::sync::OnceLock<
        std::collections::HashMap<Box<str>, &'static Service, super::BuildFx>,
    > = std::sync::OnceLock::new();
    NAMES.get_or_init(|| {
        let mut map = std::collections::HashMap::default();
        let mut buf = [0; 64];
        for s in registry::services() {
            for name in [s.id, s.service_id, s.abbreviation, s.full_name] {
                if let Some(k) = squeeze(name.as_bytes(), &mut buf).filter(|k| !k.is_empty()) {
                    map.entry(k.into()).or_insert(s);
                }
            }
        }
        for (alias, id) in ALIASES {
            if let Some(s) = registry::service(id) {
                map.insert((*alias).into(), s);
            }
        }
        map
    })
}

/// The service a name refers to: an id, a serviceId, an abbreviation, a full name, a Java or Go
/// client name, a package name (any case, spaces and dashes ignored).
pub fn by_name(name: &str) -> Option<&'static Service> {
    by_name_bytes(name.as_bytes())
}

/// [`by_name`] on bytes as the text has them; allocates nothing.
pub(super) fn by_name_bytes(name: &[u8]) -> Option<&'static Service> {
    let mut buf = [0; 64];
    names().get(squeeze(name, &mut buf)?).copied()
}

/// The services whose endpoint prefix or signing name is `prefix` (`s3`, `states`, `logs`).
fn by_endpoint(prefix: &str) -> Vec<&'static Service> {
    let prefix = prefix.to_ascii_lowercase();
    let mut out: Vec<&'static Service> = registry::services()
        .iter()
        .filter(|s| s.endpoint_prefix == prefix || s.signing_name == prefix)
        .collect();
    // Several services on one endpoint: the one named after it (`lambda`, not `lambda-core`).
    // (`elasticloadbalancing` names neither load balancer API; callers that know the resource
    // choose, see `elb_of_resource`.)
    if out.len() > 1
        && let Some(exact) = out.iter().find(|s| s.id == prefix)
    {
        out = vec![*exact];
    }
    out
}

/// The service an IAM action's prefix names (`sts` in `sts:AssumeRole`, `states` in
/// `states:StartExecution`, `SNS` in `SNS:Publish`). `elasticloadbalancing` is both load
/// balancer APIs: the resource ARN in `message` tells which, else the current API (`elbv2`).
pub(super) fn by_action_prefix(prefix: &[u8], message: &[u8]) -> Option<&'static Service> {
    let prefix = lossy(prefix).to_ascii_lowercase();
    if prefix == "elasticloadbalancing" {
        let arn = super::clean::find(message, b"arn:aws:elasticloadbalancing:");
        return registry::service(arn.map_or("elbv2", |at| elb_of_arn(&message[at..])));
    }
    by_endpoint(&prefix)
        .first()
        .copied()
        .or_else(|| by_name(&prefix))
}

/// The service an AWS CLI command names (`aws rds delete-db-cluster`, `aws s3api put-object`),
/// when the word after `aws ` is one and a kebab-case command follows.
fn by_cli_command(rest: &[u8]) -> Option<&'static Service> {
    let word_len = rest
        .iter()
        .take(40)
        .take_while(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || **b == b'-')
        .count();
    let (word, after) = rest.split_at(word_len);
    let command = after.strip_prefix(b" ")?;
    let command_ok = command.first().is_some_and(u8::is_ascii_lowercase)
        && command
            .iter()
            .take_while(|b| !b.is_ascii_whitespace())
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'-');
    // CLI commands are verb-noun (`get-user`); the s3 commands are the only short ones.
    let short = [
        &b"ls "[..],
        b"cp ",
        b"mv ",
        b"rm ",
        b"mb ",
        b"rb ",
        b"sync ",
    ];
    let command_ok = command_ok
        && (command
            .iter()
            .take(48)
            .take_while(|b| !b.is_ascii_whitespace())
            .any(|&b| b == b'-')
            || word == b"s3" && short.iter().any(|c| command.starts_with(c)));
    if word.is_empty() || !command_ok {
        return None;
    }
    let word = lossy(word);
    let id = match &*word {
        "s3api" | "s3" => "s3",
        "configservice" => "config",
        "deploy" => "codedeploy",
        other => other,
    };
    registry::service(id).filter(|s| s.id == id)
}

/// What the text says about the service, strongest first.
#[derive(Debug, Default)]
pub(super) struct Clues {
    /// A service the text names outright.
    pub named: Option<&'static Service>,
    /// Services the hosts, ARNs and IAM actions of the text point at.
    pub hinted: Vec<&'static Service>,
    /// The text names another cloud's endpoint or SDK (Oracle's `Error Code:`, Alibaba OSS's
    /// `ErrorCode=NoSuchKey` look like AWS's).
    pub foreign: bool,
}

/// A clue marker: where the text names or hints at a service.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Marker {
    /// A name follows, up to one of these bytes; read it with [`by_name`].
    Named(&'static [u8]),
    /// An endpoint prefix follows (CloudTrail's eventSource).
    Endpoint(&'static [u8]),
    /// This text alone names the service.
    Is(&'static str),
    /// An XML namespace follows.
    Xmlns(&'static [u8]),
    /// A Terraform verb: the service's name follows in capitalised words.
    Verb,
    /// Terraform's `with aws_TYPE.NAME`.
    WithAws,
    /// `to perform: svc:Action`.
    Perform,
    /// An ARN starts here.
    Arn,
    /// An endpoint host ends here.
    Host,
    /// An AWS CLI command line (`aws rds delete-db-cluster ...`).
    Cli,
    /// Another cloud's endpoint or SDK.
    Foreign,
}

/// Every clue marker, in the order a named service is believed (the SDK's own frame first).
const MARKERS: &[(&str, Marker)] = &[
    ("(Service: ", Marker::Named(b";,)")),
    ("operation error ", Marker::Named(b":")),
    ("@aws-sdk/client-", Marker::Named(b"/\"' ")),
    ("software.amazon.awssdk.services.", Marker::Named(b".")),
    ("com.amazonaws.services.", Marker::Named(b".")),
    ("aws-sdk-go-v2/service/", Marker::Named(b"/\" @")),
    ("aws-sdk-go/service/", Marker::Named(b"/\" @")),
    ("Aws::", Marker::Named(b":")),
    ("AWS::", Marker::Named(b":")),
    ("aws-sdk/lib/services/", Marker::Named(b".")),
    ("botocore/data/", Marker::Named(b"/")),
    ("\"eventSource\": \"", Marker::Endpoint(b".\"")),
    ("\"eventSource\":\"", Marker::Endpoint(b".\"")),
    ("\\\"eventSource\\\":\\\"", Marker::Endpoint(b".\\")),
    ("xmlns=\"", Marker::Xmlns(b"\"")),
    ("xmlns=\\\"", Marker::Xmlns(b"\\")),
    // EC2's query errors are `<Response><Errors><Error>`; other query services use
    // `<ErrorResponse>`.
    ("<Response><Errors><Error>", Marker::Is("ec2")),
    ("creating ", Marker::Verb),
    ("reading ", Marker::Verb),
    ("updating ", Marker::Verb),
    ("deleting ", Marker::Verb),
    ("waiting for ", Marker::Verb),
    ("describing ", Marker::Verb),
    ("listing ", Marker::Verb),
    ("putting ", Marker::Verb),
    ("attaching ", Marker::Verb),
    ("modifying ", Marker::Verb),
    ("setting ", Marker::Verb),
    ("with aws_", Marker::WithAws),
    ("to perform: ", Marker::Perform),
    ("arn:aws", Marker::Arn),
    (".amazonaws.com", Marker::Host),
    ("aws ", Marker::Cli),
    // Other clouds whose errors borrow AWS's words: Oracle's SDKs print `Error Code: X`, the
    // Alibaba OSS SDK `oss: service returned error: ..., ErrorCode=NoSuchKey`.
    (".oraclecloud.com", Marker::Foreign),
    ("Oracle-GoSDK", Marker::Foreign),
    ("oss: service returned error", Marker::Foreign),
    (".aliyuncs.com", Marker::Foreign),
    (".googleapis.com", Marker::Foreign),
];

/// A clue or operation marker found in text: `[start, end)` and its index in [`MARKERS`]
/// followed by [`context::OPERATION`].
#[derive(Debug, Clone, Copy)]
pub(super) struct Mark {
    pub start: usize,
    pub end: usize,
    pub k: usize,
}

/// Every clue marker and every operation marker in `w`, in one SIMD pass, appended to `out`
/// with offsets into `w`. The scanner reads a whole chunk's errors this way at once: one long
/// pass costs far less than a short one per error.
pub(super) fn marks(w: &[u8], out: &mut Vec<Mark>) {
    static F: std::sync::OnceLock<super::clean::Markers> = std::sync::OnceLock::new();
    F.get_or_init(|| {
        let clues = MARKERS.iter().map(|(m, _)| *m);
        super::clean::Markers::new(clues.chain(context::OPERATION.iter().map(|(m, _)| *m)))
    })
    .each(w, |k, start, end| out.push(Mark { start, end, k }));
}

/// Reads the clues in an error's text: one pass finds every marker, then the named service is
/// the first marker (in [`MARKERS`] order) that reads as one; without one, the hints.
#[cfg(test)]
pub(super) fn clues(w: &[u8]) -> Clues {
    read_all(w).0
}

/// [`read`] with the markers found here.
#[cfg(test)]
pub(super) fn read_all(w: &[u8]) -> (Clues, Option<String>) {
    let mut found = Vec::new();
    marks(w, &mut found);
    read(w, &found, 0, 0..w.len())
}

/// Reads what an error's text `w` says about where it came from: the service clues (see
/// [`clues`]) and the operation (its own line `own` first), given the markers found (at
/// offsets into `w` plus `base`; those not wholly inside `w` are ignored).
pub(super) fn read(
    w: &[u8],
    found: &[Mark],
    base: usize,
    own: std::ops::Range<usize>,
) -> (Clues, Option<String>) {
    let mut operation = context::Operation::default();
    let mut first = [None::<usize>; MARKERS.len()];
    let mut arns: Vec<usize> = Vec::new();
    let mut hosts: Vec<usize> = Vec::new();
    let mut cli: Vec<usize> = Vec::new();
    let mut foreign = false;
    let from = found.partition_point(|m| m.start < base);
    for &Mark { start, end, k } in &found[from..] {
        if start >= base + w.len() {
            break;
        }
        if end > base + w.len() {
            continue;
        }
        let (start, end) = (start - base, end - base);
        if k >= MARKERS.len() {
            operation.see(w, k - MARKERS.len(), start, end, &own);
            continue;
        }
        // One marker is reported per place: an operation marker that starts where this clue
        // does (`operation error ` is both) is read here.
        for (j, (m, _)) in context::OPERATION.iter().enumerate() {
            if w[start..].starts_with(m.as_bytes()) {
                operation.see(w, j, start, start + m.len(), &own);
            }
        }
        match MARKERS[k].1 {
            Marker::Arn => arns.push(start),
            Marker::Host => hosts.push(start),
            Marker::Cli => cli.push(end),
            Marker::Foreign => foreign = true,
            _ => {}
        }
        if first[k].is_none() {
            first[k] = Some(end);
        }
    }
    let mut c = Clues {
        foreign,
        ..Clues::default()
    };
    let value = |at: usize, stop: &[u8]| -> &[u8] {
        let v = &w[at..(at + 64).min(w.len())];
        &v[..v.iter().position(|b| stop.contains(b)).unwrap_or(v.len())]
    };
    let mut perform = None;
    for (k, (_, marker)) in MARKERS.iter().enumerate() {
        let Some(at) = first[k] else { continue };
        let found = match *marker {
            Marker::Named(stop) => by_name_bytes(value(at, stop)),
            Marker::Endpoint(stop) => by_endpoint(&lossy(value(at, stop))).first().copied(),
            Marker::Is(id) => registry::service(id),
            Marker::Xmlns(stop) => {
                let ns = lossy(value(at, stop));
                registry::services().iter().find(|s| {
                    !s.xml_namespace.is_empty()
                        && s.xml_namespace.trim_end_matches('/') == ns.trim_end_matches('/')
                })
            }
            Marker::Verb => terraform_words(&w[at..]),
            Marker::WithAws => terraform_type(&w[at..]),
            Marker::Perform => {
                perform = Some(at);
                None
            }
            Marker::Arn | Marker::Host | Marker::Cli | Marker::Foreign => None,
        };
        if found.is_some() {
            c.named = found;
            return (c, operation.name());
        }
    }
    hints(w, perform, &arns, &hosts, &mut c.hinted);
    // The AWS CLI command that failed (`$ aws rds delete-db-cluster ...`), after the hints the
    // error itself gives.
    for &at in &cli {
        let word_start = at.saturating_sub(4) == 0 || !super::clean::is_word(w[at - 5]);
        if let Some(s) = by_cli_command(&w[at..]).filter(|_| word_start)
            && !c.hinted.iter().any(|h| h.id == s.id)
        {
            c.hinted.push(s);
        }
    }
    (c, operation.name())
}

/// Terraform's words after a verb: the longest run of capitalised words that names a service
/// (`CloudWatch Logs Log Group` is CloudWatch Logs).
fn terraform_words(rest: &[u8]) -> Option<&'static Service> {
    let words: Vec<&[u8]> = rest
        .split(|&b| b == b' ')
        .take(3)
        .take_while(|t| t.first().is_some_and(u8::is_ascii_uppercase))
        .collect();
    for n in (1..=words.len()).rev() {
        let name = words[..n]
            .iter()
            .map(|t| String::from_utf8_lossy(t).into_owned())
            .collect::<Vec<_>>()
            .join(" ");
        if let Some(s) = by_name(&name) {
            return Some(s);
        }
    }
    None
}

/// Terraform's resource type after `with aws_`: its longest prefix that names a service
/// (aws_cloudwatch_log_group is CloudWatch Logs, aws_s3_bucket is S3, aws_instance is EC2).
fn terraform_type(rest: &[u8]) -> Option<&'static Service> {
    let ty: Vec<u8> = rest
        .iter()
        .take(64)
        .copied()
        .take_while(|&b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        .collect();
    let ty = lossy(&ty);
    let parts: Vec<&str> = ty.split('_').collect();
    (1..=parts.len().min(3))
        .rev()
        .find_map(|n| by_name(&parts[..n].join("")))
}

fn hints(
    w: &[u8],
    perform: Option<usize>,
    arns: &[usize],
    hosts: &[usize],
    out: &mut Vec<&'static Service>,
) {
    let mut add = |list: Vec<&'static Service>| {
        for s in list {
            if !out.iter().any(|o| o.id == s.id) {
                out.push(s);
            }
        }
    };
    // `not authorized to perform: dynamodb:PutItem`: the action's prefix.
    if let Some(at) = perform {
        // The action may be wrapped onto the next line.
        let at = at
            + w[at..]
                .iter()
                .take(16)
                .take_while(|b| b.is_ascii_whitespace())
                .count();
        let v = &w[at..(at + 64).min(w.len())];
        let end = v.iter().position(|&b| b == b':').unwrap_or(v.len());
        add(by_endpoint(&lossy(&v[..end])));
    }
    // `on resource: arn:aws:s3:::bucket` and other ARNs, except the caller's own.
    for &at in arns {
        let principal = w[..at].ends_with(b"User: ") || w[..at].ends_with(b"Principal: ");
        let rest = &w[at..(at + 64).min(w.len())];
        let fields: Vec<&[u8]> = rest.splitn(4, |&b| b == b':').collect();
        if !principal && fields.len() >= 4 {
            let mut services = by_endpoint(&lossy(fields[2]));
            if fields[2] == b"elasticloadbalancing" {
                let api = elb_of_arn(&w[at..]);
                services.retain(|s| s.id == api);
            }
            add(services);
        }
    }
    // Hosts: `https://sts.us-east-1.amazonaws.com`, `bucket.s3.amazonaws.com`.
    for &i in hosts {
        let head = &w[i.saturating_sub(96)..i];
        let start = head
            .iter()
            .rposition(|&b| !(b.is_ascii_alphanumeric() || b == b'.' || b == b'-'))
            .map_or(0, |p| p + 1);
        let host = lossy(&head[start..]);
        let labels: Vec<&str> = host.split('.').collect();
        for label in labels.iter().rev().chain(labels.iter()) {
            let found = by_endpoint(label);
            if !found.is_empty() {
                add(found);
                break;
            }
        }
    }
}

/// Which Elastic Load Balancing API the resource of `arn` (`arn:aws:elasticloadbalancing:...`,
/// then whatever follows it) belongs to: the load balancers of the current API (Application,
/// Network, Gateway) and their target groups, listeners, rules and trust stores are `elbv2`'s
/// (`targetgroup/name/id`, `loadbalancer/app/name/id`); a Classic Load Balancer is
/// `loadbalancer/name`.
fn elb_of_arn(arn: &[u8]) -> &'static str {
    let resource = arn.splitn(6, |&b| b == b':').nth(5).unwrap_or_default();
    let v2 = ["targetgroup/", "listener/", "listener-rule/", "truststore/"]
        .iter()
        .any(|p| resource.starts_with(p.as_bytes()))
        || ["app/", "net/", "gwy/"].iter().any(|t| {
            resource
                .strip_prefix(b"loadbalancer/".as_slice())
                .is_some_and(|r| r.starts_with(t.as_bytes()))
        });
    if v2 { "elbv2" } else { "elb" }
}

/// Codes that say one thing in two spellings: the query and XML services (`sts`, `iam`, `s3`)
/// use the first, the JSON ones the second.
const SPELLINGS: &[(&str, &str)] = &[
    ("AccessDenied", "AccessDeniedException"),
    ("ValidationError", "ValidationException"),
];

/// How `service` spells a cross-service code inferred from a message that both spellings of
/// [`SPELLINGS`] share (`User: ... is not authorized to perform: ...`): its registry's own
/// spelling when it lists one; else by protocol, as the services answer (EC2's authorization
/// failure is `UnauthorizedOperation`). `None` for any other code.
pub(super) fn spelled_in(service: &str, code: &str) -> Option<String> {
    let &(query, json) = SPELLINGS.iter().find(|(q, j)| code == *q || code == *j)?;
    let svc = registry::service(service)?;
    for own in [json, query] {
        if registry::find(svc.id, own).is_some() {
            return Some(own.to_owned());
        }
    }
    Some(
        match svc.protocol {
            "ec2" if query == "AccessDenied" => "UnauthorizedOperation",
            "ec2" | "query" | "rest-xml" => query,
            _ => json,
        }
        .to_owned(),
    )
}

/// How many of an undecided error's candidate services are named; the rest are only counted,
/// so a code that hundreds of services share costs no more to report than one eight share.
pub const CANDIDATES: usize = 8;

/// How the service of one error was decided.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Verdict {
    /// The text (or the code) says it.
    Service(String),
    /// It could be any of `total` services; `services` names the first [`CANDIDATES`] of them,
    /// in the order given (those with a written entry come first in the extractor's order).
    Ambiguous { services: Vec<String>, total: usize },
    /// Nothing says.
    Unknown,
}

/// An undecided verdict over `ids` (which may repeat a service, once per spelling of the code),
/// `total` of them distinct. Names the first [`CANDIDATES`] and stops reading there: a code of
/// hundreds of services costs no more than one of eight.
fn ambiguous<'s>(ids: impl IntoIterator<Item = &'s str>, total: usize) -> Verdict {
    let mut services: Vec<String> = Vec::with_capacity(total.min(CANDIDATES));
    for id in ids {
        if services.len() == CANDIDATES {
            break;
        }
        if !services.iter().any(|s| s == id) {
            services.push(id.to_owned());
        }
    }
    Verdict::Ambiguous { services, total }
}

/// How many distinct services `ids` names (sorts a copy: for short lists off the hot path).
fn distinct(ids: &[&str]) -> usize {
    let mut all = ids.to_vec();
    all.sort_unstable();
    all.dedup();
    all.len()
}

/// Decides the service: a service the text names wins; else the services that have the
/// operation, narrowed by the code's services and the hints; else the hints; else the code's
/// own services when there is one. `has_code` lists the services (ids) that have the code, once
/// per spelling; `services` is how many distinct ones other than `aws` that is (counted once
/// per code when the extractor is built, not per error); `common` says the code is an AWS
/// common error any service may return.
pub(super) fn decide(
    clues: &Clues,
    operation: Option<&str>,
    has_code: &[&str],
    services: usize,
    common: bool,
) -> Verdict {
    if let Some(s) = clues.named {
        return Verdict::Service(s.id.to_owned());
    }
    let fits = |id: &str| has_code.is_empty() || common || has_code.contains(&id);
    let narrowed = |mut list: Vec<&'static str>| -> Vec<&'static str> {
        list.retain(|id| fits(id));
        if list.len() > 1 && !clues.hinted.is_empty() {
            let hinted: Vec<&str> = list
                .iter()
                .copied()
                .filter(|id| clues.hinted.iter().any(|h| h.id == *id))
                .collect();
            if !hinted.is_empty() {
                return hinted;
            }
        }
        list
    };
    if let Some(op) = operation {
        let with_op: Vec<&'static str> = registry::with_operation(op).map(|s| s.id).collect();
        if !with_op.is_empty() {
            let mut list = narrowed(with_op.clone());
            if list.is_empty() {
                list = with_op;
            }
            if list.len() > 1 {
                let specific: Vec<&str> = list
                    .iter()
                    .copied()
                    .filter(|id| has_code.contains(id))
                    .collect();
                if specific.len() == 1 {
                    return Verdict::Service(specific[0].to_owned());
                }
            }
            return match list.as_slice() {
                [one] => Verdict::Service((*one).to_owned()),
                many => match one_api(many) {
                    Some(id) => Verdict::Service(id.to_owned()),
                    None => ambiguous(many.iter().copied(), distinct(many)),
                },
            };
        }
    }
    let hinted = narrowed(clues.hinted.iter().map(|s| s.id).collect());
    if let [one] = hinted.as_slice() {
        return Verdict::Service((*one).to_owned());
    }
    let mut own = has_code
        .iter()
        .copied()
        .filter(|s| *s != crate::catalog::CROSS_SERVICE)
        .peekable();
    // However many services share the code, it is known: the finding names the first few and
    // counts the rest (it used to say nothing past eight, which read as an unknown code).
    match (own.peek(), services) {
        (None, _) | (_, 0) => Verdict::Unknown,
        (Some(one), 1) if !common => Verdict::Service((*one).to_owned()),
        (Some(_), 2..=CANDIDATES) if !common => {
            let own: Vec<&str> = own.collect();
            match one_api(&own) {
                Some(id) => Verdict::Service(id.to_owned()),
                None => ambiguous(own, services),
            }
        }
        _ => ambiguous(own, services),
    }
}

/// The service that `ids` all are, when they are several models of one API: the same endpoint,
/// protocol, API version and XML namespace (botocore's `docdb` and `neptune` models are parts of
/// the RDS API, served by `rds.amazonaws.com`, so a shared code with `CreateDBInstance` is RDS's
/// whichever CLI command sent it). The one named after the endpoint is that API.
fn one_api(ids: &[&str]) -> Option<&'static str> {
    let version = |s: &Service| s.uid.get(s.uid.len().saturating_sub(10)..).unwrap_or("");
    let first = registry::service(ids.first()?)?;
    let mut api = None;
    for id in ids {
        let s = registry::service(id)?;
        let same = s.endpoint_prefix == first.endpoint_prefix
            && s.protocol == first.protocol
            && !s.xml_namespace.is_empty()
            && s.xml_namespace == first.xml_namespace
            && version(s) == version(first);
        if !same {
            return None;
        }
        if s.id == s.endpoint_prefix {
            api = Some(s.id);
        }
    }
    api
}

#[cfg(test)]
mod tests {
    use super::*;

    fn named_in(text: &str) -> Option<&'static str> {
        clues(text.as_bytes()).named.map(|s| s.id)
    }

    #[test]
    fn every_frame_shape_names_its_service() {
        for (text, id) in [
            (
                "(Service: Amazon S3; Status Code: 403; Error Code: AccessDenied;",
                "s3",
            ),
            ("(Service: AmazonEC2; Status Code: 400;", "ec2"),
            (
                "(Service: AWSSecurityTokenService; Status Code: 403;",
                "sts",
            ),
            ("(Service: AmazonDynamoDBv2; Status Code: 400;", "dynamodb"),
            (
                "(Service: AmazonIdentityManagement; Status Code: 404;",
                "iam",
            ),
            ("(Service: S3, Status Code: 404, Request ID: x)", "s3"),
            ("(Service: Ec2, Status Code: 400, Request ID: x)", "ec2"),
            (
                "(Service: DynamoDb, Status Code: 400, Request ID: x)",
                "dynamodb",
            ),
            ("operation error S3: PutObject, https response error", "s3"),
            (
                "operation error Auto Scaling: CreateAutoScalingGroup, https",
                "autoscaling",
            ),
            (
                "operation error CloudWatch Logs: PutLogEvents, https",
                "logs",
            ),
            (
                "at de_NoSuchKeyRes (/app/node_modules/@aws-sdk/client-s3/dist-cjs/index.js:10:5)",
                "s3",
            ),
            (
                "software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException: x",
                "dynamodb",
            ),
            (
                "Aws::S3::Errors::NoSuchKey: The specified key does not exist.",
                "s3",
            ),
            (
                "github.com/aws/aws-sdk-go-v2/service/sts@v1.2.3/deserializers.go",
                "sts",
            ),
            (
                "{\"eventSource\": \"s3.amazonaws.com\", \"eventName\": \"PutObject\"}",
                "s3",
            ),
            (
                "<ErrorResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\">",
                "iam",
            ),
            (
                "Error: creating S3 Bucket (my-bucket): operation error",
                "s3",
            ),
            (
                "Error: reading EC2 Instance (i-1): couldn't find resource",
                "ec2",
            ),
            ("Error: creating IAM Role (x): EntityAlreadyExists", "iam"),
            (
                "Error: creating CloudWatch Logs Log Group (x): ResourceAlreadyExistsException",
                "logs",
            ),
            (
                "Error: creating Lambda Function (f): InvalidParameterValueException",
                "lambda",
            ),
            ("│   with aws_dynamodb_table.t,", "dynamodb"),
            ("│   with aws_instance.web[0],", "ec2"),
            ("│   with aws_cloudwatch_log_group.lg,", "logs"),
        ] {
            assert_eq!(named_in(text), Some(id), "{text}");
        }
    }

    #[test]
    fn operations_codes_and_hints_decide_the_rest() {
        let none = Clues::default();
        assert_eq!(
            decide(&none, Some("PutObject"), &["s3"], 1, false),
            Verdict::Service("s3".into())
        );
        assert_eq!(
            decide(&none, Some("AssumeRole"), &["sts", "s3", "iam"], 3, false),
            Verdict::Service("sts".into())
        );
        assert_eq!(
            decide(&none, None, &["dynamodb"], 1, false),
            Verdict::Service("dynamodb".into())
        );
        assert_eq!(decide(&none, None, &[], 0, false), Verdict::Unknown);
        let hinted = clues(b"is not authorized to perform: dynamodb:PutItem on resource: arn:aws:dynamodb:us-east-1:1:table/t");
        assert_eq!(
            decide(&hinted, None, &["dynamodb", "kinesis"], 2, true),
            Verdict::Service("dynamodb".into())
        );
        assert!(matches!(
            decide(&none, None, &["s3", "sts", "iam"], 3, false),
            Verdict::Ambiguous { services, total: 3 } if services.len() == 3
        ));
    }

    /// DocumentDB's and Neptune's models are parts of the RDS API: a code they share with RDS,
    /// with or without an operation all three have, is RDS's unless the text names one of them.
    #[test]
    fn models_of_one_api_are_that_api() {
        let none = Clues::default();
        let has = ["docdb", "neptune", "rds"];
        assert_eq!(
            decide(&none, Some("CreateDBInstance"), &has, 3, false),
            Verdict::Service("rds".into())
        );
        assert_eq!(
            decide(&none, None, &has, 3, false),
            Verdict::Service("rds".into())
        );
        let hinted = clues(b"aws neptune create-db-instance --db-instance-identifier x");
        assert_eq!(
            decide(&hinted, Some("CreateDBInstance"), &has, 3, false),
            Verdict::Service("neptune".into())
        );
        // Versions of one service on one endpoint are different APIs.
        assert!(matches!(
            decide(&none, None, &["elb", "elbv2"], 2, false),
            Verdict::Ambiguous { .. }
        ));
        assert!(matches!(
            decide(&none, None, &["apigateway", "apigatewayv2"], 2, false),
            Verdict::Ambiguous { .. }
        ));
    }

    #[test]
    fn elb_resources_name_their_api() {
        for (resource, api) in [
            ("targetgroup/web/73e2d6bc24d8a067", "elbv2"),
            ("loadbalancer/app/web/50dc6c495c0c9188", "elbv2"),
            ("loadbalancer/net/edge/50dc6c495c0c9188", "elbv2"),
            (
                "listener/app/web/50dc6c495c0c9188/f2f7dc8efc522ab2",
                "elbv2",
            ),
            ("loadbalancer/legacy-web", "elb"),
        ] {
            let arn = format!("arn:aws:elasticloadbalancing:us-east-1:111122223333:{resource}");
            assert_eq!(elb_of_arn(arn.as_bytes()), api, "{arn}");
        }
    }

    /// A code many services share, the text naming none: every one is a candidate, the first
    /// [`CANDIDATES`] (in the order given: written entries first) named, all counted once.
    #[test]
    fn a_code_many_services_share_is_undecided_not_unknown() {
        let none = Clues::default();
        let ids: Vec<String> = (0..40).map(|i| format!("svc{i:02}")).collect();
        let mut has: Vec<&str> = vec!["secretsmanager", "eks"];
        has.extend(ids.iter().map(String::as_str));
        // A second spelling of the code in one service is not another service.
        has.push("svc07");
        for common in [false, true] {
            let Verdict::Ambiguous { services, total } =
                decide(&none, None, &has, distinct(&has), common)
            else {
                panic!("undecided, common={common}");
            };
            assert_eq!(total, 42);
            assert_eq!(services.len(), CANDIDATES);
            assert_eq!(&services[..3], ["secretsmanager", "eks", "svc00"]);
        }
        // Two spellings in one service are that service.
        assert_eq!(
            decide(&none, None, &["iotsitewise", "iotsitewise"], 1, false),
            Verdict::Service("iotsitewise".into())
        );
        // What the text says still decides, however many services have the code.
        let hinted = clues(b"on resource: arn:aws:secretsmanager:us-east-1:1:secret:x");
        assert_eq!(
            decide(&hinted, None, &has, distinct(&has), false),
            Verdict::Service("secretsmanager".into())
        );
        assert_eq!(
            decide(&none, Some("CreateSecret"), &has, distinct(&has), false),
            Verdict::Service("secretsmanager".into())
        );
    }
}
