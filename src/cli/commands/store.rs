//! `threadctl store`: the namespaced memory store — get, put (with a TTL),
//! ls, rm, namespaces, evict.
//!
//! A NAMESPACE argument is the scope below the tenant in rendered form:
//! segments joined by `:`, with `\:` and `\\` escaping `:` and `\` inside a
//! segment (`agent\:1:notes` is the scope `["agent:1", "notes"]`); the
//! tenant comes from `--tenant`; an empty string is the tenant itself.

use std::time::Duration;

use anyhow::Result;
use clap::{Args, Subcommand};
use serde_json::{json, Value};
use threadctl::backend::{StoreBackend, StoreItem};
use threadctl::Namespace;

use crate::cli::exit::not_found;
use crate::cli::ui::confirm::confirm;
use crate::cli::ui::duration::parse_duration;
use crate::cli::ui::input::read_json;
use crate::cli::ui::output::{escape, new_table, pretty, Format};
use crate::cli::ui::time::{json_time, table_time};
use crate::cli::{refuse_control_characters, Context};

/// Arguments of `store`.
#[derive(Debug, Args)]
pub struct StoreArgs {
    /// What to do with the store.
    #[command(subcommand)]
    pub command: StoreCommand,
}

/// The `store` subcommands.
#[derive(Debug, Subcommand)]
pub enum StoreCommand {
    /// Print one item
    Get(GetArgs),
    /// Write (or overwrite) one item, optionally expiring after --ttl
    Put(PutArgs),
    /// List the keys of one namespace, with when each item expires
    Ls(LsArgs),
    /// Delete one item
    Rm(RmArgs),
    /// List namespaces holding live items, at or below a prefix
    Namespaces(NamespacesArgs),
    /// Delete the tenant's expired items and print how many went
    Evict,
}

/// Arguments of `store get`.
#[derive(Debug, Args)]
pub struct GetArgs {
    /// Namespace scope (e.g. agent\:1:notes)
    pub namespace: String,
    /// Item key
    pub key: String,
    /// Print only the value, as compact JSON on one line
    #[arg(long)]
    pub value_only: bool,
}

/// Arguments of `store put`.
#[derive(Debug, Args)]
pub struct PutArgs {
    /// Namespace scope (e.g. agent\:1:notes)
    pub namespace: String,
    /// Item key
    pub key: String,
    /// The value: JSON literal, @FILE, or - for stdin
    #[arg(value_name = "JSON|@FILE|-")]
    pub value: String,
    /// Expire the item after this long (e.g. 30s, 5m, 1h)
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    pub ttl: Option<Duration>,
}

/// Arguments of `store ls`.
#[derive(Debug, Args)]
pub struct LsArgs {
    /// Namespace scope (e.g. agent\:1:notes)
    pub namespace: String,
    /// Only keys starting with this literal prefix
    #[arg(long, default_value = "")]
    pub prefix: String,
}

/// Arguments of `store rm`.
#[derive(Debug, Args)]
pub struct RmArgs {
    /// Namespace scope (e.g. agent\:1:notes)
    pub namespace: String,
    /// Item key
    pub key: String,
}

/// Arguments of `store namespaces`.
#[derive(Debug, Args)]
pub struct NamespacesArgs {
    /// Only namespaces at or below this scope [default: the whole tenant]
    #[arg(default_value = "")]
    pub prefix: String,
}

/// Runs one `store` subcommand.
pub async fn run(ctx: &Context, args: StoreArgs) -> Result<()> {
    match args.command {
        StoreCommand::Get(args) => get(ctx, args).await,
        StoreCommand::Put(args) => put(ctx, args).await,
        StoreCommand::Ls(args) => ls(ctx, args).await,
        StoreCommand::Rm(args) => rm(ctx, args).await,
        StoreCommand::Namespaces(args) => namespaces(ctx, args).await,
        StoreCommand::Evict => evict(ctx).await,
    }
}

/// The namespace a NAMESPACE argument names in the `--tenant` tenant.
fn namespace(ctx: &Context, scope: &str) -> Result<Namespace> {
    let tenant = ctx.tenant()?;
    if scope.is_empty() {
        return Ok(Namespace::new(tenant, Vec::<String>::new()));
    }
    let parsed = Namespace::parse(&format!("t:{scope}"))?;
    Ok(Namespace::new(tenant, parsed.scope))
}

/// The scope of `ns` in NAMESPACE-argument form (no tenant).
fn scope_arg(ns: &Namespace) -> String {
    let rendered = ns.render();
    let tenant = Namespace::new(ns.tenant.clone(), Vec::<String>::new()).render();
    rendered
        .strip_prefix(&tenant)
        .map(|rest| rest.trim_start_matches(':').to_string())
        .unwrap_or(rendered)
}

fn item_json(item: &StoreItem) -> Value {
    json!({
        "namespace": item.namespace.render(),
        "scope": item.namespace.scope,
        "key": item.key,
        "value": item.value,
        "expires_at": item.expires_at.map(|t| json_time(&t)),
    })
}

async fn get(ctx: &Context, args: GetArgs) -> Result<()> {
    let ns = namespace(ctx, &args.namespace)?;
    let backend = ctx.reader().await?;
    let item = backend
        .store_get(&ns, &args.key)
        .await?
        .ok_or_else(|| not_found(format!("no item {:?} in namespace {ns}", args.key)))?;
    if args.value_only {
        return Ok(ctx.out.compact(&item.value)?);
    }
    match ctx.out.format() {
        Format::Table => {
            let mut table = new_table(["FIELD", "VALUE"]);
            table.add_row(vec!["namespace".to_string(), item.namespace.render()]);
            table.add_row(vec!["key".to_string(), escape(&item.key)]);
            let expires = item
                .expires_at
                .map_or_else(|| "never".into(), |t| table_time(&t));
            table.add_row(vec!["expires_at".to_string(), expires]);
            table.add_row(vec!["value".to_string(), pretty(&item.value)]);
            ctx.out.table(&table)?;
        }
        Format::Json | Format::Jsonl => ctx.out.document(&item_json(&item))?,
    }
    Ok(())
}

/// Writes one item. A new namespace segment or key with a control
/// character is refused (exit 2), as new thread ids are.
async fn put(ctx: &Context, args: PutArgs) -> Result<()> {
    let value = read_json("value", &args.value)?;
    let ns = namespace(ctx, &args.namespace)?;
    refuse_control_characters("tenant id", ns.tenant.as_str())?;
    for segment in &ns.scope {
        refuse_control_characters("namespace segment", segment)?;
    }
    refuse_control_characters("store key", &args.key)?;
    let backend = ctx.backend().await?;
    backend.store_put(&ns, &args.key, &value, args.ttl).await?;
    ctx.note(&format!("stored {:?} in namespace {ns}", args.key));
    if ctx.out.format() != Format::Table {
        let item = backend.store_get(&ns, &args.key).await?.ok_or_else(|| {
            not_found(format!(
                "item {:?} in namespace {ns} vanished after the write",
                args.key
            ))
        })?;
        ctx.out.document(&item_json(&item))?;
    }
    Ok(())
}

/// Lists the keys, each with its expiry (read item by item: `never`, or
/// an age to come such as `in 4m59s`, the time itself with `-o wide`).
async fn ls(ctx: &Context, args: LsArgs) -> Result<()> {
    let ns = namespace(ctx, &args.namespace)?;
    let backend = ctx.reader().await?;
    let keys = backend.store_list_keys(&ns, &args.prefix).await?;
    let ambiguous = |key: &str| backend.kind().colon_keys_are_ambiguous() && key.contains(':');
    let mut items = Vec::with_capacity(keys.len());
    for key in keys {
        let expires_at = backend
            .store_get(&ns, &key)
            .await?
            .and_then(|item| item.expires_at);
        items.push((key, expires_at));
    }
    match ctx.out.format() {
        Format::Table => {
            let notes = items.iter().any(|(k, _)| ambiguous(k));
            let mut table = if notes {
                new_table(["KEY", "EXPIRES", "NOTE"])
            } else {
                new_table(["KEY", "EXPIRES"])
            };
            for (key, expires_at) in &items {
                let mut row = vec![
                    escape(key),
                    expires_at.map_or_else(|| "never".into(), |t| ctx.out.time_cell(&t)),
                ];
                if notes && ambiguous(key) {
                    row.push(
                        "ambiguous: also the item of a deeper namespace (Redis layout)".into(),
                    );
                }
                table.add_row(row);
            }
            ctx.out.fitted_table(&table)?;
        }
        Format::Json | Format::Jsonl => {
            let mut list = ctx.out.list();
            for (key, expires_at) in &items {
                let mut item = json!({
                    "namespace": ns.render(),
                    "key": key,
                    "expires_at": expires_at.map(|t| json_time(&t)),
                });
                if ambiguous(key) {
                    item["ambiguous"] = json!(true);
                }
                list.item(&item)?;
            }
            list.finish()?;
        }
    }
    Ok(())
}

async fn rm(ctx: &Context, args: RmArgs) -> Result<()> {
    let ns = namespace(ctx, &args.namespace)?;
    let backend = ctx.backend().await?;
    if backend.store_get(&ns, &args.key).await?.is_none() {
        return Err(not_found(format!(
            "no item {:?} in namespace {ns}",
            args.key
        )));
    }
    confirm(
        &format!("delete item {:?} of namespace {ns}", args.key),
        ctx.globals.yes,
    )
    .await?;
    let deleted = backend.store_delete(&ns, &args.key).await?;
    if !deleted {
        return Err(not_found(format!(
            "no item {:?} in namespace {ns}",
            args.key
        )));
    }
    ctx.note(&format!("deleted {:?} from namespace {ns}", args.key));
    if ctx.out.format() != Format::Table {
        ctx.out
            .document(&json!({"namespace": ns.render(), "key": args.key, "deleted": true}))?;
    }
    Ok(())
}

async fn namespaces(ctx: &Context, args: NamespacesArgs) -> Result<()> {
    let prefix = namespace(ctx, &args.prefix)?;
    let backend = ctx.reader().await?;
    let found = backend.store_list_namespaces(&prefix).await?;
    match ctx.out.format() {
        Format::Table => {
            let mut table = new_table(["NAMESPACE"]);
            found.iter().for_each(|ns| {
                table.add_row(vec![scope_arg(ns)]);
            });
            ctx.out.table(&table)?;
        }
        Format::Json | Format::Jsonl => {
            let mut list = ctx.out.list();
            for ns in &found {
                list.item(&json!({"namespace": ns.render(), "tenant_id": ns.tenant.as_str(), "scope": ns.scope}))?;
            }
            list.finish()?;
        }
    }
    Ok(())
}

async fn evict(ctx: &Context) -> Result<()> {
    let tenant = ctx.tenant()?;
    let backend = ctx.backend().await?;
    let evicted = backend.store_evict_expired(&tenant).await?;
    match ctx.out.format() {
        Format::Table => ctx.out.line(&evicted.to_string())?,
        Format::Json | Format::Jsonl => ctx
            .out
            .document(&json!({"tenant_id": tenant.as_str(), "evicted": evicted}))?,
    }
    Ok(())
}
