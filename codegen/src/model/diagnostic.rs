//! Located errors about models: file, JSON path or line:column, shape id and member.

use std::fmt;
use std::path::{Path, PathBuf};

/// One problem found in a model, located as precisely as the input allows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// The model file (or the path that could not be read).
    pub file: PathBuf,
    /// `line:column` for syntax errors, otherwise a JSON path such as
    /// `$.shapes["ns#Shape"].members["name"].target`.
    pub location: String,
    /// The shape concerned, if any.
    pub shape: Option<String>,
    /// The member concerned, if any.
    pub member: Option<String>,
    /// What is wrong.
    pub message: String,
    /// The source line the location points into, for IDL files (rendered with a caret).
    pub excerpt: Option<Excerpt>,
}

/// One line of source and the span in it that a diagnostic points at.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Excerpt {
    /// The line's text, without its line break.
    pub text: String,
    /// Its 1-based line number.
    pub line: usize,
    /// The byte range in `text` to underline (may be empty: a caret at the end of the line).
    pub span: std::ops::Range<usize>,
}

impl Diagnostic {
    /// A problem with no shape attached.
    pub fn file(file: &Path, location: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            file: file.to_path_buf(),
            location: location.into(),
            shape: None,
            member: None,
            message: message.into(),
            excerpt: None,
        }
    }

    /// A problem in shape `shape` (and optionally one of its members).
    pub fn shape(
        file: &Path,
        shape: &str,
        member: Option<&str>,
        location: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            file: file.to_path_buf(),
            location: location.into(),
            shape: Some(shape.to_owned()),
            member: member.map(str::to_owned),
            message: message.into(),
            excerpt: None,
        }
    }
}

impl Diagnostic {
    /// Points the diagnostic at `line:col` of `source` and keeps that line as its excerpt.
    pub(crate) fn locate(&mut self, source: &str, line: u32, col: u32) {
        self.location = format!("{line}:{col}");
        let Some(text) = source.split('\n').nth(line.saturating_sub(1) as usize) else {
            return;
        };
        let text = text.strip_suffix('\r').unwrap_or(text);
        let start = text
            .char_indices()
            .nth(col.saturating_sub(1) as usize)
            .map_or(text.len(), |(i, _)| i);
        // Underline the word at the location (an identifier, or one character).
        let rest = &text[start..];
        let word = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(rest.len());
        let len = if word > 0 {
            word
        } else {
            rest.chars().next().map_or(0, char::len_utf8)
        };
        self.excerpt = Some(Excerpt {
            text: text.to_owned(),
            line: line as usize,
            span: start..start + len,
        });
    }

    fn headline(&self) -> String {
        let mut out = String::new();
        match (&self.shape, &self.member) {
            (Some(shape), Some(member)) => {
                out.push_str(&format!("shape `{shape}`, member `{member}`: "))
            }
            (Some(shape), None) => out.push_str(&format!("shape `{shape}`: ")),
            _ => {}
        }
        out.push_str(&self.message);
        out
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(excerpt) = &self.excerpt {
            // rustc's form: `error: message`, ` --> file:line:col`, the line and a caret.
            use annotate_snippets::{Level, Renderer, Snippet};
            let title = self.headline();
            let origin = self.file.display().to_string();
            let message = Level::Error.title(&title).snippet(
                Snippet::source(&excerpt.text)
                    .line_start(excerpt.line)
                    .origin(&origin)
                    .annotation(Level::Error.span(excerpt.span.clone())),
            );
            return write!(f, "{}", Renderer::plain().render(message));
        }
        // `file:line:column: …` for syntax errors; `file: shape …: … (at $.json.path)` otherwise.
        let json_path = self.location.starts_with('$');
        write!(f, "{}", self.file.display())?;
        if !self.location.is_empty() && !json_path {
            write!(f, ":{}", self.location)?;
        }
        f.write_str(": ")?;
        match (&self.shape, &self.member) {
            (Some(shape), Some(member)) => write!(f, "shape `{shape}`, member `{member}`: ")?,
            (Some(shape), None) => write!(f, "shape `{shape}`: ")?,
            _ => {}
        }
        f.write_str(&self.message)?;
        if json_path {
            write!(f, " (at {})", self.location)?;
        }
        Ok(())
    }
}

/// Every problem found; loading reports them all at once rather than stopping at the first.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    /// Adds one.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.0.push(diagnostic);
    }

    /// Whether none were found.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Iterates over them.
    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter()
    }
}

impl From<Diagnostic> for Diagnostics {
    fn from(d: Diagnostic) -> Self {
        Diagnostics(vec![d])
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            if d.excerpt.is_some() {
                write!(f, "{d}")?;
            } else {
                write!(f, "error: {d}")?;
            }
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}

/// JSON path helpers: `$.shapes["ns#A"].members["b"]`.
pub(crate) fn shape_path(id: &str) -> String {
    format!("$.shapes[{}]", json_quote(id))
}

pub(crate) fn member_path(id: &str, member: &str) -> String {
    format!("{}.members[{}]", shape_path(id), json_quote(member))
}

pub(crate) fn json_quote(text: &str) -> String {
    serde_json::Value::String(text.to_owned()).to_string()
}
