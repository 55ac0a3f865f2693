//! From the JSON of `smithy.rules#endpointRuleSet` to the checked tree of
//! [`super::tree`].

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::tree::{
    Action, Condition, EndpointTemplate, Expr, Field, Func, Part, Prop, Rule, Step, Ty,
};
use super::{Parameter, ParameterType, RuleSet, RuleSetError, Value};
use crate::Document;

/// How deeply the JSON of a rule set may nest.
pub(super) const MAX_JSON_DEPTH: usize = 256;

type Result<T> = std::result::Result<T, RuleSetError>;
type Object = BTreeMap<String, Document>;

/// Parses and checks a whole rule set.
pub(super) fn rule_set(document: &Document) -> Result<RuleSet> {
    let mut parser = Parser {
        path: String::new(),
        scope: Vec::new(),
        slots: 0,
    };
    let root = parser.object(document, "the rule set")?;
    let version = match root.get("version") {
        Some(Document::String(version)) => version.clone(),
        Some(_) => return Err(parser.error_at("version", "must be a string")),
        None => return Err(parser.error("missing `version`")),
    };
    let parameters = match root.get("parameters") {
        Some(doc) => parser.at(Seg::Key("parameters"), |p| p.parameters(doc))?,
        None => return Err(parser.error("missing `parameters`")),
    };
    parser.scope = parameters
        .iter()
        .map(|p| {
            let ty = match p.kind {
                ParameterType::String => Ty::String,
                ParameterType::Boolean => Ty::Bool,
                ParameterType::StringArray => Ty::StringArray,
            };
            (p.name.clone(), ty)
        })
        .collect();
    parser.slots = parser.scope.len();
    let rules = match root.get("rules") {
        Some(doc) => parser.at(Seg::Key("rules"), |p| p.rules(doc))?,
        None => return Err(parser.error("missing `rules`")),
    };
    Ok(RuleSet {
        version,
        parameters,
        rules,
        slots: parser.slots,
    })
}

/// A segment of a location.
#[derive(Clone, Copy)]
enum Seg<'a> {
    Key(&'a str),
    Index(usize),
}

struct Parser {
    /// Where the parser is, such as `rules[0].conditions[1]`.
    path: String,
    /// The names in scope and their types, outermost first: a name's index
    /// is its slot.
    scope: Vec<(String, Ty)>,
    /// The most slots in use at once.
    slots: usize,
}

impl Parser {
    fn error(&self, message: impl Into<String>) -> RuleSetError {
        RuleSetError::new(self.path.clone(), message)
    }

    /// An error about `seg` of the value being parsed.
    fn error_in(&self, seg: Seg<'_>, message: impl Into<String>) -> RuleSetError {
        let mut path = self.path.clone();
        push_seg(&mut path, seg);
        RuleSetError::new(path, message)
    }

    /// An error about `key` of the object being parsed.
    fn error_at(&self, key: &str, message: impl Into<String>) -> RuleSetError {
        self.error_in(Seg::Key(key), message)
    }

    /// Runs `f` with `seg` appended to the location.
    fn at<T>(&mut self, seg: Seg<'_>, f: impl FnOnce(&mut Self) -> Result<T>) -> Result<T> {
        let len = self.path.len();
        push_seg(&mut self.path, seg);
        let result = f(self);
        self.path.truncate(len);
        result
    }

    fn object<'d>(&self, doc: &'d Document, what: &str) -> Result<&'d Object> {
        doc.as_object()
            .ok_or_else(|| self.error(format!("{what} must be an object, found {}", kind(doc))))
    }

    fn array<'d>(&self, doc: &'d Document, what: &str) -> Result<&'d [Document]> {
        doc.as_array()
            .ok_or_else(|| self.error(format!("{what} must be an array, found {}", kind(doc))))
    }

    // ---- parameters ----

    fn parameters(&mut self, doc: &Document) -> Result<Vec<Parameter>> {
        let object = self.object(doc, "`parameters`")?;
        let mut parameters: Vec<Parameter> = Vec::with_capacity(object.len());
        for (name, definition) in object {
            let parameter = self.at(Seg::Key(name), |p| {
                if !is_identifier(name) {
                    return Err(p.error(format!(
                        "`{name}` is not a valid parameter name (a letter, then letters and digits)"
                    )));
                }
                if let Some(other) = parameters
                    .iter()
                    .find(|o| o.name.eq_ignore_ascii_case(name))
                {
                    return Err(
                        p.error(format!("`{name}` and `{}` differ only in case", other.name))
                    );
                }
                p.parameter(name, definition)
            })?;
            parameters.push(parameter);
        }
        Ok(parameters)
    }

    fn parameter(&mut self, name: &str, doc: &Document) -> Result<Parameter> {
        let object = self.object(doc, "a parameter")?;
        let kind = match object.get("type") {
            Some(Document::String(t)) if t.eq_ignore_ascii_case("string") => ParameterType::String,
            Some(Document::String(t)) if t.eq_ignore_ascii_case("boolean") => {
                ParameterType::Boolean
            }
            Some(Document::String(t)) if t.eq_ignore_ascii_case("stringArray") => {
                ParameterType::StringArray
            }
            Some(Document::String(t)) => {
                return Err(self.error_at(
                    "type",
                    format!(
                    "unknown parameter type `{t}` (expected `string`, `boolean` or `stringArray`)"
                ),
                ))
            }
            Some(_) => return Err(self.error_at("type", "must be a string")),
            None => return Err(self.error("missing `type`")),
        };
        let built_in = self.optional_string(object, "builtIn")?;
        let documentation = self.optional_string(object, "documentation")?;
        let required = match object.get("required") {
            None => false,
            Some(Document::Bool(required)) => *required,
            Some(_) => return Err(self.error_at("required", "must be a boolean")),
        };
        let deprecated = match object.get("deprecated") {
            None | Some(Document::Null) => false,
            Some(Document::Object(_)) => true,
            Some(_) => return Err(self.error_at("deprecated", "must be an object")),
        };
        let default = match object.get("default") {
            None | Some(Document::Null) => None,
            Some(doc) => Some(self.at(Seg::Key("default"), |p| {
                let value = match doc {
                    Document::String(s) => Some(Value::String(s.clone())),
                    Document::Bool(b) => Some(Value::Bool(*b)),
                    Document::Array(items) => items
                        .iter()
                        .map(|item| item.as_str().map(str::to_owned))
                        .collect::<Option<Vec<_>>>()
                        .map(Value::StringArray),
                    _ => None,
                };
                match value {
                    Some(value) if value.kind() == kind => Ok(value),
                    _ => Err(p.error(format!(
                        "the default of `{name}` must be {}, found {}",
                        kind.described(),
                        self::kind(doc)
                    ))),
                }
            })?),
        };
        Ok(Parameter {
            name: name.to_owned(),
            kind,
            built_in,
            required,
            default,
            documentation,
            deprecated,
        })
    }

    fn optional_string(&mut self, object: &Object, key: &str) -> Result<Option<String>> {
        match object.get(key) {
            None | Some(Document::Null) => Ok(None),
            Some(Document::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(self.error_at(key, "must be a string")),
        }
    }

    // ---- rules ----

    fn rules(&mut self, doc: &Document) -> Result<Box<[Rule]>> {
        let items = self.array(doc, "`rules`")?;
        if items.is_empty() {
            return Err(self.error("there must be at least one rule"));
        }
        items
            .iter()
            .enumerate()
            .map(|(i, item)| self.at(Seg::Index(i), |p| p.rule(item)))
            .collect()
    }

    fn rule(&mut self, doc: &Document) -> Result<Rule> {
        let object = self.object(doc, "a rule")?;
        let kind = match object.get("type") {
            Some(Document::String(kind)) => kind.as_str(),
            Some(_) => return Err(self.error_at("type", "must be a string")),
            None => return Err(self.error("missing `type` (`endpoint`, `error` or `tree`)")),
        };
        // Variables a rule assigns are visible to its later conditions and
        // to what it contains, and nowhere else.
        let outer_scope = self.scope.len();
        let conditions = match object.get("conditions") {
            None => Box::default(),
            Some(doc) => self.at(Seg::Key("conditions"), |p| {
                let items = p.array(doc, "`conditions`")?;
                items
                    .iter()
                    .enumerate()
                    .map(|(i, item)| p.at(Seg::Index(i), |p| p.condition(item)))
                    .collect::<Result<Box<[_]>>>()
            })?,
        };
        let action = match kind {
            "endpoint" => match object.get("endpoint") {
                Some(doc) => Action::Endpoint(Box::new(
                    self.at(Seg::Key("endpoint"), |p| p.endpoint(doc))?,
                )),
                None => return Err(self.error("an endpoint rule needs `endpoint`")),
            },
            "error" => match object.get("error") {
                Some(doc) => {
                    let location = self.path.clone().into_boxed_str();
                    let message = self.at(Seg::Key("error"), |p| {
                        p.string_expr(doc, "an error message")
                    })?;
                    Action::Error(message, location)
                }
                None => return Err(self.error("an error rule needs `error`")),
            },
            "tree" => match object.get("rules") {
                Some(doc) => Action::Tree(self.at(Seg::Key("rules"), |p| p.rules(doc))?),
                None => return Err(self.error("a tree rule needs `rules`")),
            },
            other => {
                return Err(self.error_at(
                    "type",
                    format!("unknown rule type `{other}` (expected `endpoint`, `error` or `tree`)"),
                ))
            }
        };
        self.scope.truncate(outer_scope);
        Ok(Rule { conditions, action })
    }

    fn condition(&mut self, doc: &Document) -> Result<Condition> {
        let object = self.object(doc, "a condition")?;
        if !object.contains_key("fn") {
            return Err(self.error("a condition must call a function (`fn`)"));
        }
        let (expr, ty) = self.call(object)?;
        let assign = match object.get("assign") {
            None => None,
            Some(Document::String(name)) => {
                self.at(Seg::Key("assign"), |p| {
                    if !is_identifier(name) {
                        return Err(p.error(format!("`{name}` is not a valid variable name")));
                    }
                    if p.scope.iter().any(|(n, _)| n == name) {
                        return Err(p.error(format!(
                            "`{name}` is already a parameter or a variable in scope"
                        )));
                    }
                    Ok(())
                })?;
                self.scope.push((name.clone(), ty));
                self.slots = self.slots.max(self.scope.len());
                Some(self.scope.len() - 1)
            }
            Some(_) => return Err(self.error_at("assign", "must be a string")),
        };
        Ok(Condition { expr, assign })
    }

    fn endpoint(&mut self, doc: &Document) -> Result<EndpointTemplate> {
        let location = self.path.clone().into_boxed_str();
        let object = self.object(doc, "`endpoint`")?;
        let url = match object.get("url") {
            Some(doc) => self.at(Seg::Key("url"), |p| p.string_expr(doc, "the URL"))?,
            None => return Err(self.error("missing `url`")),
        };
        let properties = match object.get("properties") {
            None | Some(Document::Null) => Vec::new(),
            Some(doc) => self.at(Seg::Key("properties"), |p| {
                let object = p.object(doc, "`properties`")?;
                p.prop_members(object)
            })?,
        };
        let headers = match object.get("headers") {
            None | Some(Document::Null) => Vec::new(),
            Some(doc) => self.at(Seg::Key("headers"), |p| {
                let object = p.object(doc, "`headers`")?;
                object
                    .iter()
                    .map(|(name, values)| {
                        p.at(Seg::Key(name), |p| {
                            let items = p.array(values, "a header's values")?;
                            let values = items
                                .iter()
                                .enumerate()
                                .map(|(i, item)| {
                                    p.at(Seg::Index(i), |p| p.string_expr(item, "a header value"))
                                })
                                .collect::<Result<Vec<_>>>()?;
                            Ok((name.clone(), values))
                        })
                    })
                    .collect::<Result<Vec<_>>>()
            })?,
        };
        Ok(EndpointTemplate {
            url,
            properties,
            headers,
            location,
        })
    }

    fn prop_members(&mut self, object: &Object) -> Result<Vec<(String, Prop)>> {
        object
            .iter()
            .map(|(key, value)| Ok((key.clone(), self.at(Seg::Key(key), |p| p.prop(value))?)))
            .collect()
    }

    fn prop(&mut self, doc: &Document) -> Result<Prop> {
        Ok(match doc {
            Document::Null => Prop::Null,
            Document::Bool(b) => Prop::Bool(*b),
            Document::Number(n) => Prop::Number(*n),
            Document::String(s) => Prop::String(self.template(s)?),
            Document::Array(items) => Prop::Array(
                items
                    .iter()
                    .enumerate()
                    .map(|(i, item)| self.at(Seg::Index(i), |p| p.prop(item)))
                    .collect::<Result<_>>()?,
            ),
            Document::Object(members) => Prop::Object(self.prop_members(members)?),
        })
    }

    // ---- expressions ----

    /// An expression that must be a string.
    fn string_expr(&mut self, doc: &Document, what: &str) -> Result<Expr> {
        let (expr, ty) = self.expr(doc)?;
        if ty != Ty::String {
            return Err(self.error(format!("{what} must be a string, found {}", ty.described())));
        }
        Ok(expr)
    }

    fn expr(&mut self, doc: &Document) -> Result<(Expr, Ty)> {
        match doc {
            Document::String(text) => Ok((self.template(text)?, Ty::String)),
            Document::Bool(b) => Ok((Expr::Bool(*b), Ty::Bool)),
            Document::Number(n) => match n.as_i64() {
                Some(n) => Ok((Expr::Int(n), Ty::Int)),
                None => Err(self.error("numbers must be integers")),
            },
            Document::Array(items) => {
                let items = items
                    .iter()
                    .enumerate()
                    .map(|(i, item)| self.at(Seg::Index(i), |p| p.string_expr(item, "an array element")))
                    .collect::<Result<Box<[_]>>>()?;
                Ok((Expr::Array(items), Ty::StringArray))
            }
            Document::Object(object) => match object.get("ref") {
                Some(Document::String(name)) => {
                    let (slot, ty) = self.lookup(name)?;
                    Ok((Expr::Ref(slot), ty))
                }
                Some(_) => Err(self.error_at("ref", "must be a string")),
                None if object.contains_key("fn") => self.call(object),
                None => Err(self.error(
                    "expected a string, boolean, integer, array, reference (`ref`) or function call (`fn`)",
                )),
            },
            Document::Null => Err(self.error("null is not an expression")),
        }
    }

    /// The slot and type of parameter or variable `name`.
    fn lookup(&self, name: &str) -> Result<(usize, Ty)> {
        self.scope
            .iter()
            .rposition(|(n, _)| n == name)
            .and_then(|slot| Some((slot, self.scope.get(slot)?.1)))
            .ok_or_else(|| {
                self.error(format!(
                    "`{name}` is neither a parameter nor a variable assigned in scope"
                ))
            })
    }

    /// A function call (`fn` and `argv`).
    fn call(&mut self, object: &Object) -> Result<(Expr, Ty)> {
        let name = match object.get("fn") {
            Some(Document::String(name)) => name.as_str(),
            _ => return Err(self.error_at("fn", "must be a string")),
        };
        let argv = match object.get("argv") {
            Some(Document::Array(argv)) => argv.as_slice(),
            Some(_) => return Err(self.error_at("argv", "must be an array")),
            None => return Err(self.error(format!("missing `argv` for `{name}`"))),
        };
        self.at(Seg::Key("argv"), |p| {
            if name == "getAttr" {
                return p.get_attr(argv);
            }
            let Some(func) = Func::named(name) else {
                return Err(p.error(format!("unknown function `{name}`")));
            };
            let (expected, returns): (&[Ty], Ty) = match func {
                Func::BooleanEquals => (&[Ty::Bool, Ty::Bool], Ty::Bool),
                Func::StringEquals => (&[Ty::String, Ty::String], Ty::Bool),
                Func::Not => (&[Ty::Bool], Ty::Bool),
                Func::IsValidHostLabel => (&[Ty::String, Ty::Bool], Ty::Bool),
                Func::ParseUrl => (&[Ty::String], Ty::Url),
                Func::Substring => (&[Ty::String, Ty::Int, Ty::Int, Ty::Bool], Ty::String),
                Func::UriEncode => (&[Ty::String], Ty::String),
                Func::Split => (&[Ty::String, Ty::String, Ty::Int], Ty::StringArray),
                Func::AwsPartition => (&[Ty::String], Ty::Partition),
                Func::AwsParseArn => (&[Ty::String], Ty::Arn),
                Func::AwsIsVirtualHostableS3Bucket => (&[Ty::String, Ty::Bool], Ty::Bool),
                // Checked below.
                Func::IsSet | Func::Coalesce | Func::Ite => (&[], Ty::Bool),
            };
            let arity_ok = match func {
                Func::IsSet => argv.len() == 1,
                Func::Ite => argv.len() == 3,
                Func::Coalesce => argv.len() >= 2,
                _ => argv.len() == expected.len(),
            };
            if !arity_ok {
                let wanted = match func {
                    Func::IsSet => "1 argument".to_owned(),
                    Func::Ite => "3 arguments".to_owned(),
                    Func::Coalesce => "at least 2 arguments".to_owned(),
                    _ if expected.len() == 1 => "1 argument".to_owned(),
                    _ => format!("{} arguments", expected.len()),
                };
                return Err(p.error(format!("`{name}` takes {wanted}, found {}", argv.len())));
            }
            let mut args = Vec::with_capacity(argv.len());
            let mut types = Vec::with_capacity(argv.len());
            for (i, arg) in argv.iter().enumerate() {
                let (expr, ty) = p.at(Seg::Index(i), |p| p.expr(arg))?;
                args.push(expr);
                types.push(ty);
            }
            let mismatch = |p: &Self, i: usize, wanted: &str, found: Ty| {
                p.error_in(
                    Seg::Index(i),
                    format!(
                        "argument {} of `{name}` must be {wanted}, found {}",
                        i + 1,
                        found.described()
                    ),
                )
            };
            let returns = match func {
                Func::IsSet => Ty::Bool,
                Func::Coalesce | Func::Ite => {
                    let (first, rest) = if func == Func::Ite {
                        if types[0] != Ty::Bool {
                            return Err(mismatch(p, 0, "a boolean", types[0]));
                        }
                        (1, 2)
                    } else {
                        (0, 1)
                    };
                    let ty = types[first];
                    if let Some(i) = (rest..types.len()).find(|&i| types[i] != ty) {
                        return Err(mismatch(p, i, ty.described(), types[i]));
                    }
                    ty
                }
                _ => {
                    if let Some(i) = (0..types.len()).find(|&i| types[i] != expected[i]) {
                        return Err(mismatch(p, i, expected[i].described(), types[i]));
                    }
                    returns
                }
            };
            // Literal arguments with constraints of their own.
            for (i, arg) in args.iter().enumerate() {
                let problem = match (func, i, arg) {
                    (Func::Substring, 1 | 2, Expr::Int(n)) | (Func::Split, 2, Expr::Int(n))
                        if *n < 0 =>
                    {
                        Some("must not be negative")
                    }
                    (Func::Split, 1, Expr::Str(d)) if d.is_empty() => Some("must not be empty"),
                    _ => None,
                };
                if let Some(problem) = problem {
                    return Err(p.error_in(
                        Seg::Index(i),
                        format!("argument {} of `{name}` {problem}", i + 1),
                    ));
                }
            }
            Ok((Expr::Call(func, args.into_boxed_slice()), returns))
        })
    }

    /// `getAttr(value, "path")`; the location is at `argv`.
    fn get_attr(&mut self, argv: &[Document]) -> Result<(Expr, Ty)> {
        let [target, path] = argv else {
            return Err(self.error(format!("`getAttr` takes 2 arguments, found {}", argv.len())));
        };
        let (target, ty) = self.at(Seg::Index(0), |p| p.expr(target))?;
        self.at(Seg::Index(1), |p| {
            let Document::String(path) = path else {
                return Err(p.error("the path of `getAttr` must be a literal string"));
            };
            let (steps, ty) = compile_path(ty, path).map_err(|message| p.error(message))?;
            Ok((Expr::GetAttr(Box::new(target), steps), ty))
        })
    }

    /// A string that may hold `{Name}` and `{Name#path}` placeholders, and
    /// `{{` and `}}` for braces.
    fn template(&mut self, text: &str) -> Result<Expr> {
        if !text.contains(['{', '}']) {
            return Ok(Expr::Str(text.into()));
        }
        let mut parts = Vec::new();
        let mut literal = String::new();
        let mut rest = text;
        while let Some(at) = rest.find(['{', '}']) {
            literal.push_str(&rest[..at]);
            let brace = &rest[at..];
            if let Some(after) = brace.strip_prefix("{{") {
                literal.push('{');
                rest = after;
            } else if let Some(after) = brace.strip_prefix("}}") {
                literal.push('}');
                rest = after;
            } else if brace.starts_with('}') {
                return Err(self.error(format!(
                    "unmatched `}}` in template `{text}` (write `}}}}` for a brace)"
                )));
            } else {
                let Some(close) = brace.find('}') else {
                    return Err(self.error(format!("unclosed `{{` in template `{text}`")));
                };
                let inside = &brace[1..close];
                let (name, path) = match inside.split_once('#') {
                    Some((name, path)) => (name, Some(path)),
                    None => (inside, None),
                };
                if name.is_empty() || inside.contains('{') {
                    return Err(self.error(format!(
                        "`{{{inside}}}` in template `{text}` is not `{{Name}}` or `{{Name#path}}`"
                    )));
                }
                let (slot, ty) = self.lookup(name)?;
                let (expr, ty) = match path {
                    None => (Expr::Ref(slot), ty),
                    Some(path) => {
                        let (steps, ty) = compile_path(ty, path)
                            .map_err(|m| self.error(format!("in template `{text}`: {m}")))?;
                        (Expr::GetAttr(Box::new(Expr::Ref(slot)), steps), ty)
                    }
                };
                if ty != Ty::String {
                    return Err(self.error(format!(
                        "`{{{inside}}}` in template `{text}` is {}, not a string",
                        ty.described()
                    )));
                }
                if !literal.is_empty() {
                    parts.push(Part::Literal(std::mem::take(&mut literal).into()));
                }
                parts.push(Part::Value(expr));
                rest = &brace[close + 1..];
            }
        }
        literal.push_str(rest);
        if parts.is_empty() {
            return Ok(Expr::Str(literal.into()));
        }
        if !literal.is_empty() {
            parts.push(Part::Literal(literal.into()));
        }
        Ok(Expr::Template(parts.into_boxed_slice()))
    }
}

/// The steps of a `getAttr` path (`name`, `resourceId[0]`, `[-1]`) from a
/// value of type `ty`, and the type they reach.
fn compile_path(mut ty: Ty, path: &str) -> std::result::Result<(Box<[Step]>, Ty), String> {
    if path.is_empty() {
        return Err("the path of `getAttr` is empty".to_owned());
    }
    let mut steps = Vec::new();
    for part in path.split('.') {
        let (key, index) = match part.find('[') {
            Some(open) => {
                let index = part[open..]
                    .strip_prefix('[')
                    .and_then(|s| s.strip_suffix(']'))
                    .and_then(|s| s.parse::<i64>().ok())
                    .ok_or_else(|| format!("`{part}` in path `{path}` is not `key[index]`"))?;
                (&part[..open], Some(index))
            }
            None => (part, None),
        };
        if key.is_empty() && index.is_none() {
            return Err(format!("path `{path}` has an empty segment"));
        }
        if !key.is_empty() {
            let (field, next) = Field::of(ty, key)
                .ok_or_else(|| format!("{} has no attribute `{key}`", ty.described()))?;
            steps.push(Step::Field(field));
            ty = next;
        }
        if let Some(index) = index {
            if ty != Ty::StringArray {
                return Err(format!("{} cannot be indexed", ty.described()));
            }
            steps.push(Step::Index(index));
            ty = Ty::String;
        }
    }
    Ok((steps.into_boxed_slice(), ty))
}

/// Appends `seg` to a location: `.key` (or `["key"]`) or `[index]`.
fn push_seg(path: &mut String, seg: Seg<'_>) {
    match seg {
        Seg::Key(key) if is_plain_key(key) => {
            if !path.is_empty() {
                path.push('.');
            }
            path.push_str(key);
        }
        Seg::Key(key) => {
            let _ = write!(path, "[{key:?}]");
        }
        Seg::Index(index) => {
            let _ = write!(path, "[{index}]");
        }
    }
}

/// Whether `name` is a valid parameter or variable name: an ASCII letter,
/// then ASCII letters, digits or `_`.
fn is_identifier(name: &str) -> bool {
    let mut bytes = name.bytes();
    bytes.next().is_some_and(|b| b.is_ascii_alphabetic())
        && bytes.all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

/// Whether a key can be written `.key` in a location (else `["key"]`).
fn is_plain_key(key: &str) -> bool {
    let mut bytes = key.bytes();
    bytes
        .next()
        .is_some_and(|b| b.is_ascii_alphabetic() || b == b'_')
        && bytes.all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

/// What kind of JSON value `doc` is, for messages.
fn kind(doc: &Document) -> &'static str {
    match doc {
        Document::Null => "null",
        Document::Bool(_) => "a boolean",
        Document::Number(_) => "a number",
        Document::String(_) => "a string",
        Document::Array(_) => "an array",
        Document::Object(_) => "an object",
    }
}
