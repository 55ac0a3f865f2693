use super::*;

#[test]
fn elements_attributes_and_text() {
    let doc = br#"<?xml version="1.0" encoding="UTF-8"?>
<!-- a comment -->
<a:Root xmlns:a="urn:x" a:id="7" plain='q&quot;'>
    <a:Item>one</a:Item>
    <Item><![CDATA[<two>]]></Item>
    <Empty/>
    <Refs>&lt;&amp;&gt;&quot;&apos;&#65;&#x42;</Refs>
</a:Root>"#;
    let root = parse(doc).unwrap();
    assert_eq!(root.name(), "a:Root");
    assert_eq!(root.local_name(), "Root");
    assert_eq!(root.attribute("id"), Some("7"));
    assert_eq!(root.attribute("plain"), Some("q\""));
    // Namespace declarations are not attributes.
    assert_eq!(root.attribute("a"), None);
    let items = read_list(&root, "Item", |e| e.value().string()).unwrap();
    assert_eq!(items, ["one", "<two>"]);
    assert_eq!(root.child("Empty").unwrap().text(), "");
    assert_eq!(root.child("Refs").unwrap().text(), "<&>\"'AB");
    assert_eq!(root.children().len(), 4);
}

#[test]
fn whitespace_is_kept_in_text_and_trimmed_for_numbers() {
    let root = parse(b"<r><s>  a b\n</s><n>\n 42 \n</n><b> true </b></r>").unwrap();
    assert_eq!(
        root.child("s").unwrap().value().string().unwrap(),
        "  a b\n"
    );
    assert_eq!(root.child("n").unwrap().value().i64().unwrap(), 42);
    assert!(root.child("b").unwrap().value().bool().unwrap());
    // Carriage returns are normalized to line feeds, as XML says.
    let root = parse(b"<r>a\r\nb</r>").unwrap();
    assert_eq!(root.text(), "a\nb");
}

#[test]
fn scalars() {
    let root = parse(
        b"<r><f>NaN</f><g>-Infinity</g><h>1.5e3</h><t>2014-04-29T18:30:38Z</t>\
          <e>1398796238</e><d>Tue, 29 Apr 2014 18:30:38 GMT</d><blob>dmFs\n dWU=</blob>\
          <empty/><inf>inf</inf><big>123456789012345678901234567890</big></r>",
    )
    .unwrap();
    let v = |name: &str| root.child(name).unwrap().value();
    assert!(v("f").f64().unwrap().is_nan());
    assert_eq!(v("g").f32().unwrap(), f32::NEG_INFINITY);
    assert_eq!(v("h").f64().unwrap(), 1500.0);
    let expected = DateTime::from_secs(1398796238);
    assert_eq!(
        v("t").timestamp(TimestampFormat::DateTime).unwrap(),
        expected
    );
    assert_eq!(
        v("e").timestamp(TimestampFormat::EpochSeconds).unwrap(),
        expected
    );
    assert_eq!(
        v("d").timestamp(TimestampFormat::HttpDate).unwrap(),
        expected
    );
    assert_eq!(v("blob").blob().unwrap(), Blob::new(b"value".to_vec()));
    assert_eq!(v("empty").blob().unwrap(), Blob::new(Vec::new()));
    assert!(v("inf").f64().is_err(), "Rust's `inf` is not an XML number");
    assert_eq!(
        v("big").big_integer().unwrap().to_string(),
        "123456789012345678901234567890"
    );
    let error = v("t").i8().unwrap_err();
    assert_eq!(error.path(), "<t>");
    assert!(error.message().contains("-128..=127"), "{error}");
}

#[test]
fn maps_wrapped_and_entries() {
    let root = parse(
        b"<m><entry><key>a</key><value>1</value></entry><entry><key>b</key><value>2</value></entry></m>",
    )
    .unwrap();
    let map = read_map(&root, "key", "value", str::to_owned, |e| e.value().i32()).unwrap();
    assert_eq!(map.len(), 2);
    assert_eq!(map["a"], 1);
    assert_eq!(map["b"], 2);
    let bad = parse(b"<m><entry><value>1</value></entry></m>").unwrap();
    let error = read_map(&bad, "key", "value", str::to_owned, |e| e.value().i32()).unwrap_err();
    assert_eq!(error.path(), "<entry>");
    assert_eq!(error.offset(), 3);
}

#[test]
fn prefixed_attribute_names_match_by_local_name() {
    // S3's Grantee: `@xmlName("xsi:type")` on an attribute, sent with its prefix.
    let root = parse(
        br#"<Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="Group"/>"#,
    )
    .unwrap();
    assert_eq!(root.attribute("xsi:type"), Some("Group"));
    assert_eq!(root.attribute("type"), Some("Group"));
    assert_eq!(root.attribute_value("xsi:type").unwrap().text(), "Group");
    assert_eq!(root.attribute("xsi"), None);
}

#[test]
fn attribute_values_are_located() {
    let root = parse(b"<r n=\"x\"/>").unwrap();
    let error = root.attribute_value("n").unwrap().i32().unwrap_err();
    assert_eq!(error.path(), "<r>@n");
}

#[test]
fn malformed_documents_are_located_errors() {
    let cases: &[(&[u8], &str)] = &[
        (b"<a><b></a>", "malformed XML"),
        (b"<a>", "ends inside an element"),
        (b"", "no root element"),
        (b"<a/><b/>", "more than one root element"),
        (b"<a>&bogus;</a>", "unknown entity"),
        (b"<a>&#xFFFFFFFF;</a>", "invalid character reference"),
        (b"<a b=\"1></a>", "malformed"),
        (b"\xff\xfe<a/>", "not UTF-8"),
        (b"text<a/>", "text outside the root element"),
        // Found by the `xml_reader` fuzz target: quick-xml reads anything up to a space as a name.
        (b"<\0\0e/\n/>", "not an element name"),
        (b"<a 1b=\"x\"/>", "not an attribute name"),
    ];
    for (doc, expected) in cases {
        let error = parse(doc).unwrap_err();
        assert!(
            error.to_string().contains(expected),
            "{}: {error}",
            String::from_utf8_lossy(doc)
        );
    }
    let error = parse(b"<a>\n  <b>&nope;</b></a>").unwrap_err();
    assert_eq!(error.path(), "<b>");
    assert_eq!(error.offset(), 9);
}

#[test]
fn deep_nesting_is_bounded() {
    let depth = MAX_DEPTH;
    let doc = format!("{}{}", "<a>".repeat(depth), "</a>".repeat(depth));
    assert!(parse(doc.as_bytes()).is_ok());
    let doc = format!("{}{}", "<a>".repeat(depth + 1), "</a>".repeat(depth + 1));
    let error = parse(doc.as_bytes()).unwrap_err();
    assert!(error.message().contains("nest more than"), "{error}");
    // A million open tags fail fast, without recursion.
    let doc = "<a>".repeat(1_000_000);
    assert!(parse(doc.as_bytes()).is_err());
}

#[test]
fn entity_expansion_is_never_performed() {
    // The "billion laughs": a document type's entities are not read, so nothing expands.
    let doc = br#"<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<lolz>&lol3;</lolz>"#;
    let error = parse(doc).unwrap_err();
    assert!(
        error.message().contains("unknown entity `&lol3;`"),
        "{error}"
    );
    // A huge run of predefined references grows the text by one character each.
    let doc = format!("<a>{}</a>", "&amp;".repeat(200_000));
    assert_eq!(parse(doc.as_bytes()).unwrap().text().len(), 200_000);
}

#[test]
fn writer_escapes_and_round_trips() {
    let mut w = XmlWriter::new();
    w.start("r");
    w.attribute("a", "x\"<&\n\t");
    w.start("s");
    w.text("a < b && c > d\r\n");
    w.end();
    w.start("f");
    w.f64(f64::NEG_INFINITY);
    w.end();
    w.start("t");
    w.timestamp(&DateTime::from_secs(1398796238), TimestampFormat::DateTime);
    w.end();
    w.start("b");
    w.blob(b"value");
    w.end();
    let doc = w.finish();
    let root = parse(doc.as_bytes()).unwrap();
    assert_eq!(root.attribute("a"), Some("x\"<&\n\t"));
    assert_eq!(root.child("s").unwrap().text(), "a < b && c > d\r\n");
    assert_eq!(root.child("f").unwrap().text(), "-Infinity");
    assert_eq!(root.child("t").unwrap().text(), "2014-04-29T18:30:38Z");
    assert_eq!(root.child("b").unwrap().text(), "dmFsdWU=");
}

/// Two trees are the same document when names, attributes, text and children are (offsets
/// aside).
fn same_tree(a: &XmlElement, b: &XmlElement) -> bool {
    a.name() == b.name()
        && a.attributes() == b.attributes()
        && a.text() == b.text()
        && a.children().len() == b.children().len()
        && a.children()
            .iter()
            .zip(b.children())
            .all(|(x, y)| same_tree(x, y))
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

#[test]
fn every_truncation_and_byte_flip_is_an_error_or_a_tree_that_round_trips() {
    let doc: &[u8] = br#"<?xml version="1.0"?><r:A xmlns:r="urn:r" a="1 &amp; 2"><B>x&#x20;y<![CDATA[<z>]]></B><C k='v'/><!-- c --><D>&lt;&gt;</D></r:A>"#;
    let mut inputs: Vec<Vec<u8>> = (0..doc.len()).map(|n| doc[..n].to_vec()).collect();
    for i in 0..doc.len() {
        for b in [b'<', b'>', b'&', b'"', b'/', b'\'', b';', 0xff, b' ', b'\r'] {
            let mut mutated = doc.to_vec();
            mutated[i] = b;
            inputs.push(mutated);
        }
    }
    let mut parsed = 0;
    for input in &inputs {
        // Never a panic; an error is located inside the input.
        match parse(input) {
            Ok(tree) => {
                parsed += 1;
                let mut w = XmlWriter::new();
                write_tree(&mut w, &tree);
                let written = w.finish();
                let again = parse(written.as_bytes()).unwrap_or_else(|e| {
                    panic!(
                        "{:?} wrote {written:?}, which fails: {e}",
                        String::from_utf8_lossy(input)
                    )
                });
                assert!(same_tree(&tree, &again), "{written}");
            }
            Err(e) => assert!(e.offset() <= input.len(), "{e}"),
        }
    }
    assert!(
        parsed > 100,
        "only {parsed} of {} inputs parsed",
        inputs.len()
    );
}
