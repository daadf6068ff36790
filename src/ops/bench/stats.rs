//! Figures of one measured run: throughput and latency percentiles.

use std::time::Duration;

/// Throughput and latency of one side (library or floor) of one operation.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Figures {
    /// Operations completed.
    pub ops: usize,
    /// Operations per second over the run's wall time (all clients).
    pub ops_per_sec: f64,
    /// Median latency.
    pub p50: Duration,
    /// 99th-percentile latency.
    pub p99: Duration,
    /// 99.9th-percentile latency.
    pub p999: Duration,
}

impl Figures {
    /// The figures of `latencies` (in any order) measured over `wall`.
    pub(super) fn of(mut latencies: Vec<Duration>, wall: Duration) -> Self {
        latencies.sort_unstable();
        let ops = latencies.len();
        let secs = wall.as_secs_f64();
        Self {
            ops,
            ops_per_sec: if secs > 0.0 { ops as f64 / secs } else { 0.0 },
            p50: percentile(&latencies, 0.50),
            p99: percentile(&latencies, 0.99),
            p999: percentile(&latencies, 0.999),
        }
    }
}

/// The nearest-rank percentile `p` (0..=1) of sorted `latencies`.
fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = (p * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_are_nearest_rank() {
        let latencies: Vec<Duration> = (1..=1000).map(Duration::from_micros).collect();
        let figures = Figures::of(latencies, Duration::from_secs(2));
        assert_eq!(figures.ops, 1000);
        assert_eq!(figures.ops_per_sec, 500.0);
        assert_eq!(figures.p50, Duration::from_micros(500));
        assert_eq!(figures.p99, Duration::from_micros(990));
        assert_eq!(figures.p999, Duration::from_micros(999));
        let one = Figures::of(vec![Duration::from_millis(3)], Duration::ZERO);
        assert_eq!(
            (one.p50, one.p999),
            (Duration::from_millis(3), Duration::from_millis(3))
        );
        assert_eq!(one.ops_per_sec, 0.0);
    }
}
