//! Writing files into a directory all-or-nothing, one writer at a time: every writer of a data
//! directory (`collect`, `form`'s key and forms, a future `import`) goes through [`Transaction`].
//! Knows nothing of what the files hold.
//!
//! The design, and why:
//! * **A lock.** `DIR/.chitieu.lock` is locked exclusively (an advisory OS lock, `File::lock`)
//!   for the whole of a transaction — read, check, stage, commit — so a second writer waits and
//!   then reads what the first wrote. Readers ([`read_guard`]) take it shared, so they never see
//!   a commit half applied (a directory no writer ever locked is read without a lock, and read
//!   again if a writer began meanwhile). The OS drops the lock when a process dies: no stale
//!   lock to clean.
//! * **A staging directory and a journal.** Files are written in full (and synced) to
//!   `DIR/.chitieu-commit/new/`, inside the directory so that a rename never crosses file
//!   systems. Then `journal` is written (to a temporary name, synced, renamed): its existence is
//!   the commit point. Applying moves each replaced file to `old/` and each new one into place.
//!   A failure while applying (a refused rename: a file held open by Excel on Windows, an
//!   immutable file) puts the `old/` files back and removes created ones: the directory is as
//!   before and the error says nothing was written.
//! * **Recovery at the next run.** A transaction, and a reader, that find `.chitieu-commit/`
//!   left by a killed run finish it: with a journal the commit is rolled forward (each step is
//!   repeatable: a file already moved is not moved again), without one it never happened and
//!   the staging directory is removed. So after a crash at any point the directory is, to every
//!   chitieu command, exactly as before or exactly as after.
//!
//! Renaming a whole staged directory into place instead would need the data directory itself
//! to be replaced — impossible while other files (records, the catalogue's data) live in it and
//! while another program has it open; the journal swaps only the files that change.

use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

/// The lock file of a directory.
pub const LOCK_FILE: &str = ".chitieu.lock";
/// The staging directory of a transaction in progress.
pub const STAGING_DIR: &str = ".chitieu-commit";
const JOURNAL: &str = "journal";
const JOURNAL_HEADER: &str = "chitieu-commit-1";
const JOURNAL_END: &str = "end";

/// A point of a commit, handed to a [`StepHook`] (tests stop a process there to prove that a
/// crash at any point is recovered).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Every file staged and synced; no journal yet.
    Staged,
    /// The journal written: the commit point.
    Journaled,
    /// The first file moved into place, the others not.
    FirstApplied,
    /// Every file in place; the journal not yet removed.
    Applied,
}

impl Step {
    #[cfg(test)]
    pub const ALL: [Step; 4] = [
        Step::Staged,
        Step::Journaled,
        Step::FirstApplied,
        Step::Applied,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Step::Staged => "staged",
            Step::Journaled => "journaled",
            Step::FirstApplied => "first-applied",
            Step::Applied => "applied",
        }
    }
}

/// Called at each [`Step`] of a commit (a test hook; `None` in normal runs).
pub type StepHook = fn(Step);

/// Why a transaction failed; in every case the directory is as it was before.
#[derive(Debug, thiserror::Error)]
pub enum CommitError {
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{} already exists: chitieu does not overwrite it", path.display())]
    Exists { path: PathBuf },
    #[error("{} is not a plain file name", name)]
    Name { name: String },
    /// A commit left by a killed run could be neither finished nor undone.
    #[error(
        "{} holds an interrupted commit that cannot be finished ({reason}); make the directory \
         writable and run again",
        dir.display()
    )]
    Stuck { dir: PathBuf, reason: String },
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> CommitError {
    let path = path.to_path_buf();
    move |source| CommitError::Io { path, source }
}

/// One file of a transaction.
#[derive(Debug, Clone)]
struct Entry {
    name: String,
    /// The target existed when staged: it is replaced (and kept in `old/` until the end).
    replaces: bool,
}

/// A write of several files into one directory, all or none (module documentation). Holds the
/// directory's lock until dropped or committed.
pub struct Transaction {
    dir: PathBuf,
    _lock: File,
    entries: Vec<Entry>,
    hook: Option<StepHook>,
}

impl std::fmt::Debug for Transaction {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Transaction")
            .field("dir", &self.dir)
            .field("entries", &self.entries)
            .finish()
    }
}

impl Transaction {
    /// Locks `dir` (which must exist) — calling `waiting` first when another run holds the
    /// lock, then waiting for it —, finishes or undoes a commit a killed run left, and starts
    /// an empty transaction. Read the files the transaction depends on only after this.
    pub fn begin(dir: &Path, waiting: &mut dyn FnMut()) -> Result<Transaction, CommitError> {
        let lock = open_lock(dir, true)?.ok_or_else(|| CommitError::Io {
            path: dir.join(LOCK_FILE),
            source: std::io::Error::other("cannot create the lock file"),
        })?;
        match lock.try_lock() {
            Ok(()) => {}
            Err(fs::TryLockError::WouldBlock) => {
                waiting();
                lock.lock().map_err(io(&dir.join(LOCK_FILE)))?;
            }
            Err(fs::TryLockError::Error(e)) => return Err(io(&dir.join(LOCK_FILE))(e)),
        }
        recover(dir)?;
        Ok(Transaction {
            dir: dir.to_path_buf(),
            _lock: lock,
            entries: Vec::new(),
            hook: None,
        })
    }

    /// Calls `hook` at each step of [`Transaction::commit`].
    #[doc(hidden)]
    pub fn with_hook(mut self, hook: Option<StepHook>) -> Transaction {
        self.hook = hook;
        self
    }

    /// The directory written.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Where `name`'s new content is staged (to read back and check it before committing).
    pub fn staged_path(&self, name: &str) -> PathBuf {
        self.dir.join(STAGING_DIR).join("new").join(name)
    }

    /// Stages `bytes` as the new content of `DIR/name` (replacing it, or creating it).
    pub fn put(&mut self, name: &str, bytes: &[u8]) -> Result<(), CommitError> {
        self.stage(name, bytes, true)
    }

    /// Stages `bytes` as a new file `DIR/name`; an existing file of that name is an error
    /// ([`CommitError::Exists`]): it is never overwritten.
    pub fn create(&mut self, name: &str, bytes: &[u8]) -> Result<(), CommitError> {
        self.stage(name, bytes, false)
    }

    fn stage(&mut self, name: &str, bytes: &[u8], replace: bool) -> Result<(), CommitError> {
        let plain = !name.is_empty()
            && name != "."
            && name != ".."
            && !name.contains(['/', '\\'])
            && name != LOCK_FILE
            && name != STAGING_DIR;
        if !plain || self.entries.iter().any(|e| e.name == name) {
            return Err(CommitError::Name {
                name: name.to_string(),
            });
        }
        let target = self.dir.join(name);
        let exists = fs::symlink_metadata(&target).is_ok();
        if exists && !replace {
            return Err(CommitError::Exists { path: target });
        }
        let new_dir = self.dir.join(STAGING_DIR).join("new");
        fs::create_dir_all(&new_dir).map_err(io(&new_dir))?;
        let path = new_dir.join(name);
        let mut file = File::create(&path).map_err(io(&path))?;
        file.write_all(bytes).map_err(io(&path))?;
        file.sync_all().map_err(io(&path))?;
        self.entries.push(Entry {
            name: name.to_string(),
            replaces: exists,
        });
        Ok(())
    }

    /// The names staged so far.
    pub fn names(&self) -> Vec<&str> {
        self.entries.iter().map(|e| e.name.as_str()).collect()
    }

    /// Commits every staged file: all are in place when this returns `Ok`, none when it returns
    /// an error (module documentation). Releases the lock.
    pub fn commit(self) -> Result<(), CommitError> {
        if self.entries.is_empty() {
            remove_staging(&self.dir)?;
            return Ok(());
        }
        let hook = |step| {
            if let Some(h) = self.hook {
                h(step)
            }
        };
        let staging = self.dir.join(STAGING_DIR);
        // a file created since it was staged is still not overwritten
        for e in self.entries.iter().filter(|e| !e.replaces) {
            let target = self.dir.join(&e.name);
            if fs::symlink_metadata(&target).is_ok() {
                remove_staging(&self.dir)?;
                return Err(CommitError::Exists { path: target });
            }
        }
        sync_dir(&staging.join("new"))?;
        hook(Step::Staged);
        let mut text = format!("{JOURNAL_HEADER}\n");
        for e in &self.entries {
            let verb = if e.replaces { "replace" } else { "create" };
            text.push_str(&format!("{verb} {}\n", e.name));
        }
        text.push_str(JOURNAL_END);
        text.push('\n');
        let tmp = staging.join("journal.tmp");
        {
            let mut f = File::create(&tmp).map_err(io(&tmp))?;
            f.write_all(text.as_bytes()).map_err(io(&tmp))?;
            f.sync_all().map_err(io(&tmp))?;
        }
        let journal = staging.join(JOURNAL);
        fs::rename(&tmp, &journal).map_err(io(&journal))?;
        let applied = sync_dir(&staging).and_then(|()| {
            hook(Step::Journaled);
            apply(&self.dir, &self.entries, &hook)
        });
        if let Err(e) = applied {
            // undo what was applied; the journal goes last, so a crash here rolls forward
            return match roll_back(&self.dir, &self.entries) {
                Ok(()) => Err(e),
                Err(undo) => Err(CommitError::Stuck {
                    dir: self.dir.clone(),
                    reason: format!("{e}; undoing it: {undo}"),
                }),
            };
        }
        hook(Step::Applied);
        remove_staging(&self.dir)
    }
}

impl Drop for Transaction {
    /// A transaction dropped without a commit leaves nothing: the staged files are removed
    /// (before the lock is released with the file).
    fn drop(&mut self) {
        if !self.entries.is_empty() && !self.dir.join(STAGING_DIR).join(JOURNAL).exists() {
            fs::remove_dir_all(self.dir.join(STAGING_DIR)).ok();
        }
    }
}

/// Opens (creating when `create`) the lock file; `None` when it does not exist and is not to be
/// created, or cannot be created by a reader (a read-only directory has no writer either).
fn open_lock(dir: &Path, create: bool) -> Result<Option<File>, CommitError> {
    let path = dir.join(LOCK_FILE);
    let opened = OpenOptions::new()
        .read(true)
        .write(true)
        .create(create)
        .truncate(false)
        .open(&path);
    match opened {
        Ok(f) => Ok(Some(f)),
        Err(_) if !create => Ok(File::open(&path).ok()),
        Err(e) => Err(io(&path)(e)),
    }
}

/// Moves every staged file into place, each replaced one to `old/` first. Repeatable: a step
/// already done (after a crash) is skipped.
fn apply(dir: &Path, entries: &[Entry], hook: &dyn Fn(Step)) -> Result<(), CommitError> {
    let staging = dir.join(STAGING_DIR);
    let old_dir = staging.join("old");
    fs::create_dir_all(&old_dir).map_err(io(&old_dir))?;
    for (k, e) in entries.iter().enumerate() {
        let new = staging.join("new").join(&e.name);
        let old = old_dir.join(&e.name);
        let target = dir.join(&e.name);
        if !new.exists() {
            continue; // moved into place before a crash
        }
        #[cfg(test)]
        if REFUSE.with(|r| r.borrow().as_deref() == Some(e.name.as_str())) {
            // what a file held open on Windows, or an immutable one, gives
            return Err(io(&target)(std::io::Error::from(
                std::io::ErrorKind::PermissionDenied,
            )));
        }
        if e.replaces && !old.exists() && fs::symlink_metadata(&target).is_ok() {
            fs::rename(&target, &old).map_err(io(&target))?;
        }
        fs::rename(&new, &target).map_err(io(&target))?;
        if k == 0 {
            hook(Step::FirstApplied);
        }
    }
    sync_dir(dir)
}

#[cfg(test)]
thread_local! {
    /// The name whose move into place the next commit of this thread refuses (tests).
    static REFUSE: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
}

/// Undoes [`apply`]: the replaced files back from `old/`, the created ones removed; then the
/// staging directory (journal last) is removed.
fn roll_back(dir: &Path, entries: &[Entry]) -> Result<(), CommitError> {
    let staging = dir.join(STAGING_DIR);
    for e in entries.iter().rev() {
        let new = staging.join("new").join(&e.name);
        let old = staging.join("old").join(&e.name);
        let target = dir.join(&e.name);
        if old.exists() {
            fs::rename(&old, &target).map_err(io(&target))?;
        } else if !e.replaces && !new.exists() && fs::symlink_metadata(&target).is_ok() {
            fs::remove_file(&target).map_err(io(&target))?;
        }
    }
    sync_dir(dir)?;
    remove_staging(dir)
}

/// Removes the staging directory: the journal first (from then on nothing is to be finished),
/// then the rest.
fn remove_staging(dir: &Path) -> Result<(), CommitError> {
    let staging = dir.join(STAGING_DIR);
    let journal = staging.join(JOURNAL);
    if journal.exists() {
        fs::remove_file(&journal).map_err(io(&journal))?;
        sync_dir(&staging)?;
    }
    match fs::remove_dir_all(&staging) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(io(&staging)(e)),
    }
}

/// What a killed run left, read from its journal; `None` when there is no complete journal
/// (the commit point was never reached).
fn read_journal(dir: &Path) -> Option<Vec<Entry>> {
    let text = fs::read_to_string(dir.join(STAGING_DIR).join(JOURNAL)).ok()?;
    let mut lines = text.lines();
    if lines.next()? != JOURNAL_HEADER {
        return None;
    }
    let mut entries = Vec::new();
    for line in lines {
        if line == JOURNAL_END {
            return Some(entries);
        }
        let (verb, name) = line.split_once(' ')?;
        entries.push(Entry {
            name: name.to_string(),
            replaces: match verb {
                "replace" => true,
                "create" => false,
                _ => return None,
            },
        });
    }
    None
}

/// Finishes (journal) or discards (no journal) a commit a killed run left in `dir`. The caller
/// holds the lock exclusively.
fn recover(dir: &Path) -> Result<(), CommitError> {
    remove_old_temporaries(dir);
    let staging = dir.join(STAGING_DIR);
    if !staging.exists() {
        return Ok(());
    }
    let stuck = |reason: String| CommitError::Stuck {
        dir: dir.to_path_buf(),
        reason,
    };
    match read_journal(dir) {
        None => remove_staging(dir).map_err(|e| stuck(e.to_string())),
        Some(entries) => match apply(dir, &entries, &|_| {}) {
            Ok(()) => remove_staging(dir).map_err(|e| stuck(e.to_string())),
            Err(forward) => roll_back(dir, &entries)
                .map_err(|back| stuck(format!("{forward}; undoing it: {back}"))),
        },
    }
}

/// Removes the temporary files `.<name>.csv.tmp-<pid>` that chitieu versions before
/// [`Transaction`] left beside the data files when killed (they hold no committed data).
fn remove_old_temporaries(dir: &Path) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let old = name.starts_with('.')
            && name
                .rsplit_once(".csv.tmp-")
                .is_some_and(|(_, pid)| !pid.is_empty() && pid.chars().all(|c| c.is_ascii_digit()));
        if old && entry.path().is_file() {
            fs::remove_file(entry.path()).ok();
        }
    }
}

/// A reader's hold on a directory: while it lives no transaction commits into it. Taking it
/// finishes a commit a killed run left (module documentation).
#[derive(Debug)]
pub struct ReadGuard {
    lock: Option<File>,
    /// The file system has no locks (some network shares): read as it is.
    unlockable: bool,
}

impl ReadGuard {
    /// Whether the directory was read under its lock. A directory without a lock file has never
    /// had a writer, so a reader creates none (it leaves the data directory as it found it);
    /// [`ReadGuard::still_valid`] then tells whether a writer began during the reading.
    pub fn locked(&self) -> bool {
        self.lock.is_some()
    }

    /// After reading: true when the reading saw one consistent state — it held the lock, or no
    /// writer has created the lock file since (a writer creates it before it stages anything).
    pub fn still_valid(&self, dir: &Path) -> bool {
        self.locked() || self.unlockable || !dir.join(LOCK_FILE).exists()
    }
}

/// Takes `dir`'s lock shared (waiting for a writer to finish) after finishing any commit a
/// killed run left. Creates no lock file: see [`ReadGuard::still_valid`]. An error only when a
/// left commit cannot be finished or the lock cannot be taken.
pub fn read_guard(dir: &Path) -> Result<ReadGuard, CommitError> {
    loop {
        if dir.join(STAGING_DIR).exists() {
            // finish it under the exclusive lock, then read under the shared one
            drop(Transaction::begin(dir, &mut || {})?);
        }
        let mut lock = open_lock(dir, false)?;
        let mut unlockable = false;
        if let Some(f) = &lock {
            match f.lock_shared() {
                Ok(()) => {}
                // a file system without locks: a reader reads as it is (writers refuse)
                Err(e) if e.kind() == std::io::ErrorKind::Unsupported => {
                    unlockable = true;
                }
                Err(e) => return Err(io(&dir.join(LOCK_FILE))(e)),
            }
        }
        if unlockable {
            lock = None;
        }
        // a writer killed between our check and our lock leaves its staging directory
        if !dir.join(STAGING_DIR).exists() {
            return Ok(ReadGuard { lock, unlockable });
        }
    }
}

/// Makes the renames in `dir` durable (Unix; elsewhere the file system orders them itself).
fn sync_dir(dir: &Path) -> Result<(), CommitError> {
    #[cfg(unix)]
    {
        File::open(dir)
            .and_then(|d| d.sync_all())
            .map_err(io(dir))?;
    }
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(dir: &Path) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.is_file())
            .map(|p| {
                (
                    p.file_name().unwrap().to_string_lossy().to_string(),
                    fs::read_to_string(&p).unwrap(),
                )
            })
            .filter(|(n, _)| n != LOCK_FILE)
            .collect();
        out.sort();
        out
    }

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    #[test]
    fn a_commit_replaces_and_creates_every_file_or_none() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        fs::write(dir.join("a.csv"), "old a").unwrap();
        let mut t = Transaction::begin(dir, &mut || {}).unwrap();
        t.put("a.csv", b"new a").unwrap();
        t.put("b.csv", b"new b").unwrap();
        assert_eq!(fs::read_to_string(t.staged_path("b.csv")).unwrap(), "new b");
        t.commit().unwrap();
        assert_eq!(files(dir), pairs(&[("a.csv", "new a"), ("b.csv", "new b")]));
        assert!(!dir.join(STAGING_DIR).exists());

        // create never overwrites
        let mut t = Transaction::begin(dir, &mut || {}).unwrap();
        assert!(matches!(
            t.create("a.csv", b"x"),
            Err(CommitError::Exists { .. })
        ));
        // dropped without commit: nothing staged is left
        t.put("c.csv", b"c").unwrap();
        drop(t);
        assert_eq!(files(dir), pairs(&[("a.csv", "new a"), ("b.csv", "new b")]));
        assert!(!dir.join(STAGING_DIR).exists());
    }

    #[test]
    fn a_refused_rename_leaves_every_file_as_before() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        fs::write(dir.join("a.csv"), "old a").unwrap();
        fs::write(dir.join("b.csv"), "old b").unwrap();
        let mut t = Transaction::begin(dir, &mut || {}).unwrap();
        t.put("a.csv", b"new a").unwrap();
        t.put("c.csv", b"new c").unwrap();
        t.put("b.csv", b"new b").unwrap();
        // b.csv cannot be replaced, after a.csv was replaced and c.csv created
        REFUSE.with(|r| *r.borrow_mut() = Some("b.csv".into()));
        let e = t.commit().unwrap_err();
        REFUSE.with(|r| *r.borrow_mut() = None);
        assert!(e.to_string().contains("b.csv"), "{e}");
        assert_eq!(files(dir), pairs(&[("a.csv", "old a"), ("b.csv", "old b")]));
        assert!(!dir.join(STAGING_DIR).exists());
    }

    /// The state a killed run leaves at each step, then recovered by the next reader.
    #[test]
    fn a_commit_killed_at_any_step_is_finished_or_undone_at_the_next_run() {
        for (k, step) in Step::ALL.iter().enumerate() {
            let tmp = tempfile::tempdir().unwrap();
            let dir = tmp.path();
            fs::write(dir.join("a.csv"), "old a").unwrap();
            fs::write(dir.join("b.csv"), "old b").unwrap();
            // simulate the kill: run the steps by hand up to `step`
            let staging = dir.join(STAGING_DIR);
            fs::create_dir_all(staging.join("new")).unwrap();
            fs::write(staging.join("new/a.csv"), "new a").unwrap();
            fs::write(staging.join("new/b.csv"), "new b").unwrap();
            fs::write(staging.join("new/c.csv"), "new c").unwrap();
            if k >= 1 {
                fs::write(
                    staging.join(JOURNAL),
                    "chitieu-commit-1\nreplace a.csv\nreplace b.csv\ncreate c.csv\nend\n",
                )
                .unwrap();
            }
            if k >= 2 {
                fs::create_dir_all(staging.join("old")).unwrap();
                fs::rename(dir.join("a.csv"), staging.join("old/a.csv")).unwrap();
                fs::rename(staging.join("new/a.csv"), dir.join("a.csv")).unwrap();
                // and b.csv moved away, its new content not yet in place
                fs::rename(dir.join("b.csv"), staging.join("old/b.csv")).unwrap();
            }
            if k >= 3 {
                fs::rename(staging.join("new/b.csv"), dir.join("b.csv")).unwrap();
                fs::rename(staging.join("new/c.csv"), dir.join("c.csv")).unwrap();
            }
            drop(read_guard(dir).unwrap());
            let expected = if k == 0 {
                pairs(&[("a.csv", "old a"), ("b.csv", "old b")])
            } else {
                pairs(&[("a.csv", "new a"), ("b.csv", "new b"), ("c.csv", "new c")])
            };
            assert_eq!(files(dir), expected, "killed at {}", step.name());
            assert!(!staging.exists());
        }
    }

    #[test]
    fn temporaries_an_older_chitieu_left_are_removed() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        fs::write(dir.join("a.csv"), "a").unwrap();
        fs::write(dir.join(".submissions.csv.tmp-4242"), "half").unwrap();
        fs::write(dir.join(".notes.csv.tmp-x"), "kept: not chitieu's").unwrap();
        drop(Transaction::begin(dir, &mut || {}).unwrap());
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(names, [".chitieu.lock", ".notes.csv.tmp-x", "a.csv"]);
    }

    #[test]
    fn a_half_written_journal_is_no_commit() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        fs::write(dir.join("a.csv"), "old a").unwrap();
        let staging = dir.join(STAGING_DIR);
        fs::create_dir_all(staging.join("new")).unwrap();
        fs::write(staging.join("new/a.csv"), "new a").unwrap();
        fs::write(staging.join(JOURNAL), "chitieu-commit-1\nreplace a.csv\n").unwrap();
        drop(Transaction::begin(dir, &mut || {}).unwrap());
        assert_eq!(files(dir), pairs(&[("a.csv", "old a")]));
        assert!(!staging.exists());
    }

    #[test]
    fn a_second_writer_waits_for_the_first() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().to_path_buf();
        let first = Transaction::begin(&dir, &mut || {}).unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        let d = dir.clone();
        let second = std::thread::spawn(move || {
            let mut waited = false;
            let t = Transaction::begin(&d, &mut || waited = true).unwrap();
            tx.send(()).unwrap();
            drop(t);
            waited
        });
        // the second cannot begin while the first holds the lock
        assert!(rx
            .recv_timeout(std::time::Duration::from_millis(200))
            .is_err());
        drop(first);
        rx.recv_timeout(std::time::Duration::from_secs(10)).unwrap();
        assert!(second.join().unwrap(), "the second was told it waits");
    }

    /// What tests/commit.rs names literally: the steps it stops a collect at
    /// (`CHITIEU_TEST_ABORT_AT`), in order, and the names a commit leaves in a data directory.
    #[test]
    fn the_steps_and_names_tests_commit_uses() {
        assert_eq!(
            Step::ALL.map(Step::name),
            ["staged", "journaled", "first-applied", "applied"]
        );
        assert_eq!(LOCK_FILE, ".chitieu.lock");
        assert_eq!(STAGING_DIR, ".chitieu-commit");
    }
}
