//! `export`: a selection of a store — whole threads (checkpoints, archive
//! watermark, session events with their ordinals) and the selected
//! tenants' store items — written as a dump (docs/dump-format.md). The
//! source is read by the transfer layer's readers, the same as `copy`
//! reads it; only the destination differs.

use serde_json::{json, Map, Value};
use tokio::io::AsyncWrite;

use crate::error::Result;
use crate::model::envelope::format_timestamp;
use crate::model::{now_micros, BackendKind};
use crate::ops::dump::{DumpCounts, DumpHeader, DumpVersion, DumpWriter};
use crate::ops::threads_walk::ThreadWalk;
use crate::ops::transfer::{
    AmbiguityPolicy, ItemReader, LogWalk, ProblemKind, Read, ThreadReader, TransferSelection,
    TransferStore, TransferTally,
};

/// What `export` is asked to do.
#[derive(Debug, Clone)]
pub struct ExportOptions {
    /// What to export.
    pub selection: TransferSelection,
    /// The kind of the source, recorded in the header.
    pub source: BackendKind,
    /// Records read per round trip.
    pub page_size: usize,
    /// What to do with records whose Redis key reads in more than one way.
    pub ambiguous: AmbiguityPolicy,
}

/// Where a run stands, for a progress display.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ExportProgress {
    /// Threads written whole.
    pub threads: u64,
    /// Records read.
    pub records: u64,
    /// Bytes of dump written.
    pub bytes: u64,
}

/// What a run wrote.
#[derive(Debug, Clone, Default)]
pub struct ExportReport {
    /// Threads, records read, payload bytes, unreadable source records
    /// (left out of the dump and listed), ambiguous Redis keys.
    pub tally: TransferTally,
    /// Records written, by type (the end line's counts).
    pub counts: DumpCounts,
    /// Bytes of dump written.
    pub bytes: u64,
}

/// Writes the selection of `source` to `output` as one complete dump
/// (header, records, end line); `what` names the output in errors. A
/// source record that cannot be read is left out and reported; the rest
/// is exported.
pub async fn run<S: TransferStore, W: AsyncWrite + Unpin>(
    source: &S,
    output: W,
    what: &str,
    options: &ExportOptions,
    mut progress: impl FnMut(&ExportProgress),
) -> Result<ExportReport> {
    let header = DumpHeader {
        version: DumpVersion::CURRENT,
        source: options.source.name().to_string(),
        written_at: now_micros(),
        writer: concat!("threadctl ", env!("CARGO_PKG_VERSION")).to_string(),
        selection: describe(&options.selection),
    };
    let mut dump = DumpWriter::start(output, what, &header).await?;
    let mut tally = TransferTally::default();
    let mut state = ExportProgress::default();
    let selection = &options.selection;
    let mut logs = LogWalk::new(source, selection, options.ambiguous);
    while let Some(readings) = logs.next_page().await? {
        for reading in readings {
            let mut reader = ThreadReader::log_only(source, reading.thread, options.page_size);
            while let Some(batch) = reader.next_batch().await? {
                write_batch(&mut dump, &mut tally, &mut state, batch).await?;
                progress(&state);
            }
        }
    }
    tally.absorb(std::mem::take(&mut logs.tally));
    let mut walk = ThreadWalk::new(source, &selection.threads);
    while let Some(fresh) = walk.next_page().await? {
        for thread in fresh {
            if selection.filters_by_time() {
                let latest = source.latest_checkpoint(&thread).await?;
                if !selection.covers_last_write(latest.map(|l| l.checkpoint.timestamp)) {
                    continue;
                }
            }
            let mut reader = ThreadReader::new(source, thread, options.page_size, selection.events);
            while let Some(batch) = reader.next_batch().await? {
                write_batch(&mut dump, &mut tally, &mut state, batch).await?;
                progress(&state);
            }
            tally.absorb(std::mem::take(&mut reader.tally));
            tally.threads += 1;
            state.threads += 1;
            progress(&state);
        }
    }
    if selection.store {
        for tenant in selection.tenants(source).await? {
            let prefix = selection.namespace_of(&tenant);
            let mut reader = ItemReader::new(source, prefix, options.page_size, options.ambiguous);
            while let Some(batch) = reader.next_batch().await? {
                write_batch(&mut dump, &mut tally, &mut state, batch).await?;
                progress(&state);
            }
            tally.absorb(std::mem::take(&mut reader.tally));
        }
    }
    let bytes = dump.bytes();
    let counts = dump.finish().await?;
    Ok(ExportReport {
        tally,
        counts,
        bytes,
    })
}

async fn write_batch<W: AsyncWrite + Unpin>(
    dump: &mut DumpWriter<W>,
    tally: &mut TransferTally,
    state: &mut ExportProgress,
    batch: Vec<Read>,
) -> Result<()> {
    for read in batch {
        tally.records += 1;
        state.records += 1;
        match read {
            Ok(record) => {
                tally.bytes += record.bytes();
                dump.record(&record).await?;
                tally.written += 1;
            }
            Err(bad) => tally.problem(bad.what, ProblemKind::Unreadable, bad.error.to_string()),
        }
    }
    state.bytes = dump.bytes();
    Ok(())
}

/// The selection as the header records it (informational).
fn describe(selection: &TransferSelection) -> Map<String, Value> {
    let glob = |g: &Option<crate::model::NameGlob>| json!(g.as_ref().map(|g| g.as_str()));
    let time = |t: &Option<chrono::DateTime<chrono::Utc>>| json!(t.as_ref().map(format_timestamp));
    Map::from_iter([
        ("tenants".to_string(), glob(&selection.threads.tenants)),
        ("thread".to_string(), glob(&selection.threads.threads)),
        ("namespace".to_string(), json!(selection.namespace)),
        ("since".to_string(), time(&selection.since)),
        ("until".to_string(), time(&selection.until)),
        ("events".to_string(), json!(selection.events)),
        ("store".to_string(), json!(selection.store)),
    ])
}
