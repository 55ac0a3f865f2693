// Timing harness, included by bench-emitted, bench-serde and bench-schema (each defines decode,
// encode, encode_req, EXTRA and EXTRA_REQ). Usage: bench-X BODY.json OUT_DIR [SAMPLES]
// or bench-X BODY.json OUT_DIR count:WHAT:N, which only runs WHAT (decode, decode-path, encode or
// request) N times, for counting instructions under valgrind (see run.sh, step instructions).
// Prints one line per figure: name, fastest and median of SAMPLES samples. Decoding includes
// dropping the decoded value; encoding starts from an empty String each time.
use std::hint::black_box;
use std::time::Instant;

const SMALL_REPS: u32 = 10_000;

fn report(name: &str, unit: &str, scale: f64, mut v: Vec<f64>, bytes: usize) {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let n = v.len();
    let median = if n % 2 == 0 { (v[n / 2 - 1] + v[n / 2]) / 2.0 } else { v[n / 2] };
    let mbs = if bytes > 0 { format!("  {:>6.1} MB/s", bytes as f64 / 1e6 / v[0]) } else { String::new() };
    println!("{name:<36} fastest {:>9.3} {unit}  median {:>9.3} {unit}{mbs}", v[0] * scale, median * scale);
}

fn time_large<T>(samples: usize, mut f: impl FnMut() -> T) -> Vec<f64> {
    black_box(f()); // warm-up
    (0..samples)
        .map(|_| {
            let t = Instant::now();
            black_box(f());
            t.elapsed().as_secs_f64()
        })
        .collect()
}

fn time_small<T>(samples: usize, mut f: impl FnMut() -> T) -> Vec<f64> {
    for _ in 0..SMALL_REPS {
        black_box(f());
    }
    (0..samples)
        .map(|_| {
            let t = Instant::now();
            for _ in 0..SMALL_REPS {
                black_box(f());
            }
            t.elapsed().as_secs_f64() / f64::from(SMALL_REPS)
        })
        .collect()
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let body = std::fs::read(&args[1]).expect("BODY.json");
    let out = std::path::Path::new(&args[2]);
    let count = args.get(3).and_then(|s| s.strip_prefix("count:")).map(|s| {
        let (what, n) = s.split_once(':').unwrap();
        (what.to_owned(), n.parse::<usize>().unwrap())
    });
    let samples: usize = if count.is_some() { 1 } else { args.get(3).map_or(60, |s| s.parse().unwrap()) };
    let side = env!("CARGO_PKG_NAME").trim_start_matches("bench-");
    let req = CreateKeyPairRequest::builder()
        .key_pair_name("my-key-pair")
        .tags(Tag::builder().key("team").value("platform").build())
        .tags(Tag::builder().key("env").value("production").build())
        .tags(Tag::builder().key("cost-center").value("cc-1234").build())
        .build()
        .unwrap();
    let result = decode(&body).unwrap();
    if let Some((what, n)) = count {
        for _ in 0..n {
            match what.as_str() {
                "decode" => drop(black_box(decode(black_box(&body)).unwrap())),
                "decode-path" => {
                    if let Some((_, f)) = EXTRA.first() {
                        drop(black_box(f(black_box(&body)).unwrap()));
                    }
                }
                "encode" => drop(black_box(encode(black_box(&result)))),
                "request" => drop(black_box(encode_req(black_box(&req)))),
                _ => panic!("count:WHAT:N, WHAT one of decode, decode-path, encode, request"),
            }
        }
        return;
    }
    assert_eq!(result.instances.as_ref().map_or(0, Vec::len), 1000);
    for (name, f) in EXTRA {
        assert!(f(&body).unwrap() == result, "{name} decodes differently");
    }
    std::fs::write(out.join(format!("{side}-result.json")), encode(&result)).unwrap();
    std::fs::write(out.join(format!("{side}-request.json")), encode_req(&req)).unwrap();

    let d = time_large(samples, || decode(black_box(&body)).unwrap());
    report("decode GetInstancesResult", "ms", 1e3, d, body.len());
    for (name, f) in EXTRA {
        let d = time_large(samples, || f(black_box(&body)).unwrap());
        report(&format!("  {name}"), "ms", 1e3, d, body.len());
    }
    let e = time_large(samples, || encode(black_box(&result)));
    report("encode GetInstancesResult", "ms", 1e3, e, body.len());
    let s = time_small(samples, || encode_req(black_box(&req)));
    report("encode CreateKeyPairRequest", "ns", 1e9, s, 0);
    for (name, f) in EXTRA_REQ {
        assert_eq!(f(&req), encode_req(&req));
        let s = time_small(samples, || f(black_box(&req)));
        report(&format!("  {name}"), "ns", 1e9, s, 0);
    }
}
