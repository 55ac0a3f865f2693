//! aws-sdk-lightsail, driven through its public client with every call answered from memory.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use aws_sdk_lightsail as sdk;
use aws_smithy_http_client::test_util::infallible_client_fn;
use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_types::body::SdkBody;
use sdk::config::interceptors::{
    BeforeDeserializationInterceptorContextRef, BeforeSerializationInterceptorContextRef,
    BeforeTransmitInterceptorContextRef,
};
use sdk::config::retry::RetryConfig;
use sdk::config::{
    BehaviorVersion, ConfigBag, Credentials, Intercept, Region, RuntimeComponents,
    StalledStreamProtectionConfig,
};

/// A client whose every call gets `200 OK` with `body`.
pub fn client(body: &[u8]) -> sdk::Client {
    sdk::Client::from_conf(config(body).build())
}

/// The configuration of [`client`], for adding an interceptor: test credentials (SigV4 signing
/// still runs), a fixed region, the latest behavior version, no retries, and no stalled-stream
/// protection (a timer around the body, not deserialization).
pub fn config(body: &[u8]) -> sdk::config::Builder {
    // `Bytes` clones share the buffer: the canned body is not copied per call.
    let body = bytes::Bytes::copy_from_slice(body);
    let http_client = infallible_client_fn(move |_request| {
        http::Response::builder()
            .status(200)
            .header("content-type", "application/x-amz-json-1.1")
            .header("x-amzn-requestid", "7d4b7c2e-0c3b-4d8e-9a51-6f1f3f0c2a11")
            .header("content-length", body.len().to_string())
            .body(SdkBody::from(body.clone()))
            .expect("a valid response")
    });
    sdk::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new(
            "AKIDEXAMPLE",
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            None,
            None,
            "bench",
        ))
        .http_client(http_client)
        .retry_config(RetryConfig::disabled())
        .stalled_stream_protection(StalledStreamProtectionConfig::disabled())
}

/// Where [`Abort`] stops a call.
#[derive(Clone, Copy, Debug)]
pub enum Stage {
    /// In `read_before_serialization`: everything a call does before serializing its input.
    BeforeSerialization,
    /// In `read_after_serialization`: the same plus serializing the input into a request.
    AfterSerialization,
}

/// Fails the call at a stage, so that the difference between the two stages' call times is the
/// cost of serialization. What follows the failure (completion hooks, building the error) is
/// the same for both.
#[derive(Debug)]
pub struct Abort(pub Stage);

impl Intercept for Abort {
    fn name(&self) -> &'static str {
        "bench::Abort"
    }
    fn read_before_serialization(
        &self,
        _: &BeforeSerializationInterceptorContextRef<'_>,
        _: &RuntimeComponents,
        _: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        match self.0 {
            Stage::BeforeSerialization => Err("bench: stop before serialization".into()),
            Stage::AfterSerialization => Ok(()),
        }
    }
    fn read_after_serialization(
        &self,
        _: &BeforeTransmitInterceptorContextRef<'_>,
        _: &RuntimeComponents,
        _: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        Err("bench: stop after serialization".into())
    }
}

/// A serialized request: its headers and body.
pub type SeenRequest = (Vec<(String, String)>, Vec<u8>);

/// What [`Probe`] saw.
#[derive(Debug, Default)]
pub struct ProbeLog {
    started: Option<Instant>,
    /// Time from `read_before_serialization` to `read_after_serialization`, per call.
    pub serialization: Vec<Duration>,
    /// Time from `read_before_deserialization` to `read_after_deserialization`, per call.
    pub deserialization: Vec<Duration>,
    /// The last serialized request: headers and body.
    pub request: Option<SeenRequest>,
}

/// Times the serialization and deserialization phases from inside the SDK's orchestrator (the
/// hooks that bracket them) and keeps the serialized request. A cross-check for the
/// subtraction method; it adds a mutex lock and two clock reads per phase.
#[derive(Debug, Clone, Default)]
pub struct Probe(pub Arc<Mutex<ProbeLog>>);

impl Intercept for Probe {
    fn name(&self) -> &'static str {
        "bench::Probe"
    }
    fn read_before_serialization(
        &self,
        _: &BeforeSerializationInterceptorContextRef<'_>,
        _: &RuntimeComponents,
        _: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        self.0.lock().unwrap().started = Some(Instant::now());
        Ok(())
    }
    fn read_after_serialization(
        &self,
        context: &BeforeTransmitInterceptorContextRef<'_>,
        _: &RuntimeComponents,
        _: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let now = Instant::now();
        let mut log = self.0.lock().unwrap();
        let started = log.started.take().expect("before serialization ran");
        log.serialization.push(now - started);
        let request = context.request();
        let headers = request
            .headers()
            .iter()
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect();
        let body = request.body().bytes().expect("an in-memory body").to_vec();
        log.request = Some((headers, body));
        Ok(())
    }
    fn read_before_deserialization(
        &self,
        _: &BeforeDeserializationInterceptorContextRef<'_>,
        _: &RuntimeComponents,
        _: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        self.0.lock().unwrap().started = Some(Instant::now());
        Ok(())
    }
    fn read_after_deserialization(
        &self,
        _: &sdk::config::interceptors::AfterDeserializationInterceptorContextRef<'_>,
        _: &RuntimeComponents,
        _: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let now = Instant::now();
        let mut log = self.0.lock().unwrap();
        let started = log.started.take().expect("before deserialization ran");
        log.deserialization.push(now - started);
        Ok(())
    }
}
