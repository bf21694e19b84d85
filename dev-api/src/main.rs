//! `dev-api`: runs the Xano-compatible development API.
//!
//! Every flag can also be set through its `DEV_API_*` environment variable (see `--help`).
//! On start it prints exactly two lines to stdout, the first one flushed before serving:
//!
//! ```text
//! dev-api listening on http://127.0.0.1:9080
//! demo login: demo@tokengrid.dev / tokengrid-demo
//! ```
//!
//! With `--port 0` the first line carries the port the OS chose. Other notes go to stderr.
//! It stops gracefully on Ctrl-C or SIGTERM.

use std::io::Write;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::builder::BoolishValueParser;
use clap::{ArgAction, Parser};
use dev_api::{
    AppState, Config, DEFAULT_BODY_LIMIT_BYTES, DEFAULT_DEMO_EMAIL, DEFAULT_DEMO_PASSWORD,
    DEFAULT_LOGIN_RATE_LIMIT, DEFAULT_LOGIN_RATE_WINDOW_SECS, DEFAULT_TOKEN_TTL_SECS, TokenFormat,
};

/// Default port.
const DEFAULT_PORT: u16 = 9080;

/// A Xano-compatible development API for tokengrid (auth, protected data, CORS, counters).
// No `Debug`: it holds the JWT secret, which must never be printed.
#[derive(Parser)]
#[command(name = "dev-api", version, about)]
struct Cli {
    /// Address to bind (loopback by default; anything else exposes the demo login).
    #[arg(long, env = "DEV_API_HOST", default_value_t = IpAddr::V4(Ipv4Addr::LOCALHOST))]
    host: IpAddr,

    /// Port to bind; 0 lets the OS choose (the "listening" line shows the result).
    #[arg(long, env = "DEV_API_PORT", default_value_t = DEFAULT_PORT)]
    port: u16,

    /// Token format: `opaque` (Xano-like JWE look-alike) or `jwt` (HS256 with sub/iat/exp).
    #[arg(long, env = "DEV_API_TOKEN_FORMAT", value_enum, default_value_t = TokenFormat::Opaque)]
    token_format: TokenFormat,

    /// Token lifetime in seconds.
    #[arg(
        long,
        env = "DEV_API_TOKEN_TTL",
        default_value_t = DEFAULT_TOKEN_TTL_SECS,
        value_parser = clap::value_parser!(u64).range(1..)
    )]
    token_ttl: u64,

    /// HS256 secret for `--token-format jwt` (default: random per process).
    #[arg(long, env = "DEV_API_JWT_SECRET", hide_env_values = true)]
    jwt_secret: Option<String>,

    /// E-mail of the seeded demo account.
    #[arg(long, env = "DEV_API_DEMO_EMAIL", default_value = DEFAULT_DEMO_EMAIL)]
    demo_email: String,

    /// Password of the seeded demo account (printed on start and served as a hint).
    #[arg(long, env = "DEV_API_DEMO_PASSWORD", default_value = DEFAULT_DEMO_PASSWORD)]
    demo_password: String,

    /// Also serve this built static site (index.html for unknown non-API GET paths).
    #[arg(long, env = "DEV_API_SERVE_DIST")]
    serve_dist: Option<PathBuf>,

    /// Enable the request counters and /__dev/counters (env: 1/0, true/false, yes/no).
    #[arg(
        long,
        env = "DEV_API_COUNTERS",
        action = ArgAction::SetTrue,
        value_parser = BoolishValueParser::new()
    )]
    counters: bool,

    /// Enable fault injection: /__dev/faults and /__dev/revoke (env: 1/0, true/false, yes/no).
    #[arg(
        long,
        env = "DEV_API_FAULTS",
        action = ArgAction::SetTrue,
        value_parser = BoolishValueParser::new()
    )]
    faults: bool,

    /// Hand out refresh tokens with logins and route POST /api:auth/auth/refresh, with rotation
    /// and reuse detection (env: 1/0, true/false, yes/no).
    #[arg(
        long,
        env = "DEV_API_REFRESH_TOKENS",
        action = ArgAction::SetTrue,
        value_parser = BoolishValueParser::new()
    )]
    refresh_tokens: bool,

    /// Login attempts allowed per e-mail and window, like Xano's rate limit; 0 turns it off.
    #[arg(long, env = "DEV_API_LOGIN_RATE_LIMIT", default_value_t = DEFAULT_LOGIN_RATE_LIMIT)]
    login_rate_limit: u32,

    /// Length of the login rate-limit window in seconds.
    #[arg(
        long,
        env = "DEV_API_LOGIN_RATE_WINDOW",
        default_value_t = DEFAULT_LOGIN_RATE_WINDOW_SECS,
        value_parser = clap::value_parser!(u64).range(1..)
    )]
    login_rate_window: u64,

    /// How many customer rows to seed (benchmarks use 1,000 to 100,000).
    #[arg(long, env = "DEV_API_ROWS", default_value_t = dev_api::DEFAULT_ROWS, value_parser = clap::value_parser!(u64).range(0..=1_000_000))]
    rows: u64,

    /// Milliseconds a client may take to send a complete request head; after that its
    /// connection is closed (also an idle keep-alive connection).
    #[arg(
        long,
        env = "DEV_API_HEADER_TIMEOUT_MS",
        default_value_t = dev_api::DEFAULT_HEADER_READ_TIMEOUT.as_millis() as u64,
        value_parser = clap::value_parser!(u64).range(1..)
    )]
    header_timeout_ms: u64,
}

impl Cli {
    fn config(&self) -> Config {
        Config {
            token_format: self.token_format,
            token_ttl_secs: self.token_ttl,
            jwt_secret: self.jwt_secret.clone(),
            demo_email: self.demo_email.clone(),
            demo_password: self.demo_password.clone(),
            serve_dist: self.serve_dist.clone(),
            counters: self.counters,
            faults: self.faults,
            login_rate_limit: self.login_rate_limit,
            login_rate_window_secs: self.login_rate_window,
            body_limit_bytes: DEFAULT_BODY_LIMIT_BYTES,
            rows: self.rows,
            refresh_tokens: self.refresh_tokens,
        }
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(&cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("dev-api: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: &Cli) -> Result<(), String> {
    let state = AppState::new(cli.config()).map_err(|error| error.to_string())?;
    let address = SocketAddr::new(cli.host, cli.port);
    let listener = tokio::net::TcpListener::bind(address)
        .await
        .map_err(|error| format!("cannot bind {address}: {error}"))?;
    let bound = listener
        .local_addr()
        .map_err(|error| format!("cannot read the bound address: {error}"))?;

    let mut stdout = std::io::stdout().lock();
    // Tests and scripts parse the first line: keep its wording.
    let _ = writeln!(stdout, "dev-api listening on http://{bound}");
    // A published dev-only account; no other secret or token is ever printed.
    let _ = writeln!(
        stdout,
        "demo login: {} / {}",
        state.demo_email(),
        cli.demo_password
    );
    let _ = stdout.flush();
    drop(stdout);
    let on_off = |on: bool| if on { "on" } else { "off" };
    let login_rate = if cli.login_rate_limit == 0 {
        "off".to_owned()
    } else {
        format!(
            "{} per {} s per e-mail",
            cli.login_rate_limit, cli.login_rate_window
        )
    };
    eprintln!(
        "dev-api: tokens {} for {} s; login rate limit {login_rate}; counters {}; faults {}; static site {}",
        cli.token_format,
        cli.token_ttl,
        on_off(cli.counters),
        on_off(cli.faults),
        cli.serve_dist
            .as_ref()
            .map_or_else(|| "off".to_owned(), |dir| dir.display().to_string()),
    );

    dev_api::serve(
        listener,
        dev_api::app(state),
        Duration::from_millis(cli.header_timeout_ms),
        shutdown_signal(),
    )
    .await;
    Ok(())
}

/// Resolves on Ctrl-C or (on Unix) SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            // Without a Ctrl-C handler, wait for SIGTERM alone.
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    eprintln!("dev-api: shutting down");
}
