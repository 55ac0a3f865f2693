//! Rule sets end to end: parsing, checking, evaluation.

use super::*;

/// A rule set with the given parameters and rules (JSON text).
fn rule_set(parameters: &str, rules: &str) -> Result<RuleSet, RuleSetError> {
    RuleSet::from_json(&format!(
        r#"{{"version": "1.1", "parameters": {{{parameters}}}, "rules": [{rules}]}}"#
    ))
}

/// The location and message of the error parsing a rule set.
fn parse_error(parameters: &str, rules: &str) -> (String, String) {
    let error = rule_set(parameters, rules).expect_err("the rule set should not parse");
    (error.location().to_owned(), error.message().to_owned())
}

/// Resolves and returns the URL, or the error message.
fn url(rules: &RuleSet, params: Params) -> Result<String, String> {
    rules
        .resolve(&params)
        .map(|e| e.url)
        .map_err(|e| e.to_string())
}

const STRING_INPUT: &str = r#""Input": {"type": "string", "required": true, "documentation": "x"}"#;

/// A rule set that evaluates `condition` (which assigns `out`, a string)
/// and reports `out` in an error rule, falling back to `no match`.
fn probe(condition: &str) -> RuleSet {
    rule_set(
        STRING_INPUT,
        &format!(
            r#"{{"type": "error", "conditions": [{condition}], "error": "[{{out}}]"}},
               {{"type": "error", "conditions": [], "error": "no match"}}"#
        ),
    )
    .unwrap()
}

fn probe_with(rules: &RuleSet, input: &str) -> String {
    rules
        .resolve(&Params::new().with("Input", input))
        .unwrap_err()
        .to_string()
}

/// A rule set that answers `yes` when `condition` holds, else `no`.
fn predicate(condition: &str) -> RuleSet {
    rule_set(
        STRING_INPUT,
        &format!(
            r#"{{"type": "error", "conditions": [{condition}], "error": "yes"}},
               {{"type": "error", "conditions": [], "error": "no"}}"#
        ),
    )
    .unwrap()
}

#[test]
fn parameters_are_parsed() {
    let rules = rule_set(
        r#""Region": {"type": "String", "builtIn": "AWS::Region", "documentation": "The region."},
           "UseFIPS": {"type": "boolean", "builtIn": "AWS::UseFIPS", "required": true, "default": false, "documentation": "d"},
           "Arns": {"type": "stringArray", "default": ["a", "b"], "required": true, "documentation": "d",
                    "deprecated": {"message": "gone", "since": "2024"}}"#,
        r#"{"type": "error", "conditions": [], "error": "e"}"#,
    )
    .unwrap();
    assert_eq!(rules.version(), "1.1");
    let names: Vec<_> = rules.parameters().iter().map(Parameter::name).collect();
    assert_eq!(names, ["Arns", "Region", "UseFIPS"]);
    let region = rules.parameter("Region").unwrap();
    assert_eq!(region.kind(), ParameterType::String);
    assert_eq!(region.built_in(), Some("AWS::Region"));
    assert!(!region.is_required());
    assert_eq!(region.default_value(), None);
    assert_eq!(region.documentation(), Some("The region."));
    let fips = rules.parameter("UseFIPS").unwrap();
    assert_eq!(fips.kind(), ParameterType::Boolean);
    assert!(fips.is_required());
    assert_eq!(fips.default_value(), Some(&Value::Bool(false)));
    let arns = rules.parameter("Arns").unwrap();
    assert_eq!(arns.default_value(), Some(&Value::from(vec!["a", "b"])));
    assert!(arns.is_deprecated() && !fips.is_deprecated());
}

#[test]
fn defaults_required_and_parameter_errors() {
    let rules = rule_set(
        r#""Flag": {"type": "boolean", "required": true, "default": true, "documentation": "d"},
           "Name": {"type": "string", "required": true, "documentation": "d"}"#,
        r#"{"type": "endpoint", "conditions": [{"fn": "booleanEquals", "argv": [{"ref": "Flag"}, true]}],
            "endpoint": {"url": "https://{Name}.on"}},
           {"type": "endpoint", "conditions": [], "endpoint": {"url": "https://{Name}.off"}}"#,
    )
    .unwrap();
    assert_eq!(
        url(&rules, Params::new().with("Name", "a")),
        Ok("https://a.on".into())
    );
    assert_eq!(
        url(&rules, Params::new().with("Name", "a").with("Flag", false)),
        Ok("https://a.off".into())
    );
    let missing = rules.resolve(&Params::new()).unwrap_err();
    assert_eq!(missing.kind(), EndpointErrorKind::MissingParameter);
    assert_eq!(missing.message(), "parameter `Name` is required");
    let unknown = rules
        .resolve(&Params::new().with("Name", "a").with("Nope", "x"))
        .unwrap_err();
    assert_eq!(unknown.kind(), EndpointErrorKind::InvalidParameter);
    assert_eq!(unknown.message(), "the rule set has no parameter `Nope`");
    let mistyped = rules
        .resolve(&Params::new().with("Name", true))
        .unwrap_err();
    assert_eq!(mistyped.kind(), EndpointErrorKind::InvalidParameter);
    assert_eq!(
        mistyped.message(),
        "parameter `Name` must be a string, not a boolean"
    );
}

#[test]
fn error_rules_template_their_message_and_exhaustion_is_an_error() {
    let rules = rule_set(
        r#""Region": {"type": "string", "documentation": "d"}"#,
        r#"{"type": "tree", "conditions": [{"fn": "isSet", "argv": [{"ref": "Region"}]}], "rules": [
              {"type": "error", "conditions": [{"fn": "stringEquals", "argv": [{"ref": "Region"}, "bad"]}],
               "error": "Region `{Region}` is {{not}} supported"}
           ]}"#,
    )
    .unwrap();
    let error = rules
        .resolve(&Params::new().with("Region", "bad"))
        .unwrap_err();
    assert_eq!(error.kind(), EndpointErrorKind::Rule);
    assert_eq!(error.to_string(), "Region `bad` is {not} supported");
    // A tree whose rules are exhausted does not fall through to later rules.
    let exhausted = rules
        .resolve(&Params::new().with("Region", "ok"))
        .unwrap_err();
    assert_eq!(exhausted.kind(), EndpointErrorKind::NoMatch);
    let none = rules.resolve(&Params::new()).unwrap_err();
    assert_eq!(none.kind(), EndpointErrorKind::NoMatch);
}

#[test]
fn endpoints_carry_properties_and_headers() {
    let rules = rule_set(
        r#""Region": {"type": "string", "required": true, "documentation": "d"}"#,
        r#"{"type": "endpoint", "conditions": [{"fn": "aws.partition", "argv": [{"ref": "Region"}], "assign": "P"}],
            "endpoint": {
              "url": "https://svc.{Region}.{P#dnsSuffix}/{{path}}",
              "properties": {
                "authSchemes": [{"name": "sigv4", "signingName": "svc", "signingRegion": "{Region}",
                                 "disableDoubleEncoding": true, "n": 2, "nothing": null}],
                "nested": {"partition": "{P#name}"}
              },
              "headers": {"x-amz-region": ["{Region}", "static"], "x-empty": []}
            }}"#,
    )
    .unwrap();
    let endpoint = rules
        .resolve(&Params::new().with("Region", "us-gov-west-1"))
        .unwrap();
    assert_eq!(
        endpoint.url,
        "https://svc.us-gov-west-1.amazonaws.com/{path}"
    );
    let scheme = Document::from(BTreeMap::from([
        ("name".to_owned(), Document::from("sigv4")),
        ("signingName".to_owned(), Document::from("svc")),
        ("signingRegion".to_owned(), Document::from("us-gov-west-1")),
        ("disableDoubleEncoding".to_owned(), Document::from(true)),
        ("n".to_owned(), Document::from(2)),
        ("nothing".to_owned(), Document::Null),
    ]));
    assert_eq!(
        endpoint.property("authSchemes"),
        Some(&Document::from(vec![scheme]))
    );
    let nested = endpoint.property("nested").unwrap().as_object().unwrap();
    assert_eq!(nested["partition"].as_str(), Some("aws-us-gov"));
    assert_eq!(
        endpoint.headers,
        [
            (
                "x-amz-region".to_owned(),
                vec!["us-gov-west-1".to_owned(), "static".to_owned()]
            ),
            ("x-empty".to_owned(), vec![]),
        ]
    );
    // No properties: an empty object.
    let bare = rule_set(
        "",
        r#"{"type": "endpoint", "conditions": [], "endpoint": {"url": "https://x"}}"#,
    )
    .unwrap()
    .resolve(&Params::new())
    .unwrap();
    assert_eq!(bare.properties, Document::Object(BTreeMap::new()));
    assert!(bare.headers.is_empty());
}

use std::collections::BTreeMap;

#[test]
fn url_can_be_a_reference_or_a_function() {
    let rules = rule_set(
        r#""Endpoint": {"type": "string", "documentation": "d"}"#,
        r#"{"type": "endpoint", "conditions": [{"fn": "isSet", "argv": [{"ref": "Endpoint"}]}],
            "endpoint": {"url": {"ref": "Endpoint"}}},
           {"type": "endpoint", "conditions": [],
            "endpoint": {"url": {"fn": "coalesce", "argv": [{"ref": "Endpoint"}, "https://default"]}}}"#,
    )
    .unwrap();
    assert_eq!(
        url(&rules, Params::new().with("Endpoint", "https://e")),
        Ok("https://e".into())
    );
    assert_eq!(url(&rules, Params::new()), Ok("https://default".into()));
}

#[test]
fn templates() {
    let rules = probe(
        r#"{"fn": "substring", "argv": ["{{{Input}}}-{Input}}}", 0, 3, false], "assign": "x"},
                          {"fn": "coalesce", "argv": ["{{a}} {x}{{", "z"], "assign": "out"}"#,
    );
    assert_eq!(probe_with(&rules, "v"), "[{a} {v}{]");
    // Only escapes: a plain string.
    let plain = probe(r#"{"fn": "coalesce", "argv": ["{{}}", "z"], "assign": "out"}"#);
    assert_eq!(probe_with(&plain, ""), "[{}]");
}

#[test]
fn template_errors_have_locations() {
    let cases = [
        (r#""{Input""#, "unclosed `{` in template `{Input`"),
        (
            r#""a}b""#,
            "unmatched `}` in template `a}b` (write `}}` for a brace)",
        ),
        (
            r#""{}""#,
            "`{}` in template `{}` is not `{Name}` or `{Name#path}`",
        ),
        (
            r#""{Nope}""#,
            "`Nope` is neither a parameter nor a variable assigned in scope",
        ),
        (
            r#""{Input#name}""#,
            "in template `{Input#name}`: a string has no attribute `name`",
        ),
    ];
    for (argument, message) in cases {
        let rules = format!(
            r#"{{"type": "error", "conditions": [{{"fn": "stringEquals", "argv": [{{"ref": "Input"}}, {argument}]}}], "error": "x"}}"#
        );
        assert_eq!(
            parse_error(STRING_INPUT, &rules),
            (
                "rules[0].conditions[0].argv[1]".to_owned(),
                message.to_owned()
            ),
            "{argument}"
        );
    }
    let (location, message) = parse_error(
        r#""Flag": {"type": "boolean", "documentation": "d"}"#,
        r#"{"type": "endpoint", "conditions": [], "endpoint": {"url": "https://{Flag}"}}"#,
    );
    assert_eq!(location, "rules[0].endpoint.url");
    assert_eq!(
        message,
        "`{Flag}` in template `https://{Flag}` is a boolean, not a string"
    );
}

#[test]
fn parse_errors_have_locations() {
    let p = r#""Region": {"type": "string", "documentation": "d"}, "Flag": {"type": "boolean", "documentation": "d"}"#;
    let condition = |c: &str| {
        format!(
            r#"{{"type": "tree", "conditions": [], "rules": [
                 {{"type": "error", "conditions": [], "error": "first"}},
                 {{"type": "error", "conditions": [{{"fn": "isSet", "argv": [{{"ref": "Region"}}]}}, {c}], "error": "x"}}
               ]}}"#
        )
    };
    let at = "rules[0].rules[1].conditions[1]";
    for (c, location, message) in [
        (
            r#"{"fn": "nope", "argv": []}"#,
            format!("{at}.argv"),
            "unknown function `nope`",
        ),
        (
            r#"{"fn": "booleanEquals", "argv": [true]}"#,
            format!("{at}.argv"),
            "`booleanEquals` takes 2 arguments, found 1",
        ),
        (
            r#"{"fn": "booleanEquals", "argv": [{"ref": "Flag"}, "true"]}"#,
            format!("{at}.argv[1]"),
            "argument 2 of `booleanEquals` must be a boolean, found a string",
        ),
        (
            r#"{"fn": "stringEquals", "argv": [{"ref": "Flag"}, "x"]}"#,
            format!("{at}.argv[0]"),
            "argument 1 of `stringEquals` must be a string, found a boolean",
        ),
        (
            r#"{"fn": "isSet", "argv": [{"ref": "region"}]}"#,
            format!("{at}.argv[0]"),
            "`region` is neither a parameter nor a variable assigned in scope",
        ),
        (
            r#"{"fn": "not", "argv": [{"fn": "isSet", "argv": [{"ref": "Later"}]}]}"#,
            format!("{at}.argv[0].argv[0]"),
            "`Later` is neither a parameter nor a variable assigned in scope",
        ),
        (
            r#"{"fn": "substring", "argv": [{"ref": "Region"}, 0, -1, false]}"#,
            format!("{at}.argv[2]"),
            "argument 3 of `substring` must not be negative",
        ),
        (
            r#"{"fn": "substring", "argv": [{"ref": "Region"}, 0, 1.5, false]}"#,
            format!("{at}.argv[2]"),
            "numbers must be integers",
        ),
        (
            r#"{"fn": "split", "argv": [{"ref": "Region"}, "", 0]}"#,
            format!("{at}.argv[1]"),
            "argument 2 of `split` must not be empty",
        ),
        (
            r#"{"fn": "coalesce", "argv": [{"ref": "Region"}]}"#,
            format!("{at}.argv"),
            "`coalesce` takes at least 2 arguments, found 1",
        ),
        (
            r#"{"fn": "coalesce", "argv": [{"ref": "Region"}, true]}"#,
            format!("{at}.argv[1]"),
            "argument 2 of `coalesce` must be a string, found a boolean",
        ),
        (
            r#"{"fn": "ite", "argv": [{"ref": "Region"}, "a", "b"]}"#,
            format!("{at}.argv[0]"),
            "argument 1 of `ite` must be a boolean, found a string",
        ),
        (
            r#"{"fn": "getAttr", "argv": [{"fn": "aws.partition", "argv": ["{Region}"]}, "dnsSufix"]}"#,
            format!("{at}.argv[1]"),
            "a partition has no attribute `dnsSufix`",
        ),
        (
            r#"{"fn": "getAttr", "argv": [{"ref": "Region"}, {"ref": "Region"}]}"#,
            format!("{at}.argv[1]"),
            "the path of `getAttr` must be a literal string",
        ),
        (
            r#"{"fn": "getAttr", "argv": [{"fn": "aws.parseArn", "argv": ["{Region}"]}, "region[0]"]}"#,
            format!("{at}.argv[1]"),
            "a string cannot be indexed",
        ),
        (
            r#"{"fn": "isSet", "argv": [{"ref": "Flag"}], "assign": "Region"}"#,
            format!("{at}.assign"),
            "`Region` is already a parameter or a variable in scope",
        ),
        (
            r#"{"ref": "Flag"}"#,
            at.to_owned(),
            "a condition must call a function (`fn`)",
        ),
        (
            r#"{"fn": "not", "argv": [null]}"#,
            format!("{at}.argv[0]"),
            "null is not an expression",
        ),
        (
            r#"{"fn": "not", "argv": [{"x": 1}]}"#,
            format!("{at}.argv[0]"),
            "expected a string, boolean, integer, array, reference (`ref`) or function call (`fn`)",
        ),
        (
            r#"{"fn": "not"}"#,
            at.to_owned(),
            "missing `argv` for `not`",
        ),
        (
            r#"{"fn": 5, "argv": []}"#,
            format!("{at}.fn"),
            "must be a string",
        ),
    ] {
        assert_eq!(
            parse_error(p, &condition(c)),
            (location.clone(), message.to_owned()),
            "{c}"
        );
    }
}

#[test]
fn structural_parse_errors() {
    let e = |text: &str| {
        let error = RuleSet::from_json(text).unwrap_err();
        (error.location().to_owned(), error.message().to_owned())
    };
    let s = |l: &str, m: &str| (l.to_owned(), m.to_owned());
    assert_eq!(
        e("[]"),
        s("", "the rule set must be an object, found an array")
    );
    assert_eq!(
        e(r#"{"parameters": {}, "rules": []}"#),
        s("", "missing `version`")
    );
    assert_eq!(
        e(r#"{"version": "1.0", "rules": []}"#),
        s("", "missing `parameters`")
    );
    assert_eq!(
        e(r#"{"version": "1.0", "parameters": {}}"#),
        s("", "missing `rules`")
    );
    assert_eq!(
        e(r#"{"version": "1.0", "parameters": {}, "rules": []}"#),
        s("rules", "there must be at least one rule")
    );
    assert_eq!(
        e(
            r#"{"version": "1.0", "parameters": {}, "rules": [{"type": "tree", "conditions": [], "rules": []}]}"#
        ),
        s("rules[0].rules", "there must be at least one rule")
    );
    assert_eq!(
        e(
            r#"{"version": "1.0", "parameters": {}, "rules": [{"type": "magic", "conditions": []}]}"#
        ),
        s(
            "rules[0].type",
            "unknown rule type `magic` (expected `endpoint`, `error` or `tree`)"
        )
    );
    assert_eq!(
        e(
            r#"{"version": "1.0", "parameters": {}, "rules": [{"type": "endpoint", "conditions": []}]}"#
        ),
        s("rules[0]", "an endpoint rule needs `endpoint`")
    );
    assert_eq!(
        e(
            r#"{"version": "1.0", "parameters": {}, "rules": [{"type": "error", "conditions": [], "error": true}]}"#
        ),
        s(
            "rules[0].error",
            "an error message must be a string, found a boolean"
        )
    );
    assert_eq!(
        e(
            r#"{"version": "1.0", "parameters": {}, "rules": [{"type": "endpoint", "conditions": [],
              "endpoint": {"url": "https://x", "headers": {"x-a": ["ok", false]}}}]}"#
        ),
        s(
            "rules[0].endpoint.headers[\"x-a\"][1]",
            "a header value must be a string, found a boolean"
        )
    );
    assert_eq!(
        e(r#"{"version": "1.0", "parameters": {"P": {"type": "integer"}}, "rules": []}"#),
        s(
            "parameters.P.type",
            "unknown parameter type `integer` (expected `string`, `boolean` or `stringArray`)"
        )
    );
    assert_eq!(
        e(
            r#"{"version": "1.0", "parameters": {"P": {"type": "boolean", "default": "no"}}, "rules": []}"#
        ),
        s(
            "parameters.P.default",
            "the default of `P` must be a boolean, found a string"
        )
    );
    assert_eq!(
        e(
            r#"{"version": "1.0", "parameters": {"P": {"type": "string", "required": "yes"}}, "rules": []}"#
        ),
        s("parameters.P.required", "must be a boolean")
    );
    assert_eq!(
        e(
            r#"{"version": "1.0", "parameters": {"p": {"type": "string"}, "P": {"type": "string"}}, "rules": []}"#
        ),
        s("parameters.p", "`p` and `P` differ only in case")
    );
    assert_eq!(
        e(r#"{"version": "1.0", "parameters": {"1st": {"type": "string"}}, "rules": []}"#),
        s(
            "parameters[\"1st\"]",
            "`1st` is not a valid parameter name (a letter, then letters and digits)"
        )
    );
    assert_eq!(
        e(r#"{"version": "1.0", "parameters": {"P": {"type": "string"}}, "rules": [}"#),
        s("$.rules[0]", "expected a value, found '}' (at byte 70)")
    );
    assert_eq!(
        e(r#"{"version": "1.0"} x"#).1,
        "expected the end of the input, found 'x' (at byte 19)"
    );
}

#[test]
fn hostile_input_is_an_error_not_a_panic() {
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    assert!(RuleSet::from_json(&deep).is_err());
    let mut nested = String::from(r#"{"fn": "not", "argv": [true]}"#);
    for _ in 0..200 {
        nested = format!(r#"{{"fn": "not", "argv": [{nested}]}}"#);
    }
    let text = format!(
        r#"{{"version": "1.0", "parameters": {{}}, "rules": [{{"type": "error", "conditions": [{nested}], "error": "x"}}]}}"#
    );
    assert!(
        RuleSet::from_json(&text).is_err(),
        "nesting beyond the limit"
    );
    // Just under the limit: parses and evaluates (without overflowing a test thread's stack).
    let mut nested = String::from(r#"{"fn": "not", "argv": [false]}"#);
    for _ in 0..124 {
        nested = format!(r#"{{"fn": "not", "argv": [{nested}]}}"#);
    }
    let text = format!(
        r#"{{"version": "1.0", "parameters": {{}}, "rules": [{{"type": "error", "conditions": [{nested}], "error": "deep"}}]}}"#
    );
    let deep = RuleSet::from_json(&text).unwrap();
    assert_eq!(
        deep.resolve(&Params::new()).unwrap_err().to_string(),
        "deep"
    );
    for text in ["", "null", "{", r#"{"version": 1}"#, "\u{feff}{}"] {
        assert!(RuleSet::from_json(text).is_err(), "{text:?}");
    }
}

#[test]
fn variables_are_scoped_to_their_rule() {
    let rules = rule_set(
        STRING_INPUT,
        r#"{"type": "tree", "conditions": [{"fn": "aws.partition", "argv": [{"ref": "Input"}], "assign": "P"}], "rules": [
              {"type": "error", "conditions": [{"fn": "stringEquals", "argv": ["{Input}", "x"]},
                                               {"fn": "uriEncode", "argv": ["a b"], "assign": "E"}], "error": "{E}"},
              {"type": "tree", "conditions": [{"fn": "uriEncode", "argv": ["{P#name}!"], "assign": "E"}], "rules": [
                  {"type": "error", "conditions": [], "error": "{E}"}
              ]}
           ]}"#,
    )
    .unwrap();
    assert_eq!(probe_with(&rules, "x"), "a%20b");
    assert_eq!(probe_with(&rules, "cn-north-1"), "aws-cn%21");
    // A variable of a sibling rule is out of scope.
    let (location, message) = parse_error(
        STRING_INPUT,
        r#"{"type": "error", "conditions": [{"fn": "uriEncode", "argv": ["a"], "assign": "E"}], "error": "{E}"},
           {"type": "error", "conditions": [], "error": "{E}"}"#,
    );
    assert_eq!(location, "rules[1].error");
    assert_eq!(
        message,
        "`E` is neither a parameter nor a variable assigned in scope"
    );
    // Shadowing an outer variable is an error.
    let (location, _) = parse_error(
        STRING_INPUT,
        r#"{"type": "tree", "conditions": [{"fn": "uriEncode", "argv": ["a"], "assign": "E"}], "rules": [
             {"type": "error", "conditions": [{"fn": "uriEncode", "argv": ["b"], "assign": "E"}], "error": "x"}]}"#,
    );
    assert_eq!(location, "rules[0].rules[0].conditions[0].assign");
}

#[test]
fn boolean_and_string_equality_and_not() {
    let rules = rule_set(
        r#""A": {"type": "boolean", "documentation": "d"}, "S": {"type": "string", "documentation": "d"}"#,
        r#"{"type": "error", "conditions": [{"fn": "booleanEquals", "argv": [{"ref": "A"}, true]}], "error": "a"},
           {"type": "error", "conditions": [{"fn": "not", "argv": [{"fn": "booleanEquals", "argv": [false, {"ref": "A"}]}]}], "error": "not false"},
           {"type": "error", "conditions": [{"fn": "stringEquals", "argv": ["{S}", "x"]}], "error": "s is x"},
           {"type": "error", "conditions": [{"fn": "not", "argv": [{"fn": "stringEquals", "argv": [{"ref": "S"}, "y"]}]}], "error": "s is not y"},
           {"type": "error", "conditions": [], "error": "else"}"#,
    )
    .unwrap();
    let run = |params: Params| rules.resolve(&params).unwrap_err().to_string();
    assert_eq!(run(Params::new().with("A", true)), "a");
    // Unset arguments make a function's result unset, so the condition fails.
    assert_eq!(run(Params::new()), "else");
    assert_eq!(run(Params::new().with("A", false)), "else");
    assert_eq!(run(Params::new().with("S", "x")), "s is x");
    assert_eq!(run(Params::new().with("S", "z")), "s is not y");
    assert_eq!(run(Params::new().with("S", "y")), "else");
}

#[test]
fn is_set_considers_only_presence() {
    let rules = rule_set(
        r#""A": {"type": "boolean", "documentation": "d"}"#,
        r#"{"type": "error", "conditions": [{"fn": "isSet", "argv": [{"ref": "A"}]}], "error": "set"},
           {"type": "error", "conditions": [], "error": "unset"}"#,
    )
    .unwrap();
    let run = |params: Params| rules.resolve(&params).unwrap_err().to_string();
    assert_eq!(run(Params::new().with("A", false)), "set");
    assert_eq!(run(Params::new()), "unset");
}

#[test]
fn get_attr_paths() {
    let rules = probe(
        r#"{"fn": "aws.parseArn", "argv": ["{Input}"], "assign": "arn"},
           {"fn": "getAttr", "argv": [{"ref": "arn"}, "resourceId[1]"], "assign": "second"},
           {"fn": "getAttr", "argv": [{"ref": "arn"}, "resourceId[-1]"], "assign": "last"},
           {"fn": "coalesce", "argv": ["{arn#service}/{arn#region}/{arn#accountId}/{arn#partition}/{second}/{last}/{arn#resourceId[0]}", ""], "assign": "out"}"#,
    );
    assert_eq!(
        probe_with(&rules, "arn:aws:ec2:us-east-1:0123:vpc/vpc-1/x"),
        "[ec2/us-east-1/0123/aws/vpc-1/x/vpc]"
    );
    // Out of range: unset.
    assert_eq!(probe_with(&rules, "arn:aws:s3:::bucket"), "no match");
    let split = probe(
        r#"{"fn": "split", "argv": ["{Input}", "--", 0], "assign": "parts"},
           {"fn": "getAttr", "argv": [{"ref": "parts"}, "[-2]"], "assign": "out"}"#,
    );
    assert_eq!(
        probe_with(&split, "my--s3--bucket--abcd-ab1--x-s3"),
        "[abcd-ab1]"
    );
    assert_eq!(probe_with(&split, "first--second"), "[first]");
    assert_eq!(probe_with(&split, "single"), "no match");
    // getAttr straight on a function's result.
    let direct = probe(
        r#"{"fn": "getAttr", "argv": [{"fn": "aws.partition", "argv": ["{Input}"]}, "implicitGlobalRegion"], "assign": "out"}"#,
    );
    assert_eq!(probe_with(&direct, "cn-north-1"), "[cn-northwest-1]");
    let owned = probe(
        r#"{"fn": "getAttr", "argv": [{"fn": "split", "argv": ["{Input}", ".", 0]}, "[0]"], "assign": "out"}"#,
    );
    assert_eq!(probe_with(&owned, "a.b"), "[a]");
}

#[test]
fn is_valid_host_label_through_rules() {
    let rules = rule_set(
        r#""Region": {"type": "string", "required": true, "documentation": "d"}"#,
        r#"{"type": "endpoint", "conditions": [{"fn": "isValidHostLabel", "argv": [{"ref": "Region"}, false]}],
            "endpoint": {"url": "https://{Region}.amazonaws.com"}},
           {"type": "endpoint", "conditions": [{"fn": "isValidHostLabel", "argv": [{"ref": "Region"}, true]}],
            "endpoint": {"url": "https://{Region}-subdomains.amazonaws.com"}},
           {"type": "error", "conditions": [], "error": "Invalid hostlabel"}"#,
    )
    .unwrap();
    let run = |region: &str| url(&rules, Params::new().with("Region", region));
    assert_eq!(
        run("us-east-1"),
        Ok("https://us-east-1.amazonaws.com".into())
    );
    assert_eq!(run("3aws4"), Ok("https://3aws4.amazonaws.com".into()));
    assert_eq!(
        run("part1.part2"),
        Ok("https://part1.part2-subdomains.amazonaws.com".into())
    );
    for bad in ["part1 part2", "", "part1.", "part1..part2", "part1.-part2"] {
        assert_eq!(run(bad), Err("Invalid hostlabel".into()), "{bad:?}");
    }
}

#[test]
fn parse_url_through_rules() {
    let rules = rule_set(
        r#""Endpoint": {"type": "string", "documentation": "d"}"#,
        r#"{"type": "tree", "conditions": [{"fn": "isSet", "argv": [{"ref": "Endpoint"}]},
                                           {"fn": "parseURL", "argv": ["{Endpoint}"], "assign": "url"}], "rules": [
              {"type": "endpoint", "conditions": [{"fn": "booleanEquals", "argv": [{"fn": "getAttr", "argv": [{"ref": "url"}, "isIp"]}, true]}],
               "endpoint": {"url": "{url#scheme}://{url#authority}{url#normalizedPath}is-ip-addr"}},
              {"type": "endpoint", "conditions": [{"fn": "stringEquals", "argv": ["{url#path}", "/port"]}],
               "endpoint": {"url": "{url#scheme}://{url#authority}/uri-with-port"}},
              {"type": "endpoint", "conditions": [{"fn": "stringEquals", "argv": ["{url#normalizedPath}", "/"]}],
               "endpoint": {"url": "https://{url#scheme}-{url#authority}-nopath.example.com"}},
              {"type": "endpoint", "conditions": [],
               "endpoint": {"url": "https://{url#scheme}-{url#authority}.example.com/path-is{url#path}"}}
           ]},
           {"type": "error", "conditions": [], "error": "endpoint was invalid"}"#,
    )
    .unwrap();
    let run = |endpoint: &str| url(&rules, Params::new().with("Endpoint", endpoint));
    let ok = |s: &str| Ok(s.to_owned());
    let invalid = Err("endpoint was invalid".to_owned());
    assert_eq!(
        run("https://authority.com/custom-path"),
        ok("https://https-authority.com.example.com/path-is/custom-path")
    );
    assert_eq!(
        run("https://authority.com"),
        ok("https://https-authority.com-nopath.example.com")
    );
    assert_eq!(
        run("https://authority.com/"),
        ok("https://https-authority.com-nopath.example.com")
    );
    assert_eq!(
        run("https://authority.com:8000/port"),
        ok("https://authority.com:8000/uri-with-port")
    );
    assert_eq!(
        run("http://authority.com:8000/port"),
        ok("http://authority.com:8000/uri-with-port")
    );
    assert_eq!(run("acbd://example.com"), invalid);
    assert_eq!(
        run("http://99_ab.com"),
        ok("https://http-99_ab.com-nopath.example.com")
    );
    assert_eq!(run("http://abc.com:a/foo"), invalid);
    assert_eq!(
        run("http://192.168.1.1/foo/"),
        ok("http://192.168.1.1/foo/is-ip-addr")
    );
    assert_eq!(
        run("http://192.168.1.1:1234/foo/"),
        ok("http://192.168.1.1:1234/foo/is-ip-addr")
    );
    assert_eq!(
        run("https://[2001:db8:85a3:8d3:1319:8a2e:370:7348]:443"),
        ok("https://[2001:db8:85a3:8d3:1319:8a2e:370:7348]:443/is-ip-addr")
    );
    assert_eq!(
        run("https://999.999.abc.blah"),
        ok("https://https-999.999.abc.blah-nopath.example.com")
    );
    assert_eq!(run("https://example.com/path?query1=foo"), invalid);
}

#[test]
fn substring_through_rules() {
    let forward =
        probe(r#"{"fn": "substring", "argv": ["{Input}", 0, 4, false], "assign": "out"}"#);
    let reverse =
        probe(r#"{"fn": "substring", "argv": [{"ref": "Input"}, 0, 4, true], "assign": "out"}"#);
    let middle = probe(r#"{"fn": "substring", "argv": ["{Input}", 1, 3, false], "assign": "out"}"#);
    assert_eq!(probe_with(&forward, "abcdefg"), "[abcd]");
    assert_eq!(probe_with(&forward, "abc"), "no match");
    assert_eq!(probe_with(&forward, "\u{fdfd}"), "no match");
    assert_eq!(probe_with(&reverse, "abcdefg"), "[defg]");
    assert_eq!(probe_with(&middle, "defg"), "[ef]");
    assert_eq!(probe_with(&middle, "ab"), "no match");
}

#[test]
fn uri_encode_through_rules() {
    let rules = probe(r#"{"fn": "uriEncode", "argv": ["{Input}"], "assign": "out"}"#);
    assert_eq!(probe_with(&rules, "abc:defg"), "[abc%3Adefg]");
    assert_eq!(probe_with(&rules, "\u{1f639}"), "[%F0%9F%98%B9]");
    assert_eq!(probe_with(&rules, ""), "[]");
}

#[test]
fn split_through_rules() {
    let rules = probe(
        r#"{"fn": "split", "argv": ["{Input}", "--", 2], "assign": "parts"},
           {"fn": "coalesce", "argv": ["{parts#[0]}|{parts#[1]}", ""], "assign": "out"}"#,
    );
    assert_eq!(probe_with(&rules, "a--b--c"), "[a|b--c]");
    // `{parts#[1]}` is unset, so the template is, and `coalesce` moves on.
    assert_eq!(probe_with(&rules, "abc"), "[]");
}

#[test]
fn coalesce_returns_the_first_set_value() {
    let rules = rule_set(
        r#""A": {"type": "string", "documentation": "d"}, "B": {"type": "string", "documentation": "d"},
           "F": {"type": "boolean", "documentation": "d"}"#,
        r#"{"type": "error", "conditions": [{"fn": "coalesce", "argv": [{"ref": "A"}, {"ref": "B"}, "c"], "assign": "v"},
                                            {"fn": "coalesce", "argv": [{"ref": "F"}, true], "assign": "f"}],
            "error": "{v} {f}"}"#,
    );
    // `{f}` is a boolean: not allowed in a template.
    assert!(rules.is_err());
    let rules = rule_set(
        r#""A": {"type": "string", "documentation": "d"}, "B": {"type": "string", "documentation": "d"},
           "F": {"type": "boolean", "documentation": "d"}"#,
        r#"{"type": "error", "conditions": [{"fn": "coalesce", "argv": [{"ref": "A"}, {"ref": "B"}, "c"], "assign": "v"},
                                            {"fn": "isSet", "argv": [{"fn": "coalesce", "argv": [{"ref": "F"}, true]}]},
                                            {"fn": "ite", "argv": [{"fn": "coalesce", "argv": [{"ref": "F"}, true]}, "t", "f"], "assign": "f"}],
            "error": "{v} {f}"}"#,
    )
    .unwrap();
    let run = |params: Params| rules.resolve(&params).unwrap_err().to_string();
    assert_eq!(run(Params::new()), "c t");
    assert_eq!(run(Params::new().with("B", "b").with("F", false)), "b f");
    assert_eq!(run(Params::new().with("A", "a").with("B", "b")), "a t");
    // A value that is set but false is still the first set value.
    let all_optional = rule_set(
        r#""A": {"type": "boolean", "documentation": "d"}, "B": {"type": "boolean", "documentation": "d"}"#,
        r#"{"type": "error", "conditions": [{"fn": "booleanEquals", "argv": [{"fn": "coalesce", "argv": [{"ref": "A"}, {"ref": "B"}]}, false]}], "error": "false"},
           {"type": "error", "conditions": [], "error": "other"}"#,
    )
    .unwrap();
    let run = |params: Params| all_optional.resolve(&params).unwrap_err().to_string();
    assert_eq!(run(Params::new().with("A", false).with("B", true)), "false");
    assert_eq!(run(Params::new().with("B", false)), "false");
    assert_eq!(run(Params::new()), "other");
}

#[test]
fn ite_spec_examples() {
    let rules = rule_set(
        r#""UseFIPS": {"type": "boolean", "required": true, "default": false, "documentation": "d"}"#,
        r#"{"type": "endpoint", "conditions": [{"fn": "ite", "argv": [{"ref": "UseFIPS"}, "-fips", ""], "assign": "suffix"},
                                               {"fn": "ite", "argv": [{"ref": "UseFIPS"}, "sigv4", "sigv4-s3express"], "assign": "scheme"}],
            "endpoint": {"url": "https://svc{suffix}.example.com", "properties": {"authSchemes": [{"name": "{scheme}"}]}}}"#,
    )
    .unwrap();
    let on = rules.resolve(&Params::new().with("UseFIPS", true)).unwrap();
    assert_eq!(on.url, "https://svc-fips.example.com");
    let off = rules.resolve(&Params::new()).unwrap();
    assert_eq!(off.url, "https://svc.example.com");
    let scheme = |e: &Endpoint| {
        e.property("authSchemes").unwrap().as_array().unwrap()[0]
            .as_object()
            .unwrap()["name"]
            .clone()
    };
    assert_eq!(scheme(&on), Document::from("sigv4"));
    assert_eq!(scheme(&off), Document::from("sigv4-s3express"));
}

#[test]
fn aws_functions_through_rules() {
    let partition = probe(
        r#"{"fn": "aws.partition", "argv": ["{Input}"], "assign": "p"},
           {"fn": "coalesce", "argv": ["{p#name} {p#dnsSuffix} {p#dualStackDnsSuffix}", ""], "assign": "out"}"#,
    );
    assert_eq!(
        probe_with(&partition, "us-east-1"),
        "[aws amazonaws.com api.aws]"
    );
    assert_eq!(
        probe_with(&partition, "cn-northwest-1"),
        "[aws-cn amazonaws.com.cn api.amazonwebservices.com.cn]"
    );
    assert_eq!(
        probe_with(&partition, "us-isob-east-1"),
        "[aws-iso-b sc2s.sgov.gov api.aws.scloud]"
    );
    assert_eq!(
        probe_with(&partition, "whatever"),
        "[aws amazonaws.com api.aws]"
    );
    let fips = predicate(
        r#"{"fn": "booleanEquals", "argv": [{"fn": "getAttr", "argv": [{"fn": "aws.partition", "argv": ["{Input}"]}, "supportsFIPS"]}, true]}"#,
    );
    assert_eq!(probe_with(&fips, "eu-isoe-west-1"), "yes");
    let arn = predicate(r#"{"fn": "aws.parseArn", "argv": ["{Input}"]}"#);
    assert_eq!(
        probe_with(&arn, "arn:aws:iam::012345678910:user/johndoe"),
        "yes"
    );
    assert_eq!(
        probe_with(&arn, "11111111-2222-3333-4444-555555555555"),
        "no"
    );
    let bucket = predicate(r#"{"fn": "aws.isVirtualHostableS3Bucket", "argv": ["{Input}", true]}"#);
    assert_eq!(probe_with(&bucket, "bucket.name"), "yes");
    assert_eq!(probe_with(&bucket, "192.168.5.4"), "no");
    let plain = predicate(r#"{"fn": "aws.isVirtualHostableS3Bucket", "argv": ["{Input}", false]}"#);
    assert_eq!(probe_with(&plain, "bucket.name"), "no");
}

#[test]
fn string_array_parameters_and_literals() {
    let rules = rule_set(
        r#""Arns": {"type": "stringArray", "documentation": "d"}"#,
        r#"{"type": "error", "conditions": [{"fn": "getAttr", "argv": [{"ref": "Arns"}, "[0]"], "assign": "first"}], "error": "first {first}"},
           {"type": "error", "conditions": [{"fn": "getAttr", "argv": [["x", "y"], "[-1]"], "assign": "lit"}], "error": "literal {lit}"}"#,
    )
    .unwrap();
    let run = |params: Params| rules.resolve(&params).unwrap_err().to_string();
    assert_eq!(run(Params::new().with("Arns", vec!["a", "b"])), "first a");
    assert_eq!(
        run(Params::new().with("Arns", Vec::<String>::new())),
        "literal y"
    );
    assert_eq!(run(Params::new()), "literal y");
}

#[test]
fn an_unset_value_in_an_endpoint_is_an_evaluation_error() {
    let rules = rule_set(
        r#""A": {"type": "string", "documentation": "d"}"#,
        r#"{"type": "endpoint", "conditions": [], "endpoint": {"url": "https://{A}"}}"#,
    )
    .unwrap();
    let error = rules.resolve(&Params::new()).unwrap_err();
    assert_eq!(error.kind(), EndpointErrorKind::Evaluation);
    assert_eq!(
        error.message(),
        "the rule at rules[0].endpoint matched, but its result uses a value that is not set"
    );
    assert_eq!(
        url(&rules, Params::new().with("A", "x")),
        Ok("https://x".into())
    );
}

#[test]
fn params_api() {
    let mut params = Params::new();
    assert!(params.is_empty());
    params.set("A", "x").set(String::from("B"), true);
    params.set("A", "y");
    assert_eq!(params.len(), 2);
    assert_eq!(params.get("A"), Some(&Value::String("y".into())));
    let names: Vec<_> = params.iter().map(|(n, _)| n).collect();
    assert_eq!(names, ["A", "B"]);
    assert_eq!(params.remove("B"), Some(Value::Bool(true)));
    assert_eq!(params.remove("B"), None);
    assert_eq!(
        Value::from(vec!["a".to_owned()]).kind(),
        ParameterType::StringArray
    );
}

#[test]
fn resolution_is_repeatable() {
    // Slots are reused across sibling rules and across calls.
    let rules = rule_set(
        STRING_INPUT,
        r#"{"type": "tree", "conditions": [{"fn": "split", "argv": ["{Input}", ":", 0], "assign": "a"}], "rules": [
              {"type": "error", "conditions": [{"fn": "getAttr", "argv": [{"ref": "a"}, "[2]"], "assign": "b"}], "error": "3: {b}"},
              {"type": "error", "conditions": [{"fn": "getAttr", "argv": [{"ref": "a"}, "[1]"], "assign": "c"}], "error": "2: {c}"},
              {"type": "error", "conditions": [], "error": "1"}
           ]}"#,
    )
    .unwrap();
    for _ in 0..3 {
        assert_eq!(probe_with(&rules, "x:y:z"), "3: z");
        assert_eq!(probe_with(&rules, "x:y"), "2: y");
        assert_eq!(probe_with(&rules, "x"), "1");
    }
}

#[test]
fn other_partition_tables() {
    let rules = probe(
        r#"{"fn": "aws.partition", "argv": ["{Input}"], "assign": "p"},
           {"fn": "ite", "argv": [{"fn": "getAttr", "argv": [{"ref": "p"}, "supportsDualStack"]}, "{p#name} {p#dualStackDnsSuffix}", "{p#name} none"], "assign": "out"}"#,
    );
    let mut iso = *partition("us-iso-east-1");
    iso.supports_dual_stack = false;
    let mut other = *partition("us-east-1");
    other.id = "other";
    other.name = "other";
    let table: &'static [Partition] = Box::leak(Box::new([other, iso]));
    let run = |region: &str, table: &'static [Partition]| {
        rules
            .resolve_with_partitions(&Params::new().with("Input", region), table)
            .unwrap_err()
            .to_string()
    };
    assert_eq!(run("us-iso-west-1", PARTITIONS), "[aws-iso api.aws.ic.gov]");
    assert_eq!(run("us-iso-west-1", table), "[aws-iso none]");
    assert_eq!(run("us-iso-north-7", table), "[aws-iso none]", "by regex");
    // No `aws` partition in the table: the first one.
    assert_eq!(run("mars-1", table), "[other api.aws]");
    // An empty table: `aws.partition` is unset.
    assert_eq!(run("us-east-1", &[]), "no match");
}
