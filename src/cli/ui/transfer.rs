//! Rendering what a transfer (`copy`, `export`, `import`) did: the records
//! left out and the ambiguous ones, for people on stderr and for scripts
//! as JSON, and the exit status when any was left out.

use serde_json::{json, Value};
use threadctl::ops::transfer::{Ambiguity, Problem, TransferTally};

use crate::cli::exit::CliError;
use crate::cli::Context;

/// One record left out, as `-o json` reports it.
pub fn problem_json(problem: &Problem) -> Value {
    json!({
        "record": problem.what,
        "problem": problem.kind.code(),
        "message": problem.message,
    })
}

/// One ambiguous record, as `-o json` reports it.
pub fn ambiguity_json(ambiguity: &Ambiguity) -> Value {
    json!({
        "record": ambiguity.what,
        "readings": ambiguity.readings,
        "written_as": ambiguity.written_as,
    })
}

/// The line that describes one ambiguous record.
pub fn ambiguity_line(ambiguity: &Ambiguity) -> String {
    let placed = if ambiguity.written_as.is_empty() {
        "left out".to_string()
    } else {
        format!("taken as {}", ambiguity.written_as.join(" and "))
    };
    format!(
        "ambiguous {}: its Redis key reads as {}; {placed}",
        ambiguity.what,
        ambiguity.readings.join(" or ")
    )
}

/// Lists the ambiguous records on stderr, one line each.
pub fn note_ambiguities(ctx: &Context, tally: &TransferTally) {
    for ambiguity in &tally.ambiguities {
        ctx.note(&ambiguity_line(ambiguity));
    }
    let untold = tally.ambiguous - tally.ambiguities.len() as u64;
    if untold > 0 {
        ctx.note(&format!("… and {untold} more ambiguous record(s)"));
    }
}

/// Lists the records left out on stderr, one line each.
pub fn note_problems(ctx: &Context, tally: &TransferTally) {
    for problem in &tally.problems {
        ctx.note(&format!(
            "left out {} ({}): {}",
            problem.what,
            problem.kind.code(),
            problem.message
        ));
    }
    let untold = tally.problem_count - tally.problems.len() as u64;
    if untold > 0 {
        ctx.note(&format!(
            "… and {untold} more left out (narrow with --tenants or --thread)"
        ));
    }
}

/// Exit 5 when records were left out, saying how many and that the rest
/// was transferred.
pub fn check_complete(tally: &TransferTally, rest: &str) -> anyhow::Result<()> {
    if tally.is_complete() {
        return Ok(());
    }
    Err(CliError::Data(format!(
        "{} record(s) left out (listed above); {rest}",
        tally.problem_count
    ))
    .into())
}
