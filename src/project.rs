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
    /// The history of snapshots every `chitieu score` records (SPEC §10.1).
    pub history: Option<PathBuf>,
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
        let project: Project = toml::from_str(&text).map_err(|e| ProjectError::Invalid {
            path: path.clone(),
            message: e.to_string(),
        })?;
        // an empty path would mean the working directory: outputs written among the inputs
        for (key, value) in [
            ("catalogue", &project.catalogue),
            ("data", &project.data),
            ("out", &project.out),
            ("history", &project.history),
        ] {
            if value.as_ref().is_some_and(|v| v.as_os_str().is_empty()) {
                return Err(ProjectError::Invalid {
                    path,
                    message: format!("`{key}` is empty; give a directory, or remove the key"),
                });
            }
        }
        Ok(project)
    }
}

/// Why the output directory `out` cannot be used with these inputs: it is the data directory
/// (summary.csv and tasks.csv would replace the inputs of that name) or the catalogue
/// directory. Paths are compared as the file system resolves them (`data/x/.` is `data/x`).
pub fn output_clash(out: &Path, data: &Path, catalogue: &Path) -> Option<String> {
    let real = |p: &Path| std::fs::canonicalize(p).ok();
    let out_real = real(out)?;
    [("data", data), ("catalogue", catalogue)]
        .into_iter()
        .find(|(_, p)| real(p).as_ref() == Some(&out_real))
        .map(|(what, p)| {
            format!(
                "the output directory {} is the {what} directory {}: its files would be \
                 overwritten; give another --out",
                out.display(),
                p.display()
            )
        })
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

    #[test]
    fn empty_paths_and_outputs_into_the_inputs_are_refused() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(dir.path().join("chitieu.toml"), "out = \"\"\n")
            .unwrap_or_else(|e| panic!("{e}"));
        let err = Project::load(dir.path()).err().map(|e| e.to_string());
        assert!(
            err.as_deref().is_some_and(|e| e.contains("`out` is empty")),
            "{err:?}"
        );

        let data = dir.path().join("data");
        let cat = dir.path().join("cat");
        std::fs::create_dir_all(&data).unwrap_or_else(|e| panic!("{e}"));
        std::fs::create_dir_all(&cat).unwrap_or_else(|e| panic!("{e}"));
        let clash = output_clash(&data.join("."), &data, &cat);
        assert!(clash.is_some_and(|m| m.contains("data directory")));
        assert!(output_clash(&cat, &data, &cat).is_some_and(|m| m.contains("catalogue")));
        assert_eq!(output_clash(&dir.path().join("out"), &data, &cat), None);
        assert_eq!(output_clash(dir.path(), &data, &cat), None);
    }
}
