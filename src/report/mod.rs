//! Writing the outputs of a score run (SPEC §7): scorecard.json, scorecard.csv, summary.csv and
//! tasks.csv, rendered in memory first and then written atomically (temporary file, rename).
//! Only formats results; computes nothing.

pub mod csv;
pub mod html;
pub mod i18n;
pub mod xlsx;

use std::path::{Path, PathBuf};

use crate::score::scorecard::Scorecard;

#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error("cannot write {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot render {name}: {message}")]
    Render { name: String, message: String },
}

/// scorecard.json, pretty-printed, newline-terminated.
pub fn json(card: &Scorecard) -> Result<Vec<u8>, ReportError> {
    let mut text = serde_json::to_vec_pretty(card).map_err(|e| ReportError::Render {
        name: "scorecard.json".into(),
        message: e.to_string(),
    })?;
    text.push(b'\n');
    Ok(text)
}

/// Every output file of a run, rendered.
pub fn render_all(
    card: &Scorecard,
    c: &crate::definition::Catalogue,
    units: &crate::data::Units,
    charts: &[crate::chart::Chart],
    lang: crate::project::Lang,
) -> Result<Vec<(String, Vec<u8>)>, ReportError> {
    // the formats are independent: each is rendered on its own thread (the wall time is the
    // slowest one's). Plain threads, not rayon's pool: the CSV writers run polars, whose own pool
    // must not wait on a rayon worker that waits on it.
    type Render<'a> = Box<dyn Fn() -> Result<Vec<u8>, ReportError> + Send + Sync + 'a>;
    let jobs: Vec<(&str, Render)> = vec![
        ("scorecard.json", Box::new(|| json(card))),
        ("scorecard.csv", Box::new(|| csv::scorecard(card, c))),
        ("summary.csv", Box::new(|| csv::summary(card, c))),
        ("tasks.csv", Box::new(|| csv::tasks(card, c, units))),
        (
            "scorecard.xlsx",
            Box::new(|| xlsx::render(card, c, units, lang)),
        ),
        (
            "report.html",
            Box::new(|| Ok(html::render(card, c, units, charts, lang).into_bytes())),
        ),
    ];
    let timings = std::env::var_os("CHITIEU_TIMINGS").is_some();
    let rendered: Vec<Result<(String, Vec<u8>), ReportError>> = std::thread::scope(|scope| {
        let handles: Vec<_> = jobs
            .iter()
            .map(|(name, render)| {
                scope.spawn(move || {
                    let start = std::time::Instant::now();
                    let bytes = render();
                    if timings {
                        eprintln!(
                            "timing:   {name:<16} {:.3} s",
                            start.elapsed().as_secs_f64()
                        );
                    }
                    bytes.map(|bytes| (name.to_string(), bytes))
                })
            })
            .collect();
        handles
            .into_iter()
            .zip(&jobs)
            .map(|(handle, (name, _))| {
                handle.join().unwrap_or_else(|_| {
                    Err(ReportError::Render {
                        name: name.to_string(),
                        message: "the renderer stopped unexpectedly".into(),
                    })
                })
            })
            .collect()
    });
    let mut files = rendered.into_iter().collect::<Result<Vec<_>, _>>()?;
    for chart in charts {
        files.push((
            format!("charts/{}.svg", chart.name),
            chart.svg.clone().into_bytes(),
        ));
        files.push((format!("charts/{}.png", chart.name), chart.png.clone()));
    }
    Ok(files)
}

/// Writes `files` into `dir`: every file goes to a temporary name first and is renamed into
/// place only after all were written, so a failed run leaves no half-written output.
pub fn write_atomically(dir: &Path, files: &[(String, Vec<u8>)]) -> Result<(), ReportError> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| ReportError::Io { path, source }
    };
    std::fs::create_dir_all(dir).map_err(io(dir))?;
    let mut staged = Vec::new();
    for (name, bytes) in files {
        let target = dir.join(name);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).map_err(io(parent))?;
        }
        let file_name = target
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        let tmp = target.with_file_name(format!(".{file_name}.tmp-{}", std::process::id()));
        if let Err(e) = std::fs::write(&tmp, bytes) {
            for (t, _) in &staged {
                let _ = std::fs::remove_file(t);
            }
            let _ = std::fs::remove_file(&tmp);
            return Err(io(&tmp)(e));
        }
        staged.push((tmp, target));
    }
    for (tmp, target) in &staged {
        std::fs::rename(tmp, target).map_err(io(target))?;
    }
    Ok(())
}
