//! `threadctl doctor`: a read-only diagnosis of the store the URL reaches —
//! connection, server, TLS, schema and write version, and what of the
//! store's configuration decides what threadctl sees.

use anyhow::Result;
use serde_json::{json, Value};
use threadctl::backend::Check;
use threadctl::ops::doctor::{self, DoctorReport};

use crate::cli::exit::{render, CliError, ExitStatus};
use crate::cli::ui::output::Format;
use crate::cli::Context;

/// Width of the check-name column.
const NAME_WIDTH: usize = 20;

/// Runs `doctor`: prints every check, and exits 1 when one failed. The
/// store is opened with the inspector, so nothing is ever created.
pub async fn run(ctx: &Context) -> Result<()> {
    let report = match ctx.inspector().await {
        Ok(backend) => doctor::run(&backend).await,
        Err(e) => DoctorReport::unreachable(&render(&e)),
    };
    print(ctx, &report)?;
    if report.failed() {
        return Err(CliError::Status(ExitStatus::Error.code()).into());
    }
    Ok(())
}

fn check_json(check: &Check) -> Value {
    json!({
        "check": check.name,
        "status": check.level.name(),
        "detail": check.detail,
        "hint": check.hint,
        "estimated": check.estimated,
    })
}

fn print(ctx: &Context, report: &DoctorReport) -> Result<()> {
    match ctx.out.format() {
        Format::Json => ctx.out.document(&Value::Array(
            report.checks.iter().map(check_json).collect(),
        ))?,
        Format::Jsonl => {
            for check in &report.checks {
                ctx.out.compact(&check_json(check))?;
            }
        }
        Format::Table => {
            for check in &report.checks {
                ctx.out.line(&format!(
                    "{:<4}  {:<NAME_WIDTH$}  {}",
                    check.level.name(),
                    check.name,
                    check.detail
                ))?;
                if let Some(hint) = &check.hint {
                    ctx.out
                        .line(&format!("{:<4}  {:<NAME_WIDTH$}  hint: {hint}", "", ""))?;
                }
            }
        }
    }
    Ok(())
}
