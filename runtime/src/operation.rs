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

    /// Whether the operation binds endpoint rule-set parameters of its own (`@contextParam`
    /// members, `@staticContextParams`, `@operationContextParams`): a client then resolves
    /// the endpoint for each call of it instead of using the one it resolved when made.
    const HAS_ENDPOINT_PARAMS: bool = false;

    /// Sets the endpoint parameters this operation binds, from `input` and the model's
    /// constants (nothing by default).
    fn endpoint_params(input: &Self::Input, params: &mut crate::endpoint::Params) {
        let _ = (input, params);
    }
}
