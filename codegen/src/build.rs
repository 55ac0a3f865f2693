//! The build-script API, in the manner of prost-build: generate a service's code into `OUT_DIR`
//! as one file, to be included with `smithgen_runtime::include_service!`.
//!
//! ```no_run
//! // build.rs
//! fn main() -> Result<(), Box<dyn std::error::Error>> {
//!     smithgen::Config::new()
//!         .operations(["CreateKeyPair"]) // optional subset
//!         .generate("models/lightsail.json")?; // writes $OUT_DIR/lightsail.rs
//!     Ok(())
//! }
//! ```
//!
//! It needs nothing but cargo: output is formatted with prettyplease (no rustfmt binary) and
//! nothing is fetched. Every model file read is announced with `cargo:rerun-if-changed`, so
//! editing a model regenerates the code and editing anything else does not.

use std::path::{Path, PathBuf};

use crate::model::{Diagnostic, Diagnostics};
use crate::{Error, GenerateOptions, StubSupport};

/// What to generate from a build script.
#[derive(Clone, Debug)]
pub struct Config {
    options: GenerateOptions,
    out_dir: Option<PathBuf>,
    file_name: Option<String>,
    quiet: bool,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            options: GenerateOptions {
                stubs: StubSupport::Never,
                // The model's tests, not the user's: an included file cannot rely on a feature.
                endpoint_tests: false,
                compiled_examples: false,
                ..GenerateOptions::default()
            },
            out_dir: None,
            file_name: None,
            quiet: false,
        }
    }
}

impl Config {
    /// A configuration generating every operation of the model's only service into `OUT_DIR`,
    /// without the code a `Stubber` needs (see [`stubs`](Config::stubs)).
    pub fn new() -> Config {
        Config::default()
    }

    /// Whether to generate what a `Stubber` needs (reading inputs, writing outputs and
    /// errors), which a client never runs: [`StubSupport::Never`] by default. With
    /// [`StubSupport::Feature`] the code goes behind `#[cfg(feature = "test-util")]`, a
    /// feature the including crate must declare; [`StubSupport::Always`] compiles it always.
    pub fn stubs(&mut self, stubs: StubSupport) -> &mut Config {
        self.options.stubs = stubs;
        self
    }

    /// Only these operations (by name) and the shapes they reach.
    pub fn operations<I, S>(&mut self, operations: I) -> &mut Config
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.options.operations = Some(operations.into_iter().map(Into::into).collect());
        self
    }

    /// The service shape (id or name), when the model defines several.
    pub fn service(&mut self, service: impl Into<String>) -> &mut Config {
        self.options.service = Some(service.into());
        self
    }

    /// Fails when the service's protocol is one smithgen cannot generate a client for yet,
    /// instead of generating its types only (with a `cargo:warning`).
    pub fn require_client(&mut self) -> &mut Config {
        self.options.require_client = true;
        self
    }

    /// Writes into this folder instead of `OUT_DIR`.
    pub fn out_dir(&mut self, dir: impl Into<PathBuf>) -> &mut Config {
        self.out_dir = Some(dir.into());
        self
    }

    /// The file's name without `.rs` (default: the service's SDK id in snake case, `lightsail`);
    /// `include_service!` takes the same name.
    pub fn file_name(&mut self, name: impl Into<String>) -> &mut Config {
        self.file_name = Some(name.into());
        self
    }

    /// Does not print `cargo:` lines (for use outside build scripts).
    pub fn quiet(&mut self) -> &mut Config {
        self.quiet = true;
        self
    }

    /// Generates from one model file (`.json` JSON AST or `.smithy` IDL), or from every model
    /// file of a folder, searched recursively (merged into one model). Returns the path written.
    pub fn generate(&self, model: impl AsRef<Path>) -> Result<PathBuf, Error> {
        self.generate_all(&[model])
    }

    /// Generates from several model files and folders merged into one model.
    pub fn generate_all<P: AsRef<Path>>(&self, models: &[P]) -> Result<PathBuf, Error> {
        for path in models {
            self.rerun_if_changed(path.as_ref());
        }
        for path in models {
            if !path.as_ref().exists() {
                return Err(problem(path.as_ref(), "no such model file or folder"));
            }
        }
        let inputs = crate::model::model_inputs(models)?;
        for folder in &inputs.folders {
            self.rerun_if_changed(folder);
        }
        for file in &inputs.files {
            self.rerun_if_changed(file);
        }
        let files = inputs.files;
        let out_dir = match &self.out_dir {
            Some(dir) => dir.clone(),
            None => std::env::var_os("OUT_DIR").map(PathBuf::from).ok_or_else(|| {
                problem(
                    Path::new("OUT_DIR"),
                    "OUT_DIR is not set: smithgen::Config writes into the OUT_DIR cargo gives build \
                     scripts; outside a build script, call .out_dir(…)",
                )
            })?,
        };
        let model = crate::load(&files)?;
        let emitted = crate::emit(&model, &self.options)?;
        if !self.quiet {
            for warning in &emitted.warnings {
                println!("cargo:warning={warning}");
            }
        }
        let name = self
            .file_name
            .clone()
            .unwrap_or_else(|| emitted.name.replace('-', "_"));
        let code = crate::format_single_file(&emitted)?;
        let path = out_dir.join(format!("{name}.rs"));
        // Rewriting an unchanged file would make cargo rebuild the crate that includes it.
        if std::fs::read(&path).ok().as_deref() != Some(code.as_bytes()) {
            std::fs::create_dir_all(&out_dir)
                .and_then(|()| std::fs::write(&path, code))
                .map_err(|e| problem(&path, &format!("cannot write the generated code: {e}")))?;
        }
        Ok(path)
    }

    fn rerun_if_changed(&self, path: &Path) {
        if !self.quiet {
            println!("cargo:rerun-if-changed={}", path.display());
        }
    }
}

fn problem(path: &Path, message: &str) -> Error {
    Error::Model(Diagnostics::from(Diagnostic::file(path, "", message)))
}
