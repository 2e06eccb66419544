//! Charts of a scorecard with plotters (SPEC §7.2), each as SVG and PNG, with the shipped font
//! so that Vietnamese text renders the same everywhere. Draws; computes no scores.

/// One rendered chart: `name` without extension (`league`, `unit-xa-bat-xat`, `heatmap`,
/// `trend-ho-so-truc-tuyen`, `tasks`), written as `charts/<name>.svg` and `charts/<name>.png`.
#[derive(Debug, Clone)]
pub struct Chart {
    pub name: String,
    /// A short human title (in the run's language), for captions.
    pub title: String,
    pub svg: String,
    pub png: Vec<u8>,
    pub width: u32,
    pub height: u32,
}
