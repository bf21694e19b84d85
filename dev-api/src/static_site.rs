//! The fallback for everything no API route matched: Xano's 404, or a static site.
//!
//! With `--serve-dist <dir>`, a `GET`/`HEAD` for a path outside the API (`/api:…`, `/__dev/…`)
//! is served from `dir`, and any path with no file there gets `dir/index.html` (status 200),
//! as a single-page app's static host would. API routes always take precedence, and unknown
//! API paths stay Xano 404s even then.
//!
//! Every answer from the site carries the headers a static host should send (the same ones
//! the release build writes into `dist/_headers` for Netlify and Cloudflare Pages):
//! `X-Content-Type-Options: nosniff`, `Referrer-Policy: no-referrer`, and the page's
//! Content-Security-Policy, read from the `<meta http-equiv>` tag of the served `index.html`
//! at each request (so a rebuilt or re-configured site is followed) with
//! `frame-ancestors 'none'` added, which only a header can carry: the app cannot be framed.
//! `no-referrer` because nothing the app talks to needs to know which page asked (CORS relies
//! on `Origin`, which is sent regardless), and the page's address is nobody else's business.
//!
//! The feature's state is the [`StaticSite`]; its [`router`] holds nothing but the fallback,
//! and is merged into the app only when a site is configured (otherwise the app's fallback is
//! the plain 404).

use std::path::{Path, PathBuf};

use axum::Router;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, header};
use axum::response::{IntoResponse, Response};
use tower_http::services::{ServeDir, ServeFile};

use crate::errors::{ApiError, StartupError};
use crate::paths::is_api_path;

/// A built site served from a directory, `index.html` for anything not found.
#[derive(Debug, Clone)]
pub(crate) struct StaticSite {
    service: ServeDir<ServeFile>,
    index: PathBuf,
}

impl StaticSite {
    /// Serves `dir`, which must be a directory.
    pub(crate) fn new(dir: &Path) -> Result<Self, StartupError> {
        if !dir.is_dir() {
            return Err(StartupError::ServeDist(dir.to_path_buf()));
        }
        let index = dir.join("index.html");
        Ok(Self {
            service: ServeDir::new(dir).fallback(ServeFile::new(&index)),
            index,
        })
    }
}

/// A router with only a fallback: the site for non-API `GET`/`HEAD`, else Xano's 404.
pub(crate) fn router(site: StaticSite) -> Router {
    Router::new().fallback(fallback).with_state(site)
}

async fn fallback(State(mut site): State<StaticSite>, request: Request) -> Response {
    let readable = request.method() == Method::GET || request.method() == Method::HEAD;
    if !readable || is_api_path(request.uri().path()) {
        return ApiError::NotFound.into_response();
    }
    match site.service.try_call(request).await {
        Ok(response) => {
            let mut response = response.into_response();
            let page = tokio::fs::read_to_string(&site.index)
                .await
                .unwrap_or_default();
            add_static_host_headers(response.headers_mut(), &header_policy(&page));
            response
        }
        Err(_) => ApiError::Fatal("Could not read the static site.").into_response(),
    }
}

/// The directive only a header can carry, added to the page's own policy.
const NO_FRAMING: &str = "frame-ancestors 'none'";

fn add_static_host_headers(headers: &mut HeaderMap, policy: &str) {
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    let policy =
        HeaderValue::from_str(policy).unwrap_or_else(|_| HeaderValue::from_static(NO_FRAMING));
    headers.insert(header::CONTENT_SECURITY_POLICY, policy);
}

/// The Content-Security-Policy header for a page: the policy of its
/// `<meta http-equiv="Content-Security-Policy">` tag without any `frame-ancestors` directive
/// (ignored in a meta tag anyway), then `frame-ancestors 'none'`; just that directive when
/// the page has no such tag.
fn header_policy(html: &str) -> String {
    let directives = meta_policy(html)
        .map(|policy| {
            policy
                .split(';')
                .map(str::trim)
                .filter(|directive| {
                    !directive.is_empty()
                        && !directive
                            .to_ascii_lowercase()
                            .starts_with("frame-ancestors")
                })
                .collect::<Vec<_>>()
                .join("; ")
        })
        .unwrap_or_default();
    if directives.is_empty() {
        NO_FRAMING.to_owned()
    } else {
        format!("{directives}; {NO_FRAMING}")
    }
}

/// The `content` of the first `<meta http-equiv="Content-Security-Policy" content="…">` in
/// `html` (double-quoted attributes, as the build writes them), with the few entities an
/// attribute may use decoded.
fn meta_policy(html: &str) -> Option<String> {
    // ASCII lower-casing keeps every byte offset, so positions carry over to `html`.
    let lower = html.to_ascii_lowercase();
    let mut rest = 0;
    while let Some(found) = lower[rest..].find("<meta") {
        let start = rest + found;
        let end = lower[start..]
            .find('>')
            .map_or(lower.len(), |end| start + end);
        let tag = &lower[start..end];
        rest = end;
        if !tag.contains("http-equiv=\"content-security-policy\"") {
            continue;
        }
        let mut from = 0;
        while let Some(found) = tag[from..].find("content=\"") {
            let at = from + found;
            from = at + 1;
            if !tag[..at].ends_with(|c: char| c.is_ascii_whitespace()) {
                continue;
            }
            let value_start = start + at + "content=\"".len();
            let value_end = html[value_start..end].find('"')? + value_start;
            return Some(decode_entities(&html[value_start..value_end]));
        }
    }
    None
}

fn decode_entities(value: &str) -> String {
    value
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&apos;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;

    const POLICY: &str = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval' 'sha256-abc='; connect-src 'self' https://x.example";

    #[test]
    fn the_header_is_the_meta_policy_with_framing_forbidden() {
        let page = format!(
            "<!doctype html><html><head><meta charset=\"utf-8\" />\n    <META http-equiv=\"Content-Security-Policy\" content=\"{POLICY}\" /><title>t</title>"
        );
        assert_eq!(
            header_policy(&page),
            format!("{POLICY}; frame-ancestors 'none'")
        );
    }

    #[test]
    fn a_page_without_a_policy_still_forbids_framing() {
        for page in [
            "",
            "<meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\">",
            "<meta http-equiv=\"refresh\" content=\"5\">",
            "<meta http-equiv=\"Content-Security-Policy\" content=\"\">",
        ] {
            assert_eq!(header_policy(page), "frame-ancestors 'none'", "{page}");
        }
    }

    #[test]
    fn the_page_own_frame_ancestors_and_entities_are_handled() {
        let page = "<meta content=\"x\" data-content=\"y\"><meta http-equiv=\"Content-Security-Policy\" data-content=\"no\" content=\"default-src &#39;self&#39;; Frame-Ancestors *;;img-src &amp;x\">";
        assert_eq!(
            header_policy(page),
            "default-src 'self'; img-src &x; frame-ancestors 'none'"
        );
    }

    #[test]
    fn the_static_host_headers() {
        let mut headers = HeaderMap::new();
        add_static_host_headers(&mut headers, "default-src 'self'; frame-ancestors 'none'");
        assert_eq!(headers["x-content-type-options"], "nosniff");
        assert_eq!(headers["referrer-policy"], "no-referrer");
        assert_eq!(
            headers["content-security-policy"],
            "default-src 'self'; frame-ancestors 'none'"
        );
        // A policy that cannot be a header value still leaves framing forbidden.
        add_static_host_headers(&mut headers, "default-src 'self'\n");
        assert_eq!(headers["content-security-policy"], "frame-ancestors 'none'");
    }
}
