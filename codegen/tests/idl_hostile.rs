//! Hostile IDL input: every error is reported without a panic, a hang or deep recursion.
//! (The fuzz target `fuzz/fuzz_targets/idl_reader.rs` explores further.)

use smithgen::model::{load_sources, Source};

fn load(text: &[u8]) -> Result<smithgen::model::Model, smithgen::model::Diagnostics> {
    load_sources(vec![Source {
        path: "hostile.smithy".into(),
        bytes: text.to_vec(),
    }])
}

fn fixture() -> String {
    let dir =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/idl/weather");
    std::fs::read_to_string(dir.join("shapes.smithy")).unwrap()
}

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    for (open, close) in [("[", "]"), ("{a: ", "}")] {
        let depth = 200_000;
        let text = format!(
            "$version: \"2.0\"\nnamespace a\n@tags({}{})\nstring S\n",
            open.repeat(depth),
            close.repeat(depth)
        );
        let err = load(text.as_bytes()).unwrap_err().to_string();
        assert!(err.contains("nest more than 64 levels"), "{err}");
    }
}

#[test]
fn every_truncation_of_a_valid_file_is_handled() {
    let text = fixture();
    assert!(load(text.as_bytes()).is_ok());
    for end in 0..text.len() {
        if text.is_char_boundary(end) {
            let _ = load(&text.as_bytes()[..end]);
        }
    }
}

#[test]
fn byte_flips_are_handled() {
    let text = fixture().into_bytes();
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let specials = b"\"\\{}[]()@$#:=,./\n\r\t 0_aZ\xff\x00";
    for _ in 0..3000 {
        let mut bytes = text.clone();
        for _ in 0..3 {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let at = (state >> 33) as usize % bytes.len();
            let with = specials[(state >> 20) as usize % specials.len()];
            bytes[at] = with;
        }
        let _ = load(&bytes);
    }
}

#[test]
fn not_utf8_and_huge_text_are_errors_or_values() {
    assert!(load(b"$version: \"2.0\"\nnamespace a\nstring \xff\n").is_err());
    let long = "x".repeat(1 << 20);
    let text = format!(
        "$version: \"2.0\"\nnamespace a\n@documentation(\"\"\"\n{long}\n\"\"\")\nstring S\n"
    );
    let model = load(text.as_bytes()).unwrap();
    assert_eq!(
        model.shape("a#S").unwrap().documentation().unwrap().len(),
        long.len() + 1
    );
}
