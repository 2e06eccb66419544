//! The drawing surface every chart shares: the embedded DejaVu font, rendering one drawing to SVG
//! text and PNG bytes, measuring and shortening labels, headers with legends, number axes and
//! colours. Knows nothing about scorecards.
//!
//! Text in SVGs is `<text>` in the family `sans-serif`, drawn by the viewer. Text in PNGs is
//! laid out and rasterised here with ab_glyph from the shipped font: plotters 0.3.7 places each
//! glyph without its side bearing (uneven letter spacing, "Ngh ĩa") and sets the baseline of
//! centred text a few pixels high, so bitmaps get the same anchors as SVG (`dy` of 0.76em, 0.5ex,
//! −0.5ex) from this module instead. The font is also registered with plotters for the axis
//! labels plotters draws itself.

use std::sync::OnceLock;

use ab_glyph::{Font, FontRef, PxScale, ScaleFont};
use image::codecs::png::{CompressionType, FilterType};
use image::ImageEncoder;
use plotters::backend::RGBPixel;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{FontDesc, FontFamily, FontStyle, FontTransform};
use unicode_normalization::UnicodeNormalization;

use super::{Chart, ChartError};

static REGULAR: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
static BOLD: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf");

/// The family every text is drawn with: the shipped DejaVu Sans in PNGs, the viewer's sans-serif
/// in SVGs.
pub const FAMILY: &str = "sans-serif";

/// Text sizes in plotters' units: the em is size / 1.24 pixels (15 → 12 px).
pub const TITLE: f64 = 22.0;
pub const SUBTITLE: f64 = 15.0;
pub const LABEL: f64 = 15.0;
pub const SMALL: f64 = 13.5;
/// Outer margin of every chart.
pub const PAD: i32 = 16;
/// No chart grows beyond this many pixels in either direction; rows beyond it are left out
/// and counted in a note.
pub const MAX_SIDE: u32 = 12_000;

pub const INK: RGBColor = RGBColor(33, 37, 41);
pub const MUTED: RGBColor = RGBColor(108, 117, 125);
pub const GRID: RGBColor = RGBColor(222, 226, 230);
pub const ZEBRA: RGBColor = RGBColor(246, 247, 249);

/// The x-height of DejaVu Sans in ems: SVG's `ex`, which centres text vertically.
const X_HEIGHT: f32 = 0.547;

pub type DrawResult<DB> = Result<(), DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;

/// Why the shipped fonts cannot be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum FontError {
    /// plotters refuses the file (its path under the repository).
    #[error("{0} is not a font")]
    NotAFont(&'static str),
    /// The glyph reader cannot parse a face.
    #[error("the shipped fonts cannot be read")]
    Unreadable,
}

/// Registers the shipped font with plotters once per process.
pub fn ensure_fonts() -> Result<(), ChartError> {
    static FONTS: OnceLock<Result<(), FontError>> = OnceLock::new();
    let registered = FONTS.get_or_init(|| {
        plotters::style::register_font(FAMILY, FontStyle::Normal, REGULAR)
            .map_err(|_| FontError::NotAFont("assets/fonts/DejaVuSans.ttf"))?;
        plotters::style::register_font(FAMILY, FontStyle::Bold, BOLD)
            .map_err(|_| FontError::NotAFont("assets/fonts/DejaVuSans-Bold.ttf"))?;
        face(false)
            .and(face(true))
            .map(|_| ())
            .ok_or(FontError::Unreadable)
    });
    Ok((*registered)?)
}

/// The shipped regular or bold face, parsed once.
fn face(bold: bool) -> Option<&'static FontRef<'static>> {
    static FACES: OnceLock<(Option<FontRef<'static>>, Option<FontRef<'static>>)> = OnceLock::new();
    let (regular, bold_face) = FACES.get_or_init(|| {
        (
            FontRef::try_from_slice(REGULAR).ok(),
            FontRef::try_from_slice(BOLD).ok(),
        )
    });
    if bold {
        bold_face.as_ref()
    } else {
        regular.as_ref()
    }
}

/// A chart ready to be drawn on any plotters backend.
pub trait Drawing: Sync {
    /// Width and height in pixels.
    fn size(&self) -> (u32, u32);
    fn draw<DB: DrawingBackend>(&self, canvas: &Canvas<'_, DB>) -> DrawResult<DB>;
}

/// Draws `drawing` twice, as SVG text and as an RGB bitmap encoded to PNG.
pub fn render(name: String, title: String, drawing: &impl Drawing) -> Result<Chart, ChartError> {
    ensure_fonts()?;
    let (width, height) = drawing.size();
    let (width, height) = (width.clamp(1, MAX_SIDE), height.clamp(1, MAX_SIDE));
    let fail = |message: String| ChartError::Draw {
        name: name.clone(),
        message,
    };
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (width, height)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| fail(e.to_string()))?;
        let canvas = Canvas {
            area: &root,
            raster: false,
        };
        drawing.draw(&canvas).map_err(|e| fail(e.to_string()))?;
        root.present().map_err(|e| fail(e.to_string()))?;
    }
    let mut pixels = vec![0u8; width as usize * height as usize * 3];
    {
        let backend =
            BitMapBackend::<RGBPixel>::with_buffer_and_format(&mut pixels, (width, height))
                .map_err(|e| fail(e.to_string()))?;
        let root = backend.into_drawing_area();
        root.fill(&WHITE).map_err(|e| fail(e.to_string()))?;
        let canvas = Canvas {
            area: &root,
            raster: true,
        };
        drawing.draw(&canvas).map_err(|e| fail(e.to_string()))?;
        root.present().map_err(|e| fail(e.to_string()))?;
    }
    // the "up" filter suits rows of bars and is three times faster than adaptive filtering,
    // with smaller files on these charts
    let mut png = Vec::new();
    image::codecs::png::PngEncoder::new_with_quality(
        &mut png,
        CompressionType::Default,
        FilterType::Up,
    )
    .write_image(&pixels, width, height, image::ColorType::Rgb8)
    .map_err(|e| ChartError::Png {
        name: name.clone(),
        message: e.to_string(),
    })?;
    Ok(Chart {
        name,
        title,
        svg,
        png,
        width,
        height,
    })
}

fn font(size: f64, bold: bool) -> FontDesc<'static> {
    let style = if bold {
        FontStyle::Bold
    } else {
        FontStyle::Normal
    };
    FontDesc::new(FontFamily::Name(FAMILY), size, style)
}

/// The text style plotters draws with (axis labels): the shipped family, `size`, `colour`,
/// anchored at `(h, v)`.
pub fn style(size: f64, bold: bool, colour: &RGBColor, h: HPos, v: VPos) -> TextStyle<'static> {
    font(size, bold).color(colour).pos(Pos::new(h, v))
}

/// The em of `size` in pixels, as SVG writes it (`font-size` = size / 1.24).
fn em(size: f64) -> f32 {
    (size / 1.24) as f32
}

/// Glyphs of `s` on a baseline through (0, 0), and the advance width of the whole text.
fn layout(font: &FontRef<'static>, size: f64, s: &str) -> (Vec<ab_glyph::Glyph>, f32) {
    let units = font.units_per_em().unwrap_or(2048.0);
    let scale = PxScale::from(em(size) * font.height_unscaled() / units);
    let scaled = font.as_scaled(scale);
    let mut x = 0.0;
    let mut previous = None;
    let mut glyphs = Vec::with_capacity(s.len());
    for c in s.chars() {
        let id = scaled.glyph_id(c);
        if let Some(p) = previous {
            x += scaled.kern(p, id);
        }
        glyphs.push(id.with_scale_and_position(scale, ab_glyph::point(x, 0.0)));
        x += scaled.h_advance(id);
        previous = Some(id);
    }
    (glyphs, x)
}

/// The width of `s` in pixels as the PNG draws it (and an SVG viewer with DejaVu Sans).
pub fn text_width(s: &str, size: f64, bold: bool) -> i32 {
    match face(bold) {
        Some(f) => layout(f, size, s).1.ceil() as i32,
        // the font is compiled in and checked before anything is drawn; an over-estimate
        None => (s.chars().count() as f64 * size * 0.6).ceil() as i32,
    }
}
/// `s` in composed form with runs of whitespace collapsed, so that Vietnamese letters are one
/// glyph each and cutting never separates a vowel from its tone mark.
pub fn clean(s: &str) -> String {
    s.nfc()
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// `s` shortened with an ellipsis so that it fits in `max` pixels.
pub fn ellipsize(s: &str, max: i32, size: f64, bold: bool) -> String {
    let s = clean(s);
    if text_width(&s, size, bold) <= max {
        return s;
    }
    let chars: Vec<char> = s.chars().collect();
    // the longest prefix that fits with the ellipsis: binary search on the character count
    let (mut lo, mut hi) = (0usize, chars.len());
    while lo < hi {
        let mid = (lo + hi).div_ceil(2);
        let candidate: String = chars[..mid].iter().collect::<String>() + "…";
        if text_width(&candidate, size, bold) <= max {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    let prefix: String = chars[..lo].iter().collect();
    format!("{}…", prefix.trim_end())
}

/// `s` broken into at most `lines` lines of `max` pixels at word boundaries; the last line is
/// shortened with an ellipsis when the text does not fit.
pub fn wrap(s: &str, max: i32, size: f64, bold: bool, lines: usize) -> Vec<String> {
    let s = clean(s);
    let mut out: Vec<String> = Vec::new();
    let mut current = String::new();
    let words: Vec<&str> = s.split(' ').collect();
    for (i, word) in words.iter().enumerate() {
        let candidate = if current.is_empty() {
            word.to_string()
        } else {
            format!("{current} {word}")
        };
        if current.is_empty() || text_width(&candidate, size, bold) <= max {
            current = candidate;
            continue;
        }
        if out.len() + 1 == lines.max(1) {
            // the last line takes the rest, shortened
            let rest = words[i..].join(" ");
            out.push(ellipsize(&format!("{current} {rest}"), max, size, bold));
            return out;
        }
        out.push(std::mem::replace(&mut current, word.to_string()));
    }
    if !current.is_empty() {
        out.push(ellipsize(&current, max, size, bold));
    }
    out
}

/// A drawing area with its kind: text goes to plotters on SVG and is rasterised here on bitmaps.
/// Coordinates are pixels from the top left of the chart.
pub struct Canvas<'a, DB: DrawingBackend> {
    pub area: &'a DrawingArea<DB, Shift>,
    raster: bool,
}

impl<DB: DrawingBackend> Canvas<'_, DB> {
    /// Draws `s` with its anchor `(h, v)` at `pos`.
    #[allow(clippy::too_many_arguments)]
    pub fn text(
        &self,
        s: &str,
        pos: (i32, i32),
        size: f64,
        bold: bool,
        colour: &RGBColor,
        h: HPos,
        v: VPos,
    ) -> DrawResult<DB> {
        if self.raster {
            self.glyphs(s, pos, (size, bold), colour, (h, v), false)
        } else {
            self.area
                .draw_text(s, &style(size, bold, colour, h, v), pos)
        }
    }

    /// Draws `s` reading upwards, starting at `pos` and centred on `pos.0`.
    pub fn text_up(
        &self,
        s: &str,
        pos: (i32, i32),
        size: f64,
        colour: &RGBColor,
    ) -> DrawResult<DB> {
        let (h, v) = (HPos::Left, VPos::Center);
        if self.raster {
            self.glyphs(s, pos, (size, false), colour, (h, v), true)
        } else {
            let style = font(size, false)
                .transform(FontTransform::Rotate270)
                .color(colour)
                .pos(Pos::new(h, v));
            self.area.draw_text(s, &style, pos)
        }
    }

    /// Rasterises `s` with the SVG backend's anchors: the baseline 0.76em below a top anchor,
    /// 0.5ex below a centre anchor, 0.5ex above a bottom one; `up` turns it to read upwards.
    fn glyphs(
        &self,
        s: &str,
        (x0, y0): (i32, i32),
        (size, bold): (f64, bool),
        colour: &RGBColor,
        (h, v): (HPos, VPos),
        up: bool,
    ) -> DrawResult<DB> {
        let Some(f) = face(bold) else {
            return Ok(());
        };
        let (glyphs, width) = layout(f, size, s);
        let dx = match h {
            HPos::Left => 0.0,
            HPos::Center => -width / 2.0,
            HPos::Right => -width,
        };
        let dy = match v {
            VPos::Top => 0.76 * em(size),
            VPos::Center => 0.5 * X_HEIGHT * em(size),
            VPos::Bottom => -0.5 * X_HEIGHT * em(size),
        };
        let mut pixels: Vec<(i32, i32, f32)> = Vec::new();
        for mut glyph in glyphs {
            glyph.position = ab_glyph::point(glyph.position.x + dx, dy);
            if let Some(outline) = f.outline_glyph(glyph) {
                let min = outline.px_bounds().min;
                outline.draw(|gx, gy, coverage| {
                    if coverage > 0.02 {
                        let (lx, ly) = (min.x as i32 + gx as i32, min.y as i32 + gy as i32);
                        pixels.push((lx, ly, coverage.min(1.0)));
                    }
                });
            }
        }
        for (lx, ly, coverage) in pixels {
            let (px, py) = if up { (ly, -lx) } else { (lx, ly) };
            self.area
                .draw_pixel((x0 + px, y0 + py), &colour.mix(f64::from(coverage)))?;
        }
        Ok(())
    }

    pub fn rect(&self, from: (i32, i32), to: (i32, i32), colour: &RGBColor) -> DrawResult<DB> {
        self.area.draw(&Rectangle::new([from, to], colour.filled()))
    }

    pub fn line(
        &self,
        from: (i32, i32),
        to: (i32, i32),
        colour: &RGBColor,
        width: u32,
    ) -> DrawResult<DB> {
        self.area.draw(&PathElement::new(
            vec![from, to],
            colour.stroke_width(width),
        ))
    }

    /// A horizontal dashed line from `x0` to `x1` at `y`.
    pub fn dashed(
        &self,
        (x0, x1): (i32, i32),
        y: i32,
        colour: &RGBColor,
        width: u32,
    ) -> DrawResult<DB> {
        let mut x = x0;
        while x < x1 {
            self.line((x, y), ((x + 5).min(x1), y), colour, width)?;
            x += 9;
        }
        Ok(())
    }
}

/// How a legend entry is marked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    /// A filled square (bars, cells).
    Box,
    /// A vertical tick (a target threshold).
    Tick,
    /// A solid line with a dot (a series).
    Line,
    /// A dashed line (a target trajectory, a forecast).
    Dashed,
}

#[derive(Debug, Clone)]
pub struct LegendItem {
    pub colour: RGBColor,
    pub label: String,
    pub mark: Mark,
}

impl LegendItem {
    pub fn new(colour: RGBColor, label: impl Into<String>, mark: Mark) -> Self {
        LegendItem {
            colour,
            label: label.into(),
            mark,
        }
    }
}

const SWATCH: i32 = 22;
const LEGEND_ROW: i32 = 22;

/// The top of a chart: a title (up to two lines), a subtitle, and a legend wrapped over as many
/// rows as the width needs. Laid out once, for a given width.
#[derive(Debug, Clone)]
pub struct Header {
    title: Vec<String>,
    subtitle: Option<String>,
    /// Legend entries with their (x, row) positions.
    legend: Vec<(LegendItem, i32, i32)>,
    rows: i32,
}

impl Header {
    pub fn new(title: &str, subtitle: &str, legend: Vec<LegendItem>, width: u32) -> Header {
        let max = width as i32 - 2 * PAD;
        let mut placed = Vec::new();
        let (mut x, mut row) = (PAD, 0);
        for item in legend {
            let label = ellipsize(&item.label, max - SWATCH - 6, SMALL, false);
            let w = SWATCH + 6 + text_width(&label, SMALL, false) + 18;
            if x > PAD && x + w > width as i32 - PAD {
                x = PAD;
                row += 1;
            }
            placed.push((LegendItem { label, ..item }, x, row));
            x += w;
        }
        let rows = if placed.is_empty() { 0 } else { row + 1 };
        Header {
            title: wrap(title, max, TITLE, true, 2),
            subtitle: Some(subtitle)
                .filter(|s| !s.trim().is_empty())
                .map(|s| ellipsize(s, max, SUBTITLE, false)),
            legend: placed,
            rows,
        }
    }

    fn legend_top(&self) -> i32 {
        let subtitle = if self.subtitle.is_some() { 22 } else { 0 };
        PAD + 28 * self.title.len() as i32 + subtitle + 8
    }

    /// Pixels from the top of the chart to the first pixel below the header.
    pub fn height(&self) -> i32 {
        self.legend_top() + LEGEND_ROW * self.rows + 6
    }

    pub fn draw<DB: DrawingBackend>(&self, canvas: &Canvas<'_, DB>) -> DrawResult<DB> {
        let mut y = PAD + 12;
        for line in &self.title {
            canvas.text(line, (PAD, y), TITLE, true, &INK, HPos::Left, VPos::Center)?;
            y += 28;
        }
        if let Some(s) = &self.subtitle {
            canvas.text(
                s,
                (PAD, y - 4),
                SUBTITLE,
                false,
                &MUTED,
                HPos::Left,
                VPos::Center,
            )?;
        }
        let top = self.legend_top();
        for (item, x, row) in &self.legend {
            let cy = top + row * LEGEND_ROW + LEGEND_ROW / 2;
            match item.mark {
                Mark::Box => canvas.rect((*x + 4, cy - 7), (*x + 18, cy + 7), &item.colour)?,
                Mark::Tick => canvas.line((*x + 11, cy - 8), (*x + 11, cy + 8), &item.colour, 3)?,
                Mark::Line => {
                    canvas.line((*x, cy), (*x + SWATCH, cy), &item.colour, 2)?;
                    canvas
                        .area
                        .draw(&Circle::new((*x + 11, cy), 3, item.colour.filled()))?;
                }
                Mark::Dashed => canvas.dashed((*x, *x + SWATCH), cy, &item.colour, 2)?,
            }
            canvas.text(
                &item.label,
                (*x + SWATCH + 6, cy),
                SMALL,
                false,
                &INK,
                HPos::Left,
                VPos::Center,
            )?;
        }
        Ok(())
    }
}

/// Tick values for an axis from 0 to `max`: at most 6 intervals of a round step (1, 2 or 5 × 10ⁿ).
pub fn ticks(max: f64) -> Vec<f64> {
    if !max.is_finite() || max <= 0.0 {
        return vec![0.0];
    }
    let magnitude = 10f64.powf((max / 6.0).log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * magnitude)
        .find(|s| max / s <= 6.0 + 1e-9)
        .unwrap_or(magnitude * 10.0);
    let n = (max / step + 1e-9).floor() as usize;
    (0..=n).map(|i| i as f64 * step).collect()
}

/// The smallest round number ≥ `v` (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8 × 10ⁿ), the end of an
/// axis; [`ticks`] divides each of them evenly.
pub fn nice_ceiling(v: f64) -> f64 {
    if !v.is_finite() || v <= 0.0 {
        return 1.0;
    }
    let magnitude = 10f64.powf(v.log10().floor());
    [1.0, 1.2, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0]
        .into_iter()
        .map(|m| m * magnitude)
        .find(|c| *c >= v - 1e-9)
        .unwrap_or(magnitude * 10.0)
}

/// Vertical grid lines at `ticks` with their labels above `top` and below `bottom`, for an
/// axis from 0 to `max` drawn between pixels `x0` and `x1`, and `caption` under it.
pub fn x_grid<DB: DrawingBackend>(
    canvas: &Canvas<'_, DB>,
    (x0, x1): (i32, i32),
    (top, bottom): (i32, i32),
    (max, ticks): (f64, &[f64]),
    label: &dyn Fn(f64) -> String,
    caption: &str,
) -> DrawResult<DB> {
    for &t in ticks {
        let x = x0 + ((x1 - x0) as f64 * t / max).round() as i32;
        canvas.line((x, top), (x, bottom), &GRID, 1)?;
        let s = label(t);
        canvas.text(
            &s,
            (x, top - 4),
            SMALL,
            false,
            &MUTED,
            HPos::Center,
            VPos::Bottom,
        )?;
        canvas.text(
            &s,
            (x, bottom + 4),
            SMALL,
            false,
            &MUTED,
            HPos::Center,
            VPos::Top,
        )?;
    }
    canvas.line((x0, bottom), (x1, bottom), &MUTED, 1)?;
    canvas.text(
        caption,
        ((x0 + x1) / 2, bottom + 24),
        LABEL,
        false,
        &INK,
        HPos::Center,
        VPos::Top,
    )
}

pub fn rgb((r, g, b): (u8, u8, u8)) -> RGBColor {
    RGBColor(r, g, b)
}

/// Text colour readable on `background`: white on dark colours, ink on light ones.
pub fn ink_on(background: &RGBColor) -> RGBColor {
    let RGBColor(r, g, b) = *background;
    let luma = 0.299 * f64::from(r) + 0.587 * f64::from(g) + 0.114 * f64::from(b);
    if luma > 150.0 {
        INK
    } else {
        WHITE
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_axes() {
        let cases: [(f64, &[f64]); 4] = [
            (100.0, &[0.0, 20.0, 40.0, 60.0, 80.0, 100.0]),
            (21.0, &[0.0, 5.0, 10.0, 15.0, 20.0]),
            (3.0, &[0.0, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0]),
            (0.0, &[0.0]),
        ];
        for (max, expected) in cases {
            assert_eq!(ticks(max), expected, "ticks({max})");
        }
        let ceilings = [
            (83.0, 100.0),
            (27_216.2, 30_000.0),
            (1.2, 1.2),
            (31.0, 40.0),
            (0.0, 1.0),
        ];
        for (v, expected) in ceilings {
            assert_eq!(nice_ceiling(v), expected, "nice_ceiling({v})");
            // the ticks of a round ceiling end on it
            let t = ticks(expected);
            assert!((t[t.len() - 1] - expected).abs() < 1e-9, "{t:?}");
        }
    }

    #[test]
    fn names_are_shortened_to_fit() {
        assert!(ensure_fonts().is_ok());
        let long = "Ngân hàng Nhà nước Việt Nam chi nhánh Khu vực IV";
        let short = ellipsize(long, 150, LABEL, false);
        assert!(short.ends_with('…'), "{short}");
        assert!(text_width(&short, LABEL, false) <= 150);
        assert!(long.starts_with(short.trim_end_matches('…')));
        assert_eq!(ellipsize("Xã Y Tý", 150, LABEL, false), "Xã Y Tý");
        // decomposed input comes out composed
        assert_eq!(clean("Xa\u{303}  Y Ty\u{301}"), "Xã Y Tý");
        let lines = wrap(long, 150, LABEL, false, 2);
        assert_eq!(lines.len(), 2);
        assert!(lines.iter().all(|l| text_width(l, LABEL, false) <= 150));
        assert!(lines[1].ends_with('…'));
    }
}
