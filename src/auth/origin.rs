//! Which URLs may carry the bearer token: only those on the configured API
//! origins. A request anywhere else goes out without `Authorization`, and
//! its 401s never trigger a login.

/// The origins the bearer token may be sent to.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ApiOrigins {
    /// Normalised `scheme://host[:port]` of each absolute API URL.
    origins: Vec<String>,
    /// Whether page-relative URLs (same origin as the page) are API URLs.
    same_origin: bool,
}

impl ApiOrigins {
    /// The origins of `api_urls`: an absolute URL adds its origin, a
    /// page-relative one (`/…`, `./…`, `../…`) makes the page's own origin an
    /// API origin. `page_origin` (e.g. `http://127.0.0.1:8080`) lets an
    /// absolute URL on the page's origin count as same-origin too.
    pub fn new<'a>(api_urls: impl IntoIterator<Item = &'a str>, page_origin: Option<&str>) -> Self {
        let mut this = Self::default();
        let page = page_origin.and_then(origin_of);
        for url in api_urls {
            match origin_of(url) {
                Some(origin) => {
                    if page.as_deref() == Some(origin.as_str()) {
                        this.same_origin = true;
                    }
                    if !this.origins.contains(&origin) {
                        this.origins.push(origin);
                    }
                }
                None if is_page_relative(url) => this.same_origin = true,
                None => {}
            }
        }
        if let (true, Some(page)) = (this.same_origin, page)
            && !this.origins.contains(&page)
        {
            this.origins.push(page);
        }
        this
    }

    /// Whether a request to `url` may carry the bearer token.
    pub fn allows(&self, url: &str) -> bool {
        match origin_of(url) {
            Some(origin) => self.origins.contains(&origin),
            None => is_page_relative(url) && self.same_origin,
        }
    }
}

/// `/x`, `./x`, `../x` — but not `//host/x`, which names another host.
fn is_page_relative(url: &str) -> bool {
    (url.starts_with('/') && !url.starts_with("//"))
        || url.starts_with("./")
        || url.starts_with("../")
}

/// The normalised origin of an absolute http(s) URL: lower-case scheme and
/// host, default port dropped. `None` for anything else.
pub fn origin_of(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    let scheme = scheme.to_ascii_lowercase();
    let default_port = match scheme.as_str() {
        "http" => "80",
        "https" => "443",
        _ => return None,
    };
    let authority = rest.split(['/', '?', '#']).next()?;
    // Userinfo (`user:pass@host`) is not part of the origin.
    let host_port = authority.rsplit('@').next()?.to_ascii_lowercase();
    if host_port.is_empty() {
        return None;
    }
    let host_port = match host_port.rsplit_once(':') {
        Some((host, port)) if port == default_port || port.is_empty() => host.to_owned(),
        _ => host_port,
    };
    Some(format!("{scheme}://{host_port}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_paths_on_the_page_origin_are_page_relative() {
        for url in ["/x", "/", "./x", "../x"] {
            assert!(is_page_relative(url), "{url}");
        }
        for url in [
            "//host/x",
            "x",
            "api:data/x",
            ".x",
            "..x",
            "",
            "https://h/x",
        ] {
            assert!(!is_page_relative(url), "{url}");
        }
    }

    #[test]
    fn an_api_url_that_is_neither_absolute_nor_page_relative_adds_no_origin() {
        let o = ApiOrigins::new(
            ["api:data/customers", "ftp://h/x"],
            Some("https://app.example"),
        );
        assert_eq!(o, ApiOrigins::default());
        assert!(!o.allows("/api:data/customers"));
        assert!(!o.allows("https://app.example/api:data/customers"));
    }

    #[test]
    fn origins_are_normalised() {
        assert_eq!(
            origin_of("HTTPS://X.xano.io:443/api:a/b?c").as_deref(),
            Some("https://x.xano.io")
        );
        assert_eq!(
            origin_of("http://127.0.0.1:9080/x").as_deref(),
            Some("http://127.0.0.1:9080")
        );
        assert_eq!(
            origin_of("http://user:pw@h.example/x").as_deref(),
            Some("http://h.example")
        );
        assert_eq!(origin_of("/api:data/x"), None);
        assert_eq!(origin_of("ftp://h/x"), None);
        assert_eq!(origin_of("https:///x"), None);
    }

    #[test]
    fn only_the_configured_api_origins_get_the_bearer() {
        let o = ApiOrigins::new(
            [
                "https://x.xano.io/api:auth/auth/login",
                "https://x.xano.io/api:data/orders",
            ],
            Some("https://app.example"),
        );
        assert!(o.allows("https://x.xano.io/api:data/other?page=2"));
        assert!(!o.allows("https://evil.example/api:data/orders"));
        assert!(!o.allows("https://x.xano.io.evil.example/x"));
        assert!(
            !o.allows("http://x.xano.io/api:data/orders"),
            "another scheme is another origin"
        );
        assert!(
            !o.allows("/local/path"),
            "the page's own origin is not an API origin here"
        );
        assert!(
            !o.allows("//x.xano.io/api"),
            "protocol-relative URLs are not trusted"
        );
    }

    #[test]
    fn relative_api_urls_make_the_page_origin_an_api_origin() {
        let o = ApiOrigins::new(
            ["/api:auth/auth/login", "/api:data/customers"],
            Some("http://127.0.0.1:8080"),
        );
        assert!(o.allows("/api:data/customers"));
        assert!(o.allows("http://127.0.0.1:8080/api:data/customers"));
        assert!(!o.allows("http://127.0.0.1:9999/api:data/customers"));
        for not_relative in [
            "//evil.example/api:data/customers",
            "api:data/customers",
            "javascript:alert(1)",
            "",
        ] {
            assert!(!o.allows(not_relative), "{not_relative:?}");
        }
        let native = ApiOrigins::new(["/api:auth/auth/login"], None);
        assert!(native.allows("/api:data/x") && !native.allows("http://127.0.0.1:8080/x"));
    }
}
