//! The lines of a dump (docs/dump-format.md): the serde types of the wire
//! form, kept apart from the model so that the model can change without
//! changing the contract, and the conversions between the two.
//!
//! Every line is one JSON object with a `type`: `header` first, then the
//! records (`checkpoint`, `event`, `watermark`, `item`), then `end` with
//! the counts. [`decode_line`] and [`encode_line`] convert one line; they
//! do no I/O, so they are also the entry points for fuzzing.

use std::collections::BTreeMap;
use std::fmt;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::backend::{SessionEvent, StoreItem};
use crate::model::envelope::format_timestamp;
use crate::model::stored_json::inexact_integer;
use crate::model::{
    Checkpoint, CheckpointId, EnvelopeVersion, Namespace, StoredCheckpoint, TenantId, ThreadId,
    ThreadKey,
};
use crate::ops::transfer::Record;

/// The `format` every dump's header names.
pub const FORMAT_NAME: &str = "threadctl-dump";

/// A dump format version: a reader reads every minor version of its major
/// version (ignoring what a newer minor adds) and refuses other majors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct DumpVersion {
    /// Changes that an older reader would misread.
    pub major: u32,
    /// Additions an older reader may skip: new optional fields, new
    /// record types.
    pub minor: u32,
}

impl DumpVersion {
    /// The version this build writes, and the newest it fully understands.
    pub const CURRENT: DumpVersion = DumpVersion { major: 1, minor: 0 };

    /// Parses `MAJOR.MINOR` (two decimal numbers).
    pub fn parse(text: &str) -> Option<Self> {
        let (major, minor) = text.split_once('.')?;
        let number = |s: &str| {
            (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
                .then(|| s.parse().ok())
                .flatten()
        };
        Some(Self {
            major: number(major)?,
            minor: number(minor)?,
        })
    }
}

impl fmt::Display for DumpVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.major, self.minor)
    }
}

/// What a dump says about itself on its first line.
#[derive(Debug, Clone, PartialEq)]
pub struct DumpHeader {
    /// The format version the dump was written at.
    pub version: DumpVersion,
    /// The kind of store it was exported from (`postgres`, `redis`,
    /// `sqlite`; informational, a later kind is kept as written).
    pub source: String,
    /// When the export started.
    pub written_at: DateTime<Utc>,
    /// The program that wrote it, e.g. `threadctl 0.1.0`.
    pub writer: String,
    /// What was exported, as the exporting command's options said it
    /// (informational: readers must not depend on its keys).
    pub selection: Map<String, Value>,
}

/// Records per `type` ([`crate::ops::transfer::RecordKind::name`]), as
/// the end line states them.
pub type DumpCounts = BTreeMap<String, u64>;

/// One decoded line.
#[derive(Debug, Clone, PartialEq)]
pub enum DumpLine {
    /// The header (only valid as the first line).
    Header(DumpHeader),
    /// A record: the transfer layer's unit, so that export and import
    /// share copy's reader and writer.
    Record(Record),
    /// The end line with the number of records of each type before it.
    End(DumpCounts),
    /// A record type this build does not know (written by a newer minor
    /// version): skipped by readers, counted by its `type`.
    Unknown(String),
}

/// Why one line cannot be decoded; the reader adds the line number.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct LineError(pub String);

/// The wire form of every line.
#[derive(Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
enum WireLine {
    Header(WireHeader),
    Checkpoint(WireCheckpoint),
    Event(WireEvent),
    Watermark(WireWatermark),
    Item(WireItem),
    End(WireEnd),
    #[serde(other)]
    Unknown,
}

/// The header's fields; everything but `format` and `version` is optional
/// on the wire so that the version check comes first and a foreign or
/// newer-major header gets that answer rather than a missing-field one.
#[derive(Serialize, Deserialize)]
struct WireHeader {
    format: String,
    version: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    source: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    written_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    writer: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    selection: Option<Map<String, Value>>,
}

/// `Option` fields below use `deserialize_with = "Option::deserialize"`:
/// it makes them required (present, possibly `null`), since a missing
/// field is a damaged line, never a default.
#[derive(Serialize, Deserialize)]
struct WireCheckpoint {
    tenant_id: String,
    thread_id: String,
    id: String,
    #[serde(deserialize_with = "Option::deserialize")]
    parent_id: Option<String>,
    step: u64,
    state: Value,
    #[serde(deserialize_with = "Option::deserialize")]
    next_node: Option<String>,
    timestamp: String,
    schema_version: i64,
    metadata: Map<String, Value>,
}

#[derive(Serialize, Deserialize)]
struct WireEvent {
    tenant_id: String,
    thread_id: String,
    ordinal: u64,
    event: Value,
}

#[derive(Serialize, Deserialize)]
struct WireWatermark {
    tenant_id: String,
    thread_id: String,
    watermark: u64,
}

#[derive(Serialize, Deserialize)]
struct WireItem {
    tenant_id: String,
    namespace: Vec<String>,
    key: String,
    value: Value,
    #[serde(deserialize_with = "Option::deserialize")]
    expires_at: Option<String>,
}

#[derive(Serialize, Deserialize)]
struct WireEnd {
    counts: DumpCounts,
}

/// Only the type of a line, read again when [`WireLine`] found it unknown.
#[derive(Deserialize)]
struct TypeOnly {
    #[serde(rename = "type")]
    kind: String,
}

/// Decodes one line (without its line break). Pure and total: any input
/// gives a line or a [`LineError`], never a panic, and allocation is
/// bounded by the input's length — the entry point for fuzzing.
///
/// A record holding an integer a double would change is an error (the
/// importer would round it; see [`crate::model::stored_json`]). A header
/// naming another format or another major version is an error;
/// a newer minor version is accepted. Unknown fields are ignored and an
/// unknown record `type` is [`DumpLine::Unknown`].
pub fn decode_line(bytes: &[u8]) -> Result<DumpLine, LineError> {
    let wire: WireLine = serde_json::from_slice(bytes).map_err(|e| {
        LineError(format!(
            "not a dump line ({e}); every line is one JSON object with a \"type\""
        ))
    })?;
    if let Some(inexact) = inexact_integer(bytes) {
        return Err(LineError(format!("the record {}", inexact.describe())));
    }
    Ok(match wire {
        WireLine::Header(header) => DumpLine::Header(header.into_model()?),
        WireLine::Checkpoint(cp) => DumpLine::Record(Record::Checkpoint(cp.into_model()?)),
        WireLine::Event(event) => DumpLine::Record(event.into_model()?),
        WireLine::Watermark(mark) => DumpLine::Record(Record::Watermark {
            thread: thread_key(mark.tenant_id, mark.thread_id)?,
            watermark: mark.watermark,
        }),
        WireLine::Item(item) => DumpLine::Record(Record::Item(item.into_model()?)),
        WireLine::End(end) => DumpLine::End(end.counts),
        WireLine::Unknown => {
            let TypeOnly { kind } = serde_json::from_slice(bytes)
                .map_err(|e| LineError(format!("the line's \"type\" is not a string ({e})")))?;
            DumpLine::Unknown(kind)
        }
    })
}

/// Encodes one line as compact JSON without a line break (JSON escapes
/// every control character, so the text never contains one).
/// [`DumpLine::Unknown`] has no content to write and encodes as its bare
/// `{"type": …}`.
pub fn encode_line(line: &DumpLine) -> Vec<u8> {
    let wire = match line {
        DumpLine::Header(header) => WireLine::Header(WireHeader::from_model(header)),
        DumpLine::Record(record) => return encode_record(record),
        DumpLine::End(counts) => WireLine::End(WireEnd {
            counts: counts.clone(),
        }),
        DumpLine::Unknown(kind) => {
            return serde_json::to_vec(&serde_json::json!({ "type": kind }))
                .expect("a JSON object encodes");
        }
    };
    serde_json::to_vec(&wire).expect("dump lines hold only JSON-encodable values")
}

/// Encodes one record line, as [`encode_line`] does.
pub fn encode_record(record: &Record) -> Vec<u8> {
    serde_json::to_vec(&wire_record(record)).expect("dump records hold only JSON-encodable values")
}

fn wire_record(record: &Record) -> WireLine {
    match record {
        Record::Checkpoint(stored) => {
            let cp = &stored.checkpoint;
            WireLine::Checkpoint(WireCheckpoint {
                tenant_id: cp.tenant_id.to_string(),
                thread_id: cp.thread_id.to_string(),
                id: cp.id.to_string(),
                parent_id: cp.parent_id.map(|id| id.to_string()),
                step: cp.step,
                state: cp.state.clone(),
                next_node: cp.next_node.clone(),
                timestamp: format_timestamp(&cp.timestamp),
                schema_version: i64::from(stored.schema_version.number()),
                metadata: cp.metadata.clone(),
            })
        }
        Record::Event { thread, event } => WireLine::Event(WireEvent {
            tenant_id: thread.tenant.to_string(),
            thread_id: thread.thread.to_string(),
            ordinal: event.ordinal,
            event: event.event.clone(),
        }),
        Record::Watermark { thread, watermark } => WireLine::Watermark(WireWatermark {
            tenant_id: thread.tenant.to_string(),
            thread_id: thread.thread.to_string(),
            watermark: *watermark,
        }),
        Record::Item(item) => WireLine::Item(WireItem {
            tenant_id: item.namespace.tenant.to_string(),
            namespace: item.namespace.scope.clone(),
            key: item.key.clone(),
            value: item.value.clone(),
            expires_at: item.expires_at.as_ref().map(format_timestamp),
        }),
    }
}

impl WireHeader {
    fn from_model(header: &DumpHeader) -> Self {
        Self {
            format: FORMAT_NAME.to_string(),
            version: header.version.to_string(),
            source: Some(header.source.clone()),
            written_at: Some(format_timestamp(&header.written_at)),
            writer: Some(header.writer.clone()),
            selection: Some(header.selection.clone()),
        }
    }

    fn into_model(self) -> Result<DumpHeader, LineError> {
        if self.format != FORMAT_NAME {
            return Err(LineError(format!(
                "not a threadctl dump: its header names the format {:?}, not {FORMAT_NAME:?}",
                self.format
            )));
        }
        let version = DumpVersion::parse(&self.version).ok_or_else(|| {
            LineError(format!(
                "the header's version {:?} is not MAJOR.MINOR",
                self.version
            ))
        })?;
        if version.major != DumpVersion::CURRENT.major {
            let advice = if version.major > DumpVersion::CURRENT.major {
                "import it with a threadctl that reads it (a newer release)"
            } else {
                "import it with the threadctl release that wrote it"
            };
            return Err(LineError(format!(
                "dump format version {version} is not readable by this threadctl, which reads {}.x; {advice}",
                DumpVersion::CURRENT.major
            )));
        }
        let missing = |field: &str| LineError(format!("the header has no {field:?}"));
        let written_at = self.written_at.ok_or_else(|| missing("written_at"))?;
        Ok(DumpHeader {
            version,
            source: self.source.ok_or_else(|| missing("source"))?,
            written_at: timestamp(&written_at, "written_at")?,
            writer: self.writer.ok_or_else(|| missing("writer"))?,
            selection: self.selection.ok_or_else(|| missing("selection"))?,
        })
    }
}

impl WireCheckpoint {
    fn into_model(self) -> Result<StoredCheckpoint, LineError> {
        let id = checkpoint_id(&self.id, "id")?;
        let parent_id = self
            .parent_id
            .as_deref()
            .map(|parent| checkpoint_id(parent, "parent_id"))
            .transpose()?;
        let schema_version =
            EnvelopeVersion::from_number(self.schema_version, &format!("checkpoint {id}"))
                .map_err(|e| LineError(e.to_string()))?;
        if schema_version == EnvelopeVersion::V1 && !self.metadata.is_empty() {
            return Err(LineError(format!(
                "checkpoint {id} is at envelope version 1 but has metadata, which version 1 cannot hold"
            )));
        }
        let key = thread_key(self.tenant_id, self.thread_id)?;
        Ok(StoredCheckpoint {
            checkpoint: Checkpoint {
                id,
                tenant_id: key.tenant,
                thread_id: key.thread,
                parent_id,
                step: self.step,
                state: self.state,
                next_node: self.next_node,
                timestamp: timestamp(&self.timestamp, "timestamp")?,
                metadata: self.metadata,
            },
            schema_version,
        })
    }
}

impl WireEvent {
    fn into_model(self) -> Result<Record, LineError> {
        if self.ordinal == 0 {
            return Err(LineError(
                "an event's ordinal is 1 or more (ordinals are 1-based)".to_string(),
            ));
        }
        Ok(Record::Event {
            thread: thread_key(self.tenant_id, self.thread_id)?,
            event: SessionEvent {
                ordinal: self.ordinal,
                event: self.event,
            },
        })
    }
}

impl WireItem {
    fn into_model(self) -> Result<StoreItem, LineError> {
        let tenant = TenantId::new(self.tenant_id).map_err(|e| LineError(e.to_string()))?;
        let expires_at = self
            .expires_at
            .as_deref()
            .map(|at| timestamp(at, "expires_at"))
            .transpose()?;
        Ok(StoreItem {
            namespace: Namespace::new(tenant, self.namespace),
            key: self.key,
            value: self.value,
            expires_at,
        })
    }
}

fn thread_key(tenant: String, thread: String) -> Result<ThreadKey, LineError> {
    Ok(ThreadKey {
        tenant: TenantId::new(tenant).map_err(|e| LineError(e.to_string()))?,
        thread: ThreadId::new(thread).map_err(|e| LineError(e.to_string()))?,
    })
}

fn checkpoint_id(text: &str, field: &str) -> Result<CheckpointId, LineError> {
    text.parse()
        .map_err(|_| LineError(format!("{field} {text:?} is not a UUID")))
}

fn timestamp(text: &str, field: &str) -> Result<DateTime<Utc>, LineError> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| LineError(format!("{field} {text:?} is not an RFC 3339 time ({e})")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn header() -> DumpHeader {
        DumpHeader {
            version: DumpVersion::CURRENT,
            source: "redis".into(),
            written_at: "2026-12-02T18:00:00.5Z".parse().unwrap(),
            writer: "threadctl 0.1.0".into(),
            selection: Map::new(),
        }
    }

    fn checkpoint(version: EnvelopeVersion) -> StoredCheckpoint {
        let key = ThreadKey::new("a:b", "ü/🧵").unwrap();
        let mut cp = Checkpoint::new(
            &key,
            Some(CheckpointId::new_v7()),
            7,
            json!({"z": 1, "a": [-0.0, 1e300, 18446744073709551615u64, "\u{0}\u{7f}"]}),
            None,
        );
        cp.timestamp = "2026-11-25T16:40:27.123456789Z".parse().unwrap();
        if version == EnvelopeVersion::V2 {
            cp.metadata.insert("source".into(), json!("put"));
        }
        StoredCheckpoint {
            checkpoint: cp,
            schema_version: version,
        }
    }

    fn every_kind_of_line() -> Vec<DumpLine> {
        let thread = ThreadKey::new("t", "th").unwrap();
        vec![
            DumpLine::Header(header()),
            DumpLine::Record(Record::Checkpoint(checkpoint(EnvelopeVersion::V1))),
            DumpLine::Record(Record::Checkpoint(checkpoint(EnvelopeVersion::V2))),
            DumpLine::Record(Record::Event {
                thread: thread.clone(),
                event: SessionEvent {
                    ordinal: 3,
                    event: json!(["x"]),
                },
            }),
            DumpLine::Record(Record::Watermark {
                thread,
                watermark: 2,
            }),
            DumpLine::Record(Record::Item(StoreItem {
                namespace: Namespace::new(TenantId::new("t").unwrap(), ["a:b", "\\"]),
                key: "k:1".into(),
                value: json!({"v": null}),
                expires_at: Some("2030-01-01T00:00:00Z".parse().unwrap()),
            })),
            DumpLine::End(DumpCounts::from([("checkpoint".to_string(), 2)])),
        ]
    }

    #[test]
    fn every_line_round_trips_exactly() {
        for line in every_kind_of_line() {
            let bytes = encode_line(&line);
            assert!(!bytes.contains(&b'\n'));
            assert_eq!(decode_line(&bytes).unwrap(), line);
            assert_eq!(encode_line(&decode_line(&bytes).unwrap()), bytes);
        }
    }

    #[test]
    fn state_keys_keep_their_order_and_numbers_their_bits() {
        let line = DumpLine::Record(Record::Checkpoint(checkpoint(EnvelopeVersion::V1)));
        let text = String::from_utf8(encode_line(&line)).unwrap();
        assert!(
            text.contains(r#""state":{"z":1,"a":[-0.0,1e+300,18446744073709551615,"\u0000"#),
            "{text}"
        );
    }

    #[test]
    fn integers_a_double_would_round_are_refused_not_rounded() {
        let line = br#"{"type":"event","tenant_id":"t","thread_id":"x","ordinal":1,"event":{"n":123456789012345678901234567890}}"#;
        let err = decode_line(line).unwrap_err();
        assert!(err.0.contains("rounded to 1.2345678901234568e+29"), "{err}");
    }

    #[test]
    fn unknown_fields_are_ignored_and_unknown_types_named() {
        let line =
            br#"{"type":"watermark","tenant_id":"t","thread_id":"x","watermark":4,"later":true}"#;
        assert!(matches!(
            decode_line(line).unwrap(),
            DumpLine::Record(Record::Watermark { watermark: 4, .. })
        ));
        assert_eq!(
            decode_line(br#"{"type":"lock","anything":[1]}"#).unwrap(),
            DumpLine::Unknown("lock".into())
        );
    }

    #[test]
    fn headers_of_other_formats_and_majors_are_refused() {
        let err =
            decode_line(br#"{"type":"header","format":"pg_dump","version":"1.0"}"#).unwrap_err();
        assert!(err.0.contains("not a threadctl dump"), "{err}");
        let err = decode_line(br#"{"type":"header","format":"threadctl-dump","version":"2.0"}"#)
            .unwrap_err();
        assert!(err.0.contains("version 2.0"), "{err}");
        let newer_minor = br#"{"type":"header","format":"threadctl-dump","version":"1.7","source":"x","written_at":"2026-01-01T00:00:00Z","writer":"w","selection":{},"extra":1}"#;
        match decode_line(newer_minor).unwrap() {
            DumpLine::Header(h) => assert_eq!(h.version, DumpVersion { major: 1, minor: 7 }),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn missing_fields_are_errors_not_defaults() {
        let base = json!({"type":"checkpoint","tenant_id":"t","thread_id":"x",
            "id":"01a213c0-5264-7366-9672-a4c708b1e89f","parent_id":null,"step":0,"state":null,
            "next_node":null,"timestamp":"2026-01-01T00:00:00Z","schema_version":1,"metadata":{}});
        assert!(decode_line(base.to_string().as_bytes()).is_ok());
        for field in [
            "parent_id",
            "next_node",
            "state",
            "metadata",
            "schema_version",
        ] {
            let mut line = base.clone();
            line.as_object_mut().unwrap().remove(field);
            let err = decode_line(line.to_string().as_bytes()).unwrap_err();
            assert!(err.0.contains(field), "{field}: {err}");
        }
        let mut v1_with_metadata = base.clone();
        v1_with_metadata["metadata"] = json!({"k": 1});
        assert!(decode_line(v1_with_metadata.to_string().as_bytes()).is_err());
        let mut future = base;
        future["schema_version"] = json!(9);
        assert!(decode_line(future.to_string().as_bytes()).is_err());
    }

    #[test]
    fn hostile_bytes_are_errors() {
        for bytes in [
            &b""[..],
            b"\xff\xfe",
            b"[1,2]",
            b"{\"type\":7}",
            b"{\"type\":\"event\",\"tenant_id\":\"t\",\"thread_id\":\"x\",\"ordinal\":0,\"event\":1}",
            b"{\"type\":\"item\",\"tenant_id\":\"\",\"namespace\":[],\"key\":\"k\",\"value\":1,\"expires_at\":null}",
            b"{\"type\":\"event\",\"tenant_id\":\"t\",\"thread_id\":\"x\",\"ordinal\":1,\"event\":\"\\ud800\"}",
            b"{\"type\":\"event\",\"tenant_id\":\"t\xff\",\"thread_id\":\"x\",\"ordinal\":1,\"event\":1}",
        ] {
            assert!(decode_line(bytes).is_err(), "{bytes:?}");
        }
        let deep = "[".repeat(100_000);
        assert!(decode_line(deep.as_bytes()).is_err());
    }

    #[test]
    fn versions_parse_strictly() {
        assert_eq!(
            DumpVersion::parse("1.12"),
            Some(DumpVersion {
                major: 1,
                minor: 12
            })
        );
        for bad in ["1", "1.", ".1", "1.0.0", "+1.0", "a.b", ""] {
            assert_eq!(DumpVersion::parse(bad), None, "{bad}");
        }
    }
}
