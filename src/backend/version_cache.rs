//! The cached write version every backend keeps, so that writes know their
//! envelope version without a round trip.

use std::sync::atomic::{AtomicU32, Ordering};

use crate::model::EnvelopeVersion;

/// A store's write version as last read or set by this instance.
#[derive(Debug)]
pub struct WriteVersionCache(AtomicU32);

impl WriteVersionCache {
    /// A cache holding `version`.
    pub fn new(version: EnvelopeVersion) -> Self {
        Self(AtomicU32::new(version.number()))
    }

    /// The cached version.
    pub fn get(&self) -> EnvelopeVersion {
        match self.0.load(Ordering::Acquire) {
            2 => EnvelopeVersion::V2,
            _ => EnvelopeVersion::V1,
        }
    }

    /// Replaces the cached version.
    pub fn set(&self, version: EnvelopeVersion) {
        self.0.store(version.number(), Ordering::Release);
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
}
