//! (a)/(b) hello: build a Lightsail client from the environment and call CreateKeyPair.
//! It is only built, never run.

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    rt.block_on(async {
        let client = lightsail::Client::from_env().await?;
        let out = client.create_key_pair().key_pair_name("hello").send().await?;
        println!("{:?}", out.key_pair);
        Ok(())
    })
}
