//! `threadctl verify`: read every selected record and session log and
//! report each problem with its tenant, thread and id (exit 5 when there
//! is one).

use anyhow::{Context as _, Result};
use clap::Args;
use serde_json::{json, Value};
use threadctl::backend::SchemaSetup;
use threadctl::ops::transfer::compare;
use threadctl::ops::transfer::TransferSelection;
use threadctl::ops::verify::{self, Problem, VerifyOptions, VerifyReport};

use crate::cli::args::selection::ThreadArgs;
use crate::cli::commands::copy::{comparison_json, print_differences};
use crate::cli::exit::CliError;
use crate::cli::ui::number::count_in;
use crate::cli::ui::output::{new_table, Format};
use crate::cli::ui::progress;
use crate::cli::Context;

/// Arguments of `verify`.
#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// Tenants and threads.
    #[command(flatten)]
    pub threads: ThreadArgs,
    /// Instead, compare this store with the one at URL record by record (exit 6 listing differences)
    ///
    /// The comparison covers this store's selection: each selected thread
    /// of this store (its checkpoints and session log, looked up in both
    /// stores) and the store items of its selected tenants. Records of a
    /// compared thread or tenant that only URL has are differences; threads
    /// and tenants that only URL has are not looked for, so that a copy into
    /// a store holding other data verifies. To find those, compare the
    /// other way round (`threadctl --url URL verify --against THIS`).
    #[arg(long, value_name = "URL")]
    pub against: Option<String>,
    /// With --against: leave session events and watermarks out
    #[arg(long, requires = "against")]
    pub no_events: bool,
    /// With --against: leave store items out
    #[arg(long, requires = "against")]
    pub no_store: bool,
    /// Records and events read per round trip
    #[arg(long, value_name = "K", default_value_t = 500, allow_negative_numbers = true, value_parser = count_in(1u32, Some(10_000)))]
    pub page_size: u32,
}

/// Checks the selection, prints what it found, exits 5 on any problem.
pub async fn run(ctx: &Context, args: VerifyArgs) -> Result<()> {
    if let Some(url) = args.against.clone() {
        return against(ctx, args, &url).await;
    }
    let options = VerifyOptions {
        selection: args.threads.selection(),
        page_size: args.page_size as usize,
    };
    let backend = ctx.reader().await?;
    let bar = progress::bar(ctx, 0, "verifying");
    let outcome = verify::run(&backend, &options, |p| {
        bar.set_length(p.to_check.max(p.records));
        bar.set_position(p.records);
    })
    .await;
    bar.finish_and_clear();
    let report = outcome.context("verify stopped before the end; nothing was changed")?;
    print_report(ctx, &report)?;
    if report.is_clean() {
        return Ok(());
    }
    let untold = report.problem_count - report.problems.len() as u64;
    Err(CliError::Data(format!(
        "{} problem(s) found{}; `threadctl show` prints a record, `threadctl rm` deletes a thread",
        report.problem_count,
        if untold > 0 {
            format!(" ({untold} not listed; narrow with --tenants or --thread)")
        } else {
            String::new()
        }
    ))
    .into())
}

fn problem_json(problem: &Problem) -> Value {
    json!({
        "tenant_id": problem.thread.tenant.as_str(),
        "thread_id": problem.thread.thread.as_str(),
        "id": problem.id,
        "problem": problem.kind.code(),
        "message": problem.kind.to_string(),
    })
}

fn print_report(ctx: &Context, report: &VerifyReport) -> Result<()> {
    let summary = format!(
        "{} thread(s), {} record(s), {} event(s) checked",
        report.threads, report.records, report.events
    );
    if ctx.out.format() != Format::Table {
        ctx.out.document(&json!({
            "clean": report.is_clean(),
            "threads": report.threads,
            "records": report.records,
            "events": report.events,
            "problem_count": report.problem_count,
            "problems": report.problems.iter().map(problem_json).collect::<Vec<_>>(),
        }))?;
        return Ok(());
    }
    if report.is_clean() {
        ctx.out.line(&format!("ok: {summary}; no problems"))?;
        return Ok(());
    }
    let mut table = new_table(["TENANT", "THREAD", "ID", "PROBLEM"]);
    for p in &report.problems {
        table.add_row(vec![
            p.thread.tenant.to_string(),
            p.thread.thread.to_string(),
            p.id.clone().unwrap_or_else(|| "-".into()),
            p.kind.to_string(),
        ]);
    }
    ctx.out.table(&table).context("printing the problems")?;
    ctx.out.line(&summary)?;
    Ok(())
}

/// `verify --against URL`: compares the two stores over the selection,
/// exits 6 listing the differences.
async fn against(ctx: &Context, args: VerifyArgs, url: &str) -> Result<()> {
    let selection = TransferSelection {
        threads: args.threads.selection(),
        events: !args.no_events,
        store: !args.no_store,
        ..TransferSelection::default()
    };
    let source = ctx.reader().await?;
    let target = ctx
        .open_url(url, SchemaSetup::Existing)
        .await
        .context("opening the store to compare with (--against)")?;
    let bar = progress::bar(ctx, 0, "comparing");
    let outcome = compare::run(&source, &target, &selection, args.page_size as usize, |c| {
        bar.set_length(c.records);
        bar.set_position(c.records);
    })
    .await;
    bar.finish_and_clear();
    let comparison =
        outcome.context("verify --against stopped before the end; nothing was changed")?;
    if ctx.out.format() != Format::Table {
        ctx.out.document(&comparison_json(&comparison))?;
    } else {
        print_differences(ctx, &comparison)?;
        ctx.out.line(&format!(
            "{} thread(s), {} record(s) compared; {} difference(s)",
            comparison.threads, comparison.records, comparison.difference_count
        ))?;
    }
    if comparison.is_identical() {
        return Ok(());
    }
    Err(CliError::Differences(format!(
        "the stores differ in {} record(s); `threadctl copy` brings them in line",
        comparison.difference_count
    ))
    .into())
}
