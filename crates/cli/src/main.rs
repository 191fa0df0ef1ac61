//! `sinergi`: the one binary. Wiring only; the work happens in the library crates.

mod config;
mod er;
mod import;

use std::io::{BufRead, IsTerminal};
use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::{Context, bail};
use clap::{Parser, Subcommand};
use sinergi_domain::auth::{Email, NewPassword};
use sinergi_domain::{Actor, AgencyId, RegionCode, Role};
use sinergi_store::users::{NewUser, UserFilter};
use sinergi_store::{Backend, Store, hash_password};
use sinergi_web::{AppState, WebConfig};
use tracing_subscriber::EnvFilter;

use crate::config::FileConfig;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(name = "sinergi", version, about = "Sinergi: kerja sama daerah, CSR dan UMKM")]
struct Cli {
    /// TOML configuration file (default: ./sinergi.toml when present).
    #[arg(long, global = true, env = "SINERGI_CONFIG")]
    config: Option<PathBuf>,
    /// Database URL: sqlite://FILE or postgres://USER:PASSWORD@HOST/DB.
    #[arg(long, global = true, env = "SINERGI_DATABASE_URL", hide_env_values = true)]
    database_url: Option<String>,
    /// Where the embedded SQLite database lives when no URL is given.
    #[arg(long, global = true, env = "SINERGI_DATA_DIR")]
    data_dir: Option<PathBuf>,
    /// The key that seals NIK and NPWP (64 hex characters); default: DATA_DIR/data.key.
    #[arg(long, global = true, env = "SINERGI_DATA_KEY", hide_env_values = true)]
    data_key: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the web application and the API.
    Serve {
        #[arg(long, env = "SINERGI_BIND")]
        bind: Option<String>,
        /// Load the demo data first if the database is empty.
        #[arg(long)]
        demo: bool,
        /// Mark cookies Secure (set when users reach Sinergi over HTTPS).
        #[arg(long, env = "SINERGI_SECURE_COOKIES")]
        secure_cookies: bool,
    },
    /// Bring the database schema up to date.
    Migrate,
    /// Load the demo data into the configured database.
    Demo,
    /// Manage login accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// Copy the SQLite database consistently while Sinergi runs.
    Backup {
        #[arg(long)]
        to: PathBuf,
    },
    /// Check the configuration, the database connection and the migrations.
    Check,
    /// Scheduled work (also run by `serve` in the background).
    #[command(subcommand)]
    Jobs(JobsCommand),
    /// Import data into a Pemda.
    #[command(subcommand)]
    Import(import::ImportCommand),
    /// Link UMKM records that describe the same business (entity resolution), from CSV files.
    Dedup(er::DedupArgs),
    /// Generate data.
    #[command(subcommand)]
    Gen(er::GenCommand),
}

#[derive(Subcommand)]
enum JobsCommand {
    /// Raise today's reminders (stopped on paper, ending soon, overdue) and send queued mail.
    RunDaily,
}

/// Mail settings from the environment: `SINERGI_SMTP_URL` (smtp://host:port or smtps://...),
/// `SINERGI_MAIL_FROM`. Without a URL, reminders stay in the app and mail waits in the outbox.
fn mail_config() -> anyhow::Result<Option<sinergi_web::jobs::MailConfig>> {
    let Ok(url) = std::env::var("SINERGI_SMTP_URL") else { return Ok(None) };
    let from = std::env::var("SINERGI_MAIL_FROM").unwrap_or_else(|_| "Sinergi <noreply@sinergi.local>".to_owned());
    sinergi_web::jobs::MailConfig::parse(&url, &from).map(Some).map_err(|e| anyhow::anyhow!("SINERGI_SMTP_URL: {e}"))
}

fn public_url(bind: &str) -> String {
    std::env::var("SINERGI_PUBLIC_URL").unwrap_or_else(|_| format!("http://{bind}"))
}

#[derive(Subcommand)]
enum UserCommand {
    /// Create an account. The password is read from the terminal, or from stdin with --password-stdin.
    Add {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        /// platform-admin, region-admin, agency-officer, umkm-officer, lab-officer, partner, umkm-owner, viewer
        #[arg(long)]
        role: String,
        /// Region code of the Pemda (not for platform-admin).
        #[arg(long)]
        tenant: Option<String>,
        #[arg(long)]
        agency: Option<String>,
        /// For the partner role: the id of the partner (company, bank...) the user speaks for.
        #[arg(long)]
        partner: Option<String>,
        #[arg(long)]
        password_stdin: bool,
    },
    /// Set a new password.
    Passwd {
        #[arg(long)]
        email: String,
        #[arg(long)]
        password_stdin: bool,
    },
    /// List accounts.
    List {
        #[arg(long)]
        tenant: Option<String>,
    },
}

fn init_logging(file: &FileConfig) {
    let filter = EnvFilter::try_from_env("SINERGI_LOG").unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn"));
    let json =
        std::env::var("SINERGI_LOG_FORMAT").ok().or_else(|| file.log_format.clone()).is_some_and(|f| f == "json");
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    if json {
        builder.json().init();
    } else {
        builder.init();
    }
}

/// Errors end as one readable line (with their causes), never as a backtrace: the people who
/// run this are IT officers, not Rust developers.
fn main() -> std::process::ExitCode {
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("Error: cannot start the runtime: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run()) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("Error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run() -> anyhow::Result<()> {
    let cli = Cli::parse();
    // Entity resolution and the generator work on files alone: no configuration, no database.
    match &cli.command {
        Command::Dedup(args) => return er::dedup(args),
        Command::Gen(cmd) => return er::generate(cmd),
        _ => {}
    }
    let file = FileConfig::load(cli.config.as_deref())?;
    init_logging(&file);
    let url = config::database_url(cli.database_url.as_deref(), cli.data_dir.as_deref(), &file)?;
    let data_key = || config::data_key(cli.data_key.as_deref(), cli.data_dir.as_deref(), &file);
    match cli.command {
        Command::Serve { bind, demo, secure_cookies } => {
            let bind = bind.or(file.bind.clone()).unwrap_or_else(|| "127.0.0.1:8080".to_owned());
            let secure = secure_cookies || file.secure_cookies.unwrap_or(false);
            serve(&url, &data_key()?, &bind, demo, secure).await
        }
        Command::Migrate => {
            let store = Store::connect(&url).await.with_context(|| format!("connecting to {url}"))?;
            let applied = store.migrate().await?;
            println!("migrations applied: {applied:?} ({} database)", store.backend());
            Ok(())
        }
        Command::Demo => {
            let store = Store::open(&url).await?.with_data_key(&data_key()?);
            let report = sinergi_demo::load(&store).await?;
            println!("{report:?}");
            print_demo_logins();
            Ok(())
        }
        Command::User(cmd) => user_command(&url, cmd).await,
        Command::Backup { to } => {
            if url.backend() == Backend::Postgres {
                bail!(
                    "`sinergi backup` copies the embedded SQLite database. On PostgreSQL use pg_dump, e.g. pg_dump -Fc -f sinergi.dump \"$SINERGI_DATABASE_URL\""
                );
            }
            let store = Store::connect(&url).await?;
            store.backup_sqlite(&to).await?;
            println!("backup written to {}", to.display());
            Ok(())
        }
        Command::Check => check(&url).await,
        Command::Dedup(_) | Command::Gen(_) => Ok(()), // handled before the configuration is read
        Command::Import(cmd) => {
            let store = Store::open(&url).await?.with_data_key(&data_key()?);
            import::run(&store, cmd).await
        }
        Command::Jobs(JobsCommand::RunDaily) => {
            let store = Store::open(&url).await?.with_data_key(&data_key()?);
            let bind = file.bind.clone().unwrap_or_else(|| "127.0.0.1:8080".to_owned());
            let raised =
                sinergi_web::jobs::run_daily(&store, sinergi_web::jobs::today_wib(), &public_url(&bind)).await?;
            println!("reminders raised: {raised}");
            match mail_config()? {
                Some(config) => {
                    let (sent, failed) = sinergi_web::jobs::deliver_mail(&store, &config).await?;
                    println!("mail sent: {sent}, will retry: {failed}");
                }
                None => println!("SINERGI_SMTP_URL not set: mail stays queued in the outbox"),
            }
            Ok(())
        }
    }
}

/// Read each Pemda's UMKM registry into its list's search index and its entity-resolution index,
/// then its suppliers into the demand-matching index, in the background, so the first list, the
/// first import and the first ranking after a start do not wait. On two cores this takes minutes
/// at a million businesses; "supplier indexes ready" in the log says it is over.
fn warm_registries(state: &AppState) {
    let registries = state.registries.clone();
    let supply = state.supply_indexes.clone();
    let store = state.store.clone();
    tokio::spawn(async move {
        let system = Actor::system("registry warm-up");
        let tenants = match store.tenants(&system).await {
            Ok(t) => t,
            Err(e) => return tracing::warn!(error = %e, "registry warm-up: cannot list tenants"),
        };
        // The list's search indexes first, in their own task: lists are read far more often
        // than files are imported, and read from SQL (slowly) until their index is ready.
        let codes: Vec<_> = tenants.iter().map(|t| t.code.clone()).collect();
        let (searches, search_store, search_codes) = (registries.clone(), store.clone(), codes.clone());
        tokio::spawn(async move {
            for code in search_codes {
                if let Err(e) = searches.search().warm(&search_store, &code).await {
                    tracing::warn!(tenant = %code, error = %e, "registry search warm-up failed");
                }
            }
            tracing::info!("UMKM registry search ready");
        });
        for t in tenants {
            if let Err(e) = registries.warm(&store, &system, &t.code).await {
                tracing::warn!(tenant = %t.code, error = %e, "registry warm-up failed");
            }
        }
        tracing::info!("UMKM registries ready");
        // After the registries, not beside them: on a small server the builds would only slow
        // each other, and the lists matter first.
        for t in codes {
            if let Err(e) = supply.rebuild(&store, &t).await {
                tracing::warn!(tenant = %t, error = ?e, "supplier index warm-up failed");
            }
        }
        tracing::info!("supplier indexes ready");
    });
}

async fn serve(
    url: &sinergi_store::DatabaseUrl,
    data_key: &sinergi_store::vault::DataKey,
    bind: &str,
    demo: bool,
    secure_cookies: bool,
) -> anyhow::Result<()> {
    let store = Store::open(url).await.with_context(|| format!("opening database {url}"))?.with_data_key(data_key);
    tracing::info!(database = %url, backend = %store.backend(), "database ready");
    if demo {
        if sinergi_demo::is_empty(&store).await? {
            let report = sinergi_demo::load(&store).await?;
            tracing::info!(?report, "demo data loaded");
        }
        print_demo_logins();
    }
    // Parse the reference tables now rather than on the first search.
    tokio::task::spawn_blocking(sinergi_reference::preload).await?;
    spawn_background_jobs(store.clone(), public_url(bind), mail_config()?);
    let state = AppState::new(store.clone(), WebConfig { secure_cookies, ..WebConfig::default() });
    warm_registries(&state);
    let app = sinergi_web::app(state);
    let listener = tokio::net::TcpListener::bind(bind).await.with_context(|| format!("binding {bind}"))?;
    let addr = listener.local_addr()?;
    println!("Sinergi berjalan di http://{addr}  (Ctrl+C untuk berhenti)");
    axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(shutdown_signal())
        .await?;
    store.close().await;
    tracing::info!("stopped");
    Ok(())
}

/// Reminders hourly (the store dedupes, so this is cheap and safe), mail every minute.
fn spawn_background_jobs(store: Store, base_url: String, mail: Option<sinergi_web::jobs::MailConfig>) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(60));
        let mut minutes = 0u32;
        loop {
            tick.tick().await;
            if minutes.is_multiple_of(60) {
                match sinergi_web::jobs::run_daily(&store, sinergi_web::jobs::today_wib(), &base_url).await {
                    Ok(n) if n > 0 => tracing::info!(raised = n, "reminders raised"),
                    Ok(_) => {}
                    Err(e) => tracing::error!(error = %e, "daily job failed"),
                }
            }
            if let Some(config) = &mail
                && let Err(e) = sinergi_web::jobs::deliver_mail(&store, config).await
            {
                tracing::error!(error = %e, "mail delivery failed");
            }
            minutes = minutes.wrapping_add(1);
        }
    });
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
    tracing::info!("shutting down: finishing requests in flight");
}

fn print_demo_logins() {
    println!();
    println!("Akun demo (kata sandi: {})", sinergi_demo::DEMO_PASSWORD);
    for l in sinergi_demo::demo_logins() {
        let tenant = l.tenant.unwrap_or_else(|| "platform".into());
        println!("  {:<56} {:<16} {:<24} {}", l.email, l.role, tenant, l.name);
    }
    println!();
}

fn read_password(from_stdin: bool) -> anyhow::Result<NewPassword> {
    let raw = if from_stdin || !std::io::stdin().is_terminal() {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line)?;
        line.trim_end_matches(['\n', '\r']).to_owned()
    } else {
        let first = rpassword::prompt_password("Kata sandi baru: ")?;
        let again = rpassword::prompt_password("Ulangi: ")?;
        anyhow::ensure!(first == again, "the two passwords differ");
        first
    };
    NewPassword::parse(&raw).map_err(|e| anyhow::anyhow!("password refused: {}", e.reason))
}

async fn user_command(url: &sinergi_store::DatabaseUrl, cmd: UserCommand) -> anyhow::Result<()> {
    let store = Store::open(url).await?;
    let system = Actor::system("sinergi CLI");
    match cmd {
        UserCommand::Add { email, name, role, tenant, agency, partner, password_stdin } => {
            let email = Email::parse(&email).map_err(|e| anyhow::anyhow!("email: {}", e.reason))?;
            let role: Role = role.parse()?;
            let tenant =
                tenant.map(|t| RegionCode::parse(&t)).transpose().map_err(|e| anyhow::anyhow!("tenant: {e}"))?;
            let agency_id = agency.map(|a| a.parse::<AgencyId>()).transpose().context("agency id")?;
            let partner_id = sinergi_store::users::parse_partner(role, partner.as_deref())
                .map_err(|e| anyhow::anyhow!("partner: {}", e.reason))?;
            let name = sinergi_store::users::parse_name(&name).map_err(|e| anyhow::anyhow!("name: {}", e.reason))?;
            let password = read_password(password_stdin)?;
            let password_hash = hash_password(&password).await?;
            let user = store
                .create_user(&system, NewUser { tenant, agency_id, partner_id, email, name, role, password_hash })
                .await?;
            println!("created {} ({})", user.email, user.role);
        }
        UserCommand::Passwd { email, password_stdin } => {
            let email = Email::parse(&email).map_err(|e| anyhow::anyhow!("email: {}", e.reason))?;
            let (user, _) = store.user_for_login(&email).await?.context("no account with that email")?;
            let password = read_password(password_stdin)?;
            let hash = hash_password(&password).await?;
            store.set_password(&system, user.id, hash, None).await?;
            println!("password changed for {}; their sessions were ended", user.email);
        }
        UserCommand::List { tenant } => {
            let tenant =
                tenant.map(|t| RegionCode::parse(&t)).transpose().map_err(|e| anyhow::anyhow!("tenant: {e}"))?;
            let users = store.users(&system, &UserFilter { tenant, ..Default::default() }).await?;
            for u in users {
                let tenant = u.tenant.map(|t| t.to_string()).unwrap_or_else(|| "-".into());
                let state = if u.active { "" } else { " (nonaktif)" };
                println!("{:<8} {:<52} {:<16} {}{state}", tenant, u.email, u.role, u.name);
            }
        }
    }
    Ok(())
}

async fn check(url: &sinergi_store::DatabaseUrl) -> anyhow::Result<()> {
    println!("database: {url}");
    let store = Store::connect(url).await.with_context(|| format!("cannot reach {url}"))?;
    store.ping().await?;
    println!("database reachable ({})", store.backend());
    let status = store.migration_status().await?;
    if status.is_current() {
        println!("migrations current: {:?}", status.applied);
        Ok(())
    } else {
        bail!(
            "migrations pending: {:?} (run `sinergi migrate`, or `sinergi serve` which migrates at start)",
            status.pending
        )
    }
}
