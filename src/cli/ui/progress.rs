//! Progress bars for long operations: drawn on stderr only when it is a
//! terminal and `-q` is off, so scripts and logs never see them.

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressStyle};

use crate::cli::Context;

/// A bar counting up to `len` steps of `message`, or a hidden one.
pub fn bar(ctx: &Context, len: u64, message: &str) -> ProgressBar {
    if !shown(ctx) {
        return ProgressBar::hidden();
    }
    let style = ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len} {per_sec} ETA {eta}")
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> ");
    ProgressBar::new(len)
        .with_style(style)
        .with_message(message.to_string())
}

/// A spinner counting `message`'s records when there is no total to count
/// against (a stream), or a hidden one.
pub fn counter(ctx: &Context, message: &str) -> ProgressBar {
    if !shown(ctx) {
        return ProgressBar::hidden();
    }
    let style = ProgressStyle::with_template("{spinner} {msg}: {human_pos} record(s), {per_sec}")
        .unwrap_or_else(|_| ProgressStyle::default_spinner());
    ProgressBar::no_length()
        .with_style(style)
        .with_message(message.to_string())
}

/// Whether progress is displayed: not with `--quiet`, and only on a
/// terminal. A command skips work that only a display needs (counting
/// the records to come) when it is not.
pub fn shown(ctx: &Context) -> bool {
    !ctx.globals.quiet && std::io::stderr().is_terminal()
}
