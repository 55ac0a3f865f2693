//! What users of aws-sdk-rust expect of every error: `is_<error>()` predicates per modeled
//! error, and `meta()` with code, message, request id and extended request id.

use lightsail::client::SdkError;
use lightsail::operation::create_key_pair::CreateKeyPairError;
use lightsail::types::{NotFoundException, ServiceException};
use smithgen_runtime::client::ServiceError;
use smithgen_runtime::UnhandledError;

#[test]
fn predicates_name_each_modeled_error() {
    let err = CreateKeyPairError::from(NotFoundException::builder().message("gone").build());
    assert!(err.is_not_found_exception());
    assert!(!err.is_service_exception());
    let other = CreateKeyPairError::from(ServiceException::builder().build());
    assert!(other.is_service_exception());
    assert!(!other.is_not_found_exception());
    let unhandled = CreateKeyPairError::Unhandled(UnhandledError::new("Throttling"));
    assert!(!unhandled.is_not_found_exception());
}

#[test]
fn meta_of_a_modeled_and_an_unhandled_error() {
    let err = CreateKeyPairError::from(NotFoundException::builder().message("gone").build());
    let meta = err.meta();
    assert_eq!(meta.code(), Some("NotFoundException"));
    assert_eq!(meta.message(), Some("gone"));
    assert_eq!(meta.request_id(), None);

    let err = CreateKeyPairError::Unhandled(
        UnhandledError::new("ThrottlingException")
            .with_message("Rate exceeded")
            .with_request_id("req-1"),
    );
    let meta = err.meta();
    assert_eq!(meta.code(), Some("ThrottlingException"));
    assert_eq!(meta.message(), Some("Rate exceeded"));
    assert_eq!(meta.request_id(), Some("req-1"));
}

#[test]
fn sdk_error_meta_adds_the_response_request_ids() {
    let err: SdkError<CreateKeyPairError> = SdkError::Service(ServiceError {
        error: NotFoundException::builder().message("gone").build().into(),
        status: 400,
        request_id: Some("req-2".into()),
        extended_request_id: Some("ext-2".into()),
        attempts: 1,
    });
    let meta = err.meta();
    assert_eq!(meta.code(), Some("NotFoundException"));
    assert_eq!(meta.message(), Some("gone"));
    assert_eq!(meta.request_id(), Some("req-2"));
    assert_eq!(meta.extended_request_id(), Some("ext-2"));
    assert!(err
        .as_service_error()
        .is_some_and(CreateKeyPairError::is_not_found_exception));
}
