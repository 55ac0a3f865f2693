//! The recorded stream both clients decode: one ConverseStream answer of 10,000 events as
//! `application/vnd.amazon.eventstream` messages, made once from a fixed seed and encoded with
//! smithgen's `Message::encode` (the bytes are the same for both sides; aws-sdk-bedrockruntime
//! decoding them is the independent check that they are well formed).

use bytes::Bytes;
use smithgen_runtime::event_stream::{Header, HeaderValue, Message};

/// What a client must have seen once it has read the whole stream.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Expected {
    pub events: usize,
    pub deltas: usize,
    /// Bytes of text in all the text deltas, unescaped.
    pub text_bytes: usize,
    pub input_tokens: i32,
    pub output_tokens: i32,
    /// The whole answer (the text deltas joined), for the check outside the timed runs.
    pub text: String,
}

/// A recorded stream: the body's bytes and where each message ends in them.
pub struct Recording {
    pub body: Bytes,
    pub message_ends: Vec<usize>,
    pub expected: Expected,
}

/// How the body is handed to the client.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Chunking {
    /// Fixed-size chunks: messages straddle chunk boundaries (a replayed or buffered stream).
    Fixed(usize),
    /// One message per chunk: what a live stream looks like, each token's event arriving on
    /// its own.
    PerMessage,
}

impl Chunking {
    pub fn name(self) -> String {
        match self {
            Chunking::Fixed(n) if n % 1024 == 0 => format!("{} KiB chunks", n / 1024),
            Chunking::Fixed(n) => format!("{n}-byte chunks"),
            Chunking::PerMessage => "one message per chunk".to_owned(),
        }
    }
}

impl Recording {
    /// The body cut into chunks (slices of the one buffer: handing one out copies nothing).
    pub fn chunks(&self, chunking: Chunking) -> Vec<Bytes> {
        match chunking {
            Chunking::Fixed(size) => (0..self.body.len())
                .step_by(size)
                .map(|start| self.body.slice(start..(start + size).min(self.body.len())))
                .collect(),
            Chunking::PerMessage => {
                let mut start = 0;
                self.message_ends
                    .iter()
                    .map(|&end| {
                        let chunk = self.body.slice(start..end);
                        start = end;
                        chunk
                    })
                    .collect()
            }
        }
    }
}

/// A small deterministic generator (xorshift64*), so that every run decodes the same bytes.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

const WORDS: &[&str] = &[
    "the",
    "stream",
    "decoder",
    "reads",
    "each",
    "message",
    "as",
    "soon",
    "as",
    "it",
    "arrives",
    "and",
    "hands",
    "out",
    "a",
    "typed",
    "event",
    "Rust",
    "client",
    "request",
    "response",
    "token",
    "model",
    "answer",
    "because",
    "however",
    "which",
    "function",
    "returns",
    "value",
    "error",
    "handling",
    "é",
    "naïve",
    "—",
    "`Vec<u8>`",
    "buffer",
    "length",
    "checksum",
    "header",
    "payload",
    "JSON",
    "is",
    "not",
    "of",
    "to",
    "in",
    "for",
    "with",
    "that",
];

/// Padding characters: Bedrock pads each event's JSON with a `p` member of varying length
/// (so that message sizes do not give the text away); both clients skip it.
const PADDING: &str = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

fn push_json_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out.push('"');
}

/// One text delta of 20 to 60 bytes: words, now and then a line break or a quoted word.
fn delta_text(rng: &mut Rng) -> String {
    let target = 20 + rng.below(41);
    let mut text = String::new();
    loop {
        let word = WORDS[rng.below(WORDS.len())];
        let sep = match rng.below(20) {
            0 => "\n",
            1 => " \"",
            2 => ", ",
            _ => " ",
        };
        if text.len() + sep.len() + word.len() > target {
            break;
        }
        text.push_str(sep);
        text.push_str(word);
    }
    while text.len() < 20 {
        text.push('.');
    }
    text
}

fn event(event_type: &str, payload: String) -> Message {
    let text = |s: &str| HeaderValue::String(s.to_owned());
    Message {
        headers: vec![
            Header {
                name: ":event-type".into(),
                value: text(event_type),
            },
            Header {
                name: ":content-type".into(),
                value: text("application/json"),
            },
            Header {
                name: ":message-type".into(),
                value: text("event"),
            },
        ],
        payload: payload.into_bytes(),
    }
}

fn padded(rng: &mut Rng, mut json: String) -> String {
    // `json` is an object without its closing brace.
    json.push_str(",\"p\":");
    let n = 1 + rng.below(PADDING.len());
    push_json_string(&mut json, &PADDING[..n]);
    json.push('}');
    json
}

/// The stream of `events` events (at least 5): messageStart, text deltas, contentBlockStop,
/// messageStop, metadata with usage.
pub fn record(events: usize) -> Recording {
    assert!(events >= 5);
    let mut rng = Rng(0x5eed_cafe_f00d_0001);
    let deltas = events - 4;
    let mut messages = Vec::with_capacity(events);
    messages.push(event(
        "messageStart",
        padded(&mut rng, "{\"role\":\"assistant\"".to_owned()),
    ));
    let mut text = String::new();
    for _ in 0..deltas {
        let delta = delta_text(&mut rng);
        let mut json = "{\"contentBlockIndex\":0,\"delta\":{\"text\":".to_owned();
        push_json_string(&mut json, &delta);
        json.push('}');
        messages.push(event("contentBlockDelta", padded(&mut rng, json)));
        text.push_str(&delta);
    }
    messages.push(event(
        "contentBlockStop",
        padded(&mut rng, "{\"contentBlockIndex\":0".to_owned()),
    ));
    messages.push(event(
        "messageStop",
        padded(&mut rng, "{\"stopReason\":\"end_turn\"".to_owned()),
    ));
    let (input_tokens, output_tokens) = (37, deltas as i32);
    messages.push(event(
        "metadata",
        padded(
            &mut rng,
            format!(
                "{{\"usage\":{{\"inputTokens\":{input_tokens},\"outputTokens\":{output_tokens},\
                 \"totalTokens\":{}}},\"metrics\":{{\"latencyMs\":{}}}",
                input_tokens + output_tokens,
                18 * deltas
            ),
        ),
    ));
    let mut body = Vec::new();
    let mut message_ends = Vec::with_capacity(events);
    for m in &messages {
        body.extend_from_slice(&m.encode().expect("the recorded messages encode"));
        message_ends.push(body.len());
    }
    Recording {
        body: Bytes::from(body),
        message_ends,
        expected: Expected {
            events,
            deltas,
            text_bytes: text.len(),
            input_tokens,
            output_tokens,
            text,
        },
    }
}
