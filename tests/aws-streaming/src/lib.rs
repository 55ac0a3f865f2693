//! Lambda `InvokeAsync`, Polly `SynthesizeSpeech` and Bedrock Runtime `ConverseStream`, generated
//! by `build.rs`, and a local HTTP
//! server that receives and sends bodies of any size without holding them in memory.

#![forbid(unsafe_code)]

/// Lambda, `InvokeAsync` only.
pub mod lambda {
    smithgen_runtime::include_service!("lambda");
}

/// Polly, `SynthesizeSpeech` only.
pub mod polly {
    smithgen_runtime::include_service!("polly");
}

/// Bedrock Runtime, `ConverseStream` only.
pub mod bedrock_runtime {
    smithgen_runtime::include_service!("bedrock_runtime");
}

pub mod server;

/// The byte at `offset` of the test bodies: a pattern that repeats only every 251 × 256 bytes,
/// so that a chunk sent twice, lost or out of order shows.
pub fn pattern_byte(offset: u64) -> u8 {
    ((offset % 251) as u8).wrapping_add((offset / 251 % 256) as u8)
}

/// `len` bytes of the pattern from `offset`.
pub fn pattern(offset: u64, len: usize) -> Vec<u8> {
    (0..len as u64).map(|i| pattern_byte(offset + i)).collect()
}

/// A one-shot upload body of `size` bytes of the pattern, made 64 KiB at a time as the upload
/// asks for it (never all in memory), its length declared.
pub fn pattern_body(size: u64) -> smithgen_runtime::ByteStream {
    struct Pattern {
        sent: u64,
        size: u64,
    }
    impl futures_core::Stream for Pattern {
        type Item = std::io::Result<smithgen_runtime::byte_stream::Bytes>;

        fn poll_next(
            mut self: std::pin::Pin<&mut Self>,
            _: &mut std::task::Context<'_>,
        ) -> std::task::Poll<Option<Self::Item>> {
            let n = (self.size - self.sent).min(64 * 1024) as usize;
            if n == 0 {
                return std::task::Poll::Ready(None);
            }
            let chunk = pattern(self.sent, n);
            self.sent += n as u64;
            std::task::Poll::Ready(Some(Ok(chunk.into())))
        }
    }
    smithgen_runtime::ByteStream::from_stream(Pattern { sent: 0, size }).with_length(size)
}

/// The process's current and peak resident memory in bytes (`VmRSS`, `VmHWM` of
/// `/proc/self/status`; Linux only).
pub fn memory() -> Option<(u64, u64)> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
            .map(|kb| kb * 1024)
    };
    Some((field("VmRSS:")?, field("VmHWM:")?))
}
