//! Every value a person reads (indicator, task, report and forecast statuses, reasons) names
//! itself in both languages and has its colour, beside its type (`Status::label`,
//! `TaskStatus::rgb` …); the palette they share is `labels::palette`.

// test code: a panic is the failure report (Cargo.toml denies these two outside tests)
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chitieu::score::{ForecastStatus, Reason, ReportStatus, Status, TaskStatus};
use chitieu::Lang;

#[test]
fn labels_in_both_languages() {
    assert_eq!(Status::ChuaDat.label(Lang::Vi), "Chưa đạt");
    assert_eq!(Status::ChuaDat.label(Lang::En), "Not met");
    assert_eq!(TaskStatus::QuaHan.label(Lang::Vi), "Quá hạn");
    assert_eq!(
        ForecastStatus::CanTangToc.label(Lang::En),
        "Needs acceleration"
    );
    assert_eq!(Reason::ZeroDenominator.label(Lang::Vi), "mẫu số bằng 0");
    assert_eq!(Status::KhongPhatSinh.label(Lang::Vi), "Không phát sinh");
    assert_ne!(Status::KhongPhatSinh.rgb(), Status::KhongCoDuLieu.rgb());
}

/// Every value of every enum a person reads has a label in each language, distinct from the
/// other values' labels (a reader can tell them apart), and a colour distinct within its table
/// where colour is what tells them apart.
#[test]
fn every_value_has_distinct_labels_and_colours() {
    fn distinct<T: PartialEq + std::fmt::Debug>(what: &str, items: &[T]) {
        for (i, a) in items.iter().enumerate() {
            assert!(
                !items[i + 1..].contains(a),
                "{what}: {a:?} is given to two values"
            );
        }
    }
    for lang in [Lang::Vi, Lang::En] {
        let s: Vec<_> = Status::ALL.iter().map(|&s| s.label(lang)).collect();
        let t: Vec<_> = TaskStatus::ALL.iter().map(|&s| s.label(lang)).collect();
        let f: Vec<_> = ForecastStatus::ALL.iter().map(|&s| s.label(lang)).collect();
        let r: Vec<_> = Reason::ALL.iter().map(|&r| r.label(lang)).collect();
        let b: Vec<_> = ReportStatus::ALL.iter().map(|&s| s.label(lang)).collect();
        for labels in [&s, &t, &f, &r, &b] {
            assert!(labels.iter().all(|l| !l.trim().is_empty()));
            distinct("label", labels);
        }
    }
    // English labels are English: no Vietnamese letter left untranslated
    for l in Status::ALL.iter().map(|&s| s.label(Lang::En)) {
        assert!(l.is_ascii(), "{l}");
    }
    for l in TaskStatus::ALL.iter().map(|&s| s.label(Lang::En)) {
        assert!(l.is_ascii(), "{l}");
    }
    for l in ReportStatus::ALL.iter().map(|&s| s.label(Lang::En)) {
        assert!(l.is_ascii(), "{l}");
    }
    distinct("status colour", &Status::ALL.map(Status::rgb));
    distinct("task colour", &TaskStatus::ALL.map(TaskStatus::rgb));
    distinct("report colour", &ReportStatus::ALL.map(ReportStatus::rgb));
    // SPEC §7.2: dat green, gan_dat amber, chua_dat red, no data grey, not scored light blue
    assert_eq!(Status::Dat.rgb(), (46, 139, 87));
    assert_eq!(Status::KhongCoDuLieu.rgb(), (160, 160, 160));
    assert_eq!(ForecastStatus::DungLoTrinh.rgb(), Status::Dat.rgb());
    assert_eq!(ReportStatus::ChuaNop.rgb(), Status::ChuaDat.rgb());
}
