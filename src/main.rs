//! The `careerhub` binary: installs the allocator and the TLS provider and hands over to the
//! library's CLI, or, started as a parser child, to the sandbox.

/// mimalloc rather than glibc's allocator: bulk imports spent a fifth of their time in glibc's
/// free-list consolidation (see docs/decisions.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    // A parser child (started by the server itself) runs no runtime, no CLI, no TLS.
    if careerhub::sandbox::child::is_child_invocation() {
        return careerhub::sandbox::child::main();
    }
    serve()
}

#[tokio::main]
async fn serve() -> std::process::ExitCode {
    // Both ring and aws-lc-rs are linked (sqlx vs. reqwest/jsonwebtoken); pick one explicitly.
    let _ = rustls::crypto::aws_lc_rs::default_provider().install_default();
    match careerhub::cli::run().await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("careerhub: {err:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
