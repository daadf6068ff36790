//! `threadctl bench` through the library: both sides measured in
//! alternating rounds over the same number of calls, and its data removed
//! afterwards.

mod common;

use threadctl::backend::sqlite::SqliteBackend;
use threadctl::backend::ThreadListing;
use threadctl::ops::bench::{self, BenchOp, BenchOptions, BenchProgress, Side};
use threadctl::TenantId;

use common::SqliteFile;

#[tokio::test]
async fn library_and_floor_alternate_in_rounds_of_equal_calls() {
    let file = SqliteFile::new();
    let backend = SqliteBackend::open(&file.path).await.unwrap();
    let options = BenchOptions {
        tenant: TenantId::new("bench-rounds").unwrap(),
        ops: 10,
        clients: 3,
        state_bytes: 16,
        threads: 5,
        only: vec![BenchOp::Put, BenchOp::Append, BenchOp::Threads],
    };
    let mut steps = Vec::new();
    let report = bench::run(&backend, &options, |step| steps.push(step)).await;
    let cleanup = bench::clean_up(&backend, &options).await.unwrap();
    let report = report.unwrap();

    let (lib, floor) = (Side::Library, Side::Floor);
    let measuring = |op| BenchProgress::Measuring(op, lib);
    let mut expected = Vec::new();
    for op in [BenchOp::Put, BenchOp::Append] {
        expected.push(BenchProgress::Preparing(op));
        for side in [lib, floor, floor, lib, lib, floor, floor, lib] {
            expected.push(BenchProgress::Measuring(op, side));
        }
    }
    // A listing is one call per side: one round.
    expected.extend([
        BenchProgress::Preparing(BenchOp::Threads),
        measuring(BenchOp::Threads),
        BenchProgress::Measuring(BenchOp::Threads, floor),
    ]);
    assert_eq!(steps, expected);

    let ops: Vec<_> = report
        .rows
        .iter()
        .map(|r| (r.op, r.library.ops, r.floor.ops))
        .collect();
    assert_eq!(
        ops,
        vec![
            (BenchOp::Put, 10, 10),
            (BenchOp::Append, 10, 10),
            (BenchOp::Threads, 1, 1)
        ]
    );
    assert!(report.rows.iter().all(|r| r.ratio() > 0.0));
    assert!(cleanup.threads > 0);
    assert!(backend
        .list_threads(Some(&options.tenant))
        .await
        .unwrap()
        .is_empty());
}
