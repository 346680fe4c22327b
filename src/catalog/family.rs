//! What an unknown code's shape says about it.
//!
//! EC2 (and most AWS services) name codes by pattern: `InvalidXyzId.NotFound`, `...Malformed`,
//! `...LimitExceeded`. When a code is not in the catalog but has one of these shapes, the shape
//! alone tells a person what kind of problem it is and the usual way out.

use serde::Serialize;

/// A family of codes recognised by shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Family {
    /// The shape, e.g. `*.NotFound`.
    pub pattern: &'static str,
    /// What codes of this shape mean.
    pub meaning: &'static str,
    /// The usual remedy for codes of this shape.
    pub remedy: &'static str,
}

/// Tells whether a code has a family's shape.
type Shape = fn(&str) -> bool;

const FAMILIES: &[(Shape, Family)] = &[
    (
        |c| c.ends_with(".NotFound") || c.ends_with("NotFound") || c.ends_with("NotFoundException"),
        Family {
            pattern: "*.NotFound",
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
            meaning: "An id or value in the request does not have the expected shape (prefix, \
                      length, characters).",
            remedy: "Pass the resource id itself (prefix plus 8 or 17 hex digits, such as \
                     `i-0123456789abcdef0`), not a name, an ARN, or a value with quotes or white \
                     space; check variables that may have expanded to nothing.",
        },
    ),
    (
        |c| {
            c.ends_with(".Duplicate")
                || c.ends_with("AlreadyExists")
                || c.ends_with("AlreadyExistsException")
        },
        Family {
            pattern: "*.Duplicate",
            meaning: "Something with the same name, id or rule already exists.",
            remedy: "Reuse the existing resource, pick another name, or make the call idempotent by \
                     describing before creating.",
        },
    ),
    (
        |c| c.ends_with(".InUse") || c.ends_with("InUse") || c.ends_with("InUseException"),
        Family {
            pattern: "*.InUse",
            meaning: "The resource is attached to, referenced by, or used by something else, so it \
                      cannot be changed or deleted now.",
            remedy: "Find what uses it (describe the attachments or references), detach or delete \
                     that first, then retry.",
        },
    ),
    (
        |c| {
            c.ends_with("LimitExceeded")
                || c.ends_with("LimitExceededException")
                || c.ends_with("CountExceeded")
        },
        Family {
            pattern: "*LimitExceeded",
            meaning: "A quota or a request rate was exceeded.",
            remedy: "Look the quota up in the Service Quotas console (or `aws service-quotas \
                     list-service-quotas --service-code <service>`), free unused resources or \
                     request an increase; if it is a rate limit, retry with exponential backoff.",
        },
    ),
    (
        |c| c.starts_with("Insufficient") && c.contains("Capacity"),
        Family {
            pattern: "Insufficient*Capacity",
            meaning: "AWS does not have enough of this capacity in that place right now; nothing is \
                      wrong with the request itself.",
            remedy: "Retry later, or ask for the capacity elsewhere: another Availability Zone, \
                     another instance type or size, or fewer at a time.",
        },
    ),
];

/// The family an (unknown) code belongs to by its shape, if its shape says enough.
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
            ("InvalidWidgetId.NotFound", Some("*.NotFound")),
            ("InvalidWidgetId.Malformed", Some("*.Malformed")),
            ("InvalidWidget.Duplicate", Some("*.Duplicate")),
            ("InvalidWidget.InUse", Some("*.InUse")),
            ("WidgetLimitExceeded", Some("*LimitExceeded")),
            ("InsufficientWidgetCapacity", Some("Insufficient*Capacity")),
            ("SomethingElse", None),
        ] {
            assert_eq!(of(code).map(|f| f.pattern), pattern, "{code}");
        }
    }
}
