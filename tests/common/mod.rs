//! Helpers shared by the integration tests.
#![allow(dead_code)]

pub mod gen;

use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;
use serde_json::Value;

/// The project root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A `lagom` command with colour off and a fixed environment.
pub fn lagom() -> Command {
    let mut c = Command::cargo_bin("lagom").unwrap();
    c.env("NO_COLOR", "1").current_dir(root());
    c
}

/// Runs `lagom check --format json` with the given extra arguments.
pub fn check_json(args: &[&str]) -> (i32, Value) {
    let out = lagom().arg("check").arg("--format").arg("json").args(args).output().unwrap();
    let json = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)));
    (out.status.code().unwrap(), json)
}

/// Writes files into a fresh temporary directory.
pub fn temp_files(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

/// The conformance suite's base vocabulary, for small test policies.
pub const BASE: &str = r#"policy "test base" version "1"
basis consent, contract, legitimate_interests
channel email, sms, display
set eea = [SE, DK, FI, NO, DE, FR]
category contact "Contact details" {
  category email
  category phone
}
category behavior {
  category purchase_history
  category browsing
}
category special {
  category health
}
purpose marketing {
  purpose newsletter
  purpose profiling
}
purpose analytics {
  purpose measurement
}
"#;

/// stdout as text.
pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// A path under the root as a string.
pub fn path(p: &Path) -> String {
    p.to_string_lossy().into_owned()
}

/// One reported error as a test compares it: message, line, column and help.
#[derive(Debug, PartialEq)]
pub struct Reported {
    pub message: String,
    pub line: u64,
    pub column: u64,
    pub help: String,
}
