//! Generated documentation: shell completions and man pages.
//!
//! `threadctl completions SHELL` prints a script; the hidden
//! `threadctl generate-docs DIR` writes `DIR/completions/` and `DIR/man/`
//! (run `cargo run -- generate-docs .` to refresh the committed copies;
//! a test fails when they are stale).

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};
use clap::{Args, CommandFactory};
use clap_complete::Shell;

use crate::cli::exit::ExitStatus;
use crate::cli::{Cli, Context};

/// Arguments of `completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// Shell to generate for
    #[arg(value_enum)]
    pub shell: Shell,
}

/// Arguments of the hidden `generate-docs`.
#[derive(Debug, Args)]
pub struct GenerateDocsArgs {
    /// Repository root (or any directory) to write completions/ and man/ into
    pub dir: PathBuf,
}

/// The shells with a committed completion script, and its file name.
const SHELLS: [(Shell, &str); 5] = [
    (Shell::Bash, "threadctl.bash"),
    (Shell::Zsh, "_threadctl"),
    (Shell::Fish, "threadctl.fish"),
    (Shell::Elvish, "threadctl.elv"),
    (Shell::PowerShell, "_threadctl.ps1"),
];

/// Prints the completion script for one shell.
pub fn completions(_ctx: &Context, args: CompletionsArgs) -> Result<()> {
    let mut script = Vec::new();
    write_completions(args.shell, &mut script);
    let mut out = io::stdout().lock();
    out.write_all(&script)?;
    Ok(out.flush()?)
}

fn write_completions(shell: Shell, buf: &mut Vec<u8>) {
    clap_complete::generate(shell, &mut Cli::command(), "threadctl", buf);
}

/// Writes every completion script and man page under `args.dir`.
pub fn generate_docs(args: GenerateDocsArgs) -> Result<()> {
    let completions = args.dir.join("completions");
    let man = args.dir.join("man");
    for dir in [&completions, &man] {
        fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    for (shell, name) in SHELLS {
        let mut script = Vec::new();
        write_completions(shell, &mut script);
        write(&completions.join(name), &script)?;
    }
    for (name, page) in man_pages()? {
        write(&man.join(name), &page)?;
    }
    Ok(())
}

fn write(path: &Path, bytes: &[u8]) -> Result<()> {
    fs::write(path, bytes).with_context(|| format!("writing {}", path.display()))
}

/// Every man page as (file name, roff): `threadctl.1` with an EXIT STATUS
/// section, then one page per (nested) subcommand, e.g. `threadctl-store-put.1`.
fn man_pages() -> Result<Vec<(String, Vec<u8>)>> {
    let mut root = Cli::command();
    root.build();
    let mut pages = vec![("threadctl.1".to_string(), root_page(&root)?)];
    collect_subcommand_pages(&root, &mut pages)?;
    Ok(pages)
}

fn root_page(root: &clap::Command) -> Result<Vec<u8>> {
    let man = clap_mangen::Man::new(root.clone());
    let mut page = Vec::new();
    man.render_title(&mut page)?;
    man.render_name_section(&mut page)?;
    man.render_synopsis_section(&mut page)?;
    man.render_description_section(&mut page)?;
    man.render_options_section(&mut page)?;
    man.render_subcommands_section(&mut page)?;
    page.extend_from_slice(b".SH \"EXIT STATUS\"\n");
    for status in ExitStatus::ALL {
        let (code, meaning) = (status.code(), roff_escape(status.meaning()));
        page.extend_from_slice(format!(".TP\n{code}\n{meaning}\n").as_bytes());
    }
    man.render_version_section(&mut page)?;
    Ok(page)
}

fn collect_subcommand_pages(
    parent: &clap::Command,
    pages: &mut Vec<(String, Vec<u8>)>,
) -> Result<()> {
    for sub in parent.get_subcommands().filter(|s| !s.is_hide_set()) {
        if sub.get_name() == "help" {
            continue;
        }
        let man = clap_mangen::Man::new(sub.clone());
        let mut page = Vec::new();
        man.render(&mut page)?;
        pages.push((man.get_filename(), page));
        collect_subcommand_pages(sub, pages)?;
    }
    Ok(())
}

/// Escapes text for a roff paragraph (backslashes, leading dots and quotes).
fn roff_escape(text: &str) -> String {
    let escaped = text.replace('\\', "\\e").replace('-', "\\-");
    if escaped.starts_with('.') || escaped.starts_with('\'') {
        format!("\\&{escaped}")
    } else {
        escaped
    }
}
