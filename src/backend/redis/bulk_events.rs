//! Session logs in bulk: events written at their own ordinals with the
//! source's watermark in one script (`write_events.lua`).

use serde_json::Value;

use super::checkpoints::unexpected;
use super::scripts::WRITE_EVENTS;
use super::RedisBackend;
use crate::backend::bulk::{
    check_events, event_outcomes, BulkEvents, Landing, RecordOutcome, WriteMode,
};
use crate::backend::traits::SessionEvent;
use crate::error::{Error, Result};
use crate::model::ThreadKey;

impl BulkEvents for RedisBackend {
    async fn write_events(
        &self,
        thread: &ThreadKey,
        watermark: u64,
        events: &[SessionEvent],
        mode: WriteMode,
    ) -> Result<Vec<RecordOutcome>> {
        check_events(thread, events)?;
        let first = events.first().map_or(1, |e| e.ordinal);
        let mut args = vec![
            if mode == WriteMode::Replace { "1" } else { "0" }.to_string(),
            watermark.to_string(),
            first.to_string(),
        ];
        args.extend(events.iter().map(|e| e.event.to_string()));
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let context = format!("writing {} events of {thread}", events.len());
        let reply = self
            .run_log_script(&WRITE_EVENTS, thread, &args, context.clone())
            .await?;
        let mut landings = Vec::with_capacity(events.len());
        let mut existing = Vec::new();
        for (i, entry) in reply.rest().chunks(2).enumerate() {
            let [code, raw] = entry else {
                return Err(unexpected(&context, &reply));
            };
            landings.push(match code.as_slice() {
                b"a" => Landing::Archived,
                b"p" => Landing::Append,
                b"g" => Landing::Gap,
                b"e" => {
                    let ordinal = first + i as u64;
                    existing.push(serde_json::from_slice::<Value>(raw).map_err(|e| {
                        Error::corrupt(
                            format!("event {ordinal} of {thread} (redis)"),
                            format!("invalid JSON: {e}"),
                        )
                    })?);
                    Landing::Existing
                }
                _ => return Err(unexpected(&context, &reply)),
            });
        }
        if landings.len() != events.len() {
            return Err(unexpected(&context, &reply));
        }
        Ok(event_outcomes(&landings, events, &existing, mode))
    }
}
