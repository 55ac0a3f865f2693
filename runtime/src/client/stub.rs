//! A typed stubber for unit tests of code that uses a generated client: queue the calls you
//! expect, with a matcher over the operation's typed input and a typed output or error; a
//! client built on the stubber answers from the queue and sends nothing over the network.
//!
//! ```ignore
//! let stubber = Stubber::new();
//! stubber.expect::<CreateKeyPair>(
//!     |input| input.key_pair_name.as_deref() == Some("k"),
//!     Ok(CreateKeyPairResult::builder().build()),
//! );
//! let client = Client::new(stubber.config().build());
//! my_code_under_test(&client).await;
//! stubber.assert_done(); // every expectation met, nothing unexpected
//! ```
//!
//! A call that matches no expectation fails (with an [`SdkError::Dispatch`](super::SdkError)
//! naming the call) and is recorded; [`Stubber::assert_done`] — or dropping the last handle of
//! the stubber — panics with every failure and every expectation left unmet.
//!
//! The stubber reads the inputs it is sent and writes the outputs and errors it answers with:
//! code a client never runs, which generated crates compile only with their `test-util`
//! feature (without it, `expect::<Op>` does not compile and says so).

use std::collections::VecDeque;
use std::fmt;
use std::sync::{Arc, Mutex};

use super::config::{Config, ConfigBuilder};
use super::http::{
    BoxFuture, ConnectorError, ConnectorErrorKind, HttpClient, HttpRequest, HttpResponse,
};
use super::retry::RetryConfig;
use crate::auth::credentials::Credentials;
use crate::protocol::aws_json::AwsJsonOperation;
use crate::protocol::{ErrorFields, JsonRead, JsonWrite};
use crate::UnhandledError;

type Handler = Box<dyn FnOnce(&HttpRequest) -> Result<HttpResponse, String> + Send>;

struct Expectation {
    operation: &'static str,
    target: &'static str,
    handler: Handler,
}

#[derive(Default)]
struct State {
    queue: VecDeque<Expectation>,
    failures: Vec<String>,
    calls: usize,
}

struct Inner {
    state: Mutex<State>,
}

impl Inner {
    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn problems(&self) -> Vec<String> {
        let state = self.lock();
        let mut problems = state.failures.clone();
        problems.extend(
            state
                .queue
                .iter()
                .map(|e| format!("expected call to {} was never made", e.operation)),
        );
        problems
    }
}

impl Drop for Inner {
    fn drop(&mut self) {
        if std::thread::panicking() {
            return;
        }
        let problems = self.problems();
        if !problems.is_empty() {
            panic!("stubber: {}", problems.join("; "));
        }
    }
}

/// Answers a client's calls from a queue of typed expectations. Clones share the queue.
#[derive(Clone)]
pub struct Stubber {
    inner: Arc<Inner>,
}

impl Default for Stubber {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Debug for Stubber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = self.inner.lock();
        f.debug_struct("Stubber")
            .field(
                "pending",
                &state.queue.iter().map(|e| e.operation).collect::<Vec<_>>(),
            )
            .field("calls", &state.calls)
            .field("failures", &state.failures)
            .finish()
    }
}

impl Stubber {
    /// A stubber with no expectations.
    pub fn new() -> Self {
        Stubber {
            inner: Arc::new(Inner {
                state: Mutex::new(State::default()),
            }),
        }
    }

    /// A configuration for a client answered by this stubber: region `us-east-1`, fixed test
    /// credentials, no retries, no timeouts. Change anything with the builder.
    pub fn config(&self) -> ConfigBuilder {
        Config::builder()
            .region("us-east-1")
            .credentials(Credentials::new(
                "AKIDSTUBBER",
                "stubber-secret-access-key",
                None,
            ))
            .retry_config(RetryConfig::disabled())
            .timeout_config(super::config::TimeoutConfig::disabled())
            .http_client(self.clone())
    }

    /// Expects a call of `O` whose input satisfies `matches`, answered with `reply`: the output,
    /// or the operation's error (a modeled error; `Unhandled` is answered with its code only,
    /// see [`expect_unhandled`](Self::expect_unhandled) for more).
    pub fn expect<O>(
        &self,
        matches: impl FnOnce(&O::Input) -> bool + Send + 'static,
        reply: Result<O::Output, O::Error>,
    ) where
        O: AwsJsonOperation,
        O::Input: JsonWrite + JsonRead + fmt::Debug,
        O::Output: JsonRead + JsonWrite,
        O::Error: ErrorFields,
    {
        let response = match reply {
            Ok(output) => HttpResponse {
                status: 200,
                headers: vec![
                    ("Content-Type".into(), O::VERSION.content_type().into()),
                    ("x-amzn-RequestId".into(), "stubbed-request-id".into()),
                ],
                body: output.to_json().into_bytes(),
            },
            Err(error) => error_response(error.error_code(), error.fields_json(), None, 400),
        };
        self.push::<O>(matches, response);
    }

    /// Expects a call of `O` with exactly this input.
    pub fn expect_input<O>(&self, expected: O::Input, reply: Result<O::Output, O::Error>)
    where
        O: AwsJsonOperation,
        O::Input: JsonWrite + JsonRead + fmt::Debug + PartialEq + Send + 'static,
        O::Output: JsonRead + JsonWrite,
        O::Error: ErrorFields,
    {
        self.expect::<O>(move |input| *input == expected, reply);
    }

    /// Expects a call of `O` answered with an error the model does not describe (its code,
    /// message and status; 4xx statuses are not retried by the standard policy).
    pub fn expect_unhandled<O>(
        &self,
        matches: impl FnOnce(&O::Input) -> bool + Send + 'static,
        error: UnhandledError,
    ) where
        O: AwsJsonOperation,
        O::Input: JsonWrite + JsonRead + fmt::Debug,
        O::Output: JsonRead + JsonWrite,
    {
        let fields = error
            .message()
            .map(json_string)
            .map(|m| format!("{{\"message\":{m}}}"));
        let response = error_response(
            error.code(),
            fields,
            error.request_id(),
            error.status().unwrap_or(400),
        );
        self.push::<O>(matches, response);
    }

    fn push<O>(
        &self,
        matches: impl FnOnce(&O::Input) -> bool + Send + 'static,
        response: HttpResponse,
    ) where
        O: AwsJsonOperation,
        O::Input: JsonWrite + JsonRead + fmt::Debug,
        O::Output: JsonRead + JsonWrite,
    {
        let handler: Handler = Box::new(move |request: &HttpRequest| {
            let input = O::Input::from_json(&request.body)
                .map_err(|e| format!("the {} request body does not parse: {e}", O::NAME))?;
            if matches(&input) {
                Ok(response)
            } else {
                Err(format!(
                    "call to {} did not match the expected input: {input:?}",
                    O::NAME
                ))
            }
        });
        self.inner.lock().queue.push_back(Expectation {
            operation: O::NAME,
            target: O::TARGET,
            handler,
        });
    }

    /// The number of calls answered or refused so far.
    pub fn calls(&self) -> usize {
        self.inner.lock().calls
    }

    /// Panics unless every expectation was met and no call was unexpected.
    pub fn assert_done(&self) {
        let problems = self.inner.problems();
        if !problems.is_empty() {
            let mut state = self.inner.lock();
            // Reported once: the drop check must not panic again.
            state.failures.clear();
            state.queue.clear();
            drop(state);
            panic!("stubber: {}", problems.join("; "));
        }
    }
}

fn json_string(value: &str) -> String {
    let mut w = crate::json::JsonWriter::new();
    w.string(value);
    w.finish()
}

fn error_response(
    code: &str,
    fields: Option<String>,
    request_id: Option<&str>,
    status: u16,
) -> HttpResponse {
    let code = json_string(code);
    let body = match fields.as_deref().map(str::trim) {
        Some(f) if f.len() > 2 => format!("{{\"__type\":{code},{}", &f[1..]),
        _ => format!("{{\"__type\":{code}}}"),
    };
    HttpResponse {
        status,
        headers: vec![(
            "x-amzn-RequestId".into(),
            request_id.unwrap_or("stubbed-request-id").into(),
        )],
        body: body.into_bytes(),
    }
}

impl HttpClient for Stubber {
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, ConnectorError>> {
        let outcome = {
            let mut state = self.inner.lock();
            state.calls += 1;
            let target = request
                .header("x-amz-target")
                .unwrap_or_default()
                .to_owned();
            match state.queue.front() {
                None => Err(format!("unexpected call to {target}: no expectation left")),
                Some(next) if next.target != target => Err(format!(
                    "unexpected call to {target}: expected a call to {}",
                    next.operation
                )),
                Some(_) => {
                    let next = state.queue.pop_front().expect("front exists");
                    drop(state);
                    (next.handler)(&request)
                }
            }
        };
        let outcome = outcome.map_err(|message| {
            self.inner.lock().failures.push(message.clone());
            ConnectorError::new(ConnectorErrorKind::Other, format!("stubber: {message}"))
        });
        Box::pin(std::future::ready(outcome))
    }
}
