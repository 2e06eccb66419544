//! The keyed checksum by which a form identifies itself verifiably: BLAKE3 in its keyed mode (a
//! MAC) over the form's catalogue, unit, period, reports and indicator cells, keyed with a secret
//! of the data directory that never leaves it. Reads and writes nothing but the secret.
//!
//! Whoever edits the hidden sheet (another unit's id, a report the unit does not owe, an extra
//! indicator) cannot make the checksum match without the secret, which `chitieu form` creates in
//! the data directory ([`SECRET_FILE`]) and never writes into a form.

use std::path::Path;

use crate::data::commit::{CommitError, Transaction};

/// The secret's file in the data directory: 64 hex digits (32 random bytes).
pub const SECRET_FILE: &str = ".chitieu-secret";

/// A data directory's secret key.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret([u8; blake3::KEY_LEN]);

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(…)")
    }
}

/// Why the secret cannot be had.
#[derive(Debug, thiserror::Error)]
pub enum SecretError {
    /// The file cannot be read, or its permissions set.
    #[error(".chitieu-secret: {0}")]
    Io(std::io::Error),
    #[error(".chitieu-secret: it is not 64 hexadecimal digits (was it edited?)")]
    NotHex,
    #[error(transparent)]
    Commit(#[from] CommitError),
    #[error("cannot draw a random key: {0}")]
    Random(getrandom::Error),
}

impl Secret {
    /// A secret from its bytes (tests; a caller with its own key store).
    #[cfg(test)]
    pub fn from_bytes(bytes: [u8; blake3::KEY_LEN]) -> Secret {
        Secret(bytes)
    }

    /// The secret of data directory `dir`; `None` when no form was ever written from it.
    pub fn read(dir: &Path) -> Result<Option<Secret>, SecretError> {
        let path = dir.join(SECRET_FILE);
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(SecretError::Io(e)),
        };
        let hex = text.trim();
        let mut key = [0u8; blake3::KEY_LEN];
        if hex.len() != 2 * key.len() || !hex.is_ascii() {
            return Err(SecretError::NotHex);
        }
        for (k, byte) in key.iter_mut().enumerate() {
            *byte =
                u8::from_str_radix(&hex[2 * k..2 * k + 2], 16).map_err(|_| SecretError::NotHex)?;
        }
        Ok(Some(Secret(key)))
    }

    /// The secret of data directory `dir`, created there (under its lock, all or nothing) when
    /// it has none: what `chitieu form` signs with.
    pub fn of_data_dir(dir: &Path) -> Result<Secret, SecretError> {
        // made once and never changed: read without the lock (a read-only copy of the data
        // directory writes forms too)
        if let Some(s) = Secret::read(dir)? {
            return Ok(s);
        }
        let mut t = Transaction::begin(dir, &mut || {})?;
        let secret = Secret::read_or_create(&mut t)?;
        // readable by its owner only, where the file system says so: set on the staged file,
        // so the secret is never in place with wider permissions
        #[cfg(unix)]
        if !t.names().is_empty() {
            use std::os::unix::fs::PermissionsExt;
            let staged = t.staged_path(SECRET_FILE);
            std::fs::set_permissions(&staged, std::fs::Permissions::from_mode(0o600))
                .map_err(SecretError::Io)?;
        }
        t.commit()?;
        Ok(secret)
    }

    /// The secret of the directory `t` writes, staged for creation there when it has none.
    pub fn read_or_create(t: &mut Transaction) -> Result<Secret, SecretError> {
        if let Some(s) = Secret::read(t.dir())? {
            return Ok(s);
        }
        let mut key = [0u8; blake3::KEY_LEN];
        getrandom::fill(&mut key).map_err(SecretError::Random)?;
        let hex: String = key.iter().map(|b| format!("{b:02x}")).collect();
        t.create(SECRET_FILE, format!("{hex}\n").as_bytes())?;
        Ok(Secret(key))
    }
}

/// What a form's checksum covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity<'a> {
    pub version: &'a str,
    pub catalogue: &'a str,
    pub unit: &'a str,
    pub period: &'a str,
    pub reports: &'a [String],
    /// (cell, indicator id): where each indicator id stands on the form sheet (`A7`).
    pub cells: &'a [(String, String)],
}

impl Identity<'_> {
    /// The checksum as written in the form: 64 hex digits.
    pub fn checksum(&self, secret: &Secret) -> String {
        let mut hasher = blake3::Hasher::new_keyed(&secret.0);
        // every field length-prefixed: no two identities give the same input
        let mut field = |s: &str| {
            hasher.update(&(s.len() as u64).to_le_bytes());
            hasher.update(s.as_bytes());
        };
        field(self.version);
        field(self.catalogue);
        field(self.unit);
        field(self.period);
        field(&self.reports.len().to_string());
        for r in self.reports {
            field(r);
        }
        field(&self.cells.len().to_string());
        for (cell, id) in self.cells {
            field(cell);
            field(id);
        }
        hasher.finalize().to_hex().to_string()
    }

    /// Whether `given` is this identity's checksum (compared in constant time).
    pub fn verifies(&self, secret: &Secret, given: &str) -> bool {
        let Ok(given) = blake3::Hash::from_hex(given.trim()) else {
            return false;
        };
        // blake3::Hash's equality is constant-time
        blake3::Hash::from_hex(self.checksum(secret)).is_ok_and(|e| e == given)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_edited_secret_is_refused_and_a_missing_one_is_none() {
        let dir = tempfile::tempdir().unwrap();
        assert!(Secret::read(dir.path()).unwrap().is_none());
        for edited in ["abc\n", &"zz".repeat(32)] {
            std::fs::write(dir.path().join(SECRET_FILE), edited).unwrap();
            let refused = Secret::read(dir.path()).unwrap_err();
            assert!(matches!(refused, SecretError::NotHex), "{edited:?}");
            assert_eq!(
                refused.to_string(),
                ".chitieu-secret: it is not 64 hexadecimal digits (was it edited?)"
            );
        }
        std::fs::write(dir.path().join(SECRET_FILE), "0f".repeat(32)).unwrap();
        assert!(Secret::read(dir.path()).unwrap().is_some());
    }

    #[test]
    fn any_edit_of_the_identity_or_another_key_fails_to_verify() {
        let key = Secret::from_bytes([7; 32]);
        let reports = vec!["thang".to_string()];
        let cells = vec![
            ("A7".to_string(), "pct".to_string()),
            ("A8".to_string(), "count".to_string()),
        ];
        let id = Identity {
            version: "chitieu-form-1",
            catalogue: "t",
            unit: "xa-1",
            period: "2026-06",
            reports: &reports,
            cells: &cells,
        };
        let sum = id.checksum(&key);
        assert_eq!(sum.len(), 64);
        assert!(id.verifies(&key, &sum));
        assert!(!id.verifies(&Secret::from_bytes([8; 32]), &sum));
        assert!(!id.verifies(&key, "not hex"));
        let other_unit = Identity {
            unit: "tinh",
            ..id.clone()
        };
        assert!(!other_unit.verifies(&key, &sum));
        let moved = vec![
            ("A8".to_string(), "pct".to_string()),
            ("A7".to_string(), "count".to_string()),
        ];
        assert!(!Identity {
            cells: &moved,
            ..id.clone()
        }
        .verifies(&key, &sum));
        // a field boundary moved is another identity
        assert_ne!(
            Identity {
                catalogue: "tx",
                unit: "a-1",
                ..id.clone()
            }
            .checksum(&key),
            Identity {
                catalogue: "t",
                unit: "xxa-1",
                ..id.clone()
            }
            .checksum(&key)
        );
    }

    #[test]
    fn the_secret_is_created_once_and_read_back() {
        let tmp = tempfile::tempdir().unwrap();
        assert!(Secret::read(tmp.path()).unwrap().is_none());
        let mut t = Transaction::begin(tmp.path(), &mut || {}).unwrap();
        let made = Secret::read_or_create(&mut t).unwrap();
        t.commit().unwrap();
        assert_eq!(Secret::read(tmp.path()).unwrap(), Some(made.clone()));
        let mut t = Transaction::begin(tmp.path(), &mut || {}).unwrap();
        assert_eq!(Secret::read_or_create(&mut t).unwrap(), made);
        assert!(
            t.names().is_empty(),
            "an existing secret is not written again"
        );
        std::fs::write(tmp.path().join(SECRET_FILE), "zz").unwrap();
        assert!(Secret::read(tmp.path()).is_err());
    }
}
