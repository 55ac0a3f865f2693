//! The Smithy IDL reader must never panic, hang or overflow the stack, whatever the text; and
//! any model it accepts, written back as IDL, must read back as the same model.

#![no_main]

use libfuzzer_sys::fuzz_target;
use smithgen::model::{load_sources, to_idl, to_json_ast, Source};

fuzz_target!(|data: &[u8]| {
    let source = Source {
        path: "fuzz.smithy".into(),
        bytes: data.to_vec(),
    };
    let Ok(model) = load_sources(vec![source]) else {
        return;
    };
    let sources: Vec<Source> = to_idl(&model)
        .into_iter()
        .map(|(ns, text)| Source {
            path: format!("{ns}.smithy").into(),
            bytes: text.into_bytes(),
        })
        .collect();
    let back = load_sources(sources).expect("written IDL reads back");
    assert_eq!(to_json_ast(&model), to_json_ast(&back));
});
