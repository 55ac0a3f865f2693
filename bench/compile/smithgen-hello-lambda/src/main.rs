//! (a) Lambda hello: build a Lambda client from the environment and call GetAccountSettings.
//! It is only built, never run.

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    rt.block_on(async {
        let client = lambda::Client::from_env().await?;
        let out = client.get_account_settings().send().await?;
        println!("{:?}", out.account_limit);
        Ok(())
    })
}
