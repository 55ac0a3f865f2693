//! Bounded copies of rejected input for error messages.

use std::fmt;

/// The longest prefix of a rejected input (in `char`s) kept in an error.
const MAX_CHARS: usize = 64;

/// A copy of (the start of) some rejected text, kept in an error so that its
/// message can name the bad input without holding on to an arbitrarily large
/// string.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) struct Excerpt {
    text: String,
    truncated: bool,
}

impl Excerpt {
    /// Copies at most the first 64 characters of `input`.
    pub(crate) fn new(input: &str) -> Self {
        match input.char_indices().nth(MAX_CHARS) {
            // `end` comes from `char_indices`, so it is a char boundary.
            Some((end, _)) => Self {
                text: input[..end].to_owned(),
                truncated: true,
            },
            None => Self {
                text: input.to_owned(),
                truncated: false,
            },
        }
    }
}

impl fmt::Display for Excerpt {
    /// Writes the text quoted and escaped (like `{:?}` of a `str`), followed
    /// by `…` if it was cut short.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", self.text)?;
        if self.truncated {
            f.write_str("…")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_input_is_kept_whole_and_quoted() {
        assert_eq!(Excerpt::new("abc").to_string(), "\"abc\"");
        assert_eq!(Excerpt::new("").to_string(), "\"\"");
    }

    #[test]
    fn control_characters_and_quotes_are_escaped() {
        assert_eq!(Excerpt::new("a\"b\n").to_string(), r#""a\"b\n""#);
    }

    #[test]
    fn long_input_is_cut_on_a_char_boundary() {
        let input = "é".repeat(100);
        let excerpt = Excerpt::new(&input);
        assert_eq!(excerpt.to_string(), format!("\"{}\"…", "é".repeat(64)));

        let exactly_max = "x".repeat(64);
        assert_eq!(
            Excerpt::new(&exactly_max).to_string(),
            format!("\"{exactly_max}\"")
        );
    }
}
