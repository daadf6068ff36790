//! The Lua scripts that make multi-key operations atomic, and how they are
//! run: EVALSHA, falling back to EVAL (which also caches the script) when
//! the server does not know it yet — at most two round trips per call.

use std::sync::LazyLock;

use redis::{ErrorKind, RedisResult, Value};

use super::link::Conn;
use super::KIND;
use crate::error::{Error, Result};

/// One server-side script: its source (with the prelude's helpers it
/// calls) and SHA1.
pub struct LuaScript {
    source: String,
    hash: String,
}

impl LuaScript {
    /// A script of `body` after the helpers of the shared prelude that it
    /// calls, directly or through another helper, and no others: the
    /// server defines every helper of a script on each call, which costs a
    /// short script a fifth to a third of its time.
    fn new(body: &str) -> Self {
        let source = format!("{}{body}", helpers_called_by(body));
        let hash = redis::Script::new(&source).get_hash().to_string();
        Self { source, hash }
    }

    /// Runs the script with `keys` and `args` and returns its raw reply.
    pub async fn run(&self, conn: &mut Conn, keys: &[&str], args: &[&str]) -> RedisResult<Value> {
        let mut evalsha = redis::cmd("EVALSHA");
        evalsha.arg(&self.hash).arg(keys.len()).arg(keys).arg(args);
        match evalsha.query_async(conn).await {
            Err(e) if e.kind() == ErrorKind::NoScriptError => {
                let mut eval = redis::cmd("EVAL");
                eval.arg(&self.source).arg(keys.len()).arg(keys).arg(args);
                eval.query_async(conn).await
            }
            other => other,
        }
    }
}

impl LuaScript {
    /// Adds a run of the script to `pipe` as `EVAL` with its source, which
    /// the server cannot refuse as unknown: inside a `MULTI`, an
    /// `EVALSHA` the server does not know would fail after the commands
    /// before it had run.
    pub fn eval_in(&self, pipe: &mut redis::Pipeline, keys: &[&str], args: &[&str]) {
        pipe.cmd("EVAL")
            .arg(&self.source)
            .arg(keys.len())
            .arg(keys)
            .arg(args);
    }
}

macro_rules! script {
    ($(#[$doc:meta])* $name:ident, $file:literal) => {
        $(#[$doc])*
        pub static $name: LazyLock<LuaScript> =
            LazyLock::new(|| LuaScript::new(include_str!(concat!("lua/", $file))));
    };
}

/// The helpers of `lua/prelude.lua` that `body` calls, directly or
/// through another helper, in the prelude's order. The prelude is a
/// header, then one paragraph (no blank line inside) per helper, each
/// defining `local function NAME(` and calling only helpers above it.
fn helpers_called_by(body: &str) -> String {
    let helpers: Vec<(&str, &str)> = include_str!("lua/prelude.lua")
        .split("\n\n")
        .filter_map(|paragraph| {
            let name = paragraph
                .split("local function ")
                .nth(1)?
                .split('(')
                .next()?;
            Some((name, paragraph))
        })
        .collect();
    // Helpers call only helpers above them: walking up from the last,
    // each is needed when the body or a helper already taken calls it.
    let mut callers = vec![body];
    for (name, text) in helpers.iter().rev() {
        if callers.iter().any(|caller| calls(caller, name)) {
            callers.push(text);
        }
    }
    callers[1..]
        .iter()
        .rev()
        .map(|text| format!("{}\n\n", text.trim_end()))
        .collect()
}

/// True when `text` calls the function `name` (`name(` not preceded by a
/// character of an identifier or a `.`, which would make it another name).
fn calls(text: &str, name: &str) -> bool {
    let call = format!("{name}(");
    text.match_indices(&call).any(|(at, _)| {
        !text[..at]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '.')
    })
}

script!(
    /// Checkpoint write with owner, duplicate and expect-latest checks.
    PUT,
    "put.lua"
);
script!(
    /// Ordered, owner-filtered read of envelopes (latest, history, pages).
    WALK,
    "walk.lua"
);
script!(
    /// A page of a thread's records, each with its envelope or a gap.
    PAGE,
    "page.lua"
);
script!(
    /// Atomic write of a batch of one thread's records.
    WRITE_BATCH,
    "write_batch.lua"
);
script!(
    /// Moves a batch staged in keys of its own into a thread new to the
    /// store (`write_batch`'s fast path).
    CLAIM_STAGED,
    "claim_staged.lua"
);
script!(
    /// Atomic delete of checkpoints, or of a whole thread.
    DELETE,
    "delete.lua"
);
script!(
    /// Atomic append of a batch of events.
    APPEND,
    "append.lua"
);
script!(
    /// Events written at their own ordinals with a watermark.
    WRITE_EVENTS,
    "write_events.lua"
);
script!(
    /// Store items written with their expiry, existing ones reported.
    WRITE_ITEMS,
    "write_items.lua"
);
script!(
    /// Unarchived events after an ordinal.
    LOAD,
    "load.lua"
);
script!(
    /// Clamped, forward-only archive.
    ARCHIVE,
    "archive.lua"
);
script!(
    /// Watermark and last ordinal.
    BOUNDS,
    "bounds.lua"
);
script!(
    /// Token-checked lock extension.
    EXTEND,
    "extend.lua"
);
script!(
    /// Token-checked lock release.
    RELEASE,
    "release.lua"
);

/// A script reply that is an array of strings: its items as bytes.
/// The first item is the status tag every threadctl script starts with; a
/// last item that is itself an array of strings (a command's reply passed
/// back whole, as the event load does) is kept apart as the list.
pub struct Reply {
    items: Vec<Vec<u8>>,
    list: Vec<Vec<u8>>,
}

impl Reply {
    /// Parses a raw reply; `what` names the operation for errors.
    pub fn parse(value: Value, what: &str) -> Result<Self> {
        let unexpected = || {
            Error::backend(
                KIND.name(),
                what.to_string(),
                std::io::Error::other("unexpected script reply shape"),
            )
        };
        let Value::Array(mut items) = value else {
            return Err(unexpected());
        };
        let list = match items.last() {
            Some(Value::Array(_)) => match items.pop() {
                Some(Value::Array(list)) => list,
                _ => Vec::new(),
            },
            _ => Vec::new(),
        };
        let strings = |values: Vec<Value>| {
            values
                .into_iter()
                .map(|item| match item {
                    Value::BulkString(bytes) => Ok(bytes),
                    Value::SimpleString(text) => Ok(text.into_bytes()),
                    Value::Int(n) => Ok(n.to_string().into_bytes()),
                    _ => Err(unexpected()),
                })
                .collect::<Result<Vec<_>>>()
        };
        let items = strings(items)?;
        if items.is_empty() {
            return Err(unexpected());
        }
        Ok(Self {
            items,
            list: strings(list)?,
        })
    }

    /// The status tag (`ok`, `notfound`, …).
    pub fn tag(&self) -> &[u8] {
        &self.items[0]
    }

    /// The items after the tag.
    pub fn rest(&self) -> &[Vec<u8>] {
        &self.items[1..]
    }

    /// The trailing list (empty when the reply has none), taken out of
    /// the reply.
    pub fn into_list(self) -> Vec<Vec<u8>> {
        self.list
    }

    /// Item `i` after the tag as text (lossy; for messages and ids).
    pub fn text(&self, i: usize) -> String {
        self.rest()
            .get(i)
            .map(|b| String::from_utf8_lossy(b).into_owned())
            .unwrap_or_default()
    }

    /// Item `i` after the tag as a decimal number.
    pub fn number(&self, i: usize, what: &str) -> Result<u64> {
        self.text(i).parse().map_err(|_| {
            Error::backend(
                KIND.name(),
                what.to_string(),
                std::io::Error::other(format!("script returned non-numeric {:?}", self.text(i))),
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn defined(source: &str) -> Vec<&str> {
        source
            .split("local function ")
            .skip(1)
            .filter_map(|rest| rest.split('(').next())
            .collect()
    }

    #[test]
    fn a_script_carries_the_helpers_it_calls_and_no_others() {
        assert_eq!(defined(&APPEND.source), ["dec", "read_watermark"]);
        assert_eq!(defined(&PUT.source), ["owner_of", "foreign_record"]);
        // `owned` is the page script's own.
        assert_eq!(defined(&PAGE.source), ["owner_of", "bytes_le", "owned"]);
        assert!(defined(&RELEASE.source).is_empty());
        assert!(defined(&CLAIM_STAGED.source).is_empty());
        assert_eq!(
            defined(&helpers_called_by(
                "foreign_record(a) dec(1) bytes_le(a, b) read_watermark(k)"
            )),
            [
                "owner_of",
                "foreign_record",
                "bytes_le",
                "dec",
                "read_watermark"
            ],
            "every helper of the prelude is found"
        );
    }

    #[test]
    fn a_call_is_a_whole_name() {
        assert!(calls("local x = dec(1)", "dec"));
        assert!(calls("dec(1)", "dec"));
        assert!(!calls("cjson.decode(raw)", "dec"));
        assert!(!calls("local y = redec(1)", "dec"));
        assert!(!calls("t.dec(1)", "dec"));
    }
}
