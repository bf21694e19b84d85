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
//! Like a static host configured for the release build, it also:
//!
//! * serves the precompressed copy `X.br` or `X.gz` beside a file `X` (written by
//!   `scripts/compress.mjs`) when the request's `Accept-Encoding` accepts it, with `X`'s
//!   `Content-Type` and the matching `Content-Encoding` (brotli before gzip at equal q-values;
//!   `q=0` refuses an encoding; an `identity` ranked higher wins), and `Vary: Accept-Encoding`
//!   on every answer;
//! * lets hashed assets (Trunk's `name-<hex digits>.ext`, whose content never changes under
//!   that name) be cached for a year without asking again
//!   (`Cache-Control: public, max-age=31536000, immutable`), and has everything else, the page
//!   and the single-page fallback above all, revalidated on every use (`Cache-Control:
//!   no-cache`, with a weak `ETag` from the file's modification time and size, and
//!   `Last-Modified`), answering `304 Not Modified` to a matching `If-None-Match` or, without
//!   one, to an `If-Modified-Since` no older than the file.
//!
//! The feature's state is the [`StaticSite`]; its [`router`] holds nothing but the fallback,
//! and is merged into the app only when a site is configured (otherwise the app's fallback is
//! the plain 404).

use std::path::{Component, Path, PathBuf};
use std::time::UNIX_EPOCH;

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use tower_http::services::{ServeDir, ServeFile};

use crate::errors::{ApiError, StartupError};
use crate::paths::is_api_path;

/// A built site served from a directory, `index.html` for anything not found.
#[derive(Debug, Clone)]
pub(crate) struct StaticSite {
    dir: PathBuf,
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
        let page = ServeFile::new(&index)
            .precompressed_br()
            .precompressed_gzip();
        Ok(Self {
            dir: dir.to_path_buf(),
            service: ServeDir::new(dir)
                .precompressed_br()
                .precompressed_gzip()
                .fallback(page),
            index,
        })
    }

    /// The file a request for `path` is answered with: the file itself, `index.html` for a
    /// directory asked with a trailing slash, or the page when there is no such file. `None`
    /// when the file server answers something else (a redirect, a refusal).
    async fn file_for(&self, path: &str) -> Option<PathBuf> {
        let mut file = self.dir.clone();
        let decoded = percent_decode(path.trim_start_matches('/'))?;
        for component in Path::new(&decoded).components() {
            match component {
                Component::Normal(part) => file.push(part),
                Component::CurDir => {}
                Component::Prefix(_) | Component::RootDir | Component::ParentDir => return None,
            }
        }
        match tokio::fs::metadata(&file).await {
            Ok(meta) if meta.is_dir() => {
                if !path.ends_with('/') {
                    return None;
                }
                let index = file.join("index.html");
                Some(
                    if tokio::fs::metadata(&index).await.is_ok_and(|m| m.is_file()) {
                        index
                    } else {
                        self.index.clone()
                    },
                )
            }
            Ok(_) => Some(file),
            Err(_) => Some(self.index.clone()),
        }
    }
}

/// `path` with its `%XX` escapes decoded; `None` unless the result is UTF-8.
fn percent_decode(path: &str) -> Option<String> {
    let bytes = path.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut at = 0;
    while at < bytes.len() {
        let escaped = (bytes[at] == b'%')
            .then(|| bytes.get(at + 1..at + 3))
            .flatten()
            .filter(|hex| hex.iter().all(u8::is_ascii_hexdigit))
            .and_then(|hex| std::str::from_utf8(hex).ok())
            .and_then(|hex| u8::from_str_radix(hex, 16).ok());
        match escaped {
            Some(byte) => {
                decoded.push(byte);
                at += 3;
            }
            None => {
                decoded.push(bytes[at]);
                at += 1;
            }
        }
    }
    String::from_utf8(decoded).ok()
}

/// A router with only a fallback: the site for non-API `GET`/`HEAD`, else Xano's 404.
pub(crate) fn router(site: StaticSite) -> Router {
    Router::new().fallback(fallback).with_state(site)
}

async fn fallback(State(mut site): State<StaticSite>, mut request: Request) -> Response {
    let readable = request.method() == Method::GET || request.method() == Method::HEAD;
    if !readable || is_api_path(request.uri().path()) {
        return ApiError::NotFound.into_response();
    }
    let caching = match site.file_for(request.uri().path()).await {
        Some(file) => Caching::of(&file).await,
        None => None,
    };
    let page = tokio::fs::read_to_string(&site.index)
        .await
        .unwrap_or_default();
    let policy = header_policy(&page);
    if let Some(caching) = &caching
        && let Some(tags) = request.headers().get(header::IF_NONE_MATCH)
    {
        if caching.matches(tags) {
            let mut response = StatusCode::NOT_MODIFIED.into_response();
            caching.add_headers(response.headers_mut());
            add_static_host_headers(response.headers_mut(), &policy);
            return response;
        }
        // An `If-None-Match` decides alone: the date is not asked about then.
        request.headers_mut().remove(header::IF_MODIFIED_SINCE);
    }
    match site.service.try_call(request).await {
        Ok(response) => {
            let mut response = response.map(Body::new);
            let status = response.status();
            if let Some(caching) = &caching
                && (status.is_success() || status == StatusCode::NOT_MODIFIED)
            {
                caching.add_headers(response.headers_mut());
            }
            add_static_host_headers(response.headers_mut(), &policy);
            response
        }
        Err(_) => ApiError::Fatal("Could not read the static site.").into_response(),
    }
}

/// How long a served file may be reused, and the tag that names its version.
struct Caching {
    control: &'static str,
    etag: String,
}

/// For hashed assets: their content never changes under their name.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// For everything else: reuse only after asking whether it changed.
const REVALIDATE: &str = "no-cache";

impl Caching {
    async fn of(file: &Path) -> Option<Self> {
        let meta = tokio::fs::metadata(file).await.ok()?;
        let modified = meta.modified().ok()?.duration_since(UNIX_EPOCH).ok()?;
        let hashed = file
            .file_name()
            .and_then(|name| name.to_str())
            .is_some_and(is_hashed_asset);
        Some(Self {
            control: if hashed { IMMUTABLE } else { REVALIDATE },
            // Weak: the same for every encoding of the file.
            etag: format!("W/\"{:x}-{:x}\"", modified.as_nanos(), meta.len()),
        })
    }

    /// Whether an `If-None-Match` value names this version (weak comparison, or `*`).
    fn matches(&self, tags: &HeaderValue) -> bool {
        let ours = self.etag.trim_start_matches("W/");
        tags.to_str().is_ok_and(|tags| {
            tags.split(',')
                .map(str::trim)
                .any(|tag| tag == "*" || tag.trim_start_matches("W/") == ours)
        })
    }

    fn add_headers(&self, headers: &mut HeaderMap) {
        headers.insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static(self.control),
        );
        if let Ok(etag) = HeaderValue::from_str(&self.etag) {
            headers.insert(header::ETAG, etag);
        }
    }
}

/// How many hex digits the content hash Trunk puts in asset names has: a
/// 64-bit hash written without leading zeros (`{:x}`), so 16 digits, 15 in
/// one build of 16, and so on. Fewer than 12 (one build in 65,536) are not
/// taken for a hash: such an asset is revalidated, which is only slower,
/// while a name taken for a hash that is not one would be cached for a year.
const HASH_DIGITS: std::ops::RangeInclusive<usize> = 12..=16;

/// Whether `name` is a hashed asset of a Trunk build: `stem-<hex digits>`
/// (see [`HASH_DIGITS`]) followed by `.` or `_` (`app-0123456789abcdef.js`,
/// `app-0123456789abcdef_bg.wasm`), and not a page.
fn is_hashed_asset(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    if lower.ends_with(".html") || lower.ends_with(".htm") {
        return false;
    }
    name.match_indices('-').any(|(at, _)| {
        let rest = &name.as_bytes()[at + 1..];
        let digits = rest.iter().take_while(|b| b.is_ascii_hexdigit()).count();
        HASH_DIGITS.contains(&digits) && matches!(rest.get(digits), Some(b'.' | b'_'))
    })
}

/// The directive only a header can carry, added to the page's own policy.
const NO_FRAMING: &str = "frame-ancestors 'none'";

fn add_static_host_headers(headers: &mut HeaderMap, policy: &str) {
    headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
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
    fn hashed_asset_names_are_trunks() {
        for name in [
            "tokengrid-e4e1ea21fcaa2960.js",
            "tokengrid-e4e1ea21fcaa2960_bg.wasm",
            "main-115ca811712f12d3.css",
            "my-app-115CA811712F12D3.css",
            // A hash with a leading zero digit, which Trunk leaves out.
            "tokengrid-36bd6ffb45afcf6_bg.wasm",
            "main-115ca811712f.css",
        ] {
            assert!(is_hashed_asset(name), "{name}");
        }
        for name in [
            "index.html",
            "plain.js",
            "plain-1.js",
            "main-115ca811712.css",
            "main-115ca811712f12d30.css",
            "main-115ca811712f12dx.css",
            "main-115ca811712f12d3",
            "main-115ca811712f12d3css",
            "page-115ca811712f12d3.html",
            "main-ü15ca811712f12d3.css",
        ] {
            assert!(!is_hashed_asset(name), "{name}");
        }
    }

    #[test]
    fn paths_are_percent_decoded_as_the_file_server_does() {
        assert_eq!(percent_decode("a%20b%2Fc").as_deref(), Some("a b/c"));
        assert_eq!(percent_decode("%e2%82%ac").as_deref(), Some("€"));
        assert_eq!(percent_decode("%+1%2").as_deref(), Some("%+1%2"));
        assert_eq!(percent_decode("%ff"), None);
    }

    #[test]
    fn the_static_host_headers() {
        let mut headers = HeaderMap::new();
        add_static_host_headers(&mut headers, "default-src 'self'; frame-ancestors 'none'");
        assert_eq!(headers["vary"], "accept-encoding");
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
