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

/// `s` cut to at most `max` characters, with `…` when cut: user values quoted in messages stay
/// short whatever the input (a 10 MB string must not make a 10 MB diagnostic).
pub fn clip(s: &str, max: usize) -> std::borrow::Cow<'_, str> {
    match s.char_indices().nth(max) {
        None => std::borrow::Cow::Borrowed(s),
        Some((at, _)) => std::borrow::Cow::Owned(format!("{}…", &s[..at])),
    }
}

/// The first `max` items of a list, each clipped to 60 characters, joined by ", ", with
/// "and N more" when there are more: a message names a few, never a million.
pub fn cut_list<S: AsRef<str>>(items: &[S], max: usize) -> String {
    let mut out: Vec<String> = items
        .iter()
        .take(max)
        .map(|s| clip(s.as_ref(), 60).into_owned())
        .collect();
    if items.len() > max {
        out.push(format!("and {} more", items.len() - max));
    }
    out.join(", ")
}

/// `s` in Unicode NFC (composed) form: ids typed in decomposed form (NFD, what Unikey's
/// "Unicode tổ hợp" writes) compare equal to the same ids typed composed.
pub fn nfc(s: &str) -> std::borrow::Cow<'_, str> {
    // ASCII (most ids) is NFC: checked by the standard library's fast scan
    if s.is_ascii() || unicode_normalization::is_nfc(s) {
        std::borrow::Cow::Borrowed(s)
    } else {
        std::borrow::Cow::Owned(s.nfc().collect())
    }
}

/// "a" or "an" before an English word.
pub fn article(word: &str) -> &'static str {
    if word.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    }
}

#[cfg(test)]
mod clip_tests {
    use super::*;

    #[test]
    fn lists_are_cut_and_ids_composed() {
        let many: Vec<String> = (0..1000).map(|k| format!("u{k}")).collect();
        assert_eq!(cut_list(&many, 3), "u0, u1, u2, and 997 more");
        assert_eq!(cut_list(&["a", "b"], 3), "a, b");
        let long = "x".repeat(1000);
        assert_eq!(cut_list(&[long], 3).chars().count(), 61);
        // `xã` typed decomposed (a + combining grave ... ) composes to the typed-whole form
        assert_eq!(nfc("xa\u{0303}-a"), "xã-a");
        assert!(matches!(nfc("xa-1"), std::borrow::Cow::Borrowed(_)));
    }

    #[test]
    fn clips_long_values_on_character_boundaries() {
        assert_eq!(clip("Đạt", 10), "Đạt");
        assert_eq!(clip("Thường xuyên", 5), "Thườn…");
        assert_eq!(clip(&"x".repeat(10_000_000), 3), "xxx…");
        assert_eq!(article("array"), "an");
        assert_eq!(article("table"), "a");
    }
}
