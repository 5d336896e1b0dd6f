//! What a test file may make `lagom test` read: test files come with the change under review,
//! so a path they name must not show another file of the machine in a report, nor block the
//! run (src/suite/confine.rs).
#![cfg(unix)]

mod common;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::temp_files;

const TEST: &str = "tests:\n  - name: x\n    campaign: {campaign: a, purpose: p, basis: b, data: []}\n    \
                    expect: {decision: allow}\n";

/// Runs `lagom test --format json .` in `dir`: its exit code, and its standard output and
/// error together.
fn lagom_test(dir: &std::path::Path, stdin: Stdio) -> (Option<i32>, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_lagom"))
        .args(["test", "--format", "json", "."])
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("CI_SECRET_TOKEN", "hunter2-abc")
        .stdin(stdin)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > Duration::from_secs(30) {
            child.kill().unwrap();
            panic!("lagom test blocked");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let out = child.wait_with_output().unwrap();
    let all = [out.stdout, out.stderr].concat();
    (out.status.code(), String::from_utf8_lossy(&all).into_owned())
}

#[test]
fn a_policy_path_to_another_kind_of_file_is_not_shown() {
    let d = temp_files(&[("env.test.yaml", &format!("policy: /proc/self/environ\n{TEST}"))]);
    std::os::unix::fs::symlink("/proc/self/environ", d.path().join("evil.policy")).unwrap();
    std::fs::write(d.path().join("link.test.yaml"), format!("policy: evil.policy\n{TEST}")).unwrap();
    let (code, err) = lagom_test(d.path(), Stdio::null());
    assert_eq!(code, Some(2));
    assert!(!err.contains("hunter2"), "{err}");
    assert!(
        err.contains("`policy:` names `/proc/self/environ`, which is not a `.policy` file or a folder of them"),
        "{err}"
    );
    assert!(err.contains("`policy:` names `evil.policy`, a link to `/proc/self/environ`, which is not"), "{err}");
}

/// A `file:` linked to standard input (a pipe that never ends) or naming a FIFO would block
/// the run, and every other test file's report with it.
#[test]
fn a_campaign_path_to_a_pipe_does_not_block() {
    let test = "tests:\n  - name: d\n    file: in.yaml\n    expect:\n      decision: allow\n";
    let d = temp_files(&[("t.test.yaml", test), ("f/t.test.yaml", &test.replace("in.yaml", "fifo.yaml"))]);
    std::os::unix::fs::symlink("/dev/stdin", d.path().join("in.yaml")).unwrap();
    assert!(Command::new("mkfifo").arg(d.path().join("f/fifo.yaml")).status().unwrap().success());
    let mut writer = Command::new("sleep").arg("60").stdout(Stdio::piped()).spawn().unwrap();
    let pipe = writer.stdout.take().unwrap();
    let (code, err) = lagom_test(d.path(), Stdio::from(pipe));
    writer.kill().unwrap();
    writer.wait().unwrap();
    assert_eq!(code, Some(2));
    assert!(err.contains("`file:` names `./in.yaml`, a link to `/dev/stdin`, which is not a regular file"), "{err}");
    assert!(err.contains("`file:` names `./f/fifo.yaml`, which is not a regular file"), "{err}");
}
