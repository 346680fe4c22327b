//! The table of producer frames: the fixed text an SDK, a CLI or a tool puts around an error
//! code, and how to read the code (and the message) out of it.
//!
//! To add a producer, add one row to [`FRAMES`]: its markers (found by the scanner's automaton),
//! how the code is read ([`Read`]), whether the frame is AWS-specific enough to report codes the
//! catalog does not know ([`Frame::strong`]), and a sample in the producer's shape with the code
//! it must yield. The test at the bottom scans every sample; nothing else needs to change.

use std::borrow::Cow;

use super::clean::{
    ansi_at, ansi_suffix_len, blank, find, is_word, line_end, line_start, rfind, skip_noise, token,
};

/// Where a frame's message is, once its code is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Msg {
    /// No message in the frame itself (the scanner looks for `Code: message`).
    None,
    /// The CLI/boto3 frame: after `operation: `, `(reached max retries: N): ` or `occurred: `.
    Paren,
    /// Go v2: after `api error Code:`.
    Colon,
    /// XML: the `<Message>` element after the code.
    Xml,
}

/// How a frame's code is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Read {
    /// The token right after the marker (quotes, spaces and colour skipped).
    After(Msg),
    /// A JSON `__type` value, `namespace#Code` or `Code`; a `com.amazonaws.<svc>` namespace
    /// names the service.
    Type,
    /// A Clojure aws-api map's `:__type`/`:Code` value (read as [`Read::Type`]) and the map's
    /// `:Message`/`:message`.
    Clojure,
    /// botocore's `errorfactory.XException` class name.
    Botocore,
    /// Ruby's `Errors::Name` (v2, dots dropped) or `Errors::Name::Sub` (v1, dots as `::`).
    Ruby,
    /// Go v1: `Code: message` on the line (or escaped segment) before `status code: 400, request
    /// id: ...`, also when a terminal wrapped the code inside a box.
    GoV1Status,
    /// JS v3 error objects: `name: 'X'` near the SDK's `$metadata`.
    JsName,
    /// CloudFormation's `HandlerErrorCode: X`: the handler's classification.
    Handler,
    /// A JS stack line of the SDK (`at Request.extractError`, `at throwDefaultError`): the code
    /// is the `Code: message` (or `{ Code: message`) line that starts the printed error.
    JsStack,
    /// Java v2 `... (Service: S3, Status Code: 404, Request ID: ...)`: the exception class
    /// before the message when it names the code; when it does not (`Ec2Exception`), nothing,
    /// and the scanner infers the code from the message.
    JavaV2,
    /// Go v2 without `api error`: the `Code: message` (or the bare `...Exception`) after
    /// `https response error StatusCode: N, RequestID: ...`.
    GoV2Bare,
    /// The Terraform AWS provider's `Error: creating X (id): Code: message` (a Go SDK error
    /// without its status line): the first compound `Code: ` after the verb.
    TerraformCode,
    /// An IAM authorization failure (`User: arn is not authorized to perform: svc:Action`): the
    /// code printed before `User:` when there is one, else nothing and the scanner infers it
    /// from the message, in the service the action names.
    NotAuthorized,
    /// A CloudFormation handler message cut before its `HandlerErrorCode`: nothing, and the
    /// scanner infers the code from the message.
    HandlerMessage,
    /// A field of a `;`-separated error (`message; Exception: Code; ShouldRetry: 1`): the token
    /// after the marker when a `;` ends it; the message is what precedes the marker after the
    /// line's level (`ERROR:  `).
    SemicolonField,
    /// An IAM authorization failure cut after its first word (`AccessDenied: User`, the start of
    /// `AccessDenied: User: arn... is not authorized`): the code the marker starts with.
    CutAuthorization,
    /// The AWS SDK for .NET: an exception's type name `Amazon.<Namespace>.Model.<Class>` before
    /// `Exception: message` (how .NET prints an exception): the class is the code, the
    /// namespace names the service.
    DotNet,
}

/// One producer's frame.
#[derive(Debug, Clone, Copy)]
#[allow(
    dead_code,
    reason = "producer, sample and yields document the row; the table's test reads them"
)]
pub(super) struct Frame {
    /// Who writes it.
    pub producer: &'static str,
    /// The fixed texts that announce it.
    pub markers: &'static [&'static str],
    /// How the code is read.
    pub read: Read,
    /// Whether the frame is AWS-specific enough to report codes the catalog does not know.
    pub strong: bool,
    /// Whether the frame restates the code of an error shown just above (a `code` field of a
    /// printed error object), so it is one sighting with it.
    pub restates: bool,
    /// A text in the producer's shape.
    pub sample: &'static str,
    /// The code the sample yields.
    pub yields: &'static str,
}

/// Every producer frame errex reads.
pub(super) const FRAMES: &[Frame] = &[
    Frame {
        producer: "AWS CLI, boto3, botocore",
        markers: &["error occurred (", "client error (", "server error ("],
        read: Read::After(Msg::Paren),
        strong: true,
        restates: false,
        sample: "aws: [ERROR]: An error occurred (AccessDenied) when calling the PutObject operation (reached max retries: 4): Access Denied",
        yields: "AccessDenied",
    },
    Frame {
        producer: "Java SDK v1 (and .NET's ErrorCode)",
        markers: &["Error Code: "],
        read: Read::After(Msg::None),
        strong: true,
        restates: false,
        sample: "com.amazonaws.services.s3.model.AmazonS3Exception: Access Denied (Service: Amazon S3; Status Code: 403; Error Code: AccessDenied; Request ID: 4442587FB7D0A2F9)",
        yields: "AccessDenied",
    },
    Frame {
        producer: "Java SDK v2 (no code printed)",
        markers: &["(Service: "],
        read: Read::JavaV2,
        strong: true,
        restates: false,
        sample: "software.amazon.awssdk.services.s3.model.NoSuchKeyException: The specified key does not exist. (Service: S3, Status Code: 404, Request ID: 1A2B3C4D5E6F7A8B)",
        yields: "NoSuchKey",
    },
    Frame {
        producer: "Go SDK v2",
        markers: &["api error "],
        read: Read::After(Msg::Colon),
        strong: true,
        restates: false,
        sample: "operation error STS: AssumeRole, https response error StatusCode: 403, RequestID: 0a1b2c3d-1111-2222-3333-444455556666, api error AccessDenied: User is not authorized to perform: sts:AssumeRole",
        yields: "AccessDenied",
    },
    Frame {
        producer: "Go SDK v1",
        markers: &["status code: "],
        read: Read::GoV1Status,
        strong: true,
        restates: false,
        sample: "NoSuchBucket: The specified bucket does not exist\n\tstatus code: 404, request id: 4442587FB7D0A2F9, host id: abc",
        yields: "NoSuchBucket",
    },
    Frame {
        producer: "XML error body (query and REST-XML services)",
        markers: &["<Code>", "\\u003cCode\\u003e", "&lt;Code&gt;"],
        read: Read::After(Msg::Xml),
        strong: true,
        restates: false,
        sample: "<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message></Error>",
        yields: "NoSuchKey",
    },
    Frame {
        producer: "JSON protocol body (`__type`)",
        markers: &["\"__type\":", "\\\"__type\\\":"],
        read: Read::Type,
        strong: true,
        restates: false,
        sample: "{\"__type\":\"com.amazonaws.dynamodb.v20120810#ResourceNotFoundException\",\"message\":\"Requested resource not found\"}",
        yields: "ResourceNotFoundException",
    },
    Frame {
        producer: "CloudTrail record",
        markers: &["\"errorCode\":", "\\\"errorCode\\\":"],
        read: Read::After(Msg::None),
        strong: true,
        restates: false,
        sample: "{\"eventSource\": \"s3.amazonaws.com\", \"eventName\": \"PutObject\", \"errorCode\": \"AccessDenied\"}",
        yields: "AccessDenied",
    },
    Frame {
        producer: "Karpenter and other logfmt loggers",
        markers: &["aws-error-code="],
        read: Read::After(Msg::None),
        strong: true,
        restates: false,
        sample: "launching nodeclaim, creating instance aws-error-code=InsufficientInstanceCapacity aws-operation-name=CreateFleet",
        yields: "InsufficientInstanceCapacity",
    },
    Frame {
        producer: "Ruby SDK v1 and v2",
        markers: &["Errors::"],
        read: Read::Ruby,
        strong: true,
        restates: false,
        sample: "AWS::EC2::Errors::InvalidInstanceID::NotFound: The instance ID 'i-1a2b3c4d' does not exist",
        yields: "InvalidInstanceID.NotFound",
    },
    Frame {
        producer: "botocore exception class",
        markers: &["errorfactory."],
        read: Read::Botocore,
        strong: true,
        restates: false,
        sample: "botocore.errorfactory.NoSuchEntityException: An error occurred (NoSuchEntity) when calling the GetRole operation: The role with name x cannot be found.",
        yields: "NoSuchEntity",
    },
    Frame {
        producer: "Rust SDK",
        markers: &["code: Some(\""],
        read: Read::After(Msg::None),
        strong: true,
        restates: false,
        sample: "ServiceError(ServiceError { source: Unhandled(Unhandled { meta: ErrorMetadata { code: Some(\"ExpiredToken\"), message: Some(\"The security token included in the request is expired\") } }) })",
        yields: "ExpiredToken",
    },
    Frame {
        producer: "CloudFormation resource handler",
        markers: &[
            "HandlerErrorCode: ",
            "\"HandlerErrorCode\":",
            "HandlerErrorCode\": ",
        ],
        read: Read::Handler,
        strong: true,
        restates: false,
        sample: "Resource handler returned message: \"Subnet subnet-1 not found\" (RequestToken: abc, HandlerErrorCode: NotFound)",
        yields: "NotFound",
    },
    Frame {
        producer: "JavaScript SDK (v2 and v3) stack traces",
        markers: &["at Request.extractError", "at throwDefaultError", "at de_"],
        read: Read::JsStack,
        strong: true,
        restates: false,
        sample: "{ ThrottlingException: Rate exceeded\n    at Request.extractError (/app/node_modules/aws-sdk/lib/protocol/json.js:52:27)",
        yields: "ThrottlingException",
    },
    Frame {
        producer: "Clojure aws-api (Cognitect) maps",
        markers: &[":__type \"", ":Code \"", ":code \""],
        read: Read::Clojure,
        strong: false,
        restates: false,
        sample: "{:__type \"ConditionalCheckFailedException\", :message \"The conditional request failed\", :cognitect.anomalies/category :cognitect.anomalies/incorrect}",
        yields: "ConditionalCheckFailedException",
    },
    Frame {
        producer: "Clojure aws-api anomaly's code (restates the map's `:Code` or `:__type`)",
        markers: &[":cognitect.aws.error/code \""],
        read: Read::After(Msg::None),
        strong: true,
        restates: true,
        sample: "{:cognitect.anomalies/category :cognitect.anomalies/not-found, :cognitect.aws.error/code \"NoSuchKey\"}",
        yields: "NoSuchKey",
    },
    Frame {
        producer: "JSON error fields (`ErrorCode`, EC2 Fleet and Auto Scaling errors)",
        markers: &["\"ErrorCode\":", "\\\"ErrorCode\\\":", "'ErrorCode':"],
        read: Read::After(Msg::None),
        strong: false,
        restates: false,
        sample: "{\"LaunchTemplateAndOverrides\": {}, \"Lifecycle\": \"on-demand\", \"ErrorCode\": \"UnfulfillableCapacity\", \"ErrorMessage\": \"Unable to fulfill capacity\"}",
        yields: "UnfulfillableCapacity",
    },
    Frame {
        producer: "AWS response dicts and objects (`'Error': {'Code': ...}`, `Code: '...'`)",
        markers: &[
            "\"Code\":",
            "\\\"Code\\\":",
            "'Code':",
            "Code: '",
            "Code: \"",
        ],
        read: Read::After(Msg::None),
        strong: false,
        restates: true,
        sample: "{'Error': {'Code': 'InvalidParameterValue', 'Message': 'Value (x) for parameter y is invalid'}}",
        yields: "InvalidParameterValue",
    },
    Frame {
        producer: "Generic `code` fields (printed error objects); ordinary words need a stronger frame",
        markers: &[
            "\"code\":",
            "\\\"code\\\":",
            "'code':",
            "code: '",
            "code: \"",
        ],
        read: Read::After(Msg::None),
        strong: false,
        restates: true,
        sample: "  message: 'Request limit exceeded.',\n  code: 'RequestLimitExceeded',",
        yields: "RequestLimitExceeded",
    },
    Frame {
        producer: "JavaScript SDK v3 error objects",
        markers: &["$metadata"],
        read: Read::JsName,
        strong: false,
        restates: true,
        sample: "NoSuchKey: The specified key does not exist.\n  '$fault': 'client',\n  '$metadata': { httpStatusCode: 404 },\n  name: 'NoSuchKey',",
        yields: "NoSuchKey",
    },
    Frame {
        producer: "AWS CLI in Markdown (`An error occurred \\(X\\)`, escaped parentheses)",
        markers: &["error occurred \\(", "client error \\("],
        read: Read::After(Msg::Paren),
        strong: true,
        restates: false,
        sample: "An error occurred \\(AccessDenied\\) when calling the PutObject operation: Access Denied\\.",
        yields: "AccessDenied",
    },
    Frame {
        producer: "Go SDK v2 without `api error` (the code after the request id)",
        markers: &["https response error StatusCode: "],
        read: Read::GoV2Bare,
        strong: true,
        restates: false,
        sample: "operation error CloudWatch Logs: CreateLogGroup, https response error StatusCode: 400, RequestID: 5c34c47a-0000-4000-8000-925824f24d38, ResourceAlreadyExistsException: The specified log group already exists",
        yields: "ResourceAlreadyExistsException",
    },
    Frame {
        producer: "Terraform AWS provider (`Error: creating X (id): Code: message`)",
        markers: &["Error: "],
        read: Read::TerraformCode,
        strong: false,
        restates: false,
        sample: "│ Error: creating KMS Alias (alias/app): AlreadyExistsException: An alias with the name arn:aws:kms:us-east-1:111122223333:alias/app already exists",
        yields: "AlreadyExistsException",
    },
    Frame {
        producer: "IAM authorization failure (`User: arn is not authorized to perform: svc:Action`)",
        markers: &[
            "is not authorized to perform",
            "are not authorized to perform",
        ],
        read: Read::NotAuthorized,
        strong: true,
        restates: false,
        sample: "User: arn:aws:sts::111122223333:assumed-role/build/ci is not authorized to perform: comprehend:DetectDominantLanguage because no identity-based policy allows the comprehend:DetectDominantLanguage action",
        yields: "AccessDeniedException",
    },
    Frame {
        producer: "CloudFormation handler message without its HandlerErrorCode",
        markers: &["Resource handler returned message: "],
        read: Read::HandlerMessage,
        strong: true,
        restates: false,
        sample: "Resource handler returned message: \"The network acl entry identified by 18 already exists.",
        yields: "NetworkAclEntryAlreadyExists",
    },
    Frame {
        producer: "Redshift Lambda user-defined function errors (`; Exception: X; ShouldRetry: N`)",
        markers: &["; Exception: "],
        read: Read::SemicolonField,
        strong: false,
        restates: false,
        sample: "ERROR:  Throttled by the function.; Exception: TooManyRequestsException; ShouldRetry: 1",
        yields: "TooManyRequestsException",
    },
    Frame {
        producer: "AWS SDK for .NET (`Amazon.DynamoDBv2.Model.ResourceNotFoundException: ...`)",
        markers: &["Exception: "],
        read: Read::DotNet,
        strong: true,
        restates: false,
        sample: "Unhandled exception. Amazon.DynamoDBv2.Model.ResourceNotFoundException: Requested resource not found",
        yields: "ResourceNotFoundException",
    },
    Frame {
        producer: "IAM authorization failure cut after `User` (a quoted or truncated log line)",
        markers: &["AccessDenied: User", "AccessDeniedException: User"],
        read: Read::CutAuthorization,
        strong: false,
        restates: false,
        sample: "syncing the records failed: AccessDenied: User",
        yields: "AccessDenied",
    },
];

/// A code read out of a frame: its position, the token and, when the frame carries one, the
/// message.
pub(super) struct Read1<'b> {
    pub pos: usize,
    /// The code as the text spells it; empty when the frame printed none (infer it).
    pub token: std::borrow::Cow<'b, [u8]>,
    /// The message, as the text has it (cleaned only if the sighting is kept).
    pub message: Option<Cow<'b, [u8]>>,
    /// The service the frame itself names, which wins over every other clue.
    pub service: Option<&'static str>,
}

fn one<'b>(pos: usize, token: &'b [u8], message: Option<&'b [u8]>) -> Vec<Read1<'b>> {
    vec![Read1 {
        pos,
        token: Cow::Borrowed(token),
        message: message.map(Cow::Borrowed),
        service: None,
    }]
}

/// Reads the frame whose marker is at `buf[mstart..mend]`.
pub(super) fn read<'b>(buf: &'b [u8], mstart: usize, mend: usize, frame: &Frame) -> Vec<Read1<'b>> {
    match frame.read {
        Read::After(msg) => {
            let at = skip_noise(buf, mend);
            let t = token(buf, at);
            if t.is_empty() {
                return Vec::new();
            }
            let after = at + t.len();
            let message = match msg {
                Msg::Paren => paren_message(buf, after),
                Msg::Colon => {
                    let end = line_end(buf, after);
                    buf[after..end].strip_prefix(b":")
                }
                Msg::Xml => xml_value(buf, after, b"Message"),
                Msg::None => None,
            };
            one(at, t, message)
        }
        Read::Type => json_type(buf, mend),
        Read::Clojure => {
            let mut found = json_type(buf, mend);
            for r in &mut found {
                r.message = edn_message(buf, r.pos + r.token.len()).map(Cow::Borrowed);
            }
            found
        }
        Read::Botocore => {
            let t = token(buf, mend);
            if t.len() > "Exception".len() && t.ends_with(b"Exception") {
                one(mend, t, None)
            } else {
                Vec::new()
            }
        }
        Read::Ruby => {
            // `Errors::InvalidInstanceID::NotFound` (v1) reads as `InvalidInstanceID.NotFound`.
            if !aws_ruby_namespace(&buf[..mstart]) {
                return Vec::new();
            }
            let mut parts: Vec<&[u8]> = Vec::new();
            let mut at = mend;
            loop {
                let t = token(buf, at);
                if t.is_empty() || t.contains(&b'.') {
                    break;
                }
                parts.push(t);
                at += t.len();
                if buf[at..].starts_with(b"::")
                    && buf.get(at + 2).is_some_and(u8::is_ascii_uppercase)
                {
                    at += 2;
                } else {
                    break;
                }
            }
            if parts.is_empty() {
                return Vec::new();
            }
            vec![Read1 {
                pos: mend,
                token: Cow::Owned(parts.join(&b"."[..])),
                message: ruby_message(buf, mstart, at).map(Cow::Borrowed),
                service: None,
            }]
        }
        Read::GoV1Status => {
            let after = &buf[mend..line_end(buf, mend).min(mend + 64)];
            if !after.first().is_some_and(u8::is_ascii_digit)
                || find(after, b"request id").is_none()
            {
                return Vec::new();
            }
            go_v1(buf, mstart)
        }
        Read::JsName => {
            // The object's `name` field, within the printed object around `$metadata`.
            let lo = mstart.saturating_sub(1024);
            let hi = (mend + 1024).min(buf.len());
            let window = &buf[lo..hi];
            let Some((i, len)) = [&b"name: '"[..], b"\"name\": \"", b"\"name\":\""]
                .iter()
                .filter_map(|m| find(window, m).map(|i| (i, m.len())))
                .min()
            else {
                return Vec::new();
            };
            let at = lo + i + len;
            let t = token(buf, at);
            if t.is_empty() {
                Vec::new()
            } else {
                one(at, t, None)
            }
        }
        Read::Handler => {
            if quoted_in_message(buf, mstart) {
                return Vec::new();
            }
            let at = skip_noise(buf, mend);
            let t = token(buf, at);
            if t.is_empty() {
                return Vec::new();
            }
            vec![Read1 {
                pos: at,
                token: Cow::Borrowed(t),
                message: handler_message(buf, mstart).map(Cow::Borrowed),
                service: Some("cloudformation-handler"),
            }]
        }
        Read::JsStack => js_stack(buf, mstart),
        Read::JavaV2 => java_v2(buf, mstart, mend),
        Read::GoV2Bare => go_v2_bare(buf, mend),
        Read::TerraformCode => terraform_code(buf, mend),
        Read::NotAuthorized => not_authorized(buf, mstart, mend),
        Read::HandlerMessage => handler_without_code(buf, mend),
        Read::SemicolonField => semicolon_field(buf, mstart, mend),
        Read::DotNet => dotnet(buf, mstart, mend),
        Read::CutAuthorization => {
            // The code starts the marker and is a word of its own; `User` is one too.
            let own = mstart == 0 || !(is_word(buf[mstart - 1]) || buf[mstart - 1] == b'.');
            if !own || buf.get(mend).is_some_and(|&b| is_word(b)) {
                return Vec::new();
            }
            let t = token(buf, mstart);
            let user = mend - "User".len();
            // Without the quoting around a cut message (`` `...: User`. ``).
            let rest = &buf[user..line_end(buf, mend)];
            let end = rest
                .iter()
                .rposition(|b| !matches!(b, b'`' | b'.' | b'\'' | b'"') && !b.is_ascii_whitespace())
                .map_or(0, |p| p + 1);
            one(mstart, t, Some(&rest[..end]))
        }
    }
}

/// A JSON protocol type name after `mend`: `namespace#Code` or `Code`. A namespace
/// `com.amazonaws.<svc>` (`com.amazonaws.dynamodb.v20120810`) names the service.
fn json_type(buf: &[u8], mend: usize) -> Vec<Read1<'_>> {
    let at = skip_noise(buf, mend);
    let end = (at + 200).min(buf.len());
    let value = &buf[at..end];
    let stop = value
        .iter()
        .position(|b| matches!(b, b'"' | b'\\' | b',' | b'}' | b' '))
        .unwrap_or(value.len());
    let value = &value[..stop];
    let (namespace, at, value) = match value.iter().rposition(|&b| b == b'#') {
        Some(h) => (&value[..h], at + h + 1, &value[h + 1..]),
        None => (&value[..0], at, value),
    };
    let t = token(value, 0);
    if t.is_empty() {
        return Vec::new();
    }
    vec![Read1 {
        pos: at,
        token: Cow::Borrowed(t),
        message: None,
        service: namespace_service(namespace),
    }]
}

/// The service a JSON protocol namespace names: `com.amazonaws.dynamodb.v20120810` is DynamoDB.
/// Other namespaces (`com.amazon.coral.validate`) name none.
fn namespace_service(namespace: &[u8]) -> Option<&'static str> {
    let rest = namespace.strip_prefix(b"com.amazonaws.")?;
    let name = &rest[..rest.iter().position(|&b| b == b'.').unwrap_or(rest.len())];
    super::service::by_name_bytes(name).map(|s| s.id)
}

/// The `:Message "..."` (or `:message`) of an aws-api map, after its code at `from` and before
/// the next map's code, without its closing quote.
fn edn_message(buf: &[u8], from: usize) -> Option<&[u8]> {
    let hi = (from + 1024).min(buf.len());
    let mut win = &buf[from.min(hi)..hi];
    if let Some(next) = [&b":Code \""[..], b":__type \""]
        .iter()
        .filter_map(|m| find(win, m))
        .min()
    {
        win = &win[..next];
    }
    let (i, len) = [&b":Message \""[..], b":message \""]
        .iter()
        .filter_map(|m| find(win, m).map(|i| (i, m.len())))
        .min()?;
    let value = &win[i + len..];
    let mut from = 0;
    while let Some(q) = memchr::memchr(b'"', &value[from..]) {
        let q = from + q;
        if q > 0 && value[q - 1] == b'\\' {
            from = q + 1;
            continue;
        }
        return Some(&value[..q]);
    }
    None
}

/// Whether the `Errors::` ending `head` is an AWS SDK's (`AWS::EC2::Errors::`,
/// `Aws::S3::Errors::`), not another library's (`Excon::Errors::`,
/// `Elasticsearch::Transport::Transport::Errors::`).
fn aws_ruby_namespace(head: &[u8]) -> bool {
    let head = &head[head.len().saturating_sub(80)..];
    let Some(head) = head.strip_suffix(b"::") else {
        return false;
    };
    let svc = head
        .iter()
        .rev()
        .take_while(|b| b.is_ascii_alphanumeric())
        .count();
    let head = &head[..head.len() - svc];
    let Some(before) = head
        .strip_suffix(b"Aws::")
        .or_else(|| head.strip_suffix(b"AWS::"))
    else {
        return false;
    };
    svc > 0 && !before.last().is_some_and(|&b| is_word(b))
}

/// A Ruby error's message after its class ending at `end`: `Class: message`, or in the v1 SDK's
/// log line (`[AWS EC2 400 0.2 0 retries] op(...) Class message`) what follows the class.
fn ruby_message(buf: &[u8], mstart: usize, end: usize) -> Option<&[u8]> {
    let le = line_end(buf, end);
    let rest = &buf[end..le];
    if let Some(m) = rest.strip_prefix(b": ") {
        return Some(m);
    }
    let logged = find(&buf[line_start(buf, mstart)..mstart], b" retries] ").is_some();
    rest.strip_prefix(b" ").filter(|m| logged && !m.is_empty())
}

/// The CLI's message: after `operation: `, `operation (reached max retries: 4): ` or
/// `occurred: `.
fn paren_message(buf: &[u8], after: usize) -> Option<&[u8]> {
    let rest = &buf[after..line_end(buf, after)];
    if let Some(i) = find(rest, b"operation") {
        let tail = &rest[i + b"operation".len()..];
        let tail = match tail.strip_prefix(b" (reached max retries: ") {
            Some(t) => &t[t.iter().position(|&b| b == b')').map_or(t.len(), |p| p + 1)..],
            None => tail,
        };
        if let Some(m) = tail.strip_prefix(b": ") {
            return Some(m);
        }
    }
    find(rest, b"occurred: ").map(|i| &rest[i + 10..])
}

/// `<Name>value</Name>` after `from` (also HTML- or JSON-escaped), before the next `<Code>`.
pub(super) fn xml_value<'b>(buf: &'b [u8], from: usize, name: &[u8]) -> Option<&'b [u8]> {
    let hi = (from + 2048).min(buf.len());
    let win = &buf[from..hi];
    let tags = [
        [&b"<"[..], name, b">"].concat(),
        [&b"\\u003c"[..], name, b"\\u003e"].concat(),
        [&b"&lt;"[..], name, b"&gt;"].concat(),
    ];
    let (i, t) = nearest(win, &tags)?;
    let value = &win[i + tags[t].len()..];
    let (end, _) = nearest(value, &[&b"</"[..], b"\\u003c/", b"&lt;/"])?;
    // The element belongs to this error only if the next error's code does not come first.
    let before_end = &win[..i + tags[t].len() + end];
    if nearest(
        before_end,
        &[&b"<Code>"[..], b"\\u003cCode\\u003e", b"&lt;Code&gt;"],
    )
    .is_some()
    {
        return None;
    }
    Some(&value[..end])
}

/// The first place in `hay` where one of `needles` starts, and which one. Each needle after the
/// first is looked for only before the best place so far, so the spellings that are absent
/// cost no more than the distance to the one that is there.
fn nearest(hay: &[u8], needles: &[impl AsRef<[u8]>]) -> Option<(usize, usize)> {
    let mut best: Option<(usize, usize)> = None;
    for (k, n) in needles.iter().enumerate() {
        let n = n.as_ref();
        let limit = best.map_or(hay.len(), |(at, _)| (at + n.len()).min(hay.len()));
        if let Some(at) = find(&hay[..limit], n)
            && best.is_none_or(|(b, _)| at < b)
        {
            best = Some((at, k));
        }
    }
    best
}

/// Go v1: the `Code: message` that precedes `status code:`, on the previous line (also when
/// the message wrapped onto the status line) or before an escaped `\n` on the same line. Inside a box a terminal may have wrapped the code itself
/// (`InsufficientInstanceCap` / `│ acity: ...`): the box's lines are joined first.
fn go_v1(buf: &[u8], mstart: usize) -> Vec<Read1<'_>> {
    let ls = line_start(buf, mstart);
    let before = &buf[ls..mstart];
    if let Some(i) = rfind(before, b"\\n") {
        let seg_end = ls + i;
        let seg_start = rfind(&buf[ls..seg_end], b"\\n").map_or(ls, |j| ls + j + 2);
        return codes_in_segment(buf, seg_start, seg_end);
    }
    if ls == 0 {
        return Vec::new();
    }
    let prev_end = ls - 1;
    let prev_start = line_start(buf, prev_end);
    let bordered = before.contains(&0xe2) || before.contains(&b'|');
    if !String::from_utf8_lossy(before)
        .chars()
        .all(|c| c.is_whitespace() || c == '│' || c == '|')
    {
        // Text before the status on its line is the message's end when a terminal or a page
        // wrapped it (`... of package \narn:aws:ssm:::package/x status code: 400`): the code
        // starts the message on the line above. Text holding `Key: value` is something else.
        if find(before, b": ").is_some() || blank(&buf[prev_start..prev_end]) {
            return Vec::new();
        }
        return codes_in_segment(buf, prev_start, prev_end);
    }
    let found = codes_in_segment(buf, prev_start, prev_end);
    if !bordered {
        return found;
    }
    // Join up to four bordered lines above, border and indent removed, without the line
    // breaks the terminal added.
    let mut starts = vec![prev_start];
    while starts.len() < 4 {
        let s = *starts.last().unwrap_or(&0);
        if s == 0 || blank(&buf[line_start(buf, s - 1)..s - 1]) {
            break;
        }
        starts.push(line_start(buf, s - 1));
    }
    let mut joined: Vec<u8> = Vec::new();
    // Where each line's text starts in `joined` and in `buf`, so a code is placed on the line
    // where it starts (the buffer offset is exact when the line is UTF-8, else its start).
    let mut pieces: Vec<(usize, usize, bool)> = Vec::new();
    for &s in starts.iter().rev() {
        let e = line_end(buf, s);
        let line = String::from_utf8_lossy(&buf[s..e]);
        let border = |c: char| c.is_whitespace() || c == '│' || c == '|';
        let trimmed = line.trim_start_matches(border);
        let exact = matches!(line, Cow::Borrowed(_));
        let lead = if exact { line.len() - trimmed.len() } else { 0 };
        pieces.push((joined.len(), s + lead, exact));
        joined.extend_from_slice(trimmed.trim_end_matches(border).as_bytes());
    }
    let place = |at: usize| {
        pieces
            .iter()
            .rev()
            .find(|(j, ..)| *j <= at)
            .map_or(
                prev_start,
                |&(j, b, exact)| if exact { b + (at - j) } else { b },
            )
    };
    let mut out = found;
    for r in codes_in_segment(&joined, 0, joined.len()) {
        if out.iter().any(|f| f.token == r.token) {
            continue;
        }
        out.push(Read1 {
            pos: place(r.pos),
            token: Cow::Owned(r.token.into_owned()),
            message: r.message.map(|m| Cow::Owned(m.into_owned())),
            service: None,
        });
    }
    out
}

/// Every `Code: message` in `buf[start..end]`, last first (the code is usually the last one
/// before the message).
fn codes_in_segment(buf: &[u8], start: usize, end: usize) -> Vec<Read1<'_>> {
    let seg = &buf[start..end];
    let mut found = Vec::new();
    let mut i = 0;
    while let Some(j) = find(&seg[i..], b": ") {
        let colon = i + j;
        let code_end = colon - ansi_suffix_len(&seg[..colon]);
        let mut tok_start = seg[..code_end]
            .iter()
            .rposition(|&b| !(b.is_ascii_alphanumeric() || b == b'.'))
            .map_or(0, |k| k + 1);
        if let Some(skip) = ansi_tail_in_token(seg, tok_start, code_end) {
            tok_start += skip;
        }
        let t = &seg[tok_start..code_end];
        // `Key: 'value'` is a field of the message, not `Code: message`.
        let quoted = matches!(seg.get(colon + 2), Some(b'\'' | b'"'));
        if !t.is_empty() && !quoted {
            found.push(Read1 {
                pos: start + tok_start,
                token: Cow::Borrowed(t),
                message: Some(Cow::Borrowed(&seg[colon + 2..])),
                service: None,
            });
        }
        i = colon + 2;
    }
    found.reverse();
    found
}

/// When `seg[start..end]` begins with the tail of a colour sequence (`1m` after `ESC[`), its
/// length, so the token can start after it.
fn ansi_tail_in_token(seg: &[u8], start: usize, end: usize) -> Option<usize> {
    if start == 0 || seg[start - 1] != b'[' {
        return None;
    }
    let digits = seg[start..end]
        .iter()
        .take_while(|b| b.is_ascii_digit() || **b == b';')
        .count();
    if seg.get(start + digits) != Some(&b'm') {
        return None;
    }
    let intro = [&b"\x1b"[..], b"\\u001b", b"\\x1b", b"\\033", b"\\e"]
        .into_iter()
        .find(|p| seg[..start - 1].ends_with(p))?;
    ansi_at(seg, start - 1 - intro.len()).map(|_| digits + 1)
}

/// A JS SDK stack line: the printed error starts a few lines up with `Code: message` or
/// `{ Code: message` (Node prints the error's name first).
fn js_stack(buf: &[u8], mstart: usize) -> Vec<Read1<'_>> {
    let mut s = line_start(buf, mstart);
    for _ in 0..8 {
        if s == 0 {
            break;
        }
        s = line_start(buf, s - 1);
        let e = line_end(buf, s);
        let line = &buf[s..e];
        let lead = line
            .iter()
            .take_while(|&&b| matches!(b, b' ' | b'\t' | b'{' | b'['))
            .count();
        let t = token(line, lead);
        if t.is_empty() || !t[0].is_ascii_uppercase() {
            continue;
        }
        let rest = &line[lead + t.len()..];
        if let Some(m) = rest.strip_prefix(b": ") {
            return one(s + lead, &buf[s + lead..s + lead + t.len()], Some(m));
        }
    }
    Vec::new()
}

/// How far back [`object_head`] looks for the line that starts a printed error object.
const HEAD_LINES: usize = 16;
const HEAD_BYTES: usize = 4096;

/// For a field restating `code` at `field` (`code: 'X'` of a printed error object), the line
/// above that starts the object by naming the code, as Node prints errors: `{ [X: message]`
/// (Node 4), `{ X: message` (Node 6-10) or `X: message` then the stack (Node 12+). Returns
/// where the code stands there and its message. The object has no blank line, so the search
/// stops at one; it never looks before `floor` (the previous error), so the fields of many
/// errors on one line cost no more than the bytes between them.
pub(super) fn object_head<'b>(
    buf: &'b [u8],
    field: usize,
    code: &[u8],
    floor: usize,
) -> Option<(usize, &'b [u8])> {
    let floor = floor.max(field.saturating_sub(HEAD_BYTES));
    if floor >= field {
        return None;
    }
    // The field's own line starts after the last line break before it.
    let mut end = memchr::memrchr(b'\n', &buf[floor..field])? + floor;
    for _ in 0..HEAD_LINES {
        let s = memchr::memrchr(b'\n', &buf[floor..end]).map_or(floor, |i| floor + i + 1);
        let line = &buf[s..end];
        if blank(line) {
            return None;
        }
        let lead = line
            .iter()
            .take_while(|&&b| matches!(b, b' ' | b'\t' | b'{' | b'['))
            .count();
        if let Some(m) = line[lead..]
            .strip_prefix(code)
            .and_then(|r| r.strip_prefix(b": "))
        {
            let m = if line[..lead].contains(&b'[') {
                m.strip_suffix(b"]").unwrap_or(m)
            } else {
                m
            };
            return Some((s + lead, m));
        }
        if s <= floor {
            return None;
        }
        end = s - 1;
    }
    None
}

/// Java v2: `...model.NoSuchKeyException: message (Service: S3, Status Code: 404, ...)`. When
/// the parentheses name an `Error Code`, the Java v1 row reads it; otherwise the class names the
/// code unless it is the service's generic exception (`S3Exception`, `Ec2Exception`), in which
/// case nothing is read here and the scanner infers the code from the message.
fn java_v2(buf: &[u8], mstart: usize, mend: usize) -> Vec<Read1<'_>> {
    let close = buf[mend..line_end(buf, mend)]
        .iter()
        .position(|&b| b == b')')
        .map_or(line_end(buf, mend), |p| mend + p);
    let inside = &buf[mend..close];
    if find(inside, b"Error Code").is_some() || find(inside, b"Status Code").is_none() {
        return Vec::new();
    }
    let ls = line_start(buf, mstart);
    let head = &buf[ls..mstart];
    // The class is the last `a.b.c.NameException: ` before the message.
    let Some(colon) = find(head, b"Exception: ") else {
        return step_functions_cause(buf, ls, mstart, mend, close);
    };
    let end = colon + "Exception".len();
    let start = head[..end]
        .iter()
        .rposition(|&b| !(is_word(b) || b == b'$'))
        .map_or(0, |p| p + 1);
    let class = &head[start..end];
    let message = &head[end + 2..];
    let service = java_v2_service(&buf[mend..close]);
    if class.is_empty() || generic_exception(class) {
        // No code printed: the scanner infers it from the message, within the named service.
        return vec![Read1 {
            pos: ls + start,
            token: Cow::Borrowed(&[]),
            message: Some(Cow::Borrowed(message)),
            service,
        }];
    }
    vec![Read1 {
        pos: ls + start,
        token: Cow::Borrowed(&buf[ls + start..ls + end]),
        message: Some(Cow::Borrowed(message)),
        service,
    }]
}

/// The service a Java v2 frame names: `S3` in `(Service: S3, Status Code: ...)`, given the text
/// after `Service: `.
fn java_v2_service(v: &[u8]) -> Option<&'static str> {
    let stop = v
        .iter()
        .position(|&b| matches!(b, b',' | b';' | b')'))
        .unwrap_or(v.len());
    super::service::by_name_bytes(&v[..stop]).map(|s| s.id)
}

/// Step Functions prints a Java v2 error as `"cause": "message (Service: S3, ...)"` beside
/// `"error": "S3.NoSuchBucketException"`: the class is the error name's (read as a code when it
/// names one), else the code is inferred from the message.
fn step_functions_cause(
    buf: &[u8],
    ls: usize,
    mstart: usize,
    mend: usize,
    close: usize,
) -> Vec<Read1<'_>> {
    let head = &buf[ls..mstart];
    let start = rfind(head, b": \"")
        .map(|c| c + 3)
        .or_else(|| rfind(head, b"\": \\\"").map(|c| c + 4))
        .unwrap_or_else(|| head.iter().take_while(|b| b.is_ascii_whitespace()).count());
    let message = &head[start..];
    let service = java_v2_service(&buf[mend..close]);
    if message.is_empty() {
        return Vec::new();
    }
    // The error name, within the same printed object: from its `{` to its `}`.
    let lo = ls.saturating_sub(512);
    let lo = rfind(&buf[lo..ls], b"{").map_or(lo, |i| lo + i);
    let hi = (close + 512).min(buf.len());
    let hi = find(&buf[close..hi], b"}").map_or(hi, |i| close + i);
    let class = [&b"\"error\": \""[..], b"\"error\":\"", b"\"Error\": \""]
        .iter()
        .find_map(|m| find(&buf[lo..hi], m).map(|i| lo + i + m.len()))
        .and_then(|at| {
            let t = token(buf, at);
            let dot = t.iter().position(|&b| b == b'.')?;
            let class = &t[dot + 1..];
            (class.len() > "Exception".len()
                && class.ends_with(b"Exception")
                && !generic_exception(class))
            .then_some((at + dot + 1, class))
        });
    let (pos, token) = class.unwrap_or((ls + start, &[]));
    vec![Read1 {
        pos,
        token: Cow::Borrowed(token),
        message: Some(Cow::Borrowed(message)),
        service,
    }]
}

/// Whether the marker at `mstart` stands inside the `Message` of an error object whose `Code`
/// is printed on its line or a few lines above (`"Code": "ResourceNotFoundException", "Message":
/// "... (HandlerErrorCode: NotFound)"`): a handler's classification quoted in another error's
/// message is part of that error, not one of its own.
fn quoted_in_message(buf: &[u8], mstart: usize) -> bool {
    let ls = line_start(buf, mstart);
    let head = &buf[ls..mstart];
    let Some(open) = [&b"\"Message\": \""[..], b"'Message': '", b"\"message\": \""]
        .iter()
        .filter_map(|m| find(head, m))
        .min()
    else {
        return false;
    };
    // The object's code: on the line before its message, or up to four lines above.
    let mut lo = ls;
    for _ in 0..4 {
        if lo == 0 || ls - lo > 1024 {
            break;
        }
        lo = line_start(buf, lo - 1);
    }
    let before = &buf[lo..ls + open];
    [&b"\"Code\": \""[..], b"'Code': '", b"\"code\": \""]
        .iter()
        .any(|m| find(before, m).is_some())
}

/// A handler failure's message: `Resource handler returned message: "..."` on the same line.
fn handler_message(buf: &[u8], mstart: usize) -> Option<&[u8]> {
    let ls = line_start(buf, mstart);
    let line = &buf[ls..mstart];
    let i = find(line, b"returned message: ")? + 18;
    let m = &line[i..];
    let m = m.strip_prefix(b"\"").unwrap_or(m);
    let end = rfind(m, b"\" (")
        .or_else(|| rfind(m, b" ("))
        .unwrap_or(m.len());
    Some(&m[..end])
}

/// Whether a Java class is a service's catch-all exception, which names no code.
fn generic_exception(class: &[u8]) -> bool {
    let name = class.strip_suffix(b"Exception").unwrap_or(class);
    matches!(
        name,
        b"AwsService" | b"SdkService" | b"SdkClient" | b"Sdk" | b"AmazonService" | b"Amazon"
    ) || {
        // `S3Exception`, `Ec2Exception`, `DynamoDbException`: one or two capitalised words that
        // name a service, not a condition.
        let s = String::from_utf8_lossy(name).to_ascii_lowercase();
        crate::catalog::registry::services().iter().any(|svc| {
            svc.service_id
                .replace([' ', '-'], "")
                .eq_ignore_ascii_case(&s)
                || svc.id.replace('-', "") == s
        })
    }
}

/// Names Go v2 and Terraform lines give their fields, never codes.
const FIELD_NAMES: &[&[u8]] = &[b"StatusCode", b"RequestID", b"RequestId", b"HostID"];

/// The first compound token in `buf[from..end]` (`ResourceAlreadyExistsException`) that is
/// followed by `: ` and a message, or, when `bare` allows, that ends like an error class
/// (`Exception`, `Fault`, `Error`) and stands alone.
fn first_code_after(buf: &[u8], from: usize, end: usize, bare: bool) -> Vec<Read1<'_>> {
    let mut i = from;
    while i < end {
        let starts = buf[i].is_ascii_uppercase() && (i == from || !is_word(buf[i - 1]));
        if !starts {
            i += 1;
            continue;
        }
        let t = token(&buf[..end], i);
        let after = i + t.len();
        i = after.max(i + 1);
        let compound = t.iter().filter(|b| b.is_ascii_uppercase()).count() >= 2
            && t.iter().any(u8::is_ascii_lowercase);
        if !compound || FIELD_NAMES.contains(&t) {
            continue;
        }
        let rest = &buf[after..end];
        if let Some(m) = rest.strip_prefix(b": ")
            && !matches!(m.first(), Some(b'\'' | b'"'))
        {
            return one(after - t.len(), t, Some(m));
        }
        let class = [&b"Exception"[..], b"Fault", b"Error"]
            .iter()
            .any(|s| t.len() > s.len() + 3 && t.ends_with(s));
        if bare && class {
            return one(after - t.len(), t, None);
        }
    }
    Vec::new()
}

/// Go v2 without `api error`: what follows `StatusCode: 400, RequestID: ...`.
fn go_v2_bare(buf: &[u8], mend: usize) -> Vec<Read1<'_>> {
    let end = line_end(buf, mend).min(mend + 1024);
    if find(&buf[mend..end], b"api error ").is_some() {
        return Vec::new();
    }
    first_code_after(buf, mend, end, true)
}

/// Terraform's `Error: <verb>ing <Resource> (<id>): Code: message`: only after the provider's
/// gerund, so an ordinary `Error: ` line is passed over at once.
fn terraform_code(buf: &[u8], mend: usize) -> Vec<Read1<'_>> {
    let end = line_end(buf, mend).min(mend + 1024);
    let rest = &buf[mend..end];
    let verb = rest.iter().take_while(|b| b.is_ascii_lowercase()).count();
    if verb < 5 || !rest[..verb].ends_with(b"ing") || rest.get(verb) != Some(&b' ') {
        return Vec::new();
    }
    // The provider names the resource in capitalised words (`creating KMS Alias`, `waiting
    // for EKS Node Group`); `Error: reading config file` is not its.
    let words = &rest[verb + 1..];
    let words = words.strip_prefix(b"for ").unwrap_or(words);
    if !words.first().is_some_and(u8::is_ascii_uppercase) {
        return Vec::new();
    }
    first_code_after(buf, mend + verb, end, false)
}

/// `User: arn... is not authorized to perform: svc:Action ...` (also `You are not authorized
/// to perform this operation.`): the code printed just before `User:` (`AccessDenied: User:
/// ...`) when there is one, else an empty token for the scanner to infer, in the service the
/// action names.
fn not_authorized(buf: &[u8], mstart: usize, mend: usize) -> Vec<Read1<'_>> {
    let ls = line_start(buf, mstart);
    let head = &buf[ls..mstart];
    let user = [&b"User: "[..], b"user: "]
        .iter()
        .filter_map(|m| rfind(head, m))
        .max();
    let start = match user {
        Some(u) => ls + u,
        None => rfind(head, b": ").map_or(ls, |c| ls + c + 2),
    };
    // The action, perhaps on the next line when a terminal or a page wrapped it.
    let mut at = mend;
    while matches!(buf.get(at), Some(b':' | b' ' | b'\t' | b'\r' | b'\n')) && at < mend + 16 {
        at += 1;
    }
    let prefix = &buf[at..];
    let prefix = &prefix[..prefix
        .iter()
        .take(40)
        .position(|&b| !(b.is_ascii_alphanumeric() || b == b'-'))
        .unwrap_or(prefix.len().min(40))];
    let end = line_end(buf, at.max(mend));
    let service = (prefix.len() >= 2 && buf.get(at + prefix.len()) == Some(&b':'))
        .then(|| super::service::by_action_prefix(prefix, &buf[at..end]))
        .flatten()
        .map(|s| s.id);
    let message = &buf[start..end];
    // A code printed before the message (`AccessDenied: User: ...`) is the code.
    let code = user.and_then(|u| {
        let before = head[..u].strip_suffix(b": ")?;
        let from = before
            .iter()
            .rposition(|&b| !(b.is_ascii_alphanumeric() || b == b'.'))
            .map_or(0, |p| p + 1);
        let t = &before[from..];
        t.first()
            .is_some_and(u8::is_ascii_uppercase)
            .then_some((ls + from, t))
    });
    let (pos, token) = code.unwrap_or((start, &[]));
    vec![Read1 {
        pos,
        token: Cow::Borrowed(token),
        message: Some(Cow::Borrowed(message)),
        service,
    }]
}

/// .NET's `Amazon.<Namespace>.Model.<Class>Exception: message`, the marker (`Exception: `) at
/// `mstart`: the class (with its `Exception`, as the SDK names it; the scanner finds the wire
/// code) and the service the namespace names (`DynamoDBv2`, `IdentityManagement`, `S3`).
fn dotnet(buf: &[u8], mstart: usize, mend: usize) -> Vec<Read1<'_>> {
    let class_end = mstart + "Exception".len();
    let ls = line_start(buf, mstart);
    let from = buf[ls..mstart]
        .iter()
        .rposition(|&b| !(b.is_ascii_alphanumeric() || b == b'.' || b == b'_'))
        .map_or(ls, |p| ls + p + 1);
    let Some(rest) = buf[from..class_end].strip_prefix(b"Amazon.") else {
        return Vec::new();
    };
    let Some(m) = find(rest, b".Model.") else {
        return Vec::new();
    };
    let class = &rest[m + ".Model.".len()..];
    if class.contains(&b'.') || !class.first().is_some_and(u8::is_ascii_uppercase) {
        return Vec::new();
    }
    let service = super::service::by_name_bytes(&rest[..m]).map(|s| s.id);
    let message = &buf[mend..line_end(buf, mend)];
    vec![Read1 {
        pos: class_end - class.len(),
        token: Cow::Borrowed(class),
        message: Some(Cow::Borrowed(message)),
        service,
    }]
}

/// `ERROR:  message; Exception: Code; ShouldRetry: 1`: the code when a `;` ends it, and the
/// message before the marker, after the line's level.
fn semicolon_field(buf: &[u8], mstart: usize, mend: usize) -> Vec<Read1<'_>> {
    let t = token(buf, mend);
    if t.is_empty() || buf.get(mend + t.len()) != Some(&b';') {
        return Vec::new();
    }
    let head = &buf[line_start(buf, mstart)..mstart];
    let level = head
        .iter()
        .take(16)
        .position(|&b| b == b':')
        .filter(|&c| head[..c].iter().all(u8::is_ascii_alphabetic))
        .map_or(0, |c| c + 1);
    let message = head[level..].trim_ascii();
    one(mend, t, (!message.is_empty()).then_some(message))
}

/// `Resource handler returned message: "..."` whose `HandlerErrorCode` was cut off: an empty
/// token and the message, for the scanner to infer the code from.
fn handler_without_code(buf: &[u8], mend: usize) -> Vec<Read1<'_>> {
    let end = line_end(buf, mend);
    let rest = &buf[mend..end];
    if find(rest, b"HandlerErrorCode").is_some() {
        return Vec::new();
    }
    let m = rest.strip_prefix(b"\"").unwrap_or(rest);
    let m = &m[..rfind(m, b"\" (").unwrap_or(m.len())];
    vec![Read1 {
        pos: mend,
        token: Cow::Borrowed(&[]),
        message: Some(Cow::Borrowed(m)),
        service: None,
    }]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Catalog;
    use crate::extract::Extractor;

    /// Every row's sample yields its code: the table documents itself.
    #[test]
    fn every_frame_reads_its_sample() {
        let ex = Extractor::new(&Catalog::builtin());
        for f in FRAMES {
            let r = ex.scan_str(f.sample);
            let codes: Vec<&str> = r.found.iter().map(|x| x.code.as_str()).collect();
            assert!(
                codes.contains(&f.yields),
                "{}: expected {} in {:?}",
                f.producer,
                f.yields,
                codes
            );
            for m in f.markers {
                assert!(!m.is_empty());
            }
        }
    }

    #[test]
    fn go_v1_code_wrapped_inside_a_box_is_joined() {
        let text = "│ Error: waiting for EKS Node Group create: InsufficientInstanceCap\n│ acity: We currently do not have sufficient capacity\n│ \tstatus code: 500, request id: 1b2c3d4e-aaaa-bbbb-cccc-0123456789ab\n";
        let ex = Extractor::new(&Catalog::builtin());
        let codes: Vec<String> = ex
            .scan_str(text)
            .found
            .into_iter()
            .map(|f| f.code)
            .collect();
        assert!(
            codes.contains(&"InsufficientInstanceCapacity".to_owned()),
            "{codes:?}"
        );
    }

    fn scan(text: &str) -> Vec<(String, Option<String>, u64, Option<String>)> {
        static EX: std::sync::OnceLock<Extractor> = std::sync::OnceLock::new();
        let ex = EX.get_or_init(|| Extractor::new(&Catalog::builtin()));
        ex.scan_str(text)
            .found
            .into_iter()
            .map(|f| {
                let o = &f.occurrences[0];
                (f.code.clone(), f.service.clone(), o.line, o.message.clone())
            })
            .collect()
    }

    /// `aws_ruby_namespace` is given the text before `Errors::`.
    #[test]
    fn ruby_errors_need_an_aws_namespace() {
        assert!(aws_ruby_namespace(b"AWS::EC2::"));
        assert!(aws_ruby_namespace(b"raise Aws::S3::"));
        assert!(!aws_ruby_namespace(b"Excon::"));
        assert!(!aws_ruby_namespace(
            b"Elasticsearch::Transport::Transport::"
        ));
        assert!(!aws_ruby_namespace(b"MyAws::S3::"));
        assert!(!aws_ruby_namespace(b"Aws::"));
        assert!(scan("Faraday::Errors::ConnectionFailed: Connection refused").is_empty());
        assert_eq!(
            scan(
                "Aws::DynamoDB::Errors::ConditionalCheckFailedException: The conditional request failed"
            ),
            [(
                "ConditionalCheckFailedException".to_owned(),
                Some("dynamodb".to_owned()),
                1,
                Some("The conditional request failed".to_owned())
            )]
        );
    }

    #[test]
    fn a_ruby_v1_class_is_one_code_with_its_message() {
        let found = scan(
            "AWS::EC2::Errors::InvalidInstanceID::NotFound: The instance ID 'i-1a2b3c4d' does not exist",
        );
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].0, "InvalidInstanceID.NotFound");
        assert_eq!(
            found[0].3.as_deref(),
            Some("The instance ID 'i-1a2b3c4d' does not exist")
        );
    }

    #[test]
    fn a_json_protocol_namespace_names_the_service() {
        assert_eq!(
            namespace_service(b"com.amazonaws.dynamodb.v20120810"),
            Some("dynamodb")
        );
        assert_eq!(namespace_service(b"com.amazonaws.kinesis"), Some("kinesis"));
        assert_eq!(namespace_service(b"com.amazon.coral.validate"), None);
        assert_eq!(namespace_service(b""), None);
        let found = scan(
            "{\"__type\":\"com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException\",\"message\":\"Rate of requests exceeds the allowed throughput.\"}",
        );
        assert_eq!(found[0].1.as_deref(), Some("dynamodb"));
    }

    #[test]
    fn clojure_maps_give_their_message_and_restate_their_code() {
        assert_eq!(
            edn_message(b"\", :Message \"The key \\\"k\\\" is gone\"}", 0),
            Some(&b"The key \\\"k\\\" is gone"[..])
        );
        assert_eq!(
            edn_message(b"\"} {:Code \"Other\", :Message \"not this one\"}", 0),
            None
        );
        let text = "{:Error\n {:Code \"NoSuchBucket\",\n  :Message \"The specified bucket does not exist\"},\n :cognitect.aws.http/status 404,\n :cognitect.aws.error/code \"NoSuchBucket\"}\n";
        assert_eq!(
            scan(text),
            [(
                "NoSuchBucket".to_owned(),
                Some("s3".to_owned()),
                2,
                Some("The specified bucket does not exist".to_owned())
            )]
        );
    }

    #[test]
    fn a_node_error_object_starts_at_the_line_naming_its_code() {
        let text = b"{ [ThrottlingException: Rate exceeded]\n  message: 'Rate exceeded',\n  code: 'ThrottlingException',";
        let field = text.len() - "ThrottlingException',".len();
        assert_eq!(
            object_head(text, field, b"ThrottlingException", 0),
            Some((3, &b"Rate exceeded"[..]))
        );
        // Nothing before the previous error (`floor`) is looked at.
        assert_eq!(object_head(text, field, b"ThrottlingException", 4), None);
        // A blank line ends the object.
        let text = b"ThrottlingException: Rate exceeded\n\n  code: 'ThrottlingException',";
        assert_eq!(
            object_head(text, text.len() - 21, b"ThrottlingException", 0),
            None
        );
    }

    #[test]
    fn go_v1_code_cut_inside_a_box_is_placed_where_it_starts() {
        let text = "│ first line of the box                │\n│ Message: cannot create: UnauthorizedOper│\n│ation: You are not authorized.          │\n│  status code: 403, request id: 1f2e3d4c-5b6a-4798-8a7b-6c5d4e3f2a1b │\n";
        let found = scan(text);
        assert_eq!(
            found
                .iter()
                .map(|f| (f.0.as_str(), f.2))
                .collect::<Vec<_>>(),
            [("UnauthorizedOperation", 2)]
        );
    }

    #[test]
    fn java_v2_generic_exception_reads_nothing() {
        assert!(generic_exception(b"Ec2Exception"));
        assert!(generic_exception(b"S3Exception"));
        assert!(generic_exception(b"DynamoDbException"));
        assert!(!generic_exception(b"NoSuchKeyException"));
    }
}
