//! Which data a bulk command covers: `--tenants`/`--thread` for every bulk
//! command, and the transfer selection (`--namespace`, `--since`,
//! `--until`, `--no-events`, `--no-store`) that `copy`, `export`, `import`
//! and `verify --against` add.

use chrono::{DateTime, Utc};
use clap::Args;
use threadctl::backend::ThreadSelection;
use threadctl::model::{parse_glob, NameGlob};
use threadctl::ops::transfer::TransferSelection;
use threadctl::Namespace;

use crate::cli::ui::duration::parse_duration;

/// `--tenants` and `--thread`.
#[derive(Debug, Clone, Args)]
pub struct ThreadArgs {
    /// Only tenants matching this glob [default: every tenant]
    #[arg(long, value_name = "GLOB", value_parser = parse_glob)]
    pub tenants: Option<NameGlob>,
    /// Only threads matching this glob
    #[arg(long, value_name = "GLOB", value_parser = parse_glob)]
    pub thread: Option<NameGlob>,
}

impl ThreadArgs {
    /// The threads selected.
    pub fn selection(self) -> ThreadSelection {
        ThreadSelection {
            tenants: self.tenants,
            threads: self.thread,
        }
    }
}

/// The selection of a transfer.
#[derive(Debug, Clone, Args)]
pub struct SelectionArgs {
    /// Tenants and threads.
    #[command(flatten)]
    pub threads: ThreadArgs,
    /// Only store items in this namespace scope or below (e.g. agent\:1:notes) [default: all]
    #[arg(long, value_name = "PREFIX", value_parser = parse_scope)]
    pub namespace: Option<Scope>,
    /// Only threads last written at or after this time (RFC 3339, or a duration ago: 7d)
    #[arg(long, value_name = "TIME", value_parser = parse_time)]
    pub since: Option<DateTime<Utc>>,
    /// Only threads last written before this time (RFC 3339, or a duration ago: 7d)
    #[arg(long, value_name = "TIME", value_parser = parse_time)]
    pub until: Option<DateTime<Utc>>,
    /// Leave session events and watermarks out
    #[arg(long)]
    pub no_events: bool,
    /// Leave store items out
    #[arg(long)]
    pub no_store: bool,
}

impl From<SelectionArgs> for TransferSelection {
    fn from(args: SelectionArgs) -> Self {
        TransferSelection {
            threads: args.threads.selection(),
            namespace: args.namespace.map(|s| s.0).unwrap_or_default(),
            since: args.since,
            until: args.until,
            events: !args.no_events,
            store: !args.no_store,
        }
    }
}

/// Namespace scope segments below a tenant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scope(pub Vec<String>);

/// Parses a namespace scope as NAMESPACE arguments write it: segments
/// joined by `:`, with `\:` and `\\` for those characters inside one.
pub fn parse_scope(text: &str) -> Result<Scope, String> {
    if text.is_empty() {
        return Ok(Scope(Vec::new()));
    }
    Namespace::parse(&format!("t:{text}"))
        .map(|ns| Scope(ns.scope))
        .map_err(|e| e.to_string())
}

/// Parses a point in time: RFC 3339, or a duration meaning that long ago.
pub fn parse_time(text: &str) -> Result<DateTime<Utc>, String> {
    if let Ok(at) = DateTime::parse_from_rfc3339(text) {
        return Ok(at.with_timezone(&Utc));
    }
    let ago = parse_duration(text)
        .map_err(|_| format!("{text:?} is neither an RFC 3339 time nor a duration (7d, 12h)"))?;
    chrono::Duration::from_std(ago)
        .ok()
        .and_then(|ago| Utc::now().checked_sub_signed(ago))
        .ok_or_else(|| format!("{text:?} reaches too far back"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_unescape_like_namespace_arguments() {
        assert_eq!(
            parse_scope("agent\\:1:notes").unwrap(),
            Scope(vec!["agent:1".into(), "notes".into()])
        );
        assert_eq!(parse_scope("").unwrap(), Scope(vec![]));
        assert!(parse_scope("bad\\q").is_err());
    }

    #[test]
    fn times_are_instants_or_durations_ago() {
        let at = parse_time("2026-01-02T03:04:05Z").unwrap();
        assert_eq!(at.to_rfc3339(), "2026-01-02T03:04:05+00:00");
        assert!(parse_time("1h").unwrap() < Utc::now());
        assert!(parse_time("yesterday").is_err());
    }
}
