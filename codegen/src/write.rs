//! Writing: a module tree becomes formatted files (prettyplease, no rustfmt binary), either as a
//! crate (`Cargo.toml` and `src/`) or as one file for `include!`; `--check` compares instead.

use std::path::{Path, PathBuf};

use proc_macro2::TokenStream;
use quote::quote;

use crate::emit::Module;
use crate::symbols::snake_ident;

/// One output file: its path relative to the crate root and its full contents.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutputFile {
    /// Relative path with `/` separators (`src/types/tag.rs`).
    pub path: String,
    /// The bytes to write.
    pub contents: String,
}

/// Errors while formatting or writing.
#[derive(Debug)]
pub enum WriteError {
    /// The emitted tokens did not parse as Rust: a bug in smithgen, reported with the file.
    Format { path: String, message: String },
    /// A file could not be written or read.
    Io {
        path: PathBuf,
        error: std::io::Error,
    },
}

impl std::fmt::Display for WriteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WriteError::Format { path, message } => write!(
                f,
                "internal error: smithgen emitted invalid Rust for {path}: {message} (please report this with the model)"
            ),
            WriteError::Io { path, error } => write!(f, "{}: {error}", path.display()),
        }
    }
}

impl std::error::Error for WriteError {}

/// Formats tokens as a Rust file (prettyplease), prefixed with `header` comment lines.
pub fn format_file(path: &str, header: &str, tokens: TokenStream) -> Result<String, WriteError> {
    let file: syn::File = syn::parse2(tokens).map_err(|e| WriteError::Format {
        path: path.to_owned(),
        message: e.to_string(),
    })?;
    let body = prettyplease::unparse(&file);
    Ok(format!("{header}{body}"))
}

fn module_decl(module: &Module, body: Option<TokenStream>) -> TokenStream {
    let attrs = &module.attrs;
    let name = snake_ident(&module.name);
    let vis = if module.public {
        quote!(pub)
    } else {
        TokenStream::new()
    };
    match body {
        None => quote!(#attrs #vis mod #name;),
        Some(body) => quote!(#attrs #vis mod #name { #body }),
    }
}

/// The tokens of a module with every descendant inline (for single-file output).
fn inline_tokens(module: &Module) -> TokenStream {
    let children = module
        .children
        .iter()
        .map(|child| module_decl(child, Some(inline_tokens(child))));
    let items = &module.items;
    quote!(#(#children)* #items)
}

/// Lays the tree out as files under `src/`: `lib.rs`, then `a.rs` and `a/b.rs` per module.
/// `root_inner` holds the crate's inner attributes and docs.
pub fn crate_files(
    root: Module,
    header: &str,
    root_inner: TokenStream,
) -> Result<Vec<OutputFile>, WriteError> {
    crate_tokens(root, root_inner)
        .into_iter()
        .map(|(path, tokens)| {
            Ok(OutputFile {
                contents: format_file(&path, header, tokens)?,
                path,
            })
        })
        .collect()
}

/// The unformatted tokens of every file of the crate layout, with their paths. The tree is
/// consumed so that its tokens move into the files instead of being copied.
pub fn crate_tokens(root: Module, root_inner: TokenStream) -> Vec<(String, TokenStream)> {
    let mut lib = root_inner;
    lib.extend(root.children.iter().map(|c| module_decl(c, None)));
    lib.extend(root.items);
    let mut files = vec![("src/lib.rs".to_owned(), lib)];
    for child in root.children {
        module_tokens(child, "src", &mut files);
    }
    files
}

fn module_tokens(module: Module, dir: &str, files: &mut Vec<(String, TokenStream)>) {
    let path = format!("{dir}/{}.rs", module.name);
    let mut tokens: TokenStream = module
        .children
        .iter()
        .map(|c| module_decl(c, None))
        .collect();
    tokens.extend(module.items);
    files.push((path, tokens));
    let child_dir = format!("{dir}/{}", module.name);
    for child in module.children {
        module_tokens(child, &child_dir, files);
    }
}

/// The whole tree as one file suitable for `include!` (no inner attributes, no `//!` docs);
/// each top-level module carries `#[forbid(unsafe_code)]` in place of the crate attribute.
pub fn single_file(root: &Module, header: &str) -> Result<String, WriteError> {
    let children = root.children.iter().map(|child| {
        let decl = module_decl(child, Some(inline_tokens(child)));
        quote!(#[forbid(unsafe_code)] #decl)
    });
    let items = &root.items;
    format_file("<single file>", header, quote!(#(#children)* #items))
}

/// Writes files under `dir`, creating folders; unchanged files are not touched (so cargo does
/// not rebuild), and stale `.rs` files under `src/` that were not written are removed.
pub fn write_files(dir: &Path, files: &[OutputFile]) -> Result<(), WriteError> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |error| WriteError::Io { path, error }
    };
    for file in files {
        let path = dir.join(&file.path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(io(parent))?;
        }
        if std::fs::read(&path).ok().as_deref() == Some(file.contents.as_bytes()) {
            continue;
        }
        std::fs::write(&path, &file.contents).map_err(io(&path))?;
    }
    for stale in stale_files(dir, files) {
        let path = dir.join(&stale);
        std::fs::remove_file(&path).map_err(io(&path))?;
    }
    Ok(())
}

/// Compares `dir` with what would be written: the paths that differ, are missing or are stale.
pub fn check_files(dir: &Path, files: &[OutputFile]) -> Vec<String> {
    let mut differing: Vec<String> = files
        .iter()
        .filter(|f| std::fs::read(dir.join(&f.path)).ok().as_deref() != Some(f.contents.as_bytes()))
        .map(|f| f.path.clone())
        .collect();
    differing.extend(stale_files(dir, files));
    differing.sort();
    differing
}

/// `.rs` files under `dir/src` that are not among `files`.
fn stale_files(dir: &Path, files: &[OutputFile]) -> Vec<String> {
    let mut found = Vec::new();
    let mut stack = vec![dir.join("src")];
    while let Some(folder) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&folder) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                if let Ok(rel) = path.strip_prefix(dir) {
                    let rel = rel.to_string_lossy().replace('\\', "/");
                    if !files.iter().any(|f| f.path == rel) {
                        found.push(rel);
                    }
                }
            }
        }
    }
    found.sort();
    found
}

/// Runs `rustfmt` (as `cargo fmt` would find it: `$RUSTFMT`, else `rustfmt` on `PATH`) over the
/// crate's `.rs` files, so checked-in crates stay clean under `cargo fmt --check`.
///
/// prettyplease output is valid and readable but not byte-identical to rustfmt's; rustfmt's
/// style is stable within an edition, so the result is the same on every machine with a
/// stable toolchain. Build scripts never call this (they need nothing but cargo).
/// Returns `Ok(false)` when no rustfmt could be run.
pub fn rustfmt_files(files: &mut [OutputFile]) -> Result<bool, WriteError> {
    let program = std::env::var_os("RUSTFMT").unwrap_or_else(|| "rustfmt".into());
    let scratch = std::env::temp_dir().join(format!(
        "smithgen-rustfmt-{}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos())
    ));
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |error| WriteError::Io { path, error }
    };
    let result = (|| {
        for file in files.iter().filter(|f| f.path.ends_with(".rs")) {
            let path = scratch.join(&file.path);
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent).map_err(io(parent))?;
            }
            std::fs::write(&path, &file.contents).map_err(io(&path))?;
        }
        // An empty config shields the output from the user's global rustfmt settings.
        let config = scratch.join("rustfmt.toml");
        std::fs::write(&config, "").map_err(io(&config))?;
        let status = std::process::Command::new(&program)
            .arg("--edition=2021")
            .arg("--config-path")
            .arg(&config)
            .arg(scratch.join("src/lib.rs"))
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .output();
        match status {
            Err(_) => return Ok(false),
            Ok(out) if !out.status.success() => {
                return Err(WriteError::Format {
                    path: "src/lib.rs".into(),
                    message: format!("rustfmt failed: {}", String::from_utf8_lossy(&out.stderr)),
                })
            }
            Ok(_) => {}
        }
        for file in files.iter_mut().filter(|f| f.path.ends_with(".rs")) {
            let path = scratch.join(&file.path);
            file.contents = std::fs::read_to_string(&path).map_err(io(&path))?;
        }
        Ok(true)
    })();
    let _ = std::fs::remove_dir_all(&scratch);
    result
}
