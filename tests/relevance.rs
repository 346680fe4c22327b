//! The relevance test set: what people type into `errex search` and the terminal UI, and the
//! code a person who knows AWS expects to see first (or at least among the first three).
//!
//! Each row is a realistic query: a fragment or abbreviation of a code, a concept in plain
//! words, a message AWS returns, a log line from an SDK, the CLI or Terraform, or a code with
//! punctuation around it. The expectation is what an AWS engineer would agree with, never what
//! the ranking happened to return: when a row fails, fix the ranking (`src/search.rs`), not the
//! row. `Top3` is for queries where another code is as good an answer (`sg not found` may mean
//! InvalidGroup.NotFound or InvalidSecurityGroupID.NotFound).
//!
//! `cargo test --test relevance -- --nocapture` prints top-1, top-3 and mean reciprocal rank;
//! BENCHMARKS.md quotes them. Speed is measured by the criterion bench (`benches/perf.rs`), not
//! here: wall-clock assertions on a shared machine only make flaky tests.

use errex::catalog::{Catalog, Item};
use errex::search::{Index, code_words};

/// How high the expected code must rank.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Must {
    /// First.
    Top1,
    /// Among the first three.
    Top3,
}
use Must::{Top1, Top3};

/// (query, expected code as `service:Code` or `Code` in any service, how high it must rank).
/// One row a line, left so by rustfmt, so that it reads as a table.
#[rustfmt::skip]
const CASES: &[(&str, &str, Must)] = &[
    // EC2: fragments and abbreviations of code words.
    ("insufcap", "ec2:InsufficientInstanceCapacity", Top1),
    ("insufinstcap", "ec2:InsufficientInstanceCapacity", Top1),
    ("insufficient capacity", "ec2:InsufficientInstanceCapacity", Top1),
    ("vpc notfound", "ec2:InvalidVpcID.NotFound", Top1),
    ("vpc not found", "ec2:InvalidVpcID.NotFound", Top1),
    ("ami not found", "ec2:InvalidAMIID.NotFound", Top1),
    ("ami malformed", "ec2:InvalidAMIID.Malformed", Top1),
    // EC2 has two codes for it; InvalidGroup.NotFound is the one met most.
    ("sg not found", "ec2:InvalidGroup.NotFound|ec2:InvalidSecurityGroupID.NotFound", Top1),
    ("sg not found", "ec2:InvalidGroup.NotFound", Top3),
    ("security group not found", "ec2:InvalidGroup.NotFound", Top3),
    ("subnet not found", "ec2:InvalidSubnetID.NotFound", Top1),
    ("instance not found", "ec2:InvalidInstanceID.NotFound", Top1),
    ("eni not found", "ec2:InvalidNetworkInterfaceID.NotFound", Top1),
    ("igw not found", "ec2:InvalidInternetGatewayID.NotFound", Top1),
    ("tgw not found", "ec2:InvalidTransitGatewayID.NotFound", Top1),
    ("route table not found", "ec2:InvalidRouteTableID.NotFound", Top1),
    ("allocation id not found", "ec2:InvalidAllocationID.NotFound", Top1),
    ("key pair not found", "ec2:InvalidKeyPair.NotFound", Top1),
    ("keypair duplicate", "ec2:InvalidKeyPair.Duplicate", Top1),
    ("launch template not found", "ec2:InvalidLaunchTemplateId.NotFound", Top3),
    ("eni limit", "ec2:NetworkInterfaceLimitExceeded", Top3),
    ("eip limit", "ec2:AddressLimitExceeded", Top1),
    ("elastic ip limit", "ec2:AddressLimitExceeded", Top1),
    ("vcpu limit", "ec2:VcpuLimitExceeded", Top1),
    ("instance limit", "ec2:InstanceLimitExceeded", Top1),
    ("vpc limit", "ec2:VpcLimitExceeded", Top1),
    ("spot limit", "ec2:MaxSpotInstanceCountExceeded", Top1),
    ("spot price too low", "ec2:SpotMaxPriceTooLow", Top1),
    ("dry run", "ec2:DryRunOperation", Top1),
    ("depviol", "ec2:DependencyViolation", Top1),
    ("dependency violation", "ec2:DependencyViolation", Top1),
    ("unauthorized operation", "ec2:UnauthorizedOperation", Top1),
    ("incorrect instance state", "ec2:IncorrectInstanceState", Top1),
    ("volume in use", "ec2:VolumeInUse", Top1),
    ("ebs volume not found", "ec2:InvalidVolume.NotFound", Top1),
    ("snapshot not found", "ec2:InvalidSnapshot.NotFound", Top3),
    ("duplicate sg rule", "ec2:InvalidPermission.Duplicate", Top1),
    ("request limit exceeded", "ec2:RequestLimitExceeded", Top1),
    ("user data malformed", "ec2:InvalidUserData.Malformed", Top1),
    ("free addresses subnet", "ec2:InsufficientFreeAddressesInSubnet", Top1),
    ("subnet cidr conflict", "ec2:InvalidSubnet.Conflict", Top1),
    ("termination protection", "ec2:OperationNotPermitted", Top3),
    // Concepts in plain words.
    ("rate exceeded", "ThrottlingException", Top1),
    ("throttle", "ThrottlingException", Top1),
    ("throttling", "Throttling", Top1),
    ("throttling exception", "aws:ThrottlingException", Top1),
    ("too many requests", "TooManyRequestsException", Top1),
    ("access denied", "AccessDenied", Top1),
    ("access denied exception", "aws:AccessDeniedException", Top1),
    // The code named so is Cognito's; the messages saying so come with AccessDenied codes.
    ("not authorized", "AccessDenied|AccessDeniedException|ec2:UnauthorizedOperation|cognito-idp:NotAuthorizedException", Top1),
    ("not authorized to perform", "aws:AccessDeniedException", Top1),
    ("expired token", "aws:ExpiredToken", Top1),
    ("session token expired", "ExpiredToken", Top3),
    // Both codes come with "The security token included in the request is invalid".
    ("invalid security token", "InvalidClientTokenId|UnrecognizedClientException", Top1),
    ("signature does not match", "SignatureDoesNotMatch", Top1),
    ("clock skew", "s3:RequestTimeTooSkewed", Top3),
    ("quota exceeded", "aws:ServiceQuotaExceededException", Top3),
    ("service unavailable", "ServiceUnavailable", Top3),
    ("opt in required", "OptInRequired", Top1),
    ("bucket does not exist", "s3:NoSuchBucket", Top1),
    ("bucket already exists", "s3:BucketAlreadyExists", Top1),
    ("bucket not empty", "s3:BucketNotEmpty", Top1),
    ("key does not exist", "s3:NoSuchKey", Top1),
    ("no such key", "s3:NoSuchKey", Top1),
    ("slow down", "s3:SlowDown", Top1),
    ("s3 access denied", "s3:AccessDenied", Top1),
    ("conditional check", "dynamodb:ConditionalCheckFailedException", Top1),
    ("conditional check failed", "dynamodb:ConditionalCheckFailedException", Top1),
    ("provisioned throughput", "dynamodb:ProvisionedThroughputExceededException", Top1),
    ("ddb table not found", "dynamodb:ResourceNotFoundException", Top3),
    ("transaction cancelled", "dynamodb:TransactionCanceledException", Top1),
    ("stack does not exist", "cloudformation:ValidationError", Top1),
    ("no updates are to be performed", "cloudformation:ValidationError", Top1),
    ("requires capabilities", "cloudformation:InsufficientCapabilitiesException", Top1),
    ("change set not found", "cloudformation:ChangeSetNotFound", Top1),
    ("key pair does not exist", "ec2:InvalidKeyPair.NotFound", Top1),
    ("iam access denied", "iam:AccessDenied", Top1),
    ("no such entity", "iam:NoSuchEntity", Top1),
    ("iam role already exists", "iam:EntityAlreadyExists", Top1),
    ("delete conflict", "iam:DeleteConflict", Top1),
    ("assume role access denied", "sts:AccessDenied", Top1),
    ("sts expired token", "sts:ExpiredToken", Top1),
    ("web identity token invalid", "sts:InvalidIdentityToken", Top1),
    ("lambda throttled", "lambda:TooManyRequestsException", Top1),
    ("lambda function not found", "lambda:ResourceNotFoundException", Top1),
    ("lambda update in progress", "lambda:ResourceConflictException", Top1),
    ("lambda payload too large", "lambda:RequestEntityTooLargeException", Top3),
    ("kms access denied", "kms:AccessDeniedException", Top1),
    ("kms key disabled", "kms:DisabledException", Top3),
    ("kms pending deletion", "kms:KMSInvalidStateException", Top1),
    ("invalid ciphertext", "kms:InvalidCiphertextException", Top1),
    ("queue does not exist", "sqs:AWS.SimpleQueueService.NonExistentQueue", Top1),
    ("receipt handle invalid", "sqs:ReceiptHandleIsInvalid", Top1),
    ("sns topic not found", "sns:NotFound", Top1),
    ("sns authorization error", "sns:AuthorizationError", Top1),
    ("ecs cluster not found", "ecs:ClusterNotFoundException", Top1),
    ("ecr repository not found", "ecr:RepositoryNotFoundException", Top1),
    ("image tag already exists", "ecr:ImageTagAlreadyExistsException", Top1),
    ("eks cluster not found", "eks:ResourceNotFoundException", Top1),
    ("rds instance not found", "rds:DBInstanceNotFound", Top1),
    ("rds insufficient capacity", "rds:InsufficientDBInstanceCapacity", Top1),
    ("ssm parameter not found", "ssm:ParameterNotFound", Top1),
    ("secret not found", "secretsmanager:ResourceNotFoundException", Top1),
    ("secret scheduled for deletion", "secretsmanager:InvalidRequestException", Top1),
    ("log group does not exist", "logs:ResourceNotFoundException", Top1),
    ("log group already exists", "logs:ResourceAlreadyExistsException", Top1),
    ("hosted zone not found", "route53:NoSuchHostedZone", Top1),
    ("invalid change batch", "route53:InvalidChangeBatch", Top1),
    ("cognito user not found", "cognito-idp:UserNotFoundException", Top1),
    ("user not confirmed", "cognito-idp:UserNotConfirmedException", Top1),
    ("bedrock throttling", "bedrock-runtime:ThrottlingException", Top1),
    ("bedrock model access denied", "bedrock-runtime:AccessDeniedException", Top1),
    ("target group not found", "elbv2:TargetGroupNotFound", Top1),
    ("alb not found", "elbv2:LoadBalancerNotFound", Top1),
    ("shard iterator expired", "kinesis:ExpiredIteratorException", Top1),
    ("state machine does not exist", "stepfunctions:StateMachineDoesNotExist", Top1),
    ("ses email not verified", "ses:MessageRejected", Top3),
    ("email address not verified", "ses:MessageRejected", Top1),
    // Messages AWS returns, pasted alone.
    ("The instance ID 'i-0abc1234def567890' does not exist", "ec2:InvalidInstanceID.NotFound", Top1),
    ("The security group 'sg-0123456789abcdef0' does not exist in VPC 'vpc-0abc'", "ec2:InvalidGroup.NotFound", Top1),
    ("The key pair 'deploy' does not exist", "ec2:InvalidKeyPair.NotFound", Top1),
    ("You are not authorized to perform this operation. Encoded authorization failure message: 4Xz", "ec2:UnauthorizedOperation", Top1),
    ("Request would have succeeded, but DryRun flag is set.", "ec2:DryRunOperation", Top1),
    ("We currently do not have sufficient m5.large capacity in the Availability Zone you requested (us-east-1a).", "ec2:InsufficientInstanceCapacity", Top1),
    ("The maximum number of addresses has been reached.", "ec2:AddressLimitExceeded", Top1),
    ("The specified bucket does not exist", "s3:NoSuchBucket", Top1),
    ("The specified key does not exist.", "s3:NoSuchKey", Top1),
    ("The bucket you tried to delete is not empty", "s3:BucketNotEmpty", Top1),
    ("Please reduce your request rate.", "s3:SlowDown", Top1),
    ("The request signature we calculated does not match the signature you provided. Check your key and signing method.", "s3:SignatureDoesNotMatch", Top1),
    ("The conditional request failed", "dynamodb:ConditionalCheckFailedException", Top1),
    ("Requested resource not found", "dynamodb:ResourceNotFoundException", Top1),
    ("The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API.", "dynamodb:ProvisionedThroughputExceededException", Top1),
    ("No updates are to be performed.", "cloudformation:ValidationError", Top1),
    ("Stack with id my-stack does not exist", "cloudformation:ValidationError", Top1),
    ("Requires capabilities : [CAPABILITY_NAMED_IAM]", "cloudformation:InsufficientCapabilitiesException", Top1),
    ("The security token included in the request is expired", "ExpiredToken", Top1),
    ("User: arn:aws:iam::123456789012:user/dev is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::210987654321:role/deploy", "sts:AccessDenied", Top1),
    ("User: arn:aws:sts::123456789012:assumed-role/app/i-0abc is not authorized to perform: dynamodb:PutItem on resource: arn:aws:dynamodb:us-east-1:123456789012:table/orders because no identity-based policy allows the dynamodb:PutItem action", "aws:AccessDeniedException", Top1),
    ("Function not found: arn:aws:lambda:us-east-1:123456789012:function:resize", "lambda:ResourceNotFoundException", Top1),
    ("The specified queue does not exist.", "sqs:AWS.SimpleQueueService.NonExistentQueue", Top1),
    ("The specified log group does not exist.", "logs:ResourceNotFoundException", Top1),
    ("Parameter /app/db/password not found.", "ssm:ParameterNotFound", Top1),
    ("Secrets Manager can't find the specified secret.", "secretsmanager:ResourceNotFoundException", Top1),
    ("Incorrect username or password.", "cognito-idp:NotAuthorizedException", Top1),
    ("DBInstance orders-db not found.", "rds:DBInstanceNotFound", Top1),
    ("No cluster found for name: prod.", "eks:ResourceNotFoundException", Top1),
    ("The repository with name 'web' does not exist in the registry with id '123456789012'", "ecr:RepositoryNotFoundException", Top1),
    ("No hosted zone found with ID: Z0123456789ABC", "route53:NoSuchHostedZone", Top1),
    ("Email address is not verified. The following identities failed the check in region US-EAST-1: a@example.com", "ses:MessageRejected", Top1),
    ("Invocation of model ID anthropic.claude-3-5-sonnet-20241022-v2:0 with on-demand throughput isn't supported. Retry your request with the ID or ARN of an inference profile that contains this model.", "bedrock-runtime:ValidationException", Top1),
    ("Rate exceeded", "ThrottlingException", Top1),
    // Log lines: the AWS CLI and boto3, Go SDK v2, Java SDK v1 and v2, Terraform.
    ("An error occurred (VcpuLimitExceeded) when calling the RunInstances operation: You have requested more vCPU capacity than your current vCPU limit of 32 allows", "ec2:VcpuLimitExceeded", Top1),
    ("botocore.exceptions.ClientError: An error occurred (InvalidInstanceID.NotFound) when calling the DescribeInstances operation: The instance ID 'i-0123456789abcdef0' does not exist", "ec2:InvalidInstanceID.NotFound", Top1),
    ("operation error S3: GetObject, https response error StatusCode: 403, RequestID: 4XZ, HostID: abc=, api error AccessDenied: Access Denied", "s3:AccessDenied", Top1),
    ("operation error S3: HeadObject, https response error StatusCode: 403, RequestID: 8BDX, HostID: 7j=, api error Forbidden: Forbidden", "s3:403", Top1),
    ("operation error S3: HeadBucket, https response error StatusCode: 301, RequestID: , HostID: , api error MovedPermanently: Moved Permanently", "s3:301", Top1),
    ("com.amazonaws.services.s3.model.AmazonS3Exception: The specified key does not exist. (Service: Amazon S3; Status Code: 404; Error Code: NoSuchKey; Request ID: 7G3; S3 Extended Request ID: x=)", "s3:NoSuchKey", Top1),
    ("software.amazon.awssdk.services.s3.model.NoSuchBucketException: The specified bucket does not exist (Service: S3, Status Code: 404, Request ID: 8H2, Extended Request ID: y=)", "s3:NoSuchBucket", Top1),
    ("Error: creating EC2 Instance: InsufficientInstanceCapacity: We currently do not have sufficient p3.2xlarge capacity in the Availability Zone you requested (us-east-1a).", "ec2:InsufficientInstanceCapacity", Top1),
    ("Error: creating IAM Role (deploy): EntityAlreadyExists: Role with name deploy already exists.", "iam:EntityAlreadyExists", Top1),
    ("An error occurred (ResourceNotFoundException) when calling the GetItem operation: Requested resource not found", "dynamodb:ResourceNotFoundException", Top1),
    ("An error occurred (ThrottlingException) when calling the InvokeModel operation (reached max retries: 4): Too many requests, please wait before trying again.", "bedrock-runtime:ThrottlingException", Top1),
    ("An error occurred (ValidationError) when calling the UpdateStack operation: No updates are to be performed.", "cloudformation:ValidationError", Top1),
    ("An error occurred (ExpiredToken) when calling the GetCallerIdentity operation: The security token included in the request is expired", "sts:ExpiredToken", Top1),
    ("An error occurred (AccessDenied) when calling the AssumeRole operation: User: arn:aws:iam::111122223333:user/ci is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::444455556666:role/deploy", "sts:AccessDenied", Top1),
    ("An error occurred (ConditionalCheckFailedException) when calling the PutItem operation: The conditional request failed", "dynamodb:ConditionalCheckFailedException", Top1),
    ("An error occurred (AWS.SimpleQueueService.NonExistentQueue) when calling the GetQueueUrl operation: The specified queue does not exist for this wsdl version.", "sqs:AWS.SimpleQueueService.NonExistentQueue", Top1),
    ("An error occurred (ParameterNotFound) when calling the GetParameter operation: ", "ssm:ParameterNotFound", Top1),
    ("An error occurred (ResourceNotFoundException) when calling the DescribeCluster operation: No cluster found for name: prod.", "eks:ResourceNotFoundException", Top1),
    ("An error occurred (NotAuthorizedException) when calling the InitiateAuth operation: Incorrect username or password.", "cognito-idp:NotAuthorizedException", Top1),
    ("An error occurred (InvalidChangeBatch) when calling the ChangeResourceRecordSets operation: [Tried to create resource record set [name='a.example.com.', type='A'] but it already exists]", "route53:InvalidChangeBatch", Top1),
    ("An error occurred (DBInstanceNotFound) when calling the DescribeDBInstances operation: DBInstance orders-db not found.", "rds:DBInstanceNotFound", Top1),
    ("An error occurred (ClusterNotFoundException) when calling the UpdateService operation: Cluster not found.", "ecs:ClusterNotFoundException", Top1),
    ("An error occurred (NotFound) when calling the GetTopicAttributes operation: Topic does not exist", "sns:NotFound", Top1),
    ("An error occurred (ResourceNotFoundException) when calling the GetSecretValue operation: Secrets Manager can't find the specified secret.", "secretsmanager:ResourceNotFoundException", Top1),
    ("An error occurred (RepositoryNotFoundException) when calling the DescribeRepositories operation: The repository with name 'web' does not exist in the registry with id '123456789012'", "ecr:RepositoryNotFoundException", Top1),
    ("An error occurred (AccessDeniedException) when calling the Decrypt operation: User: arn:aws:iam::123456789012:user/ci is not authorized to perform: kms:Decrypt on resource: arn:aws:kms:us-east-1:123456789012:key/1234abcd", "kms:AccessDeniedException", Top1),
    ("ResourceNotFoundException: Function not found: arn:aws:lambda:eu-west-1:123456789012:function:thumbnails", "lambda:ResourceNotFoundException", Top1),
    // Codes, with punctuation, quotes, prefixes, a service, another case or a typo.
    ("InvalidVpcID.NotFound:", "ec2:InvalidVpcID.NotFound", Top1),
    ("(InsufficientInstanceCapacity)", "ec2:InsufficientInstanceCapacity", Top1),
    ("Client.UnauthorizedOperation", "ec2:UnauthorizedOperation", Top1),
    ("Client.RequestLimitExceeded", "ec2:RequestLimitExceeded", Top1),
    ("Server.InternalError", "ec2:InternalError", Top1),
    ("'NoSuchBucket'", "s3:NoSuchBucket", Top1),
    ("\"ExpiredTokenException\"", "aws:ExpiredTokenException", Top1),
    ("[ThrottlingException]", "aws:ThrottlingException", Top1),
    ("invalidamiid.notfound", "ec2:InvalidAMIID.NotFound", Top1),
    ("s3:AccessDenied", "s3:AccessDenied", Top1),
    ("sts:AccessDenied", "sts:AccessDenied", Top1),
    ("dynamodb:ValidationException", "dynamodb:ValidationException", Top1),
    ("QueueDoesNotExist", "sqs:AWS.SimpleQueueService.NonExistentQueue", Top1),
    ("ProvisionedThroughputExceeded", "dynamodb:ProvisionedThroughputExceededException", Top1),
    ("InsuficientInstanceCapacity", "ec2:InsufficientInstanceCapacity", Top1),
    ("UnauthorisedOperation", "ec2:UnauthorizedOperation", Top1),
    // CloudFormation has a code ConditionalCheckFailed, which ranks first as the exact code.
    ("ConditionalCheckFailed", "dynamodb:ConditionalCheckFailedException", Top3),
    ("AccesDenied", "AccessDenied", Top3),
];

/// Ordinary queries that must not match more than a third of the catalog: a query that
/// matches almost everything ranks by weight alone and says nothing. Every two-letter query is
/// checked too.
#[rustfmt::skip]
const NARROW: &[&str] = &[
    "acc", "den", "lim", "not", "res", "access", "denied", "limit", "exceeded", "found",
    "not found", "resource", "request", "quota", "error", "failed", "state", "does not exist",
    "already exists", "s3", "ec2", "rate", "token", "key", "role", "policy", "service",
    "throttle", "timeout", "permission", "the", "aws",
];

/// Whether the item is the expected code: `service:Code`, `Code` in any service, or several
/// such joined by `|` when each is as right as the others.
fn expected_matches(item: &Item<'_>, expected: &str) -> bool {
    expected.split('|').any(|one| {
        let (service, code) = match one.split_once(':') {
            Some((s, c)) => (Some(s), c),
            None => (None, one),
        };
        item.code == code
            && service.is_none_or(|s| {
                item.service == Some(s) || item.rows.iter().any(|r| r.service().id == s)
            })
    })
}

/// The 1-based rank of the expected code, if it ranks at all.
fn rank_of(index: &Index<'_>, query: &str, expected: &str) -> Option<usize> {
    index
        .rank(query, |_| true)
        .iter()
        .position(|h| expected_matches(&index.items()[h.index], expected))
        .map(|p| p + 1)
}

fn top(index: &Index<'_>, query: &str, n: usize) -> Vec<String> {
    index
        .rank(query, |_| true)
        .iter()
        .take(n)
        .map(|h| {
            let item = &index.items()[h.index];
            format!("{}:{}", item.service.unwrap_or("*"), item.code)
        })
        .collect()
}

#[test]
fn every_query_finds_its_code_near_the_top() {
    let catalog = Catalog::builtin();
    let index = Index::new(&catalog);
    let (mut top1, mut top3, mut rr) = (0usize, 0usize, 0f64);
    let mut failures = Vec::new();
    for &(query, expected, must) in CASES {
        let rank = rank_of(&index, query, expected);
        if rank == Some(1) {
            top1 += 1;
        }
        if rank.is_some_and(|r| r <= 3) {
            top3 += 1;
        }
        rr += rank.map_or(0.0, |r| 1.0 / r as f64);
        if rank != Some(1) {
            eprintln!(
                "not first: {query:?} ({expected} at {rank:?}); first: {:?}",
                top(&index, query, 1)
            );
        }
        let limit = if must == Top1 { 1 } else { 3 };
        if rank.is_none_or(|r| r > limit) {
            failures.push(format!(
                "{query:?}: want {expected} in the top {limit}, got rank {rank:?}; top: {:?}",
                top(&index, query, 5)
            ));
        }
    }
    let n = CASES.len() as f64;
    let (p1, p3, mrr) = (100.0 * top1 as f64 / n, 100.0 * top3 as f64 / n, rr / n);
    eprintln!(
        "relevance: {} queries, top-1 {p1:.1}% ({top1}), top-3 {p3:.1}% ({top3}), MRR {mrr:.3}",
        CASES.len()
    );
    assert!(
        failures.is_empty(),
        "{} of {} queries miss:\n{}",
        failures.len(),
        CASES.len(),
        failures.join("\n")
    );
    assert!(p1 >= 90.0, "top-1 {p1:.1}% is under 90%");
}

#[test]
fn the_table_is_large_and_each_expected_code_exists() {
    assert!(CASES.len() >= 100, "{} rows", CASES.len());
    let catalog = Catalog::builtin();
    let items = catalog.items();
    for &(query, expected, _) in CASES {
        for one in expected.split('|') {
            assert!(
                items.iter().any(|i| expected_matches(i, one)),
                "{query:?}: {one} is not in the catalog"
            );
        }
    }
}

#[test]
fn ordinary_queries_do_not_match_most_of_the_catalog() {
    let catalog = Catalog::builtin();
    let index = Index::new(&catalog);
    let third = index.len() / 3;
    // A query that starts a word most codes have (`invalid`, `exception`) rightly matches
    // them all; count those from the codes themselves.
    let words: Vec<Vec<String>> = index
        .items()
        .iter()
        .map(|i| code_words(i.code).into_iter().map(|(_, w)| w).collect())
        .collect();
    let in_most_codes = |q: &str| {
        words
            .iter()
            .filter(|ws| ws.iter().any(|w| w.starts_with(q)))
            .count()
            > third
    };
    let letters = 'a'..='z';
    let pairs = letters
        .clone()
        .flat_map(|a| letters.clone().map(move |b| format!("{a}{b}")));
    let mut wide = Vec::new();
    for q in NARROW.iter().map(|q| q.to_string()).chain(pairs) {
        let n = index.rank(&q, |_| true).len();
        if n <= third {
            continue;
        }
        if in_most_codes(&q) {
            eprintln!(
                "breadth: {q:?} matches {n} of {}, a word in most codes",
                index.len()
            );
        } else {
            wide.push(format!("{q:?} matches {n} of {}", index.len()));
        }
    }
    assert!(wide.is_empty(), "over a third:\n{}", wide.join("\n"));
}

/// Prints the first ten hits, tiers and scores for each `;`-separated query in
/// `RELEVANCE_PROBE`, to see why a row fails: `RELEVANCE_PROBE='sg not found;eip limit' cargo
/// test --test relevance probe -- --ignored --nocapture`.
#[test]
#[ignore = "a tool for reading the ranking, run by hand"]
fn probe() {
    let catalog = Catalog::builtin();
    let index = Index::new(&catalog);
    let queries = std::env::var("RELEVANCE_PROBE").unwrap_or_default();
    for q in queries.split(';').filter(|q| !q.trim().is_empty()) {
        let hits = index.rank(q, |_| true);
        eprintln!("{q:?}: {} hits", hits.len());
        for h in hits.iter().take(10) {
            let item = &index.items()[h.index];
            let service = item.service.unwrap_or("*");
            eprintln!("  {:?} {:>6} {service}:{}", h.tier, h.score, item.code);
        }
    }
}
