//! `threadctl lock`: hold, inspect and break session locks from the shell
//! (FORMAT.md, "Session lock"): the very lock the services take.

mod holder;
mod supervise;

use std::ffi::OsString;
use std::io::IsTerminal;
use std::time::Duration;

use anyhow::{bail, Context as _};
use serde::Serialize;

use threadctl::backend::LockInfo;
use threadctl::{Admin, Backend, DistributedLock, Error, TenantId, ThreadId, ThreadKey};

use super::{Context, OutputFormat};

use supervise::RunOutcome;

/// `lock` subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum LockCommand {
    /// Hold THREAD's lock while CMD runs, extending it on a heartbeat
    /// (every TTL/3), then release it and exit with CMD's status.
    ///
    /// CMD sees THREADCTL_LOCK_KEY and THREADCTL_LOCK_TOKEN. SIGINT, SIGTERM
    /// and SIGHUP sent to threadctl are forwarded to CMD. If the lock is
    /// lost (it cannot be extended, it was broken or expired, the server is
    /// gone), CMD gets SIGTERM, then SIGKILL after a grace period (the TTL,
    /// at most 5s), and threadctl exits 1 saying "lock lost". Exit status:
    /// CMD's own; 128+N if signal N ended it; 127 if CMD does not exist; 126
    /// if it cannot be executed; 4 if the lock stayed busy.
    Run(RunArgs),
    /// Take THREAD's lock and print its token (for scripts that release it
    /// later with `lock release`). The lock lasts until released or until
    /// its TTL passes. On Postgres a detached holder process keeps it.
    Acquire(AcquireArgs),
    /// Release THREAD's lock taken by `lock acquire`, if TOKEN still holds it
    /// (exit 3 otherwise).
    Release(ReleaseArgs),
    /// Whether THREAD's lock is held, and what the backend tells about it:
    /// remaining TTL (Redis, SQLite), holder pid and client address (Postgres).
    Status(ThreadArg),
    /// Every session lock currently held that the backend can enumerate.
    Ls,
    /// Force-release THREAD's lock (Postgres: terminate the holding
    /// backend). Asks on a terminal; needs --yes otherwise.
    Break(BreakArgs),
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

/// `lock break` arguments.
#[derive(Debug, clap::Args)]
pub struct BreakArgs {
    /// Thread id (the tenant comes from --tenant).
    pub thread: String,
    /// Do not ask for confirmation.
    #[arg(long, short = 'y')]
    pub yes: bool,
}

/// One lock as `lock status` and `lock ls` print it.
#[derive(Debug, Serialize)]
struct LockRow {
    #[serde(skip_serializing_if = "Option::is_none")]
    tenant: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    thread: Option<String>,
    key: String,
    held: bool,
    ttl_remaining_ms: Option<u64>,
    holder: Option<String>,
}

impl LockRow {
    fn new(info: LockInfo, thread: Option<&ThreadKey>) -> Self {
        Self {
            tenant: thread.map(|t| t.tenant.to_string()),
            thread: thread.map(|t| t.thread.to_string()),
            key: info.key,
            held: info.held,
            ttl_remaining_ms: info
                .ttl_remaining
                .map(|d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX)),
            holder: info.holder,
        }
    }
}

/// Runs a `lock` subcommand; returns the process exit code.
pub async fn run(command: LockCommand, ctx: &Context) -> anyhow::Result<i32> {
    let backend = ctx.open().await?;
    let tenant = &ctx.tenant;
    match command {
        LockCommand::Run(args) => return run_command(&backend, tenant, args).await,
        LockCommand::Acquire(args) => {
            let token = acquire(&backend, ctx.url.as_deref(), tenant, args).await?;
            println!("{token}");
        }
        LockCommand::Release(args) => release(&backend, tenant, args).await?,
        LockCommand::Status(args) => {
            let thread = thread_key(tenant, &args.thread)?;
            let info = backend.lock_status(&thread).await?;
            print_locks(&[LockRow::new(info, Some(&thread))], ctx.output, false)?;
        }
        LockCommand::Ls => {
            let rows: Vec<LockRow> = backend
                .list_locks()
                .await?
                .into_iter()
                .map(|info| LockRow::new(info, None))
                .collect();
            print_locks(&rows, ctx.output, true)?;
        }
        LockCommand::Break(args) => {
            if !break_lock(&backend, tenant, args).await? {
                eprintln!("not broken");
                return Ok(1);
            }
        }
        LockCommand::Hold(args) => {
            let thread = thread_key(tenant, &args.thread)?;
            holder::hold(&backend, &thread, args.timing.ttl, args.timing.wait()).await?;
        }
    }
    Ok(0)
}

/// Prints lock rows: a table, a JSON value (an array when `list`), or JSON lines.
fn print_locks(rows: &[LockRow], format: OutputFormat, list: bool) -> anyhow::Result<()> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    match format {
        OutputFormat::Json if list => writeln!(out, "{}", serde_json::to_string_pretty(rows)?)?,
        OutputFormat::Json | OutputFormat::Jsonl => {
            for row in rows {
                writeln!(out, "{}", serde_json::to_string(row)?)?;
            }
        }
        OutputFormat::Table => {
            let mut table = comfy_table::Table::new();
            table.load_preset(comfy_table::presets::NOTHING);
            table.set_header(["KEY", "HELD", "TTL LEFT", "HOLDER"]);
            for row in rows {
                table.add_row([
                    row.key.clone(),
                    if row.held { "held" } else { "free" }.to_string(),
                    row.ttl_remaining_ms
                        .map(|ms| format!("{:.1}s", ms as f64 / 1000.0))
                        .unwrap_or_else(|| "-".to_string()),
                    row.holder.clone().unwrap_or_else(|| "-".to_string()),
                ]);
            }
            writeln!(out, "{table}")?;
        }
    }
    Ok(())
}

/// The thread key of `thread` in `tenant`.
fn thread_key(tenant: &TenantId, thread: &str) -> anyhow::Result<ThreadKey> {
    Ok(ThreadKey {
        tenant: tenant.clone(),
        thread: ThreadId::new(thread)?,
    })
}

/// `lock run`: hold the lock while the command runs; returns its exit code.
async fn run_command(backend: &Backend, tenant: &TenantId, args: RunArgs) -> anyhow::Result<i32> {
    let thread = thread_key(tenant, &args.thread)?;
    let guard = backend
        .acquire(&thread, args.timing.ttl, args.timing.wait())
        .await?;
    let outcome = supervise::run_locked(guard, args.timing.ttl, &args.command).await;
    let program = args.command[0].to_string_lossy();
    match &outcome {
        RunOutcome::Finished(_) => {}
        RunOutcome::SpawnFailed(e) => eprintln!("threadctl: cannot run {program}: {e}"),
        RunOutcome::LockLost { reason, status } => {
            let ended = match status {
                Some(status) => format!("{program} was terminated ({status})"),
                None => format!("{program} was terminated"),
            };
            eprintln!("threadctl: lock lost on {thread}: {reason}; {ended}");
        }
        RunOutcome::Failed(e) => eprintln!("threadctl: lost track of {program}: {e}"),
    }
    Ok(outcome.exit_code())
}

/// `lock acquire`: take the lock, hand it to an external holder, print the token.
async fn acquire(
    backend: &Backend,
    url: Option<&str>,
    tenant: &TenantId,
    args: AcquireArgs,
) -> anyhow::Result<String> {
    let thread = thread_key(tenant, &args.thread)?;
    let (ttl, wait) = (args.timing.ttl, args.timing.wait());
    if backend.backend_name() == "postgres" {
        let url = url.context("a Postgres store needs its URL to start the lock holder")?;
        return holder::acquire_detached(url, &thread, ttl, wait).await;
    }
    Ok(backend.acquire(&thread, ttl, wait).await?.detach())
}

/// `lock release`: release by token; not found when the token no longer holds it.
async fn release(backend: &Backend, tenant: &TenantId, args: ReleaseArgs) -> anyhow::Result<()> {
    let thread = thread_key(tenant, &args.thread)?;
    let mut released = None;
    if backend.backend_name() == "postgres" {
        released = holder::release_via_holder(&thread, &args.token).await?;
    }
    let released = match released {
        Some(released) => released,
        None => backend.release_lock_token(&thread, &args.token).await?,
    };
    if !released {
        return Err(Error::NotFound(format!(
            "the session lock of {thread} is not held by token {} (released, expired or broken)",
            args.token
        ))
        .into());
    }
    Ok(())
}

/// `lock break`: force release after confirmation; false when declined.
async fn break_lock(backend: &Backend, tenant: &TenantId, args: BreakArgs) -> anyhow::Result<bool> {
    let thread = thread_key(tenant, &args.thread)?;
    if !args.yes {
        if !std::io::stdin().is_terminal() || !std::io::stderr().is_terminal() {
            bail!("refusing to break the session lock of {thread} without --yes (not a terminal)");
        }
        let confirmed = dialoguer::Confirm::new()
            .with_prompt(format!(
                "Force-release the session lock of {thread}? Its holder keeps running unprotected"
            ))
            .default(false)
            .interact()
            .context("cannot read the confirmation")?;
        if !confirmed {
            return Ok(false);
        }
    }
    if backend.break_lock(&thread).await? {
        eprintln!("broke the session lock of {thread}");
    } else {
        eprintln!("the session lock of {thread} was not held");
    }
    Ok(true)
}

/// Parses a duration such as `250ms`, `30s`, `5m`, `1h` or `30` (seconds).
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    let split = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let number: u64 = number
        .parse()
        .map_err(|_| format!("{text:?} is not a duration like 500ms, 30s, 5m or 1h"))?;
    let millis = match unit {
        "ms" => Some(number),
        "" | "s" => number.checked_mul(1000),
        "m" => number.checked_mul(60_000),
        "h" => number.checked_mul(3_600_000),
        _ => {
            return Err(format!(
                "unknown unit {unit:?} in {text:?} (use ms, s, m or h)"
            ))
        }
    };
    match millis {
        Some(0) => Err("a duration must be more than zero".to_string()),
        Some(ms) => Ok(Duration::from_millis(ms)),
        None => Err(format!("{text:?} is too long")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_durations() {
        assert_eq!(parse_duration("250ms"), Ok(Duration::from_millis(250)));
        assert_eq!(parse_duration("30s"), Ok(Duration::from_secs(30)));
        assert_eq!(parse_duration("30"), Ok(Duration::from_secs(30)));
        assert_eq!(parse_duration("5m"), Ok(Duration::from_secs(300)));
        assert_eq!(parse_duration("1h"), Ok(Duration::from_secs(3600)));
        assert!(parse_duration("0s").is_err());
        assert!(parse_duration("5x").is_err());
        assert!(parse_duration("s").is_err());
        assert!(parse_duration("").is_err());
    }
}
