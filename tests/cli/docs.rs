//! `--help`, `completions`, and the committed completions/ and man/ files
//! (refresh them with `cargo run -- generate-docs .`).

use std::collections::BTreeMap;
use std::path::Path;

use crate::env::bin;

#[test]
fn help_documents_exit_codes_and_completions_print() {
    let help = bin().arg("--help").output().expect("run");
    let text = String::from_utf8_lossy(&help.stdout);
    assert!(help.status.success());
    for line in [
        "Exit codes:",
        "3  not found",
        "5  data problem",
        "6  verification",
    ] {
        assert!(text.contains(line), "{line} missing from --help");
    }
    let bash = bin().args(["completions", "bash"]).output().expect("run");
    assert!(bash.status.success());
    assert!(String::from_utf8_lossy(&bash.stdout).contains("_threadctl"));
}

/// Every file of `dir` (not recursive) by name.
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("reading {}: {e}", dir.display()))
        .map(|entry| {
            let entry = entry.expect("dir entry");
            let bytes = std::fs::read(entry.path()).expect("read file");
            (entry.file_name().to_string_lossy().into_owned(), bytes)
        })
        .collect()
}

#[test]
fn committed_completions_and_man_pages_are_up_to_date() {
    let fresh = tempfile::tempdir().expect("tempdir");
    bin()
        .arg("generate-docs")
        .arg(fresh.path())
        .assert()
        .success();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for dir in ["completions", "man"] {
        let committed = files(&root.join(dir));
        let generated = files(&fresh.path().join(dir));
        let names = |m: &BTreeMap<String, Vec<u8>>| m.keys().cloned().collect::<Vec<_>>();
        assert_eq!(
            names(&committed),
            names(&generated),
            "{dir}/ lists other files than the CLI generates; run `cargo run -- generate-docs .`"
        );
        for (name, bytes) in &generated {
            assert!(
                committed.get(name) == Some(bytes),
                "{dir}/{name} is stale; run `cargo run -- generate-docs .` and commit the result"
            );
        }
    }
}

#[test]
fn every_visible_command_has_a_man_page_and_the_root_page_lists_exit_codes() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("man");
    for page in [
        "threadctl.1",
        "threadctl-put.1",
        "threadctl-latest.1",
        "threadctl-show.1",
        "threadctl-history.1",
        "threadctl-fork.1",
        "threadctl-diff.1",
        "threadctl-threads.1",
        "threadctl-events-append.1",
        "threadctl-events-tail.1",
        "threadctl-events-archive.1",
        "threadctl-store-get.1",
        "threadctl-store-put.1",
        "threadctl-store-ls.1",
        "threadctl-store-rm.1",
        "threadctl-store-namespaces.1",
        "threadctl-store-evict.1",
        "threadctl-completions.1",
    ] {
        assert!(root.join(page).is_file(), "man/{page} is missing");
    }
    let main = std::fs::read_to_string(root.join("threadctl.1")).expect("root page");
    assert!(main.contains(".SH \"EXIT STATUS\""));
    for code in 0..=6 {
        assert!(
            main.contains(&format!(".TP\n{code}\n")),
            "exit code {code} undocumented"
        );
    }
}

#[test]
fn man_pages_have_environment_exit_status_and_examples_and_no_dangling_references() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("man");
    let pages = files(&root);
    let main = String::from_utf8_lossy(&pages["threadctl.1"]).to_string();
    for section in [".SH ENVIRONMENT", ".SH \"EXIT STATUS\"", ".SH EXAMPLES"] {
        assert!(main.contains(section), "threadctl.1 lacks {section}");
    }
    assert!(main.contains("THREADCTL_URL") && main.contains("THREADCTL_LOCK_TOKEN"));
    for (name, bytes) in &pages {
        let text = String::from_utf8_lossy(bytes);
        assert!(text.contains(".SH ENVIRONMENT"), "{name} lacks ENVIRONMENT");
        assert!(
            text.contains(".SH \"EXIT STATUS\""),
            "{name} lacks EXIT STATUS"
        );
        for reference in text.split(['\n', ' ']).filter(|w| w.ends_with("(1)")) {
            let file = format!(
                "{}.1",
                reference.trim_end_matches("(1)").replace("\\-", "-")
            );
            assert!(
                pages.contains_key(&file),
                "{name} refers to {reference}, which has no page"
            );
        }
    }
}

#[test]
fn no_completion_offers_a_hidden_command() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let output = bin().args(["completions", shell]).output().expect("run");
        assert!(output.status.success(), "completions {shell}");
        let script = String::from_utf8_lossy(&output.stdout);
        assert!(script.contains("acquire"), "{shell} offers lock acquire");
        assert!(
            script.contains("namespaces"),
            "{shell} offers store namespaces"
        );
        for hidden in [
            "generate-docs",
            "Internal: the detached",
            "Internal\\: the detached",
        ] {
            assert!(!script.contains(hidden), "{shell} offers hidden {hidden}");
        }
    }
    let bash = bin().args(["completions", "bash"]).output().expect("run");
    let script = String::from_utf8_lossy(&bash.stdout);
    let offered: Vec<&str> = script
        .lines()
        .filter_map(|l| l.trim().strip_prefix("opts=\""))
        .flat_map(|words| words.trim_end_matches('"').split(' '))
        .collect();
    assert!(offered.contains(&"acquire"), "{offered:?}");
    assert!(!offered.contains(&"hold"), "bash offers hidden lock hold");
}

#[test]
fn help_lists_global_flags_under_their_own_heading_and_long_texts_in_paragraphs() {
    let help = bin().args(["history", "--help"]).output().expect("run");
    let text = String::from_utf8_lossy(&help.stdout);
    let (own, global) = text
        .split_once("Global options:")
        .expect("a Global options heading");
    assert!(own.contains("--limit") && !own.contains("--url"), "{text}");
    assert!(
        global.contains("--url") && global.contains("--tenant"),
        "{text}"
    );
    let help = bin().args(["lock", "run", "--help"]).output().expect("run");
    let text = String::from_utf8_lossy(&help.stdout);
    let about = text.split("Usage:").next().expect("about");
    assert!(
        about.trim().split("\n\n").count() >= 5,
        "one block: {about}"
    );
}
