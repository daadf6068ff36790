//! `threadctl export`: the selection of a store as a dump
//! (docs/dump-format.md) on stdout or in `--file`.

use std::io::IsTerminal;
use std::path::PathBuf;

use anyhow::{Context as _, Result};
use clap::Args;
use serde_json::json;
use threadctl::ops::export::{self, ExportOptions, ExportReport};
use tokio::io::{AsyncWrite, BufWriter};

use crate::cli::args::ambiguity::AmbiguityArgs;
use crate::cli::args::selection::SelectionArgs;
use crate::cli::exit::usage;
use crate::cli::ui::output::Format;
use crate::cli::ui::progress;
use crate::cli::ui::transfer::{
    ambiguity_json, check_complete, note_ambiguities, note_problems, problem_json,
};
use crate::cli::Context;

/// Arguments of `export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// What to export.
    #[command(flatten)]
    pub selection: SelectionArgs,
    /// Where records whose Redis key reads in more than one way go.
    #[command(flatten)]
    pub ambiguity: AmbiguityArgs,
    /// Write the dump to FILE (created or truncated) instead of stdout
    #[arg(long, value_name = "FILE")]
    pub file: Option<PathBuf>,
    /// Records read per round trip
    #[arg(long, value_name = "K", default_value_t = 500, value_parser = clap::value_parser!(u32).range(1..=10_000))]
    pub page_size: u32,
}

/// Writes the dump, then a summary on stderr (with --file and -o json,
/// the report on stdout); exit 5 when source records were unreadable.
pub async fn run(ctx: &Context, args: ExportArgs) -> Result<()> {
    if args.file.is_none() && std::io::stdout().is_terminal() {
        return Err(usage(
            "refusing to write a dump to the terminal: redirect it (threadctl export > dump.jsonl), pipe it (| threadctl --url URL import) or give --file FILE",
        ));
    }
    let backend = ctx.reader().await?;
    let options = ExportOptions {
        selection: args.selection.into(),
        source: backend.kind(),
        page_size: args.page_size as usize,
        ambiguous: args.ambiguity.into(),
    };
    let report = match &args.file {
        Some(path) => {
            let file = tokio::fs::File::create(path)
                .await
                .with_context(|| format!("cannot create {}", path.display()))?;
            write(ctx, &backend, file, &path.display().to_string(), &options).await?
        }
        None => {
            write(
                ctx,
                &backend,
                tokio::io::stdout(),
                "standard output",
                &options,
            )
            .await?
        }
    };
    note_ambiguities(ctx, &report.tally);
    note_problems(ctx, &report.tally);
    if args.file.is_some() && ctx.out.format() != Format::Table {
        ctx.out.document(&report_json(&report))?;
    } else {
        ctx.note(&summary(&report));
    }
    check_complete(
        &report.tally,
        "the dump holds every other record and is complete",
    )
}

async fn write<W: AsyncWrite + Unpin>(
    ctx: &Context,
    backend: &threadctl::Backend,
    output: W,
    what: &str,
    options: &ExportOptions,
) -> Result<ExportReport> {
    let bar = progress::counter(ctx, "exporting");
    let outcome = export::run(backend, BufWriter::new(output), what, options, |p| {
        bar.set_position(p.records);
    })
    .await;
    bar.finish_and_clear();
    outcome.context("export stopped before the end; the dump is incomplete (it has no end line, so import refuses it as truncated): export again")
}

fn summary(report: &ExportReport) -> String {
    let counts = &report.counts;
    let n = |kind: &str| counts.get(kind).copied().unwrap_or(0);
    let mut line = format!(
        "exported {} thread(s): {} checkpoint(s), {} event(s), {} watermark(s), {} store item(s); {} byte(s)",
        report.tally.threads,
        n("checkpoint"),
        n("event"),
        n("watermark"),
        n("item"),
        report.bytes
    );
    if report.tally.ambiguous > 0 {
        line.push_str(&format!(
            "; {} record(s) under Redis keys with more than one reading (listed above)",
            report.tally.ambiguous
        ));
    }
    line
}

fn report_json(report: &ExportReport) -> serde_json::Value {
    json!({
        "threads": report.tally.threads,
        "records": report.tally.records,
        "counts": report.counts,
        "bytes": report.bytes,
        "ambiguous": report.tally.ambiguous,
        "ambiguous_records": report.tally.ambiguities.iter().map(ambiguity_json).collect::<Vec<_>>(),
        "problem_count": report.tally.problem_count,
        "problems": report.tally.problems.iter().map(problem_json).collect::<Vec<_>>(),
    })
}
