//! What every generated operation has in common.

/// An operation of a service: generated crates implement it on one marker type per operation
/// (`lightsail::operation::create_key_pair::CreateKeyPair`), so that one generic code path can
/// serialize, send and parse any operation instead of a copy of that machinery per operation.
pub trait Operation {
    /// The operation's name in the model (`CreateKeyPair`).
    const NAME: &'static str;
    /// Its input structure (`()` when the operation takes none).
    type Input;
    /// Its output structure (`()` when the operation returns none).
    type Output;
    /// Its error enum: one variant per modeled error plus `Unhandled`.
    type Error: std::error::Error;
}
