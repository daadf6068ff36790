//! Servers these tests start on loopback and stop on drop: a TLS-only
//! Redis with certificates made at test time, a listener that accepts and
//! never answers, and a proxy that can be told to hold the bytes.

use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, KeyPair};

pub use crate::common::free_port;
use crate::common::wait_for_port;

/// A certificate authority and a server certificate it signed, as PEM
/// files in a temporary directory.
pub struct TestPki {
    pub dir: tempfile::TempDir,
    pub ca: PathBuf,
    pub cert: PathBuf,
    pub key: PathBuf,
}

impl TestPki {
    /// A fresh CA, and a certificate for `localhost` and 127.0.0.1.
    pub fn new() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut ca_params = CertificateParams::new(Vec::<String>::new()).expect("CA params");
        ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        ca_params
            .distinguished_name
            .push(DnType::CommonName, "threadctl test CA");
        let ca_key = KeyPair::generate().expect("CA key");
        let ca_cert = ca_params.self_signed(&ca_key).expect("CA certificate");
        let params = CertificateParams::new(vec!["localhost".to_string(), "127.0.0.1".to_string()])
            .expect("server params");
        let key = KeyPair::generate().expect("server key");
        let cert = params
            .signed_by(&key, &ca_cert, &ca_key)
            .expect("server certificate");
        let write = |name: &str, text: String| {
            let path = dir.path().join(name);
            std::fs::write(&path, text).expect("write PEM");
            path
        };
        Self {
            ca: write("ca.pem", ca_cert.pem()),
            cert: write("server.pem", cert.pem()),
            key: write("server.key", key.serialize_pem()),
            dir,
        }
    }
}

/// A redis-server that only speaks TLS, with `pki`'s certificate.
pub struct TlsRedis {
    pub port: u16,
    child: Child,
}

impl TlsRedis {
    /// Starts it on a free loopback port.
    pub fn start(pki: &TestPki) -> Self {
        let port = free_port();
        let path = |p: &Path| p.display().to_string();
        let mut child = Command::new("redis-server")
            .args(["--port", "0", "--bind", "127.0.0.1"])
            .args(["--tls-port", &port.to_string()])
            .args(["--tls-cert-file", &path(&pki.cert)])
            .args(["--tls-key-file", &path(&pki.key)])
            .args(["--tls-ca-cert-file", &path(&pki.ca)])
            .args(["--tls-auth-clients", "no"])
            .args(["--save", "", "--appendonly", "no"])
            .args(["--dir", &path(pki.dir.path())])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start redis-server");
        wait_for_port(port, &mut child);
        Self { port, child }
    }
}

impl Drop for TlsRedis {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A listener that accepts connections and never sends a byte.
pub struct Stall {
    pub port: u16,
    stop: Arc<AtomicBool>,
}

impl Stall {
    /// Starts it on a free loopback port.
    pub fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = listener.local_addr().expect("addr").port();
        listener.set_nonblocking(true).expect("nonblocking");
        let stop = Arc::new(AtomicBool::new(false));
        let stopped = stop.clone();
        std::thread::spawn(move || {
            let mut held = Vec::new();
            while !stopped.load(Ordering::Relaxed) {
                match listener.accept() {
                    Ok((stream, _)) => held.push(stream),
                    Err(_) => std::thread::sleep(Duration::from_millis(10)),
                }
            }
        });
        Self { port, stop }
    }
}

impl Drop for Stall {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

/// What the proxy's threads share.
#[derive(Default)]
struct ProxyState {
    /// Read bytes but pass none on (a partition).
    hold: AtomicBool,
    /// Close the client's connection instead of passing on the next reply.
    drop_reply: AtomicBool,
    /// Close every connection at once, as a server that is down would.
    down: AtomicBool,
    stop: AtomicBool,
    /// The client side of every open connection, for [`Proxy::cut`].
    clients: Mutex<Vec<TcpStream>>,
}

/// A TCP proxy to `127.0.0.1:upstream` that forwards bytes until told to
/// hold them (a partition that keeps connections open), to cut every
/// connection (a server restart), to be down for a while, or to lose one
/// reply (a write applied
/// by the server whose answer never arrives).
pub struct Proxy {
    pub port: u16,
    state: Arc<ProxyState>,
}

impl Proxy {
    /// Starts it on a free loopback port.
    pub fn start(upstream: u16) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = listener.local_addr().expect("addr").port();
        listener.set_nonblocking(true).expect("nonblocking");
        let state = Arc::new(ProxyState::default());
        let shared = state.clone();
        std::thread::spawn(move || {
            while !shared.stop.load(Ordering::Relaxed) {
                let Ok((client, _)) = listener.accept() else {
                    std::thread::sleep(Duration::from_millis(5));
                    continue;
                };
                if shared.down.load(Ordering::Relaxed) {
                    drop(client);
                    continue;
                }
                let Ok(server) = TcpStream::connect(("127.0.0.1", upstream)) else {
                    continue;
                };
                let _ = client.set_nonblocking(false);
                if let Ok(clone) = client.try_clone() {
                    shared.clients.lock().unwrap().push(clone);
                }
                for (from, to, replies) in [
                    (client.try_clone(), server.try_clone(), false),
                    (server.try_clone(), client.try_clone(), true),
                ] {
                    let (Ok(from), Ok(to)) = (from, to) else {
                        continue;
                    };
                    let shared = shared.clone();
                    std::thread::spawn(move || pump(from, to, replies, &shared));
                }
            }
        });
        Self { port, state }
    }

    /// From now on, bytes are read but no longer passed on.
    pub fn hold(&self) {
        self.state.hold.store(true, Ordering::Relaxed);
    }

    /// Closes every open connection, as a server restart would.
    pub fn cut(&self) {
        for client in self.state.clients.lock().unwrap().drain(..) {
            let _ = client.shutdown(Shutdown::Both);
        }
    }

    /// Takes the "server" down (every connection cut, new ones closed at
    /// once) or brings it back up.
    pub fn set_down(&self, down: bool) {
        self.state.down.store(down, Ordering::Relaxed);
        if down {
            self.cut();
        }
    }

    /// The next reply from the server is not passed on: the client's
    /// connection is closed instead.
    pub fn drop_next_reply(&self) {
        self.state.drop_reply.store(true, Ordering::Relaxed);
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.state.stop.store(true, Ordering::Relaxed);
        self.cut();
    }
}

/// Copies `from` to `to` until either end closes or the proxy stops,
/// dropping what it reads while the proxy holds; `replies` is the
/// server-to-client direction, where a reply may be dropped.
fn pump(mut from: TcpStream, mut to: TcpStream, replies: bool, state: &ProxyState) {
    from.set_read_timeout(Some(Duration::from_millis(50)))
        .expect("read timeout");
    let mut buf = [0u8; 16 * 1024];
    while !state.stop.load(Ordering::Relaxed) {
        match from.read(&mut buf) {
            Ok(0) => break,
            Ok(_) if state.hold.load(Ordering::Relaxed) => {}
            Ok(_) if replies && state.drop_reply.swap(false, Ordering::Relaxed) => break,
            Ok(n) => {
                if to.write_all(&buf[..n]).is_err() {
                    break;
                }
            }
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) => {}
            Err(_) => break,
        }
    }
    let _ = to.shutdown(Shutdown::Both);
    let _ = from.shutdown(Shutdown::Both);
}
