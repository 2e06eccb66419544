//! Where a unit's points went, in words (SPEC §5.7): its largest losses, each as a sentence a
//! leader reads first in the unit's section ("Mất 2,36 điểm ở Tiến độ giải quyết: cần thêm
//! 44.596 hồ sơ xử lý đúng hạn"). Picks and words only; `points_lost` and `needed` are computed
//! by the scorecard.

use crate::definition::Catalogue;
use crate::labels;
use crate::project::Lang;
use crate::score::scorecard::{IndicatorCard, UnitCard};

/// The `n` indicators of `unit` that lost the most points (more than 0), largest first; equal
/// losses keep catalogue order.
pub fn largest(unit: &UnitCard, n: usize) -> Vec<&IndicatorCard> {
    let mut lost: Vec<&IndicatorCard> = unit
        .indicators
        .iter()
        .filter(|i| i.points_lost.is_some_and(|p| p > 0.0))
        .collect();
    // stable: ties stay in catalogue order
    lost.sort_by(|a, b| {
        b.points_lost
            .unwrap_or(0.0)
            .total_cmp(&a.points_lost.unwrap_or(0.0))
    });
    lost.truncate(n);
    lost
}

/// One loss as a sentence. The place is the indicator's group ("Tiến độ giải quyết", as the
/// portal speaks), else the indicator's name; what is needed is counted in the indicator's own
/// words — its name without "Tỷ lệ" and without a closing parenthesis ("hồ sơ xử lý đúng hạn") —
/// which also tells which indicator of the group it is. Without a count, an indicator that shares
/// its group is named in parentheses.
pub fn sentence(c: &Catalogue, card: &IndicatorCard, lang: Lang) -> String {
    let Some(def) = c.indicator(&card.id) else {
        return String::new();
    };
    let group = def.group.as_deref().and_then(|g| c.group(g));
    let shares_group = group.is_some_and(|g| {
        c.indicators
            .iter()
            .filter(|i| i.group.as_deref() == Some(g.id.as_str()) && !i.is_tracked())
            .count()
            > 1
    });
    let place = group.map_or(def.name.as_str(), |g| g.name.as_str());
    let lost = labels::number(card.points_lost.unwrap_or(0.0), 2, lang);
    let named = if shares_group {
        format!(" ({})", def.name)
    } else {
        String::new()
    };
    let what = counted_noun(&def.name);
    match (lang, card.needed) {
        (Lang::Vi, Some(k)) => format!(
            "Mất {lost} điểm ở {place}: cần thêm {} {what}",
            labels::number(k as f64, 0, lang)
        ),
        (Lang::Vi, None) => format!("Mất {lost} điểm ở {place}{named}"),
        (Lang::En, Some(k)) => format!(
            "Lost {lost} points in {place}: {} more needed ({what})",
            labels::number(k as f64, 0, lang)
        ),
        (Lang::En, None) => format!("Lost {lost} points in {place}{named}"),
    }
}

/// "Tỷ lệ hồ sơ xử lý đúng hạn (trước hạn, đúng hạn)" → "hồ sơ xử lý đúng hạn".
fn counted_noun(name: &str) -> String {
    let trimmed = name.trim();
    let without_rate = ["Tỷ lệ ", "Tỉ lệ ", "tỷ lệ ", "tỉ lệ "]
        .iter()
        .find_map(|p| trimmed.strip_prefix(p))
        .unwrap_or(trimmed);
    let without_note = match without_rate.rfind(" (") {
        Some(i) if without_rate.ends_with(')') => &without_rate[..i],
        _ => without_rate,
    };
    without_note.trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counted_nouns_from_names() {
        let cases = [
            (
                "Tỷ lệ hồ sơ xử lý đúng hạn (trước hạn, đúng hạn)",
                "hồ sơ xử lý đúng hạn",
            ),
            (
                "Tỷ lệ thủ tục hành chính được công bố đúng hạn",
                "thủ tục hành chính được công bố đúng hạn",
            ),
            ("Số hồ sơ trực tuyến", "Số hồ sơ trực tuyến"),
            ("Tỷ lệ hồ sơ (mức 2) đã số hóa", "hồ sơ (mức 2) đã số hóa"),
        ];
        for (name, noun) in cases {
            assert_eq!(counted_noun(name), noun, "{name}");
        }
    }

    const CATALOGUE: &str = r#"
id = "bang-diem"
title = "Bảng điểm"
[rounding]
points = 2
[[group]]
id = "tdgq"
name = "Tiến độ giải quyết"
[[group]]
id = "mdsh"
name = "Số hóa hồ sơ"
"#;
    const INDICATORS: &str = r#"
[[indicator]]
id = "dossier-on-time"
name = "Tỷ lệ hồ sơ xử lý đúng hạn (trước hạn, đúng hạn)"
group = "tdgq"
unit = "%"
direction = "higher"
points = 20
[indicator.targets]
2026 = ">= 100"

[[indicator]]
id = "result"
name = "Tỷ lệ hồ sơ có kết quả điện tử"
group = "mdsh"
unit = "%"
direction = "higher"
points = 6
[indicator.targets]
2026 = ">= 100"

[[indicator]]
id = "copy"
name = "Tỷ lệ cung cấp dịch vụ chứng thực bản sao điện tử"
group = "mdsh"
unit = "%"
direction = "higher"
points = 2
[indicator.targets]
2026 = ">= 100"

[[indicator]]
id = "full"
name = "Tỷ lệ hồ sơ đồng bộ"
group = "mdsh"
unit = "%"
direction = "higher"
points = 2
[indicator.targets]
2026 = ">= 100"
"#;

    #[test]
    fn the_three_largest_losses_in_words() {
        let date = chrono::NaiveDate::from_ymd_opt(2026, 12, 31).unwrap_or_default();
        // Đồng Tháp's on-time dossiers (2.36 lost, 44,596 needed), a result rate of 75.28 %
        // (1.48 lost), a ratio without counts (0.52 lost), one indicator met
        let reported = "unit,period,indicator,value,numerator,denominator\n\
            h20,2026,dossier-on-time,,333862,378458\n\
            h20,2026,result,,284891,378458\n\
            h20,2026,copy,74,,\n\
            h20,2026,full,,5,5\n";
        let (card, c, _) = crate::score::scorecard::score_texts(
            &[
                ("catalogue.toml", CATALOGUE),
                ("indicators.toml", INDICATORS),
            ],
            &[
                ("units.csv", "id,name,parent,level\nh20,Đồng Tháp,,tinh\n"),
                ("reported.csv", reported),
            ],
            date,
        );
        let unit = &card.units[0];
        let top: Vec<&str> = largest(unit, 3).iter().map(|i| i.id.as_str()).collect();
        assert_eq!(top, ["dossier-on-time", "result", "copy"]);
        assert_eq!(largest(unit, 2).len(), 2);
        let words: Vec<String> = largest(unit, 3)
            .iter()
            .map(|i| sentence(&c, i, Lang::Vi))
            .collect();
        assert_eq!(
            words,
            [
                "Mất 2,36 điểm ở Tiến độ giải quyết: cần thêm 44.596 hồ sơ xử lý đúng hạn",
                "Mất 1,48 điểm ở Số hóa hồ sơ: cần thêm 93.567 hồ sơ có kết quả điện tử",
                "Mất 0,52 điểm ở Số hóa hồ sơ (Tỷ lệ cung cấp dịch vụ chứng thực bản sao điện tử)",
            ]
        );
        assert_eq!(
            sentence(&c, largest(unit, 1)[0], Lang::En),
            "Lost 2.36 points in Tiến độ giải quyết: 44,596 more needed (hồ sơ xử lý đúng hạn)"
        );
    }
}
