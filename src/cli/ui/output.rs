//! Rendering results on stdout: human tables, `json` and `jsonl`.
//!
//! Stdout carries only results. Every write goes through a locked handle
//! and returns `io::Result`, so a closed pipe becomes an error that
//! [`crate::cli::exit::finish`] turns into a quiet exit instead of a panic.

use std::io::{self, Write};

use chrono::{DateTime, Utc};
use clap::ValueEnum;
use comfy_table::{presets, ContentArrangement, Table};
use serde_json::Value;
use threadctl::CheckpointId;

use crate::cli::ui::time::{relative_time, table_time};

/// How results are printed, as `-o` names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// Aligned columns for people.
    Table,
    /// Tables with full ids and absolute times, rows never cut.
    Wide,
    /// One pretty-printed JSON document (a list is an array).
    Json,
    /// One compact JSON object per line.
    Jsonl,
}

/// How a command renders its results: `-o wide` is a table whose ids,
/// times and rows [`Output`] keeps whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Aligned columns for people.
    Table,
    /// One pretty-printed JSON document (a list is an array).
    Json,
    /// One compact JSON object per line.
    Jsonl,
}

/// The result writer of one command.
pub struct Output {
    format: Format,
    wide: bool,
    no_headers: bool,
}

impl Output {
    /// A writer for `format`; `no_headers` leaves out the header row of
    /// every table.
    pub fn new(format: OutputFormat, no_headers: bool) -> Self {
        Self {
            format: match format {
                OutputFormat::Table | OutputFormat::Wide => Format::Table,
                OutputFormat::Json => Format::Json,
                OutputFormat::Jsonl => Format::Jsonl,
            },
            wide: format == OutputFormat::Wide,
            no_headers,
        }
    }

    /// The chosen format, `Table` for `-o wide`.
    pub fn format(&self) -> Format {
        self.format
    }

    /// A time for a table cell: an age (`3m ago`), or with `-o wide` the
    /// RFC 3339 time to the second.
    pub fn time_cell(&self, ts: &DateTime<Utc>) -> String {
        if self.wide {
            table_time(ts)
        } else {
            relative_time(ts, Utc::now())
        }
    }

    /// How many characters of a checkpoint id a listing of `ids` shows:
    /// the shortest prefix that tells them all apart (as git shortens
    /// hashes), every id whole with `-o wide`.
    pub fn id_len<'a>(&self, ids: impl IntoIterator<Item = &'a CheckpointId>) -> usize {
        if self.wide {
            ID_TEXT_LEN
        } else {
            unique_prefix_len(ids.into_iter().map(ToString::to_string).collect())
        }
    }

    /// Writes one line of text.
    pub fn line(&self, text: &str) -> io::Result<()> {
        let mut out = io::stdout().lock();
        writeln!(out, "{text}")?;
        out.flush()
    }

    /// Writes `value` compactly on one line, whatever the format.
    pub fn compact(&self, value: &Value) -> io::Result<()> {
        self.line(&value.to_string())
    }

    /// Writes one JSON document: pretty for `json`, one line for `jsonl`
    /// (and for `table`, which callers use only for raw JSON values).
    pub fn document(&self, value: &Value) -> io::Result<()> {
        match self.format {
            Format::Json => self.line(&pretty(value)),
            Format::Jsonl | Format::Table => self.compact(value),
        }
    }

    /// Writes a table, without borders and without trailing blanks, as
    /// wide as the terminal (`COLUMNS`, or the terminal stdout is): cells
    /// that do not fit wrap. Off a terminal and without `COLUMNS`, rows
    /// stay whole.
    pub fn table(&self, table: &Table) -> io::Result<()> {
        self.write_fitted(table, false)
    }

    /// Writes a listing table (one row per item) that fits the terminal
    /// as [`Self::table`] does, but with one line per row: cells that do
    /// not fit are cut with `…`. With `-o wide` rows are never cut.
    pub fn fitted_table(&self, table: &Table) -> io::Result<()> {
        self.write_fitted(table, !self.wide)
    }

    /// Writes `table` fitted to the terminal, without its header row with
    /// `--no-headers`, each row on one line when `one_line`.
    fn write_fitted(&self, table: &Table, one_line: bool) -> io::Result<()> {
        let table = if self.no_headers {
            headerless(table)
        } else {
            table.clone()
        };
        self.write_arranged(table, one_line)
    }

    /// Writes `table` as it is (header row included if it has one) fitted
    /// to the terminal, each row on one line when `one_line`.
    fn write_arranged(&self, mut table: Table, one_line: bool) -> io::Result<()> {
        let columns = std::env::var("COLUMNS")
            .ok()
            .and_then(|c| c.parse::<u16>().ok());
        if let Some(width) = columns {
            table.set_width(width);
        }
        if !self.wide && (columns.is_some() || table.is_tty()) {
            table.set_content_arrangement(ContentArrangement::Dynamic);
            if one_line {
                table.set_truncation_indicator("…");
                for row in table.row_iter_mut() {
                    row.max_height(1);
                }
            }
        }
        let mut out = io::stdout().lock();
        for line in table.to_string().lines() {
            writeln!(out, "{}", line.trim_end())?;
        }
        out.flush()
    }

    /// Starts a listing table printed page by page, as
    /// [`Self::fitted_table`] prints a whole one.
    pub fn paged_table<I, S>(&self, headers: I) -> PagedTable<'_>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        PagedTable {
            output: self,
            headers: headers.into_iter().map(Into::into).collect(),
            widths: None,
        }
    }

    /// Starts a list in the `json` or `jsonl` format.
    pub fn list(&self) -> ListWriter<'_> {
        ListWriter {
            output: self,
            array: Vec::new(),
        }
    }
}

/// A plain column table with upper-case headers (kubectl style).
pub fn new_table<I, S>(headers: I) -> Table
where
    I: IntoIterator<Item = S>,
    S: Into<String>,
{
    let mut table = Table::new();
    table.load_preset(presets::NOTHING);
    table.set_header(headers.into_iter().map(Into::into).collect::<Vec<String>>());
    for column in table.column_iter_mut() {
        column.set_padding((0, 2));
    }
    table
}

/// A copy of `table` (made by [`new_table`]) without its header row.
fn headerless(table: &Table) -> Table {
    let mut copy = Table::new();
    copy.load_preset(presets::NOTHING);
    for row in table.row_iter() {
        copy.add_row(row.cell_iter().map(|c| c.content()).collect::<Vec<_>>());
    }
    for column in copy.column_iter_mut() {
        column.set_padding((0, 2));
    }
    copy
}

/// A listing table printed a page at a time, so that a long listing is
/// never held whole: the header row comes with the first page, and every
/// column keeps the width the first page gave it (a wider cell later
/// widens its own page only). A listing of one page prints exactly as
/// [`Output::fitted_table`] prints it.
pub struct PagedTable<'a> {
    output: &'a Output,
    headers: Vec<String>,
    /// Column widths of the first page, once it is printed.
    widths: Option<Vec<u16>>,
}

impl PagedTable<'_> {
    /// Prints one page of rows.
    pub fn page(&mut self, rows: Vec<Vec<String>>) -> io::Result<()> {
        let mut table = Table::new();
        table.load_preset(presets::NOTHING);
        if self.widths.is_none() && !self.output.no_headers {
            table.set_header(self.headers.clone());
        }
        for row in rows {
            table.add_row(row);
        }
        let own = table.column_max_content_widths();
        let first = self.widths.get_or_insert_with(|| own.clone());
        for (column, (own, first)) in table.column_iter_mut().zip(own.iter().zip(first.iter())) {
            column.set_padding((0, 2 + first.saturating_sub(*own)));
        }
        self.output.write_arranged(table, !self.output.wide)
    }

    /// Ends the table: a listing without rows still prints its header.
    pub fn finish(mut self) -> io::Result<()> {
        if self.widths.is_none() {
            self.page(Vec::new())?;
        }
        Ok(())
    }
}

/// The length of a checkpoint id's text (a hyphenated UUID).
const ID_TEXT_LEN: usize = 36;

/// The fewest characters a shortened id shows: the UUID's first group.
const MIN_ID_LEN: usize = 8;

/// The shortest prefix length (at least [`MIN_ID_LEN`]) at which every
/// id of `ids` differs from the others (ids differ in a hex digit, so
/// the prefix never ends on a hyphen).
fn unique_prefix_len(mut ids: Vec<String>) -> usize {
    ids.sort_unstable();
    ids.dedup();
    ids.windows(2)
        .map(|pair| {
            let common = pair[0]
                .bytes()
                .zip(pair[1].bytes())
                .take_while(|(a, b)| a == b)
                .count();
            common + 1
        })
        .fold(MIN_ID_LEN, usize::max)
        .min(ID_TEXT_LEN)
}

/// `text` for a table cell: control characters shown escaped (`\\n`,
/// `\\u{1b}`) so that an id written by others can neither split a row nor
/// send an escape sequence to the terminal.
pub fn escape(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_control() {
                c.escape_debug().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// Pretty JSON with two-space indentation.
pub fn pretty(value: &Value) -> String {
    serde_json::to_string_pretty(value).unwrap_or_else(|_| value.to_string())
}

/// `value` as compact JSON cut to `max` characters (with `…`), for tables.
pub fn summary(value: &Value, max: usize) -> String {
    let text = value.to_string();
    if text.chars().count() <= max {
        text
    } else {
        let mut cut: String = text.chars().take(max.saturating_sub(1)).collect();
        cut.push('…');
        cut
    }
}

/// Writes list items: one object per line (`jsonl`), streamed with bounded
/// memory, or one JSON array (`json`), printed whole by `finish` so that an
/// error midway never leaves a partial document on stdout.
pub struct ListWriter<'a> {
    output: &'a Output,
    array: Vec<Value>,
}

impl ListWriter<'_> {
    /// Writes (`jsonl`) or collects (`json`) one item.
    pub fn item(&mut self, value: &Value) -> io::Result<()> {
        if self.output.format == Format::Json {
            self.array.push(value.clone());
            return Ok(());
        }
        let mut out = io::stdout().lock();
        writeln!(out, "{value}")?;
        out.flush()
    }

    /// Ends the list: prints the JSON array in the `json` format.
    pub fn finish(self) -> io::Result<()> {
        if self.output.format != Format::Json {
            return Ok(());
        }
        self.output.document(&Value::Array(self.array))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_cut_to_the_shortest_prefix_that_tells_them_apart() {
        let ids = |list: &[&str]| list.iter().map(|s| s.to_string()).collect();
        assert_eq!(
            unique_prefix_len(ids(&["0192f3a1-7b00-7000-8000-000000000001"])),
            MIN_ID_LEN
        );
        assert_eq!(
            unique_prefix_len(ids(&[
                "0192f3a1-7b00-7000-8000-000000000001",
                "0192f3a1-7c00-7000-8000-000000000002",
                "0192f3a1-7c00-7000-8000-000000000002",
            ])),
            "0192f3a1-7b".len()
        );
        assert_eq!(
            unique_prefix_len(ids(&[
                "0192f3a1-7b00-7000-8000-000000000001",
                "0192f3a2-7b00-7000-8000-000000000001",
            ])),
            MIN_ID_LEN
        );
        assert_eq!(
            unique_prefix_len(ids(&[
                "0192f3a1-7b00-7000-8000-000000000001",
                "0192f3a1-7b00-7000-8000-000000000002",
            ])),
            ID_TEXT_LEN
        );
    }
}
