//! `threadctl import`: a dump (docs/dump-format.md) from stdin or `--file`
//! written into the store, skipping what it already holds identical.

use std::io::IsTerminal;
use std::path::PathBuf;

use anyhow::{Context as _, Result};
use clap::Args;
use serde_json::json;
use threadctl::ops::dump::DEFAULT_MAX_LINE_BYTES;
use threadctl::ops::import::{self, ImportOptions, ImportReport};
use tokio::io::{AsyncRead, BufReader};

use crate::cli::args::selection::SelectionArgs;
use crate::cli::args::write::WriteArgs;
use crate::cli::exit::usage;
use crate::cli::ui::output::Format;
use crate::cli::ui::progress;
use crate::cli::ui::transfer::{check_complete, note_problems, problem_json};
use crate::cli::Context;

/// Why a dry run cannot import into a store that does not exist yet.
const DRY_RUN_NEEDS_A_STORE: &str = "a dry run writes nothing, not even the schema, so it needs \
     an existing store: create it with `threadctl --url URL migrate schema`, or import without --dry-run";

/// Arguments of `import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// Which of the dump's records to import (--since and --until apply to export only).
    #[command(flatten)]
    pub selection: SelectionArgs,
    /// How to write.
    #[command(flatten)]
    pub write: WriteArgs,
    /// Read the dump from FILE instead of stdin
    #[arg(long, value_name = "FILE")]
    pub file: Option<PathBuf>,
    /// Refuse lines longer than this many bytes (a damaged or hostile stream)
    #[arg(long, value_name = "BYTES", default_value_t = DEFAULT_MAX_LINE_BYTES)]
    pub max_line_bytes: usize,
}

/// Imports the dump, then prints a summary on stderr (-o json: the report
/// on stdout); exit 5 when the dump is damaged or truncated (after
/// importing what came before) or records were left out.
pub async fn run(ctx: &Context, args: ImportArgs) -> Result<()> {
    if args.file.is_none() && std::io::stdin().is_terminal() {
        return Err(usage(
            "import reads a dump from stdin, which is a terminal: redirect it (threadctl import < dump.jsonl), pipe it (threadctl --url URL export | threadctl import) or give --file FILE",
        ));
    }
    if args.selection.since.is_some() || args.selection.until.is_some() {
        return Err(usage(
            "import cannot select threads by their last write (--since, --until): select them when exporting",
        ));
    }
    let options = ImportOptions {
        selection: args.selection.into(),
        write: args.write.into(),
        max_line_bytes: args.max_line_bytes,
    };
    let backend = if options.write.dry_run {
        ctx.reader().await.context(DRY_RUN_NEEDS_A_STORE)?
    } else {
        ctx.backend().await?
    };
    let report = match &args.file {
        Some(path) => {
            let file = tokio::fs::File::open(path)
                .await
                .with_context(|| format!("cannot open {}", path.display()))?;
            let size = file.metadata().await.map(|m| m.len()).ok();
            read(ctx, &backend, file, size, &options).await?
        }
        None => read(ctx, &backend, tokio::io::stdin(), None, &options).await?,
    };
    note_problems(ctx, &report.tally);
    if ctx.out.format() != Format::Table {
        ctx.out.document(&report_json(&report))?;
    } else {
        ctx.note(&summary(&report));
    }
    if let Some(damage) = report.damage {
        return Err(anyhow::Error::from(damage).context(
            "the dump is damaged or truncated: the complete records before that line were imported; import a complete dump (importing it again skips what landed)",
        ));
    }
    let rest = if report.dry_run {
        "every other record would be imported"
    } else {
        "every other record was imported"
    };
    check_complete(&report.tally, rest)
}

async fn read<R: AsyncRead + Unpin>(
    ctx: &Context,
    backend: &threadctl::Backend,
    input: R,
    size: Option<u64>,
    options: &ImportOptions,
) -> Result<ImportReport> {
    let bar = match size {
        Some(size) => progress::bar(ctx, size, "importing (bytes)"),
        None => progress::counter(ctx, "importing"),
    };
    let outcome = import::run(
        backend,
        BufReader::with_capacity(1 << 16, input),
        options,
        |p| {
            if size.is_some() {
                bar.set_position(p.bytes);
            } else {
                bar.set_position(p.records);
            }
        },
    )
    .await;
    bar.finish_and_clear();
    outcome.context(
        "import stopped; what it wrote stays (importing the same dump again skips it and finishes)",
    )
}

fn summary(report: &ImportReport) -> String {
    let tally = &report.tally;
    let header = &report.header;
    let mut line = if report.dry_run {
        format!(
            "dry run: would import {} record(s) of {} thread(s) from a {} dump of {}; nothing written",
            tally.records - tally.problem_count,
            tally.threads,
            header.source,
            header.written_at.format("%Y-%m-%dT%H:%M:%SZ"),
        )
    } else {
        format!(
            "imported {} record(s) of {} thread(s) from a {} dump of {}: {} written, {} already there, {} left out",
            tally.records,
            tally.threads,
            header.source,
            header.written_at.format("%Y-%m-%dT%H:%M:%SZ"),
            tally.written,
            tally.unchanged,
            tally.problem_count
        )
    };
    if report.unselected > 0 {
        line.push_str(&format!(
            "; {} record(s) outside the selection",
            report.unselected
        ));
    }
    if !report.skipped.is_empty() {
        let kinds: Vec<String> = report
            .skipped
            .iter()
            .map(|(kind, n)| format!("{n} {kind:?}"))
            .collect();
        line.push_str(&format!(
            "; skipped record types this threadctl does not know (the dump is format {}, a newer one): {}",
            header.version,
            kinds.join(", ")
        ));
    }
    line
}

fn report_json(report: &ImportReport) -> serde_json::Value {
    let tally = &report.tally;
    json!({
        "dry_run": report.dry_run,
        "complete": report.damage.is_none(),
        "damage": report.damage.as_ref().map(ToString::to_string),
        "format_version": report.header.version.to_string(),
        "source": report.header.source,
        "written_at": threadctl::model::envelope::format_timestamp(&report.header.written_at),
        "threads": tally.threads,
        "records": tally.records,
        "written": tally.written,
        "unchanged": tally.unchanged,
        "unselected": report.unselected,
        "skipped": report.skipped,
        "problem_count": tally.problem_count,
        "problems": tally.problems.iter().map(problem_json).collect::<Vec<_>>(),
    })
}
