//! Response deserialization must never panic, whatever the bytes: a success body for Lightsail's
//! CreateKeyPair, an error body matched against its seven errors, and bodies for the
//! kitchen-sink shapes (every Smithy type: numbers, blobs, timestamps, documents, unions,
//! sparse collections, recursion).

#![no_main]

use libfuzzer_sys::fuzz_target;
use lightsail::operation::create_key_pair::CreateKeyPair;
use smithgen_runtime::protocol::aws_json::parse_response;
use smithgen_runtime::protocol::JsonRead;
use smithgen_tests::kitchen_sink::types::{GetThingOutput, PutThingInput, Shape};

fuzz_target!(|data: &[u8]| {
    let _ = parse_response::<CreateKeyPair>(200, &[], data);
    let headers = [("x-amzn-query-error".to_owned(), "Code;Sender".to_owned())];
    let _ = parse_response::<CreateKeyPair>(400, &headers, data);
    let _ = GetThingOutput::from_json(data);
    let _ = PutThingInput::from_json(data);
    let _ = Shape::from_json(data);
});
