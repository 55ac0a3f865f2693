//! The XML reader must never panic, hang or overflow the stack, whatever arrives; a document
//! it accepts, written back with `XmlWriter`, must read back as the same tree.

#![no_main]

use libfuzzer_sys::fuzz_target;
use smithgen_runtime::xml::{parse, XmlElement, XmlWriter};

fn same_tree(a: &XmlElement, b: &XmlElement) -> bool {
    a.name() == b.name()
        && a.attributes() == b.attributes()
        && a.text() == b.text()
        && a.children().len() == b.children().len()
        && a.children().iter().zip(b.children()).all(|(x, y)| same_tree(x, y))
}

fn write_tree(w: &mut XmlWriter, e: &XmlElement) {
    w.start(e.name());
    for (k, v) in e.attributes() {
        w.attribute(k, v);
    }
    w.text(e.text());
    for child in e.children() {
        write_tree(w, child);
    }
    w.end();
}

fuzz_target!(|data: &[u8]| {
    match parse(data) {
        Ok(tree) => {
            let mut w = XmlWriter::new();
            write_tree(&mut w, &tree);
            let written = w.finish();
            let again = parse(written.as_bytes()).expect("a written tree parses");
            assert!(same_tree(&tree, &again), "{written}");
        }
        Err(e) => assert!(e.offset() <= data.len()),
    }
});
