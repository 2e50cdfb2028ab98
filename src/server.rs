//! Running the HTTP server: open and migrate the database, bind, serve until SIGTERM or Ctrl-C,
//! let in-flight requests finish, exit cleanly.

use std::future::Future;
use std::net::SocketAddr;

use anyhow::Context;
use tokio::net::TcpListener;
use tokio::sync::watch;

use crate::app::{self, App};
use crate::config::Config;
use crate::db::Db;
use crate::queue;
use crate::state::AppState;

/// Opens the database, applies migrations and assembles the state.
pub async fn prepare(config: Config) -> anyhow::Result<AppState> {
    let db = Db::connect(&config).await?;
    db.migrate().await?;
    AppState::new(config, db)
}

/// Jobs run at once by the worker inside `careerhub serve`.
const IN_PROCESS_WORKER_CONCURRENCY: usize = 2;

/// `careerhub serve`: the whole server lifecycle, with a worker unless told otherwise.
pub async fn run(config: Config, with_worker: bool) -> anyhow::Result<()> {
    let addr = config.addr;
    let state = prepare(config).await?;
    let listener = TcpListener::bind(addr)
        .await
        .with_context(|| format!("could not listen on {addr}"))?;
    tracing::info!(addr = %listener.local_addr()?, "careerhub is listening");
    // Mail is delivered by the worker; say where it goes wherever jobs run.
    if with_worker {
        tracing::info!("{}", state.config.mail.describe());
    }
    let (stop_worker, stopping) = watch::channel(false);
    let worker = with_worker.then(|| {
        tokio::spawn(queue::worker::run(
            state.clone(),
            IN_PROCESS_WORKER_CONCURRENCY,
            stopping,
        ))
    });
    serve(listener, app::build(state), shutdown_signal()).await?;
    let _ = stop_worker.send(true);
    if let Some(worker) = worker {
        let _ = worker.await;
    }
    tracing::info!("careerhub stopped");
    Ok(())
}

/// Connections a worker's pool holds beyond one per concurrent job: the claim renewals, the
/// schedules and its `/metrics` scrapes.
const WORKER_SPARE_CONNECTIONS: u32 = 2;

/// `careerhub worker`: background jobs only, until SIGTERM or Ctrl-C; with `metrics_addr`,
/// `/healthz`, `/readyz` and `/metrics` served there.
pub async fn run_worker(
    mut config: Config,
    concurrency: usize,
    metrics_addr: Option<SocketAddr>,
) -> anyhow::Result<()> {
    // Sized to what the jobs can use at once, so many workers do not exhaust the server's
    // max_connections (README: sizing the pools).
    let wanted = u32::try_from(concurrency)
        .unwrap_or(u32::MAX)
        .saturating_add(WORKER_SPARE_CONNECTIONS);
    config.db_max_connections = config.db_max_connections.min(wanted);
    let state = prepare(config).await?;
    tracing::info!("{}", state.config.mail.describe());
    let (stop, stopping) = watch::channel(false);
    let probes = match metrics_addr {
        Some(addr) => {
            let listener = TcpListener::bind(addr)
                .await
                .with_context(|| format!("could not listen on {addr} (--metrics-addr)"))?;
            tracing::info!(addr = %listener.local_addr()?, "worker probes and metrics listening");
            let router = crate::health::worker_router(state.clone());
            let mut stopped = stopping.clone();
            Some(tokio::spawn(async move {
                let shutdown = async move {
                    let _ = stopped.changed().await;
                };
                axum::serve(listener, router)
                    .with_graceful_shutdown(shutdown)
                    .await
            }))
        }
        None => None,
    };
    let worker = tokio::spawn(queue::worker::run(state, concurrency, stopping));
    shutdown_signal().await;
    let _ = stop.send(true);
    worker.await?;
    if let Some(probes) = probes {
        probes.await??;
    }
    Ok(())
}

/// Serves `app` on `listener` until `shutdown` completes, then waits for in-flight requests.
pub async fn serve(
    listener: TcpListener,
    app: App,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let service = axum::ServiceExt::<axum::extract::Request>::into_make_service_with_connect_info::<
        SocketAddr,
    >(app);
    axum::serve(listener, service)
        .with_graceful_shutdown(shutdown)
        .await
}

/// Completes on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(err) = tokio::signal::ctrl_c().await {
            tracing::error!(error = %err, "could not listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(err) => {
                tracing::error!(error = %err, "could not listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: finishing in-flight requests");
}
