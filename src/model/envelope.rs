//! Envelope versions 1 and 2: how a checkpoint is wrapped when stored,
//! decoding with precise corruption reports, and encoding at a chosen version.

use std::borrow::Cow;
use std::fmt;

use chrono::{DateTime, SecondsFormat, Utc};
use serde::Deserialize;
use serde_json::{Map, Value};

use crate::error::{Error, Result};
use crate::model::checksum::state_checksum;
use crate::model::compact_json;
use crate::model::stored_json::{inexact_integer, parse_stored};
use crate::model::{Checkpoint, CheckpointId, StoredCheckpoint, TenantId, ThreadId};

/// A supported envelope schema version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum EnvelopeVersion {
    /// The reference's format: state only.
    V1,
    /// threadctl's format: state plus `metadata` and `checksum`.
    V2,
}

impl EnvelopeVersion {
    /// Lowest version this build reads.
    pub const MIN: u32 = 1;
    /// Highest version this build reads and writes.
    pub const MAX: u32 = 2;

    /// The version as stored.
    pub fn number(self) -> u32 {
        match self {
            EnvelopeVersion::V1 => 1,
            EnvelopeVersion::V2 => 2,
        }
    }

    /// Checks a stored or requested version number against the supported
    /// range; `record` names where it was found for the error.
    pub fn from_number(found: i64, record: &str) -> Result<Self> {
        match found {
            1 => Ok(EnvelopeVersion::V1),
            2 => Ok(EnvelopeVersion::V2),
            _ => Err(Error::UnsupportedVersion {
                found,
                record: record.to_string(),
                min: Self::MIN,
                max: Self::MAX,
            }),
        }
    }
}

impl fmt::Display for EnvelopeVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.number())
    }
}

/// The fields kept in Postgres/SQLite's `state` column, decoded.
#[derive(Debug, Clone, PartialEq)]
pub struct StateColumn {
    /// Envelope version of the column.
    pub version: EnvelopeVersion,
    /// The application state.
    pub state: Value,
    /// v2 metadata (empty at v1).
    pub metadata: Map<String, Value>,
}

/// Renders a timestamp the way the reference does (RFC 3339, `Z`, only as
/// many fractional digits as needed: 0, 3, 6 or 9).
pub fn format_timestamp(ts: &DateTime<Utc>) -> String {
    ts.to_rfc3339_opts(SecondsFormat::AutoSi, true)
}

/// Encodes the `state` column object (Postgres/SQLite) at `version`.
pub fn encode_state_column(cp: &Checkpoint<Value>, version: EnvelopeVersion) -> Value {
    let mut column = Map::new();
    column.insert("schema_version".into(), version.number().into());
    column.insert("state".into(), cp.state.clone());
    if version == EnvelopeVersion::V2 {
        column.insert("metadata".into(), Value::Object(cp.metadata.clone()));
        column.insert("checksum".into(), state_checksum(&cp.state).into());
    }
    Value::Object(column)
}

/// Encodes the whole-record document Redis keeps in its `byid` hash.
///
/// Written straight from the checkpoint (borrowed, not copied into a JSON
/// tree first) by [`compact_json`]: members in the order below, the same
/// bytes `serde_json` gives for a `Value` built in that order.
pub fn encode_document(cp: &Checkpoint<Value>, version: EnvelopeVersion) -> String {
    let mut out = Vec::with_capacity(256);
    out.extend_from_slice(b"{\"schema_version\":");
    out.extend_from_slice(version.number().to_string().as_bytes());
    out.extend_from_slice(b",\"body\":{\"id\":");
    compact_json::write_str(&cp.id.to_string(), &mut out);
    out.extend_from_slice(b",\"tenant_id\":");
    compact_json::write_str(cp.tenant_id.as_str(), &mut out);
    out.extend_from_slice(b",\"thread_id\":");
    compact_json::write_str(cp.thread_id.as_str(), &mut out);
    out.extend_from_slice(b",\"parent_id\":");
    match cp.parent_id {
        Some(parent) => compact_json::write_str(&parent.to_string(), &mut out),
        None => out.extend_from_slice(b"null"),
    }
    out.extend_from_slice(b",\"step\":");
    out.extend_from_slice(cp.step.to_string().as_bytes());
    out.extend_from_slice(b",\"state\":");
    compact_json::write_value(&cp.state, &mut out);
    out.extend_from_slice(b",\"next_node\":");
    match &cp.next_node {
        Some(node) => compact_json::write_str(node, &mut out),
        None => out.extend_from_slice(b"null"),
    }
    out.extend_from_slice(b",\"timestamp\":");
    compact_json::write_str(&format_timestamp(&cp.timestamp), &mut out);
    if version == EnvelopeVersion::V2 {
        out.extend_from_slice(b",\"metadata\":");
        compact_json::write_object(&cp.metadata, &mut out);
        out.extend_from_slice(b",\"checksum\":");
        compact_json::write_str(&state_checksum(&cp.state), &mut out);
    }
    out.extend_from_slice(b"}}");
    String::from_utf8(out).expect("compact JSON of strings is UTF-8")
}

/// Decodes a Postgres/SQLite `state` column; `record` names the row for
/// errors. Takes the column by value, so the state moves out of it rather
/// than being copied. Total: any JSON value gives a column or an
/// [`Error::Corrupt`] / [`Error::UnsupportedVersion`], never a panic (a
/// fuzz target holds it).
pub fn decode_state_column(column: Value, record: &str) -> Result<StateColumn> {
    let Value::Object(mut object) = column else {
        return Err(Error::corrupt(record, "state column is not a JSON object"));
    };
    let version = read_version(&object, record)?;
    let state = take(&mut object, "state", record)?;
    let metadata = read_v2_fields(&mut object, &state, version, record)?;
    Ok(StateColumn {
        version,
        state,
        metadata,
    })
}

/// Decodes a Redis envelope document; `record` names the hash field for errors.
///
/// A sound document is decoded in one typed pass that builds no JSON tree
/// but the state's and the metadata's ([`decode_sound_document`]); any
/// other goes through the tree, which names what is wrong with it.
pub fn decode_document(raw: &str, record: &str) -> Result<StoredCheckpoint> {
    match decode_sound_document(raw) {
        Some(stored) => Ok(stored),
        None => decode_document_tree(raw, record),
    }
}

/// A Redis envelope's members, borrowed from its text where they need no
/// unescaping; every member [`decode_document_tree`] requires is required.
#[derive(Deserialize)]
struct Document<'a> {
    schema_version: i64,
    #[serde(borrow)]
    body: DocumentBody<'a>,
}

/// The `body` member of a [`Document`].
#[derive(Deserialize)]
struct DocumentBody<'a> {
    #[serde(borrow)]
    id: Cow<'a, str>,
    #[serde(borrow)]
    tenant_id: Cow<'a, str>,
    #[serde(borrow)]
    thread_id: Cow<'a, str>,
    #[serde(borrow, deserialize_with = "present")]
    parent_id: Option<Cow<'a, str>>,
    step: u64,
    state: Value,
    #[serde(deserialize_with = "present")]
    next_node: Option<String>,
    #[serde(borrow)]
    timestamp: Cow<'a, str>,
    #[serde(default)]
    metadata: Option<Map<String, Value>>,
    #[serde(borrow, default)]
    checksum: Option<Cow<'a, str>>,
}

/// A member that may be `null` but must be there (serde reads a missing
/// `Option` as `None` otherwise).
fn present<'de, D, T>(deserializer: D) -> std::result::Result<Option<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::deserialize(deserializer)
}

/// The checkpoint of a document that [`decode_document_tree`] would
/// decode without error, to the same value; `None` for any other (a
/// missing or mistyped member, a duplicated one, an integer a double
/// would change, a bad checksum, …), which the tree then reports.
fn decode_sound_document(raw: &str) -> Option<StoredCheckpoint> {
    let document: Document = serde_json::from_str(raw).ok()?;
    if inexact_integer(raw.as_bytes()).is_some() {
        return None;
    }
    let version = EnvelopeVersion::from_number(document.schema_version, "").ok()?;
    let body = document.body;
    let metadata = match version {
        EnvelopeVersion::V1 => Map::new(),
        EnvelopeVersion::V2 => {
            if *body.checksum? != state_checksum(&body.state) {
                return None;
            }
            body.metadata?
        }
    };
    let checkpoint = Checkpoint {
        id: body.id.parse().ok()?,
        tenant_id: TenantId::new(body.tenant_id).ok()?,
        thread_id: ThreadId::new(body.thread_id).ok()?,
        parent_id: match body.parent_id {
            Some(parent) => Some(parent.parse().ok()?),
            None => None,
        },
        step: body.step,
        state: body.state,
        next_node: body.next_node,
        timestamp: DateTime::parse_from_rfc3339(&body.timestamp)
            .ok()?
            .with_timezone(&Utc),
        metadata,
    };
    Some(StoredCheckpoint {
        checkpoint,
        schema_version: version,
    })
}

/// Decodes a Redis envelope document through its JSON tree, naming what
/// is wrong with a corrupt one.
fn decode_document_tree(raw: &str, record: &str) -> Result<StoredCheckpoint> {
    let document = parse_stored(raw.as_bytes()).map_err(|reason| Error::corrupt(record, reason))?;
    let Value::Object(mut object) = document else {
        return Err(Error::corrupt(record, "envelope is not a JSON object"));
    };
    let version = read_version(&object, record)?;
    let Value::Object(mut body) = take(&mut object, "body", record)? else {
        return Err(Error::corrupt(record, "field `body` is not an object"));
    };
    let state = take(&mut body, "state", record)?;
    let metadata = read_v2_fields(&mut body, &state, version, record)?;
    let body = &body;
    let checkpoint = Checkpoint {
        id: read_id(body, "id", record)?,
        tenant_id: TenantId::new(read_string(body, "tenant_id", record)?)
            .map_err(|_| Error::corrupt(record, "field `tenant_id` is empty"))?,
        thread_id: ThreadId::new(read_string(body, "thread_id", record)?)
            .map_err(|_| Error::corrupt(record, "field `thread_id` is empty"))?,
        parent_id: match required(body, "parent_id", record)? {
            Value::Null => None,
            _ => Some(read_id(body, "parent_id", record)?),
        },
        step: required(body, "step", record)?
            .as_u64()
            .ok_or_else(|| Error::corrupt(record, "field `step` is not an unsigned integer"))?,
        state,
        next_node: match required(body, "next_node", record)? {
            Value::Null => None,
            Value::String(s) => Some(s.clone()),
            _ => {
                return Err(Error::corrupt(
                    record,
                    "field `next_node` is not a string or null",
                ))
            }
        },
        timestamp: parse_timestamp(&read_string(body, "timestamp", record)?, record)?,
        metadata,
    };
    Ok(StoredCheckpoint {
        checkpoint,
        schema_version: version,
    })
}

/// Parses an RFC 3339 timestamp from a stored record.
pub(crate) fn parse_timestamp(raw: &str, record: &str) -> Result<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(raw)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| {
            Error::corrupt(
                record,
                format!("field `timestamp` {raw:?} is not RFC 3339: {e}"),
            )
        })
}

fn required<'a>(object: &'a Map<String, Value>, field: &str, record: &str) -> Result<&'a Value> {
    object
        .get(field)
        .ok_or_else(|| Error::corrupt(record, format!("missing field `{field}`")))
}

/// Moves `field` out of `object` (the decoders own their documents).
fn take(object: &mut Map<String, Value>, field: &str, record: &str) -> Result<Value> {
    object
        .remove(field)
        .ok_or_else(|| Error::corrupt(record, format!("missing field `{field}`")))
}

fn read_string(object: &Map<String, Value>, field: &str, record: &str) -> Result<String> {
    required(object, field, record)?
        .as_str()
        .map(str::to_string)
        .ok_or_else(|| Error::corrupt(record, format!("field `{field}` is not a string")))
}

fn read_id(object: &Map<String, Value>, field: &str, record: &str) -> Result<CheckpointId> {
    read_string(object, field, record)?
        .parse()
        .map_err(|_| Error::corrupt(record, format!("field `{field}` is not a UUID")))
}

fn read_version(object: &Map<String, Value>, record: &str) -> Result<EnvelopeVersion> {
    let found = required(object, "schema_version", record)?
        .as_i64()
        .ok_or_else(|| Error::corrupt(record, "field `schema_version` is not an integer"))?;
    EnvelopeVersion::from_number(found, record)
}

fn read_v2_fields(
    object: &mut Map<String, Value>,
    state: &Value,
    version: EnvelopeVersion,
    record: &str,
) -> Result<Map<String, Value>> {
    if version == EnvelopeVersion::V1 {
        return Ok(Map::new());
    }
    let Value::Object(metadata) = take(object, "metadata", record)? else {
        return Err(Error::corrupt(record, "field `metadata` is not an object"));
    };
    let stored = read_string(object, "checksum", record)?;
    let actual = state_checksum(state);
    if stored != actual {
        return Err(Error::corrupt(
            record,
            format!("checksum mismatch: stored {stored}, state hashes to {actual}"),
        ));
    }
    Ok(metadata)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ThreadKey;
    use serde_json::json;

    fn sample() -> Checkpoint<Value> {
        let key = ThreadKey::new("acme", "t1").unwrap();
        let mut cp = Checkpoint::new(
            &key,
            None,
            3,
            json!({"b": 1, "a": [true]}),
            Some("agent".into()),
        );
        cp.metadata.insert("source".into(), "put".into());
        cp
    }

    #[test]
    fn documents_round_trip_at_both_versions() {
        let cp = sample();
        let v2 = decode_document(&encode_document(&cp, EnvelopeVersion::V2), "r").unwrap();
        assert_eq!(v2.checkpoint, cp);
        assert_eq!(v2.schema_version, EnvelopeVersion::V2);
        let v1 = decode_document(&encode_document(&cp, EnvelopeVersion::V1), "r").unwrap();
        assert!(v1.checkpoint.metadata.is_empty());
        assert_eq!(v1.checkpoint.state, cp.state);
    }

    /// The hand-written encoder gives the bytes `serde_json` gives for the
    /// same document as a `Value`, members in the documented order.
    #[test]
    fn documents_are_the_bytes_serde_json_writes() {
        let key = ThreadKey::new("a:\"b\"", "ünï\u{1}\n日本").unwrap();
        let parent = CheckpointId(uuid::Uuid::new_v4());
        let mut cp = Checkpoint::new(
            &key,
            Some(parent),
            u64::MAX,
            json!({"z": "quote \" \\ \u{7}", "a": [1.5, -0.0, null, {"": 1e300}]}),
            Some("n\tode".into()),
        );
        cp.metadata.insert("k\"".into(), json!({"nested": [false]}));
        for (version, cp) in [
            (EnvelopeVersion::V1, sample()),
            (EnvelopeVersion::V2, sample()),
            (EnvelopeVersion::V1, cp.clone()),
            (EnvelopeVersion::V2, cp),
        ] {
            let mut body = json!({
                "id": cp.id.to_string(),
                "tenant_id": cp.tenant_id.as_str(),
                "thread_id": cp.thread_id.as_str(),
                "parent_id": cp.parent_id.map(|p| p.to_string()),
                "step": cp.step,
                "state": cp.state,
                "next_node": cp.next_node,
                "timestamp": format_timestamp(&cp.timestamp),
            });
            if version == EnvelopeVersion::V2 {
                body["metadata"] = Value::Object(cp.metadata.clone());
                body["checksum"] = state_checksum(&cp.state).into();
            }
            let document = json!({"schema_version": version.number(), "body": body});
            assert_eq!(
                encode_document(&cp, version),
                serde_json::to_string(&document).unwrap()
            );
        }
    }

    #[test]
    fn reads_a_hand_written_reference_document_with_nanoseconds() {
        let raw = r#"{"schema_version":1,"body":{"id":"0193c0de-0000-7000-8000-000000000001","tenant_id":"acme","thread_id":"t1","parent_id":null,"step":0,"state":{"x":1},"next_node":"agent","timestamp":"2026-11-25T16:40:27.123456789Z"}}"#;
        let stored = decode_document(raw, "r").unwrap();
        assert_eq!(
            format_timestamp(&stored.checkpoint.timestamp),
            "2026-11-25T16:40:27.123456789Z"
        );
        assert_eq!(stored.checkpoint.next_node.as_deref(), Some("agent"));
    }

    #[test]
    fn corrupt_documents_name_the_problem() {
        let missing = r#"{"schema_version":1,"body":{"id":"0193c0de-0000-7000-8000-000000000001","tenant_id":"acme","parent_id":null,"step":0,"state":{},"next_node":null,"timestamp":"2026-11-25T16:40:27Z"}}"#;
        let err = decode_document(missing, "rec").unwrap_err().to_string();
        assert!(err.contains("thread_id") && err.contains("rec"), "{err}");

        let empty_tenant = missing
            .replace("\"acme\"", "\"\"")
            .replace("\"parent_id\"", "\"thread_id\":\"t\",\"parent_id\"");
        assert!(decode_document(&empty_tenant, "r")
            .unwrap_err()
            .to_string()
            .contains("tenant_id"));
        assert!(matches!(
            decode_document("{nope", "r"),
            Err(Error::Corrupt { .. })
        ));
        assert!(matches!(
            decode_state_column(json!({"state": {}}), "r"),
            Err(Error::Corrupt { .. })
        ));
    }

    #[test]
    fn out_of_range_versions_name_the_version_and_range() {
        let err =
            decode_state_column(json!({"schema_version": 7, "state": {}}), "row").unwrap_err();
        let text = err.to_string();
        assert!(text.contains('7') && text.contains("1..=2"), "{text}");
        assert!(decode_state_column(json!({"schema_version": 0, "state": {}}), "row").is_err());
    }

    #[test]
    fn a_wrong_checksum_is_corruption() {
        let mut column = encode_state_column(&sample(), EnvelopeVersion::V2);
        column["state"] = json!({"tampered": true});
        let err = decode_state_column(column, "row").unwrap_err();
        assert!(err.to_string().contains("checksum mismatch"));
    }

    /// The typed pass decodes every sound document to what the tree
    /// decodes, and leaves every other to the tree (whose error it is).
    #[test]
    fn the_typed_pass_agrees_with_the_tree() {
        let cp = sample();
        let v1 = encode_document(&cp, EnvelopeVersion::V1);
        let v2 = encode_document(&cp, EnvelopeVersion::V2);
        let mut forked = cp.clone();
        forked.parent_id = Some(CheckpointId(uuid::Uuid::new_v4()));
        forked.next_node = None;
        forked.state = json!({"text": "esc\"aped\n", "n": [1.5, -2, 18446744073709551615u64]});
        let sound = [
            v1.clone(),
            v2.clone(),
            encode_document(&forked, EnvelopeVersion::V2),
            v1.replace("\"step\":3", "\"extra\":[1],\"step\":3"),
        ];
        for document in &sound {
            let typed = decode_sound_document(document).expect("sound, so typed");
            assert_eq!(
                typed,
                decode_document_tree(document, "r").unwrap(),
                "{document}"
            );
        }
        let unsound = [
            v1.replace("\"parent_id\":null,", ""),
            v1.replace(",\"next_node\":\"agent\"", ""),
            v1.replace("\"step\":3", "\"step\":3.0"),
            v1.replace("\"step\":3", "\"step\":-3"),
            v1.replace("\"schema_version\":1", "\"schema_version\":3"),
            v1.replace("\"tenant_id\":\"acme\"", "\"tenant_id\":\"\""),
            v1.replace("\"state\":{", "\"state\":{\"big\":123456789012345678901,"),
            v2.replace("\"checksum\":\"", "\"checksum\":\"0"),
            v2.replace(",\"metadata\":{\"source\":\"put\"}", ""),
            v1.replace("\"parent_id\":null", "\"parent_id\":\"not-a-uuid\""),
            v1.replace("2026", "20x6"),
            format!("{v1}x"),
            "[]".to_string(),
        ];
        for document in &unsound {
            assert!(decode_sound_document(document).is_none(), "{document}");
            assert!(decode_document_tree(document, "r").is_err(), "{document}");
        }
        // Read by the tree alone: a duplicated member (the last one
        // counts), a v1 document with a stray `metadata` of another type.
        let tree_only = [
            (v1.replace("\"step\":3", "\"step\":2,\"step\":3"), 3),
            (v1.replace("}}", ",\"metadata\":\"ignored at v1\"}}"), 3),
        ];
        for (document, step) in &tree_only {
            assert!(decode_sound_document(document).is_none(), "{document}");
            assert_eq!(
                decode_document(document, "r").unwrap().checkpoint.step,
                *step
            );
        }
    }
}
