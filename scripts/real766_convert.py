#!/usr/bin/env python3
"""Converts the provinces of the development set (`../shared/real766-dev/`: cases.json,
cases_payment_only.json) into `data/bo-chi-so-766-tinh-2026/` for the catalogue
`indicators/bo-chi-so-766`: their source files (duynghiaqn/Crawler-766
`data/provinces/details_Provinces_02102026.json` and the checkpoint of the same day) are not among
the raw responses beside the clone, so `chitieu import portal766` cannot read them. Every other
data directory of the portal's figures is made by `chitieu import portal766` from the raw
responses (`data/bo-chi-so-766-phu-tho-2026-08/README.md` shows the command).

Each directory gets `units.csv`, `reported.csv` (the portal's raw counts: numerator and
denominator; `value` where the portal publishes only a ratio), `published.csv` (the points the
portal awarded, in the format of `chitieu import portal766`, which `chitieu score` reconciles with
its own figures) and a README naming the source repository, path and commit of every case.

usage: scripts/real766_convert.py [--source DIR] [--out DIR] [--check]
  --source  the development set (default: ../shared/real766-dev beside the repository)
  --out     where data/ is (default: the repository's data/)
  --check   write nothing; exit 1 when a shipped file differs from what the source gives
Nothing else is read; the same source gives byte-identical files.
"""

import argparse
import csv
import io
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# The portal's sub-indicator code → the indicator id of indicators/bo-chi-so-766.
IDS = {
    "PUBLISH_ON_TIME": "publish-on-time",
    "PUBLIC_UPDATE_ON_TIME": "public-update-on-time",
    "PUBLIC_CONTENT_FULL": "public-content-full",
    "DOSSIER_SYNC": "dossier-sync",
    "TDGQ_ON_TIME": "dossier-on-time",
    "CLGQ_GROUP": "online-service",
    "TTTT_A_DOSSIER_PAYMENT": "payment-dossier",
    "TTTT_B_FORMALITY_PAYMENT": "payment-formality",
    "TTTT_C_FEE_DOSSIER_FORMALITY": "payment-fee-formality",
    "ORIGINAL_RESULT_AVAILABLE": "original-result-available",
    "SO_HOA_GIAY_TO_GIAI_QUYET": "so-hoa-giay-to-giai-quyet",
    "REUSED_DIGITIZED_DATA": "reused-digitized-data",
    "SYNCED_WITH_DVCQG_PERSONAL_STORAGE": "synced-with-dvcqg-personal-storage",
    "CITIZEN_DATA_CONNECTED_DOSSIER": "citizen-data-connected-dossier",
    "CITIZEN_DATA_CONNECTED_FORMALITY": "citizen-data-connected-formality",
    "ELECTRONIC_CERTIFIED_COPY": "electronic-certified-copy",
    "DOSSIER_RECEIVING_SATISFACTION": "dossier-receiving-satisfaction",
    "PETITION_PROCESSING_ON_TIME": "petition-processing-on-time",
    "PETITION_HANDLING_SATISFACTION": "petition-handling-satisfaction",
    "PETITION_CLASSIFICATION_TTHC": "petition-classification-tthc",
    "PETITION_CLASSIFICATION_STAFF": "petition-classification-staff",
}
# Catalogue order of the indicators (reported.csv rows follow it).
ORDER = [
    "publish-on-time", "public-update-on-time", "public-content-full", "dossier-sync",
    "dossier-on-time", "online-service", "payment-dossier", "payment-formality",
    "payment-fee-formality", "original-result-available", "so-hoa-giay-to-giai-quyet",
    "reused-digitized-data", "synced-with-dvcqg-personal-storage",
    "citizen-data-connected-dossier", "citizen-data-connected-formality",
    "electronic-certified-copy", "dossier-receiving-satisfaction", "petition-processing-on-time",
    "petition-handling-satisfaction", "petition-classification-tthc",
    "petition-classification-staff",
]
GROUPS = {"CKMB": "ckmb", "TDGQ": "tdgq", "CLGQ": "clgq", "TTTT": "tttt", "MDSH": "mdsh", "MDHL": "mdhl"}
# The payment-only cases' counts: (indicator, numerator field, denominator field).
PAYMENT = [
    ("payment-dossier", "totalDossierOnlinePaymentSuccess", "totalDossierFinancialObligation"),
    ("payment-formality", "totalDossierOnlineFormalityPaymentSuccess", "totalFeeFormality"),
    ("payment-fee-formality", "totalFeeDossierFormality", "totalFeeFormality"),
]
PHU_THO = "bo-chi-so-766-phu-tho-2026-08"
TINH = "bo-chi-so-766-tinh-2026"


def num(x):
    """A count or figure as the CSV writes it: integers without a decimal point."""
    if x is None:
        return ""
    if isinstance(x, float) and x.is_integer():
        x = int(x)
    return str(x)


def period(p):
    if p["type"] == "month":
        return f"{p['year']}-{p['month']:02d}"
    if p["type"] == "year":
        return str(p["year"])
    raise SystemExit(f"unsupported period {p}")


GROUP_MAX = {"CKMB": 18, "TDGQ": 20, "CLGQ": 12, "TTTT": 10, "MDSH": 22, "MDHL": 18}


def snapshot_day(source):
    """The day of a capture: its `captured_at` date, else the DDMMYYYY date of its file name."""
    at = source.get("captured_at", "")
    if len(at) >= 10 and at[4] == "-" and at[7] == "-":
        return at[:10]
    stem = source["path"].rsplit("_", 1)[-1].split(".")[0]
    if len(stem) == 8 and stem.isdigit():
        return f"{stem[4:]}-{stem[2:4]}-{stem[:2]}"
    raise SystemExit(f"no day for {source}")


def source_line(s):
    return f"{s['repo']} `{s['path']}` @ {s['commit']}"


class Directory:
    """The rows of one data directory, in the order they were added."""

    def __init__(self, name):
        self.name = name
        self.units = []  # (id, name, parent, level)
        self.reported = []  # (unit, period, indicator, value, numerator, denominator, note)
        self.published = []  # (unit, period, as_of, kind, id, points, max, rank, rank_of, source)
        self.sources = []  # (unit, case_id, source line, remark)

    def unit(self, uid, name, parent, level):
        if any(u[0] == uid for u in self.units):
            raise SystemExit(f"{self.name}: unit {uid} twice")
        self.units.append((uid, name, parent, level))


def full_case(d, case, parent):
    """A case of cases.json: every sub-indicator's counts and the published points."""
    uid = case["unit_code"]
    p = period(case["period"])
    day, src = snapshot_day(case["source"]), case["source"]["path"]
    d.unit(uid, case["unit"], parent, case["level"])
    remark = ""
    subs = {IDS[s["code"]]: s for s in case["sub_indicators"]}
    if set(subs) != set(ORDER):
        raise SystemExit(f"{case['case_id']}: sub-indicators {sorted(set(ORDER) ^ set(subs))}")
    for ind in ORDER:
        s = subs[ind]
        n, den, note = s["numerator"], s["denominator"], ""
        value = None
        if ind == "payment-fee-formality" and n is None:
            # The snapshot of this case lacks totalFeeDossierFormality; the portal's checkpoint
            # of the same day carries it (see the case's `tttt_c_from_earlier_snapshot`).
            earlier = case.get("tttt_c_from_earlier_snapshot")
            if not earlier:
                raise SystemExit(f"{case['case_id']}: no count for {ind}")
            n, den = earlier["totalFeeDossierFormality"], earlier["totalFeeFormality"]
            note = "from the checkpoint " + earlier["source"]
            remark = f"`payment-fee-formality` counts from {earlier['source']}"
        elif n is None and den is None:
            # the portal publishes only the ratio (CLGQ group, electronic certified copy)
            value = s["published_ratio"]
            note = "published ratio"
        d.reported.append((uid, p, ind, num(value), num(n), num(den), note))
        if s["published_points"] is not None:
            d.published.append((uid, p, day, "indicator", ind, num(s["published_points"]),
                                num(s["max_points"]), "", "", src))
    for g, pts in case["published_group_points"].items():
        d.published.append((uid, p, day, "group", GROUPS[g], num(pts), num(GROUP_MAX[g]), "", "",
                            src))
    if case.get("published_total") is not None:
        rank = case.get("published_rank")
        d.published.append((uid, p, day, "total", "", num(case["published_total"]), "100",
                            num(rank), "34" if rank is not None else "", src))
    d.sources.append((uid, case["case_id"], source_line(case["source"]), remark))


def payment_case(d, case):
    """A case of cases_payment_only.json: the three payment counts and the group's points."""
    uid = case["unit_code"]
    p = period(case["period"])
    d.unit(uid, case["unit"], "", case["level"])
    for ind, n, den in PAYMENT:
        d.reported.append((uid, p, ind, "", num(case[n]), num(case[den]), ""))
    d.published.append((uid, p, snapshot_day(case["source"]), "group", "tttt",
                        num(case["published_group_points"]["TTTT"]), "10", "", "",
                        case["source"]["path"]))
    d.sources.append((uid, case["case_id"], source_line(case["source"]), "payment group only"))


def same_payment(full, pay):
    """A payment-only case repeating a unit of cases.json must carry the same counts."""
    subs = {IDS[s["code"]]: s for s in full["sub_indicators"]}
    for ind, n, den in PAYMENT:
        if (subs[ind]["numerator"], subs[ind]["denominator"]) != (pay[n], pay[den]):
            raise SystemExit(f"{pay['case_id']}: {ind} differs from {full['case_id']}")
    if full["published_group_points"]["TTTT"] != pay["published_group_points"]["TTTT"]:
        raise SystemExit(f"{pay['case_id']}: TTTT points differ from {full['case_id']}")


def csv_text(header, rows):
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    return out.getvalue()


def readme(d, title, period_text, command):
    lines = [
        f"# {title} (REAL figures)",
        "",
        "Figures published by the national public-service portal (dichvucong.gov.vn → \"Đánh giá",
        "chất lượng phục vụ người dân, doanh nghiệp\", Bộ chỉ số 766), as captured by public crawler",
        f"repositories, for {period_text}. Converted by `scripts/real766_convert.py` from the",
        "project's development set (`shared/real766-dev/`: cases.json, cases_payment_only.json);",
        "nothing here is typed by hand or estimated. Regenerate with `python3 scripts/real766_convert.py`.",
        "",
        "```",
        command,
        "```",
        "",
        "* `units.csv` — the units, with the portal's unit codes as ids (`H44` = UBND tỉnh Phú Thọ,",
        "  `H44.07` = one of its departments).",
        "* `reported.csv` — one row per (unit, sub-indicator): the portal's raw counts as `numerator`",
        "  and `denominator` (both 0 where the portal counted nothing); `value` only where the portal",
        "  publishes a ratio and no counts (`online-service`: the CLGQ group's ratio;",
        "  `electronic-certified-copy`).",
        "* `published.csv` — the points the portal published: per sub-indicator (`indicator`), per",
        "  group (`group`) and the total (`total`, with the national rank) where the capture has it,",
        "  each with its day and source file. `chitieu score` reconciles every one with its own",
        "  figures (`tests/real766.rs` asserts that all match, to the cent).",
        "",
        "| unit | case | source (repository, path, commit) | remark |",
        "|---|---|---|---|",
    ]
    for uid, case, src, remark in d.sources:
        lines.append(f"| `{uid}` | `{case}` | {src} | {remark} |")
    return "\n".join(lines) + "\n"


def build(source):
    cases = json.loads((source / "cases.json").read_text(encoding="utf-8"))
    payment = json.loads((source / "cases_payment_only.json").read_text(encoding="utf-8"))
    by_case = {c["case_id"]: c for c in cases}

    phu_tho = Directory(PHU_THO)
    tinh = Directory(TINH)
    for case in cases:
        if case["period"]["type"] == "month":
            parent = "" if case["level"] == "tinh" else "H44"
            if case["level"] != "tinh" and not case["unit_code"].startswith("H44."):
                raise SystemExit(f"{case['case_id']}: not a unit of Phú Thọ")
            full_case(phu_tho, case, parent)
        else:
            full_case(tinh, case, "")
    for case in payment:
        twin = by_case.get(case["case_id"].removeprefix("tttt-"))
        if twin is not None:
            same_payment(twin, case)  # already in phu_tho with every sub-indicator
        elif case["period"]["type"] == "year" and case["level"] == "tinh":
            payment_case(tinh, case)
        else:
            raise SystemExit(f"{case['case_id']}: no directory for it")

    files = {}
    # the month-8 cases of Phú Thọ are read (and their payment twins checked) but not written:
    # data/bo-chi-so-766-phu-tho-2026-08 is `chitieu import portal766` of the raw responses
    for d, title, period_text, cmd in [
        (tinh, "Bộ chỉ số 766 — provinces, year 2026 (to the capture date)",
         "the year 2026 to the capture date (H20, H44, H32 on 2026-10-02 with every group; H01, H05,"
         "\nH12, H13, H14 with the payment group only, from the portal's earlier checkpoint of about"
         "\n2026-09-29, which also gives H20, H44 and H32 their `payment-fee-formality` counts)."
         "\nThe national rank needs all 34 provinces, so ranks here are among these units only",
         f"chitieu score --catalogue indicators/bo-chi-so-766 --data data/{TINH} --period 2026"),
    ]:
        files[f"{d.name}/units.csv"] = csv_text(["id", "name", "parent", "level"], d.units)
        files[f"{d.name}/reported.csv"] = csv_text(
            ["unit", "period", "indicator", "value", "numerator", "denominator", "note"], d.reported)
        files[f"{d.name}/published.csv"] = csv_text(
            ["unit", "period", "as_of", "kind", "id", "points", "max", "rank", "rank_of", "source"],
            d.published)
        files[f"{d.name}/README.md"] = readme(d, title, period_text, cmd)
    return files


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--source", type=Path, default=ROOT.parent / "shared" / "real766-dev")
    ap.add_argument("--out", type=Path, default=ROOT / "data")
    ap.add_argument("--check", action="store_true")
    args = ap.parse_args()
    files = build(args.source)
    differ = []
    for rel, text in files.items():
        path = args.out / rel
        if args.check:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                differ.append(rel)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    if differ:
        print("differs from the source: " + ", ".join(differ), file=sys.stderr)
        return 1
    if not args.check:
        print(f"wrote {len(files)} files under {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
