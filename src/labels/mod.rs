//! What a person reads and sees, shared by the charts and the report: labels in Vietnamese
//! (default) and English, number formatting for people (`12,44%` / `24.742` in vi, `12.44%` /
//! `24,742` in en), the palette, and file names of charts. The JSON codes (`dat`, `qua_han`) are
//! never translated; only what a person reads is. A leaf: uses no module but `project` (for
//! [`Lang`]) and `text`; each status names itself (`Status::label`, `TaskStatus::rgb` …) beside
//! its type.

use crate::project::Lang;

/// An RGB colour.
pub type Rgb = (u8, u8, u8);

/// The palette every renderer shares (SPEC §7.2: met green, nearly met amber, not met red, no
/// data grey, not scored light blue): the page, the charts and the workbook take each status's
/// colour from here, through its `rgb()`.
pub mod palette {
    use super::Rgb;
    pub const GREEN: Rgb = (46, 139, 87);
    pub const AMBER: Rgb = (240, 173, 0);
    pub const RED: Rgb = (204, 51, 51);
    pub const LIGHT_BLUE: Rgb = (173, 216, 230);
    pub const GREY: Rgb = (160, 160, 160);
    /// Full points with nothing measured (`khong_phat_sinh`).
    pub const PALE_GREEN: Rgb = (152, 210, 160);
}

/// A number with `decimals` decimals, grouped by thousands: `24.742` / `12,44` in vi,
/// `24,742` / `12.44` in en. Negative numbers keep their sign. The digits are those of
/// `format!("{:.*}", decimals, v)` (the exact binary value rounded half to even), made by
/// integer arithmetic ([`scaled`]): a national run prints some million numbers, and the
/// standard formatting's exact mode was the largest cost of its pages.
pub fn number(v: f64, decimals: usize, lang: Lang) -> String {
    let (group, point) = match lang {
        Lang::Vi => ('.', ','),
        Lang::En => (',', '.'),
    };
    let (digits, text);
    let (int, frac, zero) = match scaled(v.abs(), decimals) {
        Some(n) => {
            // at least one digit before the point
            digits = format!("{n:0>width$}", width = decimals + 1);
            let (int, frac) = digits.split_at(digits.len() - decimals);
            (int, frac, n == 0)
        }
        None => {
            text = format!("{:.*}", decimals, v.abs());
            let zero = !text.chars().any(|c| c.is_ascii_digit() && c != '0');
            let (int, frac) = text.split_once('.').unwrap_or((&text, ""));
            (int, frac, zero)
        }
    };
    let mut out = String::with_capacity(int.len() + int.len() / 3 + frac.len() + 2);
    // "-0,00" reads as a loss that is not there: a number that rounds to 0 has no sign
    if v < 0.0 && !zero {
        out.push('-');
    }
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(group);
        }
        out.push(c);
    }
    if !frac.is_empty() {
        out.push(point);
        out.push_str(frac);
    }
    out
}

/// `v × 10^decimals` rounded to an integer half to even, computed exactly from `v`'s binary
/// mantissa and exponent — the digits `format!("{:.*}", decimals, v)` prints, without its
/// point; `None` outside what this computes in 128 bits (a negative, infinite or NaN `v`, more
/// than 9 decimals, `v` beyond 2^93), left to the standard formatting.
fn scaled(v: f64, decimals: usize) -> Option<u128> {
    if !v.is_finite() || v.is_sign_negative() || decimals > 9 {
        return None;
    }
    let bits = v.to_bits();
    let exponent = ((bits >> 52) & 0x7ff) as i32;
    let fraction = bits & ((1 << 52) - 1);
    // v = mantissa × 2^power exactly
    let (mantissa, power) = match exponent {
        0 => (fraction, -1074),
        _ => (fraction | 1 << 52, exponent - 1075),
    };
    // below 2^53 × 10^9 < 2^83
    let p = u128::from(mantissa) * 10u128.pow(decimals as u32);
    if power >= 0 {
        return (power <= 40).then(|| p << power);
    }
    let k = power.unsigned_abs();
    if k >= 127 {
        // p < 2^83 is below half of 2^k: rounds to 0
        return Some(0);
    }
    let (q, r, half) = (p >> k, p & ((1u128 << k) - 1), 1u128 << (k - 1));
    Some(if r > half || (r == half && q & 1 == 1) {
        q + 1
    } else {
        q
    })
}

/// A percentage with 2 decimals: `12,44%` (vi) / `12.44%` (en).
pub fn percent(v: f64, lang: Lang) -> String {
    format!("{}%", number(v, 2, lang))
}

/// Colour of the `i`-th of `n` grade bands, best first: green through amber to red (the
/// RdYlGn scheme of ColorBrewer, darkened where it is too light for bars on white).
pub fn band_rgb(i: usize, n: usize) -> (u8, u8, u8) {
    const STOPS: [(f64, f64, f64); 5] = [
        (26.0, 150.0, 65.0),
        (120.0, 190.0, 80.0),
        (235.0, 190.0, 50.0),
        (245.0, 130.0, 60.0),
        (215.0, 48.0, 39.0),
    ];
    if n <= 1 {
        return (26, 150, 65);
    }
    let t = i.min(n - 1) as f64 / (n - 1) as f64 * (STOPS.len() - 1) as f64;
    let k = (t.floor() as usize).min(STOPS.len() - 2);
    let f = t - k as f64;
    let (a, b) = (STOPS[k], STOPS[k + 1]);
    let mix = |p: f64, q: f64| (p + (q - p) * f).round().clamp(0.0, 255.0) as u8;
    (mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}

/// The chart name of a peer set's league other than the largest: `league-<level>` for roots,
/// `league-<level>-<parent>` otherwise (file-safe).
pub fn league_chart(level: &str, parent: Option<&str>) -> String {
    match parent {
        Some(p) => format!("league-{}-{}", file_safe(level), file_safe(p)),
        None => format!("league-{}", file_safe(level)),
    }
}

/// File names made unique in order: the second of two equal names gets `-2`, the third `-3` …;
/// a name in `reserved` counts as already taken.
pub fn unique_names<'a>(
    names: impl IntoIterator<Item = &'a str>,
    reserved: &[&str],
) -> Vec<String> {
    let mut seen: std::collections::HashMap<String, usize> =
        reserved.iter().map(|r| (r.to_string(), 1)).collect();
    names
        .into_iter()
        .map(|name| {
            let n = seen.entry(name.to_string()).or_insert(0);
            *n += 1;
            if *n > 1 {
                format!("{name}-{n}")
            } else {
                name.to_string()
            }
        })
        .collect()
}

/// The note of a focused report (README "Focused reports"): whose report it is, how much of the
/// run it shows, and that ranks are the whole run's (`rank` = the unit's rank and peer count).
pub fn focus_note(
    name: &str,
    shown: usize,
    run_units: usize,
    rank: Option<(usize, usize)>,
    lang: Lang,
) -> String {
    let n = |v: usize| number(v as f64, 0, lang);
    let rank = rank.map(|(r, of)| match lang {
        Lang::Vi => format!(" {name} xếp thứ {} trong {} đơn vị cùng cấp.", n(r), n(of)),
        Lang::En => format!(" {name} ranks {} of {} peers.", n(r), n(of)),
    });
    match lang {
        Lang::Vi => format!(
            "Đơn vị: {name} và các đơn vị trực thuộc ({} trong {} đơn vị của lần chấm điểm). \
             Thứ hạng là thứ hạng trong toàn bộ lần chấm điểm, giữa các đơn vị cùng cấp.{}",
            n(shown),
            n(run_units),
            rank.unwrap_or_default()
        ),
        Lang::En => format!(
            "Unit: {name} and its subordinate units ({} of the run's {} units). Ranks are those \
             of the whole run, among the units of the same level.{}",
            n(shown),
            n(run_units),
            rank.unwrap_or_default()
        ),
    }
}

/// A name safe in a file name: kept as is when it holds only `A-Z a-z 0-9 _ . -`, else folded
/// to lower-case ASCII with `-` for everything else (`Xã Y Tý` → `xa-y-ty`).
pub fn file_safe(id: &str) -> String {
    let ok = |c: char| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-');
    if !id.is_empty() && id.chars().all(ok) && !id.starts_with('.') {
        return id.to_string();
    }
    let mut out = String::new();
    for c in crate::text::fold(id).chars() {
        if ok(c) && c != '.' {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    let out = out.trim_matches('-').to_string();
    if out.is_empty() {
        "x".to_string()
    } else {
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_the_way_offices_write_them() {
        assert_eq!(percent(2400.0 / 193.0, Lang::Vi), "12,44%");
        assert_eq!(percent(2400.0 / 193.0, Lang::En), "12.44%");
        assert_eq!(number(24742.0, 0, Lang::Vi), "24.742");
        assert_eq!(number(24742.0, 0, Lang::En), "24,742");
        assert_eq!(number(823572.0, 0, Lang::Vi), "823.572");
        assert_eq!(number(-25.0, 2, Lang::Vi), "-25,00");
        assert_eq!(number(-0.001, 2, Lang::Vi), "0,00");
        assert_eq!(number(1234567.891, 2, Lang::Vi), "1.234.567,89");
        // ties of the binary value round half to even, as `format!` does
        assert_eq!(number(0.125, 2, Lang::En), "0.12");
        assert_eq!(number(0.375, 2, Lang::En), "0.38");
        assert_eq!(number(2.5, 0, Lang::En), "2");
        assert_eq!(number(f64::NAN, 2, Lang::En), "NaN");
    }

    /// What `number` printed with the standard formatting alone.
    fn formatted(v: f64, decimals: usize, lang: Lang) -> String {
        let (group, point) = match lang {
            Lang::Vi => ('.', ','),
            Lang::En => (',', '.'),
        };
        let text = format!("{:.*}", decimals, v.abs());
        let (int, frac) = text.split_once('.').unwrap_or((&text, ""));
        let mut grouped = String::new();
        for (i, c) in int.chars().enumerate() {
            if i > 0 && (int.len() - i) % 3 == 0 {
                grouped.push(group);
            }
            grouped.push(c);
        }
        let sign = if v < 0.0 && text.chars().any(|c| c.is_ascii_digit() && c != '0') {
            "-"
        } else {
            ""
        };
        if frac.is_empty() {
            format!("{sign}{grouped}")
        } else {
            format!("{sign}{grouped}{point}{frac}")
        }
    }

    #[test]
    fn numbers_print_the_digits_of_the_standard_formatting() {
        // a linear congruential sequence of bit patterns and of scores, ratios and counts as
        // runs make them (sums of hundredths, quotients), ties and the edges of the range
        let mut x: u64 = 766;
        let mut next = || {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            x
        };
        let mut values = vec![
            0.0,
            -0.0,
            0.5,
            1.5,
            2.5,
            0.125,
            0.005,
            0.015,
            0.025,
            1e-300,
            5e-324,
            1e15,
            1e22,
            2f64.powi(93),
            2f64.powi(94) + 2048.0,
            f64::MAX,
            f64::INFINITY,
            -f64::INFINITY,
            f64::NAN,
            -1234567.125,
            99.995,
            0.045,
            69.41,
        ];
        for _ in 0..30_000 {
            let r = next();
            values.push(f64::from_bits(r));
            values.push((r % 10_000_000) as f64 / 100.0);
            values.push((r % 100_000) as f64 / ((r >> 40) % 997 + 1) as f64);
            values.push(-((r % 1_000_000) as f64) / 8.0);
        }
        for v in values {
            for decimals in [0, 1, 2, 3, 4, 9, 12] {
                for lang in [Lang::Vi, Lang::En] {
                    assert_eq!(
                        number(v, decimals, lang),
                        formatted(v, decimals, lang),
                        "{v:e} with {decimals} decimals"
                    );
                }
            }
        }
    }

    #[test]
    fn file_names() {
        let cases = [
            ("xa-bat-xat", "xa-bat-xat"),
            ("XA_1.2", "XA_1.2"),
            ("Xã Y Tý", "xa-y-ty"),
            ("../etc", "etc"),
            ("", "x"),
        ];
        for (id, expected) in cases {
            assert_eq!(file_safe(id), expected, "{id}");
        }
    }

    #[test]
    fn grade_colours_run_from_green_to_red() {
        assert_eq!(band_rgb(0, 5), (26, 150, 65));
        assert_eq!(band_rgb(4, 5), (215, 48, 39));
        assert_eq!(band_rgb(0, 1), (26, 150, 65));
        assert_eq!(band_rgb(1, 2), (215, 48, 39));
    }
}
