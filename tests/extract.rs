//! The extractor against fixtures of real error shapes (written by the team from the formats,
//! with synthetic ids): exact codes and the context found around each, negative fixtures that
//! must yield nothing, streaming in odd chunk sizes, and arbitrary bytes that must not panic.

use common::{codes, extractor, fixture, get, scan};
use errex::catalog::Catalog;
use errex::extract::{Extractor, Scanner};
use proptest::prelude::*;

mod common;

#[test]
fn aws_cli_shapes_with_operation_and_retries_suffix() {
    let r = scan(&fixture("positive/awscli.txt"));
    assert_eq!(
        codes(&r),
        ["InvalidKeyPair.NotFound", "InvalidInstanceID.NotFound"]
    );
    let kp = &get(&r, "InvalidKeyPair.NotFound").occurrences[0];
    assert_eq!(
        (kp.line, kp.operation.as_deref()),
        (2, Some("RunInstances"))
    );
    assert_eq!(
        kp.message.as_deref(),
        Some("The key pair 'deploy' does not exist")
    );
    let inst = &get(&r, "InvalidInstanceID.NotFound").occurrences[0];
    assert_eq!(
        (inst.line, inst.operation.as_deref()),
        (5, Some("DescribeInstances"))
    );
    assert_eq!(inst.resource_ids, ["i-0123456789abcdef0"]);
}

#[test]
fn boto3_traceback_with_encoded_authorization_message() {
    let r = scan(&fixture("positive/boto3_traceback.txt"));
    assert_eq!(codes(&r), ["UnauthorizedOperation"]);
    let o = &r.found[0].occurrences[0];
    assert_eq!(o.operation.as_deref(), Some("RunInstances"));
    let encoded = o.encoded_message.as_deref().expect("encoded message");
    assert!(
        encoded.starts_with("Zq3f8Xk1") && encoded.ends_with("iO7pA9"),
        "{encoded}"
    );
    assert!(
        o.message
            .as_deref()
            .is_some_and(|m| m.starts_with("You are not authorized") && !m.contains("Encoded"))
    );
}

#[test]
fn legacy_client_error_and_botocore_look_alikes() {
    let r = scan(&fixture("positive/boto_legacy.txt"));
    assert_eq!(
        codes(&r),
        ["InvalidAMIID.NotFound", "InvalidParameterValueException"]
    );
    assert!(r.found[0].known);
    assert_eq!(
        (r.found[1].service.as_deref(), r.found[1].code.as_str()),
        (Some("lambda"), "InvalidParameterValueException"),
        "Lambda's InvalidParameterValueException, not EC2's InvalidParameterValue"
    );
    assert_eq!(
        r.found[1].occurrences[0].operation.as_deref(),
        Some("CreateFunction")
    );
}

#[test]
fn java_sdk_v1_both_generations() {
    let r = scan(&fixture("positive/java_v1.txt"));
    assert_eq!(
        codes(&r),
        ["InvalidParameterValue", "InvalidGroup.NotFound"]
    );
    let o = &r.found[0].occurrences[0];
    assert_eq!(o.http_status, Some(400));
    assert_eq!(
        o.request_id.as_deref(),
        Some("5c2a8f0e-1b3d-4e6f-8a9b-0c1d2e3f4a5b")
    );
    assert_eq!(o.resource_ids, ["sg-0a1b2c3d"]);
    let o = &r.found[1].occurrences[0];
    assert_eq!(
        (o.line, o.request_id.as_deref()),
        (3, Some("7d3b9a1f-2c4e-4f60-9b8a-1d2e3f4a5b6c"))
    );
}

#[test]
fn go_sdk_v1_status_line_follows_the_code() {
    let r = scan(&fixture("positive/go_v1.txt"));
    assert_eq!(
        codes(&r),
        ["InvalidSubnetID.NotFound", "DependencyViolation"]
    );
    let o = &r.found[0].occurrences[0];
    assert_eq!((o.line, o.http_status), (1, Some(400)));
    assert_eq!(
        o.request_id.as_deref(),
        Some("4e2f6a8c-0b1d-4f3e-8a5c-7d9e1f3a5b7c")
    );
    assert_eq!(
        o.message.as_deref(),
        Some("The subnet ID 'subnet-0a1b2c3d' does not exist")
    );
    let o = &r.found[1].occurrences[0];
    assert_eq!(
        (o.line, o.request_id.as_deref()),
        (3, Some("9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d"))
    );
    assert_eq!(o.resource_ids, ["sg-0a1b2c3d4e5f60718"]);
}

#[test]
fn go_sdk_v1_inside_an_escaped_json_string_with_an_ambiguous_code() {
    let r = scan(&fixture("positive/go_v1_escaped.txt"));
    assert_eq!(
        codes(&r),
        ["InternalError"],
        "InternalError is framed by the status-code line"
    );
    let o = &r.found[0].occurrences[0];
    assert_eq!(o.http_status, Some(500));
    assert_eq!(
        o.request_id.as_deref(),
        Some("4a5b6c7d-8e9f-4a0b-9c1d-2e3f4a5b6c7d")
    );
}

#[test]
fn go_sdk_v2_api_error() {
    let r = scan(&fixture("positive/go_v2.txt"));
    assert_eq!(codes(&r), ["VcpuLimitExceeded"]);
    let o = &r.found[0].occurrences[0];
    assert_eq!(o.operation.as_deref(), Some("RunInstances"));
    assert_eq!(o.http_status, Some(400));
    assert_eq!(
        o.request_id.as_deref(),
        Some("0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0")
    );
    assert!(
        o.message
            .as_deref()
            .is_some_and(|m| m.starts_with("You have requested more vCPU capacity"))
    );
}

#[test]
fn terraform_log_with_three_errors_in_boxes() {
    let r = scan(&fixture("positive/terraform.txt"));
    assert_eq!(
        codes(&r),
        [
            "InsufficientInstanceCapacity",
            "DependencyViolation",
            "InvalidPermission.Duplicate"
        ]
    );
    let cap = &r.found[0].occurrences[0];
    assert_eq!(
        (cap.line, cap.operation.as_deref(), cap.http_status),
        (4, Some("RunInstances"), Some(500))
    );
    let dep = &r.found[1].occurrences[0];
    assert_eq!((dep.line, dep.http_status), (12, Some(400)));
    assert_eq!(
        dep.request_id.as_deref(),
        Some("2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e")
    );
    assert_eq!(dep.resource_ids, ["subnet-0a1b2c3d4e5f60718"]);
    let dup = &r.found[2].occurrences[0];
    assert_eq!(
        dup.request_id.as_deref(),
        Some("3c4d5e6f-7a8b-4c9d-8e0f-2a3b4c5d6e7f")
    );
}

#[test]
fn xml_pretty_printed_after_boto2_status() {
    let r = scan(&fixture("positive/xml_pretty.txt"));
    assert_eq!(codes(&r), ["InvalidVolume.NotFound"]);
    let o = &r.found[0].occurrences[0];
    assert_eq!(o.line, 6);
    assert_eq!(
        o.message.as_deref(),
        Some("The volume 'vol-0a1b2c3d4e5f60718' does not exist.")
    );
    assert_eq!(
        o.request_id.as_deref(),
        Some("5d6e7f8a-9b0c-4d1e-8f2a-3b4c5d6e7f8a")
    );
    assert_eq!(o.http_status, Some(400));
    assert_eq!(o.resource_ids, ["vol-0a1b2c3d4e5f60718"]);
}

#[test]
fn xml_inside_escaped_json_and_python_bytes() {
    let r = scan(&fixture("positive/xml_escaped_json.txt"));
    assert_eq!(codes(&r), ["AuthFailure", "Blocked"]);
    assert_eq!(
        r.found[0].occurrences[0].request_id.as_deref(),
        Some("6e7f8a9b-0c1d-4e2f-9a3b-4c5d6e7f8a9b")
    );
    assert_eq!(
        r.found[0].occurrences[0].message.as_deref(),
        Some("AWS was not able to validate the provided access credentials")
    );
    assert_eq!(
        r.found[1].occurrences[0].message.as_deref(),
        Some("The account is blocked.")
    );
}

#[test]
fn javascript_sdk_v2_and_v3() {
    let r = scan(&fixture("positive/js_sdk.txt"));
    assert_eq!(
        codes(&r),
        ["RequestLimitExceeded", "InvalidParameterCombination"]
    );
    let o = &r.found[0].occurrences[0];
    assert_eq!(
        o.request_id.as_deref(),
        Some("8a9b0c1d-2e3f-4a4b-9c5d-6e7f8a9b0c1d")
    );
    let v3 = &r.found[1];
    assert_eq!(v3.occurrences[0].line, 9);
}

#[test]
fn ruby_rust_python_ansible_cloudtrail_karpenter_packer() {
    let r = scan(&fixture("positive/misc_sdks.txt"));
    assert_eq!(
        codes(&r),
        [
            "InvalidInstanceID.NotFound",
            "InvalidVpcID.NotFound",
            "IncorrectInstanceState",
            "InvalidGroup.Duplicate",
            "UnauthorizedOperation",
            "InsufficientInstanceCapacity",
            "InvalidKeyPair.NotFound",
        ]
    );
    assert_eq!(
        get(&r, "InvalidVpcID.NotFound").occurrences[0]
            .request_id
            .as_deref(),
        Some("0c1d2e3f-4a5b-4c6d-9e7f-8a9b0c1d2e3f")
    );
    assert_eq!(
        get(&r, "UnauthorizedOperation").occurrences[0]
            .operation
            .as_deref(),
        Some("TerminateInstances")
    );
    assert_eq!(
        get(&r, "IncorrectInstanceState").occurrences[0].http_status,
        Some(400)
    );
    assert_eq!(
        get(&r, "InvalidInstanceID.NotFound").occurrences[0].resource_ids,
        ["i-0a1b2c3d4e5f60718"]
    );
}

#[test]
fn ansi_colour_around_the_code() {
    let r = scan(&fixture("positive/ansi.txt"));
    assert_eq!(codes(&r), ["InvalidAMIID.Malformed"]);
    assert_eq!(r.found[0].occurrences[0].http_status, Some(400));
}

#[test]
fn negative_fixtures_yield_nothing() {
    for name in [
        "python_traceback.txt",
        "terraform_syntax.txt",
        "network.txt",
        "prose.txt",
    ] {
        let r = scan(&fixture(&format!("negative/{name}")));
        assert!(r.found.is_empty(), "{name}: {:?}", codes(&r));
    }
}

#[test]
fn repeated_codes_are_grouped_with_every_line() {
    let text = "x An error occurred (AuthFailure) when calling the DescribeRegions operation: no\n\nAuthFailure again\nAuthFailure AuthFailure\n";
    let r = scan(text);
    assert_eq!(r.found.len(), 1);
    assert_eq!(r.found[0].count, 3, "one occurrence per line");
    let lines: Vec<u64> = r.found[0].occurrences.iter().map(|o| o.line).collect();
    assert_eq!(lines, [1, 3, 4]);
}

#[test]
fn unknown_codes_in_strong_frames_only() {
    let r = scan(
        "An error occurred (SomethingNewInEc2.NotFound) when calling the DescribeWidgets operation: gone\n",
    );
    assert_eq!(codes(&r), ["SomethingNewInEc2.NotFound"]);
    assert!(!r.found[0].known);
    assert!(
        scan("{\"code\": \"SomethingNewInEc2.NotFound\"}")
            .found
            .is_empty()
    );
}

#[test]
fn client_and_server_prefixes_map_to_catalog_codes() {
    let r = scan("errorCode=Client.RequestLimitExceeded and Server.InsufficientInstanceCapacity\n");
    assert_eq!(
        codes(&r),
        ["RequestLimitExceeded", "InsufficientInstanceCapacity"]
    );
}

#[test]
fn chunk_boundaries_do_not_lose_or_duplicate_codes() {
    let text = fixture("positive/terraform.txt").repeat(3000);
    let whole = scan(&text);
    let ex = Extractor::new(&Catalog::builtin());
    for chunk in [1usize, 7, 4096, 65_537] {
        let mut s = Scanner::new(&ex);
        for part in text.as_bytes().chunks(chunk) {
            s.feed(part);
        }
        let r = s.finish();
        assert_eq!(codes(&r), codes(&whole), "chunk {chunk}");
        for (a, b) in r.found.iter().zip(&whole.found) {
            assert_eq!(a.count, b.count, "chunk {chunk} {}", a.code);
            assert_eq!(a.occurrences, b.occurrences, "chunk {chunk} {}", a.code);
        }
    }
    assert_eq!(whole.found[0].count, 3000);
}

#[test]
fn a_very_long_line_is_scanned_in_bounded_pieces() {
    let mut text = "a".repeat(5 << 20);
    text.push_str(
        " An error occurred (AuthFailure) when calling the DescribeRegions operation: x ",
    );
    text.push_str(&"b".repeat(3 << 20));
    text.push_str(" VolumeInUse");
    let ex = Extractor::new(&Catalog::builtin());
    let mut s = Scanner::new(&ex);
    for part in text.as_bytes().chunks(64 * 1024) {
        s.feed(part);
        assert!(
            s.buffered() <= 2 << 20,
            "buffer stays bounded: {}",
            s.buffered()
        );
    }
    let r = s.finish();
    assert_eq!(codes(&r), ["AuthFailure", "VolumeInUse"]);
    assert_eq!(
        r.found[0].occurrences[0].operation.as_deref(),
        Some("DescribeRegions")
    );
}

#[test]
fn invalid_utf8_and_nul_bytes_are_handled_and_messages_are_clean() {
    let mut bytes = b"\xff\xfe\x00An error occurred (AuthFailure) when calling the X operation: bad \x1b[2J\x07key\x00\n".to_vec();
    bytes.extend_from_slice(b"\xc3\x28 VolumeInUse \xa0\n");
    let ex = Extractor::new(&Catalog::builtin());
    let mut s = Scanner::new(&ex);
    s.feed(&bytes);
    let r = s.finish();
    assert_eq!(codes(&r), ["AuthFailure", "VolumeInUse"]);
    let msg = r.found[0].occurrences[0]
        .message
        .as_deref()
        .expect("message");
    assert!(!msg.chars().any(char::is_control), "{msg:?}");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn any_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..4096), split in 0usize..4096) {
        let mut s = Scanner::new(extractor());
        let split = split.min(bytes.len());
        s.feed(&bytes[..split]);
        s.feed(&bytes[split..]);
        let _ = s.finish();
    }

    #[test]
    fn frames_with_arbitrary_surroundings_never_panic(
        pre in "[ -~\\n\\t│\\x1b]{0,64}",
        code in "[A-Za-z.]{0,40}",
        post in "[ -~\\n\\t│\\x1b]{0,64}",
        frame in 0usize..8,
    ) {
        let framed = match frame {
            0 => format!("An error occurred ({code}) when calling the X operation: {post}"),
            1 => format!("{code}: {post}\n\tstatus code: 400, request id: {post}"),
            2 => format!("<Code>{code}</Code><Message>{post}"),
            3 => format!("api error {code}: {post}"),
            4 => format!("Error Code: {code}; Request ID: {post}"),
            5 => format!("\"errorCode\": \"Client.{code}\""),
            6 => format!("Errors::{code}: {post}"),
            _ => format!("name: '{code}' $metadata {post}"),
        };
        let text = format!("{pre}{framed}{post}");
        let _ = scan(&text);
    }
}

/// Shapes met in real pasted errors that the first version missed or misread (rewritten with
/// synthetic ids): boto 2's glued `CodeMessage`, a status line above XML, a request id wrapped
/// by the terminal, aws-sdk-go's debug `ec2/Operation`, a Java frame of another service, and a
/// Go v1 message holding `Key: 'value'` pairs.
#[test]
fn legacy_wrapped_and_foreign_frames() {
    let r = scan(&fixture("positive/legacy_and_wrapped.txt"));
    assert_eq!(
        codes(&r),
        [
            "RequestLimitExceeded",
            "VPCResourceNotSpecified",
            "OptInRequired",
            "UnauthorizedOperation",
            "ValidationError",
            "ConfigurationValidationException"
        ]
    );
    assert_eq!(
        get(&r, "VPCResourceNotSpecified").occurrences[0].http_status,
        Some(400)
    );
    assert_eq!(
        get(&r, "OptInRequired").occurrences[0]
            .request_id
            .as_deref(),
        Some("2c3d4e5f-6a7b-4c8d-9e0f-1a2b3c4d5e6f")
    );
    assert_eq!(
        get(&r, "UnauthorizedOperation").occurrences[0]
            .operation
            .as_deref(),
        Some("DescribeInstanceCreditSpecifications")
    );
    assert_eq!(
        get(&r, "ValidationError").service.as_deref(),
        Some("autoscaling"),
        "Auto Scaling's ValidationError is not EC2's"
    );
    assert_eq!(
        get(&r, "UnauthorizedOperation").service.as_deref(),
        Some("ec2")
    );
    assert!(
        r.found
            .iter()
            .all(|f| f.code != "OptionName" && f.code != "Namespace")
    );
}

#[test]
fn glued_messages_do_not_open_the_door_to_longer_identifiers() {
    assert!(scan("InvalidParameterValueException: bad").found.is_empty());
    assert!(
        scan("see RequestLimitExceededError handling")
            .found
            .is_empty()
    );
    assert_eq!(
        codes(&scan(
            "was: AuthFailureThe credentials could not be validated"
        )),
        ["AuthFailure"]
    );
}

#[test]
fn distinct_codes_are_capped_and_the_rest_counted() {
    let text: String = (0..errex::extract::MAX_CODES + 5)
        .map(|i| {
            format!("An error occurred (MadeUpCode{i}Failure) when calling the X operation: no\n")
        })
        .collect();
    let r = scan(&text);
    assert_eq!(r.found.len(), errex::extract::MAX_CODES);
    assert_eq!(r.dropped_codes, 5);
}

#[test]
fn a_shared_codes_message_can_name_its_service() {
    // InvalidRequestException is in dozens of services; only one of them says a secret was
    // marked for deletion.
    let deleted = r#"{"__type":"InvalidRequestException","message":"You can't perform this operation on the secret because it was marked for deletion."}"#;
    let other = r#"{"__type":"InvalidRequestException","message":"The request is not valid for this job queue."}"#;
    let r = scan(&format!("{deleted}\n"));
    let f = get(&r, "InvalidRequestException");
    assert_eq!(f.service.as_deref(), Some("secretsmanager"), "{f:?}");
    assert!(f.candidates.is_empty(), "{f:?}");
    // A message no entry knows leaves the service open; the decision is not carried over to
    // the next sighting of the same code.
    let r = scan(&format!("{deleted}\n{other}\n{deleted}\n"));
    let services: Vec<(Option<&str>, u64)> = r
        .found
        .iter()
        .map(|f| (f.service.as_deref(), f.count))
        .collect();
    assert_eq!(services, [(Some("secretsmanager"), 2), (None, 1)], "{r:?}");
    assert!(r.found[1].candidate_count > 8);
}

#[test]
fn a_code_docdb_and_neptune_share_with_rds_is_rds_unless_the_text_says_otherwise() {
    // The DocumentDB and Neptune models are parts of the RDS API (one endpoint, version and
    // namespace): what the CLI printed for `aws rds create-db-instance` is RDS's.
    let printed = "An error occurred (InvalidDBClusterStateFault) when calling the CreateDBInstance operation: Set the Serverless v2 scaling configuration on the parent DB cluster before creating a Serverless v2 DB instance.\n";
    let r = scan(printed);
    let f = get(&r, "InvalidDBClusterStateFault");
    assert_eq!(f.service.as_deref(), Some("rds"), "{f:?}");
    assert!(f.candidates.is_empty(), "{f:?}");
    let r = scan(&format!(
        "$ aws neptune create-db-instance --db-instance-identifier n1\n{printed}"
    ));
    let f = get(&r, "InvalidDBClusterStateFault");
    assert_eq!(f.service.as_deref(), Some("neptune"), "{f:?}");
}

#[test]
fn an_elasticloadbalancing_action_is_the_load_balancer_api_its_resource_belongs_to() {
    // The AWS Load Balancer Controller's log (a Go SDK v1 error inside JSON): the target
    // group is the current API's; a Classic Load Balancer is `loadbalancer/name`; with no
    // resource, the current API.
    let cases = [
        (
            r#"{"level":"error","msg":"Reconciler error","error":"AccessDenied: User: arn:aws:sts::111122223333:assumed-role/alb-controller/1234 is not authorized to perform: elasticloadbalancing:AddTags on resource: arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/k8s-default-web/abc because no identity-based policy allows the elasticloadbalancing:AddTags action\n\tstatus code: 403, request id: 7f8e9d0c"}"#,
            "elbv2",
        ),
        (
            "AccessDenied: User: arn:aws:sts::111122223333:assumed-role/ops/1 is not authorized to perform: elasticloadbalancing:ConfigureHealthCheck on resource: arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/legacy-web",
            "elb",
        ),
        (
            "AccessDenied: User: arn:aws:sts::111122223333:assumed-role/ops/1 is not authorized to perform: elasticloadbalancing:DescribeLoadBalancers",
            "elbv2",
        ),
    ];
    for (text, service) in cases {
        let r = scan(&format!("{text}\n"));
        let f = get(&r, "AccessDenied");
        assert_eq!(f.service.as_deref(), Some(service), "{text}: {f:?}");
    }
}
