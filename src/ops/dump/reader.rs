//! Reading a dump from an untrusted stream: lines of bounded length (a
//! line longer than the limit is an error naming it, never an unbounded
//! allocation), the header checked first, the end line's counts checked
//! last, so that a foreign, damaged or truncated stream is refused with
//! the line number and what to do.

use std::collections::BTreeMap;

use tokio::io::{AsyncBufRead, AsyncBufReadExt};

use crate::error::{Error, Result};
use crate::ops::dump::format::{decode_line, DumpCounts, DumpHeader, DumpLine};
use crate::ops::transfer::Record;

/// The longest line a reader accepts unless told otherwise: 64 MiB, far
/// above any state a service keeps in one checkpoint, small enough that a
/// hostile stream cannot exhaust memory.
pub const DEFAULT_MAX_LINE_BYTES: usize = 64 << 20;

/// Reads a dump record by record, checking its framing.
#[derive(Debug)]
pub struct DumpReader<R> {
    lines: LineReader<R>,
    header: DumpHeader,
    counts: DumpCounts,
    unknown: DumpCounts,
    finished: bool,
}

impl<R: AsyncBufRead + Unpin> DumpReader<R> {
    /// Reads and checks the header: an empty stream, a first line that is
    /// not a threadctl dump header, or another major version is an
    /// [`Error::Dump`] for line 1.
    pub async fn open(input: R, max_line_bytes: usize) -> Result<Self> {
        let mut lines = LineReader {
            input,
            max_line_bytes,
            line: Vec::new(),
            number: 0,
            bytes: 0,
        };
        if !lines.read().await? {
            return Err(lines.problem(
                "the input is empty, not a threadctl dump (make one with `threadctl export`)",
            ));
        }
        let header = match decode_line(&lines.line) {
            Ok(DumpLine::Header(header)) => header,
            Ok(_) => {
                return Err(lines.problem(
                    "not a threadctl dump: its first line is not the dump's header (a line of \"type\" \"header\")",
                ))
            }
            Err(e) => return Err(lines.problem(format!("not a threadctl dump header: {e}"))),
        };
        Ok(Self {
            lines,
            header,
            counts: BTreeMap::new(),
            unknown: BTreeMap::new(),
            finished: false,
        })
    }

    /// The dump's header.
    pub fn header(&self) -> &DumpHeader {
        &self.header
    }

    /// The number of the last line read (1 is the header).
    pub fn line_number(&self) -> u64 {
        self.lines.number
    }

    /// Bytes of the stream consumed so far.
    pub fn bytes_read(&self) -> u64 {
        self.lines.bytes
    }

    /// Lines of record types this build does not know (from a newer minor
    /// version), by type: skipped, not imported.
    pub fn skipped(&self) -> &DumpCounts {
        &self.unknown
    }

    /// The next record, or `None` after the end line once its counts
    /// matched and nothing followed it. A stream that ends without its end
    /// line (a truncated dump) is an [`Error::Dump`] naming where it
    /// stopped, as is any line that does not decode.
    pub async fn next_record(&mut self) -> Result<Option<Record>> {
        if self.finished {
            return Ok(None);
        }
        loop {
            if !self.lines.read().await? {
                return Err(self.lines.problem(
                    "the dump ends without its end line: it was truncated (an export that did not finish, or a partial copy)",
                ));
            }
            if self.lines.line.is_empty() {
                continue;
            }
            let line = decode_line(&self.lines.line).map_err(|e| {
                self.lines
                    .problem(format!("{e}; fix or remove the line, or export again"))
            })?;
            match line {
                DumpLine::Record(record) => {
                    *self.counts.entry(record.kind().name().to_string()).or_default() += 1;
                    return Ok(Some(record));
                }
                DumpLine::Unknown(kind) => {
                    *self.counts.entry(kind.clone()).or_default() += 1;
                    *self.unknown.entry(kind).or_default() += 1;
                }
                DumpLine::Header(_) => {
                    return Err(self.lines.problem(
                        "a second header: two dumps were joined into one stream; import them one at a time",
                    ))
                }
                DumpLine::End(stated) => {
                    self.check_counts(&stated)?;
                    self.check_nothing_follows().await?;
                    self.finished = true;
                    return Ok(None);
                }
            }
        }
    }

    fn check_counts(&self, stated: &DumpCounts) -> Result<()> {
        let stated: DumpCounts = stated
            .iter()
            .filter(|(_, n)| **n > 0)
            .map(|(k, n)| (k.clone(), *n))
            .collect();
        if stated != self.counts {
            return Err(self.lines.problem(format!(
                "the end line counts {} but the dump holds {}: records were lost or added; export again",
                describe(&stated),
                describe(&self.counts)
            )));
        }
        Ok(())
    }

    async fn check_nothing_follows(&mut self) -> Result<()> {
        while self.lines.read().await? {
            if !self.lines.line.is_empty() {
                return Err(self.lines.problem(
                    "content after the end line: two dumps were joined into one stream, or the file was appended to",
                ));
            }
        }
        Ok(())
    }
}

/// Lines of an input, each at most `max_line_bytes` long.
#[derive(Debug)]
struct LineReader<R> {
    input: R,
    max_line_bytes: usize,
    /// The current line's bytes, without `\n` or `\r\n` (reused).
    line: Vec<u8>,
    /// 1-based number of the current line.
    number: u64,
    /// Bytes consumed so far.
    bytes: u64,
}

impl<R: AsyncBufRead + Unpin> LineReader<R> {
    /// Reads the next line into `self.line`; false at the end of the
    /// input. Never holds more than `max_line_bytes` of one line.
    async fn read(&mut self) -> Result<bool> {
        self.line.clear();
        let mut any = false;
        loop {
            let available = match self.input.fill_buf().await {
                Ok(bytes) => bytes,
                Err(source) => {
                    return Err(Error::Io {
                        what: format!("reading line {} of the dump", self.number + 1),
                        source,
                    })
                }
            };
            if available.is_empty() {
                break;
            }
            any = true;
            let (take, done) = match available.iter().position(|&b| b == b'\n') {
                Some(end) => (end, true),
                None => (available.len(), false),
            };
            if self.line.len() + take > self.max_line_bytes {
                self.number += 1;
                self.line.clear();
                return Err(self.problem(format!(
                    "the line is longer than {} bytes, the limit for one line; raise it with --max-line-bytes if the dump is genuine",
                    self.max_line_bytes
                )));
            }
            self.line.extend_from_slice(&available[..take]);
            self.input.consume(take + usize::from(done));
            self.bytes += (take + usize::from(done)) as u64;
            if done {
                break;
            }
        }
        if !any {
            return Ok(false);
        }
        self.number += 1;
        if self.line.last() == Some(&b'\r') {
            self.line.pop();
        }
        Ok(true)
    }

    /// An [`Error::Dump`] for the current line.
    fn problem(&self, reason: impl Into<String>) -> Error {
        Error::Dump {
            line: self.number.max(1),
            reason: reason.into(),
        }
    }
}

fn describe(counts: &DumpCounts) -> String {
    if counts.is_empty() {
        return "no records".to_string();
    }
    counts
        .iter()
        .map(|(kind, n)| format!("{n} {kind}"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = r#"{"type":"header","format":"threadctl-dump","version":"1.0","source":"sqlite","written_at":"2026-12-02T18:00:00Z","writer":"threadctl test","selection":{}}"#;
    const EVENT: &str =
        r#"{"type":"event","tenant_id":"t","thread_id":"x","ordinal":1,"event":{"k":"v"}}"#;
    const END_ONE_EVENT: &str = r#"{"type":"end","counts":{"event":1}}"#;

    async fn read_all(input: &[u8], max: usize) -> Result<(Vec<Record>, DumpCounts)> {
        let mut reader = DumpReader::open(input, max).await?;
        let mut records = Vec::new();
        while let Some(record) = reader.next_record().await? {
            records.push(record);
        }
        Ok((records, reader.skipped().clone()))
    }

    fn dump_error(result: Result<(Vec<Record>, DumpCounts)>) -> (u64, String) {
        match result {
            Err(Error::Dump { line, reason }) => (line, reason),
            other => panic!("expected a dump error, got {other:?}"),
        }
    }

    #[tokio::test]
    async fn a_complete_dump_reads_with_crlf_and_blank_lines() {
        let text = format!("{HEADER}\r\n{EVENT}\r\n\n{END_ONE_EVENT}\r\n\n");
        let (records, skipped) = read_all(text.as_bytes(), 1 << 20).await.unwrap();
        assert_eq!(records.len(), 1);
        assert!(skipped.is_empty());
        let no_final_newline = format!("{HEADER}\n{EVENT}\n{END_ONE_EVENT}");
        assert_eq!(
            read_all(no_final_newline.as_bytes(), 1 << 20)
                .await
                .unwrap()
                .0
                .len(),
            1
        );
    }

    #[tokio::test]
    async fn truncated_dumps_are_refused_after_the_complete_records() {
        let text = format!("{HEADER}\n{EVENT}\n");
        let mut reader = DumpReader::open(text.as_bytes(), 1 << 20).await.unwrap();
        assert!(reader.next_record().await.unwrap().is_some());
        match reader.next_record().await {
            Err(Error::Dump { line, reason }) => {
                assert_eq!(line, 2);
                assert!(reason.contains("truncated"), "{reason}");
            }
            other => panic!("{other:?}"),
        }
        let cut_mid_line = format!("{HEADER}\n{}", &EVENT[..30]);
        let (line, reason) = dump_error(read_all(cut_mid_line.as_bytes(), 1 << 20).await);
        assert_eq!(line, 2);
        assert!(reason.contains("not a dump line"), "{reason}");
    }

    #[tokio::test]
    async fn wrong_counts_and_content_after_the_end_are_refused() {
        let text = format!("{HEADER}\n{EVENT}\n{EVENT}\n{END_ONE_EVENT}\n");
        let (line, reason) = dump_error(read_all(text.as_bytes(), 1 << 20).await);
        assert_eq!(line, 4);
        assert!(reason.contains("2 event"), "{reason}");
        let text = format!("{HEADER}\n{EVENT}\n{END_ONE_EVENT}\n{HEADER}\n");
        let (line, reason) = dump_error(read_all(text.as_bytes(), 1 << 20).await);
        assert_eq!(line, 4);
        assert!(reason.contains("after the end line"), "{reason}");
    }

    #[tokio::test]
    async fn foreign_and_empty_inputs_are_refused_at_line_one() {
        for input in [
            "",
            "\n",
            "hello\n",
            "{\"type\":\"end\",\"counts\":{}}\n",
            "{\"type\":\"header\",\"format\":\"threadctl-dump\",\"version\":\"9.0\"}\n",
        ] {
            let (line, reason) = dump_error(read_all(input.as_bytes(), 1 << 20).await);
            assert_eq!(line, 1, "{input:?}");
            assert!(
                reason.contains("threadctl dump") || reason.contains("version 9.0"),
                "{input:?}: {reason}"
            );
        }
    }

    #[tokio::test]
    async fn overlong_lines_are_refused_by_number_without_reading_them_whole() {
        let text = format!("{HEADER}\n{}\n{END_ONE_EVENT}\n", " ".repeat(10_000));
        let (line, reason) = dump_error(read_all(text.as_bytes(), 1_000).await);
        assert_eq!(line, 2);
        assert!(reason.contains("--max-line-bytes"), "{reason}");
        let (line, _) = dump_error(read_all(HEADER.as_bytes(), 10).await);
        assert_eq!(line, 1);
    }

    #[tokio::test]
    async fn unknown_record_types_are_skipped_and_counted() {
        let text = format!(
            "{HEADER}\n{{\"type\":\"lease\",\"x\":1}}\n{EVENT}\n{{\"type\":\"end\",\"counts\":{{\"event\":1,\"lease\":1,\"item\":0}}}}\n"
        );
        let (records, skipped) = read_all(text.as_bytes(), 1 << 20).await.unwrap();
        assert_eq!(records.len(), 1);
        assert_eq!(skipped, DumpCounts::from([("lease".to_string(), 1)]));
    }

    #[tokio::test]
    async fn a_second_header_is_refused() {
        let text = format!("{HEADER}\n{HEADER}\n");
        let (line, reason) = dump_error(read_all(text.as_bytes(), 1 << 20).await);
        assert_eq!(line, 2);
        assert!(reason.contains("second header"), "{reason}");
    }
}
