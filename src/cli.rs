//! The command line: `serve` (the default), `migrate`, `createsuperuser`, `openapi` and
//! `import-django-users`. Each command is a small function over the library.

use std::io::{BufRead, IsTerminal, Write};
use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::{Context, bail};
use clap::{Args, Parser, Subcommand};
use tracing_subscriber::EnvFilter;

use crate::accounts::service::{self, CreateUserError, NewUser};
use crate::accounts::{django_import, handlers::django_password_problems};
use crate::config::{Config, LogFormat};
use crate::db::Db;
use crate::market::import::{self, Format, ImportDefaults, ImportReport};
use crate::{openapi, server};

#[derive(Debug, Parser)]
#[command(
    name = "careerhub",
    version,
    about = "One backend for five career products."
)]
#[command(args_conflicts_with_subcommands = true)]
pub struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    serve: ServeArgs,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the HTTP server (what `careerhub` alone does).
    Serve(ServeArgs),
    /// Run background-job workers alone (no HTTP), until SIGTERM or Ctrl-C.
    Worker {
        /// Jobs run at once.
        #[arg(long, default_value_t = 2)]
        concurrency: usize,
        /// Serve /healthz, /readyz and /metrics on this address.
        #[arg(long, env = "CAREERHUB_WORKER_METRICS_ADDR")]
        metrics_addr: Option<SocketAddr>,
    },
    /// Apply pending database migrations and exit.
    Migrate,
    /// Count the market rollups again from the stored postings.
    RebuildMarketRollups,
    /// Create an administrator account.
    Createsuperuser(CreateSuperuserArgs),
    /// Print the OpenAPI document as JSON.
    Openapi,
    /// Read a folder of saved job pages with a TRUTH.tsv, each served under its original host,
    /// and print how well titles, employers and descriptions were read, per vendor.
    EvalExtraction {
        /// The folder (default: the shared development corpus).
        #[arg(default_value = "../shared/corpus/job-pages")]
        dir: PathBuf,
    },
    /// Score every labelled resume/posting pair of an ATS evaluation folder with the local engine
    /// and print AUC, best-resume-first and missing-keyword precision.
    EvalAts {
        /// The folder (default: the repository's own set).
        #[arg(default_value = "eval/ats")]
        dir: PathBuf,
        /// Also print each pair's score breakdown and missing keywords for this posting.
        #[arg(long)]
        detail: Option<String>,
    },
    /// Import job postings from a JSON Lines or CSV file (careerhub's shape or TheirStack's).
    ImportJobs {
        /// The file; `.csv` is read as CSV, `.jsonl`/`.ndjson` (or a first `{`) as JSON Lines.
        file: PathBuf,
        /// The role searched for, for rows that do not say (gap analysis matches on it).
        #[arg(long)]
        search_keywords: Option<String>,
        /// The location searched in, for rows that do not say.
        #[arg(long)]
        search_location: Option<String>,
    },
    /// Import users from a Django `manage.py dumpdata auth.user` JSON file.
    ImportDjangoUsers {
        /// The JSON file dumpdata wrote.
        file: PathBuf,
    },
    /// Grant or end a user's subscription (it sets their plan in every product).
    #[command(subcommand)]
    Subscription(SubscriptionCommand),
}

#[derive(Debug, Subcommand)]
enum SubscriptionCommand {
    /// Start a plan for a user now, ending any other.
    Grant {
        #[arg(long)]
        email: String,
        /// starter, pro or premium.
        #[arg(long)]
        plan: String,
        /// Ends after this many days; without it, until ended.
        #[arg(long)]
        days: Option<u32>,
    },
    /// End a user's active subscription (back to the free plan).
    End {
        #[arg(long)]
        email: String,
    },
}

#[derive(Debug, Args, Default)]
struct ServeArgs {
    /// Address to listen on [env: CAREERHUB_ADDR] [default: 127.0.0.1:8000]
    #[arg(long)]
    addr: Option<SocketAddr>,
    /// Do not run background jobs in this process (run `careerhub worker` elsewhere).
    #[arg(long)]
    no_worker: bool,
}

#[derive(Debug, Args)]
struct CreateSuperuserArgs {
    #[arg(long, env = "CAREERHUB_SUPERUSER_EMAIL")]
    email: Option<String>,
    #[arg(long, env = "CAREERHUB_SUPERUSER_PASSWORD", hide_env_values = true)]
    password: Option<String>,
    /// Defaults to the email address.
    #[arg(long)]
    username: Option<String>,
    /// Fail instead of prompting for what is missing.
    #[arg(long)]
    no_input: bool,
}

/// Parses the command line and runs the chosen command.
pub async fn run() -> anyhow::Result<()> {
    let cli = Cli::parse();
    if let Some(Command::EvalExtraction { dir }) = &cli.command {
        // Needs no configuration or database: the pages and their truth are all it reads.
        return crate::tracker::eval::run(dir).await;
    }
    if let Some(Command::EvalAts { dir, detail }) = &cli.command {
        // Pure scoring of files: no configuration or database.
        return crate::tracker::analysis::eval::run(dir, detail.as_deref());
    }
    if let Some(Command::Openapi) = cli.command {
        // Needs no configuration, database or logging: usable in a bare build step.
        println!("{}", openapi::spec().to_pretty_json()?);
        return Ok(());
    }
    let mut config = Config::from_env()?;
    init_tracing(config.log_format);
    match cli.command.unwrap_or(Command::Serve(cli.serve)) {
        Command::Serve(args) => {
            if let Some(addr) = args.addr {
                config.listen_on(addr);
            }
            server::run(config, !args.no_worker).await
        }
        Command::Worker {
            concurrency,
            metrics_addr,
        } => server::run_worker(config, concurrency, metrics_addr).await,
        Command::RebuildMarketRollups => {
            let db = Db::connect(&config).await?;
            db.migrate().await?;
            let counted = crate::db::in_transaction(db.writer(), async |txn| {
                crate::market::rollups::rebuild(txn).await
            })
            .await?;
            println!("market rollups rebuilt from {counted} postings");
            Ok(())
        }
        Command::Migrate => {
            Db::connect(&config).await?.migrate().await?;
            println!("migrations applied");
            Ok(())
        }
        Command::Createsuperuser(args) => create_superuser(config, args).await,
        Command::ImportDjangoUsers { file } => {
            let db = Db::connect(&config).await?;
            db.migrate().await?;
            let report = django_import::import_file(&db, &file).await?;
            print!("{report}");
            Ok(())
        }
        Command::ImportJobs {
            file,
            search_keywords,
            search_location,
        } => {
            let db = Db::connect(&config).await?;
            db.migrate().await?;
            let defaults = ImportDefaults {
                search_keywords,
                search_location,
            };
            let report = import_jobs(&db, &file, &defaults).await?;
            print!("{report}");
            Ok(())
        }
        Command::Subscription(command) => {
            let db = Db::connect(&config).await?;
            db.migrate().await?;
            manage_subscription(&db, command).await
        }
        Command::Openapi | Command::EvalExtraction { .. } | Command::EvalAts { .. } => {
            unreachable!("handled before configuration is read")
        }
    }
}

/// Logs to stderr as text or JSON; `RUST_LOG` refines the default filter.
pub fn init_tracing(format: LogFormat) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| {
        EnvFilter::new(
            "info,sqlx=warn,sea_orm=warn,sea_orm_migration=warn,pdf_oxide=error,office_oxide=error",
        )
    });
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let _ = match format {
        LogFormat::Json => builder.json().flatten_event(true).try_init(),
        LogFormat::Text => builder.try_init(),
    };
}

async fn create_superuser(config: Config, args: CreateSuperuserArgs) -> anyhow::Result<()> {
    let interactive = !args.no_input && std::io::stdin().is_terminal();
    let email = match args.email {
        Some(email) => email,
        None if interactive => prompt("Email address: ")?,
        None => bail!("--email (or CAREERHUB_SUPERUSER_EMAIL) is required without a terminal"),
    };
    let email = service::normalize_email(&email);
    if !service::is_valid_email(&email) {
        bail!("{email:?} is not a valid email address");
    }
    let password = match args.password {
        Some(password) => password,
        None if interactive => {
            let first = rpassword::prompt_password("Password: ")?;
            if rpassword::prompt_password("Password (again): ")? != first {
                bail!("the two passwords didn't match");
            }
            first
        }
        None => {
            bail!("--password (or CAREERHUB_SUPERUSER_PASSWORD) is required without a terminal")
        }
    };
    if let Some(problem) = django_password_problems(&password).into_iter().next() {
        bail!("{problem}");
    }
    let db = Db::connect(&config).await?;
    db.migrate().await?;
    let new_user = NewUser {
        email: email.clone(),
        username: args.username,
        password: Some(password),
        is_staff: true,
        is_superuser: true,
        ..NewUser::default()
    };
    match service::create_user(&db, new_user).await {
        Ok(user) => {
            println!("superuser {email} created (id {})", user.id);
            Ok(())
        }
        Err(CreateUserError::EmailTaken) => bail!("a user with the email {email} already exists"),
        Err(CreateUserError::UsernameTaken) => bail!("that username is already taken"),
        Err(CreateUserError::Other(err)) => Err(err),
    }
}

async fn import_jobs(
    db: &Db,
    file: &std::path::Path,
    defaults: &ImportDefaults,
) -> anyhow::Result<ImportReport> {
    let mut reader = std::io::BufReader::new(
        std::fs::File::open(file).with_context(|| format!("could not open {}", file.display()))?,
    );
    let first_byte = reader
        .fill_buf()?
        .iter()
        .find(|b| !b.is_ascii_whitespace())
        .copied();
    let format = Format::detect(&file.to_string_lossy(), first_byte);
    let bar = indicatif::ProgressBar::new_spinner();
    bar.set_style(
        indicatif::ProgressStyle::with_template("{spinner} {pos} rows read ({per_sec}) {elapsed}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
    );
    let report =
        import::import(db, reader, format, defaults, |rows| bar.set_position(rows)).await?;
    bar.finish_and_clear();
    Ok(report)
}

fn prompt(question: &str) -> anyhow::Result<String> {
    print!("{question}");
    std::io::stdout().flush()?;
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .context("reading the answer")?;
    Ok(line.trim().to_owned())
}

async fn manage_subscription(db: &Db, command: SubscriptionCommand) -> anyhow::Result<()> {
    use crate::talent::subscription;
    let email = match &command {
        SubscriptionCommand::Grant { email, .. } | SubscriptionCommand::End { email } => email,
    };
    let user = crate::accounts::service::find_by_email(db.reader(), email)
        .await?
        .ok_or_else(|| anyhow::anyhow!("no account with the email {email}"))?;
    match command {
        SubscriptionCommand::Grant { plan, days, .. } => {
            let tier = subscription::parse_plan(&plan)
                .ok_or_else(|| anyhow::anyhow!("the plan must be starter, pro or premium"))?;
            let ends_at = days.map(|d| chrono::Utc::now() + chrono::Duration::days(i64::from(d)));
            let granted = subscription::grant(db.writer(), user.id, tier, ends_at).await?;
            println!("{} now has the {} plan", user.email, granted.plan);
        }
        SubscriptionCommand::End { .. } => {
            let ended = subscription::end(db.writer(), user.id).await?;
            println!(
                "{} is on the free plan ({ended} subscription ended)",
                user.email
            );
        }
    }
    Ok(())
}
