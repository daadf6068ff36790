//! Production connections, tried as an operator would: TLS on Redis and
//! Postgres (tls), time limits on stalled servers (stalls), and passwords
//! that never reach the output (secrets), retries after connections
//! break (retries), a follower that outlives an outage (follow), and
//! `lock run` under a partition (partition). Servers the default ones cannot
//! stand in for are started by the tests on loopback (servers).

mod common;

#[path = "connections/follow.rs"]
mod follow;
#[path = "connections/partition.rs"]
mod partition;
#[path = "connections/retries.rs"]
mod retries;
#[path = "connections/secrets.rs"]
mod secrets;
#[path = "connections/servers.rs"]
mod servers;
#[path = "connections/stalls.rs"]
mod stalls;
#[path = "connections/tls.rs"]
mod tls;

use assert_cmd::Command;

/// The binary with no THREADCTL_* variables from the caller's environment.
pub fn bin() -> Command {
    let mut cmd = Command::cargo_bin("threadctl").expect("threadctl binary");
    for var in [
        "THREADCTL_URL",
        "THREADCTL_TENANT",
        "THREADCTL_LOG",
        "THREADCTL_CA_FILE",
        "THREADCTL_CONNECT_TIMEOUT",
        "THREADCTL_TIMEOUT",
        "PGPASSWORD",
    ] {
        cmd.env_remove(var);
    }
    cmd
}

/// What a run printed, stdout and stderr together, and its exit code.
pub struct Ran {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

/// Runs `cmd` and collects what it printed.
pub fn run(cmd: &mut Command) -> Ran {
    let output = cmd.output().expect("run threadctl");
    Ran {
        code: output.status.code(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}
