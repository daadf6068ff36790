//! Cursor-based SCAN in bounded batches.

use super::driver_error;
use super::link::Conn;
use crate::error::Result;

/// Keys per SCAN call (a hint to the server, not a cap).
const SCAN_COUNT: usize = 1000;

/// Fields per HSCAN call (a hint to the server, not a cap).
const HSCAN_COUNT: usize = 500;

/// Iterates the keys matching a pattern, one server batch at a time.
pub struct KeyScan {
    pattern: String,
    cursor: u64,
    done: bool,
}

impl KeyScan {
    /// Keys matching the SCAN `pattern` (callers check key shapes; no
    /// TYPE filter, so servers older than Redis 6 work too).
    pub fn new(pattern: String) -> Self {
        Self {
            pattern,
            cursor: 0,
            done: false,
        }
    }

    /// Continues a scan of `pattern` from a cursor [`Self::position`] gave.
    pub fn resume(pattern: String, cursor: u64) -> Self {
        Self {
            pattern,
            cursor,
            done: false,
        }
    }

    /// Where the scan stands: `None` once it is over, else the cursor to
    /// [`Self::resume`] it from.
    pub fn position(&self) -> Option<u64> {
        (!self.done).then_some(self.cursor)
    }

    /// The next batch (possibly empty), or `None` when the scan is over.
    /// Keys that are not UTF-8 are never threadctl's and are skipped.
    pub async fn next_batch(&mut self, conn: &mut Conn) -> Result<Option<Vec<String>>> {
        if self.done {
            return Ok(None);
        }
        let (cursor, keys): (u64, Vec<Vec<u8>>) = redis::cmd("SCAN")
            .arg(self.cursor)
            .arg("MATCH")
            .arg(&self.pattern)
            .arg("COUNT")
            .arg(SCAN_COUNT)
            .query_async(conn)
            .await
            .map_err(driver_error(format!(
                "scanning keys matching {}",
                self.pattern
            )))?;
        self.cursor = cursor;
        self.done = cursor == 0;
        Ok(Some(
            keys.into_iter()
                .filter_map(|k| String::from_utf8(k).ok())
                .collect(),
        ))
    }
}

/// One batch of a hash's (field, value) pairs, as raw bytes.
pub type FieldBatch = Vec<(Vec<u8>, Vec<u8>)>;

/// Iterates the fields and values of one hash, one server batch at a time
/// (HSCAN: a field may come twice; callers that count dedupe).
pub struct FieldScan {
    key: String,
    cursor: u64,
    done: bool,
}

impl FieldScan {
    /// The fields of the hash at `key`.
    pub fn new(key: String) -> Self {
        Self {
            key,
            cursor: 0,
            done: false,
        }
    }

    /// The next batch of (field, value) pairs (possibly empty), or `None`
    /// when the scan is over; `doing` names the work in errors.
    pub async fn next_batch(&mut self, conn: &mut Conn, doing: &str) -> Result<Option<FieldBatch>> {
        if self.done {
            return Ok(None);
        }
        let (cursor, items): (u64, FieldBatch) = redis::cmd("HSCAN")
            .arg(&self.key)
            .arg(self.cursor)
            .arg("COUNT")
            .arg(HSCAN_COUNT)
            .query_async(conn)
            .await
            .map_err(driver_error(doing.to_string()))?;
        self.cursor = cursor;
        self.done = cursor == 0;
        Ok(Some(items))
    }
}
