//! [`ByteStream`]: the value of a `@streaming` blob member — an upload read from memory, a file
//! or any stream, or a download read chunk by chunk as it arrives.
//!
//! ```
//! # async fn demo() -> std::io::Result<()> {
//! use smithgen_runtime::ByteStream;
//! // Uploads: from memory, from a file (its length is known, and a retry reads it again)…
//! let small = ByteStream::from("hello");
//! let file = ByteStream::from_path("Cargo.toml").await?;
//! assert!(file.length().is_some());
//! // …downloads: chunk by chunk, or all at once.
//! let mut body = small;
//! while let Some(chunk) = body.next().await {
//!     let chunk = chunk?;
//!     assert_eq!(&chunk[..], b"hello");
//! }
//! # Ok(()) }
//! ```

use std::fmt;
use std::io;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

pub use bytes::Bytes;
use futures_core::Stream;

/// The chunks of a one-shot stream.
type Chunks = Pin<Box<dyn Stream<Item = io::Result<Bytes>> + Send>>;

/// How large the chunks read from a file or an `AsyncRead` are.
#[cfg(feature = "client")]
const READ_CHUNK: usize = 64 * 1024;

/// A body of bytes that need not be in memory.
///
/// - Built from bytes in memory (`From<Vec<u8>>`, `From<&'static str>`, …), from a file
///   ([`from_path`](ByteStream::from_path)), an [`AsyncRead`](tokio::io::AsyncRead)
///   ([`from_async_read`](ByteStream::from_async_read)) or a [`Stream`] of chunks
///   ([`from_stream`](ByteStream::from_stream)).
/// - Read with [`next`](ByteStream::next) (or as a [`Stream`]), as an `AsyncRead`
///   ([`into_async_read`](ByteStream::into_async_read)), or whole with
///   [`collect`](ByteStream::collect).
///
/// Cloning is cheap. A clone of bytes or of a file reads the same bytes again from the start
/// (which is how a failed upload is retried); a clone of a one-shot stream shares it, and only
/// the first reader gets its chunks (the others get an error saying so).
///
/// Equality compares what is known without reading: bytes in memory by value, files by path and
/// length, a one-shot stream only to its own clones.
pub struct ByteStream {
    source: Source,
    // Only ever reached through `&mut self` (`Mutex::get_mut`): the lock makes the state `Sync`
    // without costing anything.
    state: Mutex<State>,
}

#[derive(Clone)]
enum Source {
    Bytes(Bytes),
    #[cfg(feature = "client")]
    File {
        path: Arc<std::path::Path>,
        length: u64,
    },
    Once {
        chunks: Arc<Mutex<Option<Chunks>>>,
        length: Option<u64>,
    },
}

enum State {
    Start,
    #[cfg(feature = "client")]
    Opening(Pin<Box<dyn std::future::Future<Output = io::Result<tokio::fs::File>> + Send>>),
    #[cfg(feature = "client")]
    File {
        file: tokio::fs::File,
        left: u64,
    },
    Chunks {
        chunks: Chunks,
        /// Bytes still due when the length was declared.
        left: Option<u64>,
    },
    Done,
}

impl ByteStream {
    /// An empty body.
    pub fn new() -> ByteStream {
        ByteStream::from_source(Source::Bytes(Bytes::new()))
    }

    fn from_source(source: Source) -> ByteStream {
        ByteStream {
            source,
            state: Mutex::new(State::Start),
        }
    }

    /// A one-shot stream of chunks (a body that cannot be read twice: an upload from it is not
    /// retried once sent). Its length is unknown unless given with
    /// [`with_length`](ByteStream::with_length).
    pub fn from_stream<S, E>(stream: S) -> ByteStream
    where
        S: Stream<Item = Result<Bytes, E>> + Send + 'static,
        E: Into<Box<dyn std::error::Error + Send + Sync>>,
    {
        let chunks: Chunks = Box::pin(MapErr(Box::pin(stream)));
        ByteStream::from_source(Source::Once {
            chunks: Arc::new(Mutex::new(Some(chunks))),
            length: None,
        })
    }

    /// Declares the length of a stream made with [`from_stream`](ByteStream::from_stream) or
    /// [`from_async_read`](ByteStream::from_async_read), so that an upload sends
    /// `Content-Length` (which `@requiresLength` members need). Reading fails if the stream ends
    /// short of `length` bytes or goes past it. Bytes and files know their length already:
    /// for them this does nothing.
    pub fn with_length(mut self, length: u64) -> ByteStream {
        if let Source::Once { length: known, .. } = &mut self.source {
            *known = Some(length);
        }
        self
    }

    /// The number of bytes, when known before reading (bytes, files, a declared length).
    pub fn length(&self) -> Option<u64> {
        match &self.source {
            Source::Bytes(b) => Some(b.len() as u64),
            #[cfg(feature = "client")]
            Source::File { length, .. } => Some(*length),
            Source::Once { length, .. } => *length,
        }
    }

    /// The bytes, when the body is in memory.
    pub fn bytes(&self) -> Option<&[u8]> {
        match &self.source {
            Source::Bytes(b) => Some(b),
            _ => None,
        }
    }

    /// Whether reading it again from the start is possible (bytes and files): an upload that
    /// failed can then be retried.
    pub fn is_replayable(&self) -> bool {
        !matches!(self.source, Source::Once { .. })
    }

    /// The next chunk; `None` at the end.
    pub async fn next(&mut self) -> Option<io::Result<Bytes>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }

    /// Reads everything into memory.
    pub async fn collect(self) -> io::Result<Bytes> {
        self.collect_at_most(usize::MAX).await
    }

    /// Reads everything into memory, failing (with [`io::ErrorKind::InvalidData`]) past `limit`
    /// bytes.
    pub async fn collect_at_most(mut self, limit: usize) -> io::Result<Bytes> {
        if let Source::Bytes(b) = &self.source {
            if b.len() > limit {
                return Err(too_long(limit));
            }
            return Ok(b.clone());
        }
        let mut out = Vec::new();
        if let Some(n) = self.length() {
            if n > limit as u64 {
                return Err(too_long(limit));
            }
            out.reserve_exact(n as usize);
        }
        while let Some(chunk) = self.next().await {
            let chunk = chunk?;
            if out.len() + chunk.len() > limit {
                return Err(too_long(limit));
            }
            out.extend_from_slice(&chunk);
        }
        Ok(Bytes::from(out))
    }

    /// The next chunk of a stream whose length was declared, checked against it.
    fn poll_counted(
        chunks: &mut Chunks,
        left: &mut Option<u64>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<io::Result<Bytes>>> {
        match chunks.as_mut().poll_next(cx) {
            Poll::Ready(Some(Ok(chunk))) => {
                if let Some(left) = left {
                    let n = chunk.len() as u64;
                    if n > *left {
                        return Poll::Ready(Some(Err(io::Error::new(
                            io::ErrorKind::InvalidData,
                            "the stream is longer than its declared length",
                        ))));
                    }
                    *left -= n;
                }
                Poll::Ready(Some(Ok(chunk)))
            }
            Poll::Ready(None) if left.is_some_and(|n| n > 0) => {
                Poll::Ready(Some(Err(io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    format!(
                        "the stream ended {} bytes short of its declared length",
                        left.unwrap_or(0)
                    ),
                ))))
            }
            other => other,
        }
    }
}

#[cfg(feature = "client")]
impl ByteStream {
    /// The contents of the file at `path`, read as it is sent (the length is taken now; a file
    /// that shrinks meanwhile fails the read). A retried upload reads the file again.
    pub async fn from_path(path: impl AsRef<std::path::Path>) -> io::Result<ByteStream> {
        let path = path.as_ref();
        let metadata = tokio::fs::metadata(path).await?;
        if !metadata.is_file() {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("{} is not a file", path.display()),
            ));
        }
        Ok(ByteStream::from_source(Source::File {
            path: Arc::from(path),
            length: metadata.len(),
        }))
    }

    /// A one-shot stream read from `reader` in chunks of up to 64 KiB (as
    /// [`from_stream`](ByteStream::from_stream): not retried once sent; its length unknown
    /// unless declared with [`with_length`](ByteStream::with_length)).
    pub fn from_async_read<R>(reader: R) -> ByteStream
    where
        R: tokio::io::AsyncRead + Send + 'static,
    {
        let chunks: Chunks = Box::pin(ReaderChunks {
            reader: Box::pin(reader),
            done: false,
        });
        ByteStream::from_source(Source::Once {
            chunks: Arc::new(Mutex::new(Some(chunks))),
            length: None,
        })
    }

    /// The body as an [`AsyncRead`](tokio::io::AsyncRead) (for `tokio::io::copy` into a file,
    /// for instance).
    pub fn into_async_read(self) -> impl tokio::io::AsyncRead + Send + Sync + Unpin {
        StreamReader {
            stream: self,
            chunk: Bytes::new(),
        }
    }
}

fn too_long(limit: usize) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidData,
        format!("the body is larger than the {limit} bytes allowed"),
    )
}

impl Stream for ByteStream {
    type Item = io::Result<Bytes>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        let state = this.state.get_mut().unwrap_or_else(|p| p.into_inner());
        loop {
            match state {
                State::Done => return Poll::Ready(None),
                State::Start => match &this.source {
                    Source::Bytes(b) => {
                        let b = b.clone();
                        *state = State::Done;
                        if b.is_empty() {
                            return Poll::Ready(None);
                        }
                        return Poll::Ready(Some(Ok(b)));
                    }
                    #[cfg(feature = "client")]
                    Source::File { path, .. } => {
                        let path = path.clone();
                        *state = State::Opening(Box::pin(tokio::fs::File::open(path)));
                    }
                    Source::Once { chunks, length } => {
                        let taken = chunks.lock().unwrap_or_else(|p| p.into_inner()).take();
                        match taken {
                            Some(chunks) => {
                                *state = State::Chunks {
                                    chunks,
                                    left: *length,
                                }
                            }
                            None => {
                                *state = State::Done;
                                return Poll::Ready(Some(Err(io::Error::other(
                                    "this body is a one-shot stream that was already read \
                                     (by an earlier attempt, or another clone of it)",
                                ))));
                            }
                        }
                    }
                },
                #[cfg(feature = "client")]
                State::Opening(open) => match open.as_mut().poll(cx) {
                    Poll::Pending => return Poll::Pending,
                    Poll::Ready(Err(e)) => {
                        *state = State::Done;
                        return Poll::Ready(Some(Err(e)));
                    }
                    Poll::Ready(Ok(file)) => {
                        let Source::File { length, .. } = &this.source else {
                            unreachable!("only a file source opens a file")
                        };
                        *state = State::File {
                            file,
                            left: *length,
                        };
                    }
                },
                #[cfg(feature = "client")]
                State::File { file, left } => {
                    if *left == 0 {
                        *state = State::Done;
                        return Poll::Ready(None);
                    }
                    let want = (*left).min(READ_CHUNK as u64) as usize;
                    let mut buf = vec![0; want];
                    let mut read = tokio::io::ReadBuf::new(&mut buf);
                    match tokio::io::AsyncRead::poll_read(Pin::new(file), cx, &mut read) {
                        Poll::Pending => return Poll::Pending,
                        Poll::Ready(Err(e)) => {
                            *state = State::Done;
                            return Poll::Ready(Some(Err(e)));
                        }
                        Poll::Ready(Ok(())) => {
                            let n = read.filled().len();
                            if n == 0 {
                                let short = *left;
                                *state = State::Done;
                                return Poll::Ready(Some(Err(io::Error::new(
                                    io::ErrorKind::UnexpectedEof,
                                    format!(
                                        "the file ended {short} bytes short of the length it \
                                         had when the body was made"
                                    ),
                                ))));
                            }
                            *left -= n as u64;
                            buf.truncate(n);
                            return Poll::Ready(Some(Ok(Bytes::from(buf))));
                        }
                    }
                }
                State::Chunks { chunks, left } => {
                    let polled = ByteStream::poll_counted(chunks, left, cx);
                    if matches!(polled, Poll::Ready(None | Some(Err(_)))) {
                        *state = State::Done;
                    }
                    return polled;
                }
            }
        }
    }
}

impl Clone for ByteStream {
    /// A body reading the same bytes from the start (bytes, files), or sharing the one-shot
    /// stream.
    fn clone(&self) -> ByteStream {
        ByteStream::from_source(self.source.clone())
    }
}

impl Default for ByteStream {
    fn default() -> ByteStream {
        ByteStream::new()
    }
}

impl PartialEq for ByteStream {
    fn eq(&self, other: &ByteStream) -> bool {
        match (&self.source, &other.source) {
            (Source::Bytes(a), Source::Bytes(b)) => a == b,
            #[cfg(feature = "client")]
            (
                Source::File { path, length },
                Source::File {
                    path: other_path,
                    length: other_length,
                },
            ) => path == other_path && length == other_length,
            (Source::Once { chunks, .. }, Source::Once { chunks: other, .. }) => {
                Arc::ptr_eq(chunks, other)
            }
            _ => false,
        }
    }
}

impl Eq for ByteStream {}

impl fmt::Debug for ByteStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.source {
            Source::Bytes(b) => write!(f, "ByteStream({} bytes)", b.len()),
            #[cfg(feature = "client")]
            Source::File { path, length } => {
                write!(f, "ByteStream(file {path:?}, {length} bytes)")
            }
            Source::Once {
                length: Some(n), ..
            } => write!(f, "ByteStream(stream of {n} bytes)"),
            Source::Once { length: None, .. } => f.write_str("ByteStream(stream)"),
        }
    }
}

impl From<Bytes> for ByteStream {
    fn from(bytes: Bytes) -> ByteStream {
        ByteStream::from_source(Source::Bytes(bytes))
    }
}

impl From<Vec<u8>> for ByteStream {
    fn from(bytes: Vec<u8>) -> ByteStream {
        ByteStream::from(Bytes::from(bytes))
    }
}

impl From<&'static [u8]> for ByteStream {
    fn from(bytes: &'static [u8]) -> ByteStream {
        ByteStream::from(Bytes::from_static(bytes))
    }
}

impl From<&'static str> for ByteStream {
    fn from(text: &'static str) -> ByteStream {
        ByteStream::from(Bytes::from_static(text.as_bytes()))
    }
}

impl From<String> for ByteStream {
    fn from(text: String) -> ByteStream {
        ByteStream::from(Bytes::from(text.into_bytes()))
    }
}

impl From<crate::Blob> for ByteStream {
    fn from(blob: crate::Blob) -> ByteStream {
        ByteStream::from(blob.into_inner())
    }
}

/// A stream (pinned in its box) with its errors turned into `io::Error`s.
struct MapErr<S>(Pin<Box<S>>);

impl<S, E> Stream for MapErr<S>
where
    S: Stream<Item = Result<Bytes, E>>,
    E: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    type Item = io::Result<Bytes>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.0
            .as_mut()
            .poll_next(cx)
            .map(|item| item.map(|r| r.map_err(into_io_error)))
    }
}

/// An error of a user's stream as an `io::Error` (kept as it is when it is one).
fn into_io_error(e: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> io::Error {
    match e.into().downcast::<io::Error>() {
        Ok(e) => *e,
        Err(e) => io::Error::other(e),
    }
}

/// Chunks read from an `AsyncRead`.
#[cfg(feature = "client")]
struct ReaderChunks {
    reader: Pin<Box<dyn tokio::io::AsyncRead + Send>>,
    done: bool,
}

#[cfg(feature = "client")]
impl Stream for ReaderChunks {
    type Item = io::Result<Bytes>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        if self.done {
            return Poll::Ready(None);
        }
        let mut buf = vec![0; READ_CHUNK];
        let mut read = tokio::io::ReadBuf::new(&mut buf);
        match self.reader.as_mut().poll_read(cx, &mut read) {
            Poll::Pending => Poll::Pending,
            Poll::Ready(Err(e)) => {
                self.done = true;
                Poll::Ready(Some(Err(e)))
            }
            Poll::Ready(Ok(())) => {
                let n = read.filled().len();
                if n == 0 {
                    self.done = true;
                    return Poll::Ready(None);
                }
                buf.truncate(n);
                Poll::Ready(Some(Ok(Bytes::from(buf))))
            }
        }
    }
}

/// A `ByteStream` read as an `AsyncRead`.
#[cfg(feature = "client")]
struct StreamReader {
    stream: ByteStream,
    chunk: Bytes,
}

#[cfg(feature = "client")]
impl tokio::io::AsyncRead for StreamReader {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut tokio::io::ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = &mut *self;
        while this.chunk.is_empty() {
            match Pin::new(&mut this.stream).poll_next(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(None) => return Poll::Ready(Ok(())),
                Poll::Ready(Some(Err(e))) => return Poll::Ready(Err(e)),
                Poll::Ready(Some(Ok(chunk))) => this.chunk = chunk,
            }
        }
        let n = this.chunk.len().min(buf.remaining());
        buf.put_slice(&this.chunk.split_to(n));
        Poll::Ready(Ok(()))
    }
}

#[cfg(all(test, feature = "client"))]
mod tests {
    use super::*;

    fn chunks(parts: &[&'static [u8]]) -> ByteStream {
        let items: Vec<io::Result<Bytes>> =
            parts.iter().map(|p| Ok(Bytes::from_static(p))).collect();
        ByteStream::from_stream(Iter(items.into_iter()))
    }

    /// A stream over an iterator (futures' `iter`, without the dependency).
    struct Iter<I>(I);

    impl<I: Iterator<Item = io::Result<Bytes>> + Unpin> Stream for Iter<I> {
        type Item = io::Result<Bytes>;
        fn poll_next(mut self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<Self::Item>> {
            Poll::Ready(self.0.next())
        }
    }

    #[tokio::test]
    async fn bytes_are_one_chunk_and_replay() {
        let mut body = ByteStream::from("hello");
        assert_eq!(body.length(), Some(5));
        assert_eq!(body.bytes(), Some(&b"hello"[..]));
        let again = body.clone();
        assert_eq!(body.next().await.unwrap().unwrap(), "hello");
        assert!(body.next().await.is_none());
        assert_eq!(again.collect().await.unwrap(), "hello");
        assert!(ByteStream::new().clone().next().await.is_none());
        assert_eq!(ByteStream::from("a"), ByteStream::from(b"a".to_vec()));
        assert_ne!(ByteStream::from("a"), ByteStream::from("b"));
        assert_eq!(
            format!("{:?}", ByteStream::from("secret")),
            "ByteStream(6 bytes)"
        );
    }

    #[tokio::test]
    async fn a_one_shot_stream_is_read_once() {
        let body = chunks(&[b"ab", b"cd"]);
        let clone = body.clone();
        assert!(!body.is_replayable());
        assert_eq!(body, clone);
        assert_ne!(body, chunks(&[b"ab", b"cd"]));
        assert_eq!(body.collect().await.unwrap(), "abcd");
        let err = clone.collect().await.unwrap_err();
        assert!(err.to_string().contains("already read"), "{err}");
    }

    #[tokio::test]
    async fn a_declared_length_is_checked() {
        let short = chunks(&[b"abc"])
            .with_length(5)
            .collect()
            .await
            .unwrap_err();
        assert_eq!(short.kind(), io::ErrorKind::UnexpectedEof);
        assert!(short.to_string().contains("2 bytes short"), "{short}");
        let long = chunks(&[b"abc", b"def"]).with_length(4).collect().await;
        assert_eq!(long.unwrap_err().kind(), io::ErrorKind::InvalidData);
        let exact = chunks(&[b"abc", b"d"]).with_length(4);
        assert_eq!(exact.length(), Some(4));
        assert_eq!(exact.collect().await.unwrap(), "abcd");
    }

    #[tokio::test]
    async fn collect_at_most_stops_at_the_limit() {
        let err = ByteStream::from("12345")
            .collect_at_most(4)
            .await
            .unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::InvalidData);
        let err = chunks(&[b"123", b"45"])
            .collect_at_most(4)
            .await
            .unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::InvalidData);
        assert_eq!(
            chunks(&[b"12", b"34"]).collect_at_most(4).await.unwrap(),
            "1234"
        );
    }

    #[tokio::test]
    async fn a_file_is_read_in_chunks_and_again_by_a_clone() {
        let dir = std::env::temp_dir().join(format!("smithgen-bytestream-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("body.bin");
        let data: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
        std::fs::write(&path, &data).unwrap();
        let mut body = ByteStream::from_path(&path).await.unwrap();
        assert_eq!(body.length(), Some(200_000));
        assert!(body.is_replayable());
        let clone = body.clone();
        let mut read = Vec::new();
        let mut largest = 0;
        while let Some(chunk) = body.next().await {
            let chunk = chunk.unwrap();
            largest = largest.max(chunk.len());
            read.extend_from_slice(&chunk);
        }
        assert_eq!(read, data);
        assert!(largest <= READ_CHUNK);
        assert_eq!(clone.collect().await.unwrap(), data);
        // A file that shrank after the body was made fails the read instead of sending less.
        let shrunk = ByteStream::from_path(&path).await.unwrap();
        std::fs::write(&path, &data[..10]).unwrap();
        let err = shrunk.collect().await.unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::UnexpectedEof);
        assert!(ByteStream::from_path(&dir).await.is_err());
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[tokio::test]
    async fn async_read_both_ways() {
        use tokio::io::AsyncReadExt as _;
        let data: Vec<u8> = (0..150_000u32).map(|i| (i % 13) as u8).collect();
        let body = ByteStream::from_async_read(std::io::Cursor::new(data.clone()));
        assert_eq!(body.length(), None);
        let mut reader = body.into_async_read();
        let mut out = Vec::new();
        reader.read_to_end(&mut out).await.unwrap();
        assert_eq!(out, data);
    }
}
