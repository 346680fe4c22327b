//! `errex CODE...`: everything known under each code, service by service.

use std::io::{self, Write};

use super::{Context, Outcome};
use crate::catalog::{CROSS_SERVICE, Catalog, Kind, Known, family_of, normalize, split_query};
use crate::render::{self, Finding};

/// The findings for one code as typed: each service's written entry on its own; the services
/// that have no entry of their own gathered under the cross-service entry (or, without one,
/// listed together with the meaning of the code's shape); an unknown code with suggestions.
pub fn findings<'a>(catalog: &'a Catalog, query: &str, service: Option<&str>) -> Vec<Finding<'a>> {
    // `split_query` trims only white space before it looks for `service:`, so a pasted
    // `"s3:NoSuchBucket"` would name the service `"s3`; what surrounds the whole query goes
    // first (codes and service ids begin and end with a letter or digit).
    let query = query.trim_matches(|c: char| !c.is_ascii_alphanumeric());
    let (named, code) = split_query(query);
    let service = named
        .map(|s| catalog.service_id(s).unwrap_or(s))
        .or(service);
    // Every service's rows of the code: the named service's, else the cross-service meaning.
    let mut known: Vec<Known<'a>> = catalog.lookup(code);
    if let Some(s) = service {
        known.retain(|k| k.service == s || k.service == CROSS_SERVICE);
        if known.iter().any(|k| k.service == s) {
            known.retain(|k| k.service == s);
        } else {
            // A service that has no row for the code may have it under another name
            // (`s3:Forbidden`); else it still gets the cross-service meaning.
            let renamed = catalog.named_otherwise(code, Some(s));
            known = if !renamed.is_empty() {
                renamed
            } else {
                known
                    .iter()
                    .filter(|k| k.service == CROSS_SERVICE)
                    .filter_map(|k| catalog.entry(CROSS_SERVICE, k.code))
                    .map(|e| Known {
                        service: catalog.service_id(s).unwrap_or(CROSS_SERVICE),
                        code: &e.code,
                        entry: None,
                        cross: Some(e),
                        registry: None,
                    })
                    .collect()
            };
        }
    }
    // A sub-code the catalog lacks, in a named service, is explained by the code it refines.
    if let Some(k) = known
        .is_empty()
        .then(|| catalog.refined(catalog.service_id(service?)?, code))
        .flatten()
    {
        let mut f = Finding::new(code);
        f.service = Some(k.service.to_owned());
        f.set_known(k);
        return vec![f];
    }
    if known.is_empty() {
        let mut f = Finding::new(code);
        f.service = service.map(str::to_owned);
        f.suggestions = catalog.suggest(code, service, 5);
        f.family = family_of(code);
        return vec![f];
    }
    let mut out: Vec<Finding<'a>> = Vec::new();
    let mut rest: Vec<Known<'a>> = Vec::new();
    for k in known {
        if service.is_some() || k.kind() == Kind::Written {
            let mut f = Finding::new(k.code);
            f.service = Some(k.service.to_owned());
            f.set_known(k);
            out.push(f);
        } else {
            rest.push(k);
        }
    }
    for k in rest {
        // Under the cross-service entry of the same spelling, when there is one.
        if let Some(f) = out
            .iter_mut()
            .find(|f| f.service.as_deref() == Some(CROSS_SERVICE) && f.code == k.code)
        {
            f.also.push(k);
            continue;
        }
        match out
            .iter_mut()
            .find(|f| f.known.is_none() && f.code == k.code)
        {
            Some(group) => group.also.push(k),
            None => {
                let mut f = Finding::new(k.code);
                f.family = family_of(k.code);
                f.also.push(k);
                out.push(f);
            }
        }
    }
    // A group of one is that service's own finding.
    for f in &mut out {
        if f.known.is_none() && f.also.len() == 1 {
            let k = f.also.remove(0);
            f.service = Some(k.service.to_owned());
            f.set_known(k);
        }
    }
    out
}

/// Explains each code. An empty code (nothing left once quotes and punctuation are dropped) is
/// a usage error.
pub fn run(
    ctx: &Context<'_>,
    codes: &[String],
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> io::Result<Outcome> {
    if let Some(empty) = codes.iter().find(|c| normalize(c).is_empty()) {
        writeln!(
            err,
            "errex: {:?} is not an error code: give a code such as AccessDenied or s3:NoSuchBucket",
            render::sanitize(empty)
        )?;
        return Ok(Outcome::Failed);
    }
    let mut all = Vec::new();
    for code in codes {
        all.extend(findings(ctx.catalog, code, ctx.service.as_deref()));
    }
    let found = all.iter().any(Finding::is_known);
    render::write_findings(out, &all, ctx.format, ctx.style)?;
    Ok(Outcome::found_if(found))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_many_services_share_is_grouped_and_explained_once() {
        let cat = Catalog::builtin();
        let f = findings(&cat, "ConflictException", None);
        assert!(f.iter().all(|f| f.is_known()));
        let total: usize = f
            .iter()
            .map(|f| f.also.len() + usize::from(f.known.is_some()))
            .sum();
        assert!(
            total > 100,
            "ConflictException is in many services: {total}"
        );
        assert!(f.len() < 20, "and explained in few findings: {}", f.len());
    }

    /// A service's registry-only finding carries its shape's meaning, which every format shows
    /// beside the registry facts; an explained one carries none.
    #[test]
    fn registry_only_findings_carry_their_family() {
        let cat = Catalog::builtin();
        let f = findings(&cat, "ds:EntityAlreadyExistsException", None);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].known.map(|k| k.kind()), Some(Kind::Registry));
        assert_eq!(
            f[0].family.map(|fam| fam.pattern),
            family_of("EntityAlreadyExistsException").map(|fam| fam.pattern)
        );
        assert!(f[0].family.is_some());
        let f = findings(&cat, "EntityAlreadyExistsException", Some("ds"));
        assert!(f[0].family.is_some(), "--service gives the same finding");
        let f = findings(&cat, "s3:NoSuchBucket", None);
        assert!(f[0].family.is_none(), "a written entry needs no family");
    }

    #[test]
    fn service_syntax_picks_one_service() {
        let cat = Catalog::builtin();
        let f = findings(&cat, "dynamodb:ConditionalCheckFailedException", None);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].service.as_deref(), Some("dynamodb"));
        assert!(f[0].is_known());
        let f = findings(&cat, "DynamoDB:conditionalcheckfailedexception", None);
        assert_eq!(f[0].service.as_deref(), Some("dynamodb"));
    }

    #[test]
    fn quotes_and_punctuation_around_service_and_code_are_dropped() {
        let cat = Catalog::builtin();
        for query in [
            "\"s3:NoSuchBucket\"",
            "(s3:NoSuchBucket);",
            "'s3:nosuchbucket'",
        ] {
            let f = findings(&cat, query, None);
            assert_eq!(
                (f.len(), f[0].service.as_deref(), f[0].is_known()),
                (1, Some("s3"), true),
                "{query}"
            );
        }
    }

    #[test]
    fn a_sub_code_the_catalog_lacks_is_explained_by_the_code_it_refines() {
        let cat = Catalog::builtin();
        let f = findings(&cat, "ec2:AuthFailure.LaunchRoleNotReachable", None);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].code, "AuthFailure.LaunchRoleNotReachable");
        assert_eq!(f[0].refines(), Some("AuthFailure"));
        assert_eq!(f[0].explanation().map(|e| &*e.code), Some("AuthFailure"));
        // Not a detail: a code with a dot-less tail, or a prefix no service knows.
        assert!(cat.refined("ec2", "AuthFailureLaunchRole").is_none());
        assert!(cat.refined("ec2", "NoSuchThing.AtAll").is_none());
        // A code the catalog knows is its own explanation.
        assert!(cat.refined("ec2", "InvalidInstanceID.NotFound").is_none());
    }

    #[test]
    fn unknown_codes_get_suggestions_from_their_own_family() {
        let cat = Catalog::builtin();
        let f = findings(&cat, "InvalidAMIID.NotFoud", None);
        assert!(!f[0].is_known());
        assert!(
            f[0].suggestions
                .iter()
                .any(|s| s == "InvalidAMIID.NotFound"),
            "{:?}",
            f[0].suggestions
        );
    }
}
