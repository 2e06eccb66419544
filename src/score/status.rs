//! The status of one (indicator, unit) in a period (SPEC §5.3): đạt, gần đạt, chưa đạt, no data,
//! not scored. Only the codes; deciding a status from an attainment lives in `attainment`.

use std::fmt;

use crate::labels::{palette, Rgb};
use crate::project::Lang;

/// What the scorecard says about one indicator of one unit. The codes of [`Status::as_str`] are
/// the stable interface of the JSON and CSV outputs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Status {
    /// `dat`: the target in force is met.
    Dat,
    /// `gan_dat`: not met, but the attainment is at least the catalogue's `near`.
    GanDat,
    /// `chua_dat`: not met, attainment below `near`.
    ChuaDat,
    /// `khong_co_du_lieu`: no value, or a `reduce`/`increase` target without a baseline.
    KhongCoDuLieu,
    /// `khong_cham`: the target in force is qualitative (`text`) or there is none; carries no points.
    KhongCham,
    /// `khong_phat_sinh`: nothing arose to be measured (denominator 0) and the indicator sets
    /// `zero_denominator = "full"`: all points earned (SPEC §5.7).
    KhongPhatSinh,
}

impl Status {
    /// The label a person reads (SPEC §5.3).
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Status::Dat => lang.pick("Đạt", "Met"),
            Status::GanDat => lang.pick("Gần đạt", "Nearly met"),
            Status::ChuaDat => lang.pick("Chưa đạt", "Not met"),
            Status::KhongCoDuLieu => lang.pick("Không có dữ liệu", "No data"),
            Status::KhongCham => lang.pick("Không chấm điểm", "Not scored"),
            Status::KhongPhatSinh => lang.pick("Không phát sinh", "None arose (full points)"),
        }
    }

    /// The colour of the status (SPEC §7.2).
    pub fn rgb(self) -> Rgb {
        match self {
            Status::Dat => palette::GREEN,
            Status::GanDat => palette::AMBER,
            Status::ChuaDat => palette::RED,
            Status::KhongCham => palette::LIGHT_BLUE,
            Status::KhongCoDuLieu => palette::GREY,
            Status::KhongPhatSinh => palette::PALE_GREEN,
        }
    }

    /// Every status, in the order of the scorecards' legends.
    pub const ALL: [Status; 6] = [
        Status::Dat,
        Status::GanDat,
        Status::ChuaDat,
        Status::KhongPhatSinh,
        Status::KhongCoDuLieu,
        Status::KhongCham,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Dat => "dat",
            Status::GanDat => "gan_dat",
            Status::ChuaDat => "chua_dat",
            Status::KhongCoDuLieu => "khong_co_du_lieu",
            Status::KhongCham => "khong_cham",
            Status::KhongPhatSinh => "khong_phat_sinh",
        }
    }

    /// Whether the indicator carries points (everything but `khong_cham`, SPEC §5.4).
    pub fn is_scored(self) -> bool {
        self != Status::KhongCham
    }

    /// Whether the unit had figures to score (`dat`, `gan_dat`, `chua_dat`, and
    /// `khong_phat_sinh`: a denominator of 0 is a figure).
    pub fn has_data(self) -> bool {
        matches!(
            self,
            Status::Dat | Status::GanDat | Status::ChuaDat | Status::KhongPhatSinh
        )
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl serde::Serialize for Status {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_the_json_words() {
        let codes: Vec<&str> = Status::ALL.iter().map(|s| s.as_str()).collect();
        assert_eq!(
            codes,
            [
                "dat",
                "gan_dat",
                "chua_dat",
                "khong_phat_sinh",
                "khong_co_du_lieu",
                "khong_cham"
            ]
        );
        assert_eq!(
            serde_json::to_string(&Status::GanDat).ok().as_deref(),
            Some("\"gan_dat\"")
        );
    }

    #[test]
    fn scored_and_with_data() {
        // (status, carries points, has a value)
        let cases = [
            (Status::Dat, true, true),
            (Status::GanDat, true, true),
            (Status::ChuaDat, true, true),
            (Status::KhongPhatSinh, true, true),
            (Status::KhongCoDuLieu, true, false),
            (Status::KhongCham, false, false),
        ];
        for (s, scored, data) in cases {
            assert_eq!((s.is_scored(), s.has_data()), (scored, data), "{s}");
        }
    }
}
