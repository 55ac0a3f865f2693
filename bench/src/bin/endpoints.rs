//! What endpoint resolution costs, to decide between interpreting the model's rule set at run
//! time and compiling it into Rust (issue: endpoint rules engine).
//!
//!     cargo run --release --bin endpoints [MODEL.json ...]
//!
//! For each model (default: every model in ../../shared/models/aws and ours): parsing the
//! rule set (once per client), resolving one endpoint with the interpreter (what a client
//! without a cache would pay per request), resolving through a client's configuration
//! (`resolve_endpoint`: built-ins bound from the Config, authSchemes read), and what a client
//! actually pays per request: reading its cached endpoint. Fastest of 15 rounds each.

use std::hint::black_box;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use smithgen_runtime::client::{resolve_endpoint, Config, ServiceInfo};
use smithgen_runtime::endpoint::{Params, RuleSet};

fn fastest(rounds: usize, iterations: u32, mut f: impl FnMut()) -> Duration {
    (0..rounds)
        .map(|_| {
            let t = Instant::now();
            for _ in 0..iterations {
                f();
            }
            t.elapsed() / iterations
        })
        .min()
        .unwrap_or_default()
}

fn main() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut models: Vec<PathBuf> = std::env::args().skip(1).map(PathBuf::from).collect();
    if models.is_empty() {
        let dir = root.join("../shared/models/aws");
        let mut found: Vec<PathBuf> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
        found.sort();
        models.extend(found);
        models.push(root.join("models/lightsail.json"));
    }
    println!(
        "{:<34} {:>9} {:>7} {:>12} {:>14} {:>14} {:>12}",
        "model", "rules", "params", "parse", "resolve", "via Config", "cached"
    );
    for path in models {
        let text = std::fs::read_to_string(&path).expect("readable model");
        let json: serde_json::Value = serde_json::from_str(&text).expect("JSON");
        let (service_id, service) = json["shapes"]
            .as_object()
            .expect("shapes")
            .iter()
            .find(|(_, s)| s["type"] == "service")
            .expect("a service");
        let rules_json = serde_json::to_string(&service["traits"]["smithy.rules#endpointRuleSet"])
            .expect("a rule set");
        let signing = service["traits"]["aws.auth#sigv4"]["name"]
            .as_str()
            .unwrap_or("service")
            .to_owned();
        let info: &'static ServiceInfo = Box::leak(Box::new(ServiceInfo {
            sdk_id: "Bench",
            signing_name: Box::leak(signing.into_boxed_str()),
            endpoint_prefix: "bench",
            endpoint_rules: Some(Box::leak(rules_json.clone().into_boxed_str())),
            crate_name: "bench",
            crate_version: "0",
            rule_set_cache: std::sync::OnceLock::new(),
        }));
        let rules = RuleSet::from_json(&rules_json).expect("the rule set parses");
        let params = Params::new()
            .with("Region", "eu-west-1")
            .with("UseFIPS", false)
            .with("UseDualStack", false);
        let expected = rules.resolve(&params).expect("resolves");
        let config = Config::builder().region("eu-west-1").build();
        let resolved = resolve_endpoint(info, &config, Some(&rules)).expect("resolves");
        assert_eq!(resolved.url, expected.url.trim_end_matches('/'));

        let parse = fastest(15, 200, || {
            black_box(RuleSet::from_json(black_box(&rules_json)).expect("parses"));
        });
        let resolve = fastest(15, 5_000, || {
            black_box(rules.resolve(black_box(&params)).expect("resolves"));
        });
        let via_config = fastest(15, 5_000, || {
            black_box(resolve_endpoint(info, black_box(&config), Some(&rules)).expect("resolves"));
        });
        // Per request, a client reads its cached endpoint: the URL and Host it formats into the
        // request are the only work.
        let cached = fastest(15, 100_000, || {
            let e = black_box(&resolved);
            black_box((format!("{}{}", e.url, "/"), e.host.clone()));
        });
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let _ = service_id;
        println!(
            "{:<34} {:>9} {:>7} {:>9.1} µs {:>11.2} µs {:>11.2} µs {:>9.3} µs",
            name,
            rules_json.len(),
            rules.parameters().len(),
            parse.as_secs_f64() * 1e6,
            resolve.as_secs_f64() * 1e6,
            via_config.as_secs_f64() * 1e6,
            cached.as_secs_f64() * 1e6,
        );
    }
}
