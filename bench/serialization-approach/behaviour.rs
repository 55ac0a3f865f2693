// Behaviour checks, included by bench-emitted, bench-serde and bench-schema: each case is decoded
// (and, if that works, encoded again); prints the output or the error message.
fn show(label: &str, f: fn(&[u8]) -> Result<GetInstancesResult, String>, input: &[u8]) {
    let text = match f(input) {
        Ok(v) => {
            let json = encode(&v);
            let cut: String = json.chars().take(160).collect();
            format!("ok   {cut}")
        }
        Err(e) if e.len() > 200 => format!("ERR  {} ... {}", &e[..60], &e[e.len() - 100..]),
        Err(e) => format!("ERR  {e}"),
    };
    println!("  {label:<20} {text}");
}

fn main() {
    let deep = |n: usize| {
        format!(r#"{{"instances":[{{"name":"a","futureMember":{}{}}}]}}"#, "[".repeat(n), "]".repeat(n))
    };
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("wrong type, deep", br#"{"instances":[{"name":"a"},{"hardware":{"disks":[{"name":"d"},{"sizeInGb":"x"}]}}]}"#.to_vec()),
        ("truncated", br#"{"instances":[{"name":"a","tags":[{"key":"k""#.to_vec()),
        ("int out of range", br#"{"instances":[{"hardware":{"disks":[{"sizeInGb":4294967296}]}}]}"#.to_vec()),
        ("lone surrogate", br#"{"nextPageToken":"\ud800"}"#.to_vec()),
        ("trailing data", br#"{"instances":[]} x"#.to_vec()),
        ("unknown, 100 deep", deep(100).into_bytes()),
        ("unknown, 10000 deep", deep(10_000).into_bytes()),
        ("NaN, -Infinity", br#"{"instances":[{"hardware":{"ramSizeInGb":"NaN"}},{"hardware":{"ramSizeInGb":"-Infinity"}}]}"#.to_vec()),
        ("unknown enum value", br#"{"instances":[{"resourceType":"FutureThing","ipAddressType":"ipv8"}]}"#.to_vec()),
        ("nulls", br#"{"instances":[null,{"name":null,"tags":[null,{"key":"k","value":null}]}],"nextPageToken":null}"#.to_vec()),
        ("timestamps", br#"{"instances":[{"createdAt":1700000000.1234},{"createdAt":"2023-11-14T22:13:20.5Z"}]}"#.to_vec()),
    ];
    println!("{}:", env!("CARGO_PKG_NAME").trim_start_matches("bench-"));
    for (label, input) in &cases {
        show(label, decode, input);
        for (name, f) in EXTRA {
            show(&format!("  ({})", name.trim_start_matches("decode, with ")), *f, input);
        }
    }
}
