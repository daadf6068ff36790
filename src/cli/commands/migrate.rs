//! `threadctl migrate status|schema|run|check`: the schema, the envelope
//! write version, and rewriting records at another envelope version.

use std::time::Duration;

use anyhow::{Context as _, Result};
use clap::{Args, Subcommand};
use serde_json::{json, Value};
use threadctl::backend::schema::{MigrationState, SchemaStatus};
use threadctl::backend::{SchemaAdmin, ThreadSelection, VersionCounts};
use threadctl::model::{parse_glob, NameGlob};
use threadctl::ops::migrate::{self, MigrateError, MigrateOptions, MigrateReport, MigrationStatus};
use threadctl::EnvelopeVersion;

use crate::cli::exit::{usage, CliError};
use crate::cli::ui::confirm::confirm;
use crate::cli::ui::duration::parse_duration;
use crate::cli::ui::number::count_in;
use crate::cli::ui::output::{new_table, Format};
use crate::cli::ui::progress;
use crate::cli::Context;

/// What the reference services do with version 2 records, said before an
/// upgrade.
const UPGRADE_WARNING: &str = "services on the reference crate (entelix-persistence) refuse \
     envelope version 2 records: upgrade every service that reads this store to a \
     threadctl-compatible release first";

/// The `migrate` subcommands.
#[derive(Debug, Subcommand)]
pub enum MigrateCommand {
    /// Tables, policies and recorded migrations; write version; records per version
    Status,
    /// Create or upgrade the schema (Postgres, SQLite): idempotent and additive
    Schema,
    /// Rewrite every selected record at envelope version N, in atomic batches
    ///
    /// The store's write version is set to N only when every record of the
    /// store is at N (a run with --tenants or --thread never switches it).
    /// Interrupted at any moment, the same command again finishes the work.
    Run(Box<RunArgs>),
    /// Exit 0 when the schema is complete and every record is at the write
    /// version, 6 otherwise, with a one-line summary (for CI)
    Check,
}

/// Arguments of `migrate run`.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// The envelope version to rewrite records at (1 or 2)
    #[arg(long, value_name = "N", value_parser = parse_version)]
    pub to: EnvelopeVersion,
    /// Count what would be rewritten; write nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Records per atomic batch
    #[arg(long, value_name = "K", default_value_t = 500, allow_negative_numbers = true, value_parser = count_in(1u32, Some(10_000)))]
    pub batch_size: u32,
    /// Only tenants matching this glob
    #[arg(long, value_name = "GLOB", value_parser = parse_glob)]
    pub tenants: Option<NameGlob>,
    /// Only threads matching this glob
    #[arg(long, value_name = "GLOB", value_parser = parse_glob)]
    pub thread: Option<NameGlob>,
    /// Let a downgrade to 1 drop records' non-empty metadata
    #[arg(long)]
    pub allow_lossy: bool,
    /// Wait up to DURATION for another run to finish instead of exiting 4
    #[arg(long, value_name = "DURATION", value_parser = parse_duration, num_args = 0..=1, default_missing_value = "1h")]
    pub wait: Option<Duration>,
}

fn parse_version(text: &str) -> Result<EnvelopeVersion, String> {
    let number: i64 = text
        .parse()
        .map_err(|_| format!("{text:?} is not a version number"))?;
    EnvelopeVersion::from_number(number, "--to").map_err(|e| e.to_string())
}

/// Runs one `migrate` subcommand.
pub async fn run(ctx: &Context, command: MigrateCommand) -> Result<()> {
    match command {
        MigrateCommand::Status => {
            let status = migrate::status(&ctx.inspector().await?).await?;
            print_status(ctx, &status)
        }
        MigrateCommand::Schema => {
            let backend = ctx.backend().await?;
            let status = backend.apply_schema().await?;
            print_schema(ctx, &status)
        }
        MigrateCommand::Check => check(ctx).await,
        MigrateCommand::Run(args) => run_migration(ctx, *args).await,
    }
}

async fn check(ctx: &Context) -> Result<()> {
    let status = migrate::status(&ctx.inspector().await?).await?;
    let missing = status.schema.objects.iter().filter(|o| !o.present).count()
        + status
            .schema
            .migrations
            .iter()
            .filter(|m| m.state != MigrationState::Applied)
            .count();
    let version = status.write_version.number();
    let (total, behind) = status
        .counts
        .as_ref()
        .map_or((0, 0), |c| (c.total(), c.total() - c.at(version)));
    let line = format!(
        "schema {}; write version {version}; {behind} of {total} record(s) not at version {version}",
        if missing == 0 {
            "complete".to_string()
        } else {
            format!("incomplete ({missing} object(s) or migration(s) missing)")
        }
    );
    if ctx.out.format() != Format::Table {
        ctx.out.document(&json!({
            "current": status.is_current(),
            "schema_complete": status.schema.is_complete(),
            "write_version": version,
            "records": total,
            "records_behind": behind,
        }))?;
    }
    if status.is_current() {
        if ctx.out.format() == Format::Table {
            ctx.out.line(&format!("ok: {line}"))?;
        }
        Ok(())
    } else {
        Err(CliError::Differences(format!("not current: {line}")).into())
    }
}

async fn run_migration(ctx: &Context, args: RunArgs) -> Result<()> {
    let selection = ThreadSelection {
        tenants: args.tenants,
        threads: args.thread,
    };
    let backend = ctx.backend().await?;
    let from = threadctl::backend::CheckpointBackend::write_version(&backend);
    if !args.dry_run {
        if args.to == EnvelopeVersion::V2 && from != EnvelopeVersion::V2 {
            ctx.note(&format!("note: {UPGRADE_WARNING}"));
            confirm(
                "rewrite the selected records at envelope version 2",
                ctx.globals.yes,
            )
            .await?;
        } else if args.to == EnvelopeVersion::V1 && from == EnvelopeVersion::V2 {
            ctx.note("note: a downgrade to version 1 drops every record's metadata and checksum");
            confirm(
                "rewrite the selected records at envelope version 1",
                ctx.globals.yes,
            )
            .await?;
        }
    }
    let options = MigrateOptions {
        to: args.to,
        selection,
        batch_size: args.batch_size as usize,
        dry_run: args.dry_run,
        allow_lossy: args.allow_lossy,
        lock_wait: args.wait,
    };
    let bar = progress::bar(ctx, 0, &format!("migrating to version {}", args.to));
    let outcome = migrate::run(&backend, &options, |p| {
        bar.set_length(p.to_rewrite.max(p.rewritten));
        bar.set_position(p.rewritten);
    })
    .await;
    bar.finish_and_clear();
    let report = match outcome {
        Ok(report) => report,
        Err(MigrateError::LossyDowngrade { records }) => {
            return Err(usage(format!(
                "refusing to downgrade to version 1: {records} record(s) carry metadata that \
                 version 1 cannot hold; rerun with --allow-lossy to drop it"
            )))
        }
        Err(MigrateError::Store(e)) => {
            return Err(anyhow::Error::new(e).context("migrate run stopped; run it again to finish"))
        }
    };
    print_report(ctx, &options, &report)?;
    if report.unreadable_count > 0 {
        return Err(CliError::Data(format!(
            "{} record(s) could not be read and were left as they are (listed above); \
             the write version was not switched",
            report.unreadable_count
        ))
        .into());
    }
    Ok(())
}

fn counts_json(counts: &VersionCounts) -> Value {
    json!({
        "by_version": counts.by_version.iter().map(|(v, n)| (v.to_string(), json!(n))).collect::<serde_json::Map<_, _>>(),
        "unversioned": counts.unversioned,
        "with_metadata": counts.with_metadata,
        "total": counts.total(),
    })
}

fn counts_text(counts: &VersionCounts) -> String {
    let mut parts: Vec<String> = counts
        .by_version
        .iter()
        .map(|(v, n)| format!("v{v}: {n}"))
        .collect();
    if counts.unversioned > 0 {
        parts.push(format!("no readable version: {}", counts.unversioned));
    }
    if parts.is_empty() {
        "no records".into()
    } else {
        parts.join(", ")
    }
}

fn print_report(ctx: &Context, options: &MigrateOptions, report: &MigrateReport) -> Result<()> {
    let target = options.to.number();
    let unreadable: Vec<Value> = report
        .unreadable
        .iter()
        .map(|u| {
            json!({
                "tenant_id": u.thread.tenant.as_str(),
                "thread_id": u.thread.thread.as_str(),
                "id": u.id,
                "error": u.error.to_string(),
            })
        })
        .collect();
    if ctx.out.format() != Format::Table {
        return Ok(ctx.out.document(&json!({
            "to": target,
            "dry_run": report.dry_run,
            "before": counts_json(&report.before),
            "after": counts_json(&report.after),
            "would_rewrite": report.before.total() - report.before.at(target),
            "rewritten": report.rewritten,
            "scanned": report.scanned,
            "passes": report.passes,
            "unreadable": report.unreadable_count,
            "unreadable_records": unreadable,
            "refused": report.refused,
            "write_version_set": report.write_version_set.map(|v| v.number()),
            "write_version_kept": report.write_version_kept,
        }))?);
    }
    if report.dry_run {
        ctx.out.line(&format!(
            "dry run: {} of {} selected record(s) would be rewritten at version {target} ({})",
            report.before.total() - report.before.at(target),
            report.before.total(),
            counts_text(&report.before)
        ))?;
        return Ok(());
    }
    for u in &report.unreadable {
        eprintln!(
            "unreadable: {}/{} {}: {}",
            u.thread.tenant, u.thread.thread, u.id, u.error
        );
    }
    ctx.out.line(&format!(
        "rewrote {} record(s) at version {target} in {} pass(es); now {}",
        report.rewritten,
        report.passes,
        counts_text(&report.after)
    ))?;
    if report.refused > 0 {
        ctx.note(&format!(
            "warning: {} record(s) were not rewritten (metadata written after the check, or Redis keys shared with another thread)",
            report.refused
        ));
    }
    match (&report.write_version_set, &report.write_version_kept) {
        (Some(v), _) => ctx.note(&format!("the store's write version is now {v}")),
        (None, Some(why)) => ctx.note(&format!("the write version was not switched: {why}")),
        (None, None) => {}
    }
    Ok(())
}

fn schema_rows(status: &SchemaStatus) -> Vec<(String, String)> {
    let mut rows: Vec<(String, String)> = status
        .objects
        .iter()
        .map(|o| {
            (
                o.name.clone(),
                if o.present { "present" } else { "missing" }.to_string(),
            )
        })
        .collect();
    rows.extend(status.migrations.iter().map(|m| {
        (
            format!("threadctl migration {} {}", m.version, m.description)
                .trim_end()
                .to_string(),
            match m.state {
                MigrationState::Applied => "applied",
                MigrationState::Pending => "pending",
                MigrationState::Modified => "applied from a file changed since",
                MigrationState::Unknown => "applied by a newer threadctl",
            }
            .to_string(),
        )
    }));
    rows
}

fn schema_json(status: &SchemaStatus) -> Value {
    json!({
        "complete": status.is_complete(),
        "objects": schema_rows(status).into_iter().map(|(name, state)| json!({"name": name, "state": state})).collect::<Vec<_>>(),
    })
}

fn print_schema(ctx: &Context, status: &SchemaStatus) -> Result<()> {
    if ctx.out.format() != Format::Table {
        return Ok(ctx.out.document(&schema_json(status))?);
    }
    if status.objects.is_empty() && status.migrations.is_empty() {
        ctx.out
            .line("this store has no schema (Redis): nothing to create")?;
        return Ok(());
    }
    let mut table = new_table(["OBJECT", "STATE"]);
    for (name, state) in schema_rows(status) {
        table.add_row(vec![name, state]);
    }
    ctx.out.table(&table).context("printing the schema")?;
    Ok(())
}

fn print_status(ctx: &Context, status: &MigrationStatus) -> Result<()> {
    if ctx.out.format() != Format::Table {
        return Ok(ctx.out.document(&json!({
            "schema": schema_json(&status.schema),
            "write_version": status.write_version.number(),
            "records": status.counts.as_ref().map(counts_json),
            "current": status.is_current(),
        }))?);
    }
    print_schema(ctx, &status.schema)?;
    ctx.out
        .line(&format!("write version: {}", status.write_version.number()))?;
    ctx.out.line(&format!(
        "records: {}",
        status
            .counts
            .as_ref()
            .map_or_else(|| "no checkpoint table".into(), counts_text)
    ))?;
    Ok(())
}
