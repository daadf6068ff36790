//! The report: one Markdown table per server and client count.

use std::time::Duration;

use crate::measure::{Comparison, Figures};

/// Prints the heading and table of one server at one client count.
pub fn print_table(server: &str, clients: usize, rows: &[Comparison]) {
    println!("\n{server}, {clients} client(s):\n");
    println!(
        "| operation | threadctl ops/s | p50 / p99 µs | reference ops/s | p50 / p99 µs | threadctl / reference |"
    );
    println!("|---|---|---|---|---|---|");
    for row in rows {
        println!(
            "| {} | {} | {} | {} | {} | {:.2} |",
            row.op.name(),
            rate(&row.threadctl),
            latency(&row.threadctl),
            rate(&row.reference),
            latency(&row.reference),
            row.ratio()
        );
    }
}

fn rate(figures: &Figures) -> String {
    grouped(figures.ops_per_sec.round() as u128)
}

fn latency(figures: &Figures) -> String {
    format!("{} / {}", micros(figures.p50), micros(figures.p99))
}

fn micros(d: Duration) -> String {
    grouped(d.as_micros())
}

/// `n` with thousands separated by commas, as BENCHMARKS.md writes them.
fn grouped(n: u128) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}
