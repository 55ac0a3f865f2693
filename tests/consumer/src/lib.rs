//! The Lightsail CreateKeyPair code, generated at build time by `build.rs`.

#![forbid(unsafe_code)]

smithgen_runtime::include_service!("lightsail");
