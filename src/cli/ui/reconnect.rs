//! Riding out a lost server in a command that keeps going on its own
//! (`events tail --follow`): saying on stderr that the connection is lost,
//! waiting with backoff between tries, and saying when it is back.

use std::time::{Duration, Instant};

use crate::cli::Context;

/// The first pause after a failed try; each next one doubles up to
/// [`MAX_PAUSE`].
const FIRST_PAUSE: Duration = Duration::from_millis(500);
/// The longest pause between two tries.
const MAX_PAUSE: Duration = Duration::from_secs(10);

/// Whether the connection is lost, since when, and the next pause.
pub struct Reconnect {
    lost_since: Option<Instant>,
    pause: Duration,
}

impl Reconnect {
    /// Connected, as far as is known.
    pub fn new() -> Self {
        Self {
            lost_since: None,
            pause: FIRST_PAUSE,
        }
    }

    /// After a try that failed with `error`: says so on stderr (`doing`
    /// names what is resumed and from where) and waits before the next.
    pub async fn wait(&mut self, ctx: &Context, doing: &str, error: &threadctl::Error) {
        let seconds = self.pause.as_secs_f64();
        match self.lost_since {
            None => {
                self.lost_since = Some(Instant::now());
                ctx.note(&format!(
                    "disconnected from the store ({error}); reconnecting in {seconds:.1}s, \
                     then {doing}"
                ));
            }
            Some(since) => ctx.note(&format!(
                "still disconnected after {:.1}s ({error}); retrying in {seconds:.1}s",
                since.elapsed().as_secs_f64()
            )),
        }
        tokio::time::sleep(self.pause).await;
        self.pause = (self.pause * 2).min(MAX_PAUSE);
    }

    /// After a try that succeeded: says the connection is back (`doing`
    /// names what goes on), if it had been lost.
    pub fn back(&mut self, ctx: &Context, doing: &str) {
        if let Some(since) = self.lost_since.take() {
            ctx.note(&format!(
                "reconnected after {:.1}s; {doing}",
                since.elapsed().as_secs_f64()
            ));
        }
        self.pause = FIRST_PAUSE;
    }
}
