//! `threadctl bench`: measures each operation through the library beside
//! its raw floor on the store the URL names, under a tenant of its own
//! that is deleted afterwards (after Ctrl-C too).

use anyhow::{anyhow, Result};
use clap::Args;
use serde_json::{json, Value};
use threadctl::ops::bench::{
    self, BenchOp, BenchOptions, BenchProgress, BenchReport, CleanupReport, Figures,
};
use threadctl::{CheckpointId, TenantId};

use crate::cli::ui::output::{new_table, Format};
use crate::cli::Context;

/// After the table: how to read the ratio.
const RATIO_NOTE: &str = "ratio = library ops/s ÷ floor ops/s (1.00: as fast as the raw floor; \
                          0.67: 1.5× its time)";

/// Arguments of `bench`.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  threadctl bench --url postgres://localhost/app --ops 5000\n  \
                        threadctl bench --url redis://localhost --clients 16 --only put,latest -o json"
)]
pub struct BenchArgs {
    /// Measured calls per operation and side, over all clients (`threads`:
    /// one listing per 1,000, at least one)
    #[arg(long, value_name = "N", default_value_t = 1000)]
    pub ops: usize,
    /// Concurrent clients
    #[arg(long, value_name = "C", default_value_t = 1)]
    pub clients: usize,
    /// Size of each checkpoint's state and store value, in bytes
    #[arg(long, value_name = "B", default_value_t = 256)]
    pub state_bytes: usize,
    /// Threads in the listing that `threads` reads
    #[arg(long, value_name = "N", default_value_t = 10_000)]
    pub threads: usize,
    /// Only these operations (comma-separated): put, latest, show, history,
    /// fork, store-put, store-get, append, load, lock, threads
    #[arg(long, value_name = "OPS", value_delimiter = ',', value_parser = parse_op)]
    pub only: Vec<BenchOp>,
}

fn parse_op(name: &str) -> Result<BenchOp, String> {
    BenchOp::from_name(name).ok_or_else(|| {
        let names: Vec<&str> = BenchOp::ALL.iter().map(|op| op.name()).collect();
        format!("unknown operation {name:?}; one of: {}", names.join(", "))
    })
}

/// Runs the bench, cleans up (also after a failure or Ctrl-C) and prints
/// the figures.
pub async fn run(ctx: &Context, args: BenchArgs) -> Result<()> {
    let backend = ctx.backend().await?;
    let options = BenchOptions {
        tenant: bench_tenant()?,
        ops: args.ops,
        clients: args.clients,
        state_bytes: args.state_bytes,
        threads: args.threads,
        only: args.only,
    };
    ctx.note(&format!(
        "bench on {} under tenant {}: {} calls per operation and side, {} client(s)",
        backend.kind().name(),
        options.tenant,
        options.ops,
        options.clients
    ));
    let progress = |step: BenchProgress| match step {
        BenchProgress::Preparing(op) => ctx.note(&format!("{}: preparing", op.name())),
        BenchProgress::Measuring(op, side) => {
            ctx.note(&format!("{}: measuring {}", op.name(), side.name()))
        }
    };
    let outcome = tokio::select! {
        outcome = bench::run(&backend, &options, progress) => outcome.map_err(anyhow::Error::from),
        _ = tokio::signal::ctrl_c() => Err(anyhow!("interrupted")),
    };
    let cleanup = bench::clean_up(&backend, &options).await;
    let report = match (outcome, cleanup) {
        (Ok(report), Ok(cleanup)) => (report, cleanup),
        (Err(e), Ok(cleanup)) => {
            return Err(e.context(format!(
                "bench stopped; its data is deleted ({} threads, {} store items)",
                cleanup.threads, cleanup.items
            )))
        }
        (outcome, Err(e)) => {
            if let Err(failed) = outcome {
                ctx.note(&format!("bench failed: {failed:#}"));
            }
            return Err(anyhow::Error::from(e).context(format!(
                "deleting the bench's data of tenant {} (delete it with `threadctl rm` per \
                 thread, or run the bench again to retry with a new tenant)",
                options.tenant
            )));
        }
    };
    print(ctx, &options, &report.0, report.1, backend.kind().name())
}

/// A tenant no one else uses: `threadctl-bench-` and a fresh id's tail.
fn bench_tenant() -> Result<TenantId> {
    let id = CheckpointId::new_v7().to_string();
    let tail = &id[id.len() - 12..];
    Ok(TenantId::new(format!("threadctl-bench-{tail}"))?)
}

fn micros(d: std::time::Duration) -> f64 {
    d.as_secs_f64() * 1e6
}

fn figures_json(f: &Figures) -> Value {
    json!({
        "ops": f.ops,
        "ops_per_sec": f.ops_per_sec,
        "p50_us": micros(f.p50),
        "p99_us": micros(f.p99),
        "p999_us": micros(f.p999),
    })
}

/// A latency for the table: µs below 10 ms, else ms.
fn latency(d: std::time::Duration) -> String {
    let us = micros(d);
    if us < 10_000.0 {
        format!("{us:.0}µs")
    } else {
        format!("{:.1}ms", us / 1000.0)
    }
}

fn print(
    ctx: &Context,
    options: &BenchOptions,
    report: &BenchReport,
    cleanup: CleanupReport,
    backend: &str,
) -> Result<()> {
    match ctx.out.format() {
        Format::Table => {
            let mut table = new_table([
                "OPERATION",
                "LIB OPS/S",
                "P50",
                "P99",
                "P99.9",
                "FLOOR OPS/S",
                "P50",
                "P99",
                "P99.9",
                "RATIO",
            ]);
            for row in &report.rows {
                table.add_row(vec![
                    row.op.name().to_string(),
                    format!("{:.0}", row.library.ops_per_sec),
                    latency(row.library.p50),
                    latency(row.library.p99),
                    latency(row.library.p999),
                    format!("{:.0}", row.floor.ops_per_sec),
                    latency(row.floor.p50),
                    latency(row.floor.p99),
                    latency(row.floor.p999),
                    format!("{:.2}", row.ratio()),
                ]);
            }
            ctx.out.table(&table)?;
            ctx.note(RATIO_NOTE);
            ctx.note(&format!(
                "cleaned up: {} threads, {} store items",
                cleanup.threads, cleanup.items
            ));
        }
        Format::Json | Format::Jsonl => {
            let operations: Vec<Value> = report
                .rows
                .iter()
                .map(|row| {
                    json!({
                        "operation": row.op.name(),
                        "does": row.op.describe(options),
                        "library": figures_json(&row.library),
                        "floor": figures_json(&row.floor),
                        "ratio": row.ratio(),
                    })
                })
                .collect();
            let document = json!({
                "backend": backend,
                "tenant": options.tenant.as_str(),
                "ops": options.ops,
                "clients": options.clients,
                "state_bytes": options.state_bytes,
                "threads": options.threads,
                "operations": operations,
                "cleanup": {"threads": cleanup.threads, "items": cleanup.items},
            });
            if ctx.out.format() == Format::Json {
                ctx.out.document(&document)?;
            } else {
                ctx.out.compact(&document)?;
            }
        }
    }
    Ok(())
}
