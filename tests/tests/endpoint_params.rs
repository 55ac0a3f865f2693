//! Operations that bind endpoint parameters (`fixtures/models/endpoint-params`), against a
//! loopback server: each call's endpoint comes from its own input (`@contextParam`,
//! `@operationContextParams` paths of every supported form) or the model's constants
//! (`@staticContextParams`), or from the credentials' account id; operations that bind nothing
//! keep the client's endpoint. An unsupported path is a generation error naming the operation.

use smithgen_runtime::auth::Credentials;
use smithgen_runtime::client::{AccountIdEndpointMode, Config};
use smithgen_tests::endpoint_params::client::Client;
use smithgen_tests::endpoint_params::types::{Entry, Target};
use smithgen_tests::server::{Action, Server};

fn config(server: &Server, credentials: Credentials) -> smithgen_runtime::client::ConfigBuilder {
    Config::builder()
        .region("us-east-1")
        .credentials(credentials)
        .endpoint_url(server.url())
}

fn keys() -> Credentials {
    Credentials::new("AKID", "secret", None)
}

fn paths(server: &Server) -> Vec<String> {
    server.received().into_iter().map(|r| r.path).collect()
}

#[tokio::test]
async fn each_call_resolves_its_endpoint_from_its_input() {
    let server = Server::start((0..6).map(|_| Action::json(200, "{}")));
    let client = Client::new(config(&server, keys()).build());
    // Operations without bindings use the client's endpoint.
    assert_eq!(
        client.handle().endpoint().unwrap().url,
        server.url().trim_end_matches('/')
    );
    client.ping().send().await.unwrap();
    // @contextParam on a required member (a plain field).
    client
        .get_table()
        .table_name("orders")
        .send()
        .await
        .unwrap();
    // keys(items): the map's keys, sorted so that hashing does not choose the first.
    client
        .batch_get()
        .items("zeta", "1")
        .items("alpha", "2")
        .send()
        .await
        .unwrap();
    // entries[*].target.table: a projection through a list and a required structure.
    let entry = |t: &str| {
        Entry::builder()
            .target(Target::builder().table(t).build())
            .build()
            .unwrap()
    };
    client
        .transact()
        .entries(entry("first"))
        .entries(entry("second"))
        .send()
        .await
        .unwrap();
    // spec.table: a member chain through optional members.
    client
        .create_table()
        .spec(Target::builder().table("nested").build())
        .send()
        .await
        .unwrap();
    // @staticContextParams.
    client.list_tables().send().await.unwrap();
    assert_eq!(
        paths(&server),
        [
            "/",
            "/t/orders/",
            "/tables/alpha/",
            "/tables/first/",
            "/nested/nested/",
            "/control/"
        ]
    );
    // The signature covers the per-call endpoint's request.
    for r in server.received() {
        assert!(r
            .header("authorization")
            .is_some_and(|a| a.contains("/us-east-1/tables/")));
    }
}

#[tokio::test]
async fn absent_members_bind_nothing() {
    let server = Server::start((0..3).map(|_| Action::json(200, "{}")));
    let client = Client::new(config(&server, keys()).build());
    client.create_table().send().await.unwrap();
    client.transact().send().await.unwrap();
    client
        .create_table()
        .spec(Target::builder().build())
        .send()
        .await
        .unwrap();
    assert_eq!(paths(&server), ["/", "/", "/"]);
}

#[tokio::test]
async fn the_credentials_account_id_chooses_account_endpoints_unless_disabled() {
    let server = Server::start((0..3).map(|_| Action::json(200, "{}")));
    let with_account = keys().with_account_id("111122223333");
    let client = Client::new(config(&server, with_account.clone()).build());
    client.ping().send().await.unwrap();
    // The operation's own parameters come first in this rule set.
    client.get_table().table_name("t").send().await.unwrap();
    let disabled = Client::new(
        config(&server, with_account)
            .account_id_endpoint_mode(AccountIdEndpointMode::Disabled)
            .build(),
    );
    disabled.ping().send().await.unwrap();
    assert_eq!(paths(&server), ["/account/111122223333/", "/t/t/", "/"]);
}

#[tokio::test]
async fn required_account_endpoints_need_credentials_with_an_account_id() {
    let server = Server::start([Action::json(200, "{}")]);
    let required = |credentials| {
        Client::new(
            config(&server, credentials)
                .account_id_endpoint_mode(AccountIdEndpointMode::Required)
                .build(),
        )
    };
    // The client's own endpoint (no account id yet) is the rule set's error, but a call whose
    // credentials carry one resolves.
    let client = required(keys().with_account_id("111122223333"));
    assert!(client.handle().endpoint().is_err());
    client.ping().send().await.unwrap();
    assert_eq!(paths(&server), ["/required/111122223333/"]);
    // Without one, the call fails before sending, with the rule set's message.
    let err = required(keys()).ping().send().await.unwrap_err();
    assert!(
        err.to_string()
            .contains("AccountIdEndpointMode is required but no AccountID was provided"),
        "{err}"
    );
    assert_eq!(server.received().len(), 1);
}

#[tokio::test]
async fn customize_overrides_the_endpoint_and_the_bindings_still_apply() {
    let server = Server::start([]);
    let other = Server::start([Action::json(200, "{}")]);
    let client = Client::new(config(&server, keys()).build());
    client
        .get_table()
        .table_name("orders")
        .customize(|c| c.endpoint_url(other.url()))
        .send()
        .await
        .unwrap();
    assert_eq!(paths(&other), ["/t/orders/"]);
    assert!(server.received().is_empty());
}

#[test]
fn an_unsupported_path_is_an_error_naming_the_operation() {
    let path = smithgen_tests::repo_root().join("tests/fixtures/models/endpoint-params/main.json");
    let text = std::fs::read_to_string(&path).unwrap();
    for (bad, why) in [
        (
            "entries[?target.table == 'x'].target.table",
            "not a supported JMESPath expression",
        ),
        ("entries.target", "is not a member of a structure"),
        ("keys(entries)", "`keys` of a list, not a map"),
        (
            "entries[*].target",
            "cannot set the rule set's StringArray parameter",
        ),
    ] {
        let changed = text.replace("entries[*].target.table", bad);
        assert_ne!(changed, text);
        let dir =
            std::env::temp_dir().join(format!("smithgen-ctx-{}-{}", std::process::id(), bad.len()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("main.json");
        std::fs::write(&file, changed).unwrap();
        let model = smithgen::load(&[&file]).unwrap();
        let err = smithgen::emit(&model, &smithgen::GenerateOptions::default())
            .err()
            .expect("the path is refused")
            .to_string();
        std::fs::remove_dir_all(&dir).unwrap();
        assert!(err.contains("example.ctx#Transact"), "{bad}: {err}");
        assert!(err.contains(bad), "{bad}: {err}");
        assert!(err.contains(why), "{bad}: {err}");
    }
}

/// DynamoDB's endpoint tests with `operationInputs` (run by CI with `--features
/// endpoint-tests`) are generated against the operations' inputs, not their flattened `params`:
/// every one of them, with the bindings checked where the operation has any.
#[test]
fn dynamodb_operation_input_cases_use_the_generated_inputs() {
    let Some(shared) = smithgen_tests::shared_dir() else {
        eprintln!("skipped: ../shared is not there");
        return;
    };
    let model = smithgen::load(&[shared.join("models/aws/dynamodb-2012-08-10.json")]).unwrap();
    let options = smithgen::GenerateOptions {
        endpoint_tests: true,
        ..Default::default()
    };
    let code = smithgen::format_single_file(&smithgen::emit(&model, &options).unwrap()).unwrap();
    assert_eq!(
        code.matches("operationParams are a valid input").count(),
        145
    );
    // DescribeTable binds ResourceArn; BatchGetItem binds ResourceArnList.
    assert!(code.contains("params.get(\"ResourceArn\")"));
    assert!(code.contains("params.get(\"ResourceArnList\")"));
    assert!(code.contains("const HAS_ENDPOINT_PARAMS: bool = true;"));
}
