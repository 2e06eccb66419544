//! The files of an import, as text: units.csv, reported.csv, published.csv (the header agreed
//! with the history: `unit,period,as_of,kind,id,points,max,rank,rank_of,source`) and a README
//! naming every response read. Same import, same bytes.

use super::{Import, Level};

/// A number as the CSV writes it: the shortest text that reads back to the same double, whole
/// numbers without a decimal point (`6`, `15.68`, `0.125`).
pub fn number(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else {
        format!("{x}")
    }
}

fn opt(x: Option<f64>) -> String {
    x.map(number).unwrap_or_default()
}

/// A CSV cell, quoted when it must be.
fn cell(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) || text.trim() != text {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

fn line(cells: &[&str]) -> String {
    let mut s = cells.iter().map(|c| cell(c)).collect::<Vec<_>>().join(",");
    s.push('\n');
    s
}

/// The files an import writes, by name; `reported.csv` only when some response had counts.
#[derive(Debug, Clone)]
pub struct Files {
    pub files: Vec<(&'static str, Vec<u8>)>,
}

/// Every file an import may write (a `--replace` removes those it does not write this time).
pub const NAMES: [&str; 4] = ["units.csv", "reported.csv", "published.csv", "README.md"];

impl Import {
    /// The files of this import; the README shows `command`, the command line that made them.
    pub fn files(&self, command: &str) -> Files {
        let mut files = vec![("units.csv", self.units_csv().into_bytes())];
        if !self.reported.is_empty() {
            files.push(("reported.csv", self.reported_csv().into_bytes()));
        }
        files.push(("published.csv", self.published_csv().into_bytes()));
        files.push(("README.md", self.readme(command).into_bytes()));
        Files { files }
    }

    pub fn units_csv(&self) -> String {
        let mut s = line(&["id", "name", "parent", "level", "portal_id"]);
        for u in &self.units {
            let parent = u.parent.map(|p| self.units[p].id.as_str()).unwrap_or("");
            s += &line(&[
                &u.id,
                &u.name,
                parent,
                u.level.as_str(),
                u.portal_id.as_deref().unwrap_or(""),
            ]);
        }
        s
    }

    pub fn reported_csv(&self) -> String {
        let mut s = line(&[
            "unit",
            "period",
            "indicator",
            "value",
            "numerator",
            "denominator",
            "quality",
            "note",
        ]);
        for r in &self.reported {
            s += &line(&[
                &self.units[r.unit].id,
                &r.period.to_string(),
                r.indicator,
                &opt(r.value),
                &opt(r.numerator),
                &opt(r.denominator),
                r.quality.as_deref().unwrap_or(""),
                r.note,
            ]);
        }
        s
    }

    pub fn published_csv(&self) -> String {
        let mut s = line(&[
            "unit", "period", "as_of", "kind", "id", "points", "max", "rank", "rank_of", "source",
        ]);
        for p in &self.published {
            s += &line(&[
                &self.units[p.unit].id,
                &p.period.to_string(),
                &p.as_of.format("%Y-%m-%d").to_string(),
                p.kind.as_str(),
                p.id,
                &number(p.points),
                &opt(p.max),
                &p.rank.map(|r| r.to_string()).unwrap_or_default(),
                &p.rank_of.map(|r| r.to_string()).unwrap_or_default(),
                &p.source,
            ]);
        }
        s
    }

    /// The data directory's README: what was imported, from which responses.
    pub fn readme(&self, command: &str) -> String {
        let count = |level: Level| self.units.iter().filter(|u| u.level == level).count();
        let mut s = String::new();
        s += &format!(
            "# Bộ chỉ số 766 — the national portal's published figures, imported\n\n\
             Written by `chitieu import portal766` from the responses listed below (do not edit by \
             hand: import again). {} units ({} tinh, {} so, {} xa).\n\n```\n{command}\n```\n\n",
            self.units.len(),
            count(Level::Tinh),
            count(Level::So),
            count(Level::Xa)
        );
        s += "* `units.csv` — the portal's unit codes as ids, its unit UUIDs as `portal_id`, the \
              hierarchy of the responses.\n";
        if self.reported.is_empty() {
            s += "* no `reported.csv`: these responses carry totals and group scores only, no \
                  counts, so nothing to score or reconcile; the import checked the portal's figures \
                  against themselves.\n";
        } else {
            s += "* `reported.csv` — the portal's counts (`numerator`, `denominator`; `value` \
                  where it publishes only a ratio), its data-quality flag in `quality`.\n";
        }
        s += "* `published.csv` — the points, group scores, totals and ranks the portal \
              published, each with its snapshot day (`as_of`) and response (`source`); `chitieu \
              score` reconciles its figures with them.\n\n\
              | response | shape | period | as of | units | counts | published |\n\
              |---|---|---|---|---|---|---|\n";
        for f in &self.files {
            s += &format!(
                "| `{}` | {} | {} | {} | {} | {} | {} |\n",
                f.file,
                f.shape.describe(),
                f.period.map(|p| p.to_string()).unwrap_or_default(),
                f.as_of
                    .map(|d| d.format("%Y-%m-%d").to_string())
                    .unwrap_or_default(),
                f.units,
                f.counted,
                f.shown
            );
        }
        let notes: Vec<String> = self
            .files
            .iter()
            .flat_map(|f| f.notes.iter().map(move |n| format!("* `{}`: {n}", f.file)))
            .collect();
        if !notes.is_empty() {
            s += "\n";
            for n in notes {
                s += &n;
                s += "\n";
            }
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::{cell, number};

    #[test]
    fn numbers_are_written_as_the_portal_wrote_them() {
        for (x, text) in [
            (6.0, "6"),
            (15.68, "15.68"),
            (0.125, "0.125"),
            (0.0, "0"),
            (184_513.0, "184513"),
            (62.666_666_666_666_66, "62.66666666666666"),
            (-1.62, "-1.62"),
        ] {
            assert_eq!(number(x), text);
        }
    }

    #[test]
    fn names_with_commas_are_quoted() {
        assert_eq!(
            cell("Sở Văn hóa, Thể thao và Du lịch"),
            "\"Sở Văn hóa, Thể thao và Du lịch\""
        );
        assert_eq!(cell("UBND xã \"A\""), "\"UBND xã \"\"A\"\"\"");
        assert_eq!(cell("H44"), "H44");
    }
}
