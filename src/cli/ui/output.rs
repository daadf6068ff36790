//! Rendering results on stdout: human tables, `json` and `jsonl`.
//!
//! Stdout carries only results. Every write goes through a locked handle
//! and returns `io::Result`, so a closed pipe becomes an error that
//! [`crate::cli::exit::finish`] turns into a quiet exit instead of a panic.

use std::io::{self, Write};

use clap::ValueEnum;
use comfy_table::{presets, ContentArrangement, Table};
use serde_json::Value;

/// How results are printed (`-o`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
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
}

impl Output {
    /// A writer for `format`.
    pub fn new(format: Format) -> Self {
        Self { format }
    }

    /// The chosen format.
    pub fn format(&self) -> Format {
        self.format
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

    /// Writes a table, without borders and without trailing blanks.
    pub fn table(&self, table: &Table) -> io::Result<()> {
        let mut out = io::stdout().lock();
        for line in table.to_string().lines() {
            writeln!(out, "{}", line.trim_end())?;
        }
        out.flush()
    }

    /// Writes a listing table (one row per item) that fits the terminal:
    /// as wide as `COLUMNS` says, or as the terminal stdout is; cells
    /// that do not fit are cut with `…`, one line per row. Off a terminal
    /// and without `COLUMNS`, rows stay whole.
    pub fn fitted_table(&self, table: &Table) -> io::Result<()> {
        let mut table = table.clone();
        let columns = std::env::var("COLUMNS")
            .ok()
            .and_then(|c| c.parse::<u16>().ok());
        if let Some(width) = columns {
            table.set_width(width);
        }
        if columns.is_some() || table.is_tty() {
            table
                .set_content_arrangement(ContentArrangement::Dynamic)
                .set_truncation_indicator("…");
            for row in table.row_iter_mut() {
                row.max_height(1);
            }
        }
        self.table(&table)
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
