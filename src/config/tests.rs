use super::settings::SETTINGS;
use super::*;
use crate::auth::body::BodyFormat;

fn problem(json: &str) -> (&'static str, String) {
    match Config::from_json(json) {
        Err(ConfigError::Invalid { setting, problem }) => (setting, problem),
        other => panic!("{json}: expected an invalid setting, got {other:?}"),
    }
}

#[test]
fn defaults_point_at_the_development_api_through_the_proxy() {
    let c = Config::default();
    assert_eq!(c.login_url, "/api:auth/auth/login");
    assert_eq!(c.data_url, "/api:data/customers");
    assert_eq!(c.token_path.to_string(), "authToken");
    assert_eq!(c.storage_key, "authToken");
    assert_eq!(
        (c.identity_field.as_str(), c.password_field.as_str()),
        ("email", "password")
    );
    assert_eq!(c.unauthorized_statuses, [401]);
    assert_eq!(c.token_lifetime, None);
    assert_eq!(c.dev_hint_url.as_deref(), Some("/api:auth/__dev/hint"));
    assert_eq!(c.title, "Customers");
    assert!(c.identity_is_email());
}

#[test]
fn requests_time_out_after_15_s_logins_after_10_s_and_three_relogins_a_minute() {
    let c = Config::default();
    assert_eq!(c.request_timeout, Duration::from_secs(15));
    assert_eq!(c.login_timeout, Duration::from_secs(10));
    assert_eq!(c.max_relogins_per_minute, 3);
    let auth = c.auth_settings(None);
    assert_eq!(auth.request_timeout_ms, 15_000);
    assert_eq!(auth.login_timeout_ms, 10_000);
    assert_eq!(auth.max_relogins_per_minute, 3);
    assert_eq!(auth.lifetime_hint_ms, None);
}

#[test]
fn the_auth_client_gets_the_settings_it_needs() {
    let c = Config::from_json(
        r#"{"loginUrl":"https://api.example/auth/login","tokenPath":"data.token",
            "storageKey":"orders-token","identityField":"username","passwordField":"pin",
            "unauthorizedStatuses":[401,419],"tokenLifetimeSeconds":90.5,
            "requestTimeoutSeconds":2.5,"loginTimeoutSeconds":600,"maxReloginsPerMinute":7}"#,
    )
    .unwrap();
    let auth = c.auth_settings(Some("https://app.example"));
    assert_eq!(auth.login_url, "https://api.example/auth/login");
    assert_eq!(auth.token_path.to_string(), "data.token");
    assert_eq!(
        (auth.identity_field.as_str(), auth.password_field.as_str()),
        ("username", "pin")
    );
    assert_eq!(auth.unauthorized_statuses, [401, 419]);
    assert_eq!(auth.lifetime_hint_ms, Some(90_500.0));
    assert_eq!(auth.request_timeout_ms, 2_500);
    assert_eq!(auth.login_timeout_ms, 600_000);
    assert_eq!(auth.max_relogins_per_minute, 7);
    assert_eq!(auth.lock_name, "tokengrid-renewal:orders-token");
}

#[test]
fn timeouts_go_up_to_600_s_and_no_further() {
    for setting in ["requestTimeoutSeconds", "loginTimeoutSeconds"] {
        let c = Config::from_json(&format!(r#"{{"{setting}":600}}"#)).unwrap();
        let c2 = Config::from_json(&format!(r#"{{"{setting}":0.25}}"#)).unwrap();
        let (long, short) = match setting {
            "requestTimeoutSeconds" => (c.request_timeout, c2.request_timeout),
            _ => (c.login_timeout, c2.login_timeout),
        };
        assert_eq!(long, Duration::from_secs(600), "{setting}");
        assert_eq!(short, Duration::from_millis(250), "{setting}");
        for bad in ["600.001", "0", "-1"] {
            let (named, why) = problem(&format!(r#"{{"{setting}":{bad}}}"#));
            assert_eq!(named, setting, "{bad}");
            assert!(
                why.ends_with("give a positive number of seconds, at most 600"),
                "{bad}: {why}"
            );
        }
    }
    assert_eq!(
        problem(r#"{"requestTimeoutSeconds":601}"#).1,
        "is 601; give a positive number of seconds, at most 600"
    );
}

#[test]
fn a_token_lifetime_goes_up_to_366_days() {
    let c = Config::from_json(r#"{"tokenLifetimeSeconds":31622400}"#).unwrap();
    assert_eq!(c.token_lifetime, Some(Duration::from_secs(366 * 86_400)));
    assert_eq!(
        problem(r#"{"tokenLifetimeSeconds":31622401}"#),
        (
            "tokenLifetimeSeconds",
            "is 31622401; give a positive number of seconds, at most 31622400".into()
        )
    );
}

#[test]
fn relogins_per_minute_are_a_whole_number_from_1_to_60() {
    for (n, want) in [("1", 1), ("60", 60), ("3.0", 3)] {
        let c = Config::from_json(&format!(r#"{{"maxReloginsPerMinute":{n}}}"#)).unwrap();
        assert_eq!(c.max_relogins_per_minute, want, "{n}");
    }
    for (bad, shown) in [("0", "0"), ("61", "61"), ("2.5", "2.5"), ("-3", "-3")] {
        assert_eq!(
            problem(&format!(r#"{{"maxReloginsPerMinute":{bad}}}"#)),
            (
                "maxReloginsPerMinute",
                format!("is {shown}; give a whole number from 1 to 60")
            ),
        );
    }
    assert_eq!(
        problem(r#"{"maxReloginsPerMinute":"3"}"#).1,
        "is a string; expected a number"
    );
}

#[test]
fn the_dev_hint_is_a_url_like_the_endpoints_or_null_for_none() {
    let c = Config::from_json(r#"{"devHintUrl":"https://api.example/hint"}"#).unwrap();
    assert_eq!(c.dev_hint_url.as_deref(), Some("https://api.example/hint"));
    let c = Config::from_json(r#"{"devHintUrl":" ./hint "}"#).unwrap();
    assert_eq!(c.dev_hint_url.as_deref(), Some("./hint"));
    assert_eq!(
        Config::from_json(r#"{"devHintUrl":null}"#)
            .unwrap()
            .dev_hint_url,
        None
    );
    for (bad, why) in [
        (r#""javascript:alert(1)""#, "use an absolute http(s) URL"),
        (r#""""#, "is empty"),
        (r#""/a b""#, "contains white space"),
        ("false", "is a boolean; expected a string"),
    ] {
        let (named, problem) = problem(&format!(r#"{{"devHintUrl":{bad}}}"#));
        assert_eq!(named, "devHintUrl", "{bad}");
        assert!(problem.contains(why), "{bad}: {problem}");
    }
}

#[test]
fn a_blank_title_falls_back_to_the_data_urls_last_segment() {
    let title = |json: &str| Config::from_json(json).unwrap().title;
    assert_eq!(title(r#"{"title":"  Orders  "}"#), "Orders");
    assert_eq!(title(r#"{"title":"   "}"#), "Customers");
    assert_eq!(title(r#"{"title":""}"#), "Customers");
    assert_eq!(title(r#"{"title":null}"#), "Customers");
    assert_eq!(
        title(r#"{"dataUrl":"https://x.xano.io/api:Qb7Uo1dA/order_items/?page=2#top"}"#),
        "Order items"
    );
    assert_eq!(title(r#"{"dataUrl":"/api:line_items"}"#), "Line items");
    assert_eq!(title(r#"{"dataUrl":"/"}"#), "Data");
    assert_eq!(
        problem(r#"{"title":7}"#),
        ("title", "is a number; expected a string".into())
    );
}

#[test]
fn a_real_xano_workspace_with_two_api_groups() {
    let c = Config::from_json(
        r#"{"loginUrl":"https://x8ki-letl-twmt.n7.xano.io/api:kEw3R3wz/auth/login",
            "dataUrl":"https://x8ki-letl-twmt.n7.xano.io/api:Qb7Uo1dA/orders?per_page=50",
            "tokenPath":"data.token","identityField":"username","tokenLifetimeSeconds":60,
            "devHintUrl":null,"title":"Orders"}"#,
    )
    .unwrap();
    assert!(c.login_url.ends_with("/api:kEw3R3wz/auth/login"));
    assert_eq!(c.token_path.to_string(), "data.token");
    assert_eq!(c.token_lifetime, Some(Duration::from_secs(60)));
    assert_eq!(c.dev_hint_url, None);
    assert_eq!(c.title, "Orders");
    assert!(!c.identity_is_email());
}

#[test]
fn an_email_identity_is_recognised_in_any_case() {
    let email = |field: &str| {
        Config::from_json(&format!(r#"{{"identityField":"{field}"}}"#))
            .unwrap()
            .identity_is_email()
    };
    assert!(email("Email"));
    assert!(!email("username"));
}

#[test]
fn urls_are_absolute_http_or_paths() {
    for (given, kept) in [
        ("/api:auth/auth/login", "/api:auth/auth/login"),
        ("./login", "./login"),
        ("../login", "../login"),
        ("  https://api.example/login ", "https://api.example/login"),
        ("HTTP://API.example/login", "HTTP://API.example/login"),
    ] {
        let c = Config::from_json(&format!(r#"{{"loginUrl":"{given}"}}"#)).unwrap();
        assert_eq!(c.login_url, kept);
    }
    for (bad, why) in [
        ("", "is empty; give the endpoint's URL"),
        ("   ", "is empty; give the endpoint's URL"),
        ("/a\\tb", "is \"/a\tb\", which contains white space"),
        (
            "http://",
            "is \"http://\"; use an absolute http(s) URL or a path starting with /",
        ),
        (
            "ftp://files.example/x",
            "is \"ftp://files.example/x\"; use an absolute http(s) URL or a path starting with /",
        ),
        (
            "//evil.example/x",
            "is \"//evil.example/x\"; use an absolute http(s) URL or a path starting with /",
        ),
        (
            "http://127.0.0.1:99999/x",
            "is \"http://127.0.0.1:99999/x\", which is not a valid URL",
        ),
        (
            "https://[::1/x",
            "is \"https://[::1/x\", which is not a valid URL",
        ),
        (
            "http://%zz/x",
            "is \"http://%zz/x\", which is not a valid URL",
        ),
    ] {
        assert_eq!(
            problem(&format!(r#"{{"dataUrl":"{bad}"}}"#)),
            ("dataUrl", why.to_owned()),
            "{bad}"
        );
    }
}

#[test]
fn names_are_non_empty_without_surrounding_spaces() {
    for setting in ["storageKey", "identityField", "passwordField"] {
        for bad in ["", " ", " token", "token "] {
            assert_eq!(
                problem(&format!(r#"{{"{setting}":"{bad}"}}"#)),
                (
                    setting,
                    format!("is \"{bad}\"; it must be a non-empty name without surrounding spaces")
                ),
            );
        }
    }
    let c = Config::from_json(r#"{"storageKey":"my token"}"#).unwrap();
    assert_eq!(c.storage_key, "my token");
}

#[test]
fn identity_and_password_fields_must_differ() {
    assert_eq!(
        problem(r#"{"identityField":"password"}"#),
        ("passwordField", "must differ from `identityField`".into())
    );
}

#[test]
fn logins_are_json_without_extra_fields_by_default() {
    let auth = Config::default().auth_settings(None);
    assert_eq!(auth.login_body_format, BodyFormat::Json);
    assert_eq!(auth.login_extra_fields, []);
}

#[test]
fn a_fastapi_password_form_login_is_configured_in_the_block() {
    let c = Config::from_json(
        r#"{"loginBodyFormat": "form", "identityField": "username", "tokenPath": "access_token",
            "loginExtraFields": {"grant_type": "password", "client_id": "web", "scope": ""}}"#,
    )
    .unwrap();
    let auth = c.auth_settings(None);
    assert_eq!(auth.login_body_format, BodyFormat::Form);
    assert_eq!(
        auth.login_extra_fields,
        [
            ("grant_type".to_owned(), "password".to_owned()),
            ("client_id".to_owned(), "web".to_owned()),
            ("scope".to_owned(), String::new()),
        ],
        "in the order given; an empty value is a value"
    );
    assert_eq!(
        Config::from_json(r#"{"loginBodyFormat": "json"}"#)
            .unwrap()
            .login_body_format,
        BodyFormat::Json
    );
}

#[test]
fn the_login_body_format_is_json_or_form_nothing_else() {
    for bad in ["Form", "xml", "urlencoded", ""] {
        assert_eq!(
            problem(&format!(r#"{{"loginBodyFormat":"{bad}"}}"#)),
            (
                "loginBodyFormat",
                format!(r#"is "{bad}"; use "json" or "form""#)
            )
        );
    }
}

#[test]
fn extra_login_fields_are_named_strings_that_do_not_repeat_the_credentials() {
    for (given, problem_text) in [
        (
            r#""grant_type=password""#,
            r#"is a string; expected an object of strings such as {"grant_type": "password"}"#,
        ),
        (
            r#"[["grant_type","password"]]"#,
            r#"is an array; expected an object of strings such as {"grant_type": "password"}"#,
        ),
        (
            r#"{"client_id": 7}"#,
            "has `client_id` = a number; give every value as a string",
        ),
        (
            r#"{"remember": true}"#,
            "has `remember` = a boolean; give every value as a string",
        ),
        (
            r#"{"scope": null}"#,
            "has `scope` = null; give every value as a string",
        ),
        (r#"{"": "x"}"#, r#"has the field ""; a field needs a name"#),
        (
            r#"{"  ": "x"}"#,
            r#"has the field "  "; a field needs a name"#,
        ),
        (
            r#"{"grant_type": "password", "email": "someone@else"}"#,
            r#"has the field "email", which the login body already carries from `identityField` or `passwordField`"#,
        ),
        (
            r#"{"password": ""}"#,
            r#"has the field "password", which the login body already carries from `identityField` or `passwordField`"#,
        ),
    ] {
        assert_eq!(
            problem(&format!(r#"{{"loginExtraFields":{given}}}"#)),
            ("loginExtraFields", problem_text.to_owned()),
            "{given}"
        );
    }
    // The collision follows the configured names, not the defaults.
    let c =
        Config::from_json(r#"{"identityField": "username", "loginExtraFields": {"email": "x"}}"#)
            .unwrap();
    assert_eq!(c.login_extra_fields, [("email".into(), "x".into())]);
    assert_eq!(
        problem(r#"{"identityField": "username", "loginExtraFields": {"username": "x"}}"#).0,
        "loginExtraFields"
    );
}

#[test]
fn unauthorized_statuses_are_4xx() {
    let c = Config::from_json(r#"{"unauthorizedStatuses":[400,401,499]}"#).unwrap();
    assert_eq!(c.unauthorized_statuses, [400, 401, 499]);
    for bad in [399, 500] {
        assert_eq!(
            problem(&format!(r#"{{"unauthorizedStatuses":[401,{bad}]}}"#)),
            (
                "unauthorizedStatuses",
                format!("contains {bad}; only 4xx statuses can mean a refused token")
            )
        );
    }
    assert_eq!(
        problem(r#"{"unauthorizedStatuses":[]}"#).1,
        "is empty; list the statuses that mean an expired token, usually [401]"
    );
    assert_eq!(
        problem(r#"{"unauthorizedStatuses":[70401]}"#).1,
        "is an array; expected a list of HTTP statuses such as [401]"
    );
}

#[test]
fn every_bad_value_names_its_setting() {
    for (json, setting) in [
        (r#"{"loginUrl":""}"#, "loginUrl"),
        (r#"{"loginUrl":"javascript:alert(1)"}"#, "loginUrl"),
        (r#"{"dataUrl":"api/data"}"#, "dataUrl"),
        (r#"{"dataUrl":"//evil.example/x"}"#, "dataUrl"),
        (r#"{"dataUrl":"https://"}"#, "dataUrl"),
        (r#"{"tokenPath":"data..token"}"#, "tokenPath"),
        (r#"{"storageKey":" "}"#, "storageKey"),
        (r#"{"passwordField":"email"}"#, "passwordField"),
        (r#"{"unauthorizedStatuses":[]}"#, "unauthorizedStatuses"),
        (r#"{"unauthorizedStatuses":[200]}"#, "unauthorizedStatuses"),
        (r#"{"tokenLifetimeSeconds":0}"#, "tokenLifetimeSeconds"),
        (r#"{"tokenLifetimeSeconds":-5}"#, "tokenLifetimeSeconds"),
        (r#"{"devHintUrl":"hint"}"#, "devHintUrl"),
        (r#"{"title":[]}"#, "title"),
        (r#"{"requestTimeoutSeconds":0}"#, "requestTimeoutSeconds"),
        (r#"{"loginTimeoutSeconds":0}"#, "loginTimeoutSeconds"),
        (r#"{"maxReloginsPerMinute":0}"#, "maxReloginsPerMinute"),
        (r#"{"loginBodyFormat":"xml"}"#, "loginBodyFormat"),
        (r#"{"loginExtraFields":{"":"x"}}"#, "loginExtraFields"),
        (r#"{"loginExtraFields":{"email":"x"}}"#, "loginExtraFields"),
        (r#"{"refreshUrl":"refresh"}"#, "refreshUrl"),
        (r#"{"refreshTokenPath":""}"#, "refreshTokenPath"),
        (
            r#"{"refreshRequestField":" refresh"}"#,
            "refreshRequestField",
        ),
        (
            r#"{"refreshExtraFields":{"client_id":1}}"#,
            "refreshExtraFields",
        ),
        (r#"{"refreshTokenStorage":"cookie"}"#, "refreshTokenStorage"),
    ] {
        let err = Config::from_json(json).unwrap_err();
        assert!(
            matches!(&err, ConfigError::Invalid { setting: s, .. } if *s == setting),
            "{json}: {err:?}"
        );
        assert!(err.to_string().contains(&format!("`{setting}`")), "{err}");
    }
}

#[test]
fn a_wrong_type_names_the_setting_and_the_expected_type_for_every_setting() {
    for setting in &SETTINGS {
        // An object, or a list where an object is expected.
        let (given, kind) = match setting.default.as_bytes()[0] {
            b'{' => ("[]", "an array"),
            _ => ("{}", "an object"),
        };
        let err = Config::from_json(&format!(r#"{{"{}":{given}}}"#, setting.name)).unwrap_err();
        assert_eq!(
            err.to_string(),
            format!(
                "Setting `{}` is {kind}; expected {}",
                setting.name,
                match setting.default.as_bytes()[0] {
                    b'"' => "a string",
                    b'[' => "a list of HTTP statuses such as [401]",
                    b'{' => r#"an object of strings such as {"grant_type": "password"}"#,
                    b't' | b'f' => "true or false",
                    _ if ["title", "refreshUrl"].contains(&setting.name) => "a string",
                    _ => "a number",
                }
            )
        );
    }
}

#[test]
fn typos_and_malformed_json_are_reported_not_ignored() {
    let err = Config::from_json(r#"{"loginUrl":"/x","logniUrl":"/x"}"#).unwrap_err();
    let names: Vec<String> = SETTINGS.iter().map(|s| format!("`{}`", s.name)).collect();
    assert_eq!(
        err,
        ConfigError::Syntax(format!(
            "unknown field `logniUrl`, expected one of {}",
            names.join(", ")
        ))
    );
    assert!(
        err.to_string()
            .contains("expected one of `loginUrl`, `dataUrl`, `tokenPath`"),
        "{err}"
    );
    assert!(matches!(
        Config::from_json("{"),
        Err(ConfigError::Syntax(_))
    ));
    assert_eq!(
        Config::from_json("[]"),
        Err(ConfigError::Syntax(
            "expected a JSON object, found an array".into()
        ))
    );
}

#[test]
fn null_means_the_default_and_for_the_hint_means_none() {
    let all_null: Vec<String> = SETTINGS
        .iter()
        .map(|s| format!(r#""{}":null"#, s.name))
        .collect();
    let c = Config::from_json(&format!("{{{}}}", all_null.join(","))).unwrap();
    assert_eq!(
        c,
        Config {
            dev_hint_url: None,
            ..Config::default()
        }
    );
}

#[test]
fn every_declared_default_is_what_the_setting_reads_as_given() {
    let defaults = Config::default();
    for setting in &SETTINGS {
        let given = format!(r#"{{"{}":{}}}"#, setting.name, setting.default);
        assert_eq!(
            Config::from_json(&given).as_ref(),
            Ok(&defaults),
            "{}",
            setting.name
        );
    }
}

/// The README's settings table, row for row, as the declarations make it.
fn readme_rows() -> Vec<String> {
    SETTINGS
        .iter()
        .map(|s| {
            let default = match serde_json::from_str(s.default) {
                Ok(Value::String(text)) => text,
                _ => s.default.to_owned(),
            };
            format!("| `{}` | `{default}` | {} |", s.name, s.doc)
        })
        .collect()
}

#[test]
fn the_readme_lists_exactly_the_declared_settings_and_defaults() {
    let readme = include_str!("../../README.md");
    let table: Vec<&str> = readme
        .lines()
        .skip_while(|line| *line != "| setting | default | meaning |")
        .skip(2)
        .take_while(|line| line.starts_with('|'))
        .collect();
    let want = readme_rows();
    assert_eq!(
        table,
        want,
        "README.md's settings table differs from the declarations in src/config/settings.rs; \
         it should read:\n| setting | default | meaning |\n|---|---|---|\n{}",
        want.join("\n")
    );
}

#[test]
fn answers_are_read_up_to_32_mib_unless_the_setting_says_otherwise() {
    let c = Config::default();
    assert_eq!(c.max_response_bytes, 33_554_432);
    assert_eq!(
        c.max_response_bytes,
        crate::auth::transport::DEFAULT_MAX_RESPONSE_BYTES,
        "a request sent without a client is held to the same default"
    );
    assert_eq!(c.auth_settings(None).max_response_bytes, 33_554_432);
    let c = Config::from_json(r#"{"maxResponseBytes":4096}"#).unwrap();
    assert_eq!(c.auth_settings(None).max_response_bytes, 4096);
}

#[test]
fn the_response_limit_is_a_whole_number_of_bytes_from_1_kib_to_256_mib() {
    for (n, want) in [
        ("1024", 1024),
        ("268435456", 268_435_456),
        ("2048.0", 2048),
        ("1e6", 1_000_000),
    ] {
        let c = Config::from_json(&format!(r#"{{"maxResponseBytes":{n}}}"#)).unwrap();
        assert_eq!(c.max_response_bytes, want, "{n}");
    }
    for (bad, shown) in [
        ("1023", "1023"),
        ("268435457", "268435457"),
        ("0", "0"),
        ("-1024", "-1024"),
        ("4096.5", "4096.5"),
    ] {
        assert_eq!(
            problem(&format!(r#"{{"maxResponseBytes":{bad}}}"#)),
            (
                "maxResponseBytes",
                format!(
                    "is {shown}; give a whole number of bytes from 1024 (1 KiB) to 268435456 (256 MiB)"
                )
            ),
            "{bad}"
        );
    }
    assert_eq!(
        problem(r#"{"maxResponseBytes":"32 MiB"}"#).1,
        "is a string; expected a number"
    );
    assert_eq!(
        problem(r#"{"maxResponseBytes":[1024]}"#).1,
        "is an array; expected a number"
    );
    assert_eq!(
        Config::from_json(r#"{"maxResponseBytes":null}"#)
            .unwrap()
            .max_response_bytes,
        33_554_432,
        "null means the default"
    );
}

#[test]
fn refresh_tokens_are_off_unless_a_refresh_url_is_given() {
    let c = Config::default();
    assert_eq!(c.refresh_url, None);
    assert_eq!(c.auth_settings(None).refresh, None);
    assert_eq!(c.refresh_token_storage, RefreshStorage::Session);
    assert_eq!(c.refresh_request_field, "refresh_token");
    assert_eq!(c.refresh_token_path.to_string(), "refresh_token");
}

#[test]
fn simplejwt_and_oauth2_refresh_settings_reach_the_client() {
    let simplejwt = Config::from_json(
        r#"{"loginUrl": "/api/token/", "tokenPath": "access", "identityField": "username",
            "refreshUrl": "/api/token/refresh/", "refreshTokenPath": "refresh",
            "refreshRequestField": "refresh", "refreshTokenStorage": "local"}"#,
    )
    .unwrap();
    let refresh = simplejwt.auth_settings(None).refresh.expect("on");
    assert_eq!(refresh.url, "/api/token/refresh/");
    assert_eq!(refresh.token_path.to_string(), "refresh");
    assert_eq!(refresh.request_field, "refresh");
    assert!(refresh.extra_fields.is_empty());
    assert_eq!(simplejwt.refresh_token_storage, RefreshStorage::Local);

    let oauth = Config::from_json(
        r#"{"loginUrl": "https://id.example/token", "tokenPath": "access_token",
            "refreshUrl": "https://id.example/token",
            "refreshExtraFields": {"grant_type": "refresh_token", "client_id": "web"},
            "refreshTokenStorage": "memory"}"#,
    )
    .unwrap();
    let refresh = oauth.auth_settings(None).refresh.expect("on");
    assert_eq!(
        refresh.extra_fields,
        [
            ("grant_type".to_owned(), "refresh_token".to_owned()),
            ("client_id".to_owned(), "web".to_owned())
        ],
        "in the order given"
    );
    assert_eq!(refresh.request_field, "refresh_token");
    assert_eq!(oauth.refresh_token_storage, RefreshStorage::Memory);
}

#[test]
fn refresh_settings_refuse_what_cannot_work() {
    for (json, want) in [
        (
            r#"{"refreshTokenStorage":"cookie"}"#,
            "Setting `refreshTokenStorage` is \"cookie\"; give \"memory\", \"session\" or \"local\"",
        ),
        (
            r#"{"refreshExtraFields":{"client_id":1}}"#,
            "Setting `refreshExtraFields` has `client_id` = a number; give every value as a string",
        ),
        (
            r#"{"refreshExtraFields":{" ":"x"}}"#,
            "Setting `refreshExtraFields` has the field \" \"; a field needs a name",
        ),
        (
            r#"{"refreshExtraFields":{"refresh_token":"x"}}"#,
            "Setting `refreshExtraFields` has `refresh_token`, the field `refreshRequestField` names for the refresh token",
        ),
        (
            r#"{"refreshUrl":"javascript:alert(1)"}"#,
            "Setting `refreshUrl` is \"javascript:alert(1)\"; use an absolute http(s) URL or a path starting with /",
        ),
    ] {
        assert_eq!(
            Config::from_json(json).unwrap_err().to_string(),
            want,
            "{json}"
        );
    }
}
