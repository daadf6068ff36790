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

mod sections;

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

/// Writes `shell`'s completion script, for the visible commands only
/// (clap_complete would offer hidden ones such as `generate-docs` and
/// `lock hold` too, and so would the `help` subcommand clap adds).
fn write_completions(shell: Shell, buf: &mut Vec<u8>) {
    let mut cmd = visible_only(&Cli::command());
    clap_complete::generate(shell, &mut cmd, "threadctl", buf);
}

/// A copy of `cmd` without its hidden subcommands, at every level: its
/// name, texts, arguments, groups and subcommand settings, which is all
/// a completion script is made of.
fn visible_only(cmd: &clap::Command) -> clap::Command {
    let mut copy = clap::Command::new(cmd.get_name().to_string())
        .args(cmd.get_arguments().cloned())
        .groups(cmd.get_groups().cloned())
        .visible_aliases(cmd.get_visible_aliases().map(str::to_string))
        .subcommand_required(cmd.is_subcommand_required_set())
        .arg_required_else_help(cmd.is_arg_required_else_help_set())
        .subcommands(
            cmd.get_subcommands()
                .filter(|s| !s.is_hide_set())
                .map(visible_only),
        );
    if let Some(about) = cmd.get_about() {
        copy = copy.about(about.clone());
    }
    if let Some(about) = cmd.get_long_about() {
        copy = copy.long_about(about.clone());
    }
    if let Some(version) = cmd.get_version() {
        copy = copy.version(version.to_string());
    }
    copy
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

/// Every man page as (file name, roff): `threadctl.1`, then one page per
/// visible (nested) subcommand, e.g. `threadctl-store-put.1`. Each has
/// ENVIRONMENT and EXIT STATUS sections; the root page also EXAMPLES.
fn man_pages() -> Result<Vec<(String, Vec<u8>)>> {
    let mut root = without_help_subcommands(Cli::command());
    root.build();
    let mut pages = vec![("threadctl.1".to_string(), page(&root, true)?)];
    collect_subcommand_pages(&root, &mut pages)?;
    Ok(pages)
}

/// `cmd` without the `help` subcommands clap adds, which have no pages of
/// their own (`help` is documented as the --help of every page).
fn without_help_subcommands(cmd: clap::Command) -> clap::Command {
    let names: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .collect();
    names
        .iter()
        .fold(cmd.disable_help_subcommand(true), |cmd, name| {
            cmd.mut_subcommand(name, without_help_subcommands)
        })
}

/// The man page of `cmd`: clap's sections, then ours.
fn page(cmd: &clap::Command, with_examples: bool) -> Result<Vec<u8>> {
    let man = clap_mangen::Man::new(cmd.clone());
    let mut page = Vec::new();
    man.render_title(&mut page)?;
    man.render_name_section(&mut page)?;
    man.render_synopsis_section(&mut page)?;
    man.render_description_section(&mut page)?;
    if cmd.get_arguments().any(|a| !a.is_hide_set()) {
        man.render_options_section(&mut page)?;
    }
    if cmd.get_subcommands().any(|s| !s.is_hide_set()) {
        man.render_subcommands_section(&mut page)?;
    }
    sections::environment(&mut page);
    sections::exit_status(&mut page);
    if with_examples {
        sections::examples(&mut page);
    }
    if cmd.get_version().is_some() {
        man.render_version_section(&mut page)?;
    }
    Ok(page)
}

fn collect_subcommand_pages(
    parent: &clap::Command,
    pages: &mut Vec<(String, Vec<u8>)>,
) -> Result<()> {
    for sub in parent.get_subcommands().filter(|s| !s.is_hide_set()) {
        let man = clap_mangen::Man::new(sub.clone());
        pages.push((man.get_filename(), page(sub, false)?));
        collect_subcommand_pages(sub, pages)?;
    }
    Ok(())
}
