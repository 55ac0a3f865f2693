//! Streams a model's answer with Bedrock Runtime's `ConverseStream`, printing each text delta as
//! soon as its event arrives:
//!
//! ```text
//! cargo run --example converse_stream -- "Write a haiku about Rust"
//! ```
//!
//! Credentials, region and endpoint come from the environment (`AWS_PROFILE`, `AWS_REGION`,
//! `AWS_ENDPOINT_URL`, …); `BEDROCK_MODEL_ID` picks the model.

use std::io::Write as _;

use smithgen_aws_streaming::bedrock_runtime::client::Client;
use smithgen_aws_streaming::bedrock_runtime::types::{
    ContentBlock, ContentBlockDelta, ConversationRole, ConverseStreamOutput, Message,
};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let prompt = std::env::args()
        .nth(1)
        .ok_or("usage: converse_stream PROMPT")?;
    let model = std::env::var("BEDROCK_MODEL_ID")
        .unwrap_or_else(|_| "anthropic.claude-3-haiku-20240307-v1:0".to_owned());
    let client = Client::from_env().await?;
    let message = Message::builder()
        .role(ConversationRole::User)
        .content(ContentBlock::Text(prompt))
        .build()?;
    let mut output = client
        .converse_stream()
        .model_id(model)
        .messages(message)
        .send()
        .await?
        .into_inner();
    let mut stdout = std::io::stdout();
    while let Some(event) = output.stream.recv().await? {
        match event {
            ConverseStreamOutput::ContentBlockDelta(event) => {
                if let ContentBlockDelta::Text(text) = event.delta {
                    stdout.write_all(text.as_bytes())?;
                    stdout.flush()?;
                }
            }
            ConverseStreamOutput::MessageStop(_) => {
                writeln!(stdout)?;
            }
            _ => {}
        }
    }
    Ok(())
}
