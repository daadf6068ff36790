//! threadctl against the reference crate (entelix-persistence 0.5.4), the
//! same operations on the same data in one process, each side on a store
//! of its own set up the same way (Postgres: a fresh schema each, the
//! tests' `PgSchema`; Redis: a leased logical database each, the tests'
//! `RedisDb`). Run through benches/reference/run.sh; BENCHMARKS.md,
//! "Reference comparison", has the figures.

#[path = "../../threadctl/tests/common/mod.rs"]
mod common;
mod fixture;
mod measure;
mod op;
mod reference_side;
mod report;
mod subject;
mod threadctl_side;

use std::sync::Arc;

use clap::Parser;

use common::{PgSchema, RedisDb};
use measure::Plan;
use op::Op;
use reference_side::Reference;
use subject::Subject;
use threadctl_side::Threadctl;

/// Compares threadctl with entelix-persistence 0.5.4 on Postgres and Redis
/// (servers: THREADCTL_TEST_PG, THREADCTL_TEST_REDIS, as in the tests).
#[derive(Parser)]
struct Args {
    /// Servers to measure: postgres, redis.
    #[arg(long, value_delimiter = ',', default_value = "postgres,redis")]
    servers: Vec<String>,
    /// Client counts to measure, each a separate table.
    #[arg(long, value_delimiter = ',', default_value = "1,16")]
    clients: Vec<usize>,
    /// Measured calls per operation and side (over all clients and rounds).
    #[arg(long, default_value_t = 1200)]
    ops: usize,
    /// Alternating rounds the calls are split into.
    #[arg(long, default_value_t = 4)]
    rounds: usize,
    /// Bytes of text in each checkpoint state and store value.
    #[arg(long, default_value_t = 256)]
    state_bytes: usize,
    /// Operations to measure (all when not given).
    #[arg(long, value_delimiter = ',')]
    only: Vec<String>,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let ops = selected(&args.only)?;
    anyhow::ensure!(
        args.ops > 0 && args.rounds > 0 && args.clients.iter().all(|&c| c > 0),
        "--ops, --rounds and every --clients count must be at least 1"
    );
    for server in &args.servers {
        match server.as_str() {
            "postgres" => {
                let (mine, theirs) = (PgSchema::new(), PgSchema::new());
                let threadctl = Threadctl::open(&mine.url, args.state_bytes).await?;
                let reference = Reference::postgres(&theirs.url, args.state_bytes).await?;
                compare_all(server, threadctl, reference, &ops, &args).await?;
            }
            "redis" => {
                let (mine, theirs) = (RedisDb::new(), RedisDb::new());
                let threadctl = Threadctl::open(&mine.url, args.state_bytes).await?;
                let reference = Reference::redis(&theirs.url, args.state_bytes).await?;
                compare_all(server, threadctl, reference, &ops, &args).await?;
            }
            other => anyhow::bail!("unknown server {other:?}: use postgres or redis"),
        }
    }
    Ok(())
}

/// The operations `--only` names, or all of them.
fn selected(only: &[String]) -> anyhow::Result<Vec<Op>> {
    if only.is_empty() {
        return Ok(Op::ALL.to_vec());
    }
    only.iter()
        .map(|name| {
            Op::from_name(name).ok_or_else(|| {
                let known: Vec<&str> = Op::ALL.iter().map(|op| op.name()).collect();
                anyhow::anyhow!(
                    "unknown operation {name:?}: use one of {}",
                    known.join(", ")
                )
            })
        })
        .collect()
}

/// Prepares both sides' data, then measures every operation at every
/// client count and prints the tables.
async fn compare_all(
    server: &str,
    mut threadctl: Threadctl,
    mut reference: Reference,
    ops: &[Op],
    args: &Args,
) -> anyhow::Result<()> {
    let most = args.clients.iter().copied().max().unwrap_or(1);
    threadctl.prepare(most).await?;
    reference.prepare(most).await?;
    let threadctl: Arc<dyn Subject> = Arc::new(threadctl);
    let reference: Arc<dyn Subject> = Arc::new(reference);
    for &clients in &args.clients {
        let plan = Plan {
            ops: args.ops,
            clients,
            rounds: args.rounds,
        };
        let mut rows = Vec::with_capacity(ops.len());
        for &op in ops {
            eprintln!("{server}, {clients} client(s): {}", op.name());
            rows.push(measure::compare(&threadctl, &reference, op, plan).await?);
        }
        report::print_table(server, clients, &rows);
    }
    Ok(())
}
