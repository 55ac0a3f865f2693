fn main() -> Result<(), Box<dyn std::error::Error>> {
    smithgen::Config::new()
        .operations(["CreateKeyPair"]) // optional subset
        .generate("../../models/lightsail.json")?; // writes $OUT_DIR/lightsail.rs
    Ok(())
}
