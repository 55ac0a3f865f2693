//! The XML writer of request bodies.

use base64::Engine as _;

use super::TimestampFormat;
use crate::DateTime;

/// Writes an XML document element by element, escaping text and attribute values.
///
/// ```
/// use smithgen_runtime::xml::XmlWriter;
///
/// let mut w = XmlWriter::new();
/// w.start("Greeting");
/// w.namespace(None, "https://example.com/");
/// w.attribute("lang", "en & fr");
/// w.start("text");
/// w.text("<hi>");
/// w.end();
/// w.start("empty");
/// w.end();
/// w.end();
/// assert_eq!(
///     w.finish(),
///     r#"<Greeting xmlns="https://example.com/" lang="en &amp; fr"><text>&lt;hi&gt;</text><empty/></Greeting>"#
/// );
/// ```
#[derive(Clone, Debug, Default)]
pub struct XmlWriter {
    out: String,
    open: Vec<String>,
    /// Whether the last start tag is still open (attributes may follow).
    in_start_tag: bool,
}

impl XmlWriter {
    /// An empty document.
    pub fn new() -> Self {
        Self::default()
    }

    fn close_start_tag(&mut self) {
        if self.in_start_tag {
            self.out.push('>');
            self.in_start_tag = false;
        }
    }

    /// Opens an element (`<name`); attributes may follow until its content starts.
    pub fn start(&mut self, name: &str) {
        self.close_start_tag();
        self.out.push('<');
        self.out.push_str(name);
        self.open.push(name.to_owned());
        self.in_start_tag = true;
    }

    /// Adds an attribute to the element just opened (ignored once its content has started).
    pub fn attribute(&mut self, name: &str, value: &str) {
        if !self.in_start_tag {
            return;
        }
        self.out.push(' ');
        self.out.push_str(name);
        self.out.push_str("=\"");
        escape_into(&mut self.out, value, true);
        self.out.push('"');
    }

    /// Declares a namespace on the element just opened: `xmlns="uri"` or `xmlns:prefix="uri"`.
    pub fn namespace(&mut self, prefix: Option<&str>, uri: &str) {
        match prefix {
            Some(prefix) => self.attribute(&format!("xmlns:{prefix}"), uri),
            None => self.attribute("xmlns", uri),
        }
    }

    /// Writes text content, escaped.
    pub fn text(&mut self, text: &str) {
        self.close_start_tag();
        escape_into(&mut self.out, text, false);
    }

    /// Closes the innermost open element (`<a/>` when it has no content).
    pub fn end(&mut self) {
        let Some(name) = self.open.pop() else { return };
        if self.in_start_tag {
            self.out.push_str("/>");
            self.in_start_tag = false;
        } else {
            self.out.push_str("</");
            self.out.push_str(&name);
            self.out.push('>');
        }
    }

    /// `<name>text</name>`.
    pub fn element(&mut self, name: &str, text: &str) {
        self.start(name);
        self.text(text);
        self.end();
    }

    /// A boolean as text.
    pub fn bool(&mut self, value: bool) {
        self.text(if value { "true" } else { "false" });
    }

    /// An integer as text.
    pub fn i64(&mut self, value: i64) {
        self.text(&value.to_string());
    }

    /// A float as text: `NaN`, `Infinity` and `-Infinity` by name.
    pub fn f64(&mut self, value: f64) {
        self.text(&float_text(value));
    }

    /// A float as text (see [`f64`](Self::f64)), written as its shortest `f32` form.
    pub fn f32(&mut self, value: f32) {
        if value.is_finite() {
            self.text(&value.to_string());
        } else {
            self.f64(f64::from(value));
        }
    }

    /// A timestamp in `format`; a `date-time` out of RFC 3339's years is written in epoch
    /// seconds.
    pub fn timestamp(&mut self, value: &DateTime, format: TimestampFormat) {
        self.text(&timestamp_text(value, format));
    }

    /// A blob as base64.
    pub fn blob(&mut self, value: &[u8]) {
        self.text(&crate::json::BASE64.encode(value));
    }

    /// The document, every open element closed.
    pub fn finish(mut self) -> String {
        while !self.open.is_empty() {
            self.end();
        }
        self.out
    }
}

/// A float as the XML and query protocols write it: the shortest form that reads back as the
/// same value, or `NaN`, `Infinity`, `-Infinity`.
pub fn float_text(value: f64) -> String {
    if value.is_nan() {
        "NaN".to_owned()
    } else if value == f64::INFINITY {
        "Infinity".to_owned()
    } else if value == f64::NEG_INFINITY {
        "-Infinity".to_owned()
    } else {
        value.to_string()
    }
}

/// A blob as base64 text (standard alphabet, padded).
pub fn base64_text(value: &[u8]) -> String {
    crate::json::BASE64.encode(value)
}

/// A timestamp in `format` as text.
pub fn timestamp_text(value: &DateTime, format: TimestampFormat) -> String {
    match format {
        TimestampFormat::DateTime => value
            .fmt_rfc3339()
            .unwrap_or_else(|_| value.fmt_epoch_seconds()),
        TimestampFormat::HttpDate => value
            .fmt_http_date()
            .unwrap_or_else(|_| value.fmt_epoch_seconds()),
        TimestampFormat::EpochSeconds => value.fmt_epoch_seconds(),
    }
}

fn escape_into(out: &mut String, text: &str, attribute: bool) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if attribute => out.push_str("&quot;"),
            // Line ends and tabs as references, so that a reader's normalization keeps them.
            '\r' => out.push_str("&#xD;"),
            '\n' if attribute => out.push_str("&#xA;"),
            '\t' if attribute => out.push_str("&#x9;"),
            c => out.push(c),
        }
    }
}
