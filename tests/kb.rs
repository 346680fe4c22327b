//! Invariants of the built-in knowledge base: every file embedded and valid, complete against
//! the reference list of EC2 codes and the list of codes beyond EC2, consistent with the
//! retry facts and the SDKs' retry rules, and free of templated text.

use std::collections::{HashMap, HashSet};
use std::fs;
use std::path::{Path, PathBuf};

use errex::catalog::{self, CROSS_SERVICE, Catalog, Category, Entry, Retry, Source, registry};

fn kb_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("kb")
}

fn toml_files(dir: &Path, out: &mut Vec<String>, root: &Path) {
    for entry in fs::read_dir(dir).expect("kb/ is readable") {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            toml_files(&path, out, root);
        } else if path.extension().is_some_and(|e| e == "toml") {
            let rel = path.strip_prefix(root).expect("under kb/");
            out.push(
                rel.components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect::<Vec<_>>()
                    .join("/"),
            );
        }
    }
}

/// The reference facts live beside the repository; the crate still tests without them.
fn reference(name: &str) -> Option<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/reference")
        .join(name);
    match fs::read_to_string(&path) {
        Ok(text) => Some(text),
        Err(_) => {
            eprintln!("skipped: {} is not present", path.display());
            None
        }
    }
}

#[test]
fn every_kb_file_is_embedded() {
    let root = kb_dir();
    let mut on_disk = Vec::new();
    toml_files(&root, &mut on_disk, &root);
    on_disk.sort();
    let mut embedded: Vec<String> = catalog::builtin_files()
        .iter()
        .map(|s| s.to_string())
        .collect();
    embedded.sort();
    assert!(!on_disk.is_empty());
    assert_eq!(
        on_disk, embedded,
        "kb/ files and embedded files differ: rebuild (cargo clean -p errex) or check build.rs"
    );
}

#[test]
fn every_kb_file_validates_on_its_own_and_together() {
    let root = kb_dir();
    let mut files = Vec::new();
    toml_files(&root, &mut files, &root);
    files.sort();
    let mut parsed = Vec::new();
    for f in &files {
        let text = fs::read_to_string(root.join(f)).expect("readable");
        match catalog::parse_file(&format!("kb/{f}"), &text) {
            Ok((p, warnings)) => {
                assert!(warnings.is_empty(), "{warnings:?}");
                parsed.push(p);
            }
            Err(diags) => panic!(
                "kb/{f} is invalid:\n{}",
                diags
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("\n")
            ),
        }
    }
    let (entries, diags) = catalog::assemble_strict(&parsed);
    assert!(
        diags.is_empty(),
        "{}",
        diags
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("\n")
    );
    assert_eq!(
        entries.len(),
        Catalog::builtin().len(),
        "the embedded catalog matches kb/ on disk"
    );
}

#[test]
fn codes_are_unique_by_exact_spelling() {
    let cat = Catalog::builtin();
    let mut seen = HashSet::new();
    for e in cat.entries() {
        assert!(
            seen.insert((&e.service, &e.code)),
            "duplicate {}:{}",
            e.service,
            e.code
        );
    }
}

#[test]
fn catalog_covers_every_reference_code_with_its_category_and_docs() {
    let Some(tsv) = reference("ec2-error-codes.tsv") else {
        return;
    };
    let cat = Catalog::builtin();
    let mut missing = Vec::new();
    for line in tsv.lines().skip(1) {
        let cols: Vec<&str> = line.split('\t').collect();
        let [code, category, section, docs] = cols[..] else {
            panic!("bad reference row {line:?}")
        };
        let Some(e) = cat.entry("ec2", code) else {
            missing.push(code.to_owned());
            continue;
        };
        assert_eq!(e.category.as_str(), category, "{code}: category");
        // InvalidParameterValue has two rows (both client tables); either link is right.
        let links: Vec<&str> = tsv
            .lines()
            .filter(|l| l.split('\t').next() == Some(code))
            .filter_map(|l| l.split('\t').nth(3))
            .collect();
        assert!(
            e.docs.as_deref().is_some_and(|d| links.contains(&d)),
            "{code}: docs must be a docs_url of its reference rows, not {:?} ({docs})",
            e.docs
        );
        if section == "former-official" {
            assert!(
                e.deprecated.is_some(),
                "{code}: a former-official code is marked deprecated"
            );
        }
    }
    assert!(
        missing.is_empty(),
        "{} reference codes are missing from the catalog: {missing:?}",
        missing.len()
    );
}

#[test]
fn retry_classes_agree_with_the_reference_or_say_why() {
    let Some(tsv) = reference("retry-classes.tsv") else {
        return;
    };
    let classes: HashMap<&str, &str> = tsv
        .lines()
        .skip(1)
        .filter_map(|l| {
            let mut cols = l.split('\t');
            Some((cols.next()?, cols.next()?))
        })
        .collect();
    let cat = Catalog::builtin();
    let mut wrong = Vec::new();
    for e in cat.entries().iter().filter(|e| e.service == "ec2") {
        let expected = match classes.get(&*e.code).copied() {
            Some("throttling") => Retry::Backoff,
            Some("transient") => Retry::Transient,
            Some("capacity") => Retry::Capacity,
            Some("eventual-consistency") => Retry::Propagation,
            Some("other-retryable") => Retry::AfterFix,
            Some(other) => panic!("unknown class {other}"),
            None => Retry::Never,
        };
        if e.retry != expected && e.retry_note.is_none() {
            wrong.push(format!(
                "{}: {} (reference says {})",
                e.code, e.retry, expected
            ));
        }
    }
    assert!(
        wrong.is_empty(),
        "retry differs without a retry_note:\n{}",
        wrong.join("\n")
    );
}

fn normalized(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

#[test]
fn no_two_entries_share_a_cause_or_a_remedy_and_remedies_are_concrete() {
    let cat = Catalog::builtin();
    let mut causes: HashMap<String, &str> = HashMap::new();
    let mut remedies: HashMap<String, &str> = HashMap::new();
    let mut lines: HashMap<String, &str> = HashMap::new();
    let mut problems = Vec::new();
    // An entry that takes its text from the cross-service entry shares it by design.
    for e in cat.entries().iter().filter(|e| e.extends.is_none()) {
        if let Some(other) = causes.insert(normalized(&e.cause), &e.code) {
            problems.push(format!("{} and {other} share a cause", e.code));
        }
        if let Some(other) = remedies.insert(normalized(&e.remedy), &e.code) {
            problems.push(format!("{} and {other} share a remedy", e.code));
        }
        // A long remedy line pasted under two codes is templating too.
        for line in e.remedy.lines().map(normalized).filter(|l| l.len() > 120) {
            if let Some(other) = lines
                .insert(line, &e.code)
                .filter(|other| *other != &*e.code)
            {
                problems.push(format!("{} and {other} share a remedy line", e.code));
            }
        }
        if e.remedy.len() < 120 {
            problems.push(format!(
                "{}: remedy is shorter than a useful instruction",
                e.code
            ));
        }
        let concrete = e.remedy.contains('`') || e.remedy.to_lowercase().contains("console");
        if !concrete {
            problems.push(format!(
                "{}:{}: remedy names no command or console place",
                e.service, e.code
            ));
        }
        for generic in [
            "check your parameters and try again",
            "contact aws support.",
        ] {
            if normalized(&e.remedy) == generic {
                problems.push(format!("{}: generic remedy", e.code));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn text_fields_are_not_empty_and_summaries_are_one_line() {
    for e in Catalog::builtin().entries() {
        for (name, text) in [
            ("summary", &e.summary),
            ("cause", &e.cause),
            ("remedy", &e.remedy),
        ] {
            assert!(!text.trim().is_empty(), "{}: empty {name}", e.code);
        }
        assert!(
            !e.summary.contains('\n') && e.summary.chars().count() <= catalog::MAX_SUMMARY,
            "{}: summary",
            e.code
        );
        assert!(
            e.cause
                .lines()
                .filter(|l| !l.trim().is_empty())
                .all(|l| l.starts_with("- ")),
            "{}: cause lines are bullets",
            e.code
        );
    }
}

/// Whether a `related` or `replaced_by` reference of `from` names a code errex knows: the same
/// service's entry, the cross-service entry, a registry code of the service, or `service:Code`.
fn resolves(cat: &Catalog, from: &Entry, reference: &str) -> bool {
    match catalog::split_reference(reference) {
        (Some(s), code) => cat.entry(s, code).is_some() || registry::find(s, code).is_some(),
        (None, code) => {
            cat.entry(&from.service, code).is_some()
                || cat.entry(CROSS_SERVICE, code).is_some()
                || registry::find(&from.service, code).is_some()
        }
    }
}

#[test]
fn related_codes_exist_and_links_are_aws_https() {
    let cat = Catalog::builtin();
    for e in cat.entries() {
        for r in e.related.iter().chain(e.replaced_by.iter()) {
            assert!(
                resolves(&cat, e, r),
                "{}:{}: related {r} does not exist",
                e.service,
                e.code
            );
            assert_ne!(r, &e.code, "{} relates to itself", e.code);
        }
        if let Some(docs) = &e.docs {
            assert!(
                [
                    "https://docs.aws.amazon.com/",
                    "https://repost.aws/",
                    "https://aws.amazon.com/"
                ]
                .iter()
                .any(|p| docs.starts_with(p)),
                "{}:{}: docs {docs} is not an AWS page over https",
                e.service,
                e.code
            );
        }
        assert!(matches!(e.source, Source::Builtin { .. }));
    }
}

/// Service ids errex knows beyond the SDK models.
const PSEUDO: &[&str] = &["aws", "cloudformation-handler"];

#[test]
fn every_written_service_is_a_registry_service() {
    for e in Catalog::builtin().entries() {
        assert!(
            registry::service(&e.service).is_some_and(|s| s.id == &*e.service),
            "{}: service {} is not in the registry",
            e.code,
            e.service
        );
        assert!(
            PSEUDO.contains(&&*e.service)
                || !registry::service(&e.service).is_some_and(|s| s.uid.is_empty()),
            "{}: {} has no model",
            e.code,
            e.service
        );
    }
}

/// Retry classes of entries beyond EC2 agree with the SDKs' verdict in the registry (throttling
/// is `backoff`, a transient fault `transient`) or carry a `retry_note` saying why not.
#[test]
fn retry_classes_agree_with_the_sdks_or_say_why() {
    let cat = Catalog::builtin();
    let mut wrong = Vec::new();
    for e in cat.entries().iter().filter(|e| e.service != "ec2") {
        let Some(r) = registry::find(&e.service, &e.code) else {
            continue;
        };
        let agrees = match r.sdk_retry {
            registry::SdkRetry::Throttling => e.retry == Retry::Backoff,
            registry::SdkRetry::Transient => e.retry == Retry::Transient,
            registry::SdkRetry::None => !matches!(e.retry, Retry::Backoff | Retry::Transient),
        };
        if !agrees && e.retry_note.is_none() {
            wrong.push(format!(
                "{}:{}: retry {} but the SDKs say {:?}",
                e.service, e.code, e.retry, r.sdk_retry
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn message_patterns_say_enough() {
    for e in Catalog::builtin().entries() {
        for m in e.messages.iter() {
            assert_eq!(
                catalog::pattern_problem(m),
                None,
                "{}:{}",
                e.service,
                e.code
            );
        }
        assert!((1..=5).contains(&e.weight), "{}: weight", e.code);
    }
}

/// The scope: at least 300 written entries beyond EC2 in at least 25 services, with
/// every code it names.
#[test]
fn written_entries_beyond_ec2_cover_the_common_failures() {
    let cat = Catalog::builtin();
    let beyond: Vec<&Entry> = cat
        .entries()
        .iter()
        .filter(|e| e.service != "ec2")
        .collect();
    let mut services: Vec<&str> = beyond.iter().map(|e| &*e.service).collect();
    services.sort_unstable();
    services.dedup();
    assert!(
        beyond.len() >= 300,
        "{} written entries beyond EC2",
        beyond.len()
    );
    assert!(
        services.len() >= 25,
        "{} services: {services:?}",
        services.len()
    );
    let named: &[(&str, &[&str])] = &[
        (
            "aws",
            &[
                "AccessDeniedException",
                "ThrottlingException",
                "Throttling",
                "TooManyRequestsException",
                "ValidationException",
                "ValidationError",
                "InvalidClientTokenId",
                "UnrecognizedClientException",
                "ExpiredToken",
                "ExpiredTokenException",
                "IncompleteSignature",
                "InvalidSignatureException",
                "SignatureDoesNotMatch",
                "RequestExpired",
                "MissingAuthenticationToken",
                "OptInRequired",
                "InternalFailure",
                "InternalServerException",
                "ServiceUnavailable",
                "ServiceUnavailableException",
                "ResourceNotFoundException",
                "ConflictException",
                "ServiceQuotaExceededException",
                "LimitExceededException",
                "NotAuthorized",
                "MissingParameter",
                "InvalidParameterValue",
                "InvalidParameterCombination",
                "InvalidAction",
                "UnknownOperationException",
                "RequestTimeout",
                "RequestTimeoutException",
                "RequestEntityTooLargeException",
                "403",
                "404",
            ],
        ),
        (
            "sts",
            &[
                "AccessDenied",
                "ExpiredToken",
                "InvalidClientTokenId",
                "RegionDisabledException",
                "MalformedPolicyDocument",
                "PackedPolicyTooLarge",
                "IDPCommunicationError",
                "IDPRejectedClaim",
                "InvalidIdentityToken",
                "InvalidAuthorizationMessageException",
            ],
        ),
        (
            "iam",
            &[
                "AccessDenied",
                "NoSuchEntity",
                "EntityAlreadyExists",
                "LimitExceeded",
                "MalformedPolicyDocument",
                "DeleteConflict",
                "InvalidInput",
                "UnmodifiableEntity",
                "EntityTemporarilyUnmodifiable",
                "ConcurrentModification",
                "PasswordPolicyViolation",
            ],
        ),
        (
            "s3",
            &[
                "AccessDenied",
                "NoSuchBucket",
                "NoSuchKey",
                "BucketAlreadyExists",
                "BucketAlreadyOwnedByYou",
                "BucketNotEmpty",
                "SlowDown",
                "InvalidAccessKeyId",
                "SignatureDoesNotMatch",
                "RequestTimeTooSkewed",
                "ExpiredToken",
                "PermanentRedirect",
                "AuthorizationHeaderMalformed",
                "IllegalLocationConstraintException",
                "InvalidBucketName",
                "EntityTooLarge",
                "EntityTooSmall",
                "InvalidPart",
                "InvalidPartOrder",
                "NoSuchUpload",
                "InvalidRange",
                "PreconditionFailed",
                "AccessControlListNotSupported",
                "AllAccessDisabled",
                "InvalidObjectState",
                "MalformedXML",
                "MalformedPolicy",
                "NoSuchBucketPolicy",
                "NoSuchLifecycleConfiguration",
                "NoSuchTagSet",
                "ServerSideEncryptionConfigurationNotFoundError",
                "OperationAborted",
                "RequestTimeout",
                "BadDigest",
                "XAmzContentSHA256Mismatch",
                "InvalidRequest",
                "TooManyBuckets",
                "403",
                "404",
            ],
        ),
        (
            "dynamodb",
            &[
                "ValidationException",
                "ConditionalCheckFailedException",
                "ProvisionedThroughputExceededException",
                "ResourceNotFoundException",
                "ResourceInUseException",
                "RequestLimitExceeded",
                "TransactionCanceledException",
                "TransactionConflictException",
                "ItemCollectionSizeLimitExceededException",
                "LimitExceededException",
                "IdempotentParameterMismatchException",
            ],
        ),
        (
            "lambda",
            &[
                "ResourceNotFoundException",
                "ResourceConflictException",
                "TooManyRequestsException",
                "InvalidParameterValueException",
                "InvalidRequestContentException",
                "RequestTooLargeException",
                "CodeStorageExceededException",
                "ServiceException",
                "KMSAccessDeniedException",
                "ENILimitReachedException",
                "SubnetIPAddressLimitReachedException",
                "ResourceNotReadyException",
                "InvalidZipFileException",
                "UnsupportedMediaTypeException",
            ],
        ),
        (
            "cloudformation",
            &[
                "ValidationError",
                "AlreadyExistsException",
                "LimitExceededException",
                "InsufficientCapabilitiesException",
                "TokenAlreadyExistsException",
                "ChangeSetNotFound",
                "OperationInProgressException",
                "InvalidChangeSetStatus",
            ],
        ),
        (
            "cloudformation-handler",
            &[
                "InvalidRequest",
                "NotFound",
                "AlreadyExists",
                "AccessDenied",
                "GeneralServiceException",
                "NotStabilized",
                "ServiceLimitExceeded",
                "Throttling",
                "InternalFailure",
                "NetworkFailure",
                "InvalidCredentials",
                "ResourceConflict",
            ],
        ),
        (
            "bedrock-runtime",
            &[
                "ThrottlingException",
                "ValidationException",
                "AccessDeniedException",
                "ResourceNotFoundException",
                "ModelTimeoutException",
                "ModelNotReadyException",
                "ServiceQuotaExceededException",
                "ModelErrorException",
            ],
        ),
    ];
    let mut missing = Vec::new();
    for (service, codes) in named {
        for code in *codes {
            if cat.entry(service, code).is_none() {
                missing.push(format!("{service}:{code}"));
            }
        }
    }
    assert!(missing.is_empty(), "missing: {missing:?}");
    for (services, at_least) in [
        (&["ecs", "ecr", "eks"][..], 20),
        (&["rds"][..], 12),
        (&["elb", "elbv2", "autoscaling"][..], 15),
        (&["kms"][..], 10),
        (&["secretsmanager", "ssm"][..], 15),
        (&["logs", "cloudwatch"][..], 10),
        (&["sqs", "sns"][..], 12),
        (&["route53"][..], 8),
        (&["cognito-idp"][..], 8),
    ] {
        let n = beyond
            .iter()
            .filter(|e| services.contains(&&*e.service))
            .count();
        assert!(
            n >= at_least,
            "{services:?}: {n} entries, at least {at_least}"
        );
    }
    for s in [
        "apigateway",
        "kinesis",
        "ses",
        "cloudfront",
        "organizations",
        "stepfunctions",
    ] {
        assert!(services.contains(&s), "{s} has written entries");
    }
}

#[test]
fn case_pairs_are_separate_entries_that_relate_to_each_other() {
    let cat = Catalog::builtin();
    for (a, b) in [
        ("InvalidSubnetID.NotFound", "InvalidSubnetId.NotFound"),
        ("InvalidHostID.NotFound", "InvalidHostId.NotFound"),
        ("InvalidHostID.Malformed", "InvalidHostId.Malformed"),
        (
            "InvalidRouteTableID.NotFound",
            "InvalidRouteTableId.NotFound",
        ),
    ] {
        let ea = cat.entry("ec2", a).unwrap_or_else(|| panic!("{a} missing"));
        let eb = cat.entry("ec2", b).unwrap_or_else(|| panic!("{b} missing"));
        assert!(
            ea.related.iter().any(|r| r == b) || eb.related.iter().any(|r| r == a),
            "{a} and {b} relate"
        );
        assert_ne!(ea.cause, eb.cause);
    }
}

#[test]
fn the_catalog_has_the_headline_content() {
    let cat = Catalog::builtin();
    assert!(cat.len() >= 489, "{}", cat.len());
    let common = [
        "AuthFailure",
        "UnauthorizedOperation",
        "RequestLimitExceeded",
        "InsufficientInstanceCapacity",
        "InvalidTrafficMirrorTargetNoFound",
    ];
    for code in common {
        let e = cat
            .entry("ec2", code)
            .unwrap_or_else(|| panic!("{code} missing"));
        assert!(
            e.remedy.lines().count() >= 3,
            "{code}: a remedy of several steps"
        );
    }
    assert_eq!(
        cat.entry("ec2", "RequestLimitExceeded").map(|e| e.retry),
        Some(Retry::Backoff)
    );
    assert_eq!(
        cat.entry("ec2", "InsufficientInstanceCapacity")
            .map(|e| e.category),
        Some(Category::Server)
    );
}
