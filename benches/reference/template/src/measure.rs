//! Timing one operation on both sides: unmeasured warm-up calls, then
//! alternating rounds (threadctl first in even rounds, the reference first
//! in odd ones) so that a drift in the shared machine's load hits both.

use std::sync::Arc;
use std::time::{Duration, Instant};

use futures_util::future::try_join_all;

use crate::op::Op;
use crate::subject::Subject;

/// Unmeasured calls per client before the first round (connections
/// opened, statements prepared, scripts loaded).
const WARM_UP: usize = 5;

/// Throughput and latency of one side of one operation.
#[derive(Debug, Clone, Copy)]
pub struct Figures {
    /// Calls per second over the rounds' summed wall time (all clients).
    pub ops_per_sec: f64,
    /// Median latency.
    pub p50: Duration,
    /// 99th-percentile latency.
    pub p99: Duration,
}

/// Both sides of one operation at one client count.
#[derive(Debug, Clone, Copy)]
pub struct Comparison {
    /// The operation.
    pub op: Op,
    /// threadctl's figures.
    pub threadctl: Figures,
    /// The reference's figures.
    pub reference: Figures,
}

impl Comparison {
    /// threadctl's throughput over the reference's: above 1, threadctl is
    /// faster.
    pub fn ratio(&self) -> f64 {
        self.threadctl.ops_per_sec / self.reference.ops_per_sec
    }
}

/// What one side measured so far.
#[derive(Default)]
struct Tally {
    latencies: Vec<Duration>,
    wall: Duration,
    read: usize,
}

impl Tally {
    fn figures(mut self) -> Figures {
        self.latencies.sort_unstable();
        Figures {
            ops_per_sec: self.latencies.len() as f64 / self.wall.as_secs_f64(),
            p50: percentile(&self.latencies, 0.50),
            p99: percentile(&self.latencies, 0.99),
        }
    }
}

/// The nearest-rank percentile `p` (0..=1) of sorted `latencies`.
fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let rank = (p * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

/// How a comparison is run.
#[derive(Debug, Clone, Copy)]
pub struct Plan {
    /// Measured calls per side, over all clients and rounds.
    pub ops: usize,
    /// Concurrent clients (each its own task).
    pub clients: usize,
    /// Alternating rounds the calls are split into.
    pub rounds: usize,
}

/// Measures `op` on both sides as `plan` says; fails when the two did
/// not read the same number of documents per call.
pub async fn compare(
    threadctl: &Arc<dyn Subject>,
    reference: &Arc<dyn Subject>,
    op: Op,
    plan: Plan,
) -> anyhow::Result<Comparison> {
    let sides = [threadctl, reference];
    for side in sides {
        run_calls(side, op, plan.clients, 0, WARM_UP).await?;
    }
    let per_round = (plan.ops / plan.rounds / plan.clients).max(1);
    let mut tallies = [Tally::default(), Tally::default()];
    for round in 0..plan.rounds {
        let first_call = WARM_UP + round * per_round;
        let order = if round % 2 == 0 { [0, 1] } else { [1, 0] };
        for i in order {
            let started = Instant::now();
            let (latencies, read) =
                run_calls(sides[i], op, plan.clients, first_call, per_round).await?;
            tallies[i].wall += started.elapsed();
            tallies[i].latencies.extend(latencies);
            tallies[i].read = read;
        }
    }
    let [mine, theirs] = tallies;
    anyhow::ensure!(
        mine.read == theirs.read,
        "{}: threadctl read {} documents per call where the reference read {}: not the same work",
        op.name(),
        mine.read,
        theirs.read
    );
    Ok(Comparison {
        op,
        threadctl: mine.figures(),
        reference: theirs.figures(),
    })
}

/// `count` calls of `op` by each of `clients` concurrent tasks, numbered
/// from `first_call`; their latencies and the documents the last call read.
async fn run_calls(
    side: &Arc<dyn Subject>,
    op: Op,
    clients: usize,
    first_call: usize,
    count: usize,
) -> anyhow::Result<(Vec<Duration>, usize)> {
    let tasks = (0..clients).map(|client| {
        let side = Arc::clone(side);
        tokio::spawn(async move {
            let mut latencies = Vec::with_capacity(count);
            let mut read = 0;
            for call in first_call..first_call + count {
                let began = Instant::now();
                read = side.call(op, client, call).await?;
                latencies.push(began.elapsed());
            }
            Ok::<_, anyhow::Error>((latencies, read))
        })
    });
    let mut all = Vec::with_capacity(clients * count);
    let mut read = 0;
    for outcome in try_join_all(tasks).await? {
        let (latencies, last_read) = outcome?;
        all.extend(latencies);
        read = last_read;
    }
    Ok((all, read))
}
