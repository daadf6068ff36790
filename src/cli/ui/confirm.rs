//! Confirmation of destructive actions: a prompt on a terminal, `--yes`
//! everywhere else.

use std::io::IsTerminal;

use anyhow::Result;
use dialoguer::console::Term;

use crate::cli::exit::usage;

/// Asks before doing `action` (e.g. "archive events 1..=5 of default/t1").
///
/// With `--yes` it proceeds at once. On a terminal it asks; a "no" is an
/// error so nothing happens. Without a terminal it refuses (exit 2) and
/// says to pass `--yes`. Ctrl-C at the prompt restores the cursor and
/// ends with status 130.
pub async fn confirm(action: &str, yes: bool) -> Result<()> {
    if yes {
        return Ok(());
    }
    if !(std::io::stdin().is_terminal() && std::io::stderr().is_terminal()) {
        return Err(usage(format!(
            "refusing to {action} without confirmation: not on a terminal; pass --yes"
        )));
    }
    let prompt = format!("{action}?");
    let answer = tokio::select! {
        answer = tokio::task::spawn_blocking(move || {
            dialoguer::Confirm::new()
                .with_prompt(prompt)
                .default(false)
                .interact_on_opt(&Term::stderr())
        }) => answer?,
        _ = tokio::signal::ctrl_c() => {
            restore_terminal_and_exit()
        }
    };
    match answer {
        Ok(Some(true)) => Ok(()),
        Ok(Some(false)) | Ok(None) => {
            Err(anyhow::anyhow!("{action}: declined, nothing was changed"))
        }
        Err(dialoguer::Error::IO(e)) if e.kind() == std::io::ErrorKind::Interrupted => {
            restore_terminal_and_exit()
        }
        Err(e) => Err(anyhow::Error::new(e).context("reading the confirmation")),
    }
}

/// Shows the cursor again, ends the prompt line and exits with 130
/// (the conventional status after SIGINT).
fn restore_terminal_and_exit() -> ! {
    let term = Term::stderr();
    let _ = term.show_cursor();
    let _ = term.write_line("");
    std::process::exit(130)
}
