//! (c) S3 hello: build an S3 client from the environment and call ListBuckets.
//! It is only built, never run.

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    rt.block_on(async {
        let config = aws_config::load_from_env().await;
        let client = aws_sdk_s3::Client::new(&config);
        let out = client.list_buckets().send().await?;
        println!("{:?}", out.buckets.as_ref().map(|b| b.len()));
        Ok(())
    })
}
