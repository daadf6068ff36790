//! Namespace parse/render: parsing any text never panics and, when it
//! succeeds, rendering gives the text back; any tenant and segments (the
//! input split at NUL bytes) render to text that parses to them again.
#![no_main]

use libfuzzer_sys::fuzz_target;
use threadctl::{Namespace, TenantId};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(parsed) = Namespace::parse(text) {
        assert_eq!(parsed.render(), text);
    }
    let mut parts = text.split('\0');
    let Some(Ok(tenant)) = parts.next().map(TenantId::new) else {
        return;
    };
    let namespace = Namespace::new(tenant, parts);
    let reparsed = Namespace::parse(&namespace.render()).expect("a rendered namespace parses");
    assert_eq!(reparsed, namespace);
    assert!(reparsed.starts_with(&Namespace::new(
        namespace.tenant.clone(),
        Vec::<String>::new()
    )));
});
