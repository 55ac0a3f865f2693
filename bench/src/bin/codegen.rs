//! How long generating a crate takes, split by pipeline stage, against the unavoidable part:
//! parsing the model's JSON and formatting the output with prettyplease.
//!
//!     cargo run --release --bin codegen -- [MODEL.json] [--iterations N]
//!
//! Default model: ../shared/models/aws/lightsail-2016-11-28.json. Each stage is timed N times
//! (default 15) and the median is reported; stages run on the same inputs as in `smithgen`.

use std::path::PathBuf;
use std::time::{Duration, Instant};

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
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
    (median(samples), last.expect("at least one iteration"))
}

fn ms(d: Duration) -> String {
    format!("{:8.1} ms", d.as_secs_f64() * 1e3)
}

fn main() {
    let mut model_path =
        PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/models/aws/lightsail-2016-11-28.json"));
    let mut iterations = 15;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--iterations" => iterations = args.next().and_then(|n| n.parse().ok()).expect("--iterations N"),
            other => model_path = PathBuf::from(other),
        }
    }
    let bytes = std::fs::read(&model_path).unwrap_or_else(|e| panic!("{}: {e}", model_path.display()));
    let source = smithgen::model::Source { path: model_path.clone(), bytes: bytes.clone() };
    let options = smithgen::GenerateOptions::default();

    // The unavoidable part.
    let (json, _) = time(iterations, || serde_json::from_slice::<serde_json::Value>(&bytes).unwrap());
    let model = smithgen::model::load_sources(vec![source.clone()]).unwrap();
    let emitted = smithgen::emit(&model, &options).unwrap();
    let tokens = smithgen::write::crate_tokens(&emitted.root, emitted.root_inner.clone());
    let (syn_parse, files) = time(iterations, || {
        tokens
            .iter()
            .map(|(_, t)| syn::parse2::<syn::File>(t.clone()).unwrap())
            .collect::<Vec<_>>()
    });
    let (unparse, _) = time(iterations, || files.iter().map(prettyplease::unparse).collect::<Vec<_>>());

    // Our stages.
    let (read, _) = time(iterations, || smithgen::model::load_sources(vec![source.clone()]).unwrap());
    let (emit, _) = time(iterations, || smithgen::emit(&model, &options).unwrap());
    let (format, generated) = time(iterations, || smithgen::format(&emitted).unwrap());
    let (whole, _) = time(iterations, || {
        let model = smithgen::model::load_sources(vec![source.clone()]).unwrap();
        smithgen::generate_crate(&model, &options).unwrap()
    });

    let unavoidable = json + syn_parse + unparse;
    println!("model: {} ({} bytes)", model_path.display(), bytes.len());
    println!(
        "output: {} files, {} lines of Rust, {} bytes",
        generated.files.len(),
        generated.rust_lines(),
        generated.files.iter().map(|f| f.contents.len()).sum::<usize>()
    );
    println!("median of {iterations} runs:");
    println!("  read (JSON parse + model + validation) {}", ms(read));
    println!("  emit (select + symbols + tokens)       {}", ms(emit));
    println!("  format (syn parse + prettyplease)      {}", ms(format));
    println!("  whole run (load + emit + format)       {}", ms(whole));
    println!("unavoidable:");
    println!("  serde_json parse                       {}", ms(json));
    println!("  syn parse of the emitted tokens        {}", ms(syn_parse));
    println!("  prettyplease unparse                   {}", ms(unparse));
    println!("  total                                  {}", ms(unavoidable));
    println!(
        "whole / unavoidable = {:.2} (target <= 1.50)",
        whole.as_secs_f64() / unavoidable.as_secs_f64()
    );
}
