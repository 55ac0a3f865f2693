//! smithgen: Smithy models in, Rust out.
//!
//! The pipeline runs one way: [`model`] loads and validates JSON AST files, [`select`] takes
//! the closure of one service (optionally a subset of its operations), [`symbols`] decides
//! every Rust name, [`emit`](mod@emit) produces token trees, and [`write`](mod@write) formats them with
//! prettyplease and writes (or checks) files.
//!
//! [`generate_crate`] runs the whole pipeline and returns the files of a crate; [`Config`] is the
//! build-script API, writing one file into `OUT_DIR`.

#![forbid(unsafe_code)]

mod build;
pub mod diff;
pub mod emit;
pub mod endpoints;
pub mod model;
pub mod protocol_tests;
pub mod select;
pub mod symbols;
pub mod write;

use std::path::{Path, PathBuf};

use proc_macro2::TokenStream;
use quote::quote;

pub use build::Config;
use model::{Diagnostics, Model};
use write::{OutputFile, WriteError};

/// The version of smithgen, written into every generated file's header.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The oldest Rust that builds smithgen, smithgen-runtime and generated crates (their
/// `rust-version`).
pub const RUST_VERSION: &str = env!("CARGO_PKG_RUST_VERSION");

/// How a generated crate depends on `smithgen-runtime`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum RuntimeDependency {
    /// The runtime this smithgen was built from, by absolute path, when its source is still
    /// there (a checkout, `cargo install --path codegen`, or a git dependency); otherwise the
    /// registry version matching smithgen's (a smithgen installed from a registry comes with a
    /// runtime published there at the same version). See [`built_runtime_dir`].
    #[default]
    BuiltWith,
    /// `smithgen-runtime = "<smithgen's version>"` from the registry.
    Registry,
    /// `smithgen-runtime = { path = "…" }`, the path written as given.
    Path(String),
}

impl RuntimeDependency {
    /// A `--runtime-path` as typed on the command line, for a crate written to `crate_dir`: an
    /// absolute path is kept; a relative one is resolved against the current folder and written
    /// relative to the crate (which is where cargo resolves it from).
    pub fn path_from_cwd(given: &Path, crate_dir: &Path) -> RuntimeDependency {
        if given.is_absolute() {
            return RuntimeDependency::Path(given.to_string_lossy().replace('\\', "/"));
        }
        let cwd = std::env::current_dir().unwrap_or_default();
        let target = absolute(&cwd.join(given));
        let from = absolute(&cwd.join(crate_dir));
        let relative = relative_path(&from, &target);
        RuntimeDependency::Path(relative.to_string_lossy().replace('\\', "/"))
    }
}

/// `path` made absolute without requiring it to exist: its longest existing ancestor is
/// canonicalized (resolving symlinks, as cargo will) and the rest normalized lexically.
fn absolute(path: &Path) -> PathBuf {
    let normal = normalize(path);
    let mut existing = normal.clone();
    let mut rest = Vec::new();
    loop {
        if let Ok(canonical) = existing.canonicalize() {
            let mut result = canonical;
            result.extend(rest.iter().rev());
            return result;
        }
        match (
            existing.file_name().map(|n| n.to_owned()),
            existing.parent(),
        ) {
            (Some(name), Some(parent)) => {
                rest.push(name);
                existing = parent.to_path_buf();
            }
            _ => return normal,
        }
    }
}

/// Removes `.` and resolves `..` lexically.
fn normalize(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                let last_is_parent =
                    matches!(out.components().next_back(), Some(Component::ParentDir));
                if last_is_parent || !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// The path from folder `from` to `to`, both absolute and normalized (`.` when they are equal).
pub fn relative_path(from: &Path, to: &Path) -> PathBuf {
    let from: Vec<_> = from.components().collect();
    let to: Vec<_> = to.components().collect();
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    if common == 0 {
        // Different roots (another drive): only an absolute path works.
        return to.iter().collect();
    }
    let mut out = PathBuf::new();
    for _ in common..from.len() {
        out.push("..");
    }
    for c in &to[common..] {
        out.push(c.as_os_str());
    }
    if out.as_os_str().is_empty() {
        out.push(".");
    }
    out
}

/// The folder of the `smithgen-runtime` source this smithgen was compiled beside
/// (`codegen/../runtime`), if it still exists and holds that package.
pub fn built_runtime_dir() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../runtime");
    let manifest = std::fs::read_to_string(dir.join("Cargo.toml")).ok()?;
    let is_runtime = manifest
        .lines()
        .any(|l| l.replace(' ', "") == "name=\"smithgen-runtime\"");
    if !is_runtime {
        return None;
    }
    dir.canonicalize().ok()
}

/// Whether generated code can answer calls from a `Stubber` (`smithgen_runtime::client::stub`).
///
/// A client writes the shapes it sends and reads those it receives; the stubber needs the
/// other two directions too (it reads the inputs it is sent and writes the outputs and errors
/// it answers with). That code is never run outside tests and costs build time, so it is
/// generated behind a switch.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum StubSupport {
    /// Behind the crate's `test-util` feature, which the generated `Cargo.toml` declares (for a
    /// single file included by a build script, the including crate must declare it).
    #[default]
    Feature,
    /// Always compiled.
    Always,
    /// Not generated: the crate cannot be used with a `Stubber`.
    Never,
}

/// What to generate.
#[derive(Clone, Debug)]
pub struct GenerateOptions {
    /// The service shape id or name; required only when the model has several services.
    pub service: Option<String>,
    /// Only these operations (by name) and the shapes they reach.
    pub operations: Option<Vec<String>>,
    /// The package name; defaults to the service's SDK id in kebab case (`lightsail`).
    pub crate_name: Option<String>,
    /// Where the runtime comes from.
    pub runtime: RuntimeDependency,
    /// Whether the code a `Stubber` needs is generated, and how it is switched on.
    pub stubs: StubSupport,
    /// Whether the model's endpoint tests (`smithy.rules#endpointTests`) become Rust tests of
    /// the crate, behind its `endpoint-tests` feature (off unless asked for, so a user's
    /// `cargo test` does not run them). Build scripts leave them out.
    pub endpoint_tests: bool,
    /// Whether each operation's Rust example is a compiled doctest (`no_run`, naming the
    /// crate); `false` for code included into another crate (build scripts), whose path is
    /// unknown, where the example is `ignore`d.
    pub compiled_examples: bool,
    /// Whether a service whose protocol smithgen cannot speak yet is an error; when `false` (the
    /// default) its crate has types only, and [`EmittedCrate::warnings`] says why.
    pub require_client: bool,
}

impl Default for GenerateOptions {
    fn default() -> Self {
        GenerateOptions {
            service: None,
            operations: None,
            crate_name: None,
            runtime: RuntimeDependency::BuiltWith,
            stubs: StubSupport::Feature,
            endpoint_tests: true,
            compiled_examples: true,
            require_client: false,
        }
    }
}

/// Anything that stops generation.
///
/// `Debug` prints the same located messages as `Display` (and the CLI), so that a build
/// script's `fn main() -> Result<(), Box<dyn Error>>`, which prints its error with `Debug`,
/// reads like the CLI.
pub enum Error {
    /// The model is invalid, or asks for something not supported; every problem is located.
    Model(Diagnostics),
    /// Formatting or file I/O failed.
    Write(WriteError),
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::Model(d) => d.fmt(f),
            Error::Write(e) => write!(f, "error: {e}"),
        }
    }
}

impl std::fmt::Debug for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Display::fmt(self, f)
    }
}

// No `source()`: the message already holds every diagnostic, and reporters that walk the chain
// would print them twice.
impl std::error::Error for Error {}

impl From<Diagnostics> for Error {
    fn from(d: Diagnostics) -> Self {
        Error::Model(d)
    }
}

impl From<WriteError> for Error {
    fn from(e: WriteError) -> Self {
        Error::Write(e)
    }
}

/// A generated crate, ready to write.
#[derive(Clone, Debug)]
pub struct GeneratedCrate {
    /// Its package name.
    pub name: String,
    /// `Cargo.toml` and every file under `src/`.
    pub files: Vec<OutputFile>,
    /// What the user should know about the crate (a service whose protocol is not supported
    /// gets types only).
    pub warnings: Vec<String>,
}

impl GeneratedCrate {
    /// Lines of Rust emitted (all `.rs` files).
    pub fn rust_lines(&self) -> usize {
        self.files
            .iter()
            .filter(|f| f.path.ends_with(".rs"))
            .map(|f| f.contents.lines().count())
            .sum()
    }
}

/// The emitted (not yet formatted) form of a crate: the middle of the pipeline.
pub struct EmittedCrate {
    /// The package name.
    pub name: String,
    /// The module tree.
    pub root: emit::Module,
    /// Inner attributes and docs of `lib.rs`.
    pub root_inner: TokenStream,
    /// The comment that starts every file.
    pub header: String,
    /// `Cargo.toml`.
    pub manifest: String,
    /// What the user should know about the crate (see [`GeneratedCrate::warnings`]).
    pub warnings: Vec<String>,
}

/// Protocols smithgen knows of but cannot generate a client for yet.
const KNOWN_PROTOCOLS: [&str; 3] = [
    "aws.protocols#awsQuery",
    "aws.protocols#ec2Query",
    "smithy.protocols#rpcv2Cbor",
];

/// Why the service gets no client: its protocol (named), or that it declares none.
fn unsupported_protocol(service: &model::Shape) -> Option<String> {
    if emit::protocol::for_service(service).is_some() {
        return None;
    }
    Some(
        match KNOWN_PROTOCOLS.iter().find(|p| service.traits.has(p)) {
            Some(protocol) => format!("its protocol, `{protocol}`, is not supported yet"),
            None => "it declares no protocol trait smithgen supports".to_owned(),
        },
    )
}

/// Loads model files (`.json` JSON AST and `.smithy` IDL) and folders of them into one model.
pub fn load<P: AsRef<Path>>(paths: &[P]) -> Result<Model, Error> {
    Ok(model::load_files(paths)?)
}

/// Selects the service and emits the crate's token tree.
pub fn emit(model: &Model, options: &GenerateOptions) -> Result<EmittedCrate, Error> {
    let service = select::find_service(model, options.service.as_deref())?;
    let mut view = select::select(model, service, options.operations.as_deref())?;
    view.stubs = options.stubs.clone();
    view.endpoint_tests = options.endpoint_tests;
    check_endpoint_rules(service)?;
    let mut warnings = Vec::new();
    let types_only = unsupported_protocol(service);
    if let Some(why) = &types_only {
        let message = format!(
            "service `{}`: {why}; the crate has types only (no client, serializers or \
             deserializers)",
            service.id.as_str()
        );
        if options.require_client {
            return Err(Error::Model(
                model::Diagnostic::shape(
                    &service.file,
                    service.id.as_str(),
                    None,
                    format!("$.shapes[\"{}\"].traits", service.id.as_str()),
                    format!("{message}, and a client is required (--require-client)"),
                )
                .into(),
            ));
        }
        warnings.push(message);
    }
    let symbols = symbols::Symbols::new(&view);
    check_endpoint_bindings(&view, &symbols)?;
    emit::check(&view, &symbols)?;
    let name = options
        .crate_name
        .clone()
        .unwrap_or_else(|| default_crate_name(service));
    view.example_crate = options.compiled_examples.then(|| name.replace('-', "_"));
    let root = emit::emit_crate(&view, &symbols, &name);
    let header = header(model);
    let title = service
        .traits
        .get(model::trait_ids::TITLE)
        .and_then(|v| v.as_str())
        .unwrap_or(service.id.name());
    let mut crate_doc = format!("A client library for {title}, generated by smithgen.");
    if let Some(why) = &types_only {
        crate_doc.push_str(&format!(
            "\n\nThis crate has the service's types only, without a client: {why}."
        ));
    }
    if let Some(docs) = emit::shape_docs(service) {
        crate_doc.push_str("\n\n");
        crate_doc.push_str(&docs);
    }
    let doc_lines = crate_doc.lines().map(|l| {
        let l = if l.is_empty() {
            String::new()
        } else {
            format!(" {l}")
        };
        quote!(#![doc = #l])
    });
    let root_inner = quote! {
        #![forbid(unsafe_code)]
        #(#doc_lines)*
    };
    // gzip and MD5 are compiled into the runtime only for crates with an operation that asks.
    let needs = |t: &str| view.operations.iter().any(|op| op.traits.has(t));
    let mut runtime_features = Vec::new();
    if needs("smithy.api#requestCompression") {
        runtime_features.push("request-compression");
    }
    if needs("smithy.api#httpChecksumRequired") {
        runtime_features.push("content-md5");
    }
    if needs(emit::protocol::HTTP_CHECKSUM) {
        runtime_features.push("checksums");
    }
    // Event streams the client receives or sends need the message codec.
    let has_events = view.operations.iter().any(|op| {
        [&op.relations.input, &op.relations.output]
            .into_iter()
            .filter_map(|id| id.as_ref().and_then(|id| model.shape(id.as_str())))
            .any(|shape| {
                shape.members.iter().any(|m| {
                    symbols::is_event_stream_output(&view, shape, model.target(m))
                        || symbols::is_event_stream_input(&view, shape, model.target(m))
                })
            })
    });
    if has_events {
        runtime_features.push("event-stream");
    }
    let manifest = manifest(
        &name,
        &header,
        title,
        service,
        &options.runtime,
        &options.stubs,
        &runtime_features,
    );
    Ok(EmittedCrate {
        name,
        root,
        root_inner,
        header,
        manifest,
        warnings,
    })
}

/// Formats an emitted crate into files.
pub fn format(emitted: EmittedCrate) -> Result<GeneratedCrate, Error> {
    let mut files = vec![OutputFile {
        path: "Cargo.toml".into(),
        contents: emitted.manifest,
    }];
    files.extend(write::crate_files(
        emitted.root,
        &emitted.header,
        emitted.root_inner,
    )?);
    Ok(GeneratedCrate {
        name: emitted.name,
        files,
        warnings: emitted.warnings,
    })
}

/// Formats an emitted crate as one file for `include!` (what build scripts write).
pub fn format_single_file(emitted: &EmittedCrate) -> Result<String, Error> {
    Ok(write::single_file(&emitted.root, &emitted.header)?)
}

/// Runs the whole pipeline on a loaded model.
pub fn generate_crate(model: &Model, options: &GenerateOptions) -> Result<GeneratedCrate, Error> {
    format(emit(model, options)?)
}

/// The protocol tests of one service as two files for `include!`, the way a build script uses
/// them: the client (as [`format_single_file`] writes it) and its tests, which refer to the
/// client as `super::service` — include them as
/// `mod service { include!(…client…); }` and `include!(…tests…);` side by side. Also returns
/// how many cases became tests.
pub fn protocol_tests_single_files(
    model: &Model,
    service: &str,
) -> Result<(String, String, protocol_tests::Summary), Error> {
    let service = select::find_service(model, Some(service))?;
    let module = symbols::to_snake(service.id.name());
    protocol_tests_for_service(
        model,
        service.id.as_str(),
        &module,
        &RuntimeDependency::Registry,
    )
}

fn protocol_tests_for_service(
    model: &Model,
    service_id: &str,
    module: &str,
    runtime: &RuntimeDependency,
) -> Result<(String, String, protocol_tests::Summary), Error> {
    let options = GenerateOptions {
        service: Some(service_id.to_owned()),
        operations: None,
        crate_name: Some(module.to_owned()),
        runtime: runtime.clone(),
        stubs: StubSupport::Always,
        endpoint_tests: false,
        compiled_examples: false,
        require_client: true,
    };
    let emitted = emit(model, &options)?;
    let client = format_single_file(&emitted)?;
    let service = select::find_service(model, Some(service_id))?;
    let mut view = select::select(model, service, None)?;
    view.stubs = StubSupport::Always;
    view.endpoint_tests = false;
    let symbols = symbols::Symbols::new(&view);
    let (tests, summary) = protocol_tests::emit_tests(&view, &symbols)?;
    let tests = write::format_file("<protocol tests>", &emitted.header, tests)?;
    Ok((client, tests, summary))
}

/// A crate of protocol compliance tests, as `smithgen protocol-tests` writes it.
#[derive(Clone, Debug)]
pub struct ProtocolTestCrate {
    /// `Cargo.toml`, `src/lib.rs`, one `src/<service>.rs` (the client) and one
    /// `tests/<service>.rs` (its cases) per service.
    pub files: Vec<OutputFile>,
    /// Per service (by shape id): how many cases became tests.
    pub services: Vec<(String, protocol_tests::Summary)>,
    /// Services left out, and why.
    pub notes: Vec<String>,
}

/// Generates a crate holding the client of every service in `model` whose protocol smithgen
/// supports, and one test per client-side `smithy.test` case of that protocol.
pub fn generate_protocol_tests(
    model: &Model,
    crate_name: &str,
    runtime: &RuntimeDependency,
) -> Result<ProtocolTestCrate, Error> {
    let crate_ident = crate_name.replace('-', "_");
    let header = header(model);
    let mut services: Vec<&model::Shape> = model.services().collect();
    services.sort_by(|a, b| a.id.as_str().cmp(b.id.as_str()));
    let mut files = Vec::new();
    let mut summaries = Vec::new();
    let mut notes = Vec::new();
    let mut modules = Vec::new();
    let mut taken = std::collections::HashSet::new();
    for service in services {
        if protocol_tests::service_protocol(service).is_none() {
            notes.push(format!(
                "service `{}`: its protocol is not supported yet; no client or tests for it",
                service.id
            ));
            continue;
        }
        let mut module = symbols::to_snake(service.id.name());
        while !taken.insert(module.clone()) {
            module.push_str("_service");
        }
        let (client, tests, summary) =
            protocol_tests_for_service(model, service.id.as_str(), &module, runtime)?;
        files.push(OutputFile {
            path: format!("src/{module}.rs"),
            contents: client,
        });
        let krate = symbols::ident(&crate_ident);
        let module_ident = symbols::ident(&module);
        let path = format!("tests/{module}.rs");
        let contents = write::format_file(
            &path,
            &header,
            quote! {
                //! The protocol compliance cases of the service, generated by `smithgen protocol-tests`.
                #![forbid(unsafe_code)]
                use #krate::#module_ident as service;
            },
        )?;
        files.push(OutputFile {
            path,
            contents: format!(
                "{contents}{}",
                tests.strip_prefix(&header).unwrap_or(&tests)
            ),
        });
        summaries.push((service.id.as_str().to_owned(), summary));
        modules.push(module);
    }
    if modules.is_empty() {
        return Err(Error::Model(
            model::Diagnostic::file(
                model.files.first().map_or(Path::new("<model>"), |f| f.as_path()),
                "",
                "no service in the model speaks a protocol smithgen supports (awsJson1_0, awsJson1_1, restJson1)",
            )
            .into(),
        ));
    }
    let mods = modules.iter().map(|m| {
        let m = symbols::ident(m);
        quote!(pub mod #m;)
    });
    files.push(OutputFile {
        path: "src/lib.rs".into(),
        contents: write::format_file(
            "src/lib.rs",
            &header,
            quote! {
                //! Generated clients under protocol compliance tests (`smithgen protocol-tests`):
                //! one module per service; the cases are under `tests/`.
                #![forbid(unsafe_code)]
                #(#mods)*
            },
        )?,
    });
    let manifest_header = header.trim_end().replacen("//", "#", 1);
    files.push(OutputFile {
        path: "Cargo.toml".into(),
        contents: format!(
            "{manifest_header}\n\n[package]\nname = {}\nversion = \"0.1.0\"\nedition = \"2021\"\nrust-version = {}\nresolver = \"3\"\npublish = false\n\n# Its own workspace: the crate can be generated anywhere.\n[workspace]\n\n[dependencies]\n{}\n\n[dev-dependencies]\ntokio = {{ version = \"1\", default-features = false, features = [\"macros\", \"rt\"] }}\n",
            toml_string(crate_name),
            toml_string(RUST_VERSION),
            runtime_dependency(runtime, ", features = [\"protocol-test\"]"),
        ),
    });
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(ProtocolTestCrate {
        files,
        services: summaries,
        notes,
    })
}

/// The Request Syntax and Response Syntax of one operation, as `smithgen syntax` prints them.
pub fn syntax_blocks(
    model: &Model,
    service: Option<&str>,
    operation: &str,
) -> Result<String, Error> {
    let service = select::find_service(model, service)?;
    let operations = [operation.to_owned()];
    let view = select::select(model, service, Some(&operations))?;
    let op = view.operations[0];
    Ok(format!(
        "Request Syntax\n\n{}\n\nResponse Syntax\n\n{}\n",
        emit::syntax::request_syntax(&view, op),
        emit::syntax::response_syntax(&view, op)
    ))
}

/// The generated client evaluates the service's endpoint rule set at run time: it must parse
/// (known functions, arguments of the right types, well-formed templates) now.
fn check_endpoint_rules(service: &model::Shape) -> Result<(), Error> {
    const RULE_SET: &str = "smithy.rules#endpointRuleSet";
    let Some(rules) = service.traits.get(RULE_SET) else {
        return Ok(());
    };
    let text = serde_json::to_string(rules).unwrap_or_default();
    match smithgen_runtime::endpoint::RuleSet::from_json(&text) {
        Ok(_) => Ok(()),
        Err(e) => Err(Error::Model(
            model::Diagnostic::shape(
                &service.file,
                service.id.as_str(),
                None,
                format!(
                    "$.shapes[\"{}\"].traits[\"{RULE_SET}\"]",
                    service.id.as_str()
                ),
                format!("invalid endpoint rule set: {e}"),
            )
            .into(),
        )),
    }
}

/// Every selected operation's endpoint parameter bindings can be emitted; the error names each
/// operation whose cannot, and why.
fn check_endpoint_bindings(
    view: &select::ServiceView<'_>,
    symbols: &symbols::Symbols,
) -> Result<(), Error> {
    let mut problems = Vec::new();
    for operation in &view.operations {
        if let Err(e) = emit::endpoint_params::operation_bindings(view, symbols, operation) {
            problems.push(model::Diagnostic::shape(
                &operation.file,
                operation.id.as_str(),
                None,
                format!("$.shapes[\"{}\"]", operation.id.as_str()),
                format!("unsupported endpoint parameter binding: {e}"),
            ));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Error::Model(model::Diagnostics(problems)))
    }
}

fn default_crate_name(service: &model::Shape) -> String {
    let sdk_id = service
        .traits
        .get(model::trait_ids::AWS_SERVICE)
        .and_then(|v| v.get("sdkId"))
        .and_then(|v| v.as_str());
    let base = sdk_id.unwrap_or(service.id.name());
    let mut name = String::new();
    for c in base.chars() {
        if c.is_ascii_alphanumeric() {
            name.push(c.to_ascii_lowercase());
        } else if !name.ends_with('-') && !name.is_empty() {
            name.push('-');
        }
    }
    let name = name.trim_end_matches('-').to_owned();
    if name.is_empty() {
        "service".into()
    } else {
        name
    }
}

fn header(model: &Model) -> String {
    let mut names: Vec<String> = model
        .files
        .iter()
        .map(|p| {
            p.file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default()
        })
        .collect();
    names.sort();
    format!(
        "// Code generated by smithgen {VERSION} from {} (sha256 {}). DO NOT EDIT.\n\n",
        names.join(", "),
        model.digest
    )
}

fn toml_string(text: &str) -> String {
    // A TOML basic string has the same escapes as a JSON string for what we write here.
    serde_json::Value::String(text.to_owned()).to_string()
}

fn manifest(
    name: &str,
    header: &str,
    title: &str,
    service: &model::Shape,
    runtime: &RuntimeDependency,
    stubs: &StubSupport,
    runtime_features: &[&str],
) -> String {
    let header = header.trim_end().replacen("//", "#", 1);
    let version = service
        .relations
        .version
        .as_deref()
        .unwrap_or("unversioned");
    let description = toml_string(&format!(
        "{title} (API version {version}), generated by smithgen"
    ));
    let features = if runtime_features.is_empty() {
        String::new()
    } else {
        let list: Vec<String> = runtime_features.iter().map(|f| toml_string(f)).collect();
        format!(", features = [{}]", list.join(", "))
    };
    let runtime = runtime_dependency(runtime, &features);
    // Endpoint tests of operation inputs read the inputs from JSON, which `test-util` generates.
    let reads_inputs = *stubs == StubSupport::Feature
        && service
            .traits
            .get("smithy.rules#endpointTests")
            .and_then(|t| t.get("testCases"))
            .and_then(|c| c.as_array())
            .is_some_and(|cases| cases.iter().any(|c| c.get("operationInputs").is_some()));
    let mut features = format!(
        "\n[features]\n# The model's endpoint tests (smithy.rules#endpointTests) as tests of this crate: off, so\n# that depending on it adds nothing to your `cargo test`; smithgen's CI runs them with\n# `cargo test --features endpoint-tests`.\nendpoint-tests = [{}]\n",
        if reads_inputs { "\"test-util\"" } else { "" }
    );
    if *stubs == StubSupport::Feature {
        features.push_str("# Generates what `smithgen_runtime::client::stub::Stubber` needs (reading inputs, writing\n# outputs and errors): enable it in `[dev-dependencies]` for tests that stub the client.\ntest-util = []\n");
    }
    format!(
        "{header}\n\n[package]\nname = {}\nversion = \"0.1.0\"\nedition = \"2021\"\nrust-version = {rust_version}\n# The MSRV-aware resolver, so that a build on `rust-version` gets dependencies that build there.\nresolver = \"3\"\ndescription = {description}\n# smithgen's license, which its output carries (AWS's models are Apache-2.0 too).\nlicense = \"Apache-2.0\"\npublish = false\n\n[package.metadata.docs.rs]\nall-features = true\n\n[dependencies]\n{runtime}\n{features}",
        toml_string(name),
        rust_version = toml_string(RUST_VERSION),
    )
}

/// The `smithgen-runtime = …` line (with its comment) of a generated `Cargo.toml`; `extra` is
/// appended inside the dependency's table (`features = [...]`).
fn runtime_dependency(runtime: &RuntimeDependency, extra: &str) -> String {
    let registry = || {
        if extra.is_empty() {
            format!(
                "# smithgen-runtime from the registry, the version of the smithgen that generated this\n\
                 # crate (pass `--runtime-path` to use a checkout instead).\n\
                 smithgen-runtime = {}",
                toml_string(VERSION)
            )
        } else {
            format!(
                "# smithgen-runtime from the registry, the version of the smithgen that generated this\n\
                 # crate (pass `--runtime-path` to use a checkout instead).\n\
                 smithgen-runtime = {{ version = {}{extra} }}",
                toml_string(VERSION)
            )
        }
    };
    match runtime {
        RuntimeDependency::Registry => registry(),
        RuntimeDependency::BuiltWith => match built_runtime_dir() {
            Some(dir) => format!(
                "# smithgen-runtime by path: the runtime the smithgen that generated this crate was built\n\
                 # from (pass `--runtime-path` to choose another).\n\
                 smithgen-runtime = {{ path = {}{extra} }}",
                toml_string(&dir.to_string_lossy().replace('\\', "/"))
            ),
            None => registry(),
        },
        RuntimeDependency::Path(path) => {
            format!("smithgen-runtime = {{ path = {}{extra} }}", toml_string(path))
        }
    }
}

/// The nearest folder from `start` up that is a smithgen project: it has `models/`,
/// `generated/` and a `Cargo.toml` declaring a `[workspace]`.
pub fn find_project_root(start: &Path) -> Option<PathBuf> {
    start.ancestors().find_map(|dir| {
        let manifest = std::fs::read_to_string(dir.join("Cargo.toml")).ok()?;
        let workspace = manifest.lines().any(|l| l.trim() == "[workspace]");
        (workspace && dir.join("models").is_dir() && dir.join("generated").is_dir())
            .then(|| dir.to_path_buf())
    })
}

/// The models under `models/` and the crate folder under `generated/` each one regenerates:
/// `models/NAME.json` (or a folder `models/NAME/` of JSON files) → `generated/NAME`.
pub fn project_models(root: &Path) -> Result<Vec<(String, Vec<PathBuf>)>, std::io::Error> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(root.join("models"))? {
        let path = entry?.path();
        let Some(stem) = path.file_stem().map(|s| s.to_string_lossy().into_owned()) else {
            continue;
        };
        if path.is_dir() {
            let files = model::model_inputs(&[&path])
                .map(|inputs| inputs.files)
                .unwrap_or_default();
            if !files.is_empty() {
                found.push((stem, files));
            }
        } else if path
            .extension()
            .is_some_and(|e| e == "json" || e == "smithy")
        {
            found.push((stem, vec![path]));
        }
    }
    found.sort();
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_between_folders() {
        let rel = |a: &str, b: &str| relative_path(Path::new(a), Path::new(b));
        assert_eq!(
            rel("/w/out/crate", "/w/main/runtime"),
            Path::new("../../main/runtime")
        );
        assert_eq!(rel("/w", "/w/runtime"), Path::new("runtime"));
        assert_eq!(rel("/w/a", "/w/a"), Path::new("."));
        assert_eq!(rel("/w/a/b", "/w"), Path::new("../.."));
    }

    #[test]
    fn normalize_is_lexical() {
        assert_eq!(normalize(Path::new("/a/./b/../c")), Path::new("/a/c"));
        assert_eq!(normalize(Path::new("a/../../b")), Path::new("../b"));
        assert_eq!(normalize(Path::new("../../b")), Path::new("../../b"));
    }
}
