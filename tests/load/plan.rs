//! How big a load run is: threads, writers of each kind, duration.

use std::time::Duration;

/// The shape of one load run.
#[derive(Debug, Clone)]
pub struct Plan {
    /// Threads written to (`t-0000` …), each seeded with a root checkpoint.
    pub threads: usize,
    /// Writers that are tokio tasks calling the library.
    pub task_writers: usize,
    /// Writers that run the real binary, one process per operation.
    pub process_writers: usize,
    /// The first threads, whose session locks `lock run` takes (so that
    /// writers contend for them).
    pub lock_threads: usize,
    /// How long the writers keep writing.
    pub duration: Duration,
}

impl Plan {
    /// The default-suite variant: the same mix and checks, a few seconds.
    pub fn short() -> Self {
        Self {
            threads: 40,
            task_writers: 4,
            process_writers: 4,
            lock_threads: 2,
            duration: Duration::from_secs(5),
        }
    }

    /// Issue 14's load: 16 writers over 1,000 threads for
    /// `THREADCTL_LOAD_SECS` seconds (default 120).
    pub fn sustained() -> Self {
        let secs = std::env::var("THREADCTL_LOAD_SECS")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(120);
        Self {
            threads: 1_000,
            task_writers: 8,
            process_writers: 8,
            lock_threads: 4,
            duration: Duration::from_secs(secs),
        }
    }
}
