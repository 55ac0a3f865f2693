//! A JMESPath subset compiled to Rust, for waiter acceptors: the expression is parsed here,
//! checked against the model's shapes and turned into Rust code that reads the typed input
//! and output directly, computing `smithgen_runtime::client::waiter::Value`s only where
//! JMESPath needs a dynamic value (projections, comparisons, functions).
//!
//! Supported: identifiers (bare and quoted), sub-expressions `a.b`, `@`, indexes `[0]`,
//! `[-1]`, list projections `[*]`, flatten projections `[]`, filter projections `[?cond]`,
//! pipes `|`, comparisons `== != < <= > >=`, `&&`, `||`, `!`, parentheses, JSON literals
//! `` `…` `` and raw strings `'…'`, and the functions `length` and `contains`. Anything else
//! (slices, multi-select lists and hashes, object wildcards `.*`, expression references,
//! other functions, fields of computed values, comparisons of objects) is an error naming what
//! is not supported.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use crate::model::{Shape, ShapeType};
use crate::select::ServiceView;
use crate::symbols::{ident, snake_ident, Symbols};

// ---------------------------------------------------------------- lexer

#[derive(Clone, Debug, PartialEq)]
enum Tok {
    Ident(String),
    Literal(serde_json::Value),
    Number(i64),
    Dot,
    Star,
    LBracket,
    Filter,
    Flatten,
    RBracket,
    LParen,
    RParen,
    LBrace,
    RBrace,
    Comma,
    Colon,
    Pipe,
    Or,
    And,
    Not,
    Cmp(&'static str),
    Current,
    Ampersand,
    Eof,
}

fn lex(src: &str) -> Result<Vec<Tok>, String> {
    let chars: Vec<char> = src.chars().collect();
    let mut i = 0;
    let mut out = Vec::new();
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        match c {
            ' ' | '\t' | '\n' | '\r' => i += 1,
            'a'..='z' | 'A'..='Z' | '_' => {
                let start = i;
                while i < chars.len() && (chars[i].is_ascii_alphanumeric() || chars[i] == '_') {
                    i += 1;
                }
                out.push(Tok::Ident(chars[start..i].iter().collect()));
            }
            '-' | '0'..='9' => {
                let start = i;
                i += 1;
                while i < chars.len() && chars[i].is_ascii_digit() {
                    i += 1;
                }
                let text: String = chars[start..i].iter().collect();
                let n = text
                    .parse()
                    .map_err(|_| format!("invalid number `{text}`"))?;
                out.push(Tok::Number(n));
            }
            '"' => {
                let (text, end) = delimited(&chars, i, '"')?;
                let value: String = serde_json::from_str(&format!("\"{text}\""))
                    .map_err(|e| format!("invalid quoted identifier \"{text}\": {e}"))?;
                out.push(Tok::Ident(value));
                i = end;
            }
            '\'' => {
                let (text, end) = delimited(&chars, i, '\'')?;
                out.push(Tok::Literal(serde_json::Value::String(
                    text.replace("\\'", "'"),
                )));
                i = end;
            }
            '`' => {
                let (text, end) = delimited(&chars, i, '`')?;
                let text = text.replace("\\`", "`");
                let value: serde_json::Value = serde_json::from_str(text.trim())
                    .map_err(|e| format!("invalid JSON literal `{text}`: {e}"))?;
                out.push(Tok::Literal(value));
                i = end;
            }
            '.' => {
                out.push(Tok::Dot);
                i += 1;
            }
            '*' => {
                out.push(Tok::Star);
                i += 1;
            }
            '[' => match next {
                Some('?') => {
                    out.push(Tok::Filter);
                    i += 2;
                }
                Some(']') => {
                    out.push(Tok::Flatten);
                    i += 2;
                }
                _ => {
                    out.push(Tok::LBracket);
                    i += 1;
                }
            },
            ']' => {
                out.push(Tok::RBracket);
                i += 1;
            }
            '(' => {
                out.push(Tok::LParen);
                i += 1;
            }
            ')' => {
                out.push(Tok::RParen);
                i += 1;
            }
            '{' => {
                out.push(Tok::LBrace);
                i += 1;
            }
            '}' => {
                out.push(Tok::RBrace);
                i += 1;
            }
            ',' => {
                out.push(Tok::Comma);
                i += 1;
            }
            ':' => {
                out.push(Tok::Colon);
                i += 1;
            }
            '@' => {
                out.push(Tok::Current);
                i += 1;
            }
            '|' if next == Some('|') => {
                out.push(Tok::Or);
                i += 2;
            }
            '|' => {
                out.push(Tok::Pipe);
                i += 1;
            }
            '&' if next == Some('&') => {
                out.push(Tok::And);
                i += 2;
            }
            '&' => {
                out.push(Tok::Ampersand);
                i += 1;
            }
            '!' if next == Some('=') => {
                out.push(Tok::Cmp("!="));
                i += 2;
            }
            '!' => {
                out.push(Tok::Not);
                i += 1;
            }
            '=' if next == Some('=') => {
                out.push(Tok::Cmp("=="));
                i += 2;
            }
            '<' | '>' => {
                let op = match (c, next) {
                    ('<', Some('=')) => "<=",
                    ('>', Some('=')) => ">=",
                    ('<', _) => "<",
                    _ => ">",
                };
                out.push(Tok::Cmp(op));
                i += op.len();
            }
            other => return Err(format!("unexpected character `{other}`")),
        }
    }
    out.push(Tok::Eof);
    Ok(out)
}

/// The text between `chars[start]` (a `quote`) and the next unescaped `quote`, and the index
/// after that closing quote.
fn delimited(chars: &[char], start: usize, quote: char) -> Result<(String, usize), String> {
    let mut i = start + 1;
    let mut text = String::new();
    while i < chars.len() {
        match chars[i] {
            '\\' if i + 1 < chars.len() => {
                text.push('\\');
                text.push(chars[i + 1]);
                i += 2;
            }
            c if c == quote => return Ok((text, i + 1)),
            c => {
                text.push(c);
                i += 1;
            }
        }
    }
    Err(format!("unterminated {quote}"))
}

// ---------------------------------------------------------------- parser

/// A parsed expression.
#[derive(Clone, Debug, PartialEq)]
pub enum Ast {
    /// `@` (and the right side of a projection with nothing after it).
    Current,
    /// `name`.
    Field(String),
    /// `left.right`.
    Sub(Box<Ast>, Box<Ast>),
    /// `left[n]`.
    Index(Box<Ast>, i64),
    /// `left[*] rest` and `left[] rest` (the latter with `left` wrapped in `Flatten`).
    Projection(Box<Ast>, Box<Ast>),
    /// The `[]` operator: one level of nested arrays spliced in.
    Flatten(Box<Ast>),
    /// `left[?cond] rest`.
    Filter(Box<Ast>, Box<Ast>, Box<Ast>),
    /// `left | right`.
    Pipe(Box<Ast>, Box<Ast>),
    /// `left || right`.
    Or(Box<Ast>, Box<Ast>),
    /// `left && right`.
    And(Box<Ast>, Box<Ast>),
    /// `!expr`.
    Not(Box<Ast>),
    /// A comparison.
    Cmp(&'static str, Box<Ast>, Box<Ast>),
    /// A JSON literal or raw string.
    Literal(serde_json::Value),
    /// A function call.
    Call(String, Vec<Ast>),
}

fn binding_power(tok: &Tok) -> u8 {
    match tok {
        Tok::Pipe => 1,
        Tok::Or => 2,
        Tok::And => 3,
        Tok::Cmp(_) => 5,
        Tok::Flatten => 9,
        Tok::Star => 20,
        Tok::Filter => 21,
        Tok::Dot => 40,
        Tok::Not => 45,
        Tok::LBrace => 50,
        Tok::LBracket => 55,
        Tok::LParen => 60,
        _ => 0,
    }
}

struct Parser {
    tokens: Vec<Tok>,
    at: usize,
    depth: usize,
}

/// How deeply expressions may nest (parentheses, sub-expressions, arguments): deeper is an
/// error, not a stack overflow.
const MAX_DEPTH: usize = 64;

/// How many tokens an expression may have (compiling recurses over its syntax tree).
const MAX_TOKENS: usize = 1_000;

/// Parses a JMESPath expression.
pub fn parse(src: &str) -> Result<Ast, String> {
    let tokens = lex(src)?;
    if tokens.len() > MAX_TOKENS {
        return Err(format!("the expression is longer than {MAX_TOKENS} tokens"));
    }
    let mut p = Parser {
        tokens,
        at: 0,
        depth: 0,
    };
    let ast = p.expression(0)?;
    match p.peek() {
        Tok::Eof => Ok(ast),
        t => Err(format!("unexpected {} after the expression", describe(t))),
    }
}

fn describe(tok: &Tok) -> String {
    match tok {
        Tok::Ident(s) => format!("identifier `{s}`"),
        Tok::Literal(v) => format!("literal `{v}`"),
        Tok::Number(n) => format!("number `{n}`"),
        Tok::Eof => "end of expression".into(),
        other => format!("{other:?}"),
    }
}

impl Parser {
    fn peek(&self) -> &Tok {
        &self.tokens[self.at]
    }

    fn next(&mut self) -> Tok {
        let t = self.tokens[self.at].clone();
        if self.at + 1 < self.tokens.len() {
            self.at += 1;
        }
        t
    }

    fn expect(&mut self, tok: Tok, what: &str) -> Result<(), String> {
        let t = self.next();
        if t == tok {
            Ok(())
        } else {
            Err(format!("expected {what}, found {}", describe(&t)))
        }
    }

    fn expression(&mut self, bp: u8) -> Result<Ast, String> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(format!(
                "the expression nests deeper than {MAX_DEPTH} levels"
            ));
        }
        let tok = self.next();
        let mut left = self.nud(tok)?;
        while bp < binding_power(self.peek()) {
            let tok = self.next();
            left = self.led(tok, left)?;
        }
        self.depth -= 1;
        Ok(left)
    }

    fn nud(&mut self, tok: Tok) -> Result<Ast, String> {
        match tok {
            Tok::Ident(name) => Ok(Ast::Field(name)),
            Tok::Literal(v) => Ok(Ast::Literal(v)),
            Tok::Current => Ok(Ast::Current),
            Tok::Not => Ok(Ast::Not(Box::new(self.expression(45)?))),
            Tok::LParen => {
                let e = self.expression(0)?;
                self.expect(Tok::RParen, "`)`")?;
                Ok(e)
            }
            Tok::Flatten => {
                let rhs = self.projection_rhs(9)?;
                Ok(Ast::Projection(
                    Box::new(Ast::Flatten(Box::new(Ast::Current))),
                    Box::new(rhs),
                ))
            }
            Tok::Filter => self.filter(Ast::Current),
            Tok::LBracket => self.bracket(Ast::Current),
            Tok::Star => Err("object wildcards (`*`) are not supported".into()),
            Tok::LBrace => Err("multi-select hashes (`{…}`) are not supported".into()),
            Tok::Ampersand => Err("expression references (`&`) are not supported".into()),
            t => Err(format!("unexpected {}", describe(&t))),
        }
    }

    fn led(&mut self, tok: Tok, left: Ast) -> Result<Ast, String> {
        match tok {
            Tok::Dot => {
                let rhs = self.dot_rhs(40)?;
                Ok(Ast::Sub(Box::new(left), Box::new(rhs)))
            }
            Tok::Pipe => Ok(Ast::Pipe(Box::new(left), Box::new(self.expression(1)?))),
            Tok::Or => Ok(Ast::Or(Box::new(left), Box::new(self.expression(2)?))),
            Tok::And => Ok(Ast::And(Box::new(left), Box::new(self.expression(3)?))),
            Tok::Cmp(op) => Ok(Ast::Cmp(op, Box::new(left), Box::new(self.expression(5)?))),
            Tok::Flatten => {
                let rhs = self.projection_rhs(9)?;
                Ok(Ast::Projection(
                    Box::new(Ast::Flatten(Box::new(left))),
                    Box::new(rhs),
                ))
            }
            Tok::Filter => self.filter(left),
            Tok::LBracket => self.bracket(left),
            Tok::LParen => {
                let Ast::Field(name) = left else {
                    return Err("only a function name can be called".into());
                };
                let mut args = Vec::new();
                if self.peek() == &Tok::RParen {
                    self.next();
                } else {
                    loop {
                        args.push(self.expression(0)?);
                        match self.next() {
                            Tok::Comma => continue,
                            Tok::RParen => break,
                            t => {
                                return Err(format!("expected `,` or `)`, found {}", describe(&t)))
                            }
                        }
                    }
                }
                Ok(Ast::Call(name, args))
            }
            t => Err(format!("unexpected {}", describe(&t))),
        }
    }

    /// After `[` (not `[?` or `[]`): an index, or `*]` and a projection.
    fn bracket(&mut self, left: Ast) -> Result<Ast, String> {
        match self.next() {
            Tok::Number(n) => match self.next() {
                Tok::RBracket => Ok(Ast::Index(Box::new(left), n)),
                Tok::Colon => Err("slices (`[a:b]`) are not supported".into()),
                t => Err(format!("expected `]`, found {}", describe(&t))),
            },
            Tok::Colon => Err("slices (`[a:b]`) are not supported".into()),
            Tok::Star => {
                self.expect(Tok::RBracket, "`]`")?;
                let rhs = self.projection_rhs(20)?;
                Ok(Ast::Projection(Box::new(left), Box::new(rhs)))
            }
            _ => Err("multi-select lists (`[a, b]`) are not supported".into()),
        }
    }

    fn filter(&mut self, left: Ast) -> Result<Ast, String> {
        let cond = self.expression(0)?;
        self.expect(Tok::RBracket, "`]` closing the filter")?;
        let rhs = self.projection_rhs(21)?;
        Ok(Ast::Filter(Box::new(left), Box::new(cond), Box::new(rhs)))
    }

    fn projection_rhs(&mut self, bp: u8) -> Result<Ast, String> {
        let next = self.peek().clone();
        if binding_power(&next) < 10 {
            return Ok(Ast::Current);
        }
        match next {
            Tok::LBracket | Tok::Filter => self.expression(bp),
            Tok::Dot => {
                self.next();
                self.dot_rhs(bp)
            }
            Tok::LParen | Tok::LBrace | Tok::Star | Tok::Not => {
                Err(format!("unexpected {} after a projection", describe(&next)))
            }
            _ => Ok(Ast::Current),
        }
    }

    fn dot_rhs(&mut self, bp: u8) -> Result<Ast, String> {
        match self.peek() {
            Tok::Ident(_) => self.expression(bp),
            Tok::Star => Err("object wildcards (`.*`) are not supported".into()),
            Tok::LBracket => Err("multi-select lists (`.[a, b]`) are not supported".into()),
            Tok::LBrace => Err("multi-select hashes (`.{…}`) are not supported".into()),
            t => Err(format!(
                "expected an identifier after `.`, found {}",
                describe(t)
            )),
        }
    }
}

// ---------------------------------------------------------------- compiler

const VALUE: &str = "smithgen_runtime::client::waiter::Value";

fn value_path() -> TokenStream {
    VALUE.parse().expect("a path")
}

/// What a compiled fragment evaluates to.
#[derive(Clone, Copy)]
enum Ty<'m> {
    /// `Option<&T>` for this shape's Rust type `T` (`None` is JMESPath `null`).
    Shape(&'m Shape),
    /// A `Value`.
    Value,
    /// The `inputOutput` root: an object with `input` and `output`.
    InputOutput,
}

#[derive(Clone)]
struct Frag<'m> {
    code: TokenStream,
    ty: Ty<'m>,
    /// For `Shape` fragments known to be present: the variable (`&T`) they are.
    some: Option<Ident>,
}

/// The roots an expression starts from.
pub enum Root<'m> {
    /// The output (`output` matchers): a `&Output` variable named `output`.
    Output(&'m Shape),
    /// `input` and `output` (`inputOutput` matchers); the input may be absent (unit input).
    InputOutput(Option<&'m Shape>, &'m Shape),
}

struct Compiler<'a, 'm> {
    view: &'a ServiceView<'m>,
    symbols: &'a Symbols,
    root: &'a Root<'m>,
    next_var: usize,
}

/// Compiles `expr` into a Rust expression of type `Value<'_>` over variables `output` (and
/// `input`, for `inputOutput`).
pub fn compile(
    view: &ServiceView<'_>,
    symbols: &Symbols,
    root: &Root<'_>,
    expr: &str,
) -> Result<TokenStream, String> {
    let ast = parse(expr)?;
    let mut c = Compiler {
        view,
        symbols,
        root,
        next_var: 0,
    };
    let start = match root {
        Root::Output(shape) => Frag {
            code: quote!(Some(output)),
            ty: Ty::Shape(shape),
            some: Some(format_ident!("output")),
        },
        Root::InputOutput(..) => Frag {
            code: TokenStream::new(),
            ty: Ty::InputOutput,
            some: None,
        },
    };
    let frag = c.compile(&ast, &start)?;
    c.value_of(&frag)
}

/// How many times an expression evaluates its context.
fn context_uses(ast: &Ast) -> usize {
    match ast {
        Ast::Current | Ast::Field(_) => 1,
        Ast::Literal(_) => 0,
        Ast::Sub(l, _) | Ast::Index(l, _) | Ast::Pipe(l, _) => context_uses(l),
        Ast::Projection(l, _) | Ast::Filter(l, _, _) | Ast::Flatten(l) | Ast::Not(l) => {
            context_uses(l)
        }
        Ast::Or(l, r) | Ast::And(l, r) | Ast::Cmp(_, l, r) => context_uses(l) + context_uses(r),
        Ast::Call(_, args) => args.iter().map(context_uses).sum(),
    }
}

impl<'m> Compiler<'_, 'm> {
    fn var(&mut self, base: &str) -> Ident {
        self.next_var += 1;
        format_ident!("{base}{}", self.next_var)
    }

    fn shape_desc(shape: &Shape) -> String {
        format!("{} `{}`", shape.kind.as_str(), shape.id.as_str())
    }

    fn value_frag(code: TokenStream) -> Frag<'m> {
        Frag {
            code,
            ty: Ty::Value,
            some: None,
        }
    }

    fn compile(&mut self, ast: &Ast, ctx: &Frag<'m>) -> Result<Frag<'m>, String> {
        // A context evaluated more than once is bound to a variable first (unless it is one).
        if context_uses(ast) > 1 && ctx.some.is_none() && !matches!(ctx.ty, Ty::InputOutput) {
            let v = self.var("ctx");
            let init = &ctx.code;
            let bound = Frag {
                code: quote!(#v),
                ty: ctx.ty,
                some: None,
            };
            let inner = self.compile_unbound(ast, &bound)?;
            let value = self.value_of(&inner)?;
            return Ok(Self::value_frag(quote!({
                let #v = #init;
                #value
            })));
        }
        self.compile_unbound(ast, ctx)
    }

    /// A use of the context (cloned when it is a bound `Value`).
    fn reuse(ctx: &Frag<'m>) -> Frag<'m> {
        let mut f = ctx.clone();
        if matches!(ctx.ty, Ty::Value) {
            let code = &ctx.code;
            f.code = quote!(#code.clone());
        }
        f
    }

    fn compile_unbound(&mut self, ast: &Ast, ctx: &Frag<'m>) -> Result<Frag<'m>, String> {
        let value = value_path();
        match ast {
            Ast::Current => Ok(Self::reuse(ctx)),
            Ast::Field(name) => self.field(ctx, name),
            Ast::Sub(l, r) => {
                let left = self.compile(l, ctx)?;
                self.compile(r, &left)
            }
            Ast::Pipe(l, r) => {
                let left = self.compile(l, ctx)?;
                self.compile(r, &left)
            }
            Ast::Literal(v) => Ok(Self::value_frag(literal(v)?)),
            Ast::Index(l, n) => {
                let left = self.compile(l, ctx)?;
                self.index(&left, *n)
            }
            Ast::Flatten(inner) => {
                let inner = self.compile(inner, ctx)?;
                let v = self.value_of(&inner)?;
                Ok(Self::value_frag({
                    let v = recv(&v);
                    quote!(#v.flatten())
                }))
            }
            Ast::Projection(l, rhs) => {
                // `list[]` over a list of non-lists is the list itself: keep its type.
                let left = match &**l {
                    Ast::Flatten(inner) => {
                        let inner_frag = self.compile(inner, ctx)?;
                        match inner_frag.ty {
                            Ty::Shape(s) if s.kind == ShapeType::List && !self.nested_list(s) => {
                                inner_frag
                            }
                            _ => self.compile(l, ctx)?,
                        }
                    }
                    _ => self.compile(l, ctx)?,
                };
                self.project(&left, None, rhs)
            }
            Ast::Filter(l, cond, rhs) => {
                let left = self.compile(l, ctx)?;
                self.project(&left, Some(cond), rhs)
            }
            Ast::Not(e) => {
                let e = self.compile(e, ctx)?;
                let v = self.value_of(&e)?;
                Ok(Self::value_frag({
                    let v = recv(&v);
                    quote!(#v.not())
                }))
            }
            Ast::And(l, r) | Ast::Or(l, r) => {
                let left = self.compile(l, ctx)?;
                let left = self.value_of(&left)?;
                let right = self.compile(r, &Self::reuse(ctx))?;
                let right = self.value_of(&right)?;
                let v = self.var("lhs");
                let code = if matches!(ast, Ast::And(..)) {
                    quote!({
                        let #v = #left;
                        if #v.is_truthy() { #right } else { #v }
                    })
                } else {
                    quote!({
                        let #v = #left;
                        if #v.is_truthy() { #v } else { #right }
                    })
                };
                Ok(Self::value_frag(code))
            }
            Ast::Cmp(op, l, r) => {
                let left = self.compile(l, ctx)?;
                let right = self.compile(r, &Self::reuse(ctx))?;
                for side in [&left, &right] {
                    if let Ty::Shape(s) = side.ty {
                        if matches!(
                            s.kind,
                            ShapeType::Structure | ShapeType::Union | ShapeType::Map
                        ) {
                            return Err(format!(
                                "comparing objects ({}) is not supported",
                                Self::shape_desc(s)
                            ));
                        }
                    }
                }
                let left = self.value_of(&left)?;
                let right = self.value_of(&right)?;
                let code = match *op {
                    "==" => {
                        let left = recv(&left);
                        quote!(#value::Bool(#left.equals(&#right)))
                    }
                    "!=" => {
                        let left = recv(&left);
                        quote!(#value::Bool(!#left.equals(&#right)))
                    }
                    op => {
                        let left = recv(&left);
                        quote!(#left.compare(#op, &#right))
                    }
                };
                Ok(Self::value_frag(code))
            }
            Ast::Call(name, args) => {
                let arity = match name.as_str() {
                    "length" => 1,
                    "contains" => 2,
                    other => {
                        return Err(format!(
                            "function `{other}` is not supported (supported: length, contains)"
                        ))
                    }
                };
                if args.len() != arity {
                    return Err(format!(
                        "`{name}` takes {arity} argument(s), found {}",
                        args.len()
                    ));
                }
                // `length` of a modeled list or map: its `len()`, without building values.
                if name == "length" {
                    let frag = self.compile(&args[0], ctx)?;
                    if let Ty::Shape(s) = frag.ty {
                        if matches!(s.kind, ShapeType::List | ShapeType::Map) {
                            let v = self.var("c");
                            let code = &frag.code;
                            let len = match &frag.some {
                                Some(x) => quote!(#value::Number(#x.len() as f64)),
                                None => quote!(match #code {
                                    Some(#v) => #value::Number(#v.len() as f64),
                                    None => #value::Null,
                                }),
                            };
                            return Ok(Self::value_frag(len));
                        }
                    }
                    let v = recv(&self.value_of(&frag)?);
                    return Ok(Self::value_frag(quote!(#v.length())));
                }
                let mut values = Vec::new();
                for (i, arg) in args.iter().enumerate() {
                    let ctx = if i == 0 {
                        ctx.clone()
                    } else {
                        Self::reuse(ctx)
                    };
                    let frag = self.compile(arg, &ctx)?;
                    values.push(self.value_of(&frag)?);
                }
                let first = recv(&values[0]);
                let code = if name == "length" {
                    quote!(#first.length())
                } else {
                    let second = &values[1];
                    quote!(#first.contains(&#second))
                };
                Ok(Self::value_frag(code))
            }
        }
    }

    fn nested_list(&self, list: &Shape) -> bool {
        list.list_member()
            .is_some_and(|m| self.view.model.target(m).kind == ShapeType::List)
    }

    /// `ctx.name`.
    fn field(&mut self, ctx: &Frag<'m>, name: &str) -> Result<Frag<'m>, String> {
        let value = value_path();
        let shape = match ctx.ty {
            Ty::InputOutput => {
                let Root::InputOutput(input, output) = self.root else {
                    return Err("internal: inputOutput context without its root".into());
                };
                return match name {
                    "output" => Ok(Frag {
                        code: quote!(Some(output)),
                        ty: Ty::Shape(output),
                        some: Some(format_ident!("output")),
                    }),
                    "input" => match input {
                        Some(input) => Ok(Frag {
                            code: quote!(Some(input)),
                            ty: Ty::Shape(input),
                            some: Some(format_ident!("input")),
                        }),
                        None => Ok(Self::value_frag(quote!(#value::Null))),
                    },
                    _ => Ok(Self::value_frag(quote!(#value::Null))),
                };
            }
            Ty::Value => {
                return Err(format!(
                    "the field `{name}` of a computed value (after a projection, function or \
                     comparison) is not supported"
                ))
            }
            Ty::Shape(shape) => shape,
        };
        match shape.kind {
            ShapeType::Structure => {
                let Some((i, member)) = shape
                    .members
                    .iter()
                    .enumerate()
                    .find(|(_, m)| m.name == name)
                else {
                    return Err(format!(
                        "{} has no member `{name}`",
                        Self::shape_desc(shape)
                    ));
                };
                let names = self.symbols.member_names(&shape.id);
                let field = snake_ident(&names.fields[i]);
                let target = self.view.model.target(member);
                let boxed = self.symbols.is_boxed(&shape.id, &member.name);
                let optional = matches!(
                    super::types::presence(self.view, shape, member),
                    super::types::Presence::Optional
                );
                let access = |v: &TokenStream| match (optional, boxed) {
                    (true, false) => quote!(#v.#field.as_ref()),
                    (true, true) => quote!(#v.#field.as_deref()),
                    (false, false) => quote!(Some(&#v.#field)),
                    (false, true) => quote!(Some(&*#v.#field)),
                };
                let code = match &ctx.some {
                    Some(v) => access(&quote!(#v)),
                    None => {
                        let v = self.var("s");
                        let inner = access(&quote!(#v));
                        let code = &ctx.code;
                        quote!(#code.and_then(|#v| #inner))
                    }
                };
                Ok(Frag {
                    code,
                    ty: Ty::Shape(target),
                    some: None,
                })
            }
            ShapeType::Union => {
                let Some((i, member)) = shape
                    .members
                    .iter()
                    .enumerate()
                    .find(|(_, m)| m.name == name)
                else {
                    return Err(format!(
                        "{} has no member `{name}`",
                        Self::shape_desc(shape)
                    ));
                };
                if member.target.as_str() == crate::model::UNIT {
                    return Err(format!(
                        "the unit member `{name}` of {} is not supported",
                        Self::shape_desc(shape)
                    ));
                }
                let names = self.symbols.member_names(&shape.id);
                let variant = ident(&names.fields[i]);
                let ty = self.symbols.type_path(&shape.id);
                let boxed = self.symbols.is_boxed(&shape.id, &member.name);
                let x = self.var("u");
                let payload = if boxed { quote!(&**#x) } else { quote!(#x) };
                let v = self.var("s");
                let code = &ctx.code;
                Ok(Frag {
                    code: quote!(#code.and_then(|#v| match #v {
                        #ty::#variant(#x) => Some(#payload),
                        _ => None,
                    })),
                    ty: Ty::Shape(self.view.model.target(member)),
                    some: None,
                })
            }
            ShapeType::Map => {
                let Some((key, value_member)) = shape.map_members() else {
                    return Err("internal: a map without members".into());
                };
                let key_shape = self.view.model.target(key);
                if key_shape.kind != ShapeType::String || key_shape.is_string_enum() {
                    return Err(format!(
                        "fields of {} (keys that are not plain strings) are not supported",
                        Self::shape_desc(shape)
                    ));
                }
                if shape.traits.has(crate::model::trait_ids::SPARSE) {
                    return Err(format!(
                        "fields of the sparse {} are not supported",
                        Self::shape_desc(shape)
                    ));
                }
                let v = self.var("m");
                let code = &ctx.code;
                Ok(Frag {
                    code: quote!(#code.and_then(|#v| #v.get(#name))),
                    ty: Ty::Shape(self.view.model.target(value_member)),
                    some: None,
                })
            }
            // A field of a list or a scalar is null.
            _ => Ok(Self::value_frag(quote!(#value::Null))),
        }
    }

    fn index(&mut self, left: &Frag<'m>, n: i64) -> Result<Frag<'m>, String> {
        let value = value_path();
        match left.ty {
            Ty::Shape(s) if s.kind == ShapeType::List => {
                let Some(member) = s.list_member() else {
                    return Err("internal: a list without a member".into());
                };
                let v = self.var("l");
                let get = if n == 0 {
                    quote!(#v.first())
                } else if n == -1 {
                    quote!(#v.last())
                } else if n > 0 {
                    let n = n as usize;
                    quote!(#v.get(#n))
                } else {
                    let back = (-(n + 1)) as usize;
                    quote!(#v.iter().nth_back(#back))
                };
                let get = if s.traits.has(crate::model::trait_ids::SPARSE) {
                    quote!(#get.and_then(Option::as_ref))
                } else {
                    get
                };
                let code = &left.code;
                Ok(Frag {
                    code: quote!(#code.and_then(|#v| #get)),
                    ty: Ty::Shape(self.view.model.target(member)),
                    some: None,
                })
            }
            Ty::Shape(_) => Ok(Self::value_frag(quote!(#value::Null))),
            Ty::Value => {
                let code = &left.code;
                let code = recv(code);
                Ok(Self::value_frag(quote!(#code.index(#n))))
            }
            Ty::InputOutput => Ok(Self::value_frag(quote!(#value::Null))),
        }
    }

    /// A projection of `left` (filtered by `cond`) through `rhs`: an array of the non-null
    /// results, or null when `left` is not an array.
    fn project(
        &mut self,
        left: &Frag<'m>,
        cond: Option<&Ast>,
        rhs: &Ast,
    ) -> Result<Frag<'m>, String> {
        let value = value_path();
        let item = self.var("item");
        let list = self.var("list");
        let code = &left.code;
        // `source`: an `Option` of the collection; `iter`: its items, each bound to `item`.
        let (source, iter, element) = match left.ty {
            Ty::Shape(s) if s.kind == ShapeType::List => {
                let Some(member) = s.list_member() else {
                    return Err("internal: a list without a member".into());
                };
                let ty = Ty::Shape(self.view.model.target(member));
                let element = if s.traits.has(crate::model::trait_ids::SPARSE) {
                    Frag {
                        code: quote!(#item.as_ref()),
                        ty,
                        some: None,
                    }
                } else {
                    Frag {
                        code: quote!(Some(#item)),
                        ty,
                        some: Some(item.clone()),
                    }
                };
                (code.clone(), quote!(#list.iter()), element)
            }
            Ty::Value => {
                let code = recv(code);
                (
                    quote!(#code.into_array()),
                    quote!(#list.into_iter()),
                    Self::value_frag(quote!(#item)),
                )
            }
            _ => return Ok(Self::value_frag(quote!(#value::Null))),
        };
        let rhs_frag = self.compile(rhs, &element)?;
        let rhs_value = self.value_of(&rhs_frag)?;
        let body = match cond {
            None => {
                let rhs_value = recv(&rhs_value);
                quote!(#rhs_value.non_null())
            }
            Some(cond) => {
                // The element is used by the condition and by the right side.
                let cond_element = Self::reuse(&element);
                let cond = self.compile(cond, &cond_element)?;
                let cond = recv(&self.value_of(&cond)?);
                let rhs_value = recv(&rhs_value);
                quote! {
                    if #cond.is_truthy() {
                        #rhs_value.non_null()
                    } else {
                        None
                    }
                }
            }
        };
        Ok(Self::value_frag(quote! {
            match #source {
                Some(#list) => #value::Array(#iter.filter_map(|#item| #body).collect()),
                None => #value::Null,
            }
        }))
    }

    /// The fragment as a `Value` expression.
    fn value_of(&mut self, frag: &Frag<'m>) -> Result<TokenStream, String> {
        let value = value_path();
        match frag.ty {
            Ty::Value => Ok(frag.code.clone()),
            Ty::InputOutput => {
                Err("the whole `inputOutput` object as a value is not supported".into())
            }
            Ty::Shape(shape) => {
                if let Some(v) = &frag.some {
                    return self.convert(shape, &quote!(#v));
                }
                let v = self.var("v");
                let converted = self.convert(shape, &quote!(#v))?;
                let uses = converted.to_string().contains(&v.to_string());
                let pattern = if uses { quote!(#v) } else { quote!(_) };
                let code = &frag.code;
                Ok(quote!(match #code {
                    Some(#pattern) => #converted,
                    None => #value::Null,
                }))
            }
        }
    }

    /// A `&T` (`v`) of `shape` as a `Value`.
    fn convert(&mut self, shape: &Shape, v: &TokenStream) -> Result<TokenStream, String> {
        let value = value_path();
        Ok(match shape.kind {
            ShapeType::String if shape.is_string_enum() => quote!(#value::from(#v.as_str())),
            ShapeType::Enum => quote!(#value::from(#v.as_str())),
            ShapeType::IntEnum => quote!(#value::Number(f64::from(#v.as_i32()))),
            ShapeType::String
            | ShapeType::Boolean
            | ShapeType::Byte
            | ShapeType::Short
            | ShapeType::Integer
            | ShapeType::Long
            | ShapeType::Float
            | ShapeType::Double
            | ShapeType::Timestamp
            | ShapeType::Blob
            | ShapeType::BigInteger
            | ShapeType::BigDecimal => quote!(#value::from(#v)),
            ShapeType::Document => {
                return Err(format!(
                    "documents ({}) are not supported",
                    Self::shape_desc(shape)
                ))
            }
            ShapeType::List => {
                let Some(member) = shape.list_member() else {
                    return Err("internal: a list without a member".into());
                };
                let target = self.view.model.target(member);
                let x = self.var("x");
                let inner = if shape.traits.has(crate::model::trait_ids::SPARSE) {
                    let y = self.var("x");
                    let converted = self.convert(target, &quote!(#y))?;
                    quote!(match #x {
                        Some(#y) => #converted,
                        None => #value::Null,
                    })
                } else {
                    self.convert(target, &quote!(#x))?
                };
                if inner.to_string() == quote!(#value::from(#x)).to_string() {
                    quote!(#value::Array(#v.iter().map(#value::from).collect()))
                } else {
                    quote!(#value::Array(#v.iter().map(|#x| #inner).collect()))
                }
            }
            ShapeType::Map => quote!(#value::Object(#v.len())),
            ShapeType::Union => quote!(#value::Object(1)),
            ShapeType::Structure => {
                let mut fixed = 0usize;
                let mut optional = Vec::new();
                let names = self.symbols.member_names(&shape.id);
                for (i, member) in shape.members.iter().enumerate() {
                    match super::types::presence(self.view, shape, member) {
                        super::types::Presence::Optional => {
                            let field = snake_ident(&names.fields[i]);
                            optional.push(quote!(usize::from(#v.#field.is_some())));
                        }
                        _ => fixed += 1,
                    }
                }
                if optional.is_empty() {
                    quote!(#value::Object(#fixed))
                } else if fixed == 0 {
                    quote!(#value::Object(#(#optional)+*))
                } else {
                    quote!(#value::Object(#fixed #(+ #optional)*))
                }
            }
            ShapeType::Service | ShapeType::Operation | ShapeType::Resource => {
                return Err(format!("internal: {} in a value", Self::shape_desc(shape)))
            }
        })
    }
}

/// `code` as a method receiver: parenthesized when it starts with `match`, `if` or a block.
fn recv(code: &TokenStream) -> TokenStream {
    let needs = match code.clone().into_iter().next() {
        Some(proc_macro2::TokenTree::Ident(i)) => i == "match" || i == "if",
        Some(proc_macro2::TokenTree::Group(g)) => g.delimiter() == proc_macro2::Delimiter::Brace,
        _ => false,
    };
    if needs {
        quote!((#code))
    } else {
        code.clone()
    }
}

/// A JSON literal as a `Value` expression.
fn literal(v: &serde_json::Value) -> Result<TokenStream, String> {
    let value = value_path();
    Ok(match v {
        serde_json::Value::Null => quote!(#value::Null),
        serde_json::Value::Bool(b) => quote!(#value::Bool(#b)),
        serde_json::Value::Number(n) => {
            let f = n
                .as_f64()
                .ok_or_else(|| format!("the number literal {n} is out of range"))?;
            if !f.is_finite() {
                return Err(format!("the number literal {n} is out of range"));
            }
            quote!(#value::Number(#f))
        }
        serde_json::Value::String(s) => quote!(#value::from(#s)),
        serde_json::Value::Array(items) => {
            let items = items.iter().map(literal).collect::<Result<Vec<_>, _>>()?;
            quote!(#value::Array(vec![#(#items),*]))
        }
        serde_json::Value::Object(map) if map.is_empty() => quote!(#value::Object(0)),
        serde_json::Value::Object(_) => {
            return Err("object literals are not supported (except `{}`)".into())
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(s: &str) -> Box<Ast> {
        Box::new(Ast::Field(s.into()))
    }

    #[test]
    fn parses_the_aws_waiter_expressions() {
        assert_eq!(
            parse("Table.TableStatus").unwrap(),
            Ast::Sub(f("Table"), f("TableStatus"))
        );
        assert_eq!(
            parse("services[].status").unwrap(),
            Ast::Projection(Box::new(Ast::Flatten(f("services"))), f("status"))
        );
        let ecs = "length(services[?!(length(deployments) == `1` && runningCount == desiredCount)]) == `0`";
        let Ast::Cmp("==", left, right) = parse(ecs).unwrap() else {
            panic!("a comparison")
        };
        assert_eq!(*right, Ast::Literal(serde_json::json!(0)));
        let Ast::Call(name, args) = *left else {
            panic!("a call")
        };
        assert_eq!(name, "length");
        assert!(matches!(&args[0], Ast::Filter(l, cond, rhs)
            if **l == Ast::Field("services".into())
                && matches!(**cond, Ast::Not(_))
                && **rhs == Ast::Current));
    }

    #[test]
    fn precedence_and_projection_stops() {
        // `a[*].b | [0]`: the pipe ends the projection.
        let Ast::Pipe(l, r) = parse("a[*].b | [0]").unwrap() else {
            panic!("a pipe")
        };
        assert_eq!(*l, Ast::Projection(f("a"), f("b")));
        assert_eq!(*r, Ast::Index(Box::new(Ast::Current), 0));
        // `&&` binds tighter than `||`, comparisons tighter than both.
        let Ast::Or(_, r) = parse("a == 'x' || b && c").unwrap() else {
            panic!("an or")
        };
        assert!(matches!(*r, Ast::And(..)));
        assert_eq!(
            parse("a[].b[].c").unwrap(),
            Ast::Projection(
                Box::new(Ast::Flatten(Box::new(Ast::Projection(
                    Box::new(Ast::Flatten(f("a"))),
                    f("b")
                )))),
                f("c")
            )
        );
        assert_eq!(
            parse("\"quoted id\"[-1]").unwrap(),
            Ast::Index(f("quoted id"), -1)
        );
        assert_eq!(
            parse("'it\\'s'").unwrap(),
            Ast::Literal(serde_json::json!("it's"))
        );
    }

    #[test]
    fn unsupported_syntax_is_named() {
        for (expr, want) in [
            ("a[1:2]", "slices"),
            ("a.*", "object wildcards"),
            ("a.[b, c]", "multi-select lists"),
            ("{a: b}", "multi-select hashes"),
            ("sort_by(a, &b)", "expression references"),
            ("a ==", "unexpected end of expression"),
            ("a b", "after the expression"),
            ("`{bad`", "invalid JSON literal"),
            ("'open", "unterminated"),
            ("(".repeat(200).as_str(), "nests deeper than 64"),
            ("!".repeat(100).as_str(), "nests deeper than 64"),
            ("a.".repeat(2_000).as_str(), "longer than"),
        ] {
            let err = parse(expr).unwrap_err();
            assert!(err.contains(want), "{expr}: {err}");
        }
    }
}
