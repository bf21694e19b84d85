//! Benchmark (not a test; `#[ignore]`d, run by scripts/bench.sh with
//! `--include-ignored`): does memory grow over 1,000 token refreshes?
//!
//! The real client (fetch, localStorage, Web Locks) in headless Chromium
//! against a dev API started with `--faults`: each round revokes every
//! token (`POST /__dev/revoke`), so the next load is 401 → silent login →
//! replay. After 100 warm-up rounds it prints the wasm linear memory and
//! the JS heap, then again after 1,000 more.
#![cfg(target_arch = "wasm32")]

use tokengrid::auth::env::BrowserEnvironment;
use tokengrid::auth::store::LocalStorageStore;
use tokengrid::auth::transport::FetchTransport;
use tokengrid::auth::{ApiClient, Credentials, HttpRequest, Method, Transport};
use tokengrid::config::Config;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn api() -> &'static str {
    match option_env!("TOKENGRID_BENCH_API") {
        Some(url) => url,
        None => panic!(
            "set TOKENGRID_BENCH_API to a dev API started with --faults (scripts/bench.sh does this)"
        ),
    }
}

fn wasm_memory_bytes() -> f64 {
    let memory: js_sys::WebAssembly::Memory = wasm_bindgen::memory().unchecked_into();
    let buffer: js_sys::ArrayBuffer = memory.buffer().unchecked_into();
    f64::from(buffer.byte_length())
}

fn js_heap_bytes() -> f64 {
    let performance = web_sys::window().and_then(|w| w.performance());
    performance
        .and_then(|p| js_sys::Reflect::get(&p, &"memory".into()).ok())
        .and_then(|m| js_sys::Reflect::get(&m, &"usedJSHeapSize".into()).ok())
        .and_then(|v| v.as_f64())
        .unwrap_or(f64::NAN)
}

type Client = ApiClient<FetchTransport, LocalStorageStore, BrowserEnvironment>;

/// Revoke every token, then load: 401 → silent login → replay.
async fn refresh_round(client: &Client, data: &str) {
    let revoke = HttpRequest::new(Method::Post, format!("{}/__dev/revoke", api()));
    FetchTransport.send(revoke).await.unwrap();
    client.get_json(data).await.unwrap();
}

#[wasm_bindgen_test]
#[ignore = "a benchmark: scripts/bench.sh runs it"]
async fn memory_over_1000_token_refreshes() {
    let config = Config::from_json(&format!(
        r#"{{"loginUrl":"{api}/api:auth/auth/login","dataUrl":"{api}/api:data/customers","storageKey":"benchToken","maxReloginsPerMinute":60}}"#,
        api = api()
    ))
    .unwrap();
    let origin = web_sys::window().unwrap().location().origin().ok();
    let mut settings = config.auth_settings(origin.as_deref());
    // The circuit breaker would rightly stop 1,000 refreshes a minute.
    settings.max_relogins_per_minute = usize::MAX;
    let client = ApiClient::new(
        settings,
        FetchTransport,
        LocalStorageStore::new("benchToken"),
        BrowserEnvironment,
    );
    client
        .log_in(Credentials::new("demo@tokengrid.dev", "tokengrid-demo"))
        .await
        .unwrap();
    let data = format!("{}/api:data/customers?page=1&per_page=25", api());
    for _ in 0..100 {
        refresh_round(&client, &data).await;
    }
    let (wasm_before, heap_before) = (wasm_memory_bytes(), js_heap_bytes());
    let mut checkpoints = Vec::new();
    for round in 1..=1_000 {
        refresh_round(&client, &data).await;
        if round % 250 == 0 {
            checkpoints.push(format!("{:.0}", wasm_memory_bytes() / 1024.0));
        }
    }
    let (wasm_after, heap_after) = (wasm_memory_bytes(), js_heap_bytes());
    web_sys::console::log_1(
        &format!(
            "memory over 1,000 token refreshes: wasm linear memory {:.0} KiB → {:.0} KiB (every 250: {} KiB); JS heap {:.1} MiB → {:.1} MiB",
            wasm_before / 1024.0,
            wasm_after / 1024.0,
            checkpoints.join(", "),
            heap_before / 1_048_576.0,
            heap_after / 1_048_576.0
        )
        .into(),
    );
    client.log_out();
}
