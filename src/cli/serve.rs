//! `ecojuris serve`: load the engine once, then serve the HTTP API and the web page until
//! SIGTERM or Ctrl-C.

use std::sync::Arc;
use std::time::Duration;

use super::args::ServeArgs;
use super::{Cli, CliError, Outcome, note};
use crate::server::{self, ServerConfig};

/// How long in-flight requests may run after a shutdown signal.
const GRACE: Duration = Duration::from_secs(10);

pub(super) fn run(cli: &Cli, a: &ServeArgs) -> Result<Outcome, CliError> {
    if a.timeout == 0 {
        return Err(CliError::Msg(
            "invalid `--timeout 0`: give seconds, at least 1".to_string(),
        ));
    }
    if let Some(n) = a.threads.filter(|n| !(1..=server::MAX_THREADS).contains(n)) {
        return Err(CliError::Msg(format!(
            "invalid `--threads {n}`: give 1 to {}",
            server::MAX_THREADS
        )));
    }
    if a.max_response == 0 || a.max_response > 1024 {
        return Err(CliError::Msg(format!(
            "invalid `--max-response {}`: give MiB, 1 to 1024",
            a.max_response
        )));
    }
    let engine = Arc::new(super::route::load_engine(cli)?);
    let mut rt = tokio::runtime::Builder::new_multi_thread();
    rt.enable_all();
    if let Some(n) = a.threads {
        rt.worker_threads(n);
    }
    rt.max_blocking_threads(server::MAX_BLOCKING_THREADS);
    let rt = rt
        .build()
        .map_err(|e| CliError::Io("tokio runtime".to_string(), e))?;
    let config = ServerConfig {
        timeout: Duration::from_secs(a.timeout),
        batch_timeout: Duration::from_secs(a.timeout.saturating_mul(10)),
        response_limit: a.max_response.saturating_mul(1 << 20),
        ..ServerConfig::default()
    };
    let stopping = config.stopping.clone();
    rt.block_on(async move {
        let listener = tokio::net::TcpListener::bind(a.addr)
            .await
            .map_err(|e| CliError::Io(format!("cannot listen on `{}`", a.addr), e))?;
        let local = listener
            .local_addr()
            .map_err(|e| CliError::Io("listener".to_string(), e))?;
        if !local.ip().is_loopback() {
            note(&format!(
                "warning: listening on `{local}`, which is not a loopback address: the API has no authentication"
            ));
        }
        let router = server::router(engine.clone(), config);
        // Installed before the announcement: a SIGTERM right after it shuts down gracefully.
        let shutdown = server::shutdown_signal();
        note(&format!(
            "listening on http://{local} (rules {}, geodata {})",
            engine.rules().version,
            engine.geo().version()
        ));
        let signal = async move {
            shutdown.await;
            // Running batches end at a line boundary with an error line.
            stopping.store(true, std::sync::atomic::Ordering::Relaxed);
        };
        let limits = server::ConnLimits {
            grace: GRACE,
            write_timeout: Duration::from_secs(a.timeout),
            ..server::ConnLimits::default()
        };
        server::serve_with(listener, router, signal, limits)
            .await
            .map_err(|e| CliError::Io("server".to_string(), e))?;
        note("shut down");
        Ok(Outcome::Ok)
    })
}
