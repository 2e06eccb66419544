//! What a person reads and sees, shared by the charts and the report: labels in Vietnamese
//! (default) and English, number formatting for people (`12,44%` / `24.742` in vi, `12.44%` /
//! `24,742` in en), the palette, and file names of charts. The JSON codes (`dat`, `qua_han`) are
//! never translated; only what a person reads is. A leaf: uses neither `chart` nor `report`.

use crate::project::Lang;

/// The label of an indicator status code (SPEC §5.3).
pub fn status(code: &str, lang: Lang) -> &'static str {
    match (code, lang) {
        ("dat", Lang::Vi) => "Đạt",
        ("dat", Lang::En) => "Met",
        ("gan_dat", Lang::Vi) => "Gần đạt",
        ("gan_dat", Lang::En) => "Nearly met",
        ("chua_dat", Lang::Vi) => "Chưa đạt",
        ("chua_dat", Lang::En) => "Not met",
        ("khong_co_du_lieu", Lang::Vi) => "Không có dữ liệu",
        ("khong_co_du_lieu", Lang::En) => "No data",
        ("khong_cham", Lang::Vi) => "Không chấm điểm",
        ("khong_cham", Lang::En) => "Not scored",
        (_, Lang::Vi) => "Không rõ",
        (_, Lang::En) => "Unknown",
    }
}

/// The label of a task status code (SPEC §6).
pub fn task_status(code: &str, lang: Lang) -> &'static str {
    match (code, lang) {
        ("hoan_thanh_dung_han", Lang::Vi) => "Hoàn thành đúng hạn",
        ("hoan_thanh_dung_han", Lang::En) => "Done on time",
        ("hoan_thanh_qua_han", Lang::Vi) => "Hoàn thành quá hạn",
        ("hoan_thanh_qua_han", Lang::En) => "Done late",
        ("hoan_thanh", Lang::Vi) => "Hoàn thành",
        ("hoan_thanh", Lang::En) => "Done",
        ("trong_han", Lang::Vi) => "Đang thực hiện (trong hạn)",
        ("trong_han", Lang::En) => "In progress (on schedule)",
        ("qua_han", Lang::Vi) => "Quá hạn",
        ("qua_han", Lang::En) => "Overdue",
        ("thuong_xuyen", Lang::Vi) => "Thường xuyên",
        ("thuong_xuyen", Lang::En) => "Recurring",
        ("khong_thoi_han", Lang::Vi) => "Không có thời hạn",
        ("khong_thoi_han", Lang::En) => "No deadline",
        ("chua_bao_cao", Lang::Vi) => "Chưa báo cáo (quá hạn)",
        ("chua_bao_cao", Lang::En) => "Not reported (overdue)",
        (_, Lang::Vi) => "Không rõ",
        (_, Lang::En) => "Unknown",
    }
}

/// The label of a forecast status code (SPEC §5.6).
pub fn forecast(code: &str, lang: Lang) -> &'static str {
    match (code, lang) {
        ("da_dat", Lang::Vi) => "Đã đạt",
        ("da_dat", Lang::En) => "Already met",
        ("dung_lo_trinh", Lang::Vi) => "Đúng lộ trình",
        ("dung_lo_trinh", Lang::En) => "On track",
        ("can_tang_toc", Lang::Vi) => "Cần tăng tốc",
        ("can_tang_toc", Lang::En) => "Needs acceleration",
        ("cham_hoac_di_lui", Lang::Vi) => "Chậm hoặc đi lùi",
        ("cham_hoac_di_lui", Lang::En) => "Stagnating or regressing",
        ("khong_du_du_lieu", Lang::Vi) => "Không đủ dữ liệu",
        ("khong_du_du_lieu", Lang::En) => "Not enough data",
        (_, Lang::Vi) => "Không rõ",
        (_, Lang::En) => "Unknown",
    }
}

/// The colour of an indicator status (SPEC §7.2), as an RGB triple.
pub fn status_rgb(code: &str) -> (u8, u8, u8) {
    match code {
        "dat" => (46, 139, 87),          // green
        "gan_dat" => (240, 173, 0),      // amber
        "chua_dat" => (204, 51, 51),     // red
        "khong_cham" => (173, 216, 230), // light blue
        _ => (160, 160, 160),            // grey: khong_co_du_lieu
    }
}

/// A number with `decimals` decimals, grouped by thousands: `24.742` / `12,44` in vi,
/// `24,742` / `12.44` in en. Negative numbers keep their sign.
pub fn number(v: f64, decimals: usize, lang: Lang) -> String {
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
    }

    #[test]
    fn labels_in_both_languages() {
        assert_eq!(status("chua_dat", Lang::Vi), "Chưa đạt");
        assert_eq!(status("chua_dat", Lang::En), "Not met");
        assert_eq!(task_status("qua_han", Lang::Vi), "Quá hạn");
        assert_eq!(forecast("can_tang_toc", Lang::En), "Needs acceleration");
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
