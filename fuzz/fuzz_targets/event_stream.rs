//! The event stream decoder must never panic or allocate without bound, whatever arrives and
//! however it is split; every message it accepts encodes back to the bytes it came from.

#![no_main]

use libfuzzer_sys::fuzz_target;
use smithgen_runtime::event_stream::MessageDecoder;

fuzz_target!(|data: &[u8]| {
    // The first byte chooses how the rest is split into pushes.
    let Some((&split, data)) = data.split_first() else {
        return;
    };
    let step = usize::from(split).max(1);
    let mut decoder = MessageDecoder::new();
    let mut consumed = 0;
    for chunk in data.chunks(step) {
        decoder.push(chunk);
        loop {
            match decoder.next_message() {
                Ok(Some(message)) => {
                    let bytes = message.encode().expect("a decoded message encodes");
                    assert_eq!(&data[consumed..consumed + bytes.len()], &bytes[..]);
                    consumed += bytes.len();
                }
                Ok(None) => break,
                Err(_) => return,
            }
        }
    }
    let _ = decoder.finish();
});
