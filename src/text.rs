//! Text helpers shared by the parsers of human-written Vietnamese: folding case and diacritics.
//! Nothing here knows about indicators or deadlines; it only normalises strings.

use unicode_normalization::UnicodeNormalization;

/// Lower-cases `s`, removes Vietnamese diacritics (`đ` → `d`), and collapses runs of
/// whitespace into one space, trimming both ends.
///
/// `"Hoàn thành trước ngày 30/6/2026"` → `"hoan thanh truoc ngay 30/6/2026"`.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut pending_space = false;
    for c in s.nfd() {
        if unicode_normalization::char::is_combining_mark(c) {
            continue;
        }
        if c.is_whitespace() {
            pending_space = !out.is_empty();
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        match c {
            'đ' | 'Đ' => out.push('d'),
            _ => out.extend(c.to_lowercase()),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::fold;

    #[test]
    fn folds_case_diacritics_and_spaces() {
        let cases = [
            (
                "Hoàn thành trước ngày 30/6/2026",
                "hoan thanh truoc ngay 30/6/2026",
            ),
            ("  Thường   xuyên ", "thuong xuyen"),
            ("ĐẠT", "dat"),
            ("Quý I/2027", "quy i/2027"),
            ("Hằng năm", "hang nam"),
            ("", ""),
        ];
        for (input, expected) in cases {
            assert_eq!(fold(input), expected, "fold({input:?})");
        }
    }
}
