//! `threadctl put THREAD --state …`: write a new checkpoint.

use std::time::Duration;

use anyhow::Result;
use clap::Args;
use rand::Rng;
use serde_json::{Map, Value};
use threadctl::backend::CheckpointBackend;
use threadctl::model::{Origin, StoredCheckpoint};
use threadctl::{Backend, Checkpoint, CheckpointId, ConflictKind, Error, ThreadKey};

use crate::cli::exit::not_found;
use crate::cli::ui::input::{at_most_one_stdin, read_json, read_object};
use crate::cli::ui::number::parse_count;
use crate::cli::ui::view::print_written;
use crate::cli::Context;

/// How many times a plain `put` tries to append after the latest before
/// giving up on a thread other writers keep extending.
const ATTEMPTS: u32 = 8;

/// Help shown under `put --help`: how concurrent writers are handled.
const CONCURRENCY_HELP: &str = "\
Concurrent writers:
  Without --parent, the new checkpoint builds on the thread's latest and
  is written only if that is still the latest, so two writers never both
  build on the same parent. When another writer adds a checkpoint in
  between, a plain put (no --parent, --step or --if-latest) re-reads the
  latest and tries again, a few times; if it still loses, or --step was
  given, it fails with exit 1: \"another writer added a
  checkpoint concurrently; nothing was written; retry\". The first
  checkpoint of an empty thread is written only while the thread is
  still empty, so of concurrent first puts exactly one becomes the root
  and the others build on it.

Metadata:
  --metadata needs a store whose write version is envelope version 2.
  Envelope version 1 cannot hold metadata; `threadctl migrate run --to 2`
  rewrites the store at version 2 and then sets its write version.";

/// Arguments of `put`.
#[derive(Debug, Args)]
#[command(after_long_help = CONCURRENCY_HELP)]
pub struct PutArgs {
    /// Thread to write to (created by its first checkpoint)
    pub thread: String,
    /// The new state: JSON literal, @FILE, or - for stdin
    #[arg(long, value_name = "JSON|@FILE|-")]
    pub state: String,
    /// Node to run next [default: the parent's]
    #[arg(long, value_name = "NODE", conflicts_with = "finished")]
    pub next_node: Option<String>,
    /// Record that the graph finished (next_node null)
    #[arg(long)]
    pub finished: bool,
    /// Extra metadata (a JSON object; needs a store writing envelope version 2)
    #[arg(long, value_name = "JSON|@FILE|-")]
    pub metadata: Option<String>,
    /// Parent checkpoint [default: the thread's latest]
    #[arg(long, value_name = "ID")]
    pub parent: Option<CheckpointId>,
    /// Step number [default: the parent's step + 1, 0 without a parent]
    #[arg(long, allow_negative_numbers = true, value_parser = parse_count::<u64>)]
    pub step: Option<u64>,
    /// Write only if ID is still the thread's latest checkpoint
    #[arg(long, value_name = "ID")]
    pub if_latest: Option<CheckpointId>,
}

/// What one write attempt needs besides the backend.
struct Request<'a> {
    key: &'a ThreadKey,
    args: &'a PutArgs,
    state: Value,
    metadata: Map<String, Value>,
}

/// Writes the checkpoint and prints its id (or the record with `-o json`).
///
/// The parent defaults to the latest checkpoint, and then the write is
/// conditional on it still being the latest (see [`CONCURRENCY_HELP`]).
/// Everything is validated before anything is written.
pub async fn run(ctx: &Context, args: PutArgs) -> Result<()> {
    at_most_one_stdin(&[
        ("--state", Some(args.state.as_str())),
        ("--metadata", args.metadata.as_deref()),
    ])?;
    let state = read_json("--state", &args.state)?;
    let mut metadata = match &args.metadata {
        Some(raw) => read_object("--metadata", raw)?,
        None => Default::default(),
    };
    let key = ctx.new_thread(&args.thread)?;
    let backend = ctx.backend().await?;
    let version = backend.write_version();
    Origin::Put.stamp(&mut metadata, version)?;
    let retryable = args.parent.is_none() && args.step.is_none() && args.if_latest.is_none();
    let request = Request {
        key: &key,
        args: &args,
        state,
        metadata,
    };
    let mut attempt = 1;
    let checkpoint = loop {
        match write_once(&backend, &request).await {
            Err(Raced) if retryable && attempt < ATTEMPTS => {
                tracing::info!("another writer extended {key}; retrying (attempt {attempt})");
                backoff(attempt).await;
                attempt += 1;
            }
            Err(Raced) => {
                return Err(Error::conflict(
                    ConflictKind::StaleLatest,
                    format!(
                        "another writer added a checkpoint to {key} concurrently; nothing was written; retry"
                    ),
                )
                .into())
            }
            Ok(result) => break result?,
        }
    };
    let written = StoredCheckpoint {
        checkpoint,
        schema_version: version,
    };
    Ok(print_written(&ctx.out, &written)?)
}

/// A conditional write lost to another writer that extended the thread
/// after we read its latest.
struct Raced;

/// Reads the latest, builds the checkpoint and writes it once. `Err(Raced)`
/// when the defaulted parent stopped being the latest in between; any
/// other outcome (including an `--if-latest` refusal) is final.
async fn write_once(
    backend: &Backend,
    request: &Request<'_>,
) -> std::result::Result<Result<Checkpoint<Value>>, Raced> {
    let Request { key, args, .. } = request;
    let latest = match backend.latest_checkpoint(key).await {
        Ok(latest) => latest,
        Err(e) => return Ok(Err(e.into())),
    };
    let latest_id = latest.as_ref().map(|s| s.checkpoint.id);
    if let Some(expected) = args.if_latest {
        if latest_id != Some(expected) {
            return Ok(Err(
                if_latest_refusal(backend, key, expected, latest_id).await
            ));
        }
    }
    let (parent, expect_latest) = match args.parent {
        Some(id) => match backend.get_checkpoint(key, id).await {
            Ok(Some(parent)) => (Some(parent), args.if_latest.map(Some)),
            Ok(None) => {
                return Ok(Err(not_found(format!(
                    "parent checkpoint {id} not found in thread {key}"
                ))))
            }
            Err(e) => return Ok(Err(e.into())),
        },
        None => (latest, Some(args.if_latest.or(latest_id))),
    };
    let parent = parent.map(|p| p.checkpoint);
    let step = args
        .step
        .unwrap_or_else(|| parent.as_ref().map_or(0, |p| p.step + 1));
    let next_node = match (&args.next_node, args.finished) {
        (Some(node), _) => Some(node.clone()),
        (None, true) => None,
        (None, false) => parent.as_ref().and_then(|p| p.next_node.clone()),
    };
    let parent_id = parent.map(|p| p.id);
    let mut checkpoint = Checkpoint::new(key, parent_id, step, request.state.clone(), next_node);
    checkpoint.metadata = request.metadata.clone();
    match backend.put_checkpoint(&checkpoint, expect_latest).await {
        Ok(()) => Ok(Ok(checkpoint)),
        Err(Error::Conflict {
            kind: ConflictKind::StaleLatest,
            ..
        }) if args.if_latest.is_none() && args.parent.is_none() => Err(Raced),
        Err(e) => Ok(Err(e.into())),
    }
}

/// Why `--if-latest EXPECTED` refused: EXPECTED is not in the thread at
/// all (exit 3), or it is but no longer the latest (a conflict, exit 1).
async fn if_latest_refusal(
    backend: &Backend,
    key: &ThreadKey,
    expected: CheckpointId,
    latest_id: Option<CheckpointId>,
) -> anyhow::Error {
    match backend.get_checkpoint(key, expected).await {
        Ok(None) => not_found(format!(
            "--if-latest {expected} is not a checkpoint of thread {key}; nothing was written"
        )),
        Err(e) => e.into(),
        Ok(Some(_)) => {
            let actual = latest_id.map_or_else(
                || "the thread is empty".to_string(),
                |id| format!("the latest is {id}"),
            );
            Error::conflict(
                ConflictKind::StaleLatest,
                format!(
                    "--if-latest {expected} is no longer the latest checkpoint of {key} ({actual}); nothing was written"
                ),
            )
            .into()
        }
    }
}

/// A short randomised pause before the next attempt, growing with each
/// one, so that racing writers spread out instead of colliding again.
async fn backoff(attempt: u32) {
    let millis = rand::thread_rng().gen_range(5..=20) * u64::from(attempt);
    tokio::time::sleep(Duration::from_millis(millis)).await;
}
