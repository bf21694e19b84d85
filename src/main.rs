//! The browser entry point: the allocator, the panic hook, then mount the app.

/// Talc instead of Rust's default wasm allocator (dlmalloc): less code in the
/// bundle, and faster. The page is single-threaded (no `atomics`), which the
/// dynamic Talc relies on.
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

#[cfg(target_arch = "wasm32")]
fn main() {
    tokengrid::perf::mark(tokengrid::perf::WASM_READY);
    // Debug builds (`trunk serve`) log a panic's message and stack; a
    // release build leaves the hook out (≈1 KB gzip) and a panic shows as
    // the wasm `unreachable` trap in the console.
    #[cfg(debug_assertions)]
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(tokengrid::app);
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!(
        "tokengrid runs in the browser: build it with `trunk build` or run `scripts/run.sh`."
    );
    std::process::exit(2);
}
