//! How long generating a crate takes, split by pipeline stage, against the unavoidable part:
//! parsing the model's JSON and formatting the output with prettyplease.
//!
//!     cargo run --release --bin codegen -- [MODEL.json] [--iterations N]
//!
//! Default model: ../shared/models/aws/lightsail-2016-11-28.json. Each stage is timed N times
//! (default 15) and the fastest run is reported; stages run on the same inputs as in `smithgen`.

use std::path::PathBuf;
use std::time::{Duration, Instant};

/// The fastest run: the least disturbed by the rest of the machine, so the most repeatable.
fn fastest(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[0]
}

fn time<T>(iterations: usize, mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut samples = Vec::with_capacity(iterations);
    let mut last = None;
    for _ in 0..iterations {
        let start = Instant::now();
        let value = f();
        samples.push(start.elapsed());
        last = Some(value);
    }
    (fastest(samples), last.expect("at least one iteration"))
}

fn ms(d: Duration) -> String {
    format!("{:8.1} ms", d.as_secs_f64() * 1e3)
}

fn main() {
    let mut model_path = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../shared/models/aws/lightsail-2016-11-28.json"
    ));
    let mut iterations = 15;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--iterations" => {
                iterations = args
                    .next()
                    .and_then(|n| n.parse().ok())
                    .expect("--iterations N")
            }
            other => model_path = PathBuf::from(other),
        }
    }
    let bytes =
        std::fs::read(&model_path).unwrap_or_else(|e| panic!("{}: {e}", model_path.display()));
    let source = smithgen::model::Source {
        path: model_path.clone(),
        bytes: bytes.clone(),
    };
    let options = smithgen::GenerateOptions::default();

    // `--profile-emit`: only run the emit stage in a loop, for a profiler.
    if std::env::var_os("SMITHGEN_BENCH_PROFILE_EMIT").is_some() {
        let model = smithgen::model::load_sources(vec![source.clone()]).unwrap();
        for _ in 0..iterations {
            std::hint::black_box(smithgen::emit(&model, &options).unwrap());
        }
        return;
    }

    // The unavoidable part: parse the JSON, then format every emitted file with prettyplease
    // (syn-parse its tokens, print them) the way any prettyplease-based generator must: file
    // by file. The split between syn and prettyplease is measured on the side, batched.
    let (json, _) = time(iterations, || {
        drop(serde_json::from_slice::<serde_json::Value>(&bytes).unwrap());
    });
    let model = smithgen::model::load_sources(vec![source.clone()]).unwrap();
    let mut pretty = Vec::new();
    let mut syn_parse = Vec::new();
    let mut unparse = Vec::new();
    for _ in 0..iterations {
        let emitted = smithgen::emit(&model, &options).unwrap();
        let tokens = smithgen::write::crate_tokens(emitted.root, emitted.root_inner);
        let start = Instant::now();
        let out: Vec<String> = tokens
            .into_iter()
            .map(|(_, t)| prettyplease::unparse(&syn::parse2(t).unwrap()))
            .collect();
        pretty.push(start.elapsed());
        drop(out);

        let emitted = smithgen::emit(&model, &options).unwrap();
        let tokens = smithgen::write::crate_tokens(emitted.root, emitted.root_inner);
        let start = Instant::now();
        let files: Vec<syn::File> = tokens
            .into_iter()
            .map(|(_, t)| syn::parse2(t).unwrap())
            .collect();
        syn_parse.push(start.elapsed());
        let start = Instant::now();
        for file in files {
            std::hint::black_box(prettyplease::unparse(&file));
        }
        unparse.push(start.elapsed());
    }
    let (pretty, syn_parse, unparse) = (fastest(pretty), fastest(syn_parse), fastest(unparse));

    // (Dropping a stage's output happens outside its timing: in a real run the next stage
    // consumes it, and that cost is counted there.)
    let (read, _) = time(iterations, || {
        smithgen::model::load_sources(vec![source.clone()]).unwrap()
    });
    let (emit, _) = time(iterations, || smithgen::emit(&model, &options).unwrap());
    let mut format = Vec::new();
    let mut generated = None;
    for _ in 0..iterations {
        let emitted = smithgen::emit(&model, &options).unwrap();
        let start = Instant::now();
        generated = Some(smithgen::format(emitted).unwrap());
        format.push(start.elapsed());
    }
    let (format, generated) = (fastest(format), generated.unwrap());
    let (whole, _) = time(iterations, || {
        let model = smithgen::model::load_sources(vec![source.clone()]).unwrap();
        drop(smithgen::generate_crate(&model, &options).unwrap());
    });

    let unavoidable = json + pretty;
    println!("model: {} ({} bytes)", model_path.display(), bytes.len());
    println!(
        "output: {} files, {} lines of Rust, {} bytes",
        generated.files.len(),
        generated.rust_lines(),
        generated
            .files
            .iter()
            .map(|f| f.contents.len())
            .sum::<usize>()
    );
    println!("fastest of {iterations} runs:");
    println!("  read (JSON parse + model + validation) {}", ms(read));
    println!("  emit (select + symbols + tokens)       {}", ms(emit));
    println!("  format (syn parse + prettyplease)      {}", ms(format));
    println!("  whole run (load + emit + format)       {}", ms(whole));
    println!("unavoidable:");
    println!("  serde_json parse                       {}", ms(json));
    println!("  prettyplease, file by file             {}", ms(pretty));
    println!(
        "    (batched: syn parse {}, unparse {})",
        ms(syn_parse).trim(),
        ms(unparse).trim()
    );
    println!(
        "  total                                  {}",
        ms(unavoidable)
    );
    println!(
        "whole / unavoidable = {:.2} (target <= 1.50)",
        whole.as_secs_f64() / unavoidable.as_secs_f64()
    );
}
