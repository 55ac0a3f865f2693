//! A scripted HTTP/1.1 server on 127.0.0.1 for client tests: it records every request it
//! receives and answers each with the next scripted action (a response, possibly late, or a
//! broken connection). Keep-alive connections are served request after request, as hyper's
//! pooled client expects.

use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// A request as the server received it.
#[derive(Clone, Debug)]
pub struct Received {
    /// `POST`.
    pub method: String,
    /// `/`.
    pub path: String,
    /// Headers in the order received.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
    /// When it arrived.
    pub at: Instant,
}

impl Received {
    /// The first header named `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// What the server does with one request.
#[derive(Clone, Debug)]
pub enum Action {
    /// Answers with this status, these headers and this body.
    Respond {
        /// The status.
        status: u16,
        /// Extra headers (Content-Length is added).
        headers: Vec<(String, String)>,
        /// The body.
        body: Vec<u8>,
    },
    /// A 200 JSON response whose body is sent in chunks of this size (`Transfer-Encoding:
    /// chunked`, no `Content-Length`), as a streaming server would.
    Chunked {
        /// The body.
        body: Vec<u8>,
        /// The size of each chunk.
        chunk: usize,
    },
    /// Waits, then does the action.
    Delay(Duration, Box<Action>),
    /// Sends the head and half of the body of a 200 response, then closes the connection.
    CloseMidBody,
    /// Closes the connection without answering.
    Close,
}

impl Action {
    /// A JSON response with an `x-amzn-RequestId`.
    pub fn json(status: u16, body: &str) -> Action {
        Action::Respond {
            status,
            headers: vec![
                ("Content-Type".into(), "application/x-amz-json-1.1".into()),
                ("x-amzn-RequestId".into(), format!("req-{status}")),
            ],
            body: body.as_bytes().to_vec(),
        }
    }

    /// A modeled-style error response: `__type` and `message`.
    pub fn error(status: u16, code: &str, message: &str) -> Action {
        Action::json(
            status,
            &format!("{{\"__type\":\"{code}\",\"message\":\"{message}\"}}"),
        )
    }

    /// A response with any body and content type (a proxy's HTML page, say).
    pub fn raw(status: u16, content_type: &str, body: &str) -> Action {
        Action::Respond {
            status,
            headers: vec![("Content-Type".into(), content_type.into())],
            body: body.as_bytes().to_vec(),
        }
    }
}

#[derive(Default)]
struct State {
    script: VecDeque<Action>,
    received: Vec<Received>,
}

/// The server. It runs until the test process exits.
#[derive(Clone)]
pub struct Server {
    port: u16,
    state: Arc<Mutex<State>>,
}

impl Server {
    /// Starts a server that answers with `script`, in order; once the script is exhausted it
    /// answers 500.
    pub fn start(script: impl IntoIterator<Item = Action>) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
        let port = listener.local_addr().expect("local address").port();
        let state = Arc::new(Mutex::new(State {
            script: script.into_iter().collect(),
            received: Vec::new(),
        }));
        let shared = state.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let state = shared.clone();
                std::thread::spawn(move || serve(stream, &state));
            }
        });
        Server { port, state }
    }

    /// `http://127.0.0.1:<port>`.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// The requests received so far.
    pub fn received(&self) -> Vec<Received> {
        self.state.lock().unwrap().received.clone()
    }
}

fn serve(stream: TcpStream, state: &Mutex<State>) {
    let mut reader = BufReader::new(match stream.try_clone() {
        Ok(s) => s,
        Err(_) => return,
    });
    let mut stream = stream;
    loop {
        let mut request_line = String::new();
        match reader.read_line(&mut request_line) {
            Ok(0) | Err(_) => return,
            Ok(_) => {}
        }
        let mut parts = request_line.split_whitespace();
        let method = parts.next().unwrap_or_default().to_owned();
        let path = parts.next().unwrap_or_default().to_owned();
        let mut headers = Vec::new();
        let mut length = 0usize;
        let mut chunked = false;
        loop {
            let mut line = String::new();
            if reader.read_line(&mut line).unwrap_or(0) == 0 {
                return;
            }
            let line = line.trim_end_matches(['\r', '\n']);
            if line.is_empty() {
                break;
            }
            if let Some((k, v)) = line.split_once(':') {
                if k.eq_ignore_ascii_case("content-length") {
                    length = v.trim().parse().unwrap_or(0);
                }
                if k.eq_ignore_ascii_case("transfer-encoding")
                    && v.trim().eq_ignore_ascii_case("chunked")
                {
                    chunked = true;
                }
                headers.push((k.to_owned(), v.trim().to_owned()));
            }
        }
        let body = if chunked {
            match read_chunked(&mut reader) {
                Some(body) => body,
                None => return,
            }
        } else {
            let mut body = vec![0; length];
            if reader.read_exact(&mut body).is_err() {
                return;
            }
            body
        };
        let action = {
            let mut state = state.lock().unwrap();
            state.received.push(Received {
                method,
                path,
                headers,
                body,
                at: Instant::now(),
            });
            state
                .script
                .pop_front()
                .unwrap_or_else(|| Action::error(500, "ScriptExhausted", "no response scripted"))
        };
        if !act(&mut stream, action) {
            return;
        }
    }
}

/// Performs an action; false when the connection is closed.
fn act(stream: &mut TcpStream, action: Action) -> bool {
    match action {
        Action::Respond {
            status,
            headers,
            body,
        } => {
            let mut head = format!("HTTP/1.1 {status} Status\r\n");
            for (k, v) in headers {
                head.push_str(&format!("{k}: {v}\r\n"));
            }
            head.push_str(&format!("Content-Length: {}\r\n\r\n", body.len()));
            stream.write_all(head.as_bytes()).is_ok()
                && stream.write_all(&body).is_ok()
                && stream.flush().is_ok()
        }
        Action::Chunked { body, chunk } => {
            let head = "HTTP/1.1 200 OK\r\nContent-Type: application/x-amz-json-1.1\r\n\
                        Transfer-Encoding: chunked\r\n\r\n";
            if stream.write_all(head.as_bytes()).is_err() {
                return false;
            }
            for piece in body.chunks(chunk.max(1)) {
                let framed = [format!("{:x}\r\n", piece.len()).as_bytes(), piece, b"\r\n"].concat();
                if stream.write_all(&framed).is_err() {
                    // The client stopped reading (as it does past its limit).
                    return false;
                }
            }
            stream.write_all(b"0\r\n\r\n").is_ok() && stream.flush().is_ok()
        }
        Action::Delay(wait, then) => {
            std::thread::sleep(wait);
            act(stream, *then)
        }
        Action::CloseMidBody => {
            let _ = stream.write_all(
                b"HTTP/1.1 200 OK\r\nContent-Type: application/x-amz-json-1.1\r\nContent-Length: 100\r\n\r\n{\"keyPair\":{\"na",
            );
            let _ = stream.flush();
            let _ = stream.shutdown(std::net::Shutdown::Both);
            false
        }
        Action::Close => {
            let _ = stream.shutdown(std::net::Shutdown::Both);
            false
        }
    }
}

/// Reads a `Transfer-Encoding: chunked` body (sizes in hex, then the data; a zero size ends
/// it, after optional trailers); `None` when the connection breaks or the framing is wrong.
fn read_chunked(reader: &mut impl BufRead) -> Option<Vec<u8>> {
    let mut body = Vec::new();
    loop {
        let mut line = String::new();
        reader.read_line(&mut line).ok()?;
        let size = line.trim().split(';').next()?;
        let size = usize::from_str_radix(size, 16).ok()?;
        if size == 0 {
            // Trailers, up to the empty line.
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).ok()? == 0 || line.trim().is_empty() {
                    return Some(body);
                }
            }
        }
        let start = body.len();
        body.resize(start + size, 0);
        reader.read_exact(&mut body[start..]).ok()?;
        let mut crlf = [0; 2];
        reader.read_exact(&mut crlf).ok()?;
    }
}
