//! XML on the wire, as the awsQuery and ec2Query protocols receive it (and restXml sends and
//! receives it).
//!
//! Responses are parsed with [`parse`] into a small tree of [`XmlElement`]s (quick-xml does the
//! tokenizing), which generated deserializers walk: children are matched by local name (any
//! namespace prefix is ignored), text is read through [`XmlValue`], which knows how Smithy's
//! scalar types are written in XML. Requests with XML bodies are written with [`XmlWriter`].
//!
//! | Smithy                      | XML text                                                   |
//! |-----------------------------|------------------------------------------------------------|
//! | `boolean`                   | `true` / `false`                                           |
//! | numbers                     | decimal text; floats also `NaN`, `Infinity`, `-Infinity`   |
//! | `blob`                      | base64 (standard alphabet)                                 |
//! | `timestamp`                 | `date-time` unless `@timestampFormat` says otherwise      |
//! | list (wrapped)              | `<member>` children (or the list member's `@xmlName`)      |
//! | list (`@xmlFlattened`)      | the member's element repeated, in place                   |
//! | map (wrapped)               | `<entry><key>…</key><value>…</value></entry>` children     |
//!
//! Hostile input is bounded: elements nest at most [`MAX_DEPTH`] deep, only the five predefined
//! entities and character references are expanded (a document type's own entities are never
//! read, so no entity can grow the document), and every problem is a
//! [`DeserializeError`] naming the element and byte offset, never a panic.
//!
//! ```
//! use smithgen_runtime::xml;
//!
//! let root = xml::parse(b"<Greeting lang=\"en\"><text>hi &amp; bye</text><n>3</n></Greeting>")?;
//! assert_eq!(root.local_name(), "Greeting");
//! assert_eq!(root.attribute("lang"), Some("en"));
//! assert_eq!(root.child("text").unwrap().value().string()?, "hi & bye");
//! assert_eq!(root.child("n").unwrap().value().i32()?, 3);
//! let error = root.child("text").unwrap().value().i32().unwrap_err();
//! assert_eq!(error.to_string(), "<text>: expected an integer in -2147483648..=2147483647, found `hi & bye` (at byte 20)");
//! # Ok::<(), smithgen_runtime::json::DeserializeError>(())
//! ```

mod writer;
pub use crate::protocol::query::sorted_entries;
pub use writer::{base64_text, float_text, timestamp_text};

#[cfg(test)]
mod tests;

use std::collections::HashMap;

use base64::Engine as _;

pub use crate::json::{DeserializeError, TimestampFormat};
use crate::{BigDecimal, BigInteger, Blob, DateTime};
pub use writer::XmlWriter;

/// How deep elements may nest in a response (the root is at depth 1).
pub const MAX_DEPTH: usize = 100;

/// One element of a parsed document: its name, attributes, child elements and text.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct XmlElement {
    name: String,
    attributes: Vec<(String, String)>,
    children: Vec<XmlElement>,
    text: String,
    offset: usize,
}

impl XmlElement {
    /// An unnamed element whose one child is `child`.
    pub(crate) fn wrapping(child: XmlElement) -> XmlElement {
        XmlElement {
            children: vec![child],
            ..XmlElement::default()
        }
    }

    /// The name as written, with any prefix (`s3:Bucket`).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The name without its namespace prefix (`Bucket`).
    pub fn local_name(&self) -> &str {
        local(&self.name)
    }

    /// The value of the attribute with this local name (any prefix), entities expanded; a
    /// prefixed `name` (`xsi:type`, as `@xmlName` gives it) is matched by its local part.
    /// Namespace declarations (`xmlns`, `xmlns:p`) are not attributes.
    pub fn attribute(&self, name: &str) -> Option<&str> {
        let name = local(name);
        self.attributes
            .iter()
            .find(|(k, _)| k != "xmlns" && !k.starts_with("xmlns:") && local(k) == name)
            .map(|(_, v)| v.as_str())
    }

    /// Every attribute as written (namespace declarations included), in document order.
    pub fn attributes(&self) -> &[(String, String)] {
        &self.attributes
    }

    /// The child elements, in document order.
    pub fn children(&self) -> &[XmlElement] {
        &self.children
    }

    /// The first child element with this local name.
    pub fn child(&self, name: &str) -> Option<&XmlElement> {
        self.children.iter().find(|c| c.local_name() == name)
    }

    /// The element's own text (its text and CDATA, references expanded, child elements left
    /// out), exactly as sent: whitespace is kept.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The byte offset of the element's start tag in the document.
    pub fn offset(&self) -> usize {
        self.offset
    }

    /// The element's text as a value of a Smithy type.
    pub fn value(&self) -> XmlValue<'_> {
        XmlValue {
            text: &self.text,
            element: self,
            attribute: None,
        }
    }

    /// An attribute (by local name) as a value of a Smithy type.
    pub fn attribute_value<'a>(&'a self, name: &'a str) -> Option<XmlValue<'a>> {
        self.attribute(name).map(|text| XmlValue {
            text,
            element: self,
            attribute: Some(name),
        })
    }

    /// An error about this element.
    pub fn error(&self, message: impl Into<String>) -> DeserializeError {
        DeserializeError::new(format!("<{}>", self.name), self.offset, message.into())
    }
}

fn local(name: &str) -> &str {
    name.rsplit_once(':').map_or(name, |(_, local)| local)
}

/// A value of a Smithy type read from XML: generated code reads what it received through it.
#[derive(Clone, Copy, Debug)]
pub struct XmlValue<'a> {
    text: &'a str,
    element: &'a XmlElement,
    attribute: Option<&'a str>,
}

macro_rules! integer {
    ($name:ident, $ty:ty) => {
        #[doc = concat!("An `", stringify!($ty), "` (surrounding whitespace allowed).")]
        pub fn $name(&self) -> Result<$ty, DeserializeError> {
            self.text.trim().parse::<$ty>().map_err(|_| {
                self.error(format!(
                    "expected an integer in {}..={}, found `{}`",
                    <$ty>::MIN,
                    <$ty>::MAX,
                    self.text
                ))
            })
        }
    };
}

impl<'a> XmlValue<'a> {
    /// The text as sent.
    pub fn text(&self) -> &'a str {
        self.text
    }

    /// An error about this value, naming its element (and attribute).
    pub fn error(&self, message: impl Into<String>) -> DeserializeError {
        let path = match self.attribute {
            Some(attribute) => format!("<{}>@{attribute}", self.element.name),
            None => format!("<{}>", self.element.name),
        };
        DeserializeError::new(path, self.element.offset, message.into())
    }

    /// A string, whitespace kept.
    pub fn string(&self) -> Result<String, DeserializeError> {
        Ok(self.text.to_owned())
    }

    /// `true` or `false`.
    pub fn bool(&self) -> Result<bool, DeserializeError> {
        match self.text.trim() {
            "true" => Ok(true),
            "false" => Ok(false),
            _ => Err(self.error(format!("expected `true` or `false`, found `{}`", self.text))),
        }
    }

    integer!(i8, i8);
    integer!(i16, i16);
    integer!(i32, i32);
    integer!(i64, i64);

    /// A double: decimal text, or `NaN`, `Infinity`, `-Infinity`.
    pub fn f64(&self) -> Result<f64, DeserializeError> {
        let text = self.text.trim();
        match text {
            "NaN" => Ok(f64::NAN),
            "Infinity" => Ok(f64::INFINITY),
            "-Infinity" => Ok(f64::NEG_INFINITY),
            // Rust would also read `inf` and `nan`; XML numbers are digits.
            _ if text
                .bytes()
                .any(|b| b.is_ascii_alphabetic() && b != b'e' && b != b'E') =>
            {
                Err(self.error(format!("expected a number, found `{}`", self.text)))
            }
            _ => text
                .parse::<f64>()
                .map_err(|_| self.error(format!("expected a number, found `{}`", self.text))),
        }
    }

    /// A float (see [`f64`](Self::f64)).
    pub fn f32(&self) -> Result<f32, DeserializeError> {
        // Parsed as f32 directly, so that the value is the nearest f32 to the text.
        let text = self.text.trim();
        match text {
            "NaN" => Ok(f32::NAN),
            "Infinity" => Ok(f32::INFINITY),
            "-Infinity" => Ok(f32::NEG_INFINITY),
            _ => {
                self.f64()?;
                text.parse::<f32>()
                    .map_err(|_| self.error(format!("expected a number, found `{}`", self.text)))
            }
        }
    }

    /// A `bigInteger`, its text kept whole.
    pub fn big_integer(&self) -> Result<BigInteger, DeserializeError> {
        self.text
            .trim()
            .parse()
            .map_err(|e| self.error(format!("expected an integer, found `{}`: {e}", self.text)))
    }

    /// A `bigDecimal`, its text kept whole.
    pub fn big_decimal(&self) -> Result<BigDecimal, DeserializeError> {
        self.text
            .trim()
            .parse()
            .map_err(|e| self.error(format!("expected a number, found `{}`: {e}", self.text)))
    }

    /// A timestamp in `format` (`date-time` is the XML protocols' default).
    pub fn timestamp(&self, format: TimestampFormat) -> Result<DateTime, DeserializeError> {
        let text = self.text.trim();
        let parsed = match format {
            TimestampFormat::DateTime => DateTime::parse_rfc3339(text),
            TimestampFormat::HttpDate => DateTime::parse_http_date(text),
            TimestampFormat::EpochSeconds => DateTime::parse_epoch_seconds(text),
        };
        parsed.map_err(|e| self.error(format!("expected a timestamp, found `{}`: {e}", self.text)))
    }

    /// A blob: base64 text (whitespace between groups allowed); empty text is an empty blob.
    pub fn blob(&self) -> Result<Blob, DeserializeError> {
        let compact: String = self
            .text
            .chars()
            .filter(|c| !c.is_ascii_whitespace())
            .collect();
        crate::json::BASE64
            .decode(compact.as_bytes())
            .map(Blob::new)
            .map_err(|e| self.error(format!("expected base64, found `{}`: {e}", self.text)))
    }
}

/// A value that generated code reads from an XML element: the shapes an operation receives.
#[diagnostic::on_unimplemented(message = "`{Self}` is not read from XML by this crate")]
pub trait XmlRead: Sized {
    /// Reads the value from its element; unknown children and attributes are skipped.
    fn read_xml(element: &XmlElement) -> Result<Self, DeserializeError>;
}

impl XmlRead for () {
    fn read_xml(_element: &XmlElement) -> Result<Self, DeserializeError> {
        Ok(())
    }
}

/// A value that generated code writes as XML: the structures and unions a restXml operation
/// sends.
#[diagnostic::on_unimplemented(message = "`{Self}` is not written as XML by this crate")]
pub trait XmlWrite {
    /// Writes the value's attributes and child elements into the element just opened with
    /// [`XmlWriter::start`] (its namespace first, when the shape declares one).
    fn write_xml(&self, w: &mut XmlWriter);
}

impl<T: XmlWrite + ?Sized> XmlWrite for Box<T> {
    fn write_xml(&self, w: &mut XmlWriter) {
        (**self).write_xml(w);
    }
}

/// Reads the items of a wrapped list: the children of `element` named `item` (other children
/// are skipped).
pub fn read_list<T>(
    element: &XmlElement,
    item: &str,
    mut read: impl FnMut(&XmlElement) -> Result<T, DeserializeError>,
) -> Result<Vec<T>, DeserializeError> {
    let mut out = Vec::new();
    for child in element.children.iter().filter(|c| c.local_name() == item) {
        out.push(read(child)?);
    }
    Ok(out)
}

/// Reads one map entry (an `<entry>` of a wrapped map, or an element of a flattened one) into
/// `map`: its `key` child read with `key`, its `value` child with `value`. An entry without a
/// key is an error; one without a value is skipped.
pub fn read_entry<K: Eq + std::hash::Hash, V>(
    entry: &XmlElement,
    key_name: &str,
    value_name: &str,
    map: &mut HashMap<K, V>,
    key: impl FnOnce(&str) -> K,
    value: impl FnOnce(&XmlElement) -> Result<V, DeserializeError>,
) -> Result<(), DeserializeError> {
    let k = entry
        .child(key_name)
        .ok_or_else(|| entry.error(format!("a map entry without its `<{key_name}>`")))?;
    if let Some(v) = entry.child(value_name) {
        map.insert(key(k.text()), value(v)?);
    }
    Ok(())
}

/// Reads the entries of a wrapped map: the `<entry>` children of `element`.
pub fn read_map<K: Eq + std::hash::Hash, V>(
    element: &XmlElement,
    key_name: &str,
    value_name: &str,
    mut key: impl FnMut(&str) -> K,
    mut value: impl FnMut(&XmlElement) -> Result<V, DeserializeError>,
) -> Result<HashMap<K, V>, DeserializeError> {
    let mut out = HashMap::new();
    for entry in element
        .children
        .iter()
        .filter(|c| c.local_name() == "entry")
    {
        read_entry(entry, key_name, value_name, &mut out, &mut key, &mut value)?;
    }
    Ok(out)
}

/// Parses a whole document into its root element. The XML declaration, comments, processing
/// instructions and a document type are skipped (a document type's entities are not read);
/// only one root element is allowed.
pub fn parse(bytes: &[u8]) -> Result<XmlElement, DeserializeError> {
    use quick_xml::events::Event;
    let text = std::str::from_utf8(bytes).map_err(|e| {
        DeserializeError::new(
            "document".to_owned(),
            e.valid_up_to(),
            "the document is not UTF-8".to_owned(),
        )
    })?;
    let mut reader = quick_xml::Reader::from_str(text);
    let config = reader.config_mut();
    config.check_end_names = true;
    config.expand_empty_elements = false;
    config.trim_text(false);
    let mut stack: Vec<XmlElement> = Vec::new();
    let mut root: Option<XmlElement> = None;
    let at = |reader: &quick_xml::Reader<&[u8]>| reader.buffer_position() as usize;
    let located = |stack: &[XmlElement], offset: usize, message: String| {
        let path = match stack.last() {
            Some(open) => format!("<{}>", open.name),
            None => "document".to_owned(),
        };
        DeserializeError::new(path, offset, message)
    };
    loop {
        let start = at(&reader);
        let event = reader.read_event().map_err(|e| {
            located(
                &stack,
                reader.error_position() as usize,
                format!("malformed XML: {e}"),
            )
        })?;
        match event {
            Event::Start(e) | Event::Empty(e) if root.is_some() => {
                let _ = e;
                return Err(located(
                    &stack,
                    start,
                    "more than one root element".to_owned(),
                ));
            }
            Event::Start(e) => {
                let element = open_element(&e, start, &stack)?;
                stack.push(element);
            }
            Event::Empty(e) => {
                let element = open_element(&e, start, &stack)?;
                close(&mut stack, &mut root, element);
            }
            Event::End(_) => {
                // quick-xml checks that the names match.
                if let Some(element) = stack.pop() {
                    close(&mut stack, &mut root, element);
                }
            }
            Event::Text(t) => {
                let content = t.xml10_content();
                match stack.last_mut() {
                    Some(open) => open.text.push_str(&content),
                    None if content.trim().is_empty() => {}
                    None => {
                        return Err(located(
                            &stack,
                            start,
                            "text outside the root element".to_owned(),
                        ))
                    }
                }
            }
            Event::CData(c) => {
                let content = c.xml10_content();
                match stack.last_mut() {
                    Some(open) => open.text.push_str(&content),
                    None => {
                        return Err(located(
                            &stack,
                            start,
                            "CDATA outside the root element".to_owned(),
                        ))
                    }
                }
            }
            Event::GeneralRef(r) => {
                let resolved = match r.resolve_char_ref() {
                    Ok(Some(c)) => c,
                    Ok(None) => match r.into_inner().as_ref() {
                        "amp" => '&',
                        "lt" => '<',
                        "gt" => '>',
                        "quot" => '"',
                        "apos" => '\'',
                        other => {
                            return Err(located(
                                &stack,
                                start,
                                format!(
                                    "unknown entity `&{};` (only the predefined entities are read)",
                                    other
                                ),
                            ))
                        }
                    },
                    Err(e) => {
                        return Err(located(
                            &stack,
                            start,
                            format!("invalid character reference: {e}"),
                        ))
                    }
                };
                match stack.last_mut() {
                    Some(open) => open.text.push(resolved),
                    None => {
                        return Err(located(
                            &stack,
                            start,
                            "a reference outside the root element".to_owned(),
                        ))
                    }
                }
            }
            Event::Comment(_) | Event::Decl(_) | Event::PI(_) | Event::DocType(_) => {}
            Event::Eof => {
                if !stack.is_empty() {
                    return Err(located(
                        &stack,
                        text.len(),
                        "the document ends inside an element".to_owned(),
                    ));
                }
                return root.ok_or_else(|| {
                    DeserializeError::new(
                        "document".to_owned(),
                        text.len(),
                        "no root element".to_owned(),
                    )
                });
            }
        }
    }
}

/// The element a start tag opens (its children and text still to come).
fn open_element(
    e: &quick_xml::events::BytesStart<'_>,
    start: usize,
    stack: &[XmlElement],
) -> Result<XmlElement, DeserializeError> {
    let located = |message: String| {
        let path = match stack.last() {
            Some(open) => format!("<{}>", open.name),
            None => "document".to_owned(),
        };
        DeserializeError::new(path, start, message)
    };
    if stack.len() >= MAX_DEPTH {
        return Err(located(format!("elements nest more than {MAX_DEPTH} deep")));
    }
    let name = e.name();
    let name = name.as_ref();
    if !is_xml_name(name) {
        return Err(located(format!("`{name}` is not an element name")));
    }
    let mut element = XmlElement {
        name: name.to_owned(),
        offset: start,
        ..XmlElement::default()
    };
    for attribute in e.attributes() {
        let attribute = attribute.map_err(|err| located(format!("malformed attribute: {err}")))?;
        if !is_xml_name(attribute.key.as_ref()) {
            return Err(located(format!(
                "`{}` is not an attribute name",
                attribute.key.as_ref()
            )));
        }
        let value = attribute
            .normalized_value(quick_xml::XmlVersion::Implicit1_0)
            .map_err(|err| located(format!("malformed attribute value: {err}")))?;
        element
            .attributes
            .push((attribute.key.as_ref().to_owned(), value.into_owned()));
    }
    Ok(element)
}

/// Whether `name` is an XML name: a letter, `_` or `:` (or any character beyond ASCII) first,
/// then those, digits, `-` and `.` (quick-xml reads up to the next space or `>` as a name).
fn is_xml_name(name: &str) -> bool {
    let mut chars = name.chars();
    let start = |c: char| c.is_ascii_alphabetic() || c == '_' || c == ':' || !c.is_ascii();
    chars.next().is_some_and(start)
        && chars.all(|c| start(c) || c.is_ascii_digit() || c == '-' || c == '.')
}

fn close(stack: &mut [XmlElement], root: &mut Option<XmlElement>, element: XmlElement) {
    match stack.last_mut() {
        Some(parent) => parent.children.push(element),
        None => *root = Some(element),
    }
}
