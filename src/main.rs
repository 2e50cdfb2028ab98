//! The `careerhub` binary: installs the TLS provider and hands over to the library's CLI.

#[tokio::main]
async fn main() -> std::process::ExitCode {
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
