//! `threadctl copy --from URL --to URL`: move threads and store items
//! between any two stores; resumable, verifiable, with `--move`.

use std::time::Duration;

use anyhow::{Context as _, Result};
use clap::Args;
use serde_json::{json, Value};
use threadctl::backend::sqlite::checkpoint_wal;
use threadctl::backend::{BulkCheckpoints, SchemaSetup};
use threadctl::ops::copy::{self, CopyOptions, CopyReport};
use threadctl::ops::transfer::compare::Comparison;
use threadctl::ops::transfer::TransferTally;
use threadctl::StoreUrl;

use crate::cli::args::ambiguity::AmbiguityArgs;
use crate::cli::args::selection::SelectionArgs;
use crate::cli::args::write::WriteArgs;
use crate::cli::exit::{usage, CliError};
use crate::cli::ui::confirm::confirm;
use crate::cli::ui::duration::parse_duration;
use crate::cli::ui::output::{new_table, Format};
use crate::cli::ui::progress;
use crate::cli::ui::transfer::ambiguity_json;
use crate::cli::Context;

/// Arguments of `copy`.
#[derive(Debug, Args)]
pub struct CopyArgs {
    /// Store to copy from [default: the --url store]
    #[arg(long, value_name = "URL")]
    pub from: Option<String>,
    /// Store to copy to (its schema is set up when it is new)
    #[arg(long, value_name = "URL")]
    pub to: String,
    /// What to copy.
    #[command(flatten)]
    pub selection: SelectionArgs,
    /// Where records whose Redis key reads in more than one way go.
    #[command(flatten)]
    pub ambiguity: AmbiguityArgs,
    /// How to write (also the records read per round trip: --batch-size).
    #[command(flatten)]
    pub write: WriteArgs,
    /// Afterwards compare source and target record by record (exit 6 listing differences)
    #[arg(long)]
    pub verify: bool,
    /// Delete each thread from the source once it compared identical (asks on a terminal)
    #[arg(long = "move")]
    pub move_verified: bool,
    /// Hold each thread's session lock on the source while copying it
    #[arg(long)]
    pub lock: bool,
    /// With --lock: how long to wait for a thread's lock before skipping it (exit 4)
    #[arg(long, value_name = "DURATION", value_parser = parse_duration, default_value = "5s")]
    pub lock_wait: Duration,
    /// Threads copied in parallel
    #[arg(long, value_name = "N", default_value_t = 4, value_parser = clap::value_parser!(u32).range(1..=64))]
    pub jobs: u32,
    /// At most N records read per second
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub rate: Option<u32>,
}

/// How long a thread's session lock outlives a run that dies holding it.
const LOCK_TTL: Duration = Duration::from_secs(30);

/// Copies, prints what happened, exits 5 (records left out), 6 (--verify
/// found differences) or 4 (threads busy).
pub async fn run(ctx: &Context, args: CopyArgs) -> Result<()> {
    let from = match &args.from {
        Some(url) => StoreUrl::parse(url)?,
        None => ctx.store_url()?,
    };
    if from == StoreUrl::parse(&args.to)? {
        return Err(usage("--from and --to name the same store; copy needs two"));
    }
    let source = match &args.from {
        Some(url) => ctx.open_url(url, SchemaSetup::Existing).await,
        None => ctx.reader().await,
    }
    .context("opening the source (--from)")?;
    let setup = if args.write.dry_run {
        SchemaSetup::Existing
    } else {
        SchemaSetup::Create
    };
    let target = ctx
        .open_url(&args.to, setup)
        .await
        .context(if args.write.dry_run {
            "opening the target (--to); a dry run writes nothing, not even the schema, so it \
             needs an existing target: create it with `threadctl --url URL migrate schema`, \
             or copy without --dry-run"
        } else {
            "opening the target (--to)"
        })?;
    if args.move_verified && !args.write.dry_run {
        confirm(
            &format!(
                "delete each copied thread from {} once it compared identical",
                from.redacted()
            ),
            ctx.globals.yes,
        )
        .await?;
    }
    let page_size = args.write.batch_size as usize;
    let options = CopyOptions {
        selection: args.selection.into(),
        write: args.write.into(),
        verify: args.verify,
        move_verified: args.move_verified,
        lock: args.lock.then_some(LOCK_TTL),
        lock_wait: args.lock_wait,
        jobs: args.jobs as usize,
        rate: args.rate,
        page_size,
        ambiguous: args.ambiguity.into(),
    };
    // The total only sizes the bar: counting reads every record's
    // envelope, so a hidden bar goes without it.
    let goal = if progress::shown(ctx) {
        source
            .count_by_version(&options.selection.threads)
            .await
            .map(|c| c.total())
            .unwrap_or(0)
    } else {
        0
    };
    let bar = progress::bar(ctx, goal, "copying");
    let outcome = copy::run(&source, &target, &options, |p| {
        bar.set_length(goal.max(p.records));
        bar.set_position(p.records);
        bar.set_message(format!(
            "copying: {} thread(s), {} byte(s)",
            p.threads, p.bytes
        ));
    })
    .await;
    bar.finish_and_clear();
    if let Ok(StoreUrl::Sqlite(path)) = StoreUrl::parse(&args.to) {
        if let Err(e) = checkpoint_wal(&path).await {
            tracing::warn!("{e}; recent writes stay in the -wal file beside the database");
        }
    }
    let report =
        match outcome {
            Ok(report) => report,
            Err(e @ threadctl::Error::RlsRestricted { .. }) => {
                return Err(anyhow::Error::from(e).context(
                    "copy needs every tenant's rows to copy every tenant; a role under row-level \
                 security can copy one tenant at a time (--tenants TENANT)",
                ))
            }
            Err(e) => return Err(anyhow::Error::from(e).context(
                "copy stopped before the end; what landed stays: once the cause below is fixed, \
                 run the same command again to finish it (what already landed is skipped)",
            )),
        };
    print_report(ctx, &report)?;
    outcome_status(&report)
}

/// The exit status the report calls for.
fn outcome_status(report: &CopyReport) -> Result<()> {
    if let Some(comparison) = report.comparison.as_ref().filter(|c| !c.is_identical()) {
        return Err(CliError::Differences(format!(
            "{} difference(s) between source and target (listed above)",
            comparison.difference_count
        ))
        .into());
    }
    if !report.tally.is_complete() {
        return Err(CliError::Data(format!(
            "{} record(s) not copied (listed above, each with what to do about it); the rest landed",
            report.tally.problem_count
        ))
        .into());
    }
    if !report.busy.is_empty() {
        return Err(threadctl::Error::LockBusy {
            key: format!(
                "the session lock of {} thread(s) (skipped, listed above); run copy again later",
                report.busy.len()
            ),
            waited: None,
        }
        .into());
    }
    Ok(())
}

/// The one-line summary of a run.
fn summary(report: &CopyReport) -> String {
    let t = &report.tally;
    let mut line = if report.dry_run {
        format!(
            "dry run: would copy {} thread(s), {} record(s), {} byte(s)",
            t.threads, t.records, t.bytes
        )
    } else {
        format!(
            "copied {} thread(s): {} record(s) read ({} byte(s)), {} written, {} already there, {} not copied",
            t.threads, t.records, t.bytes, t.written, t.unchanged, t.problem_count
        )
    };
    if t.ambiguous > 0 {
        line.push_str(&format!(", {} ambiguous", t.ambiguous));
    }
    if let Some(c) = &report.comparison {
        line.push_str(&format!(
            "; verified {} record(s): {} difference(s)",
            c.records, c.difference_count
        ));
    }
    if report.moved > 0 {
        line.push_str(&format!("; {} thread(s) moved", report.moved));
    }
    if !report.busy.is_empty() {
        line.push_str(&format!("; {} thread(s) busy", report.busy.len()));
    }
    line
}

/// The tally as `-o json` prints it.
pub fn tally_json(t: &TransferTally) -> Value {
    json!({
        "threads": t.threads,
        "records": t.records,
        "bytes": t.bytes,
        "written": t.written,
        "unchanged": t.unchanged,
        "ambiguous": t.ambiguous,
        "ambiguous_records": t.ambiguities.iter().map(ambiguity_json).collect::<Vec<_>>(),
        "problem_count": t.problem_count,
        "problems": t.problems.iter().map(|p| json!({
            "record": p.what,
            "problem": p.kind.code(),
            "message": p.message,
        })).collect::<Vec<_>>(),
    })
}

/// A comparison as `-o json` prints it.
pub fn comparison_json(c: &Comparison) -> Value {
    json!({
        "identical": c.is_identical(),
        "threads": c.threads,
        "records": c.records,
        "difference_count": c.difference_count,
        "differences": c.differences.iter().map(|d| json!({
            "record": d.what,
            "difference": d.kind.code(),
        })).collect::<Vec<_>>(),
    })
}

/// Prints a comparison's differences as a table.
pub fn print_differences(ctx: &Context, c: &Comparison) -> Result<()> {
    if c.differences.is_empty() {
        return Ok(());
    }
    let mut table = new_table(["RECORD", "DIFFERENCE"]);
    for d in &c.differences {
        table.add_row(vec![d.what.clone(), d.kind.code().replace('_', " ")]);
    }
    ctx.out.table(&table).context("printing the differences")?;
    Ok(())
}

fn print_report(ctx: &Context, report: &CopyReport) -> Result<()> {
    if ctx.out.format() != Format::Table {
        let mut doc = tally_json(&report.tally);
        doc["dry_run"] = json!(report.dry_run);
        doc["moved"] = json!(report.moved);
        doc["busy"] = json!(report
            .busy
            .iter()
            .map(|t| json!({"tenant_id": t.tenant.as_str(), "thread_id": t.thread.as_str()}))
            .collect::<Vec<_>>());
        doc["verification"] = report
            .comparison
            .as_ref()
            .map_or(Value::Null, comparison_json);
        ctx.out.document(&doc)?;
        return Ok(());
    }
    let t = &report.tally;
    if !t.problems.is_empty() {
        let mut table = new_table(["RECORD", "PROBLEM", "MESSAGE"]);
        for p in &t.problems {
            table.add_row(vec![
                p.what.clone(),
                p.kind.code().to_string(),
                p.message.clone(),
            ]);
        }
        ctx.out
            .table(&table)
            .context("printing what was not copied")?;
    }
    if !t.ambiguities.is_empty() {
        let mut table = new_table(["AMBIGUOUS RECORD", "READINGS", "WRITTEN AS"]);
        for a in &t.ambiguities {
            let written = if a.written_as.is_empty() {
                "(left out)".to_string()
            } else {
                a.written_as.join("\n")
            };
            table.add_row(vec![a.what.clone(), a.readings.join("\n"), written]);
        }
        ctx.out
            .table(&table)
            .context("printing the ambiguous records")?;
    }
    if let Some(c) = &report.comparison {
        print_differences(ctx, c)?;
    }
    for thread in &report.busy {
        ctx.note(&format!("skipped {thread}: its session lock is held"));
    }
    ctx.out.line(&summary(report))?;
    Ok(())
}
