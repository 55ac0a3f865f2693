//! The loopback server: a child process (this bench binary re-executed with
//! [`SERVER_ENV`] set), so that none of its CPU is counted against either client. HTTP/1.1
//! with keep-alive, a thread per connection, every `POST` answered with the same
//! CreateKeyPair response (`Content-Length`, no chunking).
//!
//! Two `GET`s serve the bench itself, on a connection of their own: `/stats` (requests
//! answered and the server's CPU time so far) and `/last` (the last `POST` as received: head
//! and body). The server exits when its standard input closes (the bench ended, however it
//! ended) or after an hour in any case.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Set in the child's environment: run the server instead of the bench.
pub const SERVER_ENV: &str = "SMITHGEN_BENCH_CALL_SERVER";

/// The request id of every response.
pub const REQUEST_ID: &str = "3f2d8c1e-6a4b-4f1d-9c2e-7b5a1d0e9f42";

/// The key pair's fingerprint in the response, checked after every call.
pub const FINGERPRINT: &str = "a1:b2:c3:d4:e5:f6:07:18:29:3a:4b:5c:6d:7e:8f:90";

/// Deterministic base64-alphabet text of `len` characters (a stand-in for key material).
fn base64ish(seed: u64, len: usize) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut x = seed;
    (0..len)
        .map(|_| {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            char::from(ALPHABET[(x >> 58) as usize])
        })
        .collect()
}

/// What Lightsail answers to CreateKeyPair: the key pair (with its tags), a 2048-bit RSA
/// public key in OpenSSH form, the PEM private key (64-character lines, `\n` escaped in
/// JSON) and the operation.
pub fn create_key_pair_body(name: &str, tags: &[(&str, &str)]) -> String {
    let tags = tags
        .iter()
        .map(|(k, v)| format!(r#"{{"key":"{k}","value":"{v}"}}"#))
        .collect::<Vec<_>>()
        .join(",");
    let public = format!(
        "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQ{} {name}",
        base64ish(1, 338)
    );
    let mut private = String::from("-----BEGIN RSA PRIVATE KEY-----\\n");
    let material = base64ish(2, 1588);
    for line in material.as_bytes().chunks(64) {
        private.push_str(std::str::from_utf8(line).expect("ASCII"));
        private.push_str("\\n");
    }
    private.push_str("-----END RSA PRIVATE KEY-----");
    format!(
        concat!(
            r#"{{"keyPair":{{"name":"{name}","arn":"arn:aws:lightsail:us-east-1:123456789012:KeyPair/7a3b9c2d-1e4f-4a5b-8c6d-9e0f1a2b3c4d","#,
            r#""supportCode":"123456789012/{name}","createdAt":1.764403200123E9,"#,
            r#""location":{{"availabilityZone":"all","regionName":"us-east-1"}},"resourceType":"KeyPair","#,
            r#""tags":[{tags}],"fingerprint":"{fingerprint}"}},"#,
            r#""publicKeyBase64":"{public}","privateKeyBase64":"{private}","#,
            r#""operation":{{"id":"9b1c2d3e-4f5a-4b6c-8d7e-0f1a2b3c4d5e","resourceName":"{name}","#,
            r#""resourceType":"KeyPair","createdAt":1.764403200456E9,"#,
            r#""location":{{"availabilityZone":"all","regionName":"us-east-1"}},"isTerminal":true,"#,
            r#""operationType":"CreateKeyPair","status":"Succeeded","statusChangedAt":1.764403200456E9}}}}"#
        ),
        name = name,
        tags = tags,
        fingerprint = FINGERPRINT,
        public = public,
        private = private,
    )
}

struct State {
    response: Vec<u8>,
    requests: AtomicU64,
    connections: AtomicU64,
    last: Mutex<Vec<u8>>,
}

/// Runs the server: prints `listening <addr>` on standard output, then serves until standard
/// input closes.
pub fn serve(body: &str) -> ! {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
    let addr = listener.local_addr().expect("a local address");
    let response = format!(
        "HTTP/1.1 200 OK\r\nx-amzn-RequestId: {REQUEST_ID}\r\nContent-Type: application/x-amz-json-1.1\r\n\
         Content-Length: {}\r\nDate: Sat, 29 Nov 2026 12:00:00 GMT\r\n\r\n{body}",
        body.len()
    );
    let state = Arc::new(State {
        response: response.into_bytes(),
        requests: AtomicU64::new(0),
        connections: AtomicU64::new(0),
        last: Mutex::new(Vec::new()),
    });
    std::thread::spawn(|| {
        // The parent holds the other end: EOF means it is gone.
        let mut sink = Vec::new();
        let _ = std::io::stdin().read_to_end(&mut sink);
        std::process::exit(0);
    });
    std::thread::spawn(|| {
        std::thread::sleep(Duration::from_secs(3600));
        std::process::exit(0);
    });
    println!("listening {addr}");
    std::io::stdout().flush().expect("stdout");
    for stream in listener.incoming() {
        let Ok(stream) = stream else { continue };
        let state = state.clone();
        std::thread::spawn(move || {
            let _ = connection(stream, &state);
        });
    }
    std::process::exit(0)
}

fn connection(stream: TcpStream, state: &State) -> std::io::Result<()> {
    stream.set_nodelay(true)?;
    let mut counted = false;
    let mut writer = stream.try_clone()?;
    let mut reader = BufReader::with_capacity(16 * 1024, stream);
    let mut head = Vec::with_capacity(2048);
    let mut body = Vec::with_capacity(1024);
    loop {
        head.clear();
        let mut content_length = 0usize;
        loop {
            let start = head.len();
            if reader.read_until(b'\n', &mut head)? == 0 {
                return Ok(()); // the client closed the connection
            }
            let line = &head[start..];
            if line == b"\r\n" || line == b"\n" {
                break;
            }
            let line = std::str::from_utf8(line).unwrap_or_default();
            if let Some((name, value)) = line.split_once(':') {
                if name.eq_ignore_ascii_case("content-length") {
                    content_length = value.trim().parse().unwrap_or(0);
                }
            }
        }
        body.resize(content_length, 0);
        reader.read_exact(&mut body)?;
        if head.starts_with(b"POST ") {
            if !counted {
                state.connections.fetch_add(1, Ordering::Relaxed);
                counted = true;
            }
            state.requests.fetch_add(1, Ordering::Relaxed);
            let mut last = state.last.lock().expect("not poisoned");
            last.clear();
            last.extend_from_slice(&head);
            last.extend_from_slice(&body);
            drop(last);
            writer.write_all(&state.response)?;
        } else if head.starts_with(b"GET /stats ") {
            let text = format!(
                "requests={} connections={} cpu_ns={}",
                state.requests.load(Ordering::Relaxed),
                state.connections.load(Ordering::Relaxed),
                crate::cpu::process_ns()
            );
            respond_and_close(&mut writer, text.as_bytes())?;
            return Ok(());
        } else if head.starts_with(b"GET /last ") {
            let last = state.last.lock().expect("not poisoned").clone();
            respond_and_close(&mut writer, &last)?;
            return Ok(());
        } else {
            writer.write_all(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")?;
        }
    }
}

fn respond_and_close(writer: &mut TcpStream, body: &[u8]) -> std::io::Result<()> {
    write!(
        writer,
        "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )?;
    writer.write_all(body)
}

/// The server child process, from the bench's side.
pub struct ServerProcess {
    child: Child,
    // Dropping it closes the child's standard input, which ends the child.
    stdin: Option<ChildStdin>,
    /// `127.0.0.1:PORT`.
    pub addr: String,
}

impl ServerProcess {
    /// Starts this binary again as the server and waits for its address.
    pub fn start() -> ServerProcess {
        let exe = std::env::current_exe().expect("the bench binary's path");
        let mut child = Command::new(exe)
            .env(SERVER_ENV, "1")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start the server process");
        let stdin = child.stdin.take();
        let mut out = BufReader::new(child.stdout.take().expect("piped stdout"));
        let mut line = String::new();
        out.read_line(&mut line).expect("the server's address");
        let addr = line
            .trim()
            .strip_prefix("listening ")
            .unwrap_or_else(|| panic!("unexpected server output: {line:?}"))
            .to_owned();
        ServerProcess { child, stdin, addr }
    }

    /// The child's process id.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    fn get(&self, path: &str) -> Vec<u8> {
        let mut s = TcpStream::connect(&self.addr).expect("connect to the server");
        write!(s, "GET {path} HTTP/1.1\r\nHost: {}\r\n\r\n", self.addr).expect("send");
        let mut all = Vec::new();
        s.read_to_end(&mut all).expect("read");
        let split = all
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .expect("a response head");
        all[split + 4..].to_vec()
    }

    /// So far: POST requests answered, connections that carried one, the server's CPU time.
    pub fn stats(&self) -> Stats {
        let text = String::from_utf8(self.get("/stats")).expect("UTF-8");
        let field = |name: &str| -> u64 {
            text.split_whitespace()
                .find_map(|kv| kv.strip_prefix(name))
                .and_then(|v| v.parse().ok())
                .unwrap_or_else(|| panic!("no {name} in {text:?}"))
        };
        Stats {
            requests: field("requests="),
            connections: field("connections="),
            cpu_ns: field("cpu_ns="),
        }
    }

    /// The last POST request as the server received it: method line, headers, body.
    pub fn last_request(&self) -> Received {
        Received::parse(&self.get("/last"))
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        drop(self.stdin.take());
        let _ = self.child.wait();
    }
}

/// The server's counters.
#[derive(Clone, Copy, Debug)]
pub struct Stats {
    /// POST requests answered.
    pub requests: u64,
    /// Connections that carried a POST request.
    pub connections: u64,
    /// The server process's CPU time (ns).
    pub cpu_ns: u64,
}

/// A request as received.
#[derive(Debug)]
pub struct Received {
    pub method: String,
    pub path: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Received {
    fn parse(raw: &[u8]) -> Received {
        let split = raw
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .expect("a request head");
        let head = std::str::from_utf8(&raw[..split]).expect("an ASCII head");
        let mut lines = head.split("\r\n");
        let mut first = lines.next().expect("a request line").split(' ');
        let method = first.next().expect("a method").to_owned();
        let path = first.next().expect("a path").to_owned();
        let headers = lines
            .map(|l| {
                let (k, v) = l.split_once(':').expect("a header line");
                (k.to_owned(), v.trim().to_owned())
            })
            .collect();
        Received {
            method,
            path,
            headers,
            body: raw[split + 4..].to_vec(),
        }
    }

    /// The values of the headers named `name` (case-insensitive), in order.
    pub fn headers(&self, name: &str) -> Vec<&str> {
        self.headers
            .iter()
            .filter(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// The first header named `name`.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers(name).first().copied()
    }
}
