//! Parses the tokens of one IDL file into an [`IdlFile`]: shapes, members, traits and node
//! values with their shape ids still relative (resolving them needs every file of the model).
//!
//! The grammar is the Smithy IDL ABNF; where the ABNF leaves room (which whitespace is
//! allowed where), this follows the reference implementation so that a syntax error names the
//! same line and column.

use super::lexer::{tokenize, Tok, Token};

/// A place in the source: 1-based line and column, and the byte offset.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Pos {
    pub line: u32,
    pub col: u32,
    pub offset: usize,
}

/// A syntax error: where and what.
#[derive(Clone, Debug)]
pub(crate) struct SyntaxError {
    pub pos: Pos,
    pub message: String,
}

/// The IDL version a file declares (no `$version` means 1.0, as in the reference loader).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum IdlVersion {
    V1,
    V2,
}

/// A node value; unquoted strings are shape ids, resolved later.
#[derive(Clone, Debug)]
pub(crate) enum Node {
    Null,
    Bool(bool),
    Number(serde_json::Number),
    Str(String),
    Id(String, Pos),
    Array(Vec<Node>),
    Object(Vec<(String, Node)>),
}

/// `@id` or `@id(value)`; `value` is `None` when omitted (`@id` or `@id()`).
#[derive(Clone, Debug)]
pub(crate) struct TraitApp {
    pub id: String,
    pub pos: Pos,
    pub value: Option<Node>,
}

#[derive(Clone, Debug)]
pub(crate) struct IdlMember {
    pub name: String,
    pub pos: Pos,
    /// `None` for an elided target (`$name`).
    pub target: Option<(String, Pos)>,
    pub traits: Vec<TraitApp>,
    pub docs: Option<String>,
    /// `= value` (structure members: `@default`; enum members: `@enumValue`).
    pub value: Option<(Node, Pos)>,
}

/// What an operation says about one of `input`, `output`, `errors`.
#[derive(Clone, Debug)]
pub(crate) enum OpProperty {
    Ref(String, Pos),
    Refs(Vec<(String, Pos)>),
}

#[derive(Clone, Debug)]
pub(crate) struct IdlShape {
    pub name: String,
    pub pos: Pos,
    /// The shape type as written (`structure`, `set`, `intEnum`, …).
    pub kind: String,
    pub kind_pos: Pos,
    pub traits: Vec<TraitApp>,
    pub docs: Option<String>,
    pub mixins: Vec<(String, Pos)>,
    pub for_resource: Option<(String, Pos)>,
    pub members: Vec<IdlMember>,
    /// A service's or resource's properties, as written.
    pub body: Vec<(String, Node, Pos)>,
    /// An operation's `input`, `output` and `errors`.
    pub operation: Vec<(String, OpProperty, Pos)>,
}

#[derive(Clone, Debug)]
pub(crate) struct IdlApply {
    pub target: String,
    pub pos: Pos,
    pub traits: Vec<TraitApp>,
}

/// One parsed IDL file.
#[derive(Debug)]
pub(crate) struct IdlFile {
    pub version: IdlVersion,
    pub metadata: Vec<(String, Node, Pos)>,
    pub namespace: Option<String>,
    pub uses: Vec<(String, Pos)>,
    pub shapes: Vec<IdlShape>,
    pub applies: Vec<IdlApply>,
    /// Unknown control statements (ignored, as the specification requires).
    pub ignored_controls: Vec<(String, Pos)>,
    pub errors: Vec<SyntaxError>,
}

/// Node values and text nest at most this deep; deeper input is rejected, not recursed into.
const MAX_DEPTH: usize = 64;

const SIMPLE_TYPES: &[&str] = &[
    "blob",
    "boolean",
    "document",
    "string",
    "byte",
    "short",
    "integer",
    "long",
    "float",
    "double",
    "bigInteger",
    "bigDecimal",
    "timestamp",
];

type Result<T> = std::result::Result<T, SyntaxError>;

/// Parses one file's text.
pub(crate) fn parse(source: &str) -> IdlFile {
    let tokens = tokenize(source);
    let mut p = Parser {
        src: source,
        tokens,
        at: 0,
        docs: Vec::new(),
        depth: 0,
        file: IdlFile {
            version: IdlVersion::V1,
            metadata: Vec::new(),
            namespace: None,
            uses: Vec::new(),
            shapes: Vec::new(),
            applies: Vec::new(),
            ignored_controls: Vec::new(),
            errors: Vec::new(),
        },
        input_suffix: "Input".into(),
        output_suffix: "Output".into(),
    };
    if let Err(e) = p.file() {
        p.file.errors.push(e);
    }
    p.file
}

struct Parser<'a> {
    src: &'a str,
    tokens: Vec<Token>,
    at: usize,
    /// Documentation comment lines seen since the last significant token.
    docs: Vec<String>,
    depth: usize,
    file: IdlFile,
    input_suffix: String,
    output_suffix: String,
}

fn pos_of(t: &Token) -> Pos {
    Pos {
        line: t.line,
        col: t.col,
        offset: t.start,
    }
}

impl Parser<'_> {
    fn cur(&self) -> &Token {
        &self.tokens[self.at.min(self.tokens.len() - 1)]
    }

    fn kind(&self) -> Tok {
        self.cur().kind
    }

    fn pos(&self) -> Pos {
        pos_of(self.cur())
    }

    fn lexeme(&self) -> &str {
        let t = self.cur();
        &self.src[t.start..t.end]
    }

    fn is_word(&self, word: &str) -> bool {
        self.kind() == Tok::Identifier && self.lexeme() == word
    }

    fn bump(&mut self) {
        if !matches!(
            self.kind(),
            Tok::Space | Tok::Newline | Tok::Comma | Tok::Comment | Tok::DocComment
        ) {
            self.docs.clear();
        }
        if self.at < self.tokens.len() - 1 {
            self.at += 1;
        }
    }

    fn err<T>(&self, pos: Pos, message: impl Into<String>) -> Result<T> {
        Err(SyntaxError {
            pos,
            message: message.into(),
        })
    }

    /// How the current token is named in "but found …".
    fn found(&self) -> String {
        let t = self.cur();
        match t.kind {
            Tok::Identifier | Tok::Number => {
                format!("{}(`{}`)", t.kind.describe(), self.lexeme())
            }
            Tok::Comment | Tok::DocComment => "a comment".into(),
            Tok::Eof => "the end of the file".into(),
            kind => kind.describe().into(),
        }
    }

    /// An error at the current token; a lexing error there is reported as itself.
    fn unexpected<T>(&self, expected: &str) -> Result<T> {
        let t = self.cur();
        if t.kind == Tok::Error {
            return self.err(pos_of(t), t.text.clone().unwrap_or_default());
        }
        self.err(
            pos_of(t),
            format!("expected {expected}, but found {}", self.found()),
        )
    }

    fn expect(&self, kind: Tok) -> Result<()> {
        if self.kind() == kind {
            Ok(())
        } else {
            self.unexpected(kind.describe())
        }
    }

    fn skip_spaces(&mut self) {
        while self.kind() == Tok::Space {
            self.bump();
        }
    }

    fn skip_ws(&mut self) {
        loop {
            match self.kind() {
                Tok::Space | Tok::Newline | Tok::Comma | Tok::Comment => self.bump(),
                Tok::DocComment => {
                    let t = self.cur();
                    let line = self.src[t.start + 3..t.end]
                        .trim_end_matches('\n')
                        .trim_end_matches('\r');
                    let line = line.strip_prefix(' ').unwrap_or(line).to_owned();
                    self.bump();
                    self.docs.push(line);
                }
                _ => return,
            }
        }
    }

    fn take_docs(&mut self) -> Option<String> {
        if self.docs.is_empty() {
            None
        } else {
            Some(std::mem::take(&mut self.docs).join("\n"))
        }
    }

    fn is_ws(&self) -> bool {
        matches!(
            self.kind(),
            Tok::Space | Tok::Newline | Tok::Comma | Tok::Comment | Tok::DocComment
        )
    }

    fn expect_ws(&mut self) -> Result<()> {
        if !self.is_ws() {
            return self.unexpected("whitespace");
        }
        self.skip_ws();
        Ok(())
    }

    fn expect_space(&mut self) -> Result<()> {
        self.expect(Tok::Space)?;
        self.skip_spaces();
        Ok(())
    }

    /// A line break (or the end of the file), then any whitespace.
    fn expect_br(&mut self) -> Result<()> {
        self.skip_spaces();
        match self.kind() {
            Tok::Newline | Tok::Comment | Tok::DocComment => {
                self.skip_ws();
                Ok(())
            }
            Tok::Eof => Ok(()),
            _ => self.unexpected("a line break"),
        }
    }

    fn identifier(&mut self) -> Result<(String, Pos)> {
        self.expect(Tok::Identifier)?;
        let out = (self.lexeme().to_owned(), self.pos());
        self.bump();
        Ok(out)
    }

    /// `a.b.c`
    fn namespace(&mut self) -> Result<String> {
        let (mut text, _) = self.identifier()?;
        while self.kind() == Tok::Dot {
            self.bump();
            text.push('.');
            text.push_str(&self.identifier()?.0);
        }
        Ok(text)
    }

    /// A relative or absolute shape id, optionally with a member: `a.b#C$d`, `C`.
    fn shape_id(&mut self) -> Result<(String, Pos)> {
        let pos = self.pos();
        let mut text = self.namespace()?;
        if self.kind() == Tok::Pound {
            self.bump();
            text.push('#');
            text.push_str(&self.identifier()?.0);
        }
        if self.kind() == Tok::Dollar {
            self.bump();
            text.push('$');
            text.push_str(&self.identifier()?.0);
        }
        Ok((text, pos))
    }

    fn file(&mut self) -> Result<()> {
        self.skip_ws();
        self.control_section()?;
        self.metadata_section()?;
        if self.is_word("namespace") {
            self.bump();
            self.expect_space()?;
            self.file.namespace = Some(self.namespace()?);
            self.expect_br()?;
            self.use_section()?;
            self.shape_statements();
        } else if self.kind() != Tok::Eof {
            return self.unexpected("a namespace definition");
        }
        Ok(())
    }

    fn control_section(&mut self) -> Result<()> {
        let mut seen: Vec<String> = Vec::new();
        while self.kind() == Tok::Dollar {
            self.bump();
            let key = self.node_key("an identifier or string")?;
            self.skip_spaces();
            self.expect(Tok::Colon)?;
            self.bump();
            self.skip_spaces();
            let value_pos = self.pos();
            if seen.contains(&key) {
                return self.err(value_pos, format!("duplicate control statement `{key}`"));
            }
            seen.push(key.clone());
            let value = self.node()?;
            match (key.as_str(), &value) {
                ("version", Node::Str(v)) => {
                    self.file.version = match parse_version(v) {
                        Some(v) => v,
                        None => {
                            return self.err(
                                self.pos(),
                                format!(
                                "unsupported Smithy IDL version `{v}` (smithgen reads 1.0 and 2.0)"
                            ),
                            )
                        }
                    }
                }
                ("version", _) => {
                    return self.err(
                        value_pos,
                        "the `$version` control statement must have a string value such as \"2.0\"",
                    )
                }
                ("operationInputSuffix", Node::Str(s)) => self.input_suffix = s.clone(),
                ("operationOutputSuffix", Node::Str(s)) => self.output_suffix = s.clone(),
                ("operationInputSuffix" | "operationOutputSuffix", _) => {
                    return self.err(value_pos, format!("`${key}` must be a string"))
                }
                _ => self.file.ignored_controls.push((key, value_pos)),
            }
            self.expect_br()?;
        }
        Ok(())
    }

    /// An object key: an identifier or a quoted string.
    fn node_key(&mut self, expected: &str) -> Result<String> {
        match self.kind() {
            Tok::Identifier => Ok(self.identifier()?.0),
            Tok::String => {
                let key = self.cur().text.clone().unwrap_or_default();
                self.bump();
                Ok(key)
            }
            _ => self.unexpected(expected),
        }
    }

    fn metadata_section(&mut self) -> Result<()> {
        while self.is_word("metadata") {
            self.bump();
            self.expect_space()?;
            let pos = self.pos();
            let key = self.node_key("an identifier or string")?;
            self.skip_spaces();
            self.expect(Tok::Equal)?;
            self.bump();
            self.skip_spaces();
            let value = self.node()?;
            self.file.metadata.push((key, value, pos));
            self.expect_br()?;
        }
        Ok(())
    }

    fn use_section(&mut self) -> Result<()> {
        while self.is_word("use") {
            self.bump();
            self.expect_space()?;
            let pos = self.pos();
            let mut text = self.namespace()?;
            self.expect(Tok::Pound)?;
            self.bump();
            text.push('#');
            text.push_str(&self.identifier()?.0);
            if self.kind() == Tok::Dollar {
                return self.err(self.pos(), "a `use` statement cannot import a member");
            }
            self.file.uses.push((text, pos));
            self.expect_br()?;
        }
        Ok(())
    }

    fn shape_statements(&mut self) {
        while self.kind() != Tok::Eof {
            if let Err(e) = self.shape_or_apply() {
                self.file.errors.push(e);
                self.recover();
            }
        }
    }

    /// Skips to the next line that starts a statement, so later errors are reported too.
    fn recover(&mut self) {
        self.bump();
        loop {
            let t = self.cur();
            if t.kind == Tok::Eof {
                return;
            }
            let prev = self.tokens[self.at - 1].kind;
            let at_line_start =
                t.col == 1 && matches!(prev, Tok::Newline | Tok::Comment | Tok::DocComment);
            if at_line_start && matches!(t.kind, Tok::Identifier | Tok::At | Tok::DocComment) {
                self.docs.clear();
                self.skip_ws();
                return;
            }
            self.bump();
        }
    }

    fn traits(&mut self) -> Result<Vec<TraitApp>> {
        let mut out = Vec::new();
        while self.kind() == Tok::At {
            out.push(self.trait_app()?);
            self.skip_ws();
        }
        Ok(out)
    }

    fn trait_app(&mut self) -> Result<TraitApp> {
        self.expect(Tok::At)?;
        self.bump();
        let (id, pos) = self.shape_id()?;
        let mut value = None;
        if self.kind() == Tok::LParen {
            self.bump();
            self.skip_ws();
            match self.kind() {
                Tok::RParen => {}
                Tok::String => {
                    let text = self.cur().text.clone().unwrap_or_default();
                    self.bump();
                    self.skip_ws();
                    if self.kind() == Tok::Colon {
                        value = Some(self.trait_structure(text)?);
                    } else {
                        self.expect(Tok::RParen)?;
                        value = Some(Node::Str(text));
                    }
                }
                Tok::Identifier => {
                    let word = self.lexeme().to_owned();
                    let first = self.node()?;
                    self.skip_ws();
                    let bare = matches!(&first, Node::Id(text, _) if text == &word)
                        || matches!(first, Node::Null | Node::Bool(_));
                    if bare && self.kind() != Tok::RParen {
                        value = Some(self.trait_structure(word)?);
                    } else {
                        self.expect(Tok::RParen)?;
                        value = Some(first);
                    }
                }
                _ => {
                    let node = self.node()?;
                    self.skip_ws();
                    self.expect(Tok::RParen)?;
                    value = Some(node);
                }
            }
            self.expect(Tok::RParen)?;
            self.bump();
        }
        Ok(TraitApp { id, pos, value })
    }

    /// `key: value, key: value` inside a trait's parentheses, the first key already read.
    fn trait_structure(&mut self, first: String) -> Result<Node> {
        let mut entries: Vec<(String, Node)> = Vec::new();
        let mut key = first;
        let mut key_pos = self.pos();
        loop {
            self.expect(Tok::Colon)?;
            self.bump();
            self.skip_ws();
            let value = self.node()?;
            if entries.iter().any(|(k, _)| k == &key) {
                return self.err(key_pos, format!("duplicate key `{key}`"));
            }
            entries.push((key, value));
            self.skip_ws();
            if self.kind() == Tok::RParen {
                return Ok(Node::Object(entries));
            }
            key_pos = self.pos();
            key = self.node_key("an identifier or string key")?;
            self.skip_ws();
        }
    }

    fn shape_or_apply(&mut self) -> Result<()> {
        let docs = self.take_docs();
        let traits = self.traits()?;
        if self.is_word("apply") {
            if !traits.is_empty() {
                return self.err(
                    self.pos(),
                    "traits cannot be applied to an `apply` statement",
                );
            }
            return self.apply();
        }
        self.expect(Tok::Identifier)?;
        let kind = self.lexeme().to_owned();
        let kind_pos = self.pos();
        let known = SIMPLE_TYPES.contains(&kind.as_str())
            || matches!(
                kind.as_str(),
                "enum"
                    | "intEnum"
                    | "list"
                    | "set"
                    | "map"
                    | "structure"
                    | "union"
                    | "service"
                    | "resource"
                    | "operation"
            );
        if !known {
            return self.err(kind_pos, format!("unknown shape type `{kind}`"));
        }
        let v1 = self.file.version == IdlVersion::V1;
        if v1 && matches!(kind.as_str(), "enum" | "intEnum") {
            return self.err(
                kind_pos,
                format!("`{kind}` shapes need Smithy IDL 2.0 (this file is 1.0)"),
            );
        }
        if !v1 && kind == "set" {
            return self.err(
                kind_pos,
                "`set` shapes are not part of Smithy 2.0: use a `list` with `@uniqueItems`",
            );
        }
        self.bump();
        self.expect_space()?;
        let (name, pos) = self.identifier()?;
        if self.file.shapes.iter().any(|s| s.name == name) {
            return self.err(pos, format!("shape `{name}` is defined twice in this file"));
        }
        let mut shape = IdlShape {
            name,
            pos,
            kind,
            kind_pos,
            traits,
            docs,
            mixins: Vec::new(),
            for_resource: None,
            members: Vec::new(),
            body: Vec::new(),
            operation: Vec::new(),
        };
        match shape.kind.as_str() {
            k if SIMPLE_TYPES.contains(&k) => {
                shape.mixins = self.mixins()?;
            }
            "enum" | "intEnum" => {
                shape.mixins = self.mixins()?;
                self.skip_ws();
                shape.members = self.members(true)?;
            }
            "list" | "set" | "map" | "structure" | "union" => {
                shape.for_resource = self.for_resource()?;
                shape.mixins = self.mixins()?;
                self.skip_ws();
                shape.members = self.members(false)?;
            }
            "service" | "resource" => {
                shape.mixins = self.mixins()?;
                self.skip_ws();
                let body_pos = self.pos();
                self.expect(Tok::LBrace)?;
                if let Node::Object(entries) = self.node()? {
                    shape.body = entries.into_iter().map(|(k, v)| (k, v, body_pos)).collect();
                }
            }
            _ => {
                shape.mixins = self.mixins()?;
                self.skip_ws();
                self.operation_body(&mut shape)?;
            }
        }
        self.file.shapes.push(shape);
        self.expect_br()
    }

    fn for_resource(&mut self) -> Result<Option<(String, Pos)>> {
        self.skip_spaces();
        if !self.is_word("for") {
            return Ok(None);
        }
        if self.file.version == IdlVersion::V1 {
            return self.err(
                self.pos(),
                "binding a structure to a resource with `for` needs Smithy IDL 2.0 (this file is 1.0)",
            );
        }
        self.bump();
        self.expect_space()?;
        Ok(Some(self.shape_id()?))
    }

    fn mixins(&mut self) -> Result<Vec<(String, Pos)>> {
        self.skip_spaces();
        if !self.is_word("with") {
            return Ok(Vec::new());
        }
        if self.file.version == IdlVersion::V1 {
            return self.err(self.pos(), "mixins need Smithy IDL 2.0 (this file is 1.0)");
        }
        self.bump();
        self.skip_ws();
        self.expect(Tok::LBracket)?;
        self.bump();
        self.skip_ws();
        let mut out = vec![self.shape_id()?];
        self.skip_ws();
        while self.kind() != Tok::RBracket {
            out.push(self.shape_id()?);
            self.skip_ws();
        }
        self.bump();
        Ok(out)
    }

    fn members(&mut self, enum_members: bool) -> Result<Vec<IdlMember>> {
        self.expect(Tok::LBrace)?;
        self.bump();
        let mut members: Vec<IdlMember> = Vec::new();
        loop {
            self.skip_ws();
            if self.kind() == Tok::RBrace {
                self.bump();
                return Ok(members);
            }
            let docs = self.take_docs();
            let traits = self.traits()?;
            let elided = !enum_members && self.kind() == Tok::Dollar;
            if elided {
                self.bump();
            }
            let (name, pos) = self.identifier()?;
            if members.iter().any(|m| m.name == name) {
                return self.err(pos, format!("member `{name}` is defined twice"));
            }
            let target = if enum_members || elided {
                None
            } else {
                self.skip_spaces();
                self.expect(Tok::Colon)?;
                self.bump();
                self.skip_spaces();
                Some(self.shape_id()?)
            };
            if elided && self.file.version == IdlVersion::V1 {
                return self.err(
                    pos,
                    "eliding a member's target (`$name`) needs Smithy IDL 2.0 (this file is 1.0)",
                );
            }
            self.skip_spaces();
            let mut value = None;
            if self.kind() == Tok::Equal {
                let eq = self.pos();
                if self.file.version == IdlVersion::V1 {
                    return self.err(eq, "assigning a default value with `=` needs Smithy IDL 2.0 (this file is 1.0)");
                }
                self.bump();
                self.skip_spaces();
                let node_pos = self.pos();
                value = Some((self.node()?, node_pos));
                self.skip_spaces();
                if self.kind() == Tok::Comma {
                    self.bump();
                }
                self.expect_br()?;
            }
            members.push(IdlMember {
                name,
                pos,
                target,
                traits,
                docs,
                value,
            });
        }
    }

    fn operation_body(&mut self, shape: &mut IdlShape) -> Result<()> {
        self.expect(Tok::LBrace)?;
        self.bump();
        self.skip_ws();
        while self.kind() != Tok::RBrace {
            let (key, pos) = self.identifier()?;
            if !matches!(key.as_str(), "input" | "output" | "errors") {
                return self.err(
                    pos,
                    format!("unknown operation property `{key}` (expected `input`, `output` or `errors`)"),
                );
            }
            if shape.operation.iter().any(|(k, _, _)| k == &key) {
                return self.err(pos, format!("the operation's `{key}` is defined twice"));
            }
            self.skip_ws();
            let property = if key == "errors" {
                self.expect(Tok::Colon)?;
                self.bump();
                self.skip_ws();
                self.expect(Tok::LBracket)?;
                self.bump();
                self.skip_ws();
                let mut refs = Vec::new();
                while self.kind() != Tok::RBracket {
                    refs.push(self.shape_id()?);
                    self.skip_ws();
                }
                self.bump();
                OpProperty::Refs(refs)
            } else if self.kind() == Tok::Walrus {
                if self.file.version == IdlVersion::V1 {
                    return self.err(
                        self.pos(),
                        "inline operation input and output (`:=`) need Smithy IDL 2.0 (this file is 1.0)",
                    );
                }
                self.bump();
                self.skip_ws();
                let name = if key == "input" {
                    format!("{}{}", shape.name, self.input_suffix)
                } else {
                    format!("{}{}", shape.name, self.output_suffix)
                };
                let inline = self.inline_structure(name.clone(), pos, &key)?;
                if self.file.shapes.iter().any(|s| s.name == name) {
                    return self.err(pos, format!("shape `{name}` is defined twice in this file"));
                }
                self.file.shapes.push(inline);
                OpProperty::Ref(name, pos)
            } else {
                self.expect(Tok::Colon)?;
                self.bump();
                self.skip_ws();
                let (id, id_pos) = self.shape_id()?;
                OpProperty::Ref(id, id_pos)
            };
            shape.operation.push((key, property, pos));
            if self.kind() != Tok::RBrace {
                self.expect_ws()?;
            }
        }
        self.bump();
        Ok(())
    }

    fn inline_structure(&mut self, name: String, pos: Pos, key: &str) -> Result<IdlShape> {
        let docs = self.take_docs();
        let mut traits = self.traits()?;
        let marker = if key == "input" { "input" } else { "output" };
        if !traits
            .iter()
            .any(|t| t.id == marker || t.id == format!("smithy.api#{marker}"))
        {
            traits.push(TraitApp {
                id: format!("smithy.api#{marker}"),
                pos,
                value: None,
            });
        }
        let for_resource = self.for_resource()?;
        let mixins = self.mixins()?;
        self.skip_ws();
        let members = self.members(false)?;
        Ok(IdlShape {
            name,
            pos,
            kind: "structure".into(),
            kind_pos: pos,
            traits,
            docs,
            mixins,
            for_resource,
            members,
            body: Vec::new(),
            operation: Vec::new(),
        })
    }

    fn apply(&mut self) -> Result<()> {
        self.bump();
        self.expect_space()?;
        let (target, pos) = self.shape_id()?;
        self.expect_ws()?;
        let traits = match self.kind() {
            Tok::At => vec![self.trait_app()?],
            Tok::LBrace => {
                self.bump();
                self.skip_ws();
                let traits = self.traits()?;
                self.expect(Tok::RBrace)?;
                self.bump();
                traits
            }
            _ => return self.unexpected("`@` or `{` after the shape id of an `apply` statement"),
        };
        self.file.applies.push(IdlApply {
            target,
            pos,
            traits,
        });
        self.expect_br()
    }

    /// Any node value.
    fn node(&mut self) -> Result<Node> {
        if self.depth >= MAX_DEPTH {
            return self.err(
                self.pos(),
                format!("node values nest more than {MAX_DEPTH} levels deep"),
            );
        }
        let t = self.cur();
        let node = match t.kind {
            Tok::String | Tok::TextBlock => {
                let text = t.text.clone().unwrap_or_default();
                self.bump();
                Node::Str(text)
            }
            Tok::Number => {
                let text = self.lexeme();
                let number = parse_number(text);
                match number {
                    Some(n) => {
                        self.bump();
                        Node::Number(n)
                    }
                    None => {
                        return self.err(self.pos(), format!("number `{text}` is out of range"))
                    }
                }
            }
            Tok::Identifier => match self.lexeme() {
                "true" => {
                    self.bump();
                    Node::Bool(true)
                }
                "false" => {
                    self.bump();
                    Node::Bool(false)
                }
                "null" => {
                    self.bump();
                    Node::Null
                }
                _ => {
                    let (id, pos) = self.shape_id()?;
                    Node::Id(id, pos)
                }
            },
            Tok::LBracket => {
                self.depth += 1;
                self.bump();
                self.skip_ws();
                let mut items = Vec::new();
                while self.kind() != Tok::RBracket {
                    items.push(self.node()?);
                    self.skip_ws();
                }
                self.bump();
                self.depth -= 1;
                Node::Array(items)
            }
            Tok::LBrace => {
                self.depth += 1;
                self.bump();
                self.skip_ws();
                let mut entries: Vec<(String, Node)> = Vec::new();
                while self.kind() != Tok::RBrace {
                    let key_pos = self.pos();
                    let key = self.node_key("`}` or an identifier or string key")?;
                    self.skip_ws();
                    self.expect(Tok::Colon)?;
                    self.bump();
                    self.skip_ws();
                    let value = self.node()?;
                    if entries.iter().any(|(k, _)| k == &key) {
                        return self.err(key_pos, format!("duplicate key `{key}`"));
                    }
                    entries.push((key, value));
                    self.skip_ws();
                }
                self.bump();
                self.depth -= 1;
                Node::Object(entries)
            }
            _ => {
                return self
                    .unexpected("a value (string, text block, number, identifier, `{` or `[`)")
            }
        };
        Ok(node)
    }
}

fn parse_version(v: &str) -> Option<IdlVersion> {
    let (major, minor) = v.split_once('.').unwrap_or((v, "0"));
    if minor.is_empty() || !minor.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    match major {
        "1" => Some(IdlVersion::V1),
        "2" => Some(IdlVersion::V2),
        _ => None,
    }
}

fn parse_number(text: &str) -> Option<serde_json::Number> {
    text.parse::<serde_json::Number>()
        .ok()
        .map(|n| crate::model::load::canonical_number(&n))
}
