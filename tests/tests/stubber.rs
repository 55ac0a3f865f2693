//! The typed stubber: expectations over typed inputs, typed outputs and errors, and failures
//! for calls that were expected but not made, or made but not expected.

use lightsail::client::{Client, SdkError, Stubber};
use lightsail::operation::create_key_pair::{CreateKeyPair, CreateKeyPairError};
use lightsail::types::{CreateKeyPairRequest, CreateKeyPairResult, KeyPair, NotFoundException};

/// Code under test: creates a key pair and returns its fingerprint.
async fn create(
    client: &Client,
    name: &str,
) -> Result<Option<String>, SdkError<CreateKeyPairError>> {
    let out = client.create_key_pair().key_pair_name(name).send().await?;
    Ok(out.key_pair.as_ref().and_then(|k| k.fingerprint.clone()))
}

fn result(fingerprint: &str) -> CreateKeyPairResult {
    CreateKeyPairResult::builder()
        .key_pair(
            KeyPair::builder()
                .name("k")
                .fingerprint(fingerprint)
                .build(),
        )
        .build()
}

#[tokio::test]
async fn answers_expected_calls_in_order() {
    let stubber = Stubber::new();
    stubber.expect::<CreateKeyPair>(
        |input| input.key_pair_name.as_deref() == Some("first"),
        Ok(result("aa:01")),
    );
    stubber.expect_input::<CreateKeyPair>(
        CreateKeyPairRequest::builder()
            .key_pair_name("second")
            .build()
            .unwrap(),
        Ok(result("aa:02")),
    );
    let client = Client::new(stubber.config().build());
    assert_eq!(
        create(&client, "first").await.unwrap().as_deref(),
        Some("aa:01")
    );
    assert_eq!(
        create(&client, "second").await.unwrap().as_deref(),
        Some("aa:02")
    );
    assert_eq!(stubber.calls(), 2);
    stubber.assert_done();
}

#[tokio::test]
async fn returns_modeled_errors() {
    let stubber = Stubber::new();
    stubber.expect::<CreateKeyPair>(
        |_| true,
        Err(CreateKeyPairError::NotFoundException(
            NotFoundException::builder()
                .message("no such thing")
                .build(),
        )),
    );
    let client = Client::new(stubber.config().build());
    let err = create(&client, "k").await.unwrap_err();
    match err.into_service_error() {
        Some(CreateKeyPairError::NotFoundException(e)) => {
            assert_eq!(e.message.as_deref(), Some("no such thing"))
        }
        other => panic!("expected NotFoundException, got {other:?}"),
    }
    stubber.assert_done();
}

#[tokio::test]
async fn returns_unhandled_errors() {
    let stubber = Stubber::new();
    stubber.expect_unhandled::<CreateKeyPair>(
        |_| true,
        smithgen_runtime::UnhandledError::new("SomethingNew")
            .with_message("a new kind of failure")
            .with_status(409),
    );
    let client = Client::new(stubber.config().build());
    let err = create(&client, "k").await.unwrap_err();
    assert_eq!(err.status(), Some(409));
    match err.into_service_error() {
        Some(CreateKeyPairError::Unhandled(e)) => {
            assert_eq!(e.code(), "SomethingNew");
            assert_eq!(e.message(), Some("a new kind of failure"));
        }
        other => panic!("expected Unhandled, got {other:?}"),
    }
}

#[tokio::test]
#[should_panic(expected = "expected call to CreateKeyPair was never made")]
async fn an_unmet_expectation_fails_the_test() {
    let stubber = Stubber::new();
    stubber.expect::<CreateKeyPair>(|_| true, Ok(result("aa:01")));
    let _client = Client::new(stubber.config().build());
    stubber.assert_done();
}

#[tokio::test]
#[should_panic(expected = "expected call to CreateKeyPair was never made")]
async fn an_unmet_expectation_fails_even_without_assert_done() {
    let stubber = Stubber::new();
    stubber.expect::<CreateKeyPair>(|_| true, Ok(result("aa:01")));
    let client = Client::new(stubber.config().build());
    drop(client);
    drop(stubber); // the last handle: the check runs here
}

#[tokio::test]
async fn an_unexpected_call_fails_the_call_and_the_test() {
    let stubber = Stubber::new();
    let client = Client::new(stubber.config().build());
    let err = create(&client, "k").await.unwrap_err();
    assert!(matches!(err, SdkError::Dispatch(_)), "{err:?}");
    assert!(err.to_string().contains("unexpected call"), "{err}");
    let checked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| stubber.assert_done()));
    let message = checked.expect_err("assert_done panics");
    let message = message
        .downcast_ref::<String>()
        .cloned()
        .unwrap_or_default();
    assert!(
        message.contains("unexpected call to Lightsail_20161128.CreateKeyPair"),
        "{message}"
    );
}

#[tokio::test]
async fn a_call_with_the_wrong_input_fails() {
    let stubber = Stubber::new();
    stubber.expect::<CreateKeyPair>(
        |input| input.key_pair_name.as_deref() == Some("expected"),
        Ok(result("aa:01")),
    );
    let client = Client::new(stubber.config().build());
    let err = create(&client, "other").await.unwrap_err();
    assert!(
        err.to_string().contains("did not match the expected input"),
        "{err}"
    );
    let checked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| stubber.assert_done()));
    assert!(checked.is_err());
}
