//! `cargo run --example converse_stream -- PROMPT` against a local server (via
//! `AWS_ENDPOINT_URL`) that sends Bedrock's `ConverseStream` events one at a time and sends the
//! next only once the example has printed the previous text delta: each delta must appear while
//! the rest of the stream has not been sent.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use smithgen_runtime::event_stream::{Header, HeaderValue, Message};

fn event(name: &str, payload: &str) -> Vec<u8> {
    let header = |name: &str, value: &str| Header {
        name: name.into(),
        value: HeaderValue::String(value.into()),
    };
    Message {
        headers: vec![
            header(":message-type", "event"),
            header(":event-type", name),
            header(":content-type", "application/json"),
        ],
        payload: payload.as_bytes().to_vec(),
    }
    .encode()
    .expect("encodes")
}

fn delta(text: &str) -> Vec<u8> {
    event(
        "contentBlockDelta",
        &format!(r#"{{"contentBlockIndex":0,"delta":{{"text":"{text}"}}}}"#),
    )
}

fn example() -> std::path::PathBuf {
    // cargo builds the package's examples for `cargo test`, next to `deps/`.
    let exe = std::env::current_exe().expect("the test's path");
    let debug = exe
        .parent()
        .and_then(|d| d.parent())
        .expect("target/<profile>");
    debug.join("examples").join("converse_stream")
}

#[test]
fn each_delta_is_printed_before_the_next_event_is_sent() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let deltas = ["Hello", ", stream", "ing world"];
    // The server waits for `go` before each event after a delta.
    let (go, wait) = mpsc::channel::<()>();
    let (request_tx, request_rx) = mpsc::channel::<String>();
    let server = std::thread::spawn(move || {
        let (stream, _) = listener.accept().unwrap();
        let mut reader = BufReader::new(stream.try_clone().unwrap());
        let mut head = String::new();
        let mut length = 0;
        loop {
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                length = v.trim().parse().unwrap();
            }
            if line == "\r\n" {
                break;
            }
            head.push_str(&line);
        }
        let mut body = vec![0; length];
        reader.read_exact(&mut body).unwrap();
        request_tx
            .send(format!("{head}\n{}", String::from_utf8_lossy(&body)))
            .unwrap();
        let mut stream = stream;
        stream
            .write_all(
                b"HTTP/1.1 200 OK\r\nContent-Type: application/vnd.amazon.eventstream\r\n\
                  Transfer-Encoding: chunked\r\n\r\n",
            )
            .unwrap();
        let mut send = |bytes: Vec<u8>| {
            let framed = [format!("{:x}\r\n", bytes.len()).as_bytes(), &bytes, b"\r\n"].concat();
            stream.write_all(&framed).unwrap();
            stream.flush().unwrap();
        };
        send(event("messageStart", r#"{"role":"assistant"}"#));
        for text in deltas {
            send(delta(text));
            // Held until the example has printed this delta (or the test gives up).
            if wait.recv_timeout(Duration::from_secs(20)).is_err() {
                return;
            }
        }
        send(event("contentBlockStop", r#"{"contentBlockIndex":0}"#));
        send(event("messageStop", r#"{"stopReason":"end_turn"}"#));
        stream.write_all(b"0\r\n\r\n").unwrap();
    });

    let home = std::env::temp_dir().join(format!("converse-home-{}", std::process::id()));
    std::fs::create_dir_all(&home).unwrap();
    let mut child = Command::new(example())
        .arg("Say hello")
        .env_clear()
        .env("HOME", &home)
        .env("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
        .env("AWS_SECRET_ACCESS_KEY", "secret")
        .env("AWS_REGION", "us-east-1")
        .env("AWS_ENDPOINT_URL", &url)
        .env("BEDROCK_MODEL_ID", "test.model-v1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the example was built (cargo test builds examples)");
    let mut stdout = child.stdout.take().unwrap();
    let (out_tx, out_rx) = mpsc::channel::<Vec<u8>>();
    std::thread::spawn(move || {
        let mut buf = [0; 256];
        while let Ok(n) = stdout.read(&mut buf) {
            if n == 0 || out_tx.send(buf[..n].to_vec()).is_err() {
                break;
            }
        }
    });
    let mut printed = String::new();
    let mut expected = String::new();
    for text in deltas {
        expected.push_str(text);
        while !printed.contains(&expected) {
            match out_rx.recv_timeout(Duration::from_secs(20)) {
                Ok(bytes) => printed.push_str(&String::from_utf8_lossy(&bytes)),
                Err(_) => {
                    let _ = child.kill();
                    panic!(
                        "{text:?} was not printed while the server held the next event \
                         (printed so far: {printed:?})"
                    );
                }
            }
        }
        go.send(()).unwrap();
    }
    let status = child.wait().unwrap();
    while let Ok(bytes) = out_rx.recv_timeout(Duration::from_secs(5)) {
        printed.push_str(&String::from_utf8_lossy(&bytes));
    }
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    assert!(status.success(), "{stderr}");
    assert_eq!(printed, "Hello, streaming world\n");
    server.join().unwrap();
    let request = request_rx.recv().unwrap();
    assert!(
        request.starts_with("POST /model/test.model-v1/converse-stream HTTP/1.1"),
        "{request}"
    );
    assert!(request.contains(r#""text":"Say hello""#), "{request}");
    let _ = std::fs::remove_dir_all(&home);
}
