//! Writing a file whole or not at all, for what lagom writes over a user's file: a report
//! (`check --output`) and a formatted policy file (`fmt`).

use std::fs::File;
use std::io::Write;
use std::path::Path;

/// Writes `path` whole or not at all: into a new file beside it (named `PREFIX…​.tmp`, which
/// no run reads as a campaign or a policy file, should the process die before the rename),
/// renamed over it once complete, so that a run killed while writing or a full disk leaves the
/// earlier file, never a truncated one (a policy cut between two rules is still a valid policy,
/// without them). A path that is not a regular file (`/dev/stdout`, `/dev/null`, a named pipe)
/// is written as it is; a symbolic link to a file has that file replaced, and an existing
/// file's permissions are kept. The file written is a new one: another name for the old one
/// (a hard link) keeps the old text, and its owner is whoever ran lagom.
pub fn write_whole<T>(
    path: &Path,
    prefix: &str,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<T>,
) -> std::io::Result<T> {
    let existing = std::fs::metadata(path);
    if existing.as_ref().is_ok_and(|m| !m.is_file()) {
        let mut w = std::io::BufWriter::new(File::create(path)?);
        let written = write(&mut w)?;
        return w.flush().map(|()| written);
    }
    let target = match &existing {
        Ok(_) => std::fs::canonicalize(path)?,
        Err(_) => path.to_path_buf(),
    };
    let folder = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    // The temporary file is removed when writing fails.
    let mut builder = tempfile::Builder::new();
    builder.prefix(prefix).suffix(".tmp");
    new_file_permissions(&mut builder);
    let temp = builder.tempfile_in(folder)?;
    if let Ok(m) = &existing {
        std::fs::set_permissions(temp.path(), m.permissions())?;
    }
    let mut w = std::io::BufWriter::new(temp);
    let written = write(&mut w)?;
    let temp = w.into_inner().map_err(std::io::IntoInnerError::into_error)?;
    temp.as_file().sync_all()?;
    temp.persist(&target).map_err(|e| e.error)?;
    Ok(written)
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
