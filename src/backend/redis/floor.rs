//! The raw floor of each benchmarked operation on Redis: plain commands
//! on the reference's keys (no scripts), pipelined where one step does not
//! depend on another's reply, envelopes decoded as threadctl decodes them.

use redis::aio::ConnectionLike;
use serde_json::Value;

use super::scan::KeyScan;
use super::{driver_error, keys, RedisBackend};
use crate::backend::floor::{BenchFloor, FloorOp};
use crate::backend::lock::new_token;
use crate::backend::traits::CheckpointBackend;
use crate::error::{Error, Result};
use crate::model::envelope::encode_document;
use crate::model::{now_micros, Checkpoint, ThreadKey};

/// What the floor's commands are called in errors.
const FLOOR: &str = "running a raw floor command of `threadctl bench`";

impl BenchFloor for RedisBackend {
    async fn floor(&self, op: FloorOp<'_>) -> Result<usize> {
        let mut conn = self.conn();
        match op {
            FloorOp::Put(cp) => {
                write(&mut conn, cp, self.write_version()).await?;
                Ok(0)
            }
            FloorOp::Latest(thread) => newest(&mut conn, thread, 1).await,
            FloorOp::Show(thread, id) => {
                let field = id.to_string();
                let raw: Option<Vec<u8>> = redis::cmd("HGET")
                    .arg(keys::byid(thread))
                    .arg(&field)
                    .query_async(&mut conn)
                    .await
                    .map_err(driver_error(FLOOR))?;
                decode(thread, &[field], &[raw])
            }
            FloorOp::History(thread, n) => newest(&mut conn, thread, n).await,
            FloorOp::Fork(thread, parent, child, state) => {
                let raw: Option<String> = redis::cmd("HGET")
                    .arg(keys::byid(thread))
                    .arg(parent.to_string())
                    .query_async(&mut conn)
                    .await
                    .map_err(driver_error(FLOOR))?;
                let Some(raw) = raw else { return Ok(0) };
                let found = crate::model::envelope::decode_document(&raw, FLOOR)?.checkpoint;
                let mut cp = Checkpoint::new(
                    thread,
                    Some(parent),
                    found.step + 1,
                    state.clone(),
                    found.next_node,
                );
                cp.id = child;
                cp.timestamp = now_micros();
                write(&mut conn, &cp, self.write_version()).await?;
                Ok(1)
            }
            FloorOp::StorePut(ns, key, value) => {
                redis::cmd("SET")
                    .arg(keys::store_item(ns, key))
                    .arg(value.to_string())
                    .query_async::<()>(&mut conn)
                    .await
                    .map_err(driver_error(FLOOR))?;
                Ok(0)
            }
            FloorOp::StoreGet(ns, key) => {
                // An item is read with its expiry: GET and PTTL, pipelined
                // but not in a MULTI (the library's read is atomic).
                let item = keys::store_item(ns, key);
                let (raw, _pttl): (Option<Vec<u8>>, i64) = redis::pipe()
                    .cmd("GET")
                    .arg(&item)
                    .cmd("PTTL")
                    .arg(&item)
                    .query_async(&mut conn)
                    .await
                    .map_err(driver_error(FLOOR))?;
                raw.iter().map(|r| json(r)).sum()
            }
            FloorOp::Append(thread, _, events) => {
                let encoded: Vec<String> = events.iter().map(Value::to_string).collect();
                redis::cmd("RPUSH")
                    .arg(keys::events(thread))
                    .arg(&encoded)
                    .query_async::<()>(&mut conn)
                    .await
                    .map_err(driver_error(FLOOR))?;
                Ok(0)
            }
            FloorOp::Load(thread) => {
                let raw: Vec<Vec<u8>> = redis::cmd("LRANGE")
                    .arg(keys::events(thread))
                    .arg(0)
                    .arg(-1)
                    .query_async(&mut conn)
                    .await
                    .map_err(driver_error(FLOOR))?;
                raw.iter().map(|r| json(r)).sum()
            }
            FloorOp::Lock(thread) => {
                let key = keys::lock(thread);
                let taken: Option<String> = redis::cmd("SET")
                    .arg(&key)
                    .arg(new_token())
                    .arg("NX")
                    .arg("PX")
                    .arg(30_000)
                    .query_async(&mut conn)
                    .await
                    .map_err(driver_error(FLOOR))?;
                let released: u64 = redis::cmd("DEL")
                    .arg(&key)
                    .query_async(&mut conn)
                    .await
                    .map_err(driver_error(FLOOR))?;
                Ok(usize::from(taken.is_some() && released == 1))
            }
            FloorOp::Threads(tenant) => {
                let literal = format!("{}{tenant}:", keys::CHECKPOINT_PREFIX);
                let mut scan = KeyScan::new(keys::scan_prefix_pattern(&literal));
                let mut threads = 0;
                while let Some(batch) = scan.next_batch(&mut conn).await? {
                    let found: Vec<(&str, ThreadKey)> = batch
                        .iter()
                        .filter_map(|key| {
                            let rest = key
                                .strip_prefix(&literal)?
                                .strip_suffix(keys::BYSTEP_SUFFIX)?;
                            Some((key.as_str(), ThreadKey::new(tenant.as_str(), rest).ok()?))
                        })
                        .collect();
                    threads += summaries(&mut conn, &found).await?;
                }
                Ok(threads)
            }
        }
    }
}

/// The checkpoint's envelope and sorted-set member in one MULTI, neither
/// replacing one already there (a put refuses a taken id).
async fn write(
    conn: &mut impl ConnectionLike,
    cp: &Checkpoint<Value>,
    version: crate::model::EnvelopeVersion,
) -> Result<()> {
    let id = cp.id.to_string();
    let thread = cp.thread_key();
    redis::pipe()
        .atomic()
        .cmd("HSETNX")
        .arg(keys::byid(&thread))
        .arg(&id)
        .arg(encode_document(cp, version))
        .ignore()
        .cmd("ZADD")
        .arg(keys::bystep(&thread))
        .arg("NX")
        .arg(cp.step)
        .arg(&id)
        .ignore()
        .query_async::<()>(conn)
        .await
        .map_err(driver_error(FLOOR))
}

/// The thread's newest `n` checkpoints: one ZREVRANGE, one HMGET.
async fn newest(conn: &mut impl ConnectionLike, thread: &ThreadKey, n: usize) -> Result<usize> {
    let ids: Vec<String> = redis::cmd("ZREVRANGE")
        .arg(keys::bystep(thread))
        .arg(0)
        .arg(n.saturating_sub(1))
        .query_async(conn)
        .await
        .map_err(driver_error(FLOOR))?;
    if ids.is_empty() {
        return Ok(0);
    }
    let raw: Vec<Option<Vec<u8>>> = redis::cmd("HMGET")
        .arg(keys::byid(thread))
        .arg(&ids)
        .query_async(conn)
        .await
        .map_err(driver_error(FLOOR))?;
    decode(thread, &ids, &raw)
}

/// Count, latest step and last write of each thread: one pipeline of
/// ZCARD and ZREVRANGE per batch, one of HGET for the latest envelopes.
async fn summaries(conn: &mut impl ConnectionLike, found: &[(&str, ThreadKey)]) -> Result<usize> {
    if found.is_empty() {
        return Ok(0);
    }
    let mut heads = redis::pipe();
    for (bystep, _) in found {
        heads.cmd("ZCARD").arg(*bystep);
        heads.cmd("ZREVRANGE").arg(*bystep).arg(0).arg(0);
    }
    let replies: Vec<redis::Value> = heads.query_async(conn).await.map_err(driver_error(FLOOR))?;
    let mut latest = Vec::with_capacity(found.len());
    let mut reads = redis::pipe();
    for ((_, thread), pair) in found.iter().zip(replies.chunks(2)) {
        let ids: Vec<String> = match pair.get(1) {
            Some(value) => redis::from_redis_value(value).map_err(driver_error(FLOOR))?,
            None => Vec::new(),
        };
        if let Some(id) = ids.into_iter().next() {
            reads.cmd("HGET").arg(keys::byid(thread)).arg(&id);
            latest.push((thread, id));
        }
    }
    if latest.is_empty() {
        return Ok(found.len());
    }
    let raw: Vec<Option<Vec<u8>>> = reads.query_async(conn).await.map_err(driver_error(FLOOR))?;
    for ((thread, id), raw) in latest.iter().zip(&raw) {
        decode(thread, std::slice::from_ref(id), std::slice::from_ref(raw))?;
    }
    Ok(found.len())
}

/// Decodes envelopes as threadctl's reads do; a missing one is corrupt.
fn decode(thread: &ThreadKey, ids: &[String], raw: &[Option<Vec<u8>>]) -> Result<usize> {
    let mut decoded = 0;
    for (id, raw) in ids.iter().zip(raw) {
        if let Some(raw) = raw {
            RedisBackend::decode_owned(thread, id, raw)?;
            decoded += 1;
        }
    }
    Ok(decoded)
}

/// Decodes one JSON document.
fn json(raw: &[u8]) -> Result<usize> {
    serde_json::from_slice::<Value>(raw)
        .map_err(|e| Error::corrupt(FLOOR, format!("invalid JSON: {e}")))?;
    Ok(1)
}
