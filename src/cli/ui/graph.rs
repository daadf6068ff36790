//! `history --graph`: the parent links of a set of checkpoints drawn as a
//! tree, oldest first. A chain continues straight down; where a
//! checkpoint has several children (forks), each child starts a branch.
//!
//! ```text
//! ● 0193…01  step 0  agent  2026-11-25T16:40:27.123456Z
//! ● 0193…02  step 1  agent  …
//! ├─● 0193…03  step 2  tools  …
//! │ ● 0193…05  step 3  -  …
//! └─● 0193…04  step 2  agent  …
//! ```

use std::collections::{HashMap, HashSet};

use anyhow::Result;
use serde_json::Value;
use threadctl::model::StoredCheckpoint;
use threadctl::CheckpointId;

use crate::cli::exit::CliError;
use crate::cli::ui::output::{Format, Output};
use crate::cli::ui::time::table_time;
use crate::cli::ui::view::{checkpoint_json, next_node};

/// One drawn line: the checkpoint, the tree prefix and its branch depth.
struct Line<'a> {
    checkpoint: &'a StoredCheckpoint,
    prefix: String,
    depth: usize,
}

/// Prints the tree: text for tables, records in tree order with a
/// `depth` field (branch nesting) for JSON. A checkpoint whose parent is
/// not among `checkpoints` is drawn as a root, marked in the table (as
/// not in the thread when `complete`, the whole thread being listed). A
/// parent cycle cannot be drawn: it is a data problem naming a checkpoint
/// in it (exit 5), never a silently shorter graph.
pub fn print(out: &Output, checkpoints: &[StoredCheckpoint], complete: bool) -> Result<()> {
    let lines = layout(checkpoints);
    if lines.len() < checkpoints.len() {
        return Err(cycle_error(checkpoints, &lines));
    }
    let absent = if complete {
        "not in the thread"
    } else {
        "not listed"
    };
    match out.format() {
        Format::Table => {
            for line in &lines {
                let cp = &line.checkpoint.checkpoint;
                let mut text = format!(
                    "{}● {}  step {}  {}  {}",
                    line.prefix,
                    cp.id,
                    cp.step,
                    next_node(&cp.next_node),
                    table_time(&cp.timestamp)
                );
                if let Some(parent) = cp.parent_id.filter(|p| !contains(checkpoints, *p)) {
                    text.push_str(&format!("  (parent {parent} {absent})"));
                }
                out.line(&text)?;
            }
        }
        Format::Json | Format::Jsonl => {
            let mut list = out.list();
            for line in &lines {
                let mut record = checkpoint_json(line.checkpoint);
                if let Value::Object(map) = &mut record {
                    map.insert("depth".into(), line.depth.into());
                }
                list.item(&record)?;
            }
            list.finish()?;
        }
    }
    Ok(())
}

/// The error for checkpoints the layout could not reach from any root:
/// each has its parent in the set, so following parents from one of them
/// comes back to a checkpoint already passed, which is in a cycle.
fn cycle_error(checkpoints: &[StoredCheckpoint], lines: &[Line<'_>]) -> anyhow::Error {
    let drawn: HashSet<CheckpointId> = lines.iter().map(|l| l.checkpoint.checkpoint.id).collect();
    let parents: HashMap<CheckpointId, Option<CheckpointId>> = checkpoints
        .iter()
        .map(|cp| (cp.checkpoint.id, cp.checkpoint.parent_id))
        .collect();
    let start = checkpoints
        .iter()
        .find(|cp| !drawn.contains(&cp.checkpoint.id));
    let thread = start.map(|cp| cp.checkpoint.thread_key().to_string());
    let mut seen = HashSet::new();
    let mut current = start.map(|cp| cp.checkpoint.id);
    while let Some(id) = current {
        if !seen.insert(id) {
            break;
        }
        current = parents.get(&id).copied().flatten();
    }
    CliError::Data(format!(
        "checkpoint {} of thread {} is its own ancestor (parent cycle); cannot draw the graph",
        current.map_or_else(|| "?".to_string(), |id| id.to_string()),
        thread.unwrap_or_default()
    ))
    .into()
}

fn contains(checkpoints: &[StoredCheckpoint], id: CheckpointId) -> bool {
    checkpoints.iter().any(|cp| cp.checkpoint.id == id)
}

/// Orders the checkpoints depth-first from the roots (those whose parent
/// is absent or not in the set), children by ascending (step, id).
/// Checkpoints in a parent cycle (and their descendants) are unreachable
/// and left out; [`print`] reports them.
fn layout(checkpoints: &[StoredCheckpoint]) -> Vec<Line<'_>> {
    let ids: HashSet<CheckpointId> = checkpoints.iter().map(|cp| cp.checkpoint.id).collect();
    let mut children: HashMap<CheckpointId, Vec<&StoredCheckpoint>> = HashMap::new();
    let mut roots = Vec::new();
    for cp in checkpoints {
        match cp.checkpoint.parent_id.filter(|p| ids.contains(p)) {
            Some(parent) => children.entry(parent).or_default().push(cp),
            None => roots.push(cp),
        }
    }
    let order = |a: &&StoredCheckpoint, b: &&StoredCheckpoint| {
        (a.checkpoint.step, a.checkpoint.id).cmp(&(b.checkpoint.step, b.checkpoint.id))
    };
    roots.sort_by(order);
    children.values_mut().for_each(|c| c.sort_by(order));

    let mut lines = Vec::with_capacity(checkpoints.len());
    let mut seen = HashSet::new();
    // (checkpoint, prefix of its line, prefix of its descendants, depth)
    let mut stack: Vec<(&StoredCheckpoint, String, String, usize)> = roots
        .into_iter()
        .rev()
        .map(|cp| (cp, String::new(), String::new(), 0))
        .collect();
    while let Some((cp, prefix, below, depth)) = stack.pop() {
        if !seen.insert(cp.checkpoint.id) {
            continue;
        }
        lines.push(Line {
            checkpoint: cp,
            prefix,
            depth,
        });
        let kids = children
            .get(&cp.checkpoint.id)
            .map(Vec::as_slice)
            .unwrap_or(&[]);
        if let [only] = kids {
            stack.push((only, below.clone(), below, depth));
            continue;
        }
        for (i, kid) in kids.iter().enumerate().rev() {
            let last = i + 1 == kids.len();
            let (branch, rest) = if last {
                ("└─", "  ")
            } else {
                ("├─", "│ ")
            };
            stack.push((
                kid,
                format!("{below}{branch}"),
                format!("{below}{rest}"),
                depth + 1,
            ));
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use threadctl::{Checkpoint, EnvelopeVersion, ThreadKey};

    fn cp(parent: Option<&StoredCheckpoint>, step: u64) -> StoredCheckpoint {
        let key = ThreadKey::new("t", "th").unwrap();
        StoredCheckpoint {
            checkpoint: Checkpoint::new(
                &key,
                parent.map(|p| p.checkpoint.id),
                step,
                Value::Null,
                None,
            ),
            schema_version: EnvelopeVersion::V1,
        }
    }

    #[test]
    fn forks_become_branches_and_chains_stay_straight() {
        let root = cp(None, 0);
        let a = cp(Some(&root), 1);
        let b = cp(Some(&root), 1);
        let a2 = cp(Some(&a), 2);
        let all = vec![a2.clone(), b.clone(), a.clone(), root.clone()];
        let lines = layout(&all);
        let drawn: Vec<(CheckpointId, &str, usize)> = lines
            .iter()
            .map(|l| (l.checkpoint.checkpoint.id, l.prefix.as_str(), l.depth))
            .collect();
        assert_eq!(
            drawn,
            vec![
                (root.checkpoint.id, "", 0),
                (a.checkpoint.id, "├─", 1),
                (a2.checkpoint.id, "│ ", 1),
                (b.checkpoint.id, "└─", 1),
            ]
        );
    }

    #[test]
    fn a_self_parent_is_a_cycle_named_in_the_error() {
        let root = cp(None, 0);
        let mut looped = cp(Some(&root), 1);
        looped.checkpoint.parent_id = Some(looped.checkpoint.id);
        let all = vec![root.clone(), looped.clone()];
        let lines = layout(&all);
        assert_eq!(lines.len(), 1);
        let message = cycle_error(&all, &lines).to_string();
        assert!(
            message.contains(&looped.checkpoint.id.to_string()) && message.contains("cycle"),
            "{message}"
        );
    }
}
