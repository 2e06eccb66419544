//! The progress a unit reports for a task in tasks.csv (SPEC §6): done, in progress, not started.

use crate::text::fold;

// the variants are the words of tasks.csv ("in progress"), not the enum's name repeated
#[allow(clippy::enum_variant_names)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Progress {
    Done,
    InProgress,
    NotStarted,
}

impl Progress {
    /// Reads `hoan_thanh` / `dang_thuc_hien` / `chua_thuc_hien` or the Vietnamese
    /// `Hoàn thành` / `Đang thực hiện` / `Chưa thực hiện` (any case, with or without diacritics).
    pub fn parse(s: &str) -> Option<Progress> {
        match fold(s).replace('_', " ").as_str() {
            "hoan thanh" | "done" => Some(Progress::Done),
            "dang thuc hien" | "in progress" => Some(Progress::InProgress),
            "chua thuc hien" | "not started" => Some(Progress::NotStarted),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_codes_and_vietnamese() {
        assert_eq!(Progress::parse("hoan_thanh"), Some(Progress::Done));
        assert_eq!(Progress::parse("Hoàn thành"), Some(Progress::Done));
        assert_eq!(
            Progress::parse("ĐANG THỰC HIỆN"),
            Some(Progress::InProgress)
        );
        assert_eq!(
            Progress::parse("chua_thuc_hien"),
            Some(Progress::NotStarted)
        );
        assert_eq!(Progress::parse("xong"), None);
    }
}
