//! (a) S3 hello: build an S3 client from the environment and call ListBuckets.
//! It is only built, never run.

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    rt.block_on(async {
        let client = s3::Client::from_env().await?;
        let out = client.list_buckets().send().await?;
        println!("{:?}", out.buckets.as_ref().map(|b| b.len()));
        Ok(())
    })
}
