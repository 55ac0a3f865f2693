//! Runnable examples of smithgen-generated clients; see `examples/README.md`. The examples are
//! the `[[example]]` targets of this package (`cargo run --example NAME`); this library is empty.

#![forbid(unsafe_code)]
