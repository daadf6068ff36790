//! Writing a dump: the header, one line per record, and the end line with
//! the counts that let a reader detect a truncated stream.

use tokio::io::{AsyncWrite, AsyncWriteExt};

use crate::error::{Error, Result};
use crate::ops::dump::format::{encode_line, encode_record, DumpCounts, DumpHeader, DumpLine};
use crate::ops::transfer::Record;

/// Writes one dump to a byte stream (buffer it: each line is one write).
#[derive(Debug)]
pub struct DumpWriter<W> {
    output: W,
    /// Names the output in errors ("standard output", a path).
    what: String,
    counts: DumpCounts,
    bytes: u64,
}

impl<W: AsyncWrite + Unpin> DumpWriter<W> {
    /// Writes the header; `what` names the output in errors.
    pub async fn start(output: W, what: impl Into<String>, header: &DumpHeader) -> Result<Self> {
        let mut writer = Self {
            output,
            what: what.into(),
            counts: DumpCounts::new(),
            bytes: 0,
        };
        writer
            .write(encode_line(&DumpLine::Header(header.clone())))
            .await?;
        Ok(writer)
    }

    /// Writes one record.
    pub async fn record(&mut self, record: &Record) -> Result<()> {
        *self
            .counts
            .entry(record.kind().name().to_string())
            .or_default() += 1;
        self.write(encode_record(record)).await
    }

    /// Bytes written so far.
    pub fn bytes(&self) -> u64 {
        self.bytes
    }

    /// Writes the end line and flushes; returns the records written by type.
    pub async fn finish(mut self) -> Result<DumpCounts> {
        let counts = self.counts.clone();
        self.write(encode_line(&DumpLine::End(counts.clone())))
            .await?;
        self.output.flush().await.map_err(|source| Error::Io {
            what: format!("writing the dump to {}", self.what),
            source,
        })?;
        Ok(counts)
    }

    async fn write(&mut self, mut bytes: Vec<u8>) -> Result<()> {
        bytes.push(b'\n');
        self.output
            .write_all(&bytes)
            .await
            .map_err(|source| Error::Io {
                what: format!("writing the dump to {}", self.what),
                source,
            })?;
        self.bytes += bytes.len() as u64;
        Ok(())
    }
}
