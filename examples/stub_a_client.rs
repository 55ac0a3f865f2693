//! Tests code that calls Lightsail without a network or credentials: a `Stubber` answers the
//! call with a typed output, checked against the model, and fails on any call it did not expect.
//!
//!     cargo run --example stub_a_client
//!
//! It needs the generated crate's `test-util` feature (see this package's `Cargo.toml`); in your
//! own crate, turn it on in `[dev-dependencies]`.

use lightsail::client::{Client, Stubber};
use lightsail::operation::create_key_pair::CreateKeyPair;
use lightsail::types::{CreateKeyPairResult, KeyPair};

/// The code under test: creates a key pair and returns its fingerprint.
async fn fingerprint_of_new_key(client: &Client, name: &str) -> Result<String, String> {
    let out = client
        .create_key_pair()
        .key_pair_name(name)
        .send()
        .await
        .map_err(|e| e.to_string())?;
    out.key_pair
        .as_ref()
        .and_then(|k| k.fingerprint.clone())
        .ok_or_else(|| "the service returned no fingerprint".to_owned())
}

#[tokio::main]
async fn main() {
    let stubber = Stubber::new();
    stubber.expect::<CreateKeyPair>(
        |input| input.key_pair_name.as_deref() == Some("deploy-key"),
        Ok(CreateKeyPairResult::builder()
            .key_pair(KeyPair::builder().fingerprint("12:f8:7e:78").build())
            .build()),
    );
    let client = Client::new(stubber.config().build());
    let fingerprint = fingerprint_of_new_key(&client, "deploy-key").await;
    assert_eq!(fingerprint.as_deref(), Ok("12:f8:7e:78"));
    stubber.assert_done();
    println!("ok: the stubbed CreateKeyPair answered with fingerprint 12:f8:7e:78");
}
