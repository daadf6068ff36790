//! The operator CLI: the root's clap definitions live here, and `run`
//! dispatches each command to its module in [`commands`] (one file per
//! subcommand, holding its arguments and its `run`). Pieces shared by
//! commands (output, tables, prompts, input parsing, progress) are in
//! [`ui`]; exit codes in [`exit`].

pub mod args;
pub mod commands;
pub mod exit;
pub mod ui;

use std::ffi::OsString;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use anyhow::Result;
use clap::{Args, Parser, Subcommand};
use threadctl::backend::sqlite::checkpoint_wal;
use threadctl::backend::SchemaSetup;
use threadctl::{Backend, ConnectOptions, StoreUrl, TenantId, ThreadKey};

use crate::cli::commands::{
    bench, copy, diff, docs, doctor, events, export, fork, history, import, latest, lock, migrate,
    prune, put, rm, show, store, threads, verify,
};
use crate::cli::ui::duration::parse_duration;
use crate::cli::ui::output::{Output, OutputFormat};

/// Inspect and repair AI-agent thread state in Postgres, Redis or SQLite.
///
/// Without --url (or THREADCTL_URL) threadctl uses an embedded SQLite
/// store in the user's data directory, created on first use.
#[derive(Debug, Parser)]
#[command(name = "threadctl", version, after_long_help = exit::help_text())]
pub struct Cli {
    /// Flags accepted before or after any subcommand.
    #[command(flatten)]
    pub globals: GlobalArgs,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Flags shared by every command, listed under their own heading in
/// every command's help.
#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "Global options")]
pub struct GlobalArgs {
    /// Store URL: postgres://…, redis://…, sqlite://PATH [default: the
    /// embedded SQLite store in the user's data directory]
    #[arg(
        long,
        env = "THREADCTL_URL",
        global = true,
        hide_env_values = true,
        value_name = "URL"
    )]
    pub url: Option<String>,
    /// Tenant whose data commands address
    #[arg(
        long,
        env = "THREADCTL_TENANT",
        global = true,
        hide_env_values = true,
        default_value = "default",
        value_name = "TENANT"
    )]
    pub tenant: String,
    /// Output format of results on stdout
    #[arg(short = 'o', long = "output", global = true, value_enum, default_value_t = OutputFormat::Table)]
    pub output: OutputFormat,
    /// Print tables without their header row
    #[arg(long, global = true)]
    pub no_headers: bool,
    /// Print only results and errors (no notes or warnings)
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Log more to stderr (-v info, -vv debug, -vvv trace)
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
    /// Confirm destructive actions without asking (required when not on a terminal)
    #[arg(short = 'y', long, global = true)]
    pub yes: bool,
    /// PEM file of the certificate authority that signed the server's
    /// certificate, for servers with a private CA (rediss://, Postgres with
    /// TLS; without sslmode in the URL, Postgres then uses verify-full)
    /// [default: the system's trusted roots]
    #[arg(
        long,
        env = CA_FILE_ENV,
        global = true,
        value_name = "FILE"
    )]
    pub ca_file: Option<PathBuf>,
    /// Longest time to establish a connection to the server, e.g. 10s
    #[arg(
        long,
        env = CONNECT_TIMEOUT_ENV,
        global = true,
        default_value = "5s",
        value_parser = parse_duration,
        value_name = "DURATION"
    )]
    pub connect_timeout: Duration,
    /// Longest wait for the server's answer to one operation, e.g. 2m (a
    /// wait for a session lock comes on top)
    #[arg(
        long,
        env = TIMEOUT_ENV,
        global = true,
        default_value = "30s",
        value_parser = parse_duration,
        value_name = "DURATION"
    )]
    pub timeout: Duration,
}

/// Environment variable of `--ca-file`.
pub const CA_FILE_ENV: &str = "THREADCTL_CA_FILE";
/// Environment variable of `--connect-timeout`.
pub const CONNECT_TIMEOUT_ENV: &str = "THREADCTL_CONNECT_TIMEOUT";
/// Environment variable of `--timeout`.
pub const TIMEOUT_ENV: &str = "THREADCTL_TIMEOUT";

impl GlobalArgs {
    /// The library's connection settings for these flags.
    pub fn connect_options(&self) -> ConnectOptions {
        let options = ConnectOptions::new()
            .with_connect_timeout(self.connect_timeout)
            .with_operation_timeout(self.timeout);
        match &self.ca_file {
            Some(path) => options.with_ca_file(path),
            None => options,
        }
    }

    /// The connection flags as environment variables, for a threadctl
    /// process started on this one's behalf (the `lock acquire` holder),
    /// so that it connects the same way without them on its command line.
    pub fn connection_env(&self) -> Vec<(&'static str, OsString)> {
        let mut env = vec![
            (CONNECT_TIMEOUT_ENV, millis_text(self.connect_timeout)),
            (TIMEOUT_ENV, millis_text(self.timeout)),
        ];
        if let Some(path) = &self.ca_file {
            env.push((CA_FILE_ENV, path.clone().into_os_string()));
        }
        env
    }
}

/// `duration` as whole milliseconds in the flags' syntax (`1500ms`).
fn millis_text(duration: Duration) -> OsString {
    format!("{}ms", duration.as_millis()).into()
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Write a checkpoint (state as JSON, @FILE or - for stdin); prints its id
    ///
    /// With -o json or jsonl it prints the whole new record instead.
    Put(put::PutArgs),
    /// Print the newest checkpoint of a thread
    Latest(latest::LatestArgs),
    /// Print one checkpoint by id
    Show(show::ShowArgs),
    /// List a thread's checkpoints, newest first (--graph: as a tree)
    History(history::HistoryArgs),
    /// Branch from a checkpoint with a new state or a JSON merge patch
    Fork(fork::ForkArgs),
    /// Show what changed in the state between two checkpoints
    Diff(diff::DiffArgs),
    /// List threads with checkpoint count, latest step and last write
    Threads(threads::ThreadsArgs),
    /// Session event log: append, tail, archive
    Events(events::EventsArgs),
    /// Namespaced memory store: get, put, ls, rm, namespaces, evict
    Store(store::StoreArgs),
    /// Delete one thread: its checkpoints, session events and watermark
    ///
    /// Takes the thread's session lock first, so no service is writing to
    /// it meanwhile (exit 4 when one holds it; see --wait). Asks on a
    /// terminal; elsewhere pass --yes.
    Rm(rm::RmArgs),
    /// Copy threads (checkpoints, events, watermark) and store items from one store to another
    ///
    /// Ids, ordinals and archive watermarks are preserved; records are
    /// written at the target's write version. A record the target already
    /// holds identical is skipped, one that differs is reported and left
    /// alone (exit 5; see --on-conflict), so running the same copy again
    /// after an interruption finishes it without duplicates. --verify
    /// compares afterwards (exit 6 listing differences); --move deletes
    /// each thread from the source once it compared identical.
    Copy(copy::CopyArgs),
    /// Check every record and session log; exit 5 listing each problem
    ///
    /// Reports corrupt records (bad JSON, missing fields, checksum
    /// mismatches), unsupported envelope versions, parents missing from
    /// their thread and gaps in session-event ordinals, each with its
    /// tenant, thread and id. Covers every tenant unless --tenants narrows
    /// it (on Postgres that needs a role that bypasses row-level security).
    /// With --against URL it compares this store with another instead,
    /// record by record: exit 0 when identical, 6 listing the differences.
    Verify(verify::VerifyArgs),
    /// Write the selection as a dump (JSON Lines) to stdout or --file
    ///
    /// Whole threads (every checkpoint exactly, the archive watermark, the
    /// session events with their ordinals) and the selected tenants' store
    /// items with their expiry, in the versioned format of
    /// docs/dump-format.md; the last line counts the records, so a
    /// truncated dump is refused by import. Refuses to write to a terminal.
    /// Exit 5 when source records were unreadable (the rest is exported).
    Export(export::ExportArgs),
    /// Read a dump from stdin or --file into the store
    ///
    /// Records are written at the store's write version; one the store
    /// already holds identical is skipped, so importing the same dump twice
    /// changes nothing the second time. A record held differently is left
    /// and reported (see --on-conflict). A damaged or truncated dump
    /// (no end line) stops the import at that line, after the complete
    /// records before it were written, with exit 5.
    Import(import::ImportArgs),
    /// Delete old checkpoints (--keep-last N) and idle threads (--older-than)
    ///
    /// --keep-last keeps, per thread, the latest checkpoint and every
    /// branch head, each with its N-1 nearest ancestors, so flows can still
    /// resume from side branches. Each thread is pruned under its session
    /// lock; a busy one is skipped and listed (exit 4). Asks on a terminal;
    /// elsewhere pass --yes. --dry-run changes nothing.
    Prune(prune::PruneArgs),
    /// Diagnose the store: connection, server, TLS, schema, what limits what threadctl sees
    ///
    /// Each check is ok, warn or fail, with a hint saying what to do.
    /// Reads only: never creates tables, not even the default store. Exit
    /// 0 when nothing fails, 1 when a check fails (an unreachable server
    /// included).
    Doctor,
    /// Measure each operation through the library beside its raw floor
    ///
    /// For put, latest, show, history of 100 (on a thread of 1,000), fork,
    /// store put and get, append of 10, load of 1,000 events, lock acquire
    /// and release, and threads (a listing of --threads threads): ops/s and
    /// p50/p99/p99.9 latency through threadctl, the same beside the least
    /// the backend must do for the same work, and their ratio. Works under
    /// a tenant of its own, deleted afterwards (after Ctrl-C too). On
    /// Postgres the floor needs a role that bypasses row-level security.
    Bench(bench::BenchArgs),
    /// Print a shell completion script to stdout
    Completions(docs::CompletionsArgs),
    /// Hold, inspect and break session locks (the services' own lock)
    #[command(subcommand)]
    Lock(lock::LockCommand),
    /// Envelope versions and schema: status, schema, run --to N, check
    #[command(subcommand)]
    Migrate(migrate::MigrateCommand),
    /// Regenerate the committed completions/ and man/ files under DIR
    #[command(hide = true)]
    GenerateDocs(docs::GenerateDocsArgs),
}

/// Runs one parsed command line.
pub async fn run(cli: Cli) -> Result<()> {
    let ctx = Context::new(cli.globals);
    let outcome = match cli.command {
        Command::Put(args) => put::run(&ctx, args).await,
        Command::Latest(args) => latest::run(&ctx, args).await,
        Command::Show(args) => show::run(&ctx, args).await,
        Command::History(args) => history::run(&ctx, args).await,
        Command::Fork(args) => fork::run(&ctx, args).await,
        Command::Diff(args) => diff::run(&ctx, args).await,
        Command::Threads(args) => threads::run(&ctx, args).await,
        Command::Events(args) => events::run(&ctx, args).await,
        Command::Store(args) => store::run(&ctx, args).await,
        Command::Export(args) => export::run(&ctx, args).await,
        Command::Import(args) => import::run(&ctx, args).await,
        Command::Prune(args) => prune::run(&ctx, args).await,
        Command::Rm(args) => rm::run(&ctx, args).await,
        Command::Copy(args) => copy::run(&ctx, args).await,
        Command::Verify(args) => verify::run(&ctx, args).await,
        Command::Doctor => doctor::run(&ctx).await,
        Command::Bench(args) => bench::run(&ctx, args).await,
        Command::Completions(args) => docs::completions(&ctx, args),
        Command::GenerateDocs(args) => docs::generate_docs(args),
        Command::Lock(command) => lock::run(&ctx, command).await,
        Command::Migrate(command) => migrate::run(&ctx, command).await,
    };
    ctx.finish().await;
    outcome
}

/// What every command needs: the global flags, the output, the store.
pub struct Context {
    /// The global flags as given.
    pub globals: GlobalArgs,
    /// Where results go.
    pub out: Output,
    /// Whether the command opened the store to write (see [`Self::finish`]).
    opened_to_write: AtomicBool,
}

impl Context {
    /// A context for the given global flags.
    pub fn new(globals: GlobalArgs) -> Self {
        let out = Output::new(globals.output, globals.no_headers);
        Self {
            globals,
            out,
            opened_to_write: AtomicBool::new(false),
        }
    }

    /// Ends a command: after one that opened a SQLite store to write, the
    /// WAL is checkpointed into the database file, so that the file alone
    /// holds every write (copying it is a complete backup). A checkpoint
    /// that fails only warns: the writes are safe in the -wal file.
    pub async fn finish(&self) {
        if !self.opened_to_write.load(Ordering::Relaxed) {
            return;
        }
        if let Ok(StoreUrl::Sqlite(path)) = self.store_url() {
            if let Err(e) = checkpoint_wal(&path).await {
                tracing::warn!("{e}; recent writes stay in the -wal file beside the database");
            }
        }
    }

    /// The store location chosen by `--url` / `THREADCTL_URL`, or the
    /// embedded default.
    pub fn store_url(&self) -> Result<StoreUrl> {
        Ok(match &self.globals.url {
            Some(url) => StoreUrl::parse(url)?,
            None => StoreUrl::embedded_default()?,
        })
    }

    /// Opens the store. An unreachable server is one error line naming
    /// the (password-free) address.
    ///
    /// An explicit `sqlite://` path in a directory that does not exist is
    /// an error (exit 3) rather than directories created by a typo.
    pub async fn backend(&self) -> Result<Backend> {
        self.backend_with(self.globals.connect_options()).await
    }

    /// Opens the store as [`Self::backend`] does, with `options` instead
    /// of the global flags' (a command that needs more, such as a lock
    /// wait, extends `self.globals.connect_options()`).
    pub async fn backend_with(&self, options: ConnectOptions) -> Result<Backend> {
        let url = self.store_url()?;
        if let (Some(_), StoreUrl::Sqlite(path)) = (&self.globals.url, &url) {
            if let Some(dir) = path
                .parent()
                .filter(|d| !d.as_os_str().is_empty() && !d.is_dir())
            {
                return Err(exit::not_found(format!(
                    "no directory {} for the SQLite database {}; create it first (mkdir -p {})",
                    dir.display(),
                    path.display(),
                    dir.display()
                )));
            }
        }
        self.opened_to_write.store(true, Ordering::Relaxed);
        tracing::info!("opening {}", url.redacted());
        Ok(Backend::open_parsed(&url, &options).await?)
    }

    /// Opens the store for a command that only reads. A `sqlite://` URL
    /// naming a file that does not exist is an error (exit 3) rather than
    /// a new empty database and directories created by a typo; only the
    /// embedded default store is created on first use, reads included.
    pub async fn reader(&self) -> Result<Backend> {
        let url = self.store_url()?;
        if let (Some(_), StoreUrl::Sqlite(path)) = (&self.globals.url, &url) {
            if !path.exists() {
                return Err(exit::not_found(format!(
                    "no SQLite database at {}",
                    path.display()
                )));
            }
        }
        tracing::info!("opening {} to read", url.redacted());
        // The embedded default store is created on first use, reads included.
        let setup = if self.globals.url.is_some() {
            SchemaSetup::Existing
        } else {
            SchemaSetup::Create
        };
        self.open(&url, setup).await
    }

    /// Opens the store to inspect it: nothing is created or upgraded, not
    /// even the embedded default (`migrate status`, `migrate check`).
    pub async fn inspector(&self) -> Result<Backend> {
        let url = self.store_url()?;
        tracing::info!("opening {} to inspect", url.redacted());
        self.open(&url, SchemaSetup::Inspect).await
    }

    /// Opens a second store named on the command line (`copy --from`,
    /// `--to`, `verify --against`) as `setup` allows, connecting as the
    /// global flags say. A `sqlite://` file that does not exist is an
    /// error (exit 3) unless `setup` creates the schema.
    pub async fn open_url(&self, url: &str, setup: SchemaSetup) -> Result<Backend> {
        let parsed = StoreUrl::parse(url)?;
        if let StoreUrl::Sqlite(path) = &parsed {
            if setup != SchemaSetup::Create && !path.exists() {
                return Err(exit::not_found(format!(
                    "no SQLite database at {}",
                    path.display()
                )));
            }
        }
        tracing::info!("opening {}", parsed.redacted());
        self.open(&parsed, setup).await
    }

    /// Opens `url` as `setup` allows, connecting as the global flags say.
    async fn open(&self, url: &StoreUrl, setup: SchemaSetup) -> Result<Backend> {
        let options = self.globals.connect_options();
        Ok(Backend::open_parsed(url, &options.with_setup(setup)).await?)
    }

    /// The `--tenant` tenant.
    pub fn tenant(&self) -> Result<TenantId> {
        Ok(TenantId::new(self.globals.tenant.clone())?)
    }

    /// The key of `thread` in the `--tenant` tenant.
    pub fn thread(&self, thread: &str) -> Result<ThreadKey> {
        Ok(ThreadKey::new(self.globals.tenant.clone(), thread)?)
    }

    /// The key of a thread this command may create: like [`Self::thread`],
    /// but a tenant or thread id with a control character is refused (exit
    /// 2), since it would garble every table and terminal it is shown on.
    /// Existing ids written by others are still addressed by `thread`.
    pub fn new_thread(&self, thread: &str) -> Result<ThreadKey> {
        refuse_control_characters("tenant id", &self.globals.tenant)?;
        refuse_control_characters("thread id", thread)?;
        self.thread(thread)
    }

    /// A message for people on stderr, unless `-q`.
    pub fn note(&self, message: &str) {
        if !self.globals.quiet {
            eprintln!("{message}");
        }
    }
}

/// Refuses (exit 2) a new id — `what` says which: a tenant, thread,
/// namespace segment or store key — that contains a control character,
/// since it would garble every table and terminal it is shown on. Ids
/// written by others are still read, listed and deleted.
pub fn refuse_control_characters(what: &str, id: &str) -> Result<()> {
    match id.chars().find(|c| c.is_control()) {
        Some(c) => Err(exit::usage(format!(
            "{what} {id:?} contains the control character {c:?}; choose one without control characters"
        ))),
        None => Ok(()),
    }
}
