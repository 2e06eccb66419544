//! Importing a scoreboard's own published data into a data directory (SPEC §11): the national
//! portal's Bộ chỉ số 766 responses ([`portal766`]) become units.csv, reported.csv and
//! published.csv, written all at once ([`write_data_dir`]). Reads JSON, writes CSV; scores nothing.

pub mod portal766;

use std::path::{Path, PathBuf};

/// Why a data directory was not written.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// The directory already holds files and `--replace` was not given.
    #[error(
        "{} already holds data ({}); nothing was written (give --replace to replace it)",
        .dir.display(), .names.join(", ")
    )]
    HasData { dir: PathBuf, names: Vec<String> },
    #[error("cannot write {}: {source}; nothing was written", .path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// Writes `files` (name, content) into `dir` all at once, as every writer of a data directory
/// does ([`crate::data::commit::Transaction`]: the directory locked, every file staged, then
/// committed through a journal, so that a refused write or a killed run leaves the directory as
/// before or as after); `stale` names (files a previous import wrote that this one does not) are
/// removed once the new files are in. A directory that holds data refuses unless `replace`
/// (chitieu's own lock and staging files are not data).
pub fn write_data_dir(
    dir: &Path,
    files: &[(&str, Vec<u8>)],
    stale: &[&str],
    replace: bool,
) -> Result<(), WriteError> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| WriteError::Io { path, source }
    };
    if dir.is_dir() && !replace {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .map_err(io(dir))?
            .filter_map(Result::ok)
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| !n.starts_with(".chitieu"))
            .collect();
        if !names.is_empty() {
            names.sort();
            return Err(WriteError::HasData {
                dir: dir.to_path_buf(),
                names,
            });
        }
    }
    std::fs::create_dir_all(dir).map_err(io(dir))?;
    let commit_err = |e: crate::data::commit::CommitError| WriteError::Io {
        path: dir.to_path_buf(),
        source: std::io::Error::other(e.to_string()),
    };
    let mut t = crate::data::commit::Transaction::begin(dir, &mut || {}).map_err(commit_err)?;
    for (name, bytes) in files {
        t.put(name, bytes).map_err(commit_err)?;
    }
    t.commit().map_err(commit_err)?;
    for name in stale {
        let path = dir.join(name);
        if path.is_file() {
            std::fs::remove_file(&path).map_err(io(&path))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::{write_data_dir, WriteError};

    #[test]
    fn a_directory_with_data_is_refused_unless_replaced() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let files = [("units.csv", b"id\n".to_vec())];
        assert!(write_data_dir(dir.path(), &files, &[], false).is_ok());
        let again = write_data_dir(dir.path(), &files, &[], false);
        assert!(
            matches!(again, Err(WriteError::HasData { ref names, .. }) if names == &["units.csv"])
        );
        std::fs::write(dir.path().join("reported.csv"), "old").unwrap_or_else(|e| panic!("{e}"));
        let files = [("units.csv", b"id,name\n".to_vec())];
        assert!(write_data_dir(dir.path(), &files, &["reported.csv"], true).is_ok());
        let mut left: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap_or_else(|e| panic!("{e}"))
            .filter_map(Result::ok)
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        // the lock every writer leaves (src/data/commit.rs), no staging, no stale file
        assert_eq!(
            left,
            [".chitieu.lock", "units.csv"],
            "no temporary file, no stale file"
        );
        assert_eq!(
            std::fs::read_to_string(dir.path().join("units.csv")).unwrap_or_default(),
            "id,name\n"
        );
    }
}
