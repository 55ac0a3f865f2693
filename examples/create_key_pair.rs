//! Creates a Lightsail key pair with the region, credentials and endpoint of the environment,
//! and prints the response.
//!
//!     cargo run --example create_key_pair -- NAME
//!
//! Region: `AWS_REGION`, `AWS_DEFAULT_REGION` or the profile's `region`. Credentials:
//! `AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY`/`AWS_SESSION_TOKEN` or the shared files
//! (`AWS_PROFILE`, `AWS_SHARED_CREDENTIALS_FILE`, `AWS_CONFIG_FILE`). Endpoint:
//! `AWS_ENDPOINT_URL_LIGHTSAIL`, `AWS_ENDPOINT_URL`, else the region's.

use std::process::ExitCode;

use lightsail::Client;

#[tokio::main]
async fn main() -> ExitCode {
    let Some(name) = std::env::args().nth(1) else {
        eprintln!("usage: cargo run --example create_key_pair -- NAME");
        return ExitCode::from(2);
    };
    let client = match Client::from_env().await {
        Ok(client) => client,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    match client.create_key_pair().key_pair_name(&name).send().await {
        Ok(out) => {
            let key_pair = out.key_pair.as_ref();
            let field = |v: Option<&String>| v.map_or("-", String::as_str).to_owned();
            println!(
                "name:        {}",
                field(key_pair.and_then(|k| k.name.as_ref()))
            );
            println!(
                "fingerprint: {}",
                field(key_pair.and_then(|k| k.fingerprint.as_ref()))
            );
            println!(
                "status:      {}",
                out.operation
                    .as_ref()
                    .and_then(|o| o.status.as_ref())
                    .map_or("-", |s| s.as_str())
            );
            println!("request id:  {}", out.request_id().unwrap_or("-"));
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            if let Some(id) = e.request_id() {
                eprintln!("request id: {id}");
            }
            ExitCode::FAILURE
        }
    }
}
