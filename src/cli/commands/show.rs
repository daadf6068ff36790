//! `threadctl show THREAD ID`: one checkpoint by id, by the shortened id
//! a table shows (a unique prefix), or by step (`--step N`).

use anyhow::Result;
use clap::Args;
use threadctl::backend::CheckpointBackend;
use threadctl::model::StoredCheckpoint;
use threadctl::{Backend, CheckpointId, ThreadKey};

use crate::cli::exit::{not_found, usage};
use crate::cli::ui::number::parse_count;
use crate::cli::ui::view::print_checkpoint;
use crate::cli::Context;

/// How many checkpoints one backend call fetches while searching.
const PAGE: usize = 500;

/// Arguments of `show`.
#[derive(Debug, Args)]
pub struct ShowArgs {
    /// Thread holding the checkpoint
    pub thread: String,
    /// Checkpoint id, or a prefix of it that no other checkpoint of the
    /// thread shares (as tables show ids)
    #[arg(required_unless_present = "step", conflicts_with = "step")]
    pub id: Option<String>,
    /// The checkpoint at step N instead of an id (the newest one when
    /// forks made several)
    #[arg(long, value_name = "N", allow_negative_numbers = true, value_parser = parse_count::<u64>)]
    pub step: Option<u64>,
    /// Print only the state, as compact JSON on one line
    #[arg(long)]
    pub state_only: bool,
}

/// Which checkpoint `show` looks for.
enum Wanted<'a> {
    /// Ids starting with this (lower-case) text.
    Prefix(&'a str),
    /// The newest checkpoint at this step.
    Step(u64),
}

/// Prints one checkpoint; exit 3 when the thread has no such checkpoint,
/// 2 when a prefix names several.
pub async fn run(ctx: &Context, args: ShowArgs) -> Result<()> {
    let key = ctx.thread(&args.thread)?;
    let backend = ctx.reader().await?;
    let stored = match (&args.id, args.step) {
        (Some(id), _) => match id.parse::<CheckpointId>() {
            Ok(id) => backend
                .get_checkpoint(&key, id)
                .await?
                .ok_or_else(|| not_found(format!("checkpoint {id} not found in thread {key}")))?,
            Err(_) => find(&backend, &key, Wanted::Prefix(&prefix(id)?)).await?,
        },
        (None, Some(step)) => find(&backend, &key, Wanted::Step(step)).await?,
        (None, None) => return Err(usage("give a checkpoint ID or --step N")),
    };
    Ok(print_checkpoint(&ctx.out, &stored, args.state_only)?)
}

/// `text` as an id prefix: lower-case hex digits and hyphens.
fn prefix(text: &str) -> Result<String> {
    let prefix = text.to_ascii_lowercase();
    if prefix.is_empty() || !prefix.chars().all(|c| c.is_ascii_hexdigit() || c == '-') {
        return Err(usage(format!(
            "{text:?} is not a checkpoint id or id prefix (hex digits, as history shows them)"
        )));
    }
    Ok(prefix)
}

/// Searches `key`'s history, newest first, page by page, for `wanted`.
async fn find(backend: &Backend, key: &ThreadKey, wanted: Wanted<'_>) -> Result<StoredCheckpoint> {
    let mut cursor = None;
    let mut found: Option<StoredCheckpoint> = None;
    loop {
        let page = backend.checkpoint_history(key, Some(PAGE), cursor).await?;
        cursor = page.last().map(|cp| cp.checkpoint.id);
        let last_page = page.len() < PAGE;
        for cp in page {
            match wanted {
                Wanted::Step(step) if cp.checkpoint.step == step => return Ok(cp),
                Wanted::Prefix(prefix) if cp.checkpoint.id.to_string().starts_with(prefix) => {
                    if let Some(first) = &found {
                        return Err(usage(format!(
                            "id prefix {prefix} names several checkpoints of thread {key} \
                             ({} and {}); give more of the id",
                            first.checkpoint.id, cp.checkpoint.id
                        )));
                    }
                    found = Some(cp);
                }
                _ => {}
            }
        }
        if last_page {
            break;
        }
    }
    found.ok_or_else(|| match wanted {
        Wanted::Prefix(prefix) => not_found(format!(
            "no checkpoint of thread {key} has an id starting with {prefix}"
        )),
        Wanted::Step(step) => not_found(format!("thread {key} has no checkpoint at step {step}")),
    })
}
