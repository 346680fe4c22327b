//! What a code's shape says about it.
//!
//! AWS services name codes by pattern: `InvalidXyzId.NotFound`, `...Malformed`,
//! `...LimitExceeded`, `ThrottlingException`, `AccessDeniedException`. When errex has no written
//! explanation for a code (an unknown code, or one only the registry knows) its shape alone tells
//! a person what kind of problem it is and the usual way out. The table is data: one row per
//! family, tried in order, the first matching shape wins.

use serde::Serialize;

/// A family of codes recognised by shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Family {
    /// The shape, e.g. `*.NotFound`.
    pub pattern: &'static str,
    /// A few words for lists ("a resource it names does not exist").
    pub short: &'static str,
    /// What codes of this shape mean.
    pub meaning: &'static str,
    /// The usual remedy for codes of this shape.
    pub remedy: &'static str,
}

/// Tells whether a code has a family's shape.
type Shape = fn(&str) -> bool;

fn has(code: &str, parts: &[&str]) -> bool {
    parts.iter().any(|p| code.contains(p))
}

const FAMILIES: &[(Shape, Family)] = &[
    (
        |c| has(c, &["Throttl", "TooManyRequests", "RequestLimitExceeded"]) || c == "SlowDown",
        Family {
            pattern: "Throttling*",
            short: "requests were throttled",
            meaning: "The service refused the call because the account or the resource sent more \
                      requests than its rate allows right now.",
            remedy: "Retry with exponential backoff and jitter (the SDKs do, a few times), spread \
                     or batch the calls, cache what you read repeatedly, and ask for a higher rate \
                     quota in Service Quotas if the load is steady.",
        },
    ),
    (
        |c| {
            has(
                c,
                &["AccessDenied", "NotAuthorized", "Unauthorized", "Forbidden"],
            )
        },
        Family {
            pattern: "AccessDenied*",
            short: "the caller is not allowed to do this",
            meaning: "The credentials that signed the call are not allowed to perform this action \
                      on this resource: no policy allows it, or one denies it.",
            remedy: "Check who is calling (`aws sts get-caller-identity`), then the identity \
                     policy, the resource's policy, SCPs, permission boundaries and session \
                     policies for the action named in the message; an encoded message decodes \
                     with `aws sts decode-authorization-message`.",
        },
    ),
    (
        |c| {
            c.ends_with("LimitExceeded")
                || c.ends_with("LimitExceededException")
                || has(c, &["QuotaExceeded", "CountExceeded", "LimitExceededFault"])
        },
        Family {
            pattern: "*LimitExceeded / *QuotaExceeded",
            short: "a quota or a rate limit was exceeded",
            meaning: "A quota (how many resources, how large) or a request rate was exceeded.",
            remedy: "Look the quota up in the Service Quotas console (or `aws service-quotas \
                     list-service-quotas --service-code <service>`), free unused resources or \
                     request an increase; if it is a rate limit, retry with exponential backoff.",
        },
    ),
    (
        |c| c.starts_with("Insufficient") && c.contains("Capacity"),
        Family {
            pattern: "Insufficient*Capacity",
            short: "AWS lacks the capacity right now",
            meaning: "AWS does not have enough of this capacity in that place right now; nothing is \
                      wrong with the request itself.",
            remedy: "Retry later, or ask for the capacity elsewhere: another Availability Zone, \
                     another instance type or size, or fewer at a time.",
        },
    ),
    (
        |c| has(c, &["NotFound", "NoSuch", "DoesNotExist", "NonExistent"]),
        Family {
            pattern: "*NotFound*",
            short: "a resource it names does not exist",
            meaning: "The id or name in the request matches no resource that this account can see \
                      in this Region.",
            remedy: "Check the id for typos, the Region and the account (profile) the call used, and \
                     whether the resource was deleted. Right after creating it, wait a few seconds \
                     and retry: new ids take a moment to propagate.",
        },
    ),
    (
        |c| {
            c.ends_with(".Malformed")
                || c.ends_with("Malformed")
                || c.ends_with("MalformedException")
        },
        Family {
            pattern: "*.Malformed",
            short: "a value has the wrong shape",
            meaning: "An id or value in the request does not have the expected shape (prefix, \
                      length, characters).",
            remedy: "Pass the resource id itself (prefix plus 8 or 17 hex digits, such as \
                     `i-0123456789abcdef0`), not a name, an ARN, or a value with quotes or white \
                     space; check variables that may have expanded to nothing.",
        },
    ),
    (
        |c| has(c, &["AlreadyExists", "Duplicate", "AlreadyOwned"]),
        Family {
            pattern: "*AlreadyExists* / *.Duplicate",
            short: "something with that name or id already exists",
            meaning: "Something with the same name, id or rule already exists.",
            remedy: "Reuse the existing resource, pick another name, or make the call idempotent by \
                     describing before creating.",
        },
    ),
    (
        |c| c.ends_with(".InUse") || c.ends_with("InUse") || c.ends_with("InUseException"),
        Family {
            pattern: "*.InUse",
            short: "the resource is in use",
            meaning: "The resource is attached to, referenced by, or used by something else, so it \
                      cannot be changed or deleted now.",
            remedy: "Find what uses it (describe the attachments or references), detach or delete \
                     that first, then retry.",
        },
    ),
    (
        |c| {
            has(
                c,
                &[
                    "Conflict",
                    "ConcurrentModification",
                    "InProgress",
                    "InvalidState",
                ],
            )
        },
        Family {
            pattern: "*Conflict* / *InProgress",
            short: "the resource's state does not allow it now",
            meaning: "The resource is being changed by another request, or its current state does \
                      not allow this change.",
            remedy: "Wait for the other change to finish (describe the resource until its status \
                     settles), then retry; serialise writers that touch the same resource.",
        },
    ),
    (
        |c| {
            c.starts_with("Validation")
                || has(
                    c,
                    &[
                        "InvalidParameter",
                        "InvalidInput",
                        "InvalidRequest",
                        "BadRequest",
                    ],
                )
        },
        Family {
            pattern: "Validation* / InvalidParameter*",
            short: "the request failed the service's validation",
            meaning: "A parameter is missing, has a value the service does not accept, or does not \
                      fit with the others. The message names which.",
            remedy: "Read the message for the parameter and the rule it broke, compare the request \
                     with the operation's API reference, and fix the value; retrying unchanged \
                     fails the same way.",
        },
    ),
    (
        |c| {
            has(
                c,
                &[
                    "InternalServer",
                    "InternalFailure",
                    "InternalError",
                    "ServiceUnavailable",
                    "ServiceException",
                    "ServiceFailure",
                ],
            )
        },
        Family {
            pattern: "InternalServer* / ServiceUnavailable*",
            short: "a fault on AWS's side",
            meaning: "The service failed to handle a valid request; nothing in the request needs to \
                      change.",
            remedy: "Retry with backoff (the SDKs retry 5xx errors a few times); if it persists, \
                     check the AWS Health Dashboard for the service and Region.",
        },
    ),
];

/// The family a code belongs to by its shape, if its shape says enough.
pub fn of(code: &str) -> Option<Family> {
    FAMILIES
        .iter()
        .find(|(test, _)| test(code))
        .map(|(_, f)| *f)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_map_to_families() {
        for (code, pattern) in [
            ("InvalidWidgetId.NotFound", Some("*NotFound*")),
            ("NoSuchWidget", Some("*NotFound*")),
            ("ResourceNotFoundException", Some("*NotFound*")),
            ("InvalidWidgetId.Malformed", Some("*.Malformed")),
            (
                "InvalidWidget.Duplicate",
                Some("*AlreadyExists* / *.Duplicate"),
            ),
            (
                "WidgetAlreadyExistsException",
                Some("*AlreadyExists* / *.Duplicate"),
            ),
            ("InvalidWidget.InUse", Some("*.InUse")),
            (
                "WidgetLimitExceeded",
                Some("*LimitExceeded / *QuotaExceeded"),
            ),
            (
                "ServiceQuotaExceededException",
                Some("*LimitExceeded / *QuotaExceeded"),
            ),
            ("InsufficientWidgetCapacity", Some("Insufficient*Capacity")),
            ("ThrottlingException", Some("Throttling*")),
            ("TooManyRequestsException", Some("Throttling*")),
            ("AccessDeniedException", Some("AccessDenied*")),
            ("ConflictException", Some("*Conflict* / *InProgress")),
            (
                "ValidationException",
                Some("Validation* / InvalidParameter*"),
            ),
            (
                "InternalServerException",
                Some("InternalServer* / ServiceUnavailable*"),
            ),
            ("SomethingElse", None),
        ] {
            assert_eq!(of(code).map(|f| f.pattern), pattern, "{code}");
        }
    }
}
