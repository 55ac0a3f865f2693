//! How long the Smithy IDL reader takes: the Lightsail model as IDL against the same model as
//! JSON AST, and all of Smithy's own IDL and JSON files in `../shared/smithy` (every file, loaded
//! one at a time, since the loader suite's files are separate models).
//!
//!     cargo run --release --bin idl -- [--iterations N]
//!
//! Each figure is the fastest of N runs (default 15).

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use smithgen::model::{load_sources, to_idl, Source};

fn fastest<T>(iterations: usize, mut f: impl FnMut() -> T) -> Duration {
    (0..iterations)
        .map(|_| {
            let start = Instant::now();
            std::hint::black_box(f());
            start.elapsed()
        })
        .min()
        .expect("at least one iteration")
}

fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files_under(&path, out);
        } else if path
            .extension()
            .is_some_and(|e| e == "smithy" || e == "json")
        {
            out.push(path);
        }
    }
}

fn main() {
    let mut iterations = 15;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        if arg == "--iterations" {
            iterations = args
                .next()
                .and_then(|n| n.parse().ok())
                .expect("--iterations N");
        }
    }
    let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared");
    let json_path = shared.join("models/aws/lightsail-2016-11-28.json");
    let json = Source {
        path: json_path.clone(),
        bytes: std::fs::read(&json_path).expect("../shared/models/aws/lightsail-2016-11-28.json"),
    };
    let model = load_sources(vec![json.clone()]).unwrap();
    let idl: Vec<Source> = to_idl(&model)
        .into_iter()
        .map(|(ns, text)| Source {
            path: format!("{ns}.smithy").into(),
            bytes: text.into_bytes(),
        })
        .collect();
    let idl_bytes: usize = idl.iter().map(|s| s.bytes.len()).sum();
    let t_json = fastest(iterations, || load_sources(vec![json.clone()]).unwrap());
    let t_idl = fastest(iterations, || load_sources(idl.clone()).unwrap());
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    println!(
        "Lightsail, JSON AST ({} KB): {:7.1} ms",
        json.bytes.len() / 1024,
        ms(t_json)
    );
    println!(
        "Lightsail, IDL      ({} KB): {:7.1} ms  ({:.2}x the JSON AST)",
        idl_bytes / 1024,
        ms(t_idl),
        t_idl.as_secs_f64() / t_json.as_secs_f64()
    );

    let mut suite = Vec::new();
    for dir in [
        "smithy-aws-protocol-tests/model",
        "smithy-protocol-test-traits/src/main/resources",
        "smithy-aws-traits/src/main/resources",
        "smithy-waiters/src/main/resources",
        "smithy-rules-engine/src/main/resources",
    ] {
        files_under(&shared.join("smithy").join(dir), &mut suite);
    }
    suite.sort();
    let framework =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/idl/smithy-framework.smithy");
    suite.push(framework);
    let suite: Vec<Source> = suite
        .iter()
        .map(|p| Source {
            path: p.clone(),
            bytes: std::fs::read(p).unwrap(),
        })
        .collect();
    let suite_bytes: usize = suite.iter().map(|s| s.bytes.len()).sum();
    let t_suite = fastest(iterations, || load_sources(suite.clone()).unwrap());
    println!(
        "protocol compliance suites + trait definitions, {} files ({} KB) as one model: {:7.1} ms",
        suite.len(),
        suite_bytes / 1024,
        ms(t_suite)
    );

    let mut files = Vec::new();
    files_under(&shared.join("smithy"), &mut files);
    files.sort();
    let sources: Vec<Source> = files
        .iter()
        .map(|p| Source {
            path: p.clone(),
            bytes: std::fs::read(p).unwrap(),
        })
        .collect();
    let bytes: usize = sources.iter().map(|s| s.bytes.len()).sum();
    let mut ok = 0;
    let t_all = fastest(iterations, || {
        ok = sources
            .iter()
            .filter(|s| load_sources(vec![(*s).clone()]).is_ok())
            .count();
    });
    println!(
        "../shared/smithy, {} files ({} KB), each loaded alone: {:7.1} ms ({ok} load, the rest are the invalid suite or need other files)",
        sources.len(),
        bytes / 1024,
        ms(t_all)
    );
}
