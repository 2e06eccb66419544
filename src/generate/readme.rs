//! The README.md written next to the generated Lào Cai data: says that the data is synthetic,
//! how to regenerate it, and what each file and column holds, including who reports what.

use super::reported::{plan, PERIODS};
use super::units::{Kind, Unit};
use chitieu::definition::{Catalogue, Measure};

pub fn lao_cai(catalogue: &Catalogue, units: &[Unit], seed: u64, dossiers: usize) -> String {
    let departments: Vec<&str> = units
        .iter()
        .filter(|u| matches!(u.kind, Kind::Department { .. }))
        .map(|u| u.name.as_str())
        .collect();
    let communes = units.iter().filter(|u| u.commune().is_some()).count();
    let wards = units
        .iter()
        .filter(|u| u.commune().is_some_and(|c| c.ward))
        .count();
    let first = PERIODS.first().map(|p| p.1).unwrap_or_default();
    let last = PERIODS.last().map(|p| p.1).unwrap_or_default();

    let mut s = format!(
        r#"# Lào Cai — SYNTHETIC data

**Everything in this directory is SYNTHETIC.** It was generated, not collected: no figure here is
a real figure of tỉnh Lào Cai, its departments or its communes. It exists to exercise `chitieu`
on the catalogue `indicators/lao-cai-2026-2030` (Đề án 06, 2026–2030) at the scale of a real
province, as of the October 2026 report.

Regenerate it, byte for byte, from the project root:

```
cargo run --release -- generate lao-cai --out data/lao-cai --seed {seed}
```

(`--dossiers N` sets the number of dossiers, default 300000; this copy holds {dossiers}.) The
generator (`src/generate/`) reads the catalogue for its indicators and tasks; the same seed always
gives the same files, and each file draws from its own random stream.

## units.csv — `id,name,parent,level`

* `lao-cai` "UBND tỉnh Lào Cai", level `tinh`, the root.
* {n_dep} departments, level `so`, parent `lao-cai`: one per single body that leads a task of
  Phụ lục II or tracks an indicator of Phụ lục I, named exactly as the task leads write it (tasks
  without rows in tasks.csv match units by name): {deps}. Variant spellings of one body
  ("Sở Khoa học Công nghệ", "Sở Nội Vụ") are the same unit. Collective leads ("Các sở, ngành, địa
  phương", "UBND các xã, phường") and the ministry "Bộ Công an" are not units.
* {communes} communes and wards, level `xa`, parent `lao-cai` ({wards} phường, {xa} xã), ids as
  ASCII slugs (`xa-bat-xat`, `phuong-sa-pa`). The names are plausible names of Lào Cai's communes
  and wards after the 2025 reorganisation, not an official list; population and the numbers of
  schools, hospitals and officials are drawn at random.

## reported.csv — `unit,period,indicator,value,numerator,denominator,note`

Periods: `{first}` (the baseline: the value at the end of 2025, or the 2025 count) and every month
`2026-01` … `{last}`. Percentages are given as numerator/denominator wherever the reporting unit
knows both (value = 100 × numerator / denominator); the province's value of an indicator that the
communes report is their rollup (`ratio`: Σ numerators / Σ denominators). Stocks rise month by
month, with communes ahead and behind; about 5% of commune-months are missing and a few units
never report a given indicator. A few rows use the forms of Vietnamese offices, always meaning the
same number: the province's October rows of `tthc-cap-bo-khong-qua-30` and
`tmdt-dinh-danh-ke-khai-thue` with a decimal comma (`"30,1"`, the latter stating the percentage
beside its numerator and denominator), and three communes' October rows of `vneid-muc-2` with
thousands dots (`49.275`).

Computed indicators (those with `[indicator.measure]`) are not in reported.csv; neither are the
qualitative-only ones (every target a text such as "Theo chỉ đạo của Bộ Công an"), which are
tracked, never scored.

| code | indicator | who reports |
|---|---|---|
"#,
        n_dep = departments.len(),
        deps = departments.join(", "),
        xa = communes - wards,
    );
    for indicator in &catalogue.indicators {
        let who = if let Measure::Computed(m) = &indicator.measure {
            format!("computed from `{}` (not reported)", m.dataset.get_ref())
        } else {
            match plan(indicator) {
                Some(p) => p.describe(),
                None => "not reported (qualitative target only)".to_string(),
            }
        };
        s += &format!(
            "| {} | `{}` | {} |\n",
            indicator.code.as_deref().unwrap_or(""),
            indicator.id,
            who
        );
    }
    s.push_str(
        r#"
`toi-pham-lua-dao` (V.9, { reduce = 50, from = 2025 }) is a count of fraud cases: the `2025` row
is the whole year of 2025, and each month of 2026 counts the cases from 1 January to the end of
that month (lũy kế từ đầu năm), as police reports count them.

## tasks.csv — `task,unit,status,completed_on,note`

One row per task of Phụ lục II and lead department that is a unit, as of 31 October 2026, with a
few (task, lead) pairs left without a row. The three tasks whose deadline had passed
(Tháng 5/2026, Tháng 6/2026) are done on time, done late and overdue; tasks due later are mostly in
progress (`dang_thuc_hien`), some already done, some not started; recurring tasks are in
progress, conditional ones ("Theo chỉ đạo của …") in progress or waiting. Status is the code
(`hoan_thanh`, `dang_thuc_hien`, `chua_thuc_hien`) except a few rows written "Hoàn thành";
`completed_on` is an ISO date, given for done tasks only.

## submissions.csv — `unit,report,period,submitted_on`

When each unit sent each report it owes under the catalogue's `[[report]]`s (`reports.toml`)
whose due date is on or before 31 October 2026: one row per (unit, report, reporting period) that
was sent; a report never sent has no row. Each unit has a habit drawn at random: most units send
nearly every report on time (in the nine days before it is due), a quarter are slow (a fifth of
their reports one to fifteen days late, a few never sent), a few are negligent. `period` is the
period the report covers (`2026-09` for the September monthly report due 10 October; the plan due
06/6/2026 is the report of `2026-06`); `submitted_on` is an ISO date, except every eleventh row
written `dd/mm/yyyy` as on paper. The October monthly reports (due 10 November) are not yet due.

| report | owed by | due |
|---|---|---|
"#,
    );
    for report in &catalogue.reports {
        let from = match &report.from {
            chitieu::definition::ReportFrom::Levels(l) => format!("levels {}", l.join(", ")),
            chitieu::definition::ReportFrom::Units(u) => format!("units {}", u.join(", ")),
        };
        s += &format!("| `{}` | {from} | {} |\n", report.id, report.due_text);
    }
    s.push_str(
        r#"
## ho_so.parquet — one row per administrative dossier

Dossiers received from 2026-01-01 to 2026-10-31 by the departments (about 28%) and the communes
and wards (the rest, in proportion to population, wards busier); the province unit itself receives
none. Volumes follow working days, with Tết and public holidays nearly empty. Every rate differs by
unit (a per-unit propensity, communes' linked to their general readiness) and rises month by month.
The catalogue declares it as `[dataset.ho_so]` (unit `ma_don_vi`, date `ngay_tiep_nhan`).

| column | type | meaning |
|---|---|---|
| `ma_don_vi` | str | id of the receiving unit (units.csv) |
| `ngay_tiep_nhan` | date | day the dossier was received |
| `kenh` | str | channel: `truc_tuyen` (online), `truc_tiep` (in person), `buu_chinh` (post) |
| `co_phi` | bool | the procedure has a fee or charge |
| `thanh_toan_truc_tuyen` | bool | the fee was paid online (only when `co_phi`) |
| `so_hoa` | bool | the dossier was digitised (online dossiers always are) |
| `ket_qua_dien_tu` | bool | an electronic result was issued (only when resolved) |
| `da_giai_quyet` | bool | resolved by 31 October 2026 (the latest dossiers often are not) |
| `dung_han` | bool | resolved on time; false when not resolved |
| `danh_gia` | i8, nullable | satisfaction rating 1–5 given after resolution; null when not rated |
| `tai_su_dung` | bool | the dossier reused already digitised data instead of new papers |
"#,
    );
    s
}
