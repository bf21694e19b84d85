//! The browser entry point: panic hook, then mount the app.

#[cfg(target_arch = "wasm32")]
fn main() {
    tokengrid::perf::mark(tokengrid::perf::WASM_READY);
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(tokengrid::App);
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!(
        "tokengrid runs in the browser: build it with `trunk build` or run `scripts/run.sh`."
    );
    std::process::exit(2);
}
