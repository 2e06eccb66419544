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

/// Writes `files` (name, content) into `dir` all at once: each to a temporary name beside its
/// target, then every one renamed into place; `stale` names are then removed (files a previous
/// import wrote that this one does not). A directory that holds anything refuses unless
/// `replace`. When any write fails, the temporary files are removed and no target is touched.
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
    let staged: Vec<(PathBuf, PathBuf)> = files
        .iter()
        .map(|(name, _)| {
            let target = dir.join(name);
            let tmp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
            (tmp, target)
        })
        .collect();
    let clean = |staged: &[(PathBuf, PathBuf)]| {
        for (tmp, _) in staged {
            // best effort: a temporary file that is already gone is what we want
            std::fs::remove_file(tmp).ok();
        }
    };
    for ((tmp, _), (_, bytes)) in staged.iter().zip(files) {
        if let Err(e) = std::fs::write(tmp, bytes) {
            clean(&staged);
            return Err(io(tmp)(e));
        }
    }
    for (i, (tmp, target)) in staged.iter().enumerate() {
        if let Err(e) = std::fs::rename(tmp, target) {
            clean(&staged[i..]);
            return Err(io(target)(e));
        }
    }
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
        assert_eq!(left, ["units.csv"], "no temporary file, no stale file");
        assert_eq!(
            std::fs::read_to_string(dir.path().join("units.csv")).unwrap_or_default(),
            "id,name\n"
        );
    }
}
