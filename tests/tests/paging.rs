//! Paginators, waiters and idempotency tokens, generated from `fixtures/models/paging/`:
//! paginators against a scripted HTTP server on 127.0.0.1 (the requests they send and the
//! pages they return), waiters against the typed `Stubber` on a paused clock (the acceptors,
//! the delays, the final states), idempotency tokens against the server with a retry.

use std::pin::Pin;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;
use std::time::Duration;

use smithgen_runtime::client::{RetryConfig, SdkError, WaiterError};
use smithgen_runtime::UnhandledError;
use smithgen_tests::paging::client::{Client, Config, Credentials, Stubber};
use smithgen_tests::paging::operation::get_thing::{GetThing, GetThingError};
use smithgen_tests::paging::types::{GetThingOutput, NotFound, Part, Status, Thing};
use smithgen_tests::server::{Action, Server};

fn client(server: &Server) -> Client {
    Client::new(config(server).build())
}

fn config(server: &Server) -> smithgen_tests::paging::client::ConfigBuilder {
    Config::builder()
        .region("us-east-1")
        .credentials(Credentials::new("AKID", "secret", None))
        .endpoint_url(server.url())
        .retry_config(RetryConfig::standard().with_initial_backoff(Duration::from_millis(5)))
}

fn json(body: &[u8]) -> serde_json::Value {
    serde_json::from_slice(body).expect("a JSON body")
}

/// The JSON bodies the server received.
fn bodies(server: &Server) -> Vec<serde_json::Value> {
    server.received().iter().map(|r| json(&r.body)).collect()
}

// ------------------------------------------------------------------ paginators

#[tokio::test]
async fn pages_follow_the_token_and_keep_the_page_size() {
    let server = Server::start([
        Action::json(
            200,
            r#"{"nextToken":"t1","things":[{"name":"a"},{"name":"b"}]}"#,
        ),
        Action::json(200, r#"{"nextToken":"t2","things":[{"name":"c"}]}"#),
        Action::json(200, r#"{"things":[{"name":"d"}]}"#),
    ]);
    let mut pages = client(&server)
        .list_things()
        .max_results(2)
        .prefix("p")
        .into_paginator();
    let mut names = Vec::new();
    while let Some(page) = pages.send().await {
        let page = page.expect("a page");
        names.push(
            page.things
                .iter()
                .flatten()
                .map(|t| t.name.clone().unwrap_or_default())
                .collect::<Vec<_>>(),
        );
    }
    assert_eq!(names, [vec!["a", "b"], vec!["c"], vec!["d"]]);
    assert_eq!(pages.pages(), 3);
    assert!(pages.send().await.is_none(), "done stays done");
    let sent = bodies(&server);
    assert_eq!(sent.len(), 3);
    assert_eq!(sent[0], serde_json::json!({"maxResults": 2, "prefix": "p"}));
    assert_eq!(
        sent[1],
        serde_json::json!({"maxResults": 2, "prefix": "p", "nextToken": "t1"})
    );
    assert_eq!(sent[2]["nextToken"], "t2");
    assert_eq!(sent[2]["maxResults"], 2);
}

#[tokio::test]
async fn a_token_set_by_the_caller_starts_the_first_page() {
    let server = Server::start([Action::json(200, r#"{"things":[]}"#)]);
    let mut pages = client(&server)
        .list_things()
        .next_token("resume-here")
        .into_paginator();
    assert!(pages.send().await.expect("one page").is_ok());
    assert!(pages.send().await.is_none());
    assert_eq!(bodies(&server)[0]["nextToken"], "resume-here");
}

#[tokio::test]
async fn an_empty_token_ends_pagination() {
    let server = Server::start([
        Action::json(200, r#"{"nextToken":"t1","count":1}"#),
        Action::json(200, r#"{"nextToken":"","count":2}"#),
    ]);
    let mut pages = client(&server).list_everything().into_paginator();
    let first = pages.send().await.expect("page 1").expect("ok");
    assert_eq!(first.count, Some(1));
    let second = pages.send().await.expect("page 2").expect("ok");
    assert_eq!(second.count, Some(2));
    assert!(pages.send().await.is_none());
    assert_eq!(server.received().len(), 2);
}

#[tokio::test]
async fn a_repeated_token_is_an_error_and_ends_pagination() {
    let server = Server::start([
        Action::json(200, r#"{"nextToken":"same","things":[]}"#),
        Action::json(200, r#"{"nextToken":"same","things":[]}"#),
    ]);
    let mut pages = client(&server).list_things().into_paginator();
    assert!(pages.send().await.expect("page 1").is_ok());
    let err = pages
        .send()
        .await
        .expect("page 2")
        .expect_err("the token repeats");
    let SdkError::Pagination(e) = &err else {
        panic!("a pagination error, got {err:?}");
    };
    assert_eq!((e.operation, e.page), ("ListThings", 2));
    assert!(err
        .to_string()
        .contains("returned the pagination token it was sent"));
    assert!(pages.send().await.is_none());
    assert_eq!(server.received().len(), 2, "nothing sent after the error");
}

#[tokio::test]
async fn an_error_page_ends_pagination() {
    let server = Server::start([
        Action::json(200, r#"{"nextToken":"t1","things":[{"name":"a"}]}"#),
        Action::error(400, "ValidationException", "bad token"),
    ]);
    let mut items = client(&server).list_things().into_items();
    let first = items.next().await.expect("an item").expect("ok");
    assert_eq!(first.name.as_deref(), Some("a"));
    let err = items
        .next()
        .await
        .expect("the error")
        .expect_err("an error");
    assert_eq!(err.meta().code(), Some("ValidationException"));
    assert!(items.next().await.is_none());
}

#[tokio::test]
async fn nested_tokens_and_items_with_an_empty_last_page() {
    let server = Server::start([
        Action::json(
            200,
            r#"{"result":{"page":{"lastKey":"k1"},"entries":["a","b"]}}"#,
        ),
        Action::json(200, r#"{"result":{"page":{"lastKey":"k2"},"entries":[]}}"#),
        Action::json(
            200,
            r#"{"result":{"page":{"lastKey":"k3"},"entries":["c"]}}"#,
        ),
        // The empty last page: no token, no entries.
        Action::json(200, r#"{"result":{"page":{}}}"#),
    ]);
    let items = client(&server)
        .list_nested()
        .limit(2)
        .into_items()
        .collect()
        .await
        .expect("every item");
    assert_eq!(items, ["a", "b", "c"]);
    let sent = bodies(&server);
    let starts: Vec<_> = sent.iter().map(|b| b.get("startAfter").cloned()).collect();
    assert_eq!(
        starts,
        [
            None,
            Some("k1".into()),
            Some("k2".into()),
            Some("k3".into())
        ]
    );
    assert!(
        sent.iter().all(|b| b["limit"] == 2),
        "pageSize kept: {sent:?}"
    );
}

#[tokio::test]
async fn structured_tokens_until_an_empty_map() {
    let server = Server::start([
        Action::json(
            200,
            r#"{"lastEvaluatedKey":{"id":"7"},"items":[{"id":"1"},{"id":"7"}]}"#,
        ),
        Action::json(200, r#"{"lastEvaluatedKey":{},"items":[{"id":"9"}]}"#),
    ]);
    let items = client(&server)
        .scan_items()
        .into_items()
        .collect()
        .await
        .expect("every item");
    let ids: Vec<_> = items.iter().map(|m| m["id"].as_str()).collect();
    assert_eq!(ids, ["1", "7", "9"]);
    assert_eq!(
        bodies(&server)[1],
        serde_json::json!({"exclusiveStartKey": {"id": "7"}})
    );
}

#[tokio::test]
async fn map_items_are_entries() {
    let server = Server::start([
        Action::json(200, r#"{"nextToken":"t","labels":{"a":"1","b":"2"}}"#),
        Action::json(200, r#"{"labels":{"c":"3"}}"#),
    ]);
    let mut entries = client(&server)
        .list_labels()
        .into_items()
        .collect()
        .await
        .expect("every entry");
    entries.sort();
    let want: Vec<(String, String)> = [("a", "1"), ("b", "2"), ("c", "3")]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    assert_eq!(entries, want);
}

/// `Stream::poll_next`, without a combinator crate.
async fn next<S: futures_core::Stream + Unpin>(stream: &mut S) -> Option<S::Item> {
    std::future::poll_fn(|cx| Pin::new(&mut *stream).poll_next(cx)).await
}

#[tokio::test]
async fn paginators_and_items_are_streams() {
    let server = Server::start([
        Action::json(200, r#"{"nextToken":"t1","things":[{"name":"a"}]}"#),
        Action::json(200, r#"{"things":[{"name":"b"}]}"#),
        Action::json(200, r#"{"nextToken":"t1","things":[{"name":"c"}]}"#),
        Action::json(200, r#"{"things":[]}"#),
    ]);
    let client = client(&server);
    let mut pages = client.list_things().into_paginator();
    let mut count = 0;
    while let Some(page) = next(&mut pages).await {
        page.expect("a page");
        count += 1;
    }
    assert_eq!(count, 2);
    let mut items = client.list_things().into_items();
    let mut names = Vec::new();
    while let Some(item) = next(&mut items).await {
        names.push(item.expect("an item").name.unwrap_or_default());
    }
    assert_eq!(names, ["c"]);
}

#[tokio::test]
async fn a_failed_first_page_ends_pagination() {
    let server = Server::start([Action::error(403, "AccessDeniedException", "no")]);
    let mut pages = client(&server).list_things().into_paginator();
    let err = pages.send().await.expect("one item").expect_err("an error");
    assert!(matches!(err, SdkError::Service(_)), "{err:?}");
    assert_eq!(err.meta().code(), Some("AccessDeniedException"));
    assert!(pages.send().await.is_none());
    assert_eq!(pages.pages(), 1);
}

// ------------------------------------------------------------------ waiters

fn thing(status: Option<Status>, parts: &[(&str, i32)]) -> GetThingOutput {
    let mut thing = Thing::builder().name("n");
    if let Some(status) = status {
        thing = thing.status(status);
    }
    for (state, wear) in parts {
        thing = thing.parts(Part::builder().state(*state).wear(*wear).build());
    }
    GetThingOutput::builder().thing(thing.build()).build()
}

fn not_found() -> GetThingError {
    GetThingError::NotFound(NotFound::builder().message("no such thing").build())
}

fn stubbed() -> (Stubber, Client) {
    let stubber = Stubber::new();
    let client = Client::new(stubber.config().build());
    (stubber, client)
}

fn named(name: &'static str) -> impl FnOnce(&smithgen_tests::paging::types::GetThingInput) -> bool {
    move |input| input.name.as_deref() == Some(name)
}

#[tokio::test(start_paused = true)]
async fn a_waiter_retries_through_errors_and_states_until_success() {
    let (stubber, client) = stubbed();
    stubber.expect::<GetThing>(named("n"), Err(not_found()));
    stubber.expect::<GetThing>(named("n"), Ok(thing(Some(Status::Pending), &[])));
    stubber.expect::<GetThing>(named("n"), Ok(thing(Some(Status::Ready), &[])));
    let start = tokio::time::Instant::now();
    let done = client
        .wait_until_thing_ready()
        .name("n")
        .wait(Duration::from_secs(60))
        .await
        .expect("ready");
    assert_eq!(done.attempts, 3);
    let status = done.output().and_then(|o| o.thing.as_ref()?.status.clone());
    assert_eq!(status, Some(Status::Ready));
    // minDelay 2, maxDelay 10: the first delay is 2 s, the second between 2 and 4 s.
    let waited = start.elapsed();
    assert!(
        (Duration::from_secs(4)..=Duration::from_secs(6)).contains(&waited),
        "{waited:?}"
    );
    stubber.assert_done();
}

#[tokio::test(start_paused = true)]
async fn a_failure_acceptor_stops_with_the_response() {
    let (stubber, client) = stubbed();
    stubber.expect::<GetThing>(named("n"), Ok(thing(Some(Status::Failed), &[])));
    let err = client
        .wait_until_thing_ready()
        .name("n")
        .wait(Duration::from_secs(60))
        .await
        .expect_err("failed");
    let WaiterError::FailureState {
        waiter,
        attempts,
        last,
    } = &err
    else {
        panic!("a failure state, got {err:?}");
    };
    assert_eq!((*waiter, *attempts), ("ThingReady", 1));
    let last = last.as_ref().expect("the failing response");
    assert_eq!(
        last.thing.as_ref().and_then(|t| t.status.clone()),
        Some(Status::Failed)
    );
    assert!(err
        .to_string()
        .contains("ThingReady reached its failure state"));
    stubber.assert_done();
}

#[tokio::test(start_paused = true)]
async fn an_error_no_acceptor_expects_is_unexpected() {
    let (stubber, client) = stubbed();
    stubber.expect_unhandled::<GetThing>(
        named("n"),
        UnhandledError::new("AccessDenied")
            .with_message("no")
            .with_status(403),
    );
    let err = client
        .wait_until_thing_ready()
        .name("n")
        .wait(Duration::from_secs(60))
        .await
        .expect_err("unexpected");
    let WaiterError::Unexpected {
        error, attempts, ..
    } = &err
    else {
        panic!("unexpected, got {err:?}");
    };
    assert_eq!(*attempts, 1);
    assert_eq!(error.meta().code(), Some("AccessDenied"));
    stubber.assert_done();
}

#[tokio::test(start_paused = true)]
async fn an_invalid_input_is_unexpected_before_any_call() {
    let (stubber, client) = stubbed();
    let err = client
        .wait_until_thing_ready()
        .wait(Duration::from_secs(60))
        .await
        .expect_err("name is required");
    assert!(matches!(
        err,
        WaiterError::Unexpected {
            attempts: 0,
            error: SdkError::Construction(_),
            ..
        }
    ));
    assert_eq!(stubber.calls(), 0);
}

#[tokio::test(start_paused = true)]
async fn a_waiter_times_out_after_its_last_poll() {
    // PartsDone: minDelay = maxDelay = 1 s, so the schedule is fixed: polls at 0, 1, 2, 3 s,
    // then (3 s left minus 1 s would leave no more than minDelay) one last poll at 5 s.
    let (stubber, client) = stubbed();
    for _ in 0..5 {
        stubber.expect::<GetThing>(named("n"), Ok(thing(None, &[("PENDING", 1)])));
    }
    let start = tokio::time::Instant::now();
    let err = client
        .wait_until_parts_done()
        .name("n")
        .wait(Duration::from_secs(5))
        .await
        .expect_err("never done");
    let WaiterError::TimedOut {
        attempts,
        last,
        max_wait,
        ..
    } = &err
    else {
        panic!("a timeout, got {err:?}");
    };
    assert_eq!((*attempts, *max_wait), (5, Duration::from_secs(5)));
    assert!(matches!(last, Some(Ok(_))));
    assert_eq!(start.elapsed(), Duration::from_secs(5));
    assert!(err.to_string().contains("PartsDone timed out after 5s"));
    stubber.assert_done();
}

/// Runs PartsDone over one response (then, if it retries, a response that succeeds).
async fn parts_done(parts: &[(&str, i32)]) -> Result<u32, String> {
    let (stubber, client) = stubbed();
    stubber.expect::<GetThing>(named("n"), Ok(thing(None, parts)));
    let retried = Arc::new(AtomicU32::new(0));
    let seen = retried.clone();
    stubber.expect::<GetThing>(
        move |_| {
            seen.fetch_add(1, Ordering::Relaxed);
            true
        },
        Ok(thing(None, &[("DONE", 0)])),
    );
    let result = client
        .wait_until_parts_done()
        .name("n")
        .wait(Duration::from_secs(60))
        .await;
    let answer = match result {
        Ok(done) => Ok(done.attempts),
        Err(WaiterError::FailureState { .. }) => Err("failure".to_owned()),
        Err(e) => Err(e.to_string()),
    };
    // Not retried: the second expectation is left; clear it by making the call.
    if retried.load(Ordering::Relaxed) == 0 {
        let _ = client.get_thing().name("n").send().await;
    }
    stubber.assert_done();
    answer
}

#[tokio::test(start_paused = true)]
async fn filters_projections_and_comparators_classify_like_jmespath() {
    // `length(thing.parts[?state == 'BROKEN' || (state == 'WORN' && wear > `90`)]) > `0``
    assert_eq!(
        parts_done(&[("DONE", 0), ("BROKEN", 0)]).await,
        Err("failure".into())
    );
    assert_eq!(parts_done(&[("WORN", 95)]).await, Err("failure".into()));
    // Worn but not past 90: not a failure; not all DONE; not PENDING: no acceptor matches a
    // success, so the waiter retries (and the second response is all DONE).
    assert_eq!(parts_done(&[("WORN", 50)]).await, Ok(2));
    // `allStringEquals` over `thing.parts[].state`.
    assert_eq!(parts_done(&[("DONE", 1), ("DONE", 2)]).await, Ok(1));
    // An empty array is never "all equal": retried.
    assert_eq!(parts_done(&[]).await, Ok(2));
    // `anyStringEquals` PENDING: retried explicitly.
    assert_eq!(parts_done(&[("DONE", 1), ("PENDING", 2)]).await, Ok(2));
}

#[tokio::test(start_paused = true)]
async fn a_waiter_can_succeed_on_an_error() {
    let (stubber, client) = stubbed();
    stubber.expect::<GetThing>(named("gone"), Ok(thing(Some(Status::Ready), &[])));
    stubber.expect::<GetThing>(named("gone"), Err(not_found()));
    let done = client
        .wait_until_thing_gone()
        .name("gone")
        .wait(Duration::from_secs(60))
        .await
        .expect("gone");
    assert_eq!(done.attempts, 2);
    assert!(done.output().is_none());
    assert!(matches!(
        done.last.as_ref().err().and_then(|e| e.as_service_error()),
        Some(GetThingError::NotFound(_))
    ));
    stubber.assert_done();
}

#[tokio::test(start_paused = true)]
async fn input_output_matchers_see_the_input() {
    let echoed = |name: &str, tags: &[&str]| {
        let mut t = Thing::builder().name(name);
        for tag in tags {
            t = t.tags(*tag);
        }
        GetThingOutput::builder().thing(t.build()).build()
    };
    let (stubber, client) = stubbed();
    stubber.expect::<GetThing>(named("n"), Ok(echoed("other", &["echo"])));
    stubber.expect::<GetThing>(named("n"), Ok(echoed("n", &["x"])));
    stubber.expect::<GetThing>(named("n"), Ok(echoed("n", &["x", "echo"])));
    let done = client
        .wait_until_name_echoed()
        .name("n")
        .wait(Duration::from_secs(600))
        .await
        .expect("echoed");
    assert_eq!(done.attempts, 3);
    stubber.assert_done();
}

#[tokio::test(start_paused = true)]
async fn dropping_a_waiter_cancels_it() {
    let (stubber, client) = stubbed();
    stubber.expect::<GetThing>(named("n"), Ok(thing(Some(Status::Pending), &[])));
    let wait = client
        .wait_until_thing_ready()
        .name("n")
        .wait(Duration::from_secs(600));
    // It polls once, then sleeps; the timeout drops it while it sleeps.
    assert!(tokio::time::timeout(Duration::from_secs(1), wait)
        .await
        .is_err());
    assert_eq!(stubber.calls(), 1);
    stubber.assert_done();
}

// ------------------------------------------------------------------ idempotency tokens

fn is_uuid_v4(s: &str) -> bool {
    let b = s.as_bytes();
    s.len() == 36
        && [8, 13, 18, 23].iter().all(|&i| b[i] == b'-')
        && b[14] == b'4'
        && matches!(b[19], b'8' | b'9' | b'a' | b'b')
        && s.chars()
            .enumerate()
            .all(|(i, c)| [8, 13, 18, 23].contains(&i) || c.is_ascii_hexdigit())
}

#[tokio::test]
async fn an_unset_token_is_filled_once_and_kept_across_retries() {
    let server = Server::start([
        Action::error(500, "InternalFailure", "try again"),
        Action::json(200, "{}"),
        Action::json(200, "{}"),
    ]);
    let client = client(&server);
    let out = client
        .create_thing()
        .name("x")
        .send()
        .await
        .expect("created");
    assert_eq!(out.attempts(), 2);
    client.create_thing().name("x").send().await.expect("again");
    let sent = bodies(&server);
    let tokens: Vec<&str> = sent
        .iter()
        .map(|b| b["clientToken"].as_str().expect("a token"))
        .collect();
    assert_eq!(tokens[0], tokens[1], "the retry resends the same token");
    assert_ne!(tokens[1], tokens[2], "a new call gets a new token");
    assert!(tokens.iter().all(|t| is_uuid_v4(t)), "{tokens:?}");
}

#[tokio::test]
async fn a_token_the_caller_sets_is_sent_as_is() {
    let server = Server::start([Action::json(200, "{}")]);
    client(&server)
        .create_thing()
        .name("x")
        .client_token("mine")
        .send()
        .await
        .expect("created");
    assert_eq!(bodies(&server)[0]["clientToken"], "mine");
}

#[tokio::test]
async fn the_token_source_is_replaceable() {
    let server = Server::start([Action::json(200, "{}"), Action::json(200, "{}")]);
    let counter = Arc::new(AtomicU32::new(0));
    let next = counter.clone();
    let client = Client::new(
        config(&server)
            .idempotency_token_provider(move || {
                format!("token-{}", next.fetch_add(1, Ordering::Relaxed) + 1)
            })
            .build(),
    );
    for _ in 0..2 {
        client
            .create_thing()
            .name("x")
            .send()
            .await
            .expect("created");
    }
    let tokens: Vec<_> = bodies(&server)
        .iter()
        .map(|b| b["clientToken"].clone())
        .collect();
    assert_eq!(tokens, ["token-1", "token-2"]);
    assert_eq!(counter.load(Ordering::Relaxed), 2);
}
