//! One fixture per error shape the issue "Explain real logs" names, each written by the team in
//! the producer's own format, with synthetic ids. Cognitect aws-api's anomaly maps
//! (`parse-http-error-response`, `xml->map`), aws-sdk-ruby v1's error classes
//! (`LazyErrorClasses#error_class`) and log line (`LogFormatter.default`), and aws-sdk-js v2's
//! error objects (`util.error`, `services/ec2.js`, `services/s3.js`) were checked against their
//! source; Node's printing of errors, Java SDK v2's `(Service: ..., Status Code: ..., Request
//! ID: ...)`, Karpenter's joined fleet errors, CloudFormation's handler messages, CloudTrail
//! records and Terraform's diagnostics follow their documented, widely pasted output. Each test
//! asserts what the text shows: the code, its service, operation, request id, status,
//! resources, Terraform's address and line, and whether the code was inferred or is a
//! CloudFormation handler's classification.
//!
//! Tests that fail because the program is wrong are kept, marked `#[ignore = "fails: ..."]`
//! with the reason, and un-ignored when it is fixed.

use common::{codes, fixture, get, scan};
use errex::extract::{Occurrence, Report};

mod common;

/// The first sighting of `code`.
fn first<'a>(r: &'a Report, code: &str) -> &'a Occurrence {
    get(r, code)
        .occurrences
        .first()
        .unwrap_or_else(|| panic!("{code} has no sighting kept"))
}

/// The service of `code`'s finding, as a `&str`.
fn service<'a>(r: &'a Report, code: &str) -> Option<&'a str> {
    get(r, code).service.as_deref()
}

/// Every finding's code, service and first line: the shape of a report at a glance.
fn summary(r: &Report) -> Vec<(&str, Option<&str>, u64)> {
    r.found
        .iter()
        .map(|f| {
            (
                f.code.as_str(),
                f.service.as_deref(),
                f.occurrences.first().map_or(0, |o| o.line),
            )
        })
        .collect()
}

// 1. Cognitect aws-api (Clojure): the anomaly map, printed with `prn` (one line) and with
//    `pprint` (one key per line), for the ec2, rest-xml and json protocols.

#[test]
fn clojure_anomaly_maps_codes_services_and_request_ids() {
    let r = scan(&fixture("positive/clojure_aws_api.txt"));
    assert_eq!(
        codes(&r),
        [
            "InvalidVpcID.NotFound",
            "NoSuchKey",
            "ConditionalCheckFailedException"
        ]
    );
    let vpc = first(&r, "InvalidVpcID.NotFound");
    assert_eq!(service(&r, "InvalidVpcID.NotFound"), Some("ec2"));
    assert_eq!(vpc.line, 1);
    assert_eq!(
        vpc.request_id.as_deref(),
        Some("5f4e3d2c-1b0a-4987-9654-3210fedcba98")
    );
    assert_eq!(vpc.resource_ids, ["vpc-0a1b2c3d4e5f60718"]);
    let key = first(&r, "NoSuchKey");
    assert_eq!(service(&r, "NoSuchKey"), Some("s3"));
    assert_eq!(
        (key.line, key.request_id.as_deref()),
        (5, Some("8QXZ4M1N7P2R5T9V"))
    );
    assert_eq!(first(&r, "ConditionalCheckFailedException").line, 15);
}

#[test]
fn clojure_pretty_printed_map_is_one_sighting() {
    let r = scan(&fixture("positive/clojure_aws_api.txt"));
    let key = get(&r, "NoSuchKey");
    let lines: Vec<u64> = key.occurrences.iter().map(|o| o.line).collect();
    assert_eq!((key.count, lines), (1, vec![5]));
    assert!(r.found.iter().all(|f| f.count == 1), "{:?}", summary(&r));
}

#[test]
fn clojure_json_protocol_type_names_dynamodb() {
    let r = scan(&fixture("positive/clojure_aws_api.txt"));
    assert_eq!(
        service(&r, "ConditionalCheckFailedException"),
        Some("dynamodb")
    );
}

#[test]
fn clojure_anomaly_map_status_and_message() {
    let r = scan(&fixture("positive/clojure_aws_api.txt"));
    let seen = |code: &str| {
        let o = first(&r, code);
        (o.http_status, o.message.clone())
    };
    assert_eq!(
        seen("InvalidVpcID.NotFound"),
        (
            Some(400),
            Some("The vpc ID 'vpc-0a1b2c3d4e5f60718' does not exist".to_owned())
        )
    );
    assert_eq!(
        seen("NoSuchKey"),
        (
            Some(404),
            Some("The specified key does not exist.".to_owned())
        )
    );
    assert_eq!(
        seen("ConditionalCheckFailedException"),
        (Some(400), Some("The conditional request failed".to_owned()))
    );
}

// 2. Ruby SDK v1: `AWS::EC2::Errors::InvalidInstanceID::NotFound`, in the SDK's default log
//    line, as an uncaught exception (`message (Class)`) and as `Class: message`.

#[test]
fn ruby_v1_namespaced_classes_read_as_dotted_codes() {
    let r = scan(&fixture("positive/ruby_v1.txt"));
    for (code, line) in [
        ("InvalidInstanceID.NotFound", 1),
        ("InvalidGroup.NotFound", 3),
        ("InvalidAMIID.Malformed", 9),
    ] {
        assert_eq!(first(&r, code).line, line, "{code}");
        assert_eq!(service(&r, code), Some("ec2"), "{code}");
    }
    assert_eq!(
        first(&r, "InvalidInstanceID.NotFound").resource_ids,
        ["i-0a1b2c3d4e5f60718"]
    );
    assert_eq!(
        first(&r, "InvalidGroup.NotFound").resource_ids,
        ["sg-0a1b2c3d", "vpc-0a1b2c3d"]
    );
}

#[test]
fn ruby_v1_class_prefix_is_not_a_second_code() {
    let r = scan(&fixture("positive/ruby_v1.txt"));
    assert_eq!(
        codes(&r),
        [
            "InvalidInstanceID.NotFound",
            "InvalidGroup.NotFound",
            "InvalidAMIID.Malformed"
        ]
    );
}

#[test]
fn ruby_v1_log_status_and_class_message() {
    let r = scan(&fixture("positive/ruby_v1.txt"));
    assert_eq!(
        first(&r, "InvalidInstanceID.NotFound").http_status,
        Some(400)
    );
    assert_eq!(
        first(&r, "InvalidAMIID.Malformed").message.as_deref(),
        Some("Invalid id: \"ami-12345\" (expecting \"ami-...\")")
    );
}

// 3. JavaScript SDK v2 error objects as Node prints them: Node 4 (`{ [Code: message]`),
//    Node 6-10 (`{ Code: message` + stack + fields) and Node 12+ (`Code: message` + stack +
//    `{ fields }`).

#[test]
fn js_v2_error_objects_of_three_node_generations() {
    let r = scan(&fixture("positive/js_v2_node.txt"));
    assert_eq!(
        codes(&r),
        [
            "UnrecognizedClientException",
            "InvalidParameterValue",
            "NoSuchBucket"
        ]
    );
    let uce = first(&r, "UnrecognizedClientException");
    assert_eq!(
        uce.request_id.as_deref(),
        Some("Q8VJ1K2L3M4N5O6P7Q8R9S0T1U2V3W4X5Y6Z7A8B9C0D1E2F3G4H")
    );
    assert_eq!(uce.http_status, Some(400));
    let ipv = first(&r, "InvalidParameterValue");
    assert_eq!(service(&r, "InvalidParameterValue"), Some("ec2"));
    assert_eq!(ipv.line, 10);
    assert_eq!(
        ipv.message.as_deref(),
        Some("Value (t2.nanoo) for parameter instanceType is invalid.")
    );
    let nsb = first(&r, "NoSuchBucket");
    assert_eq!(service(&r, "NoSuchBucket"), Some("s3"));
    assert_eq!(nsb.line, 29);
    assert_eq!(
        nsb.message.as_deref(),
        Some("The specified bucket does not exist")
    );
}

#[test]
fn js_v2_request_id_and_status_from_the_fields_after_the_stack() {
    let r = scan(&fixture("positive/js_v2_node.txt"));
    let ipv = first(&r, "InvalidParameterValue");
    assert_eq!(
        (ipv.request_id.as_deref(), ipv.http_status),
        (Some("3e1f5c7a-9b2d-4f6e-8a0c-1d3e5f7a9b2c"), Some(400))
    );
    let nsb = first(&r, "NoSuchBucket");
    assert_eq!(
        (nsb.request_id.as_deref(), nsb.http_status),
        (Some("H7N2K9QX4VZ3B1M8"), Some(404))
    );
}

#[test]
fn js_v2_node4_bracketed_name_starts_the_error() {
    let r = scan(&fixture("positive/js_v2_node.txt"));
    let uce = first(&r, "UnrecognizedClientException");
    assert_eq!(uce.line, 1);
    assert_eq!(
        uce.message.as_deref(),
        Some("The security token included in the request is invalid.")
    );
}

// 4. Go SDK v1 inside a Kubernetes controller's status, in a two-sided box whose pane width cut
//    the code mid-word (`UnauthorizedOper│` / `│ation: ...`).

#[test]
fn go_v1_code_cut_mid_word_inside_a_two_sided_box() {
    let r = scan(&fixture("positive/go_v1_k8s_box.txt"));
    assert_eq!(codes(&r), ["UnauthorizedOperation"]);
    let o = first(&r, "UnauthorizedOperation");
    assert_eq!(
        (o.http_status, o.request_id.as_deref()),
        (Some(403), Some("1f2e3d4c-5b6a-4798-8a7b-6c5d4e3f2a1b"))
    );
    assert_eq!(
        o.message.as_deref(),
        Some("You are not authorized to perform this operation.")
    );
}

#[test]
fn go_v1_code_cut_inside_a_box_is_on_the_line_where_it_starts() {
    let r = scan(&fixture("positive/go_v1_k8s_box.txt"));
    assert_eq!(first(&r, "UnauthorizedOperation").line, 10);
}

// 5. A bare JSON `ErrorCode` field: EC2 Fleet's `create-fleet` errors.

#[test]
fn ec2_fleet_error_code_field() {
    let r = scan(&fixture("positive/ec2_fleet_json.txt"));
    assert_eq!(summary(&r), [("UnfulfillableCapacity", Some("ec2"), 17)]);
}

#[test]
fn ec2_fleet_error_message_and_launch_template() {
    let r = scan(&fixture("positive/ec2_fleet_json.txt"));
    let o = first(&r, "UnfulfillableCapacity");
    assert_eq!(
        o.message.as_deref(),
        Some(
            "Unable to fulfill capacity due to your request configuration. Please adjust your request and try again."
        )
    );
    assert!(
        o.resource_ids.iter().any(|id| id == "lt-0e8c754449b27161c"),
        "{:?}",
        o.resource_ids
    );
}

// 6. Several codes on one line: Karpenter's joined fleet errors (`Code: message; Code: message`),
//    in its JSON log and its older console log.

#[test]
fn every_code_of_a_joined_error_line_is_reported() {
    let r = scan(&fixture("positive/several_codes_one_line.txt"));
    assert_eq!(
        codes(&r),
        ["InsufficientInstanceCapacity", "UnfulfillableCapacity"]
    );
    for code in ["InsufficientInstanceCapacity", "UnfulfillableCapacity"] {
        let f = get(&r, code);
        let lines: Vec<u64> = f.occurrences.iter().map(|o| o.line).collect();
        assert_eq!((f.service.as_deref(), lines), (Some("ec2"), vec![1, 3]));
    }
    let ice = first(&r, "InsufficientInstanceCapacity");
    assert!(
        ice.message
            .as_deref()
            .is_some_and(|m| !m.contains("UnfulfillableCapacity")),
        "the first code's message stops where the next error starts: {:?}",
        ice.message
    );
    assert_eq!(
        first(&r, "UnfulfillableCapacity").message.as_deref(),
        Some(
            "Unable to fulfill capacity due to your request configuration. Please adjust your request and try again."
        )
    );
}

// 7. Codes a log pipeline lower-cased, inside real frames (Go v1, the CLI, Go v2).

#[test]
fn lower_cased_codes_get_the_catalog_spelling() {
    let r = scan(&fixture("positive/lowercased.txt"));
    assert_eq!(
        codes(&r),
        [
            "InvalidParameterValue",
            "InvalidInstanceID.NotFound",
            "AccessDenied"
        ]
    );
    let ipv = first(&r, "InvalidParameterValue");
    assert_eq!(
        (ipv.line, ipv.http_status, ipv.request_id.as_deref()),
        (1, Some(400), Some("6f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0"))
    );
    assert_eq!(service(&r, "InvalidInstanceID.NotFound"), Some("ec2"));
    assert_eq!(
        first(&r, "InvalidInstanceID.NotFound").resource_ids,
        ["i-0a1b2c3d4e5f60718"]
    );
    assert_eq!(service(&r, "AccessDenied"), Some("sts"));
    assert_eq!(
        first(&r, "AccessDenied").request_id.as_deref(),
        Some("0a1b2c3d-1111-4222-8333-444455556666")
    );
}

#[test]
fn lower_cased_status_is_read() {
    let r = scan(&fixture("positive/lowercased.txt"));
    assert_eq!(first(&r, "AccessDenied").http_status, Some(403));
}

// 8. An `Exception` suffix the wire code lacks (Java v2 `NoSuchEntityException` for IAM's
//    `NoSuchEntity`), beside a code whose wire name has the suffix (DynamoDB's
//    `ResourceNotFoundException`).

#[test]
fn java_v2_exception_class_without_the_wire_suffix() {
    let r = scan(&fixture("positive/java_v2_exception_suffix.txt"));
    assert_eq!(
        summary(&r),
        [
            ("NoSuchEntity", Some("iam"), 1),
            ("ResourceNotFoundException", Some("dynamodb"), 11)
        ]
    );
    let iam = first(&r, "NoSuchEntity");
    assert_eq!(
        (iam.http_status, iam.request_id.as_deref()),
        (Some(404), Some("5e2f8a1b-3c4d-4e6f-9a0b-1c2d3e4f5a6b"))
    );
    assert_eq!(
        iam.message.as_deref(),
        Some("The role with name deploy-role cannot be found.")
    );
    let ddb = first(&r, "ResourceNotFoundException");
    assert_eq!(
        (ddb.http_status, ddb.request_id.as_deref()),
        (
            Some(400),
            Some("8QJ4R7S2T9U1V3W5X7Y9Z1A3B5C7D9E1F3G5H7J9K1L3M5N7P9Q1")
        )
    );
    assert!(r.found.iter().all(|f| !f.inferred && f.known));
}

// 9. Java v2 errors that print no code (`Ec2Exception: message (Service: Ec2, ...)`): the code
//    comes from the catalog's message patterns, marked inferred, with the pattern as evidence.

#[test]
fn java_v2_codeless_errors_are_inferred_from_the_message() {
    let r = scan(&fixture("positive/java_v2_codeless.txt"));
    assert_eq!(
        summary(&r),
        [
            ("InvalidInstanceID.NotFound", Some("ec2"), 1),
            ("InvalidVolume.NotFound", Some("ec2"), 5)
        ]
    );
    assert!(r.found.iter().all(|f| f.inferred && !f.handler));
    let inst = first(&r, "InvalidInstanceID.NotFound");
    assert_eq!(
        inst.evidence.as_deref(),
        Some("The instance ID '*' does not exist")
    );
    assert_eq!(
        (inst.http_status, inst.request_id.as_deref()),
        (Some(400), Some("7b3d9f1e-2a4c-4e6b-8d0f-1a3c5e7b9d2f"))
    );
    assert_eq!(inst.resource_ids, ["i-0a1b2c3d4e5f60718"]);
    let vol = first(&r, "InvalidVolume.NotFound");
    assert_eq!(
        vol.evidence.as_deref(),
        Some("The volume '*' does not exist.")
    );
    assert_eq!(
        vol.request_id.as_deref(),
        Some("9c1e3a5b-7d9f-4b1d-8f3a-5c7e9b1d3f5a")
    );
    assert_eq!(vol.resource_ids, ["vol-0a1b2c3d4e5f60718"]);
}

// 10. CloudFormation resource handler text: the handler's classification, and the service's
//     own code when the message names one.

#[test]
fn cloudformation_handler_classification_and_the_service_code_inside() {
    let r = scan(&fixture("positive/cfn_handler.txt"));
    assert_eq!(
        summary(&r),
        [
            ("InvalidGroup.NotFound", Some("ec2"), 2),
            ("NotFound", Some("cloudformation-handler"), 2),
            ("AlreadyExists", Some("cloudformation-handler"), 3)
        ]
    );
    let handled: Vec<(&str, bool)> = r
        .found
        .iter()
        .map(|f| (f.code.as_str(), f.handler))
        .collect();
    assert_eq!(
        handled,
        [
            ("InvalidGroup.NotFound", false),
            ("NotFound", true),
            ("AlreadyExists", true)
        ]
    );
    let ec2 = first(&r, "InvalidGroup.NotFound");
    assert_eq!(
        (ec2.http_status, ec2.request_id.as_deref()),
        (Some(400), Some("2f4e6a8c-0b1d-4f3e-9a5c-7d9e1f3a5b7c"))
    );
    assert_eq!(ec2.resource_ids, ["sg-0a1b2c3d4e5f60718"]);
    assert!(
        first(&r, "NotFound").message.as_deref().is_some_and(
            |m| m.starts_with("The security group 'sg-0a1b2c3d4e5f60718' does not exist")
        ),
        "{:?}",
        first(&r, "NotFound").message
    );
    assert_eq!(
        first(&r, "AlreadyExists").message.as_deref(),
        Some("app-artifacts-prod already exists")
    );
}

// 11. CloudTrail records: pretty-printed, compact, and escaped inside `lookup-events` output.

#[test]
fn cloudtrail_records_attach_service_and_operation() {
    let r = scan(&fixture("positive/cloudtrail.txt"));
    assert_eq!(
        summary(&r),
        [
            ("AccessDenied", Some("s3"), 15),
            ("EntityAlreadyExists", Some("iam"), 29),
            ("UnauthorizedOperation", Some("ec2"), 41)
        ]
    );
    let s3 = first(&r, "AccessDenied");
    assert_eq!(
        (s3.operation.as_deref(), s3.request_id.as_deref()),
        (Some("PutObject"), Some("J7K2M4N6P8Q0R2S4"))
    );
    let iam = first(&r, "EntityAlreadyExists");
    assert_eq!(
        (iam.operation.as_deref(), iam.request_id.as_deref()),
        (
            Some("CreateRole"),
            Some("4c6e8a0b-2d4f-4a6b-9c8d-0e2f4a6b8c0d")
        )
    );
    assert_eq!(
        first(&r, "UnauthorizedOperation").request_id.as_deref(),
        Some("7f9b1d3e-5a7c-4e9b-8d1f-3a5c7e9b1d3f")
    );
}

#[test]
fn cloudtrail_event_escaped_inside_lookup_events_output() {
    let r = scan(&fixture("positive/cloudtrail.txt"));
    assert_eq!(
        first(&r, "UnauthorizedOperation").operation.as_deref(),
        Some("RunInstances")
    );
}

#[test]
fn cloudtrail_error_message_and_bucket() {
    let r = scan(&fixture("positive/cloudtrail.txt"));
    let s3 = first(&r, "AccessDenied");
    assert_eq!(s3.message.as_deref(), Some("Access Denied"));
    assert!(
        s3.resource_ids.iter().any(|id| id == "app-artifacts-prod"),
        "{:?}",
        s3.resource_ids
    );
    assert_eq!(
        first(&r, "EntityAlreadyExists").message.as_deref(),
        Some("Role with name deploy-role already exists.")
    );
}

// 12. AWS CLI v2: the `aws: [ERROR]:` prefix and the retries note before the message.

#[test]
fn aws_cli_v2_error_prefix_and_retries_note() {
    let r = scan(&fixture("positive/awscli_v2_retries.txt"));
    assert_eq!(
        codes(&r),
        ["AccessDenied", "Throttling", "ResourceNotFoundException"]
    );
    let s3 = first(&r, "AccessDenied");
    assert_eq!(service(&r, "AccessDenied"), Some("s3"));
    assert_eq!(
        (s3.line, s3.operation.as_deref(), s3.message.as_deref()),
        (2, Some("PutObject"), Some("Access Denied"))
    );
    let throttled = get(&r, "Throttling");
    assert!(
        throttled.service.as_deref() == Some("cloudformation")
            || throttled.candidates.iter().any(|c| c == "cloudformation"),
        "DescribeStacks is CloudFormation's: {:?} {:?}",
        throttled.service,
        throttled.candidates
    );
    let o = first(&r, "Throttling");
    assert_eq!(
        (o.line, o.operation.as_deref(), o.message.as_deref()),
        (5, Some("DescribeStacks"), Some("Rate exceeded"))
    );
    let fun = first(&r, "ResourceNotFoundException");
    assert_eq!(service(&r, "ResourceNotFoundException"), Some("lambda"));
    assert_eq!(fun.operation.as_deref(), Some("Invoke"));
    assert_eq!(
        fun.resource_ids,
        ["arn:aws:lambda:us-east-1:123456789012:function:thumbnailer"]
    );
}

// 13. Terraform (AWS provider v5, Go SDK v2): `reading S3 Bucket (name)`, `creating EC2
//     Instance`, the provider's `Cannot assume IAM Role` with the STS error in the detail; each
//     diagnostic with its `with ADDRESS,` and `on FILE line N` lines.

#[test]
fn terraform_go_v2_errors_with_operation_status_and_request_id() {
    let r = scan(&fixture("positive/terraform_v5.txt"));
    assert_eq!(
        summary(&r),
        [
            ("403", Some("s3"), 5),
            ("InvalidParameterCombination", Some("ec2"), 13),
            ("AccessDenied", Some("sts"), 34)
        ]
    );
    let seen = |code: &str| {
        let o = first(&r, code);
        (
            o.operation.as_deref(),
            o.http_status,
            o.request_id.as_deref(),
        )
    };
    assert_eq!(
        seen("403"),
        (Some("HeadBucket"), Some(403), Some("7YHKJ2M1Q3W4E5R6"))
    );
    assert_eq!(
        seen("InvalidParameterCombination"),
        (
            Some("RunInstances"),
            Some(400),
            Some("3d5f7b9c-1e3a-4c5e-9a7b-9d1f3b5c7e9a")
        )
    );
    assert_eq!(
        seen("AccessDenied"),
        (
            Some("AssumeRole"),
            Some(403),
            Some("2a9c4e6f-8b0d-4f2a-9c4e-6f8b0d2f4a6c")
        )
    );
    assert_eq!(
        first(&r, "AccessDenied").resource_ids,
        [
            "arn:aws:iam::123456789012:user/ci",
            "arn:aws:iam::123456789012:role/deploy"
        ]
    );
    // The Go SDK v2's `Forbidden` is its name for S3's bodiless 403 (botocore's `403`).
    assert!(get(&r, "403").known);
}

#[test]
fn terraform_resource_address_and_file_line() {
    let r = scan(&fixture("positive/terraform_v5.txt"));
    let place = |code: &str| {
        let o = first(&r, code);
        (o.terraform_address.clone(), o.source_location.clone())
    };
    assert_eq!(
        place("403"),
        (
            Some("aws_s3_bucket.artifacts".to_owned()),
            Some("storage.tf line 3".to_owned())
        )
    );
    assert_eq!(
        place("InvalidParameterCombination"),
        (
            Some("aws_instance.web[0]".to_owned()),
            Some("main.tf line 12".to_owned())
        )
    );
    // The provider's diagnostic puts `with provider[...]` and its line above the detail that
    // holds the API error.
    assert_eq!(
        place("AccessDenied").1.as_deref(),
        Some("providers.tf line 9")
    );
}

#[test]
fn terraform_reading_s3_bucket_names_the_bucket() {
    let r = scan(&fixture("positive/terraform_v5.txt"));
    assert_eq!(first(&r, "403").resource_ids, ["app-artifacts-prod"]);
}

// 14. Request ids and statuses after the message or on the next lines, and resources beyond
//     EC2's ids.

#[test]
fn request_ids_and_statuses_after_the_message_or_below_it() {
    let r = scan(&fixture("positive/trailing_context.txt"));
    assert_eq!(
        summary(&r),
        [
            ("ResourceNotFoundException", Some("dynamodb"), 1),
            ("NoSuchBucket", Some("s3"), 3),
            ("ResourceNotFoundException", Some("lambda"), 6),
            ("AccessDenied", Some("iam"), 9),
            ("ConditionalCheckFailedException", Some("dynamodb"), 11)
        ]
    );
    let seen: Vec<(Option<&str>, Option<u16>)> = r
        .found
        .iter()
        .map(|f| {
            let o = &f.occurrences[0];
            (o.request_id.as_deref(), o.http_status)
        })
        .collect();
    assert_eq!(
        seen,
        [
            (
                Some("8QJ4R7S2T9U1V3W5X7Y9Z1A3B5C7D9E1F3G5H7J9K1L3M5N7P9Q1"),
                Some(400)
            ),
            (Some("4442587FB7D0A2F9"), Some(404)),
            (Some("6a8c0e2f-4b6d-4f8a-9c0e-2f4b6d8f0a2c"), Some(404)),
            (Some("1b3d5f7a-9c1e-4b3d-8f5a-7c9e1b3d5f7a"), Some(403)),
            (
                Some("V3W5X7Y9Z1A3B5C7D9E1F3G5H7J9K1L3M5N7P9Q1R3S5T7U9V1W3"),
                Some(400)
            )
        ]
    );
    let denied = get(&r, "AccessDenied");
    assert_eq!(
        denied.count, 1,
        "the `code` field and the message are one error"
    );
    assert_eq!(denied.occurrences[0].operation.as_deref(), Some("GetRole"));
    assert_eq!(
        first(&r, "ConditionalCheckFailedException")
            .operation
            .as_deref(),
        Some("PutItem")
    );
}

#[test]
fn arns_are_resources() {
    let r = scan(&fixture("positive/trailing_context.txt"));
    let lambda = r
        .found
        .iter()
        .find(|f| f.service.as_deref() == Some("lambda"))
        .expect("the Lambda error");
    assert_eq!(
        lambda.occurrences[0].resource_ids,
        ["arn:aws:lambda:us-east-1:123456789012:function:thumbnailer"]
    );
    assert_eq!(
        first(&r, "AccessDenied").resource_ids,
        ["arn:aws:sts::123456789012:assumed-role/ci-deploy/ansible"]
    );
}

#[test]
fn a_code_ending_in_bucket_does_not_label_a_bucket() {
    for name in ["trailing_context.txt", "js_v2_node.txt"] {
        let r = scan(&fixture(&format!("positive/{name}")));
        let ids = &first(&r, "NoSuchBucket").resource_ids;
        assert!(!ids.iter().any(|id| id == "The"), "{name}: {ids:?}");
    }
}

#[test]
fn bucket_and_table_names_are_resources() {
    let r = scan(&fixture("positive/trailing_context.txt"));
    assert_eq!(first(&r, "NoSuchBucket").resource_ids, ["app-logs-prod"]);
    let table = r
        .found
        .iter()
        .find(|f| f.service.as_deref() == Some("dynamodb"))
        .expect("the DynamoDB error");
    assert_eq!(table.occurrences[0].resource_ids, ["orders"]);
}

// 15. Where the operation, request id and status stand in other producers' text: the CLI's
//     `when calling the X operation` wrapped or cut short, botocore's status stand-in code, SSM
//     Automation's `Exception from X API`, a handler's `during operation 'X'`, an IAM action;
//     and the fields of a JSON record far from its code.

#[test]
fn operations_wrapped_cut_or_named_by_other_words() {
    let r = scan(&fixture("positive/wrapped_operations.txt"));
    let ops: Vec<(&str, Option<&str>, u64)> = r
        .found
        .iter()
        .map(|f| {
            let o = &f.occurrences[0];
            (f.code.as_str(), o.operation.as_deref(), o.line)
        })
        .collect();
    assert_eq!(
        ops,
        [
            (
                "InvalidReplicationGroupState",
                Some("DeleteReplicationGroup"),
                3
            ),
            ("ThrottlingException", Some("PutMetricData"), 8),
            ("KMSInvalidStateException", Some("ScheduleKeyDeletion"), 11),
            ("403", Some("HeadObject"), 13),
            ("InvalidParameterValue", Some("CreateVolume"), 15),
            ("GeneralServiceException", Some("PutParameter"), 17),
            // The IAM action names the permission; the call is CreateFunction.
            ("AccessDeniedException", Some("CreateFunction"), 19),
        ]
    );
}

#[test]
fn a_botocore_status_stand_in_is_the_http_status() {
    let r = scan(&fixture("positive/wrapped_operations.txt"));
    assert_eq!(first(&r, "403").http_status, Some(403));
    let ssm = first(&r, "InvalidParameterValue");
    assert_eq!(
        (ssm.http_status, ssm.request_id.as_deref()),
        (Some(400), Some("0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0"))
    );
}

#[test]
fn a_json_records_fields_belong_to_its_error() {
    let r = scan(&fixture("positive/json_records.txt"));
    assert_eq!(
        summary(&r),
        [
            (
                "ProvisionedThroughputExceededException",
                Some("dynamodb"),
                17
            ),
            ("QueueAlreadyExists", Some("sqs"), 47),
            ("AccessDeniedException", Some("ecs"), 69),
        ]
    );
    // CloudTrail: `requestID` 17 lines below `errorCode`, past nested request parameters.
    let trail = first(&r, "ProvisionedThroughputExceededException");
    assert_eq!(
        (trail.operation.as_deref(), trail.request_id.as_deref()),
        (
            Some("BatchWriteItem"),
            Some("R2D2C3POBB8EXAMPLE0REQUEST0ID0FOR0A0TEST0FIXTURE0AAJG")
        )
    );
    assert_eq!(
        trail.message.as_deref(),
        Some("The level of configured provisioned throughput for the table was exceeded.")
    );
    // botocore's response: the status is in `ResponseMetadata`, beside the `Error` object.
    let queue = first(&r, "QueueAlreadyExists");
    assert_eq!(
        (queue.request_id.as_deref(), queue.http_status),
        (Some("7e6d5c4b-3a29-4817-9f6e-5d4c3b2a1908"), Some(400))
    );
    // `"StatusCode": 400`, and the operation from the IAM action the message names.
    let ecs = first(&r, "AccessDeniedException");
    assert_eq!(
        (
            ecs.operation.as_deref(),
            ecs.request_id.as_deref(),
            ecs.http_status
        ),
        (
            Some("UpdateTaskProtection"),
            Some("5a4b3c2d-1e0f-4a9b-8c7d-6e5f4a3b2c1d"),
            Some(400)
        )
    );
}

// Look-alikes: text in the same shapes that is not an AWS error.

#[test]
fn negative_sdk_look_alikes_yield_nothing() {
    let r = scan(&fixture("negative/sdk_lookalikes.txt"));
    assert!(r.found.is_empty(), "{:?}", summary(&r));
}

#[test]
fn negative_aws_output_without_errors_yields_nothing() {
    let r = scan(&fixture("negative/aws_without_errors.txt"));
    assert!(r.found.is_empty(), "{:?}", summary(&r));
}

#[test]
fn negative_lower_case_words_outside_frames_yield_nothing() {
    let r = scan(&fixture("negative/lowercase_prose.txt"));
    assert!(r.found.is_empty(), "{:?}", summary(&r));
}

#[test]
fn negative_ruby_errors_of_other_libraries_yield_nothing() {
    let r = scan(&fixture("negative/ruby_non_aws_errors.txt"));
    assert!(r.found.is_empty(), "{:?}", summary(&r));
}

// EC2 codes refined by a detail no model lists (`Family.Detail: message`), where a printed error
// puts its code.

#[test]
fn ec2_sub_codes_are_reported_whole_under_ec2() {
    let r = scan(&fixture("positive/ec2_sub_code.txt"));
    assert_eq!(
        summary(&r),
        [
            ("UnauthorizedOperation.TagOnCreateDenied", Some("ec2"), 2),
            ("AuthFailure.LaunchRoleNotReachable", Some("ec2"), 3),
        ]
    );
    assert_eq!(
        first(&r, "AuthFailure.LaunchRoleNotReachable")
            .message
            .as_deref(),
        Some("The launch role of the request cannot be assumed")
    );
    assert!(r.found.iter().all(|f| !f.known));
}

#[test]
fn negative_sub_code_look_alikes_in_paths_settings_and_prose_yield_nothing() {
    let r = scan(&fixture("negative/ec2_sub_code_lookalikes.txt"));
    assert!(r.found.is_empty(), "{:?}", summary(&r));
}

// Redshift's Lambda user-defined functions: `message; Exception: Code; ShouldRetry: N`.

#[test]
fn redshift_function_errors_name_their_code_between_semicolons() {
    let r = scan(&fixture("positive/redshift_udf.txt"));
    assert_eq!(
        codes(&r),
        ["TooManyRequestsException", "ResourceNotFoundException"]
    );
    assert_eq!(
        first(&r, "TooManyRequestsException").message.as_deref(),
        Some("Calls to the enrichment function are arriving too fast.")
    );
}

#[test]
fn negative_semicolon_fields_without_a_known_code_yield_nothing() {
    let r = scan(&fixture("negative/semicolon_lookalikes.txt"));
    assert!(r.found.is_empty(), "{:?}", summary(&r));
}

// Go v1 whose message a terminal or a page wrapped onto the status line.

#[test]
fn go_v1_status_line_continuing_a_wrapped_message() {
    let r = scan(&fixture("positive/go_v1_wrapped_message.txt"));
    assert_eq!(codes(&r), ["ResourceNotFoundException"]);
    let o = first(&r, "ResourceNotFoundException");
    assert_eq!(
        (o.line, o.http_status, o.request_id.as_deref()),
        (1, Some(400), Some("5R9VJ3KQ1M2N4B6C8D0F2H4J6L8N0P2R"))
    );
}

#[test]
fn negative_status_lines_of_other_programs_yield_nothing() {
    let r = scan(&fixture("negative/status_line_lookalikes.txt"));
    assert!(r.found.is_empty(), "{:?}", summary(&r));
}

// An authorization failure quoted up to its first word (`AccessDenied: User`).

#[test]
fn authorization_failures_cut_after_user() {
    let r = scan(&fixture("positive/cut_authorization.txt"));
    assert_eq!(codes(&r), ["AccessDenied", "AccessDeniedException"]);
    assert_eq!(first(&r, "AccessDenied").message.as_deref(), Some("User"));
}

#[test]
fn negative_access_denied_before_other_words_yields_nothing() {
    let r = scan(&fixture("negative/cut_authorization_lookalikes.txt"));
    assert!(r.found.is_empty(), "{:?}", summary(&r));
}

// A response's `Code` field restated below it: in a Java v1 message, by the query protocol's
// other spelling, or with a handler's classification quoted in the message.

#[test]
fn a_response_code_restated_in_its_message_is_one_error() {
    let r = scan(&fixture("positive/json_response_restated.txt"));
    assert_eq!(
        summary(&r),
        [
            ("ResourceNotFoundException", Some("kinesis"), 3),
            ("ResourceConflictException", None, 13),
            (
                "AWS.SimpleQueueService.QueueDeletedRecently",
                Some("sqs"),
                21
            ),
        ]
    );
    let o = first(&r, "ResourceNotFoundException");
    assert_eq!(
        o.request_id.as_deref(),
        Some("c0ffee00-1111-4222-8333-944455556666")
    );
    assert!(r.found.iter().all(|f| !f.handler), "{:?}", summary(&r));
}

// The AWS SDK for .NET: `Amazon.<Namespace>.Model.<Class>Exception: message`, as .NET prints an
// exception (alone, after `Unhandled exception.`, or indented in a logger's record); the
// namespace names the service, the class is the code as the SDK names it.

#[test]
fn dotnet_exceptions_name_their_code_and_service() {
    let r = scan(&fixture("positive/dotnet.txt"));
    assert_eq!(
        summary(&r),
        [
            ("ResourceNotFoundException", Some("dynamodb"), 3),
            // IAM's wire code has no `Exception`.
            ("NoSuchEntity", Some("iam"), 8),
            ("NotFound", Some("sns"), 13)
        ]
    );
    assert_eq!(
        first(&r, "NoSuchEntity").message.as_deref(),
        Some("The role with name ci-deploy cannot be found.")
    );
    // `System.InvalidOperationException` and the SDK's own exception types are not errors of
    // an AWS API.
    assert_eq!(r.found.len(), 3);
}
