//! What a test file may make lagom read. A test file comes with the change under review (a
//! pull request), so the paths it names are input too: `policy: /proc/self/environ` would show
//! the CI runner's environment, secrets and all, in the snippet of a syntax error, and `file:`
//! naming a FIFO or `/dev/stdin` would block the run for ever. So a test file's `policy:`
//! leads to a folder or a regular `.policy` file, and its `file:` to a regular `.yaml` /
//! `.yml` file, judged by where the path leads (through symbolic links: `evil.policy` linked
//! to `/proc/self/environ` is no policy file), not by how it is spelt. A folder's own files are
//! read as policy folders always are (only `.policy` files; no link leading outside).

use std::path::Path;

use crate::files;

/// What a test file names a path for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Named {
    /// `policy:`: a policy folder or file.
    Policy,
    /// `file:`: a campaign file.
    Campaign,
}

impl Named {
    fn key(self) -> &'static str {
        match self {
            Named::Policy => "policy",
            Named::Campaign => "file",
        }
    }

    fn takes(self) -> &'static str {
        match self {
            Named::Policy => "a `.policy` file or a folder of them",
            Named::Campaign => "a campaign file (`.yaml` or `.yml`)",
        }
    }

    fn is_named_like(self, path: &Path) -> bool {
        let extension = path.extension().and_then(|e| e.to_str());
        match self {
            Named::Policy => extension == Some("policy"),
            Named::Campaign => matches!(extension, Some("yaml" | "yml")),
        }
    }
}

/// Why lagom does not read `path`, named by a test file's `named` key: the message and the
/// help; `None` when it may be read, or when it cannot be (the reader then says why).
pub(super) fn refusal(path: &Path, named: Named) -> Option<(String, String)> {
    let meta = std::fs::metadata(path).ok()?;
    // Where the path leads: a link is judged by its target's name. A link to a pipe
    // (`/dev/stdin`) leads to no path, and is no regular file either.
    let target = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let shown = files::display(path);
    let what = match std::fs::read_link(path) {
        Ok(link) => format!("`{shown}`, a link to `{}`,", files::display(&link)),
        Err(_) => format!("`{shown}`,"),
    };
    let key = named.key();
    let message = if named == Named::Policy && meta.is_dir() {
        return None;
    } else if !meta.is_file() {
        format!("`{key}:` names {what} which is not a regular file")
    } else if !named.is_named_like(&target) {
        format!("`{key}:` names {what} which is not {}", named.takes())
    } else {
        return None;
    };
    let help = format!(
        "`{key}:` names {}, relative to this test file; lagom reads nothing else a test file names, as test \
         files come with the change under review and could otherwise show any file of the machine in a report",
        named.takes()
    );
    Some((message, help))
}

#[cfg(all(test, unix))]
mod tests {
    use super::{refusal, Named};

    #[test]
    fn only_policy_files_folders_and_campaign_files_are_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = |name: &str| dir.path().join(name);
        std::fs::write(path("p.policy"), "category c\n").unwrap();
        std::fs::write(path("c.yaml"), "campaign: c\n").unwrap();
        std::fs::write(path("secrets.env"), "TOKEN=x\n").unwrap();
        std::os::unix::fs::symlink("/proc/self/environ", path("evil.policy")).unwrap();
        std::os::unix::fs::symlink(path("secrets.env"), path("evil.yaml")).unwrap();
        std::os::unix::fs::symlink(path("p.policy"), path("link.policy")).unwrap();
        assert_eq!(refusal(&path("p.policy"), Named::Policy), None);
        assert_eq!(refusal(&path("link.policy"), Named::Policy), None);
        assert_eq!(refusal(dir.path(), Named::Policy), None);
        assert_eq!(refusal(&path("c.yaml"), Named::Campaign), None);
        // Missing: the reader says it cannot be read.
        assert_eq!(refusal(&path("absent.policy"), Named::Policy), None);
        let refused = |p: &std::path::Path, named| refusal(p, named).map(|(message, _)| message).unwrap_or_default();
        assert!(refused(&path("secrets.env"), Named::Policy).ends_with("is not a `.policy` file or a folder of them"));
        assert!(refused(&path("evil.policy"), Named::Policy).contains(", a link to `/proc/self/environ`,"));
        assert!(refused(&path("evil.yaml"), Named::Campaign).contains("is not a campaign file"));
        assert!(refused(std::path::Path::new("/proc/self/environ"), Named::Policy).contains("is not a `.policy` file"));
        assert!(refused(dir.path(), Named::Campaign).contains("is not a regular file"));
    }

    #[test]
    fn a_fifo_is_not_read() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("in.yaml");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status().unwrap();
        assert!(made.success());
        let (message, _) = refusal(&fifo, Named::Campaign).unwrap();
        assert!(message.ends_with("is not a regular file"), "{message}");
    }
}
