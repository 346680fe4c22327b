//! Errors whose text prints no wire code, or prints it where no older frame looked: IAM
//! authorization failures (`User: arn is not authorized to perform: svc:Action`), Step
//! Functions' `"cause"` of a Java v2 error, CloudFormation handler messages cut before their
//! `HandlerErrorCode`, the AWS CLI's frame in Markdown (`\(Code\)`), Go v2 lines without
//! `api error` and Terraform's `Error: creating X (id): Code: message`. Each fixture is written
//! by the team in the producer's shape, with synthetic ids. A code that is not printed is
//! reported inferred, with the catalog pattern that matched as evidence, and spelled as the
//! service spells it; a code that is printed is never reported a second time as inferred.

use common::{fixture, scan};
use errex::extract::{Found, Report};

mod common;

/// (code, service, inferred, line of the first sighting) of every finding, in order.
fn summary(r: &Report) -> Vec<(&str, Option<&str>, bool, u64)> {
    r.found
        .iter()
        .map(|f| {
            (
                f.code.as_str(),
                f.service.as_deref(),
                f.inferred,
                f.occurrences.first().map_or(0, |o| o.line),
            )
        })
        .collect()
}

fn evidence(f: &Found) -> Option<&str> {
    f.occurrences.first().and_then(|o| o.evidence.as_deref())
}

#[test]
fn iam_not_authorized_messages_are_inferred_in_the_actions_service() {
    let r = scan(&fixture("positive/codeless_iam.txt"));
    assert_eq!(
        summary(&r),
        [
            // STS and IAM are query services: `AccessDenied`.
            ("AccessDenied", Some("sts"), true, 3),
            ("AccessDenied", Some("iam"), true, 5),
            // A JSON service: `AccessDeniedException`.
            ("AccessDeniedException", Some("translate"), true, 7),
            // Printed before `User:`: the code is the text's, not inferred.
            ("AccessDenied", Some("sts"), false, 9),
            // Printed by the CLI a line above: one error, the action wrapped onto a third line
            // names the service.
            ("AccessDeniedException", Some("eks"), false, 11),
        ]
    );
    for f in r.found.iter().filter(|f| f.inferred) {
        let e = evidence(f).unwrap_or_default();
        assert!(e.contains("is not authorized to perform"), "{e}");
    }
}

#[test]
fn markdown_escaped_cli_frames_are_read() {
    let r = scan(&fixture("positive/markdown_cli.txt"));
    assert_eq!(
        summary(&r),
        [
            ("ThrottlingException", Some("cloudwatch"), false, 1),
            ("AccessDenied", Some("s3"), false, 3),
        ]
    );
    let put = &r.found[1].occurrences[0];
    assert_eq!(put.operation.as_deref(), Some("PutObject"));
}

#[test]
fn step_functions_causes_read_the_error_name_or_infer_from_the_message() {
    let r = scan(&fixture("positive/step_functions_cause.txt"));
    assert_eq!(
        summary(&r),
        [
            // `S3.NoSuchBucketException` is S3's `NoSuchBucket` with the SDK's suffix.
            ("NoSuchBucket", Some("s3"), false, 4),
            // `DynamoDbException` names no code: the message does.
            ("ValidationException", Some("dynamodb"), true, 11),
        ]
    );
    assert_eq!(r.found[0].occurrences[0].http_status, Some(404));
    assert_eq!(
        evidence(&r.found[1]),
        Some("* validation error* detected: Value * at '*' failed to satisfy constraint: *")
    );
}

#[test]
fn go_codes_without_api_error_or_status_line_are_read() {
    let r = scan(&fixture("positive/go_without_api_error.txt"));
    assert_eq!(
        summary(&r),
        [
            ("AlreadyExistsException", Some("kms"), false, 1),
            ("AccessDeniedException", Some("eks"), false, 5),
        ]
    );
    let eks = &r.found[1].occurrences[0];
    assert_eq!(
        (eks.http_status, eks.operation.as_deref()),
        (Some(403), Some("DescribeCluster"))
    );
}

#[test]
fn a_handler_message_cut_before_its_code_is_inferred() {
    let r = scan(&fixture("positive/cfn_handler_cut.txt"));
    assert_eq!(
        summary(&r),
        [("NetworkAclEntryAlreadyExists", Some("ec2"), true, 1)]
    );
    assert_eq!(
        evidence(&r.found[0]),
        Some("The network acl entry identified by * already exists")
    );
    assert!(!r.found[0].handler);
}

/// The CDK prints a handler's message whole, with the Java v2 frame the handler's SDK wrote
/// and the handler's classification: the EC2 code is inferred from the message, and the
/// classification is reported for what it is, beside it.
#[test]
fn a_handler_message_with_its_classification_still_yields_the_services_code() {
    let text = " ❌  web failed: Error: The stack named web failed creation: ROLLBACK_COMPLETE: Resource handler returned message: \"The security group 'sg-0123456789abcdef0' does not exist (Service: Ec2, Status Code: 400, Request ID: 5b7e3a1c-aaaa-bbbb-cccc-ddddeeeeffff)\" (RequestToken: 1f2e3d4c, HandlerErrorCode: NotFound)\n";
    let r = scan(text);
    assert_eq!(
        summary(&r),
        [
            ("InvalidGroup.NotFound", Some("ec2"), true, 1),
            ("NotFound", Some("cloudformation-handler"), false, 1)
        ]
    );
    assert_eq!(
        evidence(&r.found[0]),
        Some("The security group '*' does not exist")
    );
    assert!(!r.found[0].handler && r.found[1].handler);
    let ec2 = &r.found[0].occurrences[0];
    assert_eq!(
        (ec2.http_status, ec2.request_id.as_deref()),
        (Some(400), Some("5b7e3a1c-aaaa-bbbb-cccc-ddddeeeeffff"))
    );
}

#[test]
fn ordinary_error_lines_and_authorization_words_stay_quiet() {
    for text in [
        "Error: reading config file: ValidationError: bad indent",
        "Error: something went wrong: NotAClue",
        "you are not authorized to view this page",
        "Resource handler returned message: \"something only the handler knows\"",
        "2024-01-01 ERROR https response error StatusCode: 500, RequestID: abc, connection reset",
    ] {
        let r = scan(text);
        assert!(r.found.is_empty(), "{text}: {:?}", summary(&r));
    }
}
