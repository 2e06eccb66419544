//! `chitieu.toml`: the project defaults of the command line (SPEC §1). Read once at start-up.

use std::path::{Path, PathBuf};

use serde::Deserialize;

/// Language of human-facing output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    Vi,
    En,
}

impl Lang {
    /// Picks the Vietnamese or English form of a label.
    pub fn pick<'a>(self, vi: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Vi => vi,
            Lang::En => en,
        }
    }
}

/// The keys of `chitieu.toml`; all optional.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Project {
    pub catalogue: Option<PathBuf>,
    pub data: Option<PathBuf>,
    pub out: Option<PathBuf>,
    pub lang: Option<Lang>,
}

#[derive(Debug, thiserror::Error)]
pub enum ProjectError {
    #[error("cannot read {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: {message}")]
    Invalid { path: PathBuf, message: String },
}

impl Project {
    /// Reads `chitieu.toml` in `dir`; a missing file gives the empty defaults.
    pub fn load(dir: &Path) -> Result<Project, ProjectError> {
        let path = dir.join("chitieu.toml");
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Project::default()),
            Err(source) => return Err(ProjectError::Io { path, source }),
        };
        toml::from_str(&text).map_err(|e| ProjectError::Invalid {
            path,
            message: e.to_string(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_defaults_and_rejects_typos() {
        let p: Project =
            toml::from_str("catalogue = \"indicators/x\"\nlang = \"en\"\n").unwrap_or_default();
        assert_eq!(p.catalogue, Some(PathBuf::from("indicators/x")));
        assert_eq!(p.lang, Some(Lang::En));
        assert!(toml::from_str::<Project>("catalog = \"x\"").is_err());
        assert_eq!(Lang::Vi.pick("mục tiêu", "target"), "mục tiêu");
    }
}
