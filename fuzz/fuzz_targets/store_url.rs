//! Store URL parsing and redaction: any text parses to a location or an
//! error, never a panic; given a password, the redacted form of the URL
//! shows it nowhere but where the input itself already had that text
//! (the fuzzer learns the marker and writes it into user names and hosts).
#![no_main]

use libfuzzer_sys::fuzz_target;
use threadctl::StoreUrl;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(parsed) = StoreUrl::parse(text) else {
        return;
    };
    let shown = parsed.redacted();
    if let StoreUrl::Postgres(_) | StoreUrl::Redis(_) = parsed {
        let marker = "hunter2-fuzz-secret";
        if let Ok(mut url) = url::Url::parse(text) {
            let _ = url.set_password(None);
            let elsewhere = url.as_str().matches(marker).count();
            if url.set_password(Some(marker)).is_ok() && url.password().is_some() {
                let redacted = StoreUrl::parse(url.as_str())
                    .expect("still a store URL")
                    .redacted();
                assert!(redacted.matches(marker).count() <= elsewhere, "{redacted}");
            }
        }
    }
    assert!(!shown.is_empty());
});
