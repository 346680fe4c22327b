//! The registry: every AWS service's error codes as facts, imported from the SDK models by
//! `kb/registry/import.py` (plus the hand-kept `kb/registry/extra.tsv`) and compiled into the
//! binary by `build.rs` as static tables.
//!
//! Names, numbers and flags only: the service, the wire code and its shape name, the HTTP
//! status, whose fault, and the SDKs' retry verdict. No documentation text. What a code means
//! in words lives in the written entries; this module only says what the models say.

use serde::Serialize;

use super::model::{Category, Retry};

/// One AWS service as its SDK model describes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Service {
    /// botocore's name for the service (also the AWS CLI's, mostly): `s3`, `elbv2`, `logs`.
    pub id: &'static str,
    /// The model's serviceId (`S3`, `Elastic Load Balancing v2`, `CloudWatch Logs`).
    pub service_id: &'static str,
    /// The long name (`Amazon Simple Storage Service`).
    pub full_name: &'static str,
    /// The short name SDK v1s print (`Amazon S3`), or empty.
    pub abbreviation: &'static str,
    /// The first label of the service's endpoint host (`s3`, `sts`, `logs`).
    pub endpoint_prefix: &'static str,
    /// The name requests are signed for (`s3`; ARNs and IAM actions mostly use it too).
    pub signing_name: &'static str,
    /// The wire protocol (`query`, `json`, `rest-json`, `rest-xml`, `ec2`).
    pub protocol: &'static str,
    /// The model's uid (`s3-2006-03-01`), used by the API reference's links.
    pub uid: &'static str,
    /// The XML namespace of query and XML protocols, or empty.
    #[serde(skip)]
    pub xml_namespace: &'static str,
    /// Every operation of the model, sorted.
    #[serde(skip)]
    pub operations: &'static [&'static str],
}

impl Service {
    /// The link to a shape's page in the API reference (the SDKs' "See also" links).
    pub fn docs_for(&self, shape: &str) -> Option<String> {
        (!self.uid.is_empty()).then(|| {
            format!(
                "https://docs.aws.amazon.com/goto/WebAPI/{}/{shape}",
                self.uid
            )
        })
    }

    /// Whether the model has this operation.
    pub fn has_operation(&self, op: &str) -> bool {
        self.operations.binary_search(&op).is_ok()
    }
}

/// What the SDKs' standard retry mode does with a code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SdkRetry {
    /// Retried as throttling (backoff, and the retry quota is charged more).
    Throttling,
    /// Retried as a transient fault.
    Transient,
    /// Not retried.
    None,
}

impl SdkRetry {
    /// The retry class that agrees with the SDKs, when they retry at all.
    pub fn class(self) -> Option<Retry> {
        match self {
            SdkRetry::Throttling => Some(Retry::Backoff),
            SdkRetry::Transient => Some(Retry::Transient),
            SdkRetry::None => None,
        }
    }

    /// What the SDKs do, in words.
    pub fn advice(self) -> &'static str {
        match self {
            SdkRetry::Throttling => {
                "The SDKs retry it as throttling: exponential backoff with jitter, a few attempts \
                 (3 in standard mode by default); slow down if it persists."
            }
            SdkRetry::Transient => {
                "The SDKs retry it as a transient fault, a few times with backoff (3 attempts in \
                 standard mode by default)."
            }
            SdkRetry::None => "The SDKs do not retry it: the request must change first.",
        }
    }
}

/// Where a registry row comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Origin {
    /// An error shape of the service's SDK model.
    Model,
    /// An event-stream error, spelled as its union member (botocore reports that name).
    Eventstream,
    /// One of the AWS common errors that every query or JSON API may return.
    Common,
    /// Listed in the service's documentation but not in its model.
    Documented,
    /// The legacy query-protocol code a query-compatible JSON service still returns.
    QueryLegacy,
    /// The HTTP status that botocore uses as the code when an error has no body.
    Bodiless,
}

/// One error code of one service.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Code {
    /// Index of the service in [`services`].
    pub service: u16,
    /// The code on the wire, exactly.
    pub code: &'static str,
    /// The model's shape names when they differ from the code (comma-separated), or empty.
    pub shapes: &'static str,
    /// The HTTP status the model declares, when it declares one.
    pub http_status: Option<u16>,
    /// Whose fault: the model's sender/server flag, else the status.
    pub fault: Category,
    /// The SDKs' retry verdict.
    pub sdk_retry: SdkRetry,
    /// Where the row comes from.
    pub origin: Origin,
    /// For hand-kept rows, the source that was checked.
    pub source: &'static str,
}

impl Code {
    /// The service this code belongs to.
    pub fn service(&self) -> &'static Service {
        &SERVICES[usize::from(self.service)]
    }

    /// The shape names (aliases people search by, and SDK class names).
    pub fn shape_names(&self) -> impl Iterator<Item = &'static str> {
        self.shapes.split(',').filter(|s| !s.is_empty())
    }

    /// The API reference link for the code's shape, when the model has one.
    pub fn docs(&self) -> Option<String> {
        match self.origin {
            Origin::Model | Origin::Eventstream => self
                .service()
                .docs_for(self.shape_names().next().unwrap_or(self.code)),
            _ => None,
        }
    }
}

mod tables {
    //! The tables written by `build.rs` from `kb/registry/`.
    use super::{Category, Code, Origin, SdkRetry, Service};
    include!(concat!(env!("OUT_DIR"), "/registry.rs"));
}

use tables::{BOTOCORE, CODES, OPERATIONS, SERVICES};

/// The botocore version the registry was imported from.
pub fn botocore_version() -> &'static str {
    BOTOCORE
}

/// Every service, sorted by id.
pub fn services() -> &'static [Service] {
    SERVICES
}

/// The service with this id (`s3`), or, failing that, this serviceId, signing name or endpoint
/// prefix (case-insensitive).
pub fn service(name: &str) -> Option<&'static Service> {
    SERVICES
        .binary_search_by(|s| s.id.cmp(name))
        .ok()
        .map(|i| &SERVICES[i])
        .or_else(|| {
            SERVICES.iter().find(|s| {
                s.id.eq_ignore_ascii_case(name) || s.service_id.eq_ignore_ascii_case(name)
            })
        })
}

/// Every code, sorted by code ignoring case, then by service.
pub fn codes() -> &'static [Code] {
    CODES
}

fn cmp_ignore_case(a: &str, b: &str) -> std::cmp::Ordering {
    a.bytes()
        .map(|c| c.to_ascii_lowercase())
        .cmp(b.bytes().map(|c| c.to_ascii_lowercase()))
}

/// Every service's row for this code, ignoring case (exact spellings are not preferred here;
/// callers sort).
pub fn named(code: &str) -> &'static [Code] {
    let from = CODES.partition_point(|c| cmp_ignore_case(c.code, code).is_lt());
    let to = from + CODES[from..].partition_point(|c| cmp_ignore_case(c.code, code).is_eq());
    &CODES[from..to]
}

/// The row for this service and code (exact spelling).
pub fn find(service: &str, code: &str) -> Option<&'static Code> {
    named(code)
        .iter()
        .find(|c| c.code == code && c.service().id == service)
}

/// The services whose model has this operation (a binary search in a table built at compile
/// time).
pub fn with_operation(op: &str) -> impl Iterator<Item = &'static Service> {
    let services: &[u16] = OPERATIONS
        .binary_search_by(|(name, _)| (*name).cmp(op))
        .map_or(&[], |i| OPERATIONS[i].1);
    services.iter().map(|&i| &SERVICES[usize::from(i)])
}

/// The index of a service in [`services`].
pub fn index_of(service: &Service) -> u16 {
    SERVICES
        .binary_search_by(|s| s.id.cmp(service.id))
        .map_or(0, |i| i as u16)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_are_sorted_for_binary_search() {
        assert!(SERVICES.windows(2).all(|w| w[0].id < w[1].id));
        assert!(
            CODES
                .windows(2)
                .all(|w| cmp_ignore_case(w[0].code, w[1].code).is_le())
        );
        assert!(
            SERVICES
                .iter()
                .all(|s| s.operations.windows(2).all(|w| w[0] < w[1]))
        );
    }

    #[test]
    fn finds_codes_services_and_operations() {
        let s3 = service("s3").expect("s3 is modelled");
        assert_eq!(s3.service_id, "S3");
        assert!(s3.has_operation("PutObject"));
        assert_eq!(service("dynamodb").map(|s| s.id), Some("dynamodb"));
        let rows = named("conditionalcheckfailedexception");
        assert!(rows.iter().any(|c| c.service().id == "dynamodb"));
        let iam = find("iam", "NoSuchEntity").expect("IAM's wire code");
        assert_eq!(iam.shapes, "NoSuchEntityException");
        assert_eq!(iam.http_status, Some(404));
        assert!(with_operation("AssumeRole").any(|s| s.id == "sts"));
        let throttling =
            find("dynamodb", "ProvisionedThroughputExceededException").expect("modelled");
        assert_eq!(throttling.sdk_retry, SdkRetry::Throttling);
    }
}
