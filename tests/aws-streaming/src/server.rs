//! A local HTTP/1.1 server for streaming tests. Uploads are checked against the pattern as they
//! arrive (nothing is kept); downloads are the pattern, written in 64 KiB pieces.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};

/// What the server saw of the last upload.
#[derive(Clone, Debug, Default)]
pub struct Upload {
    /// `POST /2014-11-13/functions/f/invoke-async`.
    pub method: String,
    /// The path.
    pub path: String,
    /// Headers as received.
    pub headers: Vec<(String, String)>,
    /// Bytes received.
    pub length: u64,
    /// Whether every byte matched the pattern.
    pub matched: bool,
}

impl Upload {
    /// The first header named `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// The server; it runs until the process exits.
pub struct Server {
    port: u16,
    uploads: Arc<Mutex<Vec<Upload>>>,
}

impl Server {
    /// Starts a server whose `GET`/`POST` downloads are `download` bytes of the pattern.
    pub fn start(download: u64) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
        let port = listener.local_addr().expect("local address").port();
        let uploads = Arc::new(Mutex::new(Vec::new()));
        let shared = uploads.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let uploads = shared.clone();
                std::thread::spawn(move || serve(stream, download, &uploads));
            }
        });
        Server { port, uploads }
    }

    /// `http://127.0.0.1:<port>`.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// The uploads received so far.
    pub fn uploads(&self) -> Vec<Upload> {
        self.uploads.lock().unwrap().clone()
    }
}

const PIECE: usize = 64 * 1024;

fn serve(stream: TcpStream, download: u64, uploads: &Mutex<Vec<Upload>>) {
    let Ok(read_half) = stream.try_clone() else {
        return;
    };
    let mut reader = BufReader::with_capacity(PIECE, read_half);
    let mut stream = stream;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            return;
        }
        let mut parts = line.split_whitespace();
        let mut upload = Upload {
            method: parts.next().unwrap_or_default().to_owned(),
            path: parts.next().unwrap_or_default().to_owned(),
            matched: true,
            ..Upload::default()
        };
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
                upload.headers.push((k.to_owned(), v.trim().to_owned()));
            }
        }
        let declared: u64 = upload
            .header("content-length")
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        // Read the body piece by piece; an upload (`InvokeAsync`) is checked against the pattern.
        let upload_call = upload.path.ends_with("/invoke-async");
        let mut buf = vec![0; PIECE];
        while upload.length < declared {
            let want = (declared - upload.length).min(PIECE as u64) as usize;
            let Ok(n) = reader.read(&mut buf[..want]) else {
                return;
            };
            if n == 0 {
                return;
            }
            let offset = upload.length;
            if upload_call
                && buf[..n]
                    .iter()
                    .enumerate()
                    .any(|(i, b)| *b != crate::pattern_byte(offset + i as u64))
            {
                upload.matched = false;
            }
            upload.length += n as u64;
        }
        uploads.lock().unwrap().push(upload);
        let ok = if upload_call {
            // Lambda's `InvokeAsync` answer: 202, its status in the body.
            let body = br#"{"Status":202}"#;
            let head = format!(
                "HTTP/1.1 202 Accepted\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
                body.len()
            );
            stream.write_all(head.as_bytes()).is_ok() && stream.write_all(body).is_ok()
        } else {
            send_pattern(&mut stream, download)
        };
        if !ok || stream.flush().is_err() {
            return;
        }
    }
}

/// A `200` whose body is `length` bytes of the pattern (Polly's audio: `audio/mpeg`).
fn send_pattern(stream: &mut TcpStream, length: u64) -> bool {
    let head = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: audio/mpeg\r\nx-amzn-RequestCharacters: 42\r\n\
         Content-Length: {length}\r\n\r\n"
    );
    if stream.write_all(head.as_bytes()).is_err() {
        return false;
    }
    let mut sent = 0;
    while sent < length {
        let n = (length - sent).min(PIECE as u64) as usize;
        if stream.write_all(&crate::pattern(sent, n)).is_err() {
            return false;
        }
        sent += n as u64;
    }
    true
}
