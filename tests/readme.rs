//! The README's short example gives exactly the output the README shows.

mod common;

use common::{lagom, root, stdout, temp_files};

fn block<'a>(readme: &'a str, start: &str) -> &'a str {
    let from = readme.find(start).unwrap_or_else(|| panic!("README lacks {start:?}")) + start.len();
    let rest = &readme[from..];
    &rest[..rest.find("```").unwrap()]
}

#[test]
fn the_readme_example_output_is_what_lagom_prints() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let policy = block(&readme, "`newsletter.policy`:\n\n```\n");
    let campaign = block(&readme, "`spring.yaml`:\n\n```yaml\n");
    let shown = block(&readme, "```console\n$ lagom check --policy newsletter.policy spring.yaml\n");
    let dir = temp_files(&[("newsletter.policy", policy), ("spring.yaml", campaign)]);
    let out = lagom()
        .current_dir(dir.path())
        .args(["check", "--policy", "newsletter.policy", "spring.yaml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let norm = |t: &str| t.trim().lines().map(str::trim_end).collect::<Vec<_>>().join("\n");
    assert_eq!(norm(&stdout(&out)), norm(shown));
}
