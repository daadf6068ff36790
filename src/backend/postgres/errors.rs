//! Mapping driver errors to the library's errors.

use std::io::ErrorKind;

use crate::error::Error;

use super::KIND;

/// SQLSTATE the `threadctl_*` functions raise for "not in this thread".
const NOT_FOUND: &str = "P0002";
/// SQLSTATE of a unique violation.
const UNIQUE_VIOLATION: &str = "23505";

/// True for connection failures worth retrying (refused, reset, aborted).
pub(super) fn is_transient(error: &sqlx::Error) -> bool {
    match error {
        sqlx::Error::Io(io) => matches!(
            io.kind(),
            ErrorKind::ConnectionRefused
                | ErrorKind::ConnectionReset
                | ErrorKind::ConnectionAborted
        ),
        _ => false,
    }
}

/// True for a wait on the server that ran out its time limit.
pub(super) fn is_stall(error: &sqlx::Error) -> bool {
    matches!(error, sqlx::Error::Io(io) if io.kind() == ErrorKind::TimedOut)
}

/// True when the connection broke without the server saying why (reset,
/// end of stream): unlike a session the server ended with an error, what
/// was sent last may or may not have been applied.
pub(super) fn is_broken(error: &sqlx::Error) -> bool {
    matches!(error, sqlx::Error::Io(_) | sqlx::Error::Protocol(_))
}

/// True when the error means the connection itself is gone.
pub(super) fn is_connection_lost(error: &sqlx::Error) -> bool {
    matches!(
        error,
        sqlx::Error::Io(_) | sqlx::Error::Protocol(_) | sqlx::Error::WorkerCrashed
    ) || matches!(error, sqlx::Error::Database(db)
        if db.code().is_some_and(|code| code.starts_with("57P") || code.starts_with("08")))
}

/// A closure mapping a driver error to [`Error`], saying what was being done:
/// the functions' "not found" becomes [`Error::NotFound`], a unique
/// violation [`Error::Conflict`], anything else [`Error::Backend`].
pub(super) fn driver_error(context: impl Into<String>) -> impl FnOnce(sqlx::Error) -> Error {
    let context = context.into();
    move |error| {
        if let sqlx::Error::Database(db) = &error {
            match db.code().as_deref() {
                Some(NOT_FOUND) => return Error::NotFound(db.message().to_string()),
                Some(UNIQUE_VIOLATION) => {
                    return Error::conflict(
                        crate::error::ConflictKind::DuplicateId,
                        format!("{context}: {}", db.message()),
                    )
                }
                _ => {}
            }
        }
        Error::backend(KIND.name(), context, error)
    }
}
