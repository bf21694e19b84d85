//! Which URLs may carry the bearer token: only those whose origin is one of
//! the API's. A request anywhere else goes out without `Authorization`, and
//! its 401s never trigger a login.
//!
//! The origin is decided by the URL standard's parser, never by hand: in the
//! browser by the browser's own (`URL`), so the decision is the one `fetch`
//! makes when it sends the request; natively by the `url` crate, which
//! follows the same standard and is held to its test cases. A parser written
//! here would disagree with the browser somewhere — a backslash is a path
//! separator, `0x7f.1` is `127.0.0.1`, userinfo ends at the last `@` before
//! the path — and every disagreement is a place the token could leak. The
//! client asks through [`Environment::origin_of`](super::env::Environment::origin_of).

/// The origin of an `http:` or `https:` URL as the URL standard serialises
/// it: `scheme://host[:port]`, scheme and host in lower case, the default
/// port left out, IPv4 hosts in dotted decimal, IPv6 hosts in brackets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin(String);

impl Origin {
    /// The serialised origin, e.g. `http://127.0.0.1:9300`.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A URL the URL standard's parser refuses (after resolving it against the
/// page, when it is relative): the browser would not send it anywhere.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("\"{url}\" is not a valid URL")]
pub struct UrlError {
    /// The URL as given.
    pub url: String,
}

/// The origin a request to `url` goes to, with `url` resolved against
/// `base` (the page's address) when relative. `Ok(None)` when it parses but
/// is not `http:` or `https:` (`data:`, `blob:`, `javascript:`, `ws:`…):
/// nothing there is an API origin. `Err` when it does not parse — including
/// a relative URL with no valid base.
///
/// The parser is the platform's: `URL` in the browser, the `url` crate
/// natively.
pub fn origin_of(url: &str, base: Option<&str>) -> Result<Option<Origin>, UrlError> {
    let error = || UrlError {
        url: url.to_owned(),
    };
    let (protocol, origin) = parse(url, base).ok_or_else(error)?;
    Ok(matches!(protocol.as_str(), "http:" | "https:").then_some(Origin(origin)))
}

/// `(protocol, origin)` of `url` (resolved against `base`), from the
/// browser's URL parser.
#[cfg(target_arch = "wasm32")]
fn parse(url: &str, base: Option<&str>) -> Option<(String, String)> {
    let parsed = match base {
        Some(base) => web_sys::Url::new_with_base(url, base),
        None => web_sys::Url::new(url),
    }
    .ok()?;
    Some((parsed.protocol(), parsed.origin()))
}

/// `(protocol, origin)` of `url` (resolved against `base`), from the `url`
/// crate, a parser of the same standard.
#[cfg(not(target_arch = "wasm32"))]
fn parse(url: &str, base: Option<&str>) -> Option<(String, String)> {
    let base = base.map(url::Url::parse).transpose().ok()?;
    let parsed = url::Url::options()
        .base_url(base.as_ref())
        .parse(url)
        .ok()?;
    Some((
        format!("{}:", parsed.scheme()),
        parsed.origin().ascii_serialization(),
    ))
}

/// The API's URLs as configured, and the page they are relative to: what
/// decides which origins the bearer token may be sent to.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ApiOrigins {
    urls: Vec<String>,
    page: Option<String>,
}

impl ApiOrigins {
    /// The origins of `api_urls`, each resolved against `page_origin` (the
    /// page's `location.origin`) when relative: a relative API URL makes the
    /// page's own origin an API origin, as does an absolute URL on it.
    pub fn new<'a>(api_urls: impl IntoIterator<Item = &'a str>, page_origin: Option<&str>) -> Self {
        Self {
            urls: api_urls.into_iter().map(str::to_owned).collect(),
            page: page_origin.map(str::to_owned),
        }
    }

    /// The page's address, which relative URLs are resolved against.
    pub fn page(&self) -> Option<&str> {
        self.page.as_deref()
    }

    /// The API origins, as `origin_of` (given a URL and [`page`](Self::page))
    /// decides them. A configured URL that does not parse, or is not
    /// `http(s)`, adds none: requests to it fail when they are made.
    pub fn resolve(
        &self,
        mut origin_of: impl FnMut(&str, Option<&str>) -> Result<Option<Origin>, UrlError>,
    ) -> Vec<Origin> {
        let mut origins = Vec::new();
        for url in &self.urls {
            if let Ok(Some(origin)) = origin_of(url, self.page())
                && !origins.contains(&origin)
            {
                origins.push(origin);
            }
        }
        origins
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    fn origin(url: &str, base: Option<&str>) -> Result<Option<String>, UrlError> {
        origin_of(url, base).map(|o| o.map(|o| o.as_str().to_owned()))
    }

    /// The cases of the URL standard's own test suite (web-platform-tests'
    /// `urltestdata.json`) that decide where an http(s) request goes; see
    /// the file's `source` and `selection` for which and from where.
    #[test]
    fn origins_agree_with_the_url_standards_test_cases() {
        let data: Value = serde_json::from_str(include_str!("origin_cases.json")).unwrap();
        let cases = data["cases"].as_array().unwrap();
        let mut checked = [0; 3];
        let mut wrong = Vec::new();
        for case in cases {
            let input = case["input"].as_str().unwrap();
            let base = case["base"].as_str();
            let expected = if case["failure"] == true {
                checked[0] += 1;
                None
            } else if let Some(origin) = case["origin"].as_str() {
                checked[1] += 1;
                Some(Some(origin.to_owned()))
            } else {
                checked[2] += 1;
                Some(None)
            };
            let found = origin(input, base).ok();
            if found != expected {
                wrong.push(format!(
                    "{input:?} against {base:?}: {found:?}, not {expected:?}"
                ));
            }
        }
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
        // Failures, http(s) origins, and other schemes: all three are there.
        assert_eq!(checked, [204, 219, 35], "cases: failing, http(s), other");
    }

    #[test]
    fn a_backslash_ends_the_host_so_the_userinfo_after_it_is_path() {
        // What the browser sends to :9302, a hand-written parser took for
        // user `127.0.0.1:9302\` on :9300.
        assert_eq!(
            origin("http://127.0.0.1:9302\\@127.0.0.1:9300/data", None),
            Ok(Some("http://127.0.0.1:9302".into()))
        );
        assert_eq!(
            origin("http://127.0.0.1:9300\\@127.0.0.1:9302/data", None),
            Ok(Some("http://127.0.0.1:9300".into()))
        );
        assert_eq!(
            origin("http://u:p@127.0.0.1:9300@127.0.0.1:9302/data", None),
            Ok(Some("http://127.0.0.1:9302".into())),
            "userinfo ends at the last @"
        );
    }

    #[test]
    fn hosts_and_ports_are_normalised_as_the_browser_does() {
        for (url, expected) in [
            ("HTTP://127.0.0.1:9300/x", "http://127.0.0.1:9300"),
            ("http://0x7f.1:9300/x", "http://127.0.0.1:9300"),
            ("http://2130706433:9300/x", "http://127.0.0.1:9300"),
            ("http://0177.0.0.1:9300/x", "http://127.0.0.1:9300"),
            ("http://%31%32%37.0.0.1:9300/x", "http://127.0.0.1:9300"),
            ("HTTPS://API.Example:443/x", "https://api.example"),
            ("http://api.example:80/x", "http://api.example"),
            ("http://api.example:443/x", "http://api.example:443"),
            ("http://[0:0:0:0:0:0:0:1]:9300/x", "http://[::1]:9300"),
            ("http://api.example.:9300/x", "http://api.example.:9300"),
            (" http://api.example/\n", "http://api.example"),
        ] {
            assert_eq!(origin(url, None), Ok(Some(expected.into())), "{url:?}");
        }
    }

    #[test]
    fn relative_urls_take_the_page_origin_and_protocol_relative_ones_their_own() {
        let page = Some("http://127.0.0.1:8080");
        for url in ["/x", "./x", "../../x", "x", "?q", "#f", ""] {
            assert_eq!(
                origin(url, page),
                Ok(Some("http://127.0.0.1:8080".into())),
                "{url:?}"
            );
        }
        for url in [
            "//evil.example/x",
            "\\\\evil.example\\x",
            "/\\evil.example/x",
        ] {
            assert_eq!(
                origin(url, page),
                Ok(Some("http://evil.example".into())),
                "{url:?}"
            );
        }
        assert_eq!(
            origin("/x", None),
            Err(UrlError { url: "/x".into() }),
            "relative with no page to resolve against"
        );
        assert_eq!(origin("/x", Some("null")).ok(), None, "an opaque page");
    }

    #[test]
    fn other_schemes_have_no_api_origin_and_broken_urls_are_errors() {
        for url in [
            "javascript:alert(1)",
            "data:text/plain,x",
            "blob:http://127.0.0.1:9300/0f6a",
            "ws://127.0.0.1:9300/x",
            "ftp://127.0.0.1/x",
            "api:data/customers",
            "mailto:a@b.example",
        ] {
            assert_eq!(
                origin(url, Some("http://127.0.0.1:9300")),
                Ok(None),
                "{url:?}"
            );
        }
        for url in [
            "http://127.0.0.1:99999/x",
            "http://127.0.0.1:9300x/x",
            "http://4294967296/x",
            "http://[::1/x",
            "http://exa mple/x",
            "http://a<b/x",
            "http://%zz/x",
            "http:///",
            "https://",
        ] {
            assert_eq!(
                origin(url, Some("http://127.0.0.1:9300")),
                Err(UrlError { url: url.into() }),
                "{url:?}"
            );
        }
        assert_eq!(
            UrlError {
                url: "http://h:99999/".into()
            }
            .to_string(),
            "\"http://h:99999/\" is not a valid URL"
        );
    }

    fn resolved(o: &ApiOrigins) -> Vec<String> {
        o.resolve(origin_of)
            .iter()
            .map(|o| o.as_str().to_owned())
            .collect()
    }

    #[test]
    fn the_api_origins_are_those_of_the_configured_urls_once_each() {
        let o = ApiOrigins::new(
            [
                "https://x.xano.io/api:auth/auth/login",
                "HTTPS://X.XANO.IO:443/api:data/orders",
                "http://127.0.0.1:9300\\@127.0.0.1:9302/data",
            ],
            Some("https://app.example"),
        );
        assert_eq!(o.page(), Some("https://app.example"));
        assert_eq!(resolved(&o), ["https://x.xano.io", "http://127.0.0.1:9300"]);
    }

    #[test]
    fn relative_api_urls_make_the_page_origin_an_api_origin() {
        let o = ApiOrigins::new(
            ["/api:auth/auth/login", "../api:data/customers"],
            Some("http://127.0.0.1:8080"),
        );
        assert_eq!(resolved(&o), ["http://127.0.0.1:8080"]);
        let no_page = ApiOrigins::new(["/api:auth/auth/login"], None);
        assert_eq!(no_page.page(), None);
        assert_eq!(resolved(&no_page), Vec::<String>::new());
    }

    #[test]
    fn configured_urls_that_do_not_parse_or_are_not_http_add_no_origin() {
        let o = ApiOrigins::new(
            [
                "http://127.0.0.1:99999/api:auth/auth/login",
                "api:data/customers",
                "ftp://h/x",
            ],
            Some("https://app.example"),
        );
        assert_eq!(resolved(&o), Vec::<String>::new());
        assert_eq!(ApiOrigins::default().resolve(origin_of), []);
    }
}
