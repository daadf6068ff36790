//! `threadctl lock`: hold, inspect and break session locks from the shell
//! (docs/format.md, "Session lock"): the very lock the services take.

mod holder;
mod owners;
mod signals;
mod supervise;

use std::ffi::OsString;
use std::time::Duration;

use anyhow::Context as _;
use serde::Serialize;
use serde_json::{json, Value};

use threadctl::backend::LockAdmin;
use threadctl::backend::LockInfo;
use threadctl::{Backend, BackendKind, DistributedLock, LockGuard, LockKey, ThreadKey};

use crate::cli::exit::{not_found, usage, CliError, ExitStatus};
use crate::cli::ui::confirm::confirm;
use crate::cli::ui::duration::parse_duration;
use crate::cli::ui::output::{escape, new_table, Format};
use crate::cli::ui::time::human_duration;
use crate::cli::Context;

use signals::Signals;
use supervise::RunOutcome;
pub use supervise::{KEY_ENV, TOKEN_ENV};

/// `lock` subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum LockCommand {
    /// Hold THREAD's lock while CMD runs, extending it on a heartbeat
    /// (every TTL/3), then release it and exit with CMD's status.
    ///
    /// CMD sees THREADCTL_LOCK_KEY and THREADCTL_LOCK_TOKEN.
    ///
    /// Process group: CMD runs in a group of its own, so that signals reach
    /// every process it starts, except when threadctl runs in the
    /// foreground of its terminal: there CMD stays in threadctl's group, so
    /// that it can read the terminal and job control keeps working, and
    /// signals reach CMD itself only.
    ///
    /// Signals: SIGINT, SIGTERM and SIGHUP sent to threadctl are forwarded
    /// to CMD's group (except SIGINT and SIGHUP from the terminal threadctl
    /// runs in the foreground of, which reach CMD directly); threadctl then
    /// waits for CMD and releases the lock.
    ///
    /// Lost lock: if the lock cannot be extended, was broken or expired, or
    /// the server is gone, CMD's group gets SIGTERM, then SIGKILL after a
    /// grace period (a sixth of the TTL, at most 5s), and threadctl exits 4
    /// saying "lock lost". When extending keeps failing, threadctl gives up
    /// that grace period plus a little (at most 1s) before the lock could
    /// expire, so that CMD is dead before anyone else can take the lock. It
    /// also exits 4 saying "lock lost" when CMD finished but the lock turns
    /// out, at release, to have been lost meanwhile (between two
    /// heartbeats).
    ///
    /// Exit status: CMD's own; 128+N if signal N ended CMD (or threadctl
    /// while it waited for the lock); 127 if CMD does not exist; 126 if it
    /// cannot be executed; 4 if the lock stayed busy.
    ///
    /// On Linux, should threadctl itself die (even by SIGKILL), CMD gets
    /// SIGKILL rather than run on unprotected (processes CMD started get
    /// nothing).
    Run(RunArgs),
    /// Take THREAD's lock and print its token (for scripts that release it
    /// later with `lock release`). The lock lasts until released or until
    /// its TTL passes. On Postgres a detached holder process keeps it. With
    /// -o json/jsonl: {thread_id, tenant_id, key, token, ttl_ms}.
    Acquire(AcquireArgs),
    /// Release THREAD's lock taken by `lock acquire`, if TOKEN still holds it;
    /// exit 3 (not held by this token) otherwise: the lock was released,
    /// expired or broken, or TOKEN is not its holder's (a wrong token, or
    /// another thread's). With -o json/jsonl: {thread_id, tenant_id, key,
    /// released}.
    Release(ReleaseArgs),
    /// Whether THREAD's lock is held, and what the backend tells about it:
    /// remaining TTL (Redis, SQLite), holder pid and client address
    /// (Postgres), a fingerprint of the holder's token (Redis; never the
    /// token itself).
    Status(ThreadArg),
    /// Every session lock currently held that the backend can enumerate,
    /// with its tenant and thread where the store knows the thread (its
    /// lock key is derived from each known thread's ids), else "(unknown)".
    Ls,
    /// Force-release THREAD's lock (Postgres: a `lock acquire` holder
    /// process of this user on this machine lets go and exits, any other
    /// holding backend is terminated). Asks on a terminal; needs --yes
    /// otherwise. With -o
    /// json/jsonl: {thread_id, tenant_id, key, released}, released false
    /// when the lock was not held.
    Break(ThreadArg),
    /// Internal: the detached Postgres holder behind `lock acquire`.
    #[command(hide = true)]
    Hold(AcquireArgs),
}

/// The thread whose lock a command is about.
#[derive(Debug, clap::Args)]
pub struct ThreadArg {
    /// Thread id (the tenant comes from --tenant).
    pub thread: String,
}

/// How long to hold the lock and how long to wait for it.
#[derive(Debug, clap::Args)]
pub struct Timing {
    /// Lock TTL (e.g. 500ms, 30s, 5m): how long the lock outlives its last
    /// heartbeat.
    #[arg(long, default_value = "30s", value_parser = parse_duration)]
    pub ttl: Duration,
    /// How long to wait for a busy lock before giving up (exit 4).
    #[arg(long, default_value = "5s", value_parser = parse_duration)]
    pub wait: Duration,
    /// Fail at once (exit 4) if the lock is busy.
    #[arg(long, conflicts_with = "wait")]
    pub no_wait: bool,
}

impl Timing {
    /// Refuses (exit 2) a TTL longer than a session lock on `kind` can
    /// last, before any connection or holder process is started for it.
    fn check_ttl(&self, kind: BackendKind) -> anyhow::Result<()> {
        let max = Duration::from_millis(kind.max_lock_ttl_ms());
        if self.ttl > max {
            return Err(usage(format!(
                "--ttl {} is longer than a session lock on {kind} can last ({} at most); \
                 give a shorter --ttl (lock run extends it on a heartbeat)",
                humantime::format_duration(self.ttl),
                humantime::format_duration(max)
            )));
        }
        Ok(())
    }

    /// The wait to use, `--no-wait` meaning none.
    fn wait(&self) -> Duration {
        if self.no_wait {
            Duration::ZERO
        } else {
            self.wait
        }
    }
}

/// `lock run` arguments.
#[derive(Debug, clap::Args)]
pub struct RunArgs {
    /// Thread id (the tenant comes from --tenant).
    pub thread: String,
    #[command(flatten)]
    pub timing: Timing,
    /// The command and its arguments, after `--`.
    #[arg(last = true, required = true, value_name = "CMD")]
    pub command: Vec<OsString>,
}

/// `lock acquire` arguments.
#[derive(Debug, clap::Args)]
pub struct AcquireArgs {
    /// Thread id (the tenant comes from --tenant).
    pub thread: String,
    #[command(flatten)]
    pub timing: Timing,
}

/// `lock release` arguments.
#[derive(Debug, clap::Args)]
pub struct ReleaseArgs {
    /// Thread id (the tenant comes from --tenant).
    pub thread: String,
    /// The token `lock acquire` printed.
    #[arg(long)]
    pub token: String,
}

/// One lock as `lock status` and `lock ls` print it.
#[derive(Debug, Serialize)]
struct LockRow {
    #[serde(skip_serializing_if = "Option::is_none")]
    tenant_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    thread_id: Option<String>,
    key: String,
    held: bool,
    ttl_remaining_ms: Option<u64>,
    holder: Option<String>,
}

impl LockRow {
    fn new(info: LockInfo, thread: Option<&ThreadKey>) -> Self {
        Self {
            tenant_id: thread.map(|t| t.tenant.to_string()),
            thread_id: thread.map(|t| t.thread.to_string()),
            key: info.key,
            held: info.held,
            ttl_remaining_ms: info
                .ttl_remaining
                .map(|d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX)),
            holder: info.holder,
        }
    }
}

/// Runs a `lock` subcommand.
pub async fn run(ctx: &Context, command: LockCommand) -> anyhow::Result<()> {
    let backend = match command {
        LockCommand::Status(_) | LockCommand::Ls => ctx.reader().await?,
        _ => ctx.backend().await?,
    };
    if let LockCommand::Run(RunArgs { timing, .. })
    | LockCommand::Acquire(AcquireArgs { timing, .. })
    | LockCommand::Hold(AcquireArgs { timing, .. }) = &command
    {
        timing.check_ttl(backend.kind())?;
    }
    match command {
        LockCommand::Run(args) => run_command(ctx, &backend, args).await,
        LockCommand::Acquire(args) => {
            let thread = ctx.thread(&args.thread)?;
            let ttl = args.timing.ttl;
            let token = acquire(ctx, &backend, &thread, args).await?;
            if ctx.out.format() == Format::Table {
                ctx.out.line(&token)?;
            } else {
                let mut doc = thread_json(&backend, &thread);
                doc["token"] = json!(token);
                doc["ttl_ms"] = json!(u64::try_from(ttl.as_millis()).unwrap_or(u64::MAX));
                ctx.out.document(&doc)?;
            }
            Ok(())
        }
        LockCommand::Release(args) => release(ctx, &backend, args).await,
        LockCommand::Status(args) => {
            let thread = ctx.thread(&args.thread)?;
            let info = backend.lock_status(&thread).await?;
            let row = LockRow::new(info, Some(&thread));
            match ctx.out.format() {
                Format::Table => ctx.out.table(&lock_table(&[row])),
                Format::Json | Format::Jsonl => ctx.out.document(&serde_json::to_value(row)?),
            }?;
            Ok(())
        }
        LockCommand::Ls => {
            let owners = owners::by_lock_key(&backend).await?;
            let rows: Vec<LockRow> = backend
                .list_locks()
                .await?
                .into_iter()
                .map(|info| {
                    let owner = owners.get(&info.key).cloned();
                    LockRow::new(info, owner.as_ref())
                })
                .collect();
            if ctx.out.format() == Format::Table {
                ctx.out.table(&lock_table(&rows))?;
                return Ok(());
            }
            let mut list = ctx.out.list();
            for row in &rows {
                list.item(&serde_json::to_value(row)?)?;
            }
            list.finish()?;
            Ok(())
        }
        LockCommand::Break(args) => break_lock(ctx, &backend, args).await,
        LockCommand::Hold(args) => {
            let thread = ctx.thread(&args.thread)?;
            holder::hold(&backend, &thread, args.timing.ttl, args.timing.wait()).await
        }
    }
}

/// The human table of lock rows.
fn lock_table(rows: &[LockRow]) -> comfy_table::Table {
    let mut table = new_table(["THREAD", "KEY", "STATE", "TTL LEFT", "HOLDER"]);
    for row in rows {
        let thread = match (&row.tenant_id, &row.thread_id) {
            (Some(tenant), Some(thread)) => escape(&format!("{tenant}/{thread}")),
            _ => "(unknown)".to_string(),
        };
        table.add_row([
            thread,
            row.key.clone(),
            if row.held { "held" } else { "free" }.to_string(),
            row.ttl_remaining_ms
                .map(|ms| human_duration(Duration::from_millis(ms)))
                .unwrap_or_else(|| "-".to_string()),
            row.holder.clone().unwrap_or_else(|| "-".to_string()),
        ]);
    }
    table
}

/// `lock run`: hold the lock while the command runs; fails with the
/// command's exit status when it is not 0.
async fn run_command(ctx: &Context, backend: &Backend, args: RunArgs) -> anyhow::Result<()> {
    let thread = ctx.thread(&args.thread)?;
    let mut signals = Signals::install().context("cannot install signal handlers")?;
    let guard = tokio::select! {
        guard = take_lock(ctx, backend, &thread, &args.timing) => guard?,
        signo = signals.recv() => {
            let code = u8::try_from(128 + signo).unwrap_or(ExitStatus::Error.code());
            return Err(anyhow::Error::from(CliError::Status(code)).context(format!(
                "interrupted while waiting for the session lock of {thread}"
            )));
        }
    };
    let outcome = supervise::run_locked(guard, signals, args.timing.ttl, &args.command).await;
    let code = outcome.exit_code();
    let program = args.command[0].to_string_lossy();
    let failure = match outcome {
        RunOutcome::Finished(_) if code == ExitStatus::Success.code() => return Ok(()),
        RunOutcome::Finished(_) => return Err(CliError::Status(code).into()),
        RunOutcome::SpawnFailed(e) => format!("cannot run {program}: {e}"),
        RunOutcome::LockLost { reason, status } => {
            let ended = match status {
                Some(status) => format!("{program} was terminated ({status})"),
                None => format!("{program} was terminated"),
            };
            format!("lock lost on {thread}: {reason}; {ended}")
        }
        RunOutcome::LostAtRelease { reason, status } => format!(
            "lock lost on {thread}: {reason}; {program} finished ({status}) \
             but may have run unprotected"
        ),
        RunOutcome::NotStarted { reason } => {
            format!("lock lost on {thread} before {program} started: {reason}")
        }
        RunOutcome::Failed(e) => format!("lost track of {program}: {e}"),
    };
    Err(anyhow::Error::from(CliError::Status(code)).context(failure))
}

/// The thread and lock key of a lock command's JSON result.
fn thread_json(backend: &Backend, thread: &ThreadKey) -> Value {
    json!({
        "thread_id": thread.thread.as_str(),
        "tenant_id": thread.tenant.as_str(),
        "key": LockKey::session(thread).name_on(backend.kind()),
    })
}

/// Prints the JSON result of `lock release` or `lock break` (nothing for
/// the table format, which says it on stderr).
fn print_released(
    ctx: &Context,
    backend: &Backend,
    thread: &ThreadKey,
    released: bool,
) -> anyhow::Result<()> {
    if ctx.out.format() != Format::Table {
        let mut doc = thread_json(backend, thread);
        doc["released"] = json!(released);
        ctx.out.document(&doc)?;
    }
    Ok(())
}

/// `lock acquire`: take the lock, hand it to an external holder, return the token.
async fn acquire(
    ctx: &Context,
    backend: &Backend,
    thread: &ThreadKey,
    args: AcquireArgs,
) -> anyhow::Result<String> {
    let (ttl, wait) = (args.timing.ttl, args.timing.wait());
    if backend.kind().lock_lives_on_its_connection() {
        let url = ctx
            .globals
            .url
            .as_deref()
            .context("a Postgres store needs its URL to start the lock holder")?;
        let env = ctx.globals.connection_env();
        return holder::acquire_detached(url, &env, thread, ttl, wait).await;
    }
    Ok(take_lock(ctx, backend, thread, &args.timing)
        .await?
        .detach())
}

/// Takes `thread`'s lock, saying on stderr when it has to wait for it.
async fn take_lock(
    ctx: &Context,
    backend: &Backend,
    thread: &ThreadKey,
    timing: &Timing,
) -> anyhow::Result<LockGuard> {
    if let Some(guard) = backend.try_acquire(thread, timing.ttl).await? {
        return Ok(guard);
    }
    let wait = timing.wait();
    if !wait.is_zero() {
        ctx.note(&format!(
            "waiting up to {:.1}s for the session lock of {thread}, held by another holder",
            wait.as_secs_f64()
        ));
    }
    Ok(backend.acquire(thread, timing.ttl, wait).await?)
}

/// `lock release`: release by token; not found when the token no longer holds it.
async fn release(ctx: &Context, backend: &Backend, args: ReleaseArgs) -> anyhow::Result<()> {
    let thread = ctx.thread(&args.thread)?;
    // A lock that lives on its holder's connection can only be released by
    // the detached holder `lock acquire` started.
    let released = if backend.kind().lock_lives_on_its_connection() {
        holder::release_via_holder(&thread, &args.token).await?
    } else {
        backend.release_lock_token(&thread, &args.token).await?
    };
    if !released {
        return Err(not_found(format!(
            "the session lock of {thread} is not held by token {} (released, expired, \
             broken, or the token is another lock's)",
            args.token
        )));
    }
    print_released(ctx, backend, &thread, true)
}

/// `lock break`: force release after confirmation (`--yes` off a terminal).
async fn break_lock(ctx: &Context, backend: &Backend, args: ThreadArg) -> anyhow::Result<()> {
    let thread = ctx.thread(&args.thread)?;
    confirm(
        &format!(
            "force-release the session lock of {thread} (its holder keeps running unprotected)"
        ),
        ctx.globals.yes,
    )
    .await?;
    // A holder process of `lock acquire` on this machine is asked to let go
    // and exit; a holder anywhere else is terminated by the server.
    let let_go = if backend.kind().lock_lives_on_its_connection() {
        holder::release_local_holders(&thread).await?
    } else {
        false
    };
    let broken = backend.break_lock(&thread).await? || let_go;
    if broken {
        ctx.note(&format!("broke the session lock of {thread}"));
    } else {
        ctx.note(&format!("the session lock of {thread} was not held"));
    }
    print_released(ctx, backend, &thread, broken)
}
