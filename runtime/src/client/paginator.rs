//! One paginator for every `@paginated` operation: it sends the call, reads the output's
//! continuation token, copies it into the next call's input and stops when the service gives
//! no token (or an empty one). A generated crate implements [`Paginated`] for each paginated
//! operation (a few lines: where the tokens, the page size and the items are) and nothing else.
//!
//! ```ignore
//! let mut pages = client.list_tables().limit(10).into_paginator();
//! while let Some(page) = pages.send().await {
//!     println!("{:?}", page?.table_names);
//! }
//! ```
//!
//! [`Paginator`] and [`Items`] are also [`futures_core::Stream`]s, for code that uses a stream
//! combinator crate.

use std::collections::HashMap;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use super::{ClientHandle, Response, SdkError};
use crate::protocol::WireOperation;
use crate::BuildError;

/// A continuation token: the service's `nextToken` string, or a structured key such as
/// DynamoDB's `LastEvaluatedKey`. An empty token ends pagination, as an absent one does.
pub trait PageToken: Clone + PartialEq + Send + 'static {
    /// Whether the token is empty (`""`, `{}`).
    fn is_empty_token(&self) -> bool;
}

impl PageToken for String {
    fn is_empty_token(&self) -> bool {
        self.is_empty()
    }
}

impl<K, V> PageToken for HashMap<K, V>
where
    K: Clone + Eq + std::hash::Hash + Send + 'static,
    V: Clone + PartialEq + Send + 'static,
{
    fn is_empty_token(&self) -> bool {
        self.is_empty()
    }
}

/// A `@paginated` operation: where its input and output tokens and its items are. Generated
/// crates implement it on the operation's marker type.
pub trait Paginated: WireOperation
where
    Self::Input: Clone + Send + Sync + 'static,
    Self::Output: Send + 'static,
    Self::Error: Send + 'static,
{
    /// The token's type (the input token member's).
    type Token: PageToken;

    /// The input token (what the caller set, or the previous page's output token).
    fn input_token(input: &Self::Input) -> Option<&Self::Token>;
    /// Sets the input token of the next call.
    fn set_token(input: &mut Self::Input, token: Option<Self::Token>);
    /// The output token (following a nested path such as `result.nextToken`).
    fn token(output: &Self::Output) -> Option<&Self::Token>;
}

/// A `@paginated` operation with an `items` path.
pub trait PaginatedItems: Paginated
where
    Self::Input: Clone + Send + Sync + 'static,
    Self::Output: Send + 'static,
    Self::Error: Send + 'static,
{
    /// One item (a list's item; a map's entry as a `(key, value)` pair).
    type Item: Send + 'static;
    /// Takes the page's items out of the output.
    fn take_items(output: &mut Self::Output) -> Vec<Self::Item>;
}

/// Why pagination stopped with an error of its own.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PaginationError {
    /// The operation.
    pub operation: &'static str,
    /// The page whose response repeated the token it was sent (1 is the first page).
    pub page: usize,
}

impl fmt::Display for PaginationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: the service returned the pagination token it was sent (page {}); \
             stopping rather than fetching the same page forever",
            self.operation, self.page
        )
    }
}

impl std::error::Error for PaginationError {}

type PageResult<O> =
    Result<Response<<O as crate::Operation>::Output>, SdkError<<O as crate::Operation>::Error>>;
type PageFuture<O> = Pin<Box<dyn Future<Output = PageResult<O>> + Send>>;

enum State<O: Paginated>
where
    O::Input: Clone + Send + Sync + 'static,
    O::Output: Send + 'static,
    O::Error: Send + 'static,
{
    /// The next call's input (its token already set), or the builder's error.
    Ready(Result<O::Input, BuildError>),
    /// A call in flight, with the input it was sent (`None` when it could not be built).
    Sending(PageFuture<O>, Option<O::Input>),
    /// No more pages.
    Done,
}

/// The pages of a `@paginated` operation: [`send`](Paginator::send) fetches the next one.
/// Made by the operation's fluent builder (`client.list_x().into_paginator()`).
pub struct Paginator<O: Paginated>
where
    O::Input: Clone + Send + Sync + 'static,
    O::Output: Send + 'static,
    O::Error: Send + 'static,
{
    handle: Arc<ClientHandle>,
    state: State<O>,
    pages: usize,
}

impl<O: Paginated> fmt::Debug for Paginator<O>
where
    O::Input: Clone + Send + Sync + 'static,
    O::Output: Send + 'static,
    O::Error: Send + 'static,
{
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = match self.state {
            State::Ready(_) => "ready",
            State::Sending(..) => "sending",
            State::Done => "done",
        };
        f.debug_struct("Paginator")
            .field("operation", &O::NAME)
            .field("pages", &self.pages)
            .field("state", &state)
            .finish()
    }
}

impl<O: Paginated> Paginator<O>
where
    O::Input: Clone + Send + Sync + 'static,
    O::Output: Send + 'static,
    O::Error: Send + 'static,
{
    /// A paginator whose first call sends `input` (with the token the caller set, if any).
    pub fn new(handle: Arc<ClientHandle>, input: Result<O::Input, BuildError>) -> Self {
        Paginator {
            handle,
            state: State::Ready(input),
            pages: 0,
        }
    }

    /// The next page, or `None` after the last one. The last page is the first whose output
    /// token is absent or empty; an error also ends pagination (it is the last item), and a
    /// response repeating the token it was sent is one ([`SdkError::Pagination`]).
    pub async fn send(&mut self) -> Option<PageResult<O>> {
        std::future::poll_fn(|cx| self.poll_page(cx)).await
    }

    /// The pages' items, one at a time, across pages.
    pub fn items(self) -> Items<O>
    where
        O: PaginatedItems,
    {
        Items {
            pages: self,
            buffered: Vec::new().into_iter(),
        }
    }

    /// How many pages (or errors) were returned so far.
    pub fn pages(&self) -> usize {
        self.pages
    }

    fn poll_page(&mut self, cx: &mut Context<'_>) -> Poll<Option<PageResult<O>>> {
        loop {
            match std::mem::replace(&mut self.state, State::Done) {
                State::Done => return Poll::Ready(None),
                State::Ready(input) => {
                    let handle = self.handle.clone();
                    let (call, kept) = match input {
                        Ok(input) => (Ok(input.clone()), Some(input)),
                        Err(e) => (Err(e), None),
                    };
                    let future: PageFuture<O> =
                        Box::pin(async move { handle.invoke::<O>(call).await });
                    self.state = State::Sending(future, kept);
                }
                State::Sending(mut future, input) => {
                    let result = match future.as_mut().poll(cx) {
                        Poll::Pending => {
                            self.state = State::Sending(future, input);
                            return Poll::Pending;
                        }
                        Poll::Ready(result) => result,
                    };
                    self.pages += 1;
                    let (Ok(response), Some(mut input)) = (&result, input) else {
                        return Poll::Ready(Some(result));
                    };
                    match O::token(response.output()) {
                        None => {}
                        Some(token) if token.is_empty_token() => {}
                        Some(token) if O::input_token(&input) == Some(token) => {
                            return Poll::Ready(Some(Err(SdkError::Pagination(PaginationError {
                                operation: O::NAME,
                                page: self.pages,
                            }))));
                        }
                        Some(token) => {
                            O::set_token(&mut input, Some(token.clone()));
                            self.state = State::Ready(Ok(input));
                        }
                    }
                    return Poll::Ready(Some(result));
                }
            }
        }
    }
}

impl<O: Paginated> futures_core::Stream for Paginator<O>
where
    O::Input: Unpin,
    O::Input: Clone + Send + Sync + 'static,
    O::Output: Send + 'static,
    O::Error: Send + 'static,
{
    type Item = PageResult<O>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut().poll_page(cx)
    }
}

/// The items of every page of a `@paginated` operation, in order: what
/// [`Paginator::items`] returns. An error ends the items (it is the last one).
pub struct Items<O: PaginatedItems>
where
    O::Input: Clone + Send + Sync + 'static,
    O::Output: Send + 'static,
    O::Error: Send + 'static,
{
    pages: Paginator<O>,
    buffered: std::vec::IntoIter<O::Item>,
}

impl<O: PaginatedItems> fmt::Debug for Items<O>
where
    O::Input: Clone + Send + Sync + 'static,
    O::Output: Send + 'static,
    O::Error: Send + 'static,
{
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Items")
            .field("pages", &self.pages)
            .field("buffered", &self.buffered.len())
            .finish()
    }
}

type ItemResult<O> = Result<<O as PaginatedItems>::Item, SdkError<<O as crate::Operation>::Error>>;

impl<O: PaginatedItems> Items<O>
where
    O::Input: Clone + Send + Sync + 'static,
    O::Output: Send + 'static,
    O::Error: Send + 'static,
{
    /// The next item, fetching pages as needed (pages without items are skipped); `None`
    /// after the last.
    pub async fn next(&mut self) -> Option<ItemResult<O>> {
        std::future::poll_fn(|cx| self.poll_item(cx)).await
    }

    /// Every remaining item, or the first error.
    pub async fn collect(mut self) -> Result<Vec<O::Item>, SdkError<O::Error>> {
        let mut all = Vec::new();
        while let Some(item) = self.next().await {
            all.push(item?);
        }
        Ok(all)
    }

    fn poll_item(&mut self, cx: &mut Context<'_>) -> Poll<Option<ItemResult<O>>> {
        loop {
            if let Some(item) = self.buffered.next() {
                return Poll::Ready(Some(Ok(item)));
            }
            match self.pages.poll_page(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(None) => return Poll::Ready(None),
                Poll::Ready(Some(Err(e))) => return Poll::Ready(Some(Err(e))),
                Poll::Ready(Some(Ok(page))) => {
                    let mut output = page.into_inner();
                    self.buffered = O::take_items(&mut output).into_iter();
                }
            }
        }
    }
}

impl<O: PaginatedItems> futures_core::Stream for Items<O>
where
    O::Input: Unpin,
    O::Item: Unpin,
    O::Input: Clone + Send + Sync + 'static,
    O::Output: Send + 'static,
    O::Error: Send + 'static,
{
    type Item = ItemResult<O>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut().poll_item(cx)
    }
}
