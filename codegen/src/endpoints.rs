//! Checks models' own endpoint tests (`smithy.rules#endpointTests`) against the runtime's
//! rules engine ([`smithgen_runtime::endpoint`]).
//!
//! Each test case is resolved with its `params`; each of its `operationInputs` is resolved
//! too, with parameters bound the way a client binds them: built-ins from `builtInParams`,
//! client context parameters from `clientParams`, then, from the operation, its
//! `operationContextParams` (a JMESPath subset evaluated on `operationParams`), its input's
//! `@contextParam` members and its `staticContextParams`, each overriding the ones before.
//! A case passes when every resolution gives the expected URL, properties and headers, or
//! the expected error message.
//!
//! The partition data ([`PARTITIONS`]) is today's. The tests of models built before the ISO
//! partitions (`aws-iso`, `aws-iso-b`, `aws-iso-e`, `aws-iso-f`) gained dual-stack endpoints
//! still expect those partitions to have none; a resolution that fails with today's data is
//! tried again with [`legacy_partitions`], and a case passing only that way is counted apart.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use serde_json::Value as Json;
use smithgen_runtime::endpoint::{
    Endpoint, EndpointError, Params, Partition, RuleSet, Value, PARTITIONS,
};
use smithgen_runtime::{Document, Number};

use crate::model::{self, Model, Shape, ShapeType};

const RULE_SET: &str = "smithy.rules#endpointRuleSet";
const TESTS: &str = "smithy.rules#endpointTests";
const CONTEXT_PARAM: &str = "smithy.rules#contextParam";
const STATIC_CONTEXT_PARAMS: &str = "smithy.rules#staticContextParams";
const OPERATION_CONTEXT_PARAMS: &str = "smithy.rules#operationContextParams";

/// The outcome of checking the endpoint tests of some models.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CheckReport {
    /// One report per service with a rule set (or per model without one), in the order the
    /// models were given.
    pub models: Vec<ModelReport>,
}

impl CheckReport {
    /// Test cases that passed, over all models.
    pub fn passed(&self) -> usize {
        self.models.iter().map(|m| m.passed).sum()
    }

    /// Test cases that failed, plus models whose rule set is missing or invalid.
    pub fn failed(&self) -> usize {
        self.models
            .iter()
            .map(|m| m.failures.len() + usize::from(m.problem.is_some()))
            .sum()
    }

    /// Test cases skipped, over all models.
    pub fn skipped(&self) -> usize {
        self.models.iter().map(|m| m.skipped).sum()
    }

    /// Passed test cases that needed [`legacy_partitions`], over all models.
    pub fn legacy(&self) -> usize {
        self.models.iter().map(|m| m.legacy).sum()
    }
}

impl fmt::Display for CheckReport {
    /// One line per model, `path (service): passed/total`, then its failures indented, then
    /// `N passed, M failed` (then `, K skipped` when some were, and how many passes needed
    /// the older partition data).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for model in &self.models {
            writeln!(f, "{model}")?;
            for failure in &model.failures {
                writeln!(f, "  {failure}")?;
            }
        }
        write!(f, "{} passed, {} failed", self.passed(), self.failed())?;
        if self.skipped() > 0 {
            write!(f, ", {} skipped", self.skipped())?;
        }
        if self.legacy() > 0 {
            write!(
                f,
                " ({} of the passes with the older ISO partition data)",
                self.legacy()
            )?;
        }
        writeln!(f)
    }
}

/// The endpoint tests of one service.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ModelReport {
    /// The model file.
    pub path: PathBuf,
    /// The service shape id (empty when the model has no service with a rule set).
    pub service: String,
    /// Test cases.
    pub total: usize,
    /// Test cases that passed.
    pub passed: usize,
    /// Test cases not run: every resolution they ask for needs what the checker cannot bind.
    pub skipped: usize,
    /// Resolutions made for `operationInputs` (besides those for `params`).
    pub operation_runs: usize,
    /// Passed test cases that expect the partition data of [`legacy_partitions`].
    pub legacy: usize,
    /// The test cases that failed.
    pub failures: Vec<Failure>,
    /// Why no test could run: no rule set, or one that does not parse.
    pub problem: Option<String>,
}

impl fmt::Display for ModelReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.path.display())?;
        if !self.service.is_empty() {
            write!(f, " ({})", self.service)?;
        }
        write!(f, ": {}/{}", self.passed, self.total)?;
        if self.skipped > 0 {
            write!(f, " ({} skipped)", self.skipped)?;
        }
        if self.legacy > 0 {
            write!(f, " ({} with the older ISO partition data)", self.legacy)?;
        }
        if let Some(problem) = &self.problem {
            write!(f, ": {problem}")?;
        }
        Ok(())
    }
}

/// A test case that failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failure {
    /// Its index in `testCases`.
    pub index: usize,
    /// Its `documentation`.
    pub documentation: String,
    /// What differed.
    pub problem: String,
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "testCases[{}] {:?}: {}",
            self.index, self.documentation, self.problem
        )
    }
}

/// Loads each model file and runs the endpoint tests of each of its services.
///
/// # Errors
///
/// If a model cannot be loaded. Failing tests and invalid rule sets are not errors: they are
/// in the report.
pub fn check_models(paths: &[PathBuf]) -> Result<CheckReport, String> {
    let mut report = CheckReport::default();
    for path in paths {
        let model = model::load_files(std::slice::from_ref(path)).map_err(|e| e.to_string())?;
        let services: Vec<&Shape> = model
            .services()
            .filter(|s| s.traits.has(RULE_SET))
            .collect();
        if services.is_empty() {
            report.models.push(ModelReport {
                path: path.clone(),
                problem: Some(format!("no service has a `{RULE_SET}` trait")),
                ..ModelReport::default()
            });
        }
        for service in services {
            report.models.push(check_service(path, &model, service));
        }
    }
    Ok(report)
}

/// Runs the endpoint tests of one service.
fn check_service(path: &Path, model: &Model, service: &Shape) -> ModelReport {
    let mut report = ModelReport {
        path: path.to_path_buf(),
        service: service.id.to_string(),
        ..ModelReport::default()
    };
    let cases = service
        .traits
        .get(TESTS)
        .and_then(|t| t.get("testCases"))
        .and_then(Json::as_array)
        .map_or(&[][..], Vec::as_slice);
    report.total = cases.len();
    let rules = service
        .traits
        .get(RULE_SET)
        .ok_or_else(|| "no rule set".to_owned())
        .and_then(|v| serde_json::to_string(v).map_err(|e| e.to_string()))
        .and_then(|text| RuleSet::from_json(&text).map_err(|e| e.to_string()));
    let rules = match rules {
        Ok(rules) => rules,
        Err(e) => {
            report.problem = Some(format!("invalid `{RULE_SET}`: {e}"));
            return report;
        }
    };
    let context = Context {
        model,
        service,
        rules: &rules,
    };
    for (index, case) in cases.iter().enumerate() {
        match context.run_case(case) {
            Outcome::Passed {
                operation_runs,
                legacy,
            } => {
                report.passed += 1;
                report.operation_runs += operation_runs;
                report.legacy += usize::from(legacy);
            }
            Outcome::Skipped => report.skipped += 1,
            Outcome::Failed(problem) => report.failures.push(Failure {
                index,
                documentation: case
                    .get("documentation")
                    .and_then(Json::as_str)
                    .unwrap_or_default()
                    .to_owned(),
                problem,
            }),
        }
    }
    report
}

/// The indexes of the service's endpoint test cases that pass only with
/// [`legacy_partitions`] (written before the ISO partitions gained dual-stack endpoints).
pub fn legacy_only_cases(model: &Model, service: &Shape) -> std::collections::BTreeSet<usize> {
    let report = check_service(Path::new(""), model, service);
    let cases = service
        .traits
        .get(TESTS)
        .and_then(|t| t.get("testCases"))
        .and_then(Json::as_array)
        .map_or(&[][..], Vec::as_slice);
    let Ok(rules) = service
        .traits
        .get(RULE_SET)
        .and_then(|v| serde_json::to_string(v).ok())
        .ok_or(())
        .and_then(|text| RuleSet::from_json(&text).map_err(|_| ()))
    else {
        return Default::default();
    };
    if report.legacy == 0 {
        return Default::default();
    }
    let context = Context {
        model,
        service,
        rules: &rules,
    };
    cases
        .iter()
        .enumerate()
        .filter(|(_, case)| matches!(context.run_case(case), Outcome::Passed { legacy: true, .. }))
        .map(|(i, _)| i)
        .collect()
}

/// The partitions as the SDKs described them before the ISO partitions (`aws-iso`,
/// `aws-iso-b`, `aws-iso-e`, `aws-iso-f`) gained dual-stack endpoints: without dual-stack
/// support, their dual-stack DNS suffix their plain one. The endpoint tests of models built
/// before that change expect this data.
pub fn legacy_partitions() -> &'static [Partition] {
    static TABLE: OnceLock<Vec<Partition>> = OnceLock::new();
    TABLE.get_or_init(|| {
        PARTITIONS
            .iter()
            .map(|partition| {
                let mut partition = *partition;
                if partition.id.starts_with("aws-iso") {
                    partition.supports_dual_stack = false;
                    partition.dual_stack_dns_suffix = partition.dns_suffix;
                }
                partition
            })
            .collect()
    })
}

enum Outcome {
    Passed { operation_runs: usize, legacy: bool },
    Skipped,
    Failed(String),
}

struct Context<'a> {
    model: &'a Model,
    service: &'a Shape,
    rules: &'a RuleSet,
}

impl Context<'_> {
    fn run_case(&self, case: &Json) -> Outcome {
        let Some(expect) = case.get("expect") else {
            return Outcome::Failed("the test case has no `expect`".to_owned());
        };
        let inputs = case
            .get("operationInputs")
            .and_then(Json::as_array)
            .map_or(&[][..], Vec::as_slice);
        let mut problems = Vec::new();
        let mut resolved = 0;
        let mut legacy = false;
        // `params` is run when given, and when there is nothing else to run.
        if case.get("params").is_some() || inputs.is_empty() {
            let params = match case.get("params") {
                None => Ok(Params::new()),
                Some(params) => self.params_from(params),
            };
            match params {
                Ok(params) => {
                    resolved += 1;
                    match self.check(expect, &params) {
                        Ok(needed_legacy) => legacy |= needed_legacy,
                        Err(problem) => problems.push(problem),
                    }
                }
                Err(problem) => problems.push(problem),
            }
        }
        let mut operation_runs = 0;
        for (i, input) in inputs.iter().enumerate() {
            let name = input
                .get("operationName")
                .and_then(Json::as_str)
                .unwrap_or("?");
            match self.bind_operation_input(input) {
                Binding::Bound(params) => {
                    operation_runs += 1;
                    resolved += 1;
                    match self.check(expect, &params) {
                        Ok(needed_legacy) => legacy |= needed_legacy,
                        Err(problem) => {
                            problems.push(format!("operationInputs[{i}] ({name}): {problem}"));
                        }
                    }
                }
                Binding::Unsupported => {}
                Binding::Invalid(problem) => {
                    problems.push(format!("operationInputs[{i}] ({name}): {problem}"));
                }
            }
        }
        if !problems.is_empty() {
            Outcome::Failed(problems.join("; "))
        } else if resolved == 0 {
            Outcome::Skipped
        } else {
            Outcome::Passed {
                operation_runs,
                legacy,
            }
        }
    }

    /// Resolves `params` and compares with `expect`: `Ok(false)` when today's partitions
    /// give what is expected, `Ok(true)` when only [`legacy_partitions`] do.
    fn check(&self, expect: &Json, params: &Params) -> Result<bool, String> {
        let problem = match compare(expect, self.rules.resolve(params)) {
            Ok(()) => return Ok(false),
            Err(problem) => problem,
        };
        match compare(
            expect,
            self.rules
                .resolve_with_partitions(params, legacy_partitions()),
        ) {
            Ok(()) => Ok(true),
            Err(_) => Err(problem),
        }
    }

    /// Parameters from a test case's `params` object.
    fn params_from(&self, params: &Json) -> Result<Params, String> {
        let object = params
            .as_object()
            .ok_or_else(|| "`params` is not an object".to_owned())?;
        let mut out = Params::new();
        for (name, value) in object {
            let value =
                value_of(value).ok_or_else(|| format!("parameter `{name}` has value {value}"))?;
            out.set(name.clone(), value);
        }
        Ok(out)
    }

    /// The parameters a client would bind for one `operationInputs` entry.
    fn bind_operation_input(&self, input: &Json) -> Binding {
        let mut params = Params::new();
        // Least specific first: each later source overrides the earlier ones.
        if let Some(built_ins) = input.get("builtInParams").and_then(Json::as_object) {
            for (built_in, value) in built_ins {
                let Some(value) = value_of(value) else {
                    return Binding::Invalid(format!("built-in `{built_in}` has value {value}"));
                };
                for parameter in self.rules.parameters() {
                    if parameter.built_in() == Some(built_in.as_str()) {
                        params.set(parameter.name().to_owned(), value.clone());
                    }
                }
            }
        }
        if let Some(client) = input.get("clientParams").and_then(Json::as_object) {
            for (name, value) in client {
                let Some(value) = value_of(value) else {
                    return Binding::Invalid(format!(
                        "client parameter `{name}` has value {value}"
                    ));
                };
                if self.rules.parameter(name).is_some() {
                    params.set(name.clone(), value);
                }
            }
        }
        let Some(name) = input.get("operationName").and_then(Json::as_str) else {
            return Binding::Invalid("no `operationName`".to_owned());
        };
        let Some(operation) = self.operation(name) else {
            return Binding::Invalid(format!("the model has no operation `{name}`"));
        };
        let empty = Json::Object(serde_json::Map::new());
        let operation_params = input.get("operationParams").unwrap_or(&empty);
        if let Some(paths) = operation
            .traits
            .get(OPERATION_CONTEXT_PARAMS)
            .and_then(Json::as_object)
        {
            for (param, definition) in paths {
                let Some(path) = definition.get("path").and_then(Json::as_str) else {
                    return Binding::Invalid(format!(
                        "`{param}` of {OPERATION_CONTEXT_PARAMS} has no `path`"
                    ));
                };
                let Some(expression) = jmespath::parse(path) else {
                    return Binding::Unsupported;
                };
                if let Some(value) = value_of(&jmespath::eval(&expression, operation_params)) {
                    params.set(param.clone(), value);
                }
            }
        }
        if let Some(input_shape) = operation
            .relations
            .input
            .as_ref()
            .and_then(|id| self.model.shape(id.as_str()))
        {
            for member in &input_shape.members {
                let Some(param) = member
                    .traits
                    .get(CONTEXT_PARAM)
                    .and_then(|t| t.get("name"))
                    .and_then(Json::as_str)
                else {
                    continue;
                };
                if let Some(value) = operation_params.get(&member.name).and_then(value_of) {
                    params.set(param.to_owned(), value);
                }
            }
        }
        if let Some(statics) = operation
            .traits
            .get(STATIC_CONTEXT_PARAMS)
            .and_then(Json::as_object)
        {
            for (param, definition) in statics {
                match definition.get("value").and_then(value_of) {
                    Some(value) => {
                        params.set(param.clone(), value);
                    }
                    None => {
                        return Binding::Invalid(format!(
                            "`{param}` of {STATIC_CONTEXT_PARAMS} has no usable `value`"
                        ))
                    }
                }
            }
        }
        Binding::Bound(params)
    }

    /// The operation named `name`, preferably in the service's namespace.
    fn operation(&self, name: &str) -> Option<&Shape> {
        let namespace = self.service.id.namespace();
        let mut candidates = self
            .model
            .shapes()
            .filter(|s| s.kind == ShapeType::Operation && s.id.name() == name);
        let first = candidates.next()?;
        if first.id.namespace() == namespace {
            return Some(first);
        }
        Some(
            candidates
                .find(|s| s.id.namespace() == namespace)
                .unwrap_or(first),
        )
    }
}

enum Binding {
    Bound(Params),
    /// Binding needs something the checker does not implement (a JMESPath expression
    /// outside the subset).
    Unsupported,
    /// The test case or model is wrong.
    Invalid(String),
}

/// A parameter value from JSON: a string, a boolean or an array of strings.
fn value_of(json: &Json) -> Option<Value> {
    match json {
        Json::String(s) => Some(Value::String(s.clone())),
        Json::Bool(b) => Some(Value::Bool(*b)),
        Json::Array(items) => items
            .iter()
            .map(|item| item.as_str().map(str::to_owned))
            .collect::<Option<Vec<_>>>()
            .map(Value::StringArray),
        _ => None,
    }
}

/// Compares a resolution with a test's `expect`.
fn compare(expect: &Json, actual: Result<Endpoint, EndpointError>) -> Result<(), String> {
    if let Some(message) = expect.get("error") {
        let message = message.as_str().unwrap_or_default();
        return match actual {
            Err(e) if e.message() == message => Ok(()),
            Err(e) => Err(format!(
                "expected error {message:?}, got error {:?}",
                e.message()
            )),
            Ok(endpoint) => Err(format!(
                "expected error {message:?}, got endpoint {:?}",
                endpoint.url
            )),
        };
    }
    let Some(expected) = expect.get("endpoint") else {
        return Err("`expect` has neither `endpoint` nor `error`".to_owned());
    };
    let endpoint = match actual {
        Ok(endpoint) => endpoint,
        Err(e) => {
            let url = expected.get("url").and_then(Json::as_str).unwrap_or("?");
            return Err(format!(
                "expected endpoint {url:?}, got error {:?}",
                e.message()
            ));
        }
    };
    let mut problems = Vec::new();
    let url = expected
        .get("url")
        .and_then(Json::as_str)
        .unwrap_or_default();
    if endpoint.url != url {
        problems.push(format!("url: expected {url:?}, got {:?}", endpoint.url));
    }
    let empty = Json::Object(serde_json::Map::new());
    let expected_properties = expected.get("properties").unwrap_or(&empty);
    let properties = json_of(&endpoint.properties);
    if &properties != expected_properties {
        problems.push(format!(
            "properties: expected {expected_properties}, got {properties}"
        ));
    }
    let expected_headers: BTreeMap<String, Json> = expected
        .get("headers")
        .and_then(Json::as_object)
        .map(|h| h.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
        .unwrap_or_default();
    let headers: BTreeMap<String, Json> = endpoint
        .headers
        .iter()
        .map(|(name, values)| (name.clone(), Json::from(values.clone())))
        .collect();
    if headers != expected_headers {
        problems.push(format!(
            "headers: expected {}, got {}",
            Json::from_iter(expected_headers),
            Json::from_iter(headers)
        ));
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("; "))
    }
}

/// A runtime document as JSON.
fn json_of(document: &Document) -> Json {
    match document {
        Document::Null => Json::Null,
        Document::Bool(b) => Json::Bool(*b),
        Document::Number(Number::PosInt(n)) => Json::from(*n),
        Document::Number(Number::NegInt(n)) => Json::from(*n),
        Document::Number(Number::Float(f)) => {
            serde_json::Number::from_f64(*f).map_or(Json::Null, Json::Number)
        }
        Document::String(s) => Json::String(s.clone()),
        Document::Array(items) => Json::Array(items.iter().map(json_of).collect()),
        Document::Object(members) => Json::Object(
            members
                .iter()
                .map(|(k, v)| (k.clone(), json_of(v)))
                .collect(),
        ),
    }
}

/// The subset of JMESPath that `operationContextParams` paths may use: identifiers,
/// sub-expressions (`a.b`), list and object wildcards (`a[*].b`, `*.b`), flattening (`a[]`),
/// indexes (`a[0]`), multi-select lists (`[a, b]`) and `keys(…)`.
mod jmespath {
    use serde_json::Value as Json;

    /// One step of an expression.
    #[derive(Debug, Clone, PartialEq)]
    pub(super) enum Step {
        Field(String),
        Index(i64),
        /// `[*]`: the rest of the expression applies to each element.
        ListProjection,
        /// `*`: the rest applies to each value of an object.
        ObjectProjection,
        /// `[]`: flatten one level, then project.
        Flatten,
        /// `[a, b]`.
        MultiSelect(Vec<Vec<Step>>),
        /// `keys(expr)`.
        Keys(Vec<Step>),
    }

    /// Parses an expression, or `None` if it is outside the subset.
    pub(super) fn parse(text: &str) -> Option<Vec<Step>> {
        let mut parser = Parser {
            bytes: text.as_bytes(),
            pos: 0,
            depth: 0,
        };
        let steps = parser.expression()?;
        parser.skip_space();
        (parser.pos == parser.bytes.len()).then_some(steps)
    }

    struct Parser<'a> {
        bytes: &'a [u8],
        pos: usize,
        depth: usize,
    }

    impl Parser<'_> {
        fn peek(&self) -> Option<u8> {
            self.bytes.get(self.pos).copied()
        }

        fn skip_space(&mut self) {
            while self.peek().is_some_and(|b| b.is_ascii_whitespace()) {
                self.pos += 1;
            }
        }

        fn eat(&mut self, text: &str) -> bool {
            self.skip_space();
            if self.bytes[self.pos..].starts_with(text.as_bytes()) {
                self.pos += text.len();
                true
            } else {
                false
            }
        }

        fn expression(&mut self) -> Option<Vec<Step>> {
            self.depth += 1;
            if self.depth > 32 {
                return None;
            }
            let mut steps = Vec::new();
            self.step(&mut steps, true)?;
            loop {
                if self.eat(".") {
                    self.step(&mut steps, false)?;
                } else if self.peek_bracket() {
                    self.bracket(&mut steps)?;
                } else {
                    break;
                }
            }
            self.depth -= 1;
            Some(steps)
        }

        fn peek_bracket(&mut self) -> bool {
            self.skip_space();
            self.peek() == Some(b'[')
        }

        /// A step after `.` (or at the start).
        fn step(&mut self, steps: &mut Vec<Step>, first: bool) -> Option<()> {
            self.skip_space();
            if self.eat("keys(") {
                let inner = self.expression()?;
                if !self.eat(")") {
                    return None;
                }
                steps.push(Step::Keys(inner));
                return Some(());
            }
            match self.peek()? {
                b'*' => {
                    self.pos += 1;
                    steps.push(Step::ObjectProjection);
                }
                b'[' if first => self.bracket(steps)?,
                b'[' => {
                    // `a.[b, c]`: a multi-select.
                    self.pos += 1;
                    steps.push(Step::MultiSelect(self.multi_select()?));
                }
                b'"' => {
                    self.pos += 1;
                    let start = self.pos;
                    while self.peek()? != b'"' {
                        if self.peek()? == b'\\' {
                            return None;
                        }
                        self.pos += 1;
                    }
                    let name = std::str::from_utf8(&self.bytes[start..self.pos]).ok()?;
                    self.pos += 1;
                    steps.push(Step::Field(name.to_owned()));
                }
                b if b.is_ascii_alphabetic() || b == b'_' => {
                    let start = self.pos;
                    while self
                        .peek()
                        .is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_')
                    {
                        self.pos += 1;
                    }
                    let name = std::str::from_utf8(&self.bytes[start..self.pos]).ok()?;
                    steps.push(Step::Field(name.to_owned()));
                }
                _ => return None,
            }
            Some(())
        }

        /// `[*]`, `[]`, `[n]` or a multi-select `[a, b]`.
        fn bracket(&mut self, steps: &mut Vec<Step>) -> Option<()> {
            if !self.eat("[") {
                return None;
            }
            if self.eat("*") {
                if !self.eat("]") {
                    return None;
                }
                steps.push(Step::ListProjection);
            } else if self.eat("]") {
                steps.push(Step::Flatten);
            } else if self.peek().is_some_and(|b| b.is_ascii_digit() || b == b'-') {
                let start = self.pos;
                self.pos += 1;
                while self.peek().is_some_and(|b| b.is_ascii_digit()) {
                    self.pos += 1;
                }
                let index = std::str::from_utf8(&self.bytes[start..self.pos])
                    .ok()?
                    .parse()
                    .ok()?;
                if !self.eat("]") {
                    return None;
                }
                steps.push(Step::Index(index));
            } else {
                steps.push(Step::MultiSelect(self.multi_select()?));
            }
            Some(())
        }

        /// The expressions of a multi-select list, after its `[`.
        fn multi_select(&mut self) -> Option<Vec<Vec<Step>>> {
            let mut items = vec![self.expression()?];
            while self.eat(",") {
                items.push(self.expression()?);
            }
            self.eat("]").then_some(items)
        }
    }

    /// Evaluates `steps` on `value` with JMESPath's semantics: missing values are `null`,
    /// and projections drop `null` results.
    pub(super) fn eval(steps: &[Step], value: &Json) -> Json {
        let Some((step, rest)) = steps.split_first() else {
            return value.clone();
        };
        match step {
            Step::Field(name) => match value.get(name) {
                Some(inner) if value.is_object() => eval(rest, inner),
                _ => Json::Null,
            },
            Step::Index(index) => match value.as_array() {
                Some(items) => {
                    let len = i64::try_from(items.len()).unwrap_or(i64::MAX);
                    let at = if *index < 0 { len + index } else { *index };
                    usize::try_from(at)
                        .ok()
                        .and_then(|at| items.get(at))
                        .map_or(Json::Null, |item| eval(rest, item))
                }
                None => Json::Null,
            },
            Step::ListProjection => match value.as_array() {
                Some(items) => project(items.iter(), rest),
                None => Json::Null,
            },
            Step::ObjectProjection => match value.as_object() {
                Some(members) => project(members.values(), rest),
                None => Json::Null,
            },
            Step::Flatten => match value.as_array() {
                Some(items) => {
                    let flat: Vec<&Json> = items
                        .iter()
                        .flat_map(|item| match item.as_array() {
                            Some(inner) => inner.iter().collect::<Vec<_>>(),
                            None => vec![item],
                        })
                        .collect();
                    project(flat.into_iter(), rest)
                }
                None => Json::Null,
            },
            Step::MultiSelect(items) => {
                if value.is_null() {
                    return Json::Null;
                }
                let list = Json::Array(items.iter().map(|item| eval(item, value)).collect());
                eval(rest, &list)
            }
            Step::Keys(inner) => match eval(inner, value) {
                Json::Object(members) => {
                    let keys = Json::Array(members.keys().cloned().map(Json::String).collect());
                    eval(rest, &keys)
                }
                _ => Json::Null,
            },
        }
    }

    fn project<'a>(items: impl Iterator<Item = &'a Json>, rest: &[Step]) -> Json {
        Json::Array(
            items
                .map(|item| eval(rest, item))
                .filter(|v| !v.is_null())
                .collect(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn jp(path: &str, value: Json) -> Json {
        jmespath::eval(&jmespath::parse(path).expect(path), &value)
    }

    #[test]
    fn jmespath_subset() {
        let input = json!({
            "RequestItems": {"t1": {"Keys": []}, "t2": {}},
            "TransactItems": [
                {"Get": {"TableName": "a"}},
                {"Put": {"TableName": "b"}},
                {"Get": {"TableName": "c"}}
            ],
            "TableCreationParameters": {"TableName": "x"},
            "Nested": [[1, 2], [3], 4],
            "Obj": {"a": {"n": 1}, "b": {"n": 2}}
        });
        assert_eq!(jp("keys(RequestItems)", input.clone()), json!(["t1", "t2"]));
        assert_eq!(
            jp("TransactItems[*].Get.TableName", input.clone()),
            json!(["a", "c"])
        );
        assert_eq!(
            jp("TableCreationParameters.TableName", input.clone()),
            json!("x")
        );
        assert_eq!(jp("Missing.TableName", input.clone()), Json::Null);
        assert_eq!(jp("Nested[]", input.clone()), json!([1, 2, 3, 4]));
        assert_eq!(
            jp("TransactItems[-1].Get.TableName", input.clone()),
            json!("c")
        );
        assert_eq!(jp("Obj.*.n", input.clone()), json!([1, 2]));
        assert_eq!(
            jp(
                "[TableCreationParameters.TableName, TransactItems[0].Get.TableName]",
                input.clone()
            ),
            json!(["x", "a"])
        );
        assert_eq!(
            jp("\"TableCreationParameters\".TableName", input),
            json!("x")
        );
        for unsupported in ["a | b", "a[?b]", "length(a)", "a.", "", "a[1:2]", "a[*"] {
            assert_eq!(jmespath::parse(unsupported), None, "{unsupported}");
        }
    }

    #[test]
    fn compare_reports_differences() {
        let endpoint = Endpoint {
            url: "https://a".to_owned(),
            properties: Document::Object(BTreeMap::from([(
                "authSchemes".to_owned(),
                Document::Array(vec![Document::Object(BTreeMap::from([(
                    "name".to_owned(),
                    Document::from("sigv4"),
                )]))]),
            )])),
            headers: vec![("x-a".to_owned(), vec!["1".to_owned()])],
        };
        let expect = json!({"endpoint": {
            "url": "https://a",
            "properties": {"authSchemes": [{"name": "sigv4"}]},
            "headers": {"x-a": ["1"]}
        }});
        assert_eq!(compare(&expect, Ok(endpoint.clone())), Ok(()));
        let other = json!({"endpoint": {"url": "https://b"}});
        let problem = compare(&other, Ok(endpoint.clone())).unwrap_err();
        assert!(problem.starts_with(r#"url: expected "https://b", got "https://a"; properties: expected {}, got {"authSchemes""#), "{problem}");
        assert!(
            problem.contains(r#"headers: expected {}, got {"x-a":["1"]}"#),
            "{problem}"
        );
        let error = json!({"error": "boom"});
        assert_eq!(
            compare(&error, Ok(endpoint)),
            Err(r#"expected error "boom", got endpoint "https://a""#.to_owned())
        );
    }

    fn repo() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
    }

    #[test]
    fn the_shipped_lightsail_model_passes() {
        let report = check_models(&[repo().join("models/lightsail.json")]).unwrap();
        assert_eq!(report.models.len(), 1, "{report}");
        let model = &report.models[0];
        assert_eq!(model.service, "com.amazonaws.lightsail#Lightsail_20161128");
        assert!(model.total >= 30, "{report}");
        assert_eq!(
            (model.passed, report.failed()),
            (model.total, 0),
            "{report}"
        );
        // Its tests follow today's partition data (dual-stack in the ISO partitions).
        assert_eq!(model.legacy, 0, "{report}");
        let text = report.to_string();
        assert!(
            text.ends_with(&format!("{} passed, 0 failed\n", model.total)),
            "{text}"
        );
    }

    #[test]
    fn the_aws_models_pass() {
        let dir = repo().join("../shared/models/aws");
        let Ok(entries) = std::fs::read_dir(&dir) else {
            eprintln!("skipped: ../shared is not beside the repository");
            return;
        };
        let mut paths: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
            .collect();
        paths.sort();
        let report = check_models(&paths).unwrap();
        eprint!("{report}");
        assert_eq!(report.failed(), 0, "{report}");
        assert_eq!(report.skipped(), 0, "{report}");
        assert!(report.passed() > 0);
        // DynamoDB's cases with `operationInputs` bind built-ins, `@contextParam` members and
        // `operationContextParams`.
        if let Some(dynamodb) = report
            .models
            .iter()
            .find(|m| m.service.contains("DynamoDB"))
        {
            assert!(dynamodb.operation_runs >= 100, "{report}");
        }
    }

    #[test]
    fn failures_and_bad_rule_sets_are_reported() {
        let dir = std::env::temp_dir().join(format!("smithgen-endpoints-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let model = |rule_set: Json, tests: Json| {
            json!({
                "smithy": "2.0",
                "shapes": {
                    "example#Svc": {
                        "type": "service",
                        "version": "1",
                        "operations": [{"target": "example#Op"}],
                        "traits": {RULE_SET: rule_set, TESTS: tests}
                    },
                    "example#Op": {
                        "type": "operation",
                        "input": {"target": "example#OpInput"},
                        "traits": {STATIC_CONTEXT_PARAMS: {"Static": {"value": "s"}}}
                    },
                    "example#OpInput": {
                        "type": "structure",
                        "members": {
                            "Name": {"target": "smithy.api#String", "traits": {CONTEXT_PARAM: {"name": "Name"}}}
                        }
                    }
                }
            })
        };
        let rule_set = json!({
            "version": "1.0",
            "parameters": {
                "Region": {"type": "String", "builtIn": "AWS::Region", "documentation": "d"},
                "Name": {"type": "String", "documentation": "d"},
                "Static": {"type": "String", "documentation": "d"}
            },
            "rules": [
                {"type": "endpoint", "conditions": [{"fn": "isSet", "argv": [{"ref": "Name"}]}, {"fn": "isSet", "argv": [{"ref": "Static"}]}],
                 "endpoint": {"url": "https://{Name}.{Static}.{Region}"}},
                {"type": "endpoint", "conditions": [{"fn": "isSet", "argv": [{"ref": "Region"}]}],
                 "endpoint": {"url": "https://{Region}"}},
                {"type": "error", "conditions": [], "error": "no region"}
            ]
        });
        let tests = json!({"version": "1.0", "testCases": [
            {"documentation": "ok", "params": {"Region": "r"}, "expect": {"endpoint": {"url": "https://r"}}},
            {"documentation": "wrong url", "params": {"Region": "r"}, "expect": {"endpoint": {"url": "https://x"}}},
            {"documentation": "error", "expect": {"error": "no region"}},
            {"documentation": "bound", "operationInputs": [{
                "operationName": "Op",
                "builtInParams": {"AWS::Region": "r"},
                "operationParams": {"Name": "n"}
             }], "expect": {"endpoint": {"url": "https://n.s.r"}}},
            {"documentation": "unknown op", "operationInputs": [{"operationName": "Nope"}],
             "expect": {"error": "no region"}}
        ]});
        let good = dir.join("good.json");
        std::fs::write(&good, model(rule_set.clone(), tests).to_string()).unwrap();
        let mut broken = rule_set;
        broken["rules"][0]["conditions"][0]["fn"] = json!("isSett");
        let bad = dir.join("bad.json");
        std::fs::write(
            &bad,
            model(broken, json!({"version": "1.0", "testCases": []})).to_string(),
        )
        .unwrap();
        let report = check_models(&[good.clone(), bad]).unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
        let first = &report.models[0];
        assert_eq!(
            (first.passed, first.total, first.operation_runs),
            (3, 5, 1),
            "{report}"
        );
        assert_eq!(first.failures.len(), 2, "{report}");
        assert_eq!(first.failures[0].index, 1);
        assert_eq!(first.failures[0].documentation, "wrong url");
        assert_eq!(
            first.failures[0].problem,
            r#"url: expected "https://x", got "https://r""#
        );
        assert_eq!(
            first.failures[1].problem,
            "operationInputs[0] (Nope): the model has no operation `Nope`"
        );
        let second = &report.models[1];
        assert_eq!(
            second.problem.as_deref(),
            Some("invalid `smithy.rules#endpointRuleSet`: rules[0].conditions[0].argv: unknown function `isSett`")
        );
        assert_eq!((report.passed(), report.failed()), (3, 3));
        let text = report.to_string();
        assert!(
            text.contains(&format!("{} (example#Svc): 3/5\n", good.display())),
            "{text}"
        );
        assert!(
            text.contains("  testCases[1] \"wrong url\": url: expected"),
            "{text}"
        );
        assert!(text.ends_with("3 passed, 3 failed\n"), "{text}");
    }

    /// Resolution speed on Lightsail's rule set; run with
    /// `cargo test -p smithgen --release --lib endpoints::tests::resolution_speed -- --ignored --nocapture`.
    #[test]
    #[ignore = "a measurement, not a test"]
    fn resolution_speed() {
        let model = model::load_files(&[repo().join("models/lightsail.json")]).unwrap();
        let service = model.services().next().unwrap();
        let text = serde_json::to_string(service.traits.get(RULE_SET).unwrap()).unwrap();
        let start = std::time::Instant::now();
        let rules = RuleSet::from_json(&text).unwrap();
        eprintln!("parse: {:?} for {} bytes", start.elapsed(), text.len());
        for (label, params) in [
            ("us-east-1", Params::new().with("Region", "us-east-1")),
            (
                "us-gov-west-1 FIPS",
                Params::new()
                    .with("Region", "us-gov-west-1")
                    .with("UseFIPS", true),
            ),
            (
                "unknown region (regex)",
                Params::new().with("Region", "ap-future-9"),
            ),
            (
                "custom endpoint",
                Params::new()
                    .with("Region", "us-east-1")
                    .with("Endpoint", "https://example.com"),
            ),
        ] {
            let n = 200_000;
            let start = std::time::Instant::now();
            for _ in 0..n {
                std::hint::black_box(rules.resolve(std::hint::black_box(&params)).unwrap());
            }
            let per_call = start.elapsed() / n;
            eprintln!("{label}: {per_call:?} per resolve");
        }
    }
}
