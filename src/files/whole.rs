//! Writing a file whole or not at all, for what lagom writes over a user's file: a report
//! (`check --output`) and a formatted policy file (`fmt`).

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::Path;

/// Writes `path` whole or not at all: into a new file beside it (named `PREFIX…​.tmp`, which
/// no run reads as a campaign or a policy file, should the process die before the rename),
/// renamed over it once complete, so that a run killed while writing or a full disk leaves the
/// earlier file, never a truncated one (a policy cut between two rules is still a valid policy,
/// without them). A path that is not a regular file (`/dev/stdout`, `/dev/null`, a named pipe)
/// is written as it is; a symbolic link to a file has that file replaced, with the file's
/// permissions and owner.
///
/// An existing file must be writable itself (replacing it through its folder would get past
/// its own permissions), and is written in place, as before and as an editor does, when a new
/// file could not stand for it: it has other names (hard links, which would keep the old text),
/// its owner cannot be given to a new file (lagom runs as another user), or its folder takes no
/// new file (a writable file in a read-only folder).
pub fn write_whole<T>(
    path: &Path,
    prefix: &str,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<T>,
) -> std::io::Result<T> {
    let existing = match std::fs::metadata(path) {
        Ok(m) if !m.is_file() => return write_to(File::create(path)?, write),
        Ok(m) => Some(m),
        Err(_) => None,
    };
    let target = match &existing {
        Some(_) => std::fs::canonicalize(path)?,
        None => path.to_path_buf(),
    };
    let folder = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let old = match &existing {
        Some(m) => Some((m, OpenOptions::new().write(true).open(&target)?)),
        None => None,
    };
    if let Some((m, file)) = &old {
        if super::has_other_names(m) {
            return write_in_place(file, write);
        }
    }
    // The temporary file is removed when writing fails.
    let mut builder = tempfile::Builder::new();
    builder.prefix(prefix).suffix(".tmp");
    new_file_permissions(&mut builder);
    let temp = match (builder.tempfile_in(folder), &old) {
        (Ok(temp), _) => temp,
        (Err(e), Some((_, file))) if e.kind() == std::io::ErrorKind::PermissionDenied => {
            return write_in_place(file, write)
        }
        (Err(e), _) => return Err(e),
    };
    if let Some((m, file)) = &old {
        if !same_owner(temp.as_file(), m) {
            drop(temp);
            return write_in_place(file, write);
        }
        std::fs::set_permissions(temp.path(), m.permissions())?;
    }
    let mut w = std::io::BufWriter::new(temp);
    let written = write(&mut w)?;
    let temp = w.into_inner().map_err(std::io::IntoInnerError::into_error)?;
    temp.as_file().sync_all()?;
    temp.persist(&target).map_err(|e| e.error)?;
    Ok(written)
}

fn write_to<T>(file: File, write: impl FnOnce(&mut dyn Write) -> std::io::Result<T>) -> std::io::Result<T> {
    let mut w = std::io::BufWriter::new(file);
    let written = write(&mut w)?;
    w.flush().map(|()| written)
}

/// Writes over the file itself, cut to nothing first.
fn write_in_place<T>(file: &File, write: impl FnOnce(&mut dyn Write) -> std::io::Result<T>) -> std::io::Result<T> {
    file.set_len(0)?;
    write_to(file.try_clone()?, write)
}

/// Whether the new file has, or could be given, the old one's owner and group.
#[cfg(unix)]
fn same_owner(new: &File, old: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    let owner = (old.uid(), old.gid());
    let same = |m: std::fs::Metadata| (m.uid(), m.gid()) == owner;
    new.metadata().is_ok_and(same) || std::os::unix::fs::fchown(new, Some(owner.0), Some(owner.1)).is_ok()
}

#[cfg(not(unix))]
fn same_owner(_: &File, _: &std::fs::Metadata) -> bool {
    true
}

/// A new file is readable as `File::create` makes one (0666 less the umask), not only by its
/// owner as a temporary file is made.
#[cfg(unix)]
fn new_file_permissions(builder: &mut tempfile::Builder<'_, '_>) {
    use std::os::unix::fs::PermissionsExt;
    builder.permissions(std::fs::Permissions::from_mode(0o666));
}

#[cfg(not(unix))]
fn new_file_permissions(_: &mut tempfile::Builder<'_, '_>) {}

#[cfg(test)]
mod tests {
    use super::*;

    /// A file with another name (a hard link) is written in place: both names show the new
    /// text, as they did when every write was in place.
    #[cfg(unix)]
    #[test]
    fn a_file_with_other_names_is_written_in_place() {
        let dir = tempfile::tempdir().unwrap();
        let (path, other) = (dir.path().join("p.policy"), dir.path().join("p.policy.bak"));
        std::fs::write(&path, "old\n").unwrap();
        std::fs::hard_link(&path, &other).unwrap();
        write_whole(&path, ".lagom-test-", |w| w.write_all(b"new\n")).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new\n");
        assert_eq!(std::fs::read_to_string(&other).unwrap(), "new\n");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 2);
    }

    /// The new file gets the old one's owner and group (a job running as root formats a
    /// user's checkout). Only where the test may give a file away (as root).
    #[cfg(unix)]
    #[test]
    fn a_replaced_file_keeps_its_owner() {
        use std::os::unix::fs::MetadataExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p.policy");
        std::fs::write(&path, "old\n").unwrap();
        if std::os::unix::fs::chown(&path, Some(65534), Some(65534)).is_err() {
            return;
        }
        write_whole(&path, ".lagom-test-", |w| w.write_all(b"new\n")).unwrap();
        let m = std::fs::metadata(&path).unwrap();
        assert_eq!((m.uid(), m.gid()), (65534, 65534));
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new\n");
    }

    /// A write that fails part way (a full disk) leaves the file as it was and no temporary
    /// file beside it; one that succeeds replaces it and keeps its permissions.
    #[test]
    fn a_failed_write_leaves_the_file_as_it_was() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p.policy");
        std::fs::write(&path, "rule a {}\nrule b {}\n").unwrap();
        let failed = write_whole(&path, ".lagom-test-", |w| {
            w.write_all(&[b'x'; 20_000])?;
            Err::<(), _>(std::io::Error::new(std::io::ErrorKind::StorageFull, "no space left on device"))
        });
        assert_eq!(failed.unwrap_err().kind(), std::io::ErrorKind::StorageFull);
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "rule a {}\nrule b {}\n");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
        #[cfg(unix)]
        std::fs::set_permissions(&path, std::os::unix::fs::PermissionsExt::from_mode(0o640)).unwrap();
        write_whole(&path, ".lagom-test-", |w| w.write_all(b"rule a {}\n")).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "rule a {}\n");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
        #[cfg(unix)]
        assert_eq!(
            std::os::unix::fs::PermissionsExt::mode(&std::fs::metadata(&path).unwrap().permissions()) & 0o777,
            0o640
        );
    }
}
