//! League charts (SPEC §7.2 `league`): the units of one peer set ranked by score, one bar per
//! unit coloured by grade, rank and score beside it. Reads ranks and grades; computes none.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::canvas::{
    self, Canvas, DrawResult, Drawing, Header, LegendItem, Mark, LABEL, PAD, SMALL,
};
use super::{Chart, ChartError, Context};
use crate::labels;
use crate::score::scorecard::{PeerSet, Scorecard};
use crate::score::Grade;

const WIDTH: u32 = 1000;
/// Height of one unit's row: 99 communes make a chart of about 2 400 pixels.
pub const ROW_H: i32 = 22;
const RANK_X: i32 = PAD + 36;
const NAME_X: i32 = PAD + 46;
const NAME_W: i32 = 300;
const BAR_X0: i32 = NAME_X + NAME_W + 10;
const BAR_X1: i32 = WIDTH as i32 - PAD - 170;
/// Below the last row: tick labels, the axis caption and the margin.
const FOOT: i32 = 60 + PAD;
const NO_GRADE: RGBColor = RGBColor(160, 160, 160);

/// The peer sets that get a chart, as (chart name, index into `Scorecard::peer_sets`): the
/// largest (the first of equals) as `league`, and every other with at least two units as
/// `league-<level>` (roots) or `league-<level>-<parent>`.
pub fn charted_sets(card: &Scorecard) -> Vec<(String, usize)> {
    let largest = card.largest_peer_set();
    card.peer_sets
        .iter()
        .enumerate()
        .filter(|(i, s)| Some(*i) == largest || s.members.len() >= 2)
        .map(|(i, s)| {
            let name = if Some(i) == largest {
                super::LEAGUE.to_string()
            } else {
                labels::league_chart(&s.level, s.parent.as_deref())
            };
            (name, i)
        })
        .collect()
}

struct Row {
    rank: String,
    name: String,
    /// Score from 0 to 100; None draws no bar.
    score: Option<f64>,
    text: String,
    colour: RGBColor,
}

struct League {
    header: Header,
    rows: Vec<Row>,
    /// Units left out to keep the chart within the size limit.
    more: Option<String>,
    caption: String,
    lang: crate::project::Lang,
}

pub fn chart(ctx: &Context<'_>, name: String, set: &PeerSet) -> Result<Chart, ChartError> {
    let card = ctx.card;
    let lang = ctx.lang;
    let members = &set.by_rank;
    let parent_name = set.parent.as_deref().map(|p| {
        ctx.unit(p)
            .map(|u| u.name.as_str())
            .or_else(|| card.outside_name(p))
            .unwrap_or(p)
    });
    let title = match parent_name {
        Some(p) => format!(
            "{} — {} \"{}\" {} {} ({} {})",
            ctx.l("Bảng xếp hạng", "League table"),
            ctx.l("nhóm", "peer set"),
            set.level,
            ctx.l("thuộc", "under"),
            p,
            members.len(),
            ctx.l("đơn vị", "units")
        ),
        None => format!(
            "{} — {} \"{}\" ({} {})",
            ctx.l("Bảng xếp hạng", "League table"),
            ctx.l("nhóm", "peer set"),
            set.level,
            members.len(),
            ctx.l("đơn vị", "units")
        ),
    };
    let bands = &ctx.c.grades;
    let colour_of = |grade: Option<&Grade>| {
        grade.map_or(NO_GRADE, |g| {
            canvas::rgb(labels::band_rgb(g.band, bands.len()))
        })
    };
    let mut legend: Vec<LegendItem> = bands
        .iter()
        .enumerate()
        .map(|(i, b)| {
            LegendItem::new(
                canvas::rgb(labels::band_rgb(i, bands.len())),
                format!("{} (≥ {})", b.name, labels::number(b.min, 0, lang)),
                Mark::Box,
            )
        })
        .collect();
    if members.iter().any(|&u| card.units[u].grade.is_none()) {
        legend.push(LegendItem::new(
            NO_GRADE,
            ctx.l("Chưa xếp loại", "Not graded"),
            Mark::Box,
        ));
    }
    let header = Header::new(&title, &ctx.subtitle, legend, WIDTH);
    let fits = ((canvas::MAX_SIDE as i32 - header.height() - 22 - FOOT) / ROW_H - 1).max(1);
    let shown = members.len().min(fits as usize);
    let more = (shown < members.len()).then(|| {
        format!(
            "… {} {}",
            members.len() - shown,
            ctx.l("đơn vị khác", "more units")
        )
    });
    let rows = members[..shown]
        .iter()
        .map(|&u| {
            let unit = &card.units[u];
            let score = unit.score.filter(|s| s.is_finite());
            let text = match (score, &unit.grade) {
                (Some(s), Some(g)) => format!("{} · {g}", labels::number(s, 2, lang)),
                (Some(s), None) => labels::number(s, 2, lang),
                (None, _) => ctx.l("chưa có điểm", "no score").to_string(),
            };
            Row {
                rank: unit.rank.map_or("–".to_string(), |r| r.to_string()),
                name: canvas::ellipsize(&unit.name, NAME_W, LABEL, false),
                score: score.map(|s| s.clamp(0.0, 100.0)),
                text,
                colour: colour_of(unit.grade.as_ref()),
            }
        })
        .collect();
    let league = League {
        header,
        rows,
        more,
        caption: ctx.l("Điểm", "Score").to_string(),
        lang,
    };
    canvas::render(name, title, &league)
}

impl League {
    fn top(&self) -> i32 {
        self.header.height() + 22
    }
    fn row_count(&self) -> i32 {
        self.rows.len() as i32 + i32::from(self.more.is_some())
    }
}

impl Drawing for League {
    fn size(&self) -> (u32, u32) {
        let h = self.top() + self.row_count() * ROW_H + FOOT;
        (WIDTH, h.max(1) as u32)
    }

    fn draw<DB: DrawingBackend>(&self, pen: &Canvas<'_, DB>) -> DrawResult<DB> {
        self.header.draw(pen)?;
        let top = self.top();
        let bottom = top + self.row_count() * ROW_H;
        for i in (1..self.rows.len()).step_by(2) {
            let y = top + i as i32 * ROW_H;
            pen.rect((PAD, y), (WIDTH as i32 - PAD, y + ROW_H), &canvas::ZEBRA)?;
        }
        let ticks: Vec<f64> = (0..=10).map(|i| f64::from(i) * 10.0).collect();
        let lang = self.lang;
        canvas::x_grid(
            pen,
            (BAR_X0, BAR_X1),
            (top, bottom),
            (100.0, &ticks),
            &|t| labels::number(t, 0, lang),
            &self.caption,
        )?;
        for (i, row) in self.rows.iter().enumerate() {
            let cy = top + i as i32 * ROW_H + ROW_H / 2;
            let ink = if row.score.is_some() {
                canvas::INK
            } else {
                canvas::MUTED
            };
            let left = (HPos::Left, VPos::Center);
            pen.text(
                &row.rank,
                (RANK_X, cy),
                LABEL,
                true,
                &ink,
                HPos::Right,
                VPos::Center,
            )?;
            pen.text(&row.name, (NAME_X, cy), LABEL, false, &ink, left.0, left.1)?;
            let end = match row.score {
                Some(s) => {
                    let x = BAR_X0 + ((BAR_X1 - BAR_X0) as f64 * s / 100.0).round() as i32;
                    pen.rect((BAR_X0, cy - 7), (x.max(BAR_X0 + 1), cy + 7), &row.colour)?;
                    x
                }
                None => BAR_X0,
            };
            pen.text(&row.text, (end + 6, cy), SMALL, false, &ink, left.0, left.1)?;
        }
        if let Some(more) = &self.more {
            let cy = top + self.rows.len() as i32 * ROW_H + ROW_H / 2;
            pen.text(
                more,
                (NAME_X, cy),
                LABEL,
                false,
                &canvas::MUTED,
                HPos::Left,
                VPos::Center,
            )?;
        }
        Ok(())
    }
}
