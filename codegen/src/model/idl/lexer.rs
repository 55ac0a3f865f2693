//! Splits Smithy IDL text into tokens, each with its 1-based line and column.
//!
//! The token kinds are those of the reference implementation's tokenizer, so that syntax
//! errors name the same place it does. Problems found while lexing (an unclosed string, a bad
//! escape, a malformed number, a character that starts no token) become [`Tok::Error`] tokens
//! that the parser reports when it reaches them.

/// The kind of a token.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Tok {
    Space,
    Newline,
    Comma,
    Comment,
    DocComment,
    At,
    Dollar,
    Dot,
    Pound,
    LBrace,
    RBrace,
    LBracket,
    RBracket,
    LParen,
    RParen,
    Colon,
    Walrus,
    Equal,
    Identifier,
    String,
    TextBlock,
    Number,
    Error,
    Eof,
}

impl Tok {
    /// How the token kind is named in messages.
    pub(crate) fn describe(self) -> &'static str {
        match self {
            Tok::Space => "SPACE(' ')",
            Tok::Newline => "NEWLINE('\\n')",
            Tok::Comma => "COMMA(',')",
            Tok::Comment => "COMMENT",
            Tok::DocComment => "DOC_COMMENT",
            Tok::At => "AT('@')",
            Tok::Dollar => "DOLLAR('$')",
            Tok::Dot => "DOT('.')",
            Tok::Pound => "POUND('#')",
            Tok::LBrace => "LBRACE('{')",
            Tok::RBrace => "RBRACE('}')",
            Tok::LBracket => "LBRACKET('[')",
            Tok::RBracket => "RBRACKET(']')",
            Tok::LParen => "LPAREN('(')",
            Tok::RParen => "RPAREN(')')",
            Tok::Colon => "COLON(':')",
            Tok::Walrus => "WALRUS(':=')",
            Tok::Equal => "EQUAL('=')",
            Tok::Identifier => "IDENTIFIER",
            Tok::String => "STRING('\"')",
            Tok::TextBlock => "TEXT_BLOCK('\"\"\"')",
            Tok::Number => "NUMBER",
            Tok::Error => "ERROR",
            Tok::Eof => "EOF",
        }
    }
}

/// One token: its kind, its byte range in the source and where it starts.
#[derive(Clone, Debug)]
pub(crate) struct Token {
    pub kind: Tok,
    pub start: usize,
    pub end: usize,
    pub line: u32,
    pub col: u32,
    /// For strings and text blocks, the decoded value; for errors, the message.
    pub text: Option<String>,
}

/// Splits `source` into tokens, ending with one [`Tok::Eof`].
pub(crate) fn tokenize(source: &str) -> Vec<Token> {
    let mut lexer = Lexer {
        src: source,
        bytes: source.as_bytes(),
        pos: 0,
        line: 1,
        col: 1,
        tokens: Vec::new(),
    };
    lexer.run();
    lexer.tokens
}

struct Lexer<'a> {
    src: &'a str,
    bytes: &'a [u8],
    pos: usize,
    line: u32,
    col: u32,
    tokens: Vec<Token>,
}

fn is_ident_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_'
}

fn is_ident_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

impl Lexer<'_> {
    fn peek(&self, ahead: usize) -> Option<u8> {
        self.bytes.get(self.pos + ahead).copied()
    }

    /// Moves past one character, keeping line and column.
    fn advance(&mut self) {
        let Some(c) = self.src[self.pos..].chars().next() else {
            return;
        };
        self.pos += c.len_utf8();
        if c == '\n' {
            self.line += 1;
            self.col = 1;
        } else {
            self.col += 1;
        }
    }

    fn push(&mut self, kind: Tok, start: (usize, u32, u32), text: Option<String>) {
        self.tokens.push(Token {
            kind,
            start: start.0,
            end: self.pos,
            line: start.1,
            col: start.2,
            text,
        });
    }

    fn error_here(&mut self, message: String) {
        let here = (self.pos, self.line, self.col);
        self.push(Tok::Error, here, Some(message));
    }

    fn run(&mut self) {
        while let Some(b) = self.peek(0) {
            let start = (self.pos, self.line, self.col);
            let single = |kind| Some(kind);
            let kind = match b {
                b' ' | b'\t' => {
                    while matches!(self.peek(0), Some(b' ' | b'\t')) {
                        self.advance();
                    }
                    self.push(Tok::Space, start, None);
                    continue;
                }
                b'\n' => single(Tok::Newline),
                b'\r' if self.peek(1) == Some(b'\n') => {
                    self.advance();
                    single(Tok::Newline)
                }
                b'\r' => single(Tok::Newline),
                b',' => single(Tok::Comma),
                b'@' => single(Tok::At),
                b'$' => single(Tok::Dollar),
                b'.' => single(Tok::Dot),
                b'#' => single(Tok::Pound),
                b'{' => single(Tok::LBrace),
                b'}' => single(Tok::RBrace),
                b'[' => single(Tok::LBracket),
                b']' => single(Tok::RBracket),
                b'(' => single(Tok::LParen),
                b')' => single(Tok::RParen),
                b'=' => single(Tok::Equal),
                b':' if self.peek(1) == Some(b'=') => {
                    self.advance();
                    single(Tok::Walrus)
                }
                b':' => single(Tok::Colon),
                b'/' if self.peek(1) == Some(b'/') => {
                    // `///` documents only when it starts a line (after indentation); at the
                    // end of a statement's line it is an ordinary comment.
                    let line_start = self.src[..self.pos]
                        .rsplit('\n')
                        .next()
                        .is_some_and(|before| before.bytes().all(|b| b == b' ' || b == b'\t'));
                    let doc = self.peek(2) == Some(b'/') && line_start;
                    while let Some(c) = self.peek(0) {
                        self.advance();
                        if c == b'\n' {
                            break;
                        }
                    }
                    let kind = if doc { Tok::DocComment } else { Tok::Comment };
                    self.push(kind, start, None);
                    continue;
                }
                b'"' => {
                    self.string(start);
                    continue;
                }
                b'-' | b'0'..=b'9' => {
                    self.number(start);
                    continue;
                }
                b if is_ident_start(b) => {
                    self.identifier(start);
                    continue;
                }
                _ => None,
            };
            match kind {
                Some(kind) => {
                    self.advance();
                    self.push(kind, start, None);
                }
                None => {
                    let c = self.src[self.pos..].chars().next().unwrap_or('?');
                    self.error_here(format!("unexpected character `{}`", c.escape_debug()));
                    self.advance();
                }
            }
        }
        let end = (self.pos, self.line, self.col);
        self.push(Tok::Eof, end, None);
    }

    fn identifier(&mut self, start: (usize, u32, u32)) {
        if self.peek(0) == Some(b'_') {
            while self.peek(0) == Some(b'_') {
                self.advance();
            }
            if !self.peek(0).is_some_and(|b| b.is_ascii_alphanumeric()) {
                let found = match self.src[self.pos..].chars().next() {
                    Some(c) => format!("`{}`", c.escape_debug()),
                    None => "the end of the file".to_owned(),
                };
                self.error_here(format!(
                    "expected a letter or digit after `_` in an identifier, but found {found}"
                ));
                return;
            }
        }
        while self.peek(0).is_some_and(is_ident_char) {
            self.advance();
        }
        self.push(Tok::Identifier, start, None);
    }

    fn number(&mut self, start: (usize, u32, u32)) {
        let bad = |lexer: &mut Self, why: &str| {
            // Consume the rest of the would-be number so the parser does not trip over it.
            while lexer
                .peek(0)
                .is_some_and(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'+' | b'-'))
            {
                lexer.advance();
            }
            let text = lexer.src[start.0..lexer.pos].to_owned();
            lexer.push(
                Tok::Error,
                start,
                Some(format!("invalid number `{text}`: {why}")),
            );
        };
        if self.peek(0) == Some(b'-') {
            self.advance();
            if !self.peek(0).is_some_and(|b| b.is_ascii_digit()) {
                return bad(self, "`-` must be followed by a digit");
            }
        }
        if self.peek(0) == Some(b'0') {
            self.advance();
        } else {
            while self.peek(0).is_some_and(|b| b.is_ascii_digit()) {
                self.advance();
            }
        }
        if self.peek(0) == Some(b'.') {
            self.advance();
            if !self.peek(0).is_some_and(|b| b.is_ascii_digit()) {
                return bad(self, "`.` must be followed by a digit");
            }
            while self.peek(0).is_some_and(|b| b.is_ascii_digit()) {
                self.advance();
            }
        }
        if matches!(self.peek(0), Some(b'e' | b'E')) {
            self.advance();
            if matches!(self.peek(0), Some(b'+' | b'-')) {
                self.advance();
            }
            if !self.peek(0).is_some_and(|b| b.is_ascii_digit()) {
                return bad(self, "an exponent must be followed by a digit");
            }
            while self.peek(0).is_some_and(|b| b.is_ascii_digit()) {
                self.advance();
            }
        }
        self.push(Tok::Number, start, None);
    }

    fn string(&mut self, start: (usize, u32, u32)) {
        let block = self.peek(1) == Some(b'"') && self.peek(2) == Some(b'"');
        let open = if block { 3 } else { 1 };
        for _ in 0..open {
            self.advance();
        }
        let body_start = self.pos;
        // Find the closing delimiter; a backslash always takes the next character with it.
        loop {
            match self.peek(0) {
                None => {
                    self.error_here(
                        "unclosed string: expected `\"` before the end of the file".into(),
                    );
                    return;
                }
                Some(b'\\') => {
                    self.advance();
                    self.advance();
                }
                Some(b'"') if !block => break,
                Some(b'"') if self.peek(1) == Some(b'"') && self.peek(2) == Some(b'"') => break,
                Some(_) => self.advance(),
            }
        }
        let body = &self.src[body_start..self.pos];
        for _ in 0..open {
            self.advance();
        }
        let decoded = if block {
            text_block(body)
        } else {
            unescape(&normalize_newlines(body)).map_err(|e| format!("bad string: {e}"))
        };
        match decoded {
            Ok(value) => {
                let kind = if block { Tok::TextBlock } else { Tok::String };
                self.push(kind, start, Some(value));
            }
            Err(message) => self.push(Tok::Error, start, Some(message)),
        }
    }
}

fn normalize_newlines(text: &str) -> String {
    if text.contains('\r') {
        text.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        text.to_owned()
    }
}

/// Expands the escapes of a quoted string or text block.
pub(crate) fn unescape(text: &str) -> Result<String, String> {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('"') => out.push('"'),
            Some('\\') => out.push('\\'),
            Some('/') => out.push('/'),
            Some('b') => out.push('\u{8}'),
            Some('f') => out.push('\u{c}'),
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some('t') => out.push('\t'),
            Some('\n') => {}
            Some('u') => {
                let mut code = 0u32;
                for _ in 0..4 {
                    let Some(h) = chars.next() else {
                        return Err("unclosed unicode escape".into());
                    };
                    let Some(digit) = h.to_digit(16) else {
                        return Err(format!(
                            "invalid character `{}` in a unicode escape",
                            h.escape_debug()
                        ));
                    };
                    code = code * 16 + digit;
                }
                // A surrogate pair spells one character in two escapes.
                if (0xD800..0xDC00).contains(&code) {
                    let rest = chars.as_str();
                    let low = rest
                        .strip_prefix("\\u")
                        .and_then(|r| r.get(..4))
                        .and_then(|h| u32::from_str_radix(h, 16).ok())
                        .filter(|l| (0xDC00..0xE000).contains(l));
                    match low {
                        Some(low) => {
                            chars = rest[6..].chars();
                            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
                        }
                        None => return Err("unpaired surrogate in a unicode escape".into()),
                    }
                }
                match char::from_u32(code) {
                    Some(ch) => out.push(ch),
                    None => return Err(format!("`\\u{code:04x}` is not a character")),
                }
            }
            Some(other) => {
                return Err(format!(
                    "invalid escape `\\{}` in a string",
                    other.escape_debug()
                ))
            }
            None => return Err("a string cannot end with a lone `\\`".into()),
        }
    }
    Ok(out)
}

/// Decodes the body of a text block: incidental whitespace removed, then escapes expanded.
fn text_block(body: &str) -> Result<String, String> {
    let body = normalize_newlines(body);
    let Some(first_newline) = body.find('\n') else {
        return Err(if body.trim_matches(' ').is_empty() && body.is_empty() {
            "a text block cannot be empty".into()
        } else {
            "a text block must start with a new line after `\"\"\"`".into()
        });
    };
    if !body[..first_newline].trim_matches([' ', '\t']).is_empty() {
        return Err("a text block must start with a new line after `\"\"\"`".into());
    }
    let lines: Vec<&str> = body[first_newline + 1..].split('\n').collect();
    let last = lines.len() - 1;
    let indent = lines
        .iter()
        .enumerate()
        .filter(|(i, l)| *i == last || !l.trim_matches([' ', '\t']).is_empty())
        .map(|(_, l)| l.len() - l.trim_start_matches(' ').len())
        .min()
        .unwrap_or(0);
    let mut out = String::with_capacity(body.len());
    for (i, line) in lines.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let line = line.get(indent..).unwrap_or("");
        out.push_str(line.trim_end_matches([' ', '\t']));
    }
    unescape(&out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(src: &str) -> Vec<Tok> {
        tokenize(src).into_iter().map(|t| t.kind).collect()
    }

    #[test]
    fn tokens_and_positions() {
        let tokens = tokenize("a.b#C$d := @x(1.5e3)\n// c\n/// doc\n");
        let k: Vec<Tok> = tokens.iter().map(|t| t.kind).collect();
        use Tok::*;
        assert_eq!(
            k,
            [
                Identifier, Dot, Identifier, Pound, Identifier, Dollar, Identifier, Space, Walrus,
                Space, At, Identifier, LParen, Number, RParen, Newline, Comment, DocComment, Eof
            ]
        );
        assert_eq!((tokens[16].line, tokens[16].col), (2, 1));
        assert_eq!((tokens[18].line, tokens[18].col), (4, 1));
    }

    #[test]
    fn strings_escapes_and_text_blocks() {
        let t = tokenize(r#""a\"b\u00e9\ud83d\ude00\n""#);
        assert_eq!(t[0].text.as_deref(), Some("a\"b\u{e9}\u{1f600}\n"));
        let t = tokenize("\"\"\"\n    Foo\n        Baz\n\n    Bar\n    \"\"\"");
        assert_eq!(t[0].text.as_deref(), Some("Foo\n    Baz\n\nBar\n"));
        let t = tokenize("\"\"\"\n    foo \\\"\"\"\n    baz\"\"\"");
        assert_eq!(t[0].text.as_deref(), Some("foo \"\"\"\nbaz"));
        let t = tokenize("\"\"\"\n    Foo \\\n    Baz\"\"\"");
        assert_eq!(t[0].text.as_deref(), Some("Foo Baz"));
        assert_eq!(kinds("\"\"\"foo\"\"\"")[0], Tok::Error);
        assert_eq!(kinds(r#""\'""#)[0], Tok::Error);
        assert_eq!(kinds("\"abc")[0], Tok::Error);
    }

    #[test]
    fn numbers() {
        assert_eq!(kinds("-1.5E+10")[0], Tok::Number);
        for bad in ["1.", "1.0e", "1.0e+", "-"] {
            assert_eq!(kinds(bad)[0], Tok::Error, "{bad}");
        }
    }
}
