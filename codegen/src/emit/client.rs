//! The service client: `Client` with one method per operation returning the operation's fluent
//! builder, the service's static description for the runtime, and the model's endpoint tests as
//! Rust tests.

use proc_macro2::TokenStream;
use quote::quote;
use serde_json::Value;

use super::Module;
use crate::model::{trait_ids, Shape};
use crate::select::ServiceView;
use crate::symbols::{ident, snake_ident, Symbols};

const RULE_SET: &str = "smithy.rules#endpointRuleSet";
const ENDPOINT_TESTS: &str = "smithy.rules#endpointTests";
const SIGV4: &str = "aws.auth#sigv4";

/// Method names `Client` defines itself; an operation with one of these names gets a `_call` suffix.
const RESERVED: &[&str] = &["new", "from_env", "config", "handle", "clone", "fmt"];

/// The client method of an operation (`create_key_pair`).
pub fn method_name(symbols: &Symbols, operation: &Shape) -> String {
    let module = &symbols.operation(&operation.id).module;
    if RESERVED.contains(&module.as_str()) {
        format!("{module}_call")
    } else {
        module.clone()
    }
}

/// Emits `client`, or nothing when the service's protocol has no client support.
pub fn emit_client(view: &ServiceView<'_>, symbols: &Symbols, crate_name: &str) -> Option<Module> {
    super::protocol::for_service(view.service)?;
    let service = view.service;
    let aws = service.traits.get(trait_ids::AWS_SERVICE);
    let aws_str = |key: &str| aws.and_then(|v| v.get(key)).and_then(Value::as_str);
    let sdk_id = aws_str("sdkId").unwrap_or(service.id.name()).to_owned();
    // Without `@aws.auth#sigv4` the service takes anonymous requests: an empty signing name
    // tells the client not to sign (nor to need credentials).
    let signing_name = service
        .traits
        .get(SIGV4)
        .and_then(|v| v.get("name"))
        .and_then(Value::as_str)
        .map(str::to_owned)
        .unwrap_or_default();
    let endpoint_prefix = aws_str("endpointPrefix")
        .map(str::to_owned)
        .or_else(|| (!signing_name.is_empty()).then(|| signing_name.clone()))
        .or_else(|| aws_str("arnNamespace").map(str::to_owned))
        .unwrap_or_else(|| sdk_id.to_lowercase());
    let rules = match service.traits.get(RULE_SET) {
        Some(v) => {
            let json = serde_json::to_string(v).unwrap_or_default();
            quote!(Some(#json))
        }
        None => quote!(None),
    };
    let title = service
        .traits
        .get(trait_ids::TITLE)
        .and_then(Value::as_str)
        .unwrap_or(&sdk_id)
        .to_owned();

    let methods = view.operations.iter().map(|op| {
        let names = symbols.operation(&op.id);
        let method = snake_ident(&method_name(symbols, op));
        let module = snake_ident(&names.module);
        let fluent = ident(&super::operations::fluent_builder_name(symbols, op));
        let doc = format!(
            " Prepares a call of [`{ty}`](super::operation::{module}::{ty}).",
            ty = names.type_name,
            module = names.module
        );
        let deprecated = super::deprecated_attr(&op.traits);
        quote! {
            #[doc = #doc]
            #deprecated
            pub fn #method(&self) -> super::operation::#module::#fluent {
                super::operation::#module::#fluent::new(self.handle.clone())
            }
        }
    });
    let waiter_methods = view.operations.iter().flat_map(|op| {
        let module = snake_ident(&symbols.operation(&op.id).module);
        let module_name = symbols.operation(&op.id).module.clone();
        super::waiters::waiters(op).into_iter().map(move |(name, waiter)| {
            let method = snake_ident(&super::waiters::waiter_method(name));
            let ty = ident(&super::waiters::waiter_type(name));
            let doc = format!(
                " Prepares a [`{ty}`](super::operation::{module_name}::{ty}): polls until the `{name}` state.",
                ty = super::waiters::waiter_type(name),
            );
            let deprecated = if waiter.get("deprecated").and_then(Value::as_bool) == Some(true) {
                quote!(#[deprecated])
            } else {
                TokenStream::new()
            };
            quote! {
                #[doc = #doc]
                #deprecated
                pub fn #method(&self) -> super::operation::#module::#ty {
                    super::operation::#module::#ty::new(self.handle.clone())
                }
            }
        })
    }).collect::<Vec<_>>();
    let client_doc = format!(
        " A client for {title}. Cheap to clone: clones share the configuration, connection pool, \
         cached credentials and retry quota."
    );
    let tests = endpoint_tests(view, symbols, service);
    let items = quote! {
        use std::sync::Arc;

        pub use smithgen_runtime::auth::credentials::Credentials;
        pub use smithgen_runtime::client::{
            AccountIdEndpointMode, CallOptions, Config, ConfigBuilder, ConfigError, HttpResponse, Interceptor, Response, RetryConfig, RetryMode, SdkError, Stubber, TimeoutConfig, TlsConfig,
        };
        /// The request an [`Interceptor`] sees in `modify_before_signing`.
        pub use smithgen_runtime::protocol::HttpRequest;

        /// What the runtime needs to know about the service.
        pub static SERVICE: smithgen_runtime::client::ServiceInfo = smithgen_runtime::client::ServiceInfo {
            sdk_id: #sdk_id,
            signing_name: #signing_name,
            endpoint_prefix: #endpoint_prefix,
            endpoint_rules: #rules,
            crate_name: #crate_name,
            crate_version: env!("CARGO_PKG_VERSION"),
            rule_set_cache: std::sync::OnceLock::new(),
        };

        #[doc = #client_doc]
        #[derive(Clone, Debug)]
        pub struct Client {
            handle: Arc<smithgen_runtime::client::ClientHandle>,
        }

        impl Client {
            /// A client with this configuration.
            pub fn new(config: Config) -> Self {
                Client {
                    handle: Arc::new(smithgen_runtime::client::ClientHandle::new(&SERVICE, config)),
                }
            }

            /// A client configured from the environment and the shared AWS config files (see
            /// [`Config::from_env`]); fails, saying what it looked at, without a region or
            /// (where that is known before the first call) credentials.
            pub async fn from_env() -> Result<Self, ConfigError> {
                Ok(Self::new(Config::from_env()?))
            }

            /// The configuration.
            pub fn config(&self) -> &Config {
                self.handle.config()
            }

            /// The runtime state behind the client (its endpoint, for one).
            pub fn handle(&self) -> &smithgen_runtime::client::ClientHandle {
                &self.handle
            }

            #(#methods)*
            #(#waiter_methods)*
        }

        #tests
    };
    Some(Module {
        name: "client".into(),
        attrs: quote! {
            #[doc = " The service client, its configuration and the test stubber."]
            #[allow(deprecated)]
        },
        public: true,
        items,
        children: Vec::new(),
    })
}

/// The model's `smithy.rules#endpointTests` as Rust tests: each case's built-in parameters go
/// into a `Config`, the endpoint is resolved the way the client resolves it, and the URL (or
/// error message) and SigV4 signing name and region must be the expected ones. Cases with
/// `operationInputs` read the operation's generated input from the case's `operationParams`
/// (with `JsonRead`, which the `endpoint-tests` feature turns on through `test-util`), bind
/// its endpoint parameters with the generated `Operation::endpoint_params` (checked against
/// the case's `params`), and resolve for that call. Cases with parameters a `Config` cannot
/// express are resolved with the rule set directly.
fn endpoint_tests(view: &ServiceView<'_>, symbols: &Symbols, service: &Shape) -> TokenStream {
    if !view.endpoint_tests {
        return TokenStream::new();
    }
    let Some(cases) = service
        .traits
        .get(ENDPOINT_TESTS)
        .and_then(|t| t.get("testCases"))
        .and_then(Value::as_array)
    else {
        return TokenStream::new();
    };
    let rule_set = service.traits.get(RULE_SET);
    let legacy = crate::endpoints::legacy_only_cases(view.model, service);
    let built_in = |name: &str| -> Option<&str> {
        rule_set?
            .get("parameters")?
            .get(name)?
            .get("builtIn")?
            .as_str()
    };
    let mut tests = Vec::new();
    for (i, case) in cases.iter().enumerate() {
        let Some(params) = case.get("params").and_then(Value::as_object) else {
            continue;
        };
        let doc = case
            .get("documentation")
            .and_then(Value::as_str)
            .map(|d| format!(" {d}"))
            .unwrap_or_default();
        let name = ident(&format!("case_{i:03}"));
        let mut setters = Vec::new();
        let mut direct = Vec::new();
        let mut config_ok = true;
        for (param, value) in params {
            let set = match (built_in(param), value) {
                (Some("AWS::Region"), Value::String(s)) => quote!(.region(#s)),
                (Some("AWS::UseFIPS"), Value::Bool(b)) => quote!(.use_fips(#b)),
                (Some("AWS::UseDualStack"), Value::Bool(b)) => quote!(.use_dual_stack(#b)),
                (Some("SDK::Endpoint"), Value::String(s)) => quote!(.endpoint_url(#s)),
                _ => {
                    config_ok = false;
                    quote!()
                }
            };
            setters.push(set);
            let value = match value {
                Value::String(s) => quote!(#s),
                Value::Bool(b) => quote!(#b),
                Value::Array(items) => {
                    let items = items.iter().filter_map(Value::as_str);
                    quote!(vec![#(#items),*])
                }
                _ => continue,
            };
            direct.push(quote!(params.set(#param, #value);));
        }
        let expect = case.get("expect");
        let error = expect.and_then(|e| e.get("error")).and_then(Value::as_str);
        let endpoint = expect.and_then(|e| e.get("endpoint"));
        let url = endpoint.and_then(|e| e.get("url")).and_then(Value::as_str);
        let sigv4 = endpoint
            .and_then(|e| e.get("properties"))
            .and_then(|p| p.get("authSchemes"))
            .and_then(Value::as_array)
            .and_then(|schemes| {
                schemes
                    .iter()
                    .find(|s| s.get("name").and_then(Value::as_str) == Some("sigv4"))
            });
        let check_signing = |resolved: TokenStream| match sigv4 {
            Some(s) => {
                let name = s.get("signingName").and_then(Value::as_str);
                let region = s.get("signingRegion").and_then(Value::as_str);
                let name = name.map(|n| quote!(assert_eq!(#resolved.signing_name, #n);));
                let region = region.map(|r| quote!(assert_eq!(#resolved.signing_region, #r);));
                quote!(#name #region)
            }
            None => TokenStream::new(),
        };
        let operation_test = case
            .get("operationInputs")
            .and_then(Value::as_array)
            .and_then(|inputs| {
                let is_built_in = |name: &str| built_in(name).is_some();
                operation_inputs_test(
                    view,
                    symbols,
                    inputs,
                    params,
                    &is_built_in,
                    url,
                    error,
                    &check_signing,
                )
            });
        let body = if let Some(body) = operation_test {
            body
        } else if config_ok {
            let outcome = match (url, error) {
                (Some(url), _) => {
                    let signing = check_signing(quote!(endpoint));
                    quote! {
                        let endpoint = resolved.expect("the case expects an endpoint");
                        assert_eq!(endpoint.url, #url.trim_end_matches('/'));
                        #signing
                    }
                }
                (None, Some(error)) => quote! {
                    let error = resolved.expect_err("the case expects an error");
                    assert!(error.contains(#error), "{error}");
                },
                (None, None) => continue,
            };
            quote! {
                let config = Config::builder() #(#setters)* .build();
                let resolved = smithgen_runtime::client::resolve_endpoint(&SERVICE, &config, Some(rules()));
                #outcome
            }
        } else {
            let outcome = match (url, error) {
                (Some(url), _) => quote! {
                    let endpoint = rules().resolve(&params).expect("the case expects an endpoint");
                    assert_eq!(endpoint.url, #url);
                },
                (None, Some(error)) => quote! {
                    let error = rules().resolve(&params).expect_err("the case expects an error");
                    assert_eq!(error.message(), #error);
                },
                (None, None) => continue,
            };
            let binding = if direct.is_empty() {
                quote!(let params = smithgen_runtime::endpoint::Params::new();)
            } else {
                quote!(let mut params = smithgen_runtime::endpoint::Params::new();)
            };
            quote! {
                #binding
                #(#direct)*
                #outcome
            }
        };
        let ignore = if legacy.contains(&i) {
            quote!(#[ignore = "written against older partition data (ISO partitions without dual-stack); `smithgen check-endpoints` checks it with that data"])
        } else {
            TokenStream::new()
        };
        tests.push(quote! {
            #[doc = #doc]
            #[test]
            #ignore
            fn #name() {
                #body
            }
        });
    }
    if tests.is_empty() {
        return TokenStream::new();
    }
    quote! {
        /// The model's endpoint tests (`smithy.rules#endpointTests`), behind the crate's
        /// `endpoint-tests` feature: `cargo test --features endpoint-tests`.
        #[cfg(all(test, feature = "endpoint-tests"))]
        mod endpoint_tests {
            use super::*;

            // A `harness = false` target that includes this code is compiled with `cfg(test)`
            // but without its `#[test]` functions, the only users of this one.
            #[allow(dead_code)]
            fn rules() -> &'static smithgen_runtime::endpoint::RuleSet {
                SERVICE
                    .endpoint_rule_set()
                    .expect("the rule set was validated at generation time")
                    .expect("the model has a rule set")
            }

            #(#tests)*
        }
    }
}

/// The body of a test of a case's `operationInputs`, or `None` when one of them cannot be
/// expressed (an operation left out of the crate, client parameters, a built-in a `Config`
/// does not have, no `JsonRead` for inputs): the case is then tested through its `params`.
#[allow(clippy::too_many_arguments)]
fn operation_inputs_test(
    view: &ServiceView<'_>,
    symbols: &Symbols,
    inputs: &[Value],
    params: &serde_json::Map<String, Value>,
    is_built_in: &dyn Fn(&str) -> bool,
    url: Option<&str>,
    error: Option<&str>,
    check_signing: &dyn Fn(TokenStream) -> TokenStream,
) -> Option<TokenStream> {
    if view.stubs == crate::StubSupport::Never || inputs.is_empty() {
        return None;
    }
    let outcome = match (url, error) {
        (Some(url), _) => {
            let signing = check_signing(quote!(endpoint));
            quote! {
                let endpoint = resolved.expect("the case expects an endpoint");
                assert_eq!(endpoint.url, #url.trim_end_matches('/'));
                #signing
            }
        }
        (None, Some(error)) => quote! {
            let error = resolved.expect_err("the case expects an error");
            assert!(error.contains(#error), "{error}");
        },
        (None, None) => return None,
    };
    // The parameters the operation itself binds (not built-ins), as the case expects them;
    // the case's other parameters (S3's `DisableAccessPoints: false`) are what the call
    // leaves unset, and the resolved endpoint checks them.
    let mut bound: Vec<(&str, TokenStream)> = Vec::new();
    for (name, value) in params {
        if is_built_in(name) {
            continue;
        }
        let value = match value {
            Value::String(s) => quote!(#s),
            Value::Bool(b) => quote!(#b),
            Value::Array(items) if items.iter().all(Value::is_string) => {
                let items = items.iter().filter_map(Value::as_str);
                quote!(vec![#(#items),*])
            }
            _ => return None,
        };
        bound.push((
            name.as_str(),
            quote! {
                assert_eq!(
                    params.get(#name),
                    Some(&smithgen_runtime::endpoint::Value::from(#value)),
                    "the operation binds {}", #name
                );
            },
        ));
    }
    let mut calls = Vec::new();
    for input in inputs {
        let name = input.get("operationName")?.as_str()?;
        let operation = view.operations.iter().find(|op| op.id.name() == name)?;
        if input
            .get("clientParams")
            .and_then(Value::as_object)
            .is_some_and(|p| !p.is_empty())
        {
            return None;
        }
        let mut setters = Vec::new();
        let mut account = quote!(None);
        if let Some(built_ins) = input.get("builtInParams").and_then(Value::as_object) {
            for (key, value) in built_ins {
                setters.push(match (key.as_str(), value) {
                    ("AWS::Region", Value::String(s)) => quote!(.region(#s)),
                    ("AWS::UseFIPS", Value::Bool(b)) => quote!(.use_fips(#b)),
                    ("AWS::UseDualStack", Value::Bool(b)) => quote!(.use_dual_stack(#b)),
                    ("SDK::Endpoint", Value::String(s)) => quote!(.endpoint_url(#s)),
                    ("AWS::Auth::AccountId", Value::String(s)) => {
                        account = quote!(Some(#s));
                        continue;
                    }
                    ("AWS::Auth::AccountIdEndpointMode", Value::String(s)) => {
                        let mode = match s.as_str() {
                            "preferred" => quote!(Preferred),
                            "disabled" => quote!(Disabled),
                            "required" => quote!(Required),
                            _ => return None,
                        };
                        quote!(.account_id_endpoint_mode(AccountIdEndpointMode::#mode))
                    }
                    _ => return None,
                });
            }
        }
        let json =
            serde_json::to_string(input.get("operationParams").unwrap_or(&Value::Null)).ok()?;
        let json = if json == "null" {
            "{}".to_owned()
        } else {
            json
        };
        let names = symbols.operation(&operation.id);
        let module = snake_ident(&names.module);
        let marker = ident(&names.type_name);
        let binds = super::endpoint_params::bound_param_names(view, operation);
        let checks = bound
            .iter()
            .filter(|(name, _)| binds.contains(name))
            .map(|(_, check)| check);
        let check_bound = quote!(#(#checks)*);
        calls.push(quote! {
            {
                type Op = super::super::operation::#module::#marker;
                let input = <<Op as smithgen_runtime::Operation>::Input as smithgen_runtime::protocol::JsonRead>::from_json(#json.as_bytes())
                    .expect("the case's operationParams are a valid input");
                let mut params = smithgen_runtime::endpoint::Params::new();
                <Op as smithgen_runtime::Operation>::endpoint_params(&input, &mut params);
                #check_bound
                let config = Config::builder() #(#setters)* .build();
                let call = smithgen_runtime::client::CallEndpoint {
                    endpoint_url: None,
                    account_id: #account,
                    params,
                };
                let resolved = smithgen_runtime::client::resolve_call_endpoint(&SERVICE, &config, Some(rules()), &call);
                #outcome
            }
        });
    }
    Some(quote!(#(#calls)*))
}
