//! `import`: a dump (docs/dump-format.md) written into a store, through
//! the transfer layer's writer, the same as `copy` writes: at the target's
//! write version, skipping what the target already holds identical (so
//! importing the same dump twice changes nothing the second time), under
//! the conflict policy.
//!
//! The stream is read line by line in bounded memory. A stream that turns
//! out damaged or truncated stops the import at that line: the complete
//! records before it are written (records of a thread come in order —
//! checkpoints by step, then its log from the watermark — so what lands
//! is a consistent prefix), and the report carries the damage, so the
//! caller fails once it has said what was imported. Importing a complete
//! dump afterwards finishes the job.

use tokio::io::AsyncBufRead;

use crate::error::{Error, Result};
use crate::ops::dump::{DumpCounts, DumpHeader, DumpReader};
use crate::ops::transfer::{
    Record, TargetWriter, TransferSelection, TransferStore, TransferTally, WriteOptions,
};

/// Records handed to the writer at once.
const RECORDS_PER_BATCH: usize = 500;

/// What `import` is asked to do.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// Which of the dump's records to import; `since`/`until` must be
    /// unset (a thread's last write is only known once its records were
    /// read: filter by time when exporting).
    pub selection: TransferSelection,
    /// How to write (conflict policy, lossy downgrade, dry run, batch size).
    pub write: WriteOptions,
    /// The longest line accepted.
    pub max_line_bytes: usize,
}

/// Where a run stands, for a progress display.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImportProgress {
    /// Lines read.
    pub lines: u64,
    /// Bytes of dump read.
    pub bytes: u64,
    /// Records read.
    pub records: u64,
}

/// What a run did.
#[derive(Debug)]
pub struct ImportReport {
    /// The dump's header.
    pub header: DumpHeader,
    /// Record by record: read, written, already there, left out (threads
    /// counts the threads whose checkpoints were imported).
    pub tally: TransferTally,
    /// Records of the dump outside the selection, not imported.
    pub unselected: u64,
    /// Lines of record types this build does not know (a newer minor
    /// version), by type: skipped.
    pub skipped: DumpCounts,
    /// Why the stream stopped before its end line, when it did
    /// ([`Error::Dump`] or [`Error::Io`]); what came before was imported.
    pub damage: Option<Error>,
    /// True for a dry run: nothing was written.
    pub dry_run: bool,
}

/// Reads the dump from `input` and writes its selected records to
/// `target`. A stream that is not a dump (or of a major version this
/// build does not read) is an error before anything is written.
pub async fn run<T: TransferStore, R: AsyncBufRead + Unpin>(
    target: &T,
    input: R,
    options: &ImportOptions,
    mut progress: impl FnMut(&ImportProgress),
) -> Result<ImportReport> {
    if options.selection.filters_by_time() {
        return Err(Error::invalid(
            "selection",
            "import cannot select threads by their last write (--since, --until); select them when exporting",
        ));
    }
    let mut dump = DumpReader::open(input, options.max_line_bytes).await?;
    let mut writer = TargetWriter::new(target, options.write.clone());
    let mut unselected = 0;
    let mut threads = 0;
    let mut last_thread = None;
    let mut batch = Vec::with_capacity(RECORDS_PER_BATCH);
    let mut state = ImportProgress::default();
    let damage = loop {
        let record = match dump.next_record().await {
            Ok(Some(record)) => record,
            Ok(None) => break None,
            Err(e @ (Error::Dump { .. } | Error::Io { .. })) => break Some(e),
            Err(e) => return Err(e),
        };
        state.records += 1;
        if !selected(&options.selection, &record) {
            unselected += 1;
            continue;
        }
        if let Record::Checkpoint(stored) = &record {
            let thread = stored.checkpoint.thread_key();
            if last_thread.as_ref() != Some(&thread) {
                threads += 1;
                last_thread = Some(thread);
            }
        }
        batch.push(Ok(record));
        if batch.len() >= RECORDS_PER_BATCH {
            writer.write(std::mem::take(&mut batch)).await?;
            state.lines = dump.line_number();
            state.bytes = dump.bytes_read();
            progress(&state);
        }
    };
    writer.write(batch).await?;
    let mut tally = writer.finish().await?;
    tally.threads = threads;
    state.lines = dump.line_number();
    state.bytes = dump.bytes_read();
    progress(&state);
    Ok(ImportReport {
        header: dump.header().clone(),
        tally,
        unselected,
        skipped: dump.skipped().clone(),
        damage,
        dry_run: options.write.dry_run,
    })
}

/// True when `record` is within the selection.
fn selected(selection: &TransferSelection, record: &Record) -> bool {
    match record {
        Record::Checkpoint(stored) => selection.threads.matches(&stored.checkpoint.thread_key()),
        Record::Watermark { thread, .. } | Record::Event { thread, .. } => {
            selection.events && selection.threads.matches(thread)
        }
        Record::Item(item) => selection.store && selection.covers_namespace(&item.namespace),
    }
}
