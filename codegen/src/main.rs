//! The `smithgen` command line.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use smithgen::{GenerateOptions, RuntimeDependency, StubSupport};

/// Smithy models in, Rust out.
///
/// With no command, regenerates every crate under `generated/` from `models/` of the project
/// found from the current folder (the nearest folder up with `models/`, `generated/` and a
/// workspace `Cargo.toml`).
#[derive(Parser)]
#[command(name = "smithgen", version)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Clone, Copy, ValueEnum)]
enum Stubs {
    Feature,
    Always,
    Never,
}

#[derive(Clone, Copy, ValueEnum)]
enum AstFormat {
    Json,
    Idl,
}

#[derive(Subcommand)]
enum Command {
    /// Generate a crate from Smithy models (with no MODEL: every crate of this project).
    Generate {
        /// Model files (`.json` JSON AST or `.smithy` IDL) and folders of them (searched
        /// recursively); everything given is merged into one model.
        models: Vec<PathBuf>,
        /// Folder of the crate to write (Cargo.toml and src/).
        #[arg(long)]
        out: Option<PathBuf>,
        /// Only these operations, comma-separated, and the shapes they reach.
        #[arg(long, value_delimiter = ',')]
        operations: Option<Vec<String>>,
        /// The package name (default: the service's SDK id, e.g. `lightsail`).
        #[arg(long)]
        crate_name: Option<String>,
        /// Depend on smithgen-runtime by this path (default: the runtime this smithgen was built
        /// from, by path, when its source is still there; else the registry version).
        #[arg(long)]
        runtime_path: Option<String>,
        /// The service shape (id or name) when the model has several.
        #[arg(long)]
        service: Option<String>,
        /// Write nothing; exit non-zero naming the files that differ from what would be written.
        #[arg(long)]
        check: bool,
        /// Code a `Stubber` needs (reading inputs, writing outputs and errors): behind the
        /// crate's `test-util` feature, always, or never.
        #[arg(long, value_enum, default_value = "feature")]
        stubs: Stubs,
        /// Fail when the service's protocol is one smithgen cannot generate a client for yet
        /// (restXml, awsQuery, ec2Query, rpcv2Cbor), instead of writing a crate of types only.
        #[arg(long)]
        require_client: bool,
    },
    /// Compare two versions of a model: what changed and its semver impact on the generated crate.
    Diff {
        /// The old model (a file or a folder of model files).
        old: PathBuf,
        /// The new model (a file or a folder of model files).
        new: PathBuf,
    },
    /// Print the loaded model (every input merged, prelude left out) as Smithy JSON AST 2.0,
    /// or write it as Smithy IDL 2.0, one file per namespace.
    Ast {
        /// Model files (`.json` or `.smithy`) and folders of them.
        #[arg(required = true)]
        models: Vec<PathBuf>,
        /// `json` (to standard output, or `--out DIR/model.json`) or `idl` (`--out DIR/NAMESPACE.smithy`).
        #[arg(long, value_enum, default_value = "json")]
        format: AstFormat,
        /// Folder to write into (required for `--format idl`).
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Run the models' endpoint tests (`smithy.rules#endpointTests`) against the rules engine.
    CheckEndpoints {
        /// Model files (`.json` or `.smithy`); each is checked on its own.
        #[arg(required = true)]
        models: Vec<PathBuf>,
    },
    /// Generate a crate that runs the models' Smithy protocol compliance cases
    /// (`smithy.test#httpRequestTests` and `httpResponseTests`) against generated clients:
    /// `cargo test` in DIR runs them, with no network.
    ProtocolTests {
        /// Model files (`.json` or `.smithy`) and folders of them, merged into one model.
        #[arg(required = true)]
        models: Vec<PathBuf>,
        /// Folder of the crate to write.
        #[arg(long)]
        out: PathBuf,
        /// The package name.
        #[arg(long, default_value = "protocol-tests")]
        crate_name: String,
        /// Depend on smithgen-runtime by this path (default as for `generate`).
        #[arg(long)]
        runtime_path: Option<String>,
        /// A real service's model (repeatable) whose endpoint rules a test service of the same
        /// id adopts when it declares none (the restXml suite's S3 subset: `s3.json`), so that
        /// its cases resolve endpoints as the real service does.
        #[arg(long)]
        endpoint_rules: Vec<PathBuf>,
    },
    /// Print an operation's Request Syntax and Response Syntax (AWS SDK for Python notation).
    Syntax {
        /// The model (a file or a folder of model files).
        model: PathBuf,
        /// The operation's name (`CreateKeyPair`).
        operation: String,
        /// The service shape (id or name) when the model has several.
        #[arg(long)]
        service: Option<String>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        None => regenerate_project(false),
        Some(Command::Generate {
            models,
            out,
            operations,
            crate_name,
            runtime_path,
            service,
            check,
            stubs,
            require_client,
        }) => {
            if models.is_empty() {
                if out.is_some() {
                    Err("`--out` needs at least one MODEL".to_owned())
                } else {
                    regenerate_project(check)
                }
            } else {
                match out {
                    None => Err("`smithgen generate MODEL...` needs `--out DIR`".to_owned()),
                    Some(out) => {
                        let options = GenerateOptions {
                            service,
                            operations,
                            crate_name,
                            runtime: runtime_path.map_or(RuntimeDependency::BuiltWith, |p| {
                                RuntimeDependency::path_from_cwd(Path::new(&p), &out)
                            }),
                            stubs: match stubs {
                                Stubs::Feature => StubSupport::Feature,
                                Stubs::Always => StubSupport::Always,
                                Stubs::Never => StubSupport::Never,
                            },
                            endpoint_tests: true,
                            compiled_examples: true,
                            require_client,
                        };
                        generate(&models, &out, &options, check)
                    }
                }
            }
        }
        Some(Command::Diff { old, new }) => diff(&old, &new),
        Some(Command::Ast {
            models,
            format,
            out,
        }) => ast(&models, format, out.as_deref()),
        Some(Command::CheckEndpoints { models }) => check_endpoints(&models),
        Some(Command::ProtocolTests {
            models,
            out,
            crate_name,
            runtime_path,
            endpoint_rules,
        }) => {
            let runtime = runtime_path.map_or(RuntimeDependency::BuiltWith, |p| {
                RuntimeDependency::path_from_cwd(Path::new(&p), &out)
            });
            protocol_tests(&models, &endpoint_rules, &out, &crate_name, &runtime)
        }
        Some(Command::Syntax {
            model,
            operation,
            service,
        }) => syntax(&model, &operation, service.as_deref()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}

fn generate(
    models: &[PathBuf],
    out: &Path,
    options: &GenerateOptions,
    check: bool,
) -> Result<(), String> {
    let model = load(models)?;
    let mut generated = smithgen::generate_crate(&model, options).map_err(|e| e.to_string())?;
    for warning in &generated.warnings {
        eprintln!("warning: {warning}");
    }
    let formatted =
        smithgen::write::rustfmt_files(&mut generated.files).map_err(|e| format!("error: {e}"))?;
    if !formatted {
        eprintln!("note: rustfmt was not found; files are formatted by prettyplease only and may differ from `cargo fmt`");
    }
    if check {
        let stale = smithgen::write::check_files(out, &generated.files);
        if !stale.is_empty() {
            let list: Vec<String> = stale
                .iter()
                .map(|f| format!("  {}", out.join(f).display()))
                .collect();
            return Err(format!(
                "error: {} is out of date; run `cargo run -p smithgen` to regenerate. Differing files:\n{}",
                out.display(),
                list.join("\n")
            ));
        }
        eprintln!(
            "{} is up to date ({} files)",
            out.display(),
            generated.files.len()
        );
    } else {
        smithgen::write::write_files(out, &generated.files).map_err(|e| format!("error: {e}"))?;
        eprintln!(
            "wrote crate `{}` to {} ({} files, {} lines of Rust)",
            generated.name,
            out.display(),
            generated.files.len(),
            generated.rust_lines()
        );
    }
    Ok(())
}

/// The project root: the nearest folder, from the current one up, that has `models/`,
/// `generated/` and a workspace `Cargo.toml` (never the tree smithgen was compiled in, unless
/// that is where it runs).
fn project_root() -> Result<PathBuf, String> {
    let cwd = std::env::current_dir()
        .map_err(|e| format!("error: cannot read the current folder: {e}"))?;
    smithgen::find_project_root(&cwd).ok_or_else(|| {
        format!(
            "error: {} is not inside a smithgen project. With no MODEL, smithgen regenerates \
             every crate of the project found from the current folder: the nearest folder with \
             `models/` (NAME.json or NAME/*.json), `generated/` (NAME/ is written) and a \
             `Cargo.toml` with `[workspace]`. Run it there, or generate one crate with \
             `smithgen generate MODEL.json --out DIR`.",
            cwd.display()
        )
    })
}

fn regenerate_project(check: bool) -> Result<(), String> {
    let root = project_root()?;
    let models = smithgen::project_models(&root)
        .map_err(|e| format!("error: cannot list {}: {e}", root.join("models").display()))?;
    if models.is_empty() {
        return Err(format!(
            "error: no models in {}",
            root.join("models").display()
        ));
    }
    // generated/NAME depends on the project's own runtime when it has one (this repository),
    // else on the runtime this smithgen was built from.
    let runtime = if root.join("runtime/Cargo.toml").is_file() {
        RuntimeDependency::Path("../../runtime".into())
    } else {
        RuntimeDependency::BuiltWith
    };
    let mut failures = Vec::new();
    for (name, files) in models {
        let options = GenerateOptions {
            crate_name: Some(name.clone()),
            runtime: runtime.clone(),
            ..Default::default()
        };
        if let Err(e) = generate(&files, &root.join("generated").join(&name), &options, check) {
            failures.push(e);
        }
    }
    if failures.is_empty() {
        Ok(())
    } else {
        Err(failures.join("\n"))
    }
}

fn syntax(model: &Path, operation: &str, service: Option<&str>) -> Result<(), String> {
    let model = smithgen::load(&[model]).map_err(|e| e.to_string())?;
    let text = smithgen::syntax_blocks(&model, service, operation).map_err(|e| e.to_string())?;
    print!("{text}");
    Ok(())
}

/// Loads models, printing the loader's notes.
fn load(models: &[PathBuf]) -> Result<smithgen::model::Model, String> {
    let model = smithgen::load(models).map_err(|e| e.to_string())?;
    for note in &model.notes {
        eprintln!("note: {}", note.to_string().trim_start_matches("error: "));
    }
    Ok(model)
}

fn ast(models: &[PathBuf], format: AstFormat, out: Option<&Path>) -> Result<(), String> {
    let model = load(models)?;
    let write = |path: PathBuf, text: &str| -> Result<(), String> {
        std::fs::write(&path, text)
            .map_err(|e| format!("error: cannot write {}: {e}", path.display()))?;
        eprintln!("wrote {}", path.display());
        Ok(())
    };
    if let Some(out) = out {
        std::fs::create_dir_all(out)
            .map_err(|e| format!("error: cannot create {}: {e}", out.display()))?;
    }
    match (format, out) {
        (AstFormat::Json, out) => {
            let ast = smithgen::model::to_json_ast(&model);
            let mut text = serde_json::to_string_pretty(&ast).map_err(|e| e.to_string())?;
            text.push('\n');
            match out {
                Some(out) => write(out.join("model.json"), &text)?,
                None => print!("{text}"),
            }
        }
        (AstFormat::Idl, None) => {
            return Err(
                "error: `--format idl` writes one file per namespace and needs `--out DIR`".into(),
            )
        }
        (AstFormat::Idl, Some(out)) => {
            for (namespace, text) in smithgen::model::to_idl(&model) {
                let name = if namespace.is_empty() {
                    "metadata".to_owned()
                } else {
                    namespace
                };
                write(out.join(format!("{name}.smithy")), &text)?;
            }
        }
    }
    Ok(())
}

fn diff(old: &Path, new: &Path) -> Result<(), String> {
    let old = smithgen::load(&[old]).map_err(|e| e.to_string())?;
    let new = smithgen::load(&[new]).map_err(|e| e.to_string())?;
    let report = smithgen::diff::diff(&old, &new).map_err(|e| e.to_string())?;
    println!("{report}");
    Ok(())
}

fn protocol_tests(
    models: &[PathBuf],
    endpoint_rules: &[PathBuf],
    out: &Path,
    crate_name: &str,
    runtime: &RuntimeDependency,
) -> Result<(), String> {
    let mut model = load(models)?;
    for path in endpoint_rules {
        let real = load(std::slice::from_ref(path))?;
        for service in model.adopt_endpoint_rules(&real) {
            eprintln!(
                "note: service `{service}` uses the endpoint rules of {}",
                path.display()
            );
        }
    }
    let mut generated = smithgen::generate_protocol_tests(&model, crate_name, runtime)
        .map_err(|e| e.to_string())?;
    for note in &generated.notes {
        eprintln!("note: {note}");
    }
    smithgen::write::rustfmt_files(&mut generated.files).map_err(|e| format!("error: {e}"))?;
    smithgen::write::write_files(out, &generated.files).map_err(|e| format!("error: {e}"))?;
    for (service, summary) in &generated.services {
        eprintln!(
            "{service}: {} request and {} response cases ({} skipped)",
            summary.requests,
            summary.responses,
            summary.skipped.len()
        );
    }
    eprintln!(
        "wrote crate `{crate_name}` to {} (run `cargo test` there)",
        out.display()
    );
    Ok(())
}

/// Runs the endpoint tests of each model; fails if any fails.
fn check_endpoints(models: &[PathBuf]) -> Result<(), String> {
    let report = smithgen::endpoints::check_models(models)?;
    print!("{report}");
    match report.failed() {
        0 => Ok(()),
        failed => Err(format!("error: {failed} endpoint test(s) failed")),
    }
}
