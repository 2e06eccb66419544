//! Definition fingerprints (SPEC §10.1): a hash of everything that changes an item's arithmetic
//! — measure, targets, points, scoring, rules, rounding — and nothing that only names it (name,
//! code, note, source, owners, spans). Two snapshots are compared item by item only where the
//! fingerprints agree (`history::change`).

use std::hash::Hasher;

use siphasher::sip::SipHasher13;

use crate::definition::{Catalogue, Indicator, Measure};

/// 16 hex digits of a SipHash-1-3 with fixed keys: stable across builds and platforms.
fn hash(text: &str) -> String {
    let mut h = SipHasher13::new_with_keys(0x6368_6974_6965_7531, 0x6669_6e67_6572_7072);
    h.write(text.as_bytes());
    format!("{:016x}", h.finish())
}

/// The catalogue-wide settings every item's arithmetic depends on.
fn catalogue_rules(c: &Catalogue) -> String {
    format!(
        "scoring={:?};missing={:?};near={};min_coverage={};rounding={:?}",
        c.scoring, c.missing, c.near, c.min_coverage, c.rounding
    )
}

/// The text an indicator's fingerprint hashes: its arithmetic, written out field by field.
fn indicator_text(c: &Catalogue, i: &Indicator) -> String {
    let measure = match &i.measure {
        Measure::Reported => "reported".to_string(),
        Measure::ReportOnTimeRate => "report_on_time_rate".to_string(),
        Measure::Computed(m) => {
            let text = |s: &Option<toml::Spanned<String>>| {
                s.as_ref().map(|s| s.get_ref().clone()).unwrap_or_default()
            };
            format!(
                "computed(dataset={};numerator={};denominator={};value={};filter={})",
                m.dataset.get_ref(),
                text(&m.numerator),
                text(&m.denominator),
                text(&m.value),
                text(&m.filter)
            )
        }
    };
    let targets: Vec<String> = i
        .targets
        .iter()
        .map(|a| format!("{}:{:?}", a.year, a.target))
        .collect();
    format!(
        "{};group={:?};unit={:?};direction={:?};points={:?};scoring={:?};baseline={:?};limits={:?};rollup={:?};levels={:?};zero_denominator={:?};rounding={:?};measure={measure};targets=[{}]",
        catalogue_rules(c),
        i.group,
        i.unit,
        i.direction,
        i.points,
        i.scoring,
        i.baseline,
        i.limits,
        i.rollup(),
        i.levels,
        i.zero_denominator,
        i.rounding_in(c),
        targets.join(",")
    )
}

/// The fingerprint of one indicator.
pub fn indicator(c: &Catalogue, i: &Indicator) -> String {
    hash(&indicator_text(c, i))
}

/// The fingerprint of a group: its points and its indicators' fingerprints.
pub fn group(c: &Catalogue, id: &str) -> String {
    let points = c.groups.iter().find(|g| g.id == id).and_then(|g| g.points);
    let members: Vec<String> = c
        .indicators
        .iter()
        .filter(|i| i.group.as_deref() == Some(id))
        .map(|i| indicator_text(c, i))
        .collect();
    hash(&format!(
        "group={id};points={points:?};[{}]",
        members.join("|")
    ))
}

/// The fingerprint of a unit's total: every group and indicator, and the grade bands.
pub fn total(c: &Catalogue) -> String {
    let groups: Vec<String> = c
        .groups
        .iter()
        .map(|g| format!("{}={:?}", g.id, g.points))
        .collect();
    let members: Vec<String> = c.indicators.iter().map(|i| indicator_text(c, i)).collect();
    hash(&format!(
        "total;groups=[{}];grades={:?};[{}]",
        groups.join(","),
        c.grades,
        members.join("|")
    ))
}

#[cfg(test)]
mod tests {
    use crate::definition::load::load_from_strings;

    const CATALOGUE: &str =
        "id = \"t\"\ntitle = \"T\"\n[[group]]\nid = \"a\"\nname = \"A\"\npoints = 10\n";

    fn indicator(name: &str, target: &str) -> String {
        format!(
            "[[indicator]]\nid = \"x\"\nname = \"{name}\"\ngroup = \"a\"\nunit = \"%\"\ndirection = \"higher\"\npoints = 10\n[indicator.targets]\n2026 = \"{target}\"\n"
        )
    }

    fn prints(files: &[(&str, &str)]) -> (String, String, String) {
        let loaded = load_from_strings(files);
        assert!(!loaded.has_errors(), "{:?}", loaded.diagnostics);
        let c = &loaded.catalogue;
        (
            super::indicator(c, &c.indicators[0]),
            super::group(c, "a"),
            super::total(c),
        )
    }

    #[test]
    fn names_and_positions_do_not_change_a_fingerprint_arithmetic_does() {
        let base = prints(&[
            ("catalogue.toml", CATALOGUE),
            ("i.toml", &indicator("Tỷ lệ", ">= 80")),
        ]);
        // a new name, and the definition moved down by comment lines: same fingerprints
        let renamed = format!("# moved\n# down\n{}", indicator("Tỷ lệ hồ sơ", ">= 80"));
        assert_eq!(
            base,
            prints(&[("catalogue.toml", CATALOGUE), ("i.toml", &renamed)])
        );
        // a new target: every fingerprint changes
        let edited = prints(&[
            ("catalogue.toml", CATALOGUE),
            ("i.toml", &indicator("Tỷ lệ", ">= 90")),
        ]);
        assert_ne!(base.0, edited.0);
        assert_ne!(base.1, edited.1);
        assert_ne!(base.2, edited.2);
        assert_eq!(base.0.len(), 16);
    }
}
