//! The cached write version every backend keeps, so that writes know their
//! envelope version without a round trip, and keeps fresh in the
//! background, so that a change made by another process reaches a
//! long-running user within [`WRITE_VERSION_REFRESH`].

use std::future::Future;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;
use std::time::Duration;

use crate::error::Result;
use crate::model::EnvelopeVersion;

/// How often a connected backend re-reads the store's write version.
///
/// A `threadctl migrate` run in another process changes the stored write
/// version; a library user connected before it writes at the new version
/// at the latest this long (plus one round trip) after the change, without
/// calling [`refresh_write_version`](crate::backend::WriteVersionAdmin::refresh_write_version)
/// itself. One small read per interval and backend is the price.
pub const WRITE_VERSION_REFRESH: Duration = Duration::from_secs(2);

/// A store's write version as last read or set by this instance.
#[derive(Debug)]
pub struct WriteVersionCache(Arc<AtomicU32>);

impl WriteVersionCache {
    /// A cache holding `version`.
    pub fn new(version: EnvelopeVersion) -> Self {
        Self(Arc::new(AtomicU32::new(version.number())))
    }

    /// The cached version.
    pub fn get(&self) -> EnvelopeVersion {
        decode(self.0.load(Ordering::Acquire))
    }

    /// Replaces the cached version.
    pub fn set(&self, version: EnvelopeVersion) {
        self.0.store(version.number(), Ordering::Release);
    }

    /// Re-reads the stored version every [`WRITE_VERSION_REFRESH`] on the
    /// current Tokio runtime, for as long as this cache (its backend)
    /// lives: `read` gives the read to make, `None` once the connection it
    /// uses is gone; the task ends at the first tick after either. A
    /// failed read keeps the cached version (the next tick tries again)
    /// and is logged at debug level: the backend's own calls report a
    /// server that is gone.
    pub fn keep_fresh<F, Fut>(&self, mut read: F)
    where
        F: FnMut() -> Option<Fut> + Send + 'static,
        Fut: Future<Output = Result<EnvelopeVersion>> + Send + 'static,
    {
        let cell = Arc::downgrade(&self.0);
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(WRITE_VERSION_REFRESH).await;
                if cell.strong_count() == 0 {
                    return;
                }
                let Some(reading) = read() else { return };
                match reading.await {
                    Ok(version) => match cell.upgrade() {
                        Some(cell) => cell.store(version.number(), Ordering::Release),
                        None => return,
                    },
                    Err(e) => tracing::debug!("re-reading the write version failed: {e}"),
                }
            }
        });
    }
}

/// The version a cached number stands for.
fn decode(number: u32) -> EnvelopeVersion {
    match number {
        2 => EnvelopeVersion::V2,
        _ => EnvelopeVersion::V1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn holds_what_was_set_last() {
        let cache = WriteVersionCache::new(EnvelopeVersion::V1);
        assert_eq!(cache.get(), EnvelopeVersion::V1);
        cache.set(EnvelopeVersion::V2);
        assert_eq!(cache.get(), EnvelopeVersion::V2);
    }

    #[tokio::test(start_paused = true)]
    async fn picks_up_a_stored_change_within_the_interval() {
        let cache = WriteVersionCache::new(EnvelopeVersion::V1);
        cache.keep_fresh(|| Some(async { Ok(EnvelopeVersion::V2) }));
        tokio::time::sleep(WRITE_VERSION_REFRESH + Duration::from_millis(1)).await;
        assert_eq!(cache.get(), EnvelopeVersion::V2);
    }

    #[tokio::test(start_paused = true)]
    async fn stops_once_the_cache_is_dropped() {
        let loads = Arc::new(AtomicU32::new(0));
        let cache = WriteVersionCache::new(EnvelopeVersion::V1);
        let counted = Arc::clone(&loads);
        cache.keep_fresh(move || {
            counted.fetch_add(1, Ordering::SeqCst);
            Some(async { Ok(EnvelopeVersion::V1) })
        });
        tokio::time::sleep(WRITE_VERSION_REFRESH * 3 + Duration::from_millis(1)).await;
        assert_eq!(loads.load(Ordering::SeqCst), 3);
        drop(cache);
        tokio::time::sleep(WRITE_VERSION_REFRESH * 3).await;
        assert_eq!(loads.load(Ordering::SeqCst), 3);
    }
}
