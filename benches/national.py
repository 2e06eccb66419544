#!/usr/bin/env python3
"""Side-by-side benchmark at national scale: chitieu vs Python polars (lazy) vs DuckDB.

    python3 benches/national.py --rows 10000000,50000000 --grain month,quarter,year,cumulative,latest [--runs 5]

For each N and --order it generates the data once (`chitieu generate national`: 4,114 units, N
dossiers over 2026; /tmp/nat-N-shuffled with `--order shuffled`, the day-unit file's rows in a
random order (DuckDB), every row group holding every month and unit, as a file generated with
random units and dates; /tmp/nat-N-interleaved with `--order interleaved`, receipt order with the
units interleaved as real exports are, days in order; /tmp/nat-N with `--order day-unit`, every
day's dossiers by unit, the friendliest order for a group-by), then for each grain times three
separate processes, round-robin, under
`/usr/bin/time -f "%e %M"` (wall s, peak RSS):

  chitieu  `chitieu score --catalogue indicators/bo-chi-so-766 --data /tmp/nat-N <period>
           --no-charts --no-history --out DIR` (whole job: fused scan, rollup, scoring, ranking, outputs), with
           <period> by grain: year `--period 2026`, quarter `--period 2026-Q4`, month
           `--period 2026-12`, cumulative `--period 2026-12 --cumulative`, latest none (the
           latest period in the data: the year 2026 on generated national data)
  polars   hand-written lazy query: scan_parquet -> filter 2026 -> group_by(ma_don_vi[, period])
           with the 7 computed sub-indicators' numerators/denominators -> join units.csv ->
           + province sums -> CSV; the period is the record's quarter for the quarter grain, its
           month for month, cumulative and latest (a series by month, as an analyst writing a
           monthly report would group), none for the year
  duckdb   the same as one SQL statement (GROUP BY unit[, quarter | month] over read_parquet,
           join units.csv, UNION ALL the province rollup, COPY to CSV)

It prints one markdown table per grain (median of --runs runs; wall time over the faster peer's,
peak memory over Python polars') and checks that the three agree on the province-level
numerator/denominator of every computed indicator for the scored period (the month, the quarter,
the year, the months to date). --scaling also times chitieu on a copy of the catalogue with 4
and with 14 computed indicators (on the --scaling-rows file, year grain).
A tool `polars@VERSION` (default: polars@1.43.2, the engine of the Rust crate polars 0.55.2
that chitieu is built on) runs the same polars query on that version of Python polars, in a venv
of its own made on first use (/tmp/chitieu-bench-polars-VERSION, `pip install polars==VERSION`):
beside polars (the newest) it says how much of the gap is polars' newer engine. It is shown in
the table but not counted as a peer ("faster peer" is the faster of polars and duckdb).
The tool `chitieu-dist` runs the distribution build (`cargo dist`; env CHITIEU_DIST or
$CARGO_TARGET_DIR/dist/chitieu) beside the release one, as the peers run their own
distributions (Python polars' wheel is built for x86-64-v3 with fat LTO); its results are
checked against release chitieu's.
Requirements: `pip install polars duckdb`; the release binary (env CHITIEU or
$CARGO_TARGET_DIR/release/chitieu, default /root/.cache/chitieu-target/release/chitieu).
"""
from __future__ import annotations

import argparse
import csv
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "indicators" / "bo-chi-so-766"
BIN = os.environ.get(
    "CHITIEU",
    str(Path(os.environ.get("CARGO_TARGET_DIR", "/root/.cache/chitieu-target")) / "release" / "chitieu"),
)
# the tool chitieu-dist: the distribution build (`cargo dist`), beside the release one
DIST_BIN = os.environ.get(
    "CHITIEU_DIST",
    str(Path(os.environ.get("CARGO_TARGET_DIR", "/root/.cache/chitieu-target")) / "dist" / "chitieu"),
)
START, END = "2026-01-01", "2026-12-31"

# chitieu's period arguments by grain; the peers' period column (None: by unit alone); and which
# of the peers' periods make up the scored one
GRAINS = {
    "year": (["--period", "2026"], None, lambda p: True),
    "quarter": (["--period", "2026-Q4"], "quarter", lambda p: p == 4),
    "month": (["--period", "2026-12"], "month", lambda p: p == 12),
    "cumulative": (["--period", "2026-12", "--cumulative"], "month", lambda p: p <= 12),
    # no --period: chitieu scores the latest period in the data, the year 2026 on generated
    # national data (its reported counts are yearly, and of the periods ending last the longer
    # is taken); the peers group by month, as for a monthly report, and the year is their sum
    "latest": ([], "month", lambda p: True),
}


def indicators(catalogue: Path = CATALOGUE) -> list[tuple[str, str, str]]:
    with open(catalogue / "indicators.toml", "rb") as f:
        doc = tomllib.load(f)
    return [
        (i["id"], i["measure"]["numerator"], i["measure"]["denominator"])
        for i in doc["indicator"]
        if i.get("measure", {}).get("dataset") == "ho_so"
    ]


# ── workers (run in their own process) ────────────────────────────────────────────────────


def polars_exprs(pl):
    """The computed sub-indicators' numerators/denominators, translated by hand from
    indicators.toml."""
    c = pl.col
    one = lambda cond: cond.cast(pl.Int64).sum()  # SUM(CASE WHEN cond THEN 1 ELSE 0 END)
    n = pl.len().cast(pl.Int64)
    hand = {
        "dossier-sync": (one(c("dong_bo_trang_thai")), n),
        "dossier-on-time": (one(c("dung_han")), n),
        "payment-dossier": (one(c("co_phi") & c("thanh_toan_truc_tuyen")), one(c("co_phi"))),
        "original-result-available": (one(c("ket_qua_dien_tu")), n),
        "so-hoa-giay-to-giai-quyet": (one(c("so_hoa")), n),
        "reused-digitized-data": (one(c("tai_su_dung")), n),
        "dossier-receiving-satisfaction": (one(c("danh_gia").is_null() | (c("danh_gia") >= 4)), n),
    }
    ids = [i for i, _, _ in indicators()]
    assert sorted(ids) == sorted(hand), "indicators.toml changed: update polars_exprs"
    out = []
    for i in ids:
        num, den = hand[i]
        # a null boolean counts as "not true" (CASE WHEN NULL → ELSE 0)
        out += [num.fill_null(0).alias(f"{i}__num"), den.fill_null(0).alias(f"{i}__den")]
    return out


def work_polars(data: Path, out: Path, engine: str, grain: str) -> None:
    import datetime as dt

    import polars as pl

    units = pl.scan_csv(data / "units.csv", schema_overrides={"parent": pl.String}).select(
        pl.col("id").alias("ma_don_vi"),
        pl.coalesce("parent", "id").alias("province"),  # two levels: province → so / xa
    )
    d = pl.col("ngay_tiep_nhan")
    period = GRAINS[grain][1]
    keys = ["ma_don_vi"] + ([period] if period else [])
    scan = pl.scan_parquet(data / "ho_so.parquet").filter(d.is_between(dt.date(2026, 1, 1), dt.date(2026, 12, 31)))
    if period:
        scan = scan.with_columns(getattr(d.dt, period)().alias(period))
    per_unit = scan.group_by(keys).agg(polars_exprs(pl)).join(units, on="ma_don_vi", how="left")
    value_cols = pl.exclude("ma_don_vi", "province", *keys[1:])
    per_province = (
        per_unit.group_by(["province"] + keys[1:]).agg(value_cols.sum()).rename({"province": "unit"})
    )
    result = pl.concat(
        [
            per_unit.drop("province").rename({"ma_don_vi": "unit"}).with_columns(level=pl.lit("unit")),
            per_province.with_columns(level=pl.lit("province")),
        ],
        how="diagonal",
    ).sort(["level", "unit"] + keys[1:])
    result.collect(engine=engine).write_csv(out / "polars.csv")


def work_duckdb(data: Path, out: Path, grain: str) -> None:
    import duckdb

    period = GRAINS[grain][1]
    key = f", {period}(ngay_tiep_nhan) AS {period}" if period else ""
    by = f", {period}" if period else ""
    parts = []
    for i, num, den in indicators():
        parts.append(f'CAST({num} AS BIGINT) AS "{i}__num"')
        parts.append(f'CAST({den} AS BIGINT) AS "{i}__den"')
    cols = [f'"{i}__{p}"' for i, _, _ in indicators() for p in ("num", "den")]
    sums = ", ".join(f"SUM({c}) AS {c}" for c in cols)
    sql = f"""
COPY (
  WITH per_unit AS (
    SELECT ma_don_vi{key}, {", ".join(parts)}
    FROM read_parquet('{data / "ho_so.parquet"}')
    WHERE ngay_tiep_nhan BETWEEN DATE '{START}' AND DATE '{END}'
    GROUP BY ma_don_vi{by}
  ), j AS (
    SELECT p.*, COALESCE(u.parent, u.id) AS province
    FROM per_unit p LEFT JOIN read_csv('{data / "units.csv"}', all_varchar = true) u
      ON u.id = p.ma_don_vi
  )
  SELECT 'unit' AS level, ma_don_vi AS unit{by}, {", ".join(cols)} FROM j
  UNION ALL
  SELECT 'province' AS level, province AS unit{by}, {sums} FROM j GROUP BY province{by}
  ORDER BY level, unit{by}
) TO '{out / "duckdb.csv"}' (HEADER)
"""
    duckdb.connect().execute(sql)


# ── driver ────────────────────────────────────────────────────────────────────────────────


def timed(cmd: list[str], env: dict | None = None, timeout: float | None = None) -> tuple[float, float]:
    """(wall s, peak MB) of one process under /usr/bin/time."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as t:
        full = ["/usr/bin/time", "-f", "%e %M", "-o", t.name, *cmd]
        p = subprocess.run(full, capture_output=True, text=True, env=env, timeout=timeout)
        if p.returncode != 0:
            raise RuntimeError(f"{' '.join(cmd)} failed ({p.returncode}):\n{p.stderr[-2000:]}")
        wall, kb = t.read().split()[-2:]
    return float(wall), int(kb) / 1024


ORDERS = ("shuffled", "interleaved", "day-unit")


def generate(n: int, order: str = "shuffled") -> Path:
    """The data of `order`: day-unit and interleaved from `chitieu generate national`; shuffled
    is the day-unit file with its rows in a random order (DuckDB `ORDER BY random()`, seeded),
    so that every row group holds records of every month and unit, as a file generated row by
    row with random units and dates does (the issue's DuckDB-made file)."""
    data = Path(f"/tmp/nat-{n}" if order == "day-unit" else f"/tmp/nat-{n}-{order}")
    if all((data / f).exists() for f in ("ho_so.parquet", "units.csv", "reported.csv")):
        return data
    if order == "shuffled":
        import duckdb
        ordered = generate(n, "day-unit")
        data.mkdir(parents=True, exist_ok=True)
        for f in ("units.csv", "reported.csv", "README.md"):
            shutil.copy(ordered / f, data / f)
        con = duckdb.connect()
        con.execute("SELECT setseed(0.5)")
        con.execute(f"COPY (SELECT * FROM read_parquet('{ordered / 'ho_so.parquet'}') ORDER BY random()) "
                    f"TO '{data / 'ho_so.parquet'}' (FORMAT parquet, COMPRESSION zstd)")
        return data
    subprocess.run([BIN, "generate", "national", "--out", str(data), "--dossiers", str(n),
                    "--order", order], check=True)
    return data


def venv_python(version: str) -> str:
    """The python of a venv holding polars==version (made on first use)."""
    venv = Path(f"/tmp/chitieu-bench-polars-{version}")
    python = venv / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "--quiet", f"polars=={version}"], check=True)
    return str(python)


def chitieu_cmd(catalogue: Path, data: Path, out: Path, grain: str = "year", binary: str = BIN) -> list[str]:
    # --no-history: the peers record nothing (what a history costs: benches/history_cost.sh)
    return [binary, "score", "--catalogue", str(catalogue), "--data", str(data), *GRAINS[grain][0],
            "--no-charts", "--no-history", "--out", str(out)]


def provinces_chitieu(out: Path) -> dict[tuple[str, str], tuple[float, float]]:
    # only the computed sub-indicators: the peers aggregate records, not reported counts
    computed = {i for i, _, _ in indicators()}
    res = {}
    with open(out / "scorecard.csv", newline="") as f:
        for r in csv.DictReader(f):
            if re.fullmatch(r"p\d+", r["unit"]) and r["numerator"] and r["indicator"] in computed:
                res[(r["unit"], r["indicator"])] = (float(r["numerator"]), float(r["denominator"]))
    return res


def provinces_peer(path: Path, grain: str) -> dict[tuple[str, str], tuple[float, float]]:
    """The province rows of a peer's CSV, summed over the periods that make up the scored one."""
    period, scored = GRAINS[grain][1], GRAINS[grain][2]
    res: dict[tuple[str, str], tuple[float, float]] = {}
    with open(path, newline="") as f:
        for r in csv.DictReader(f):
            if r["level"] == "province" and (not period or scored(int(r[period]))):
                for i, _, _ in indicators():
                    num, den = res.get((r["unit"], i), (0.0, 0.0))
                    res[(r["unit"], i)] = (num + float(r[f"{i}__num"]), den + float(r[f"{i}__den"]))
    return res


def agree(a: dict, b: dict) -> str:
    keys = set(a) | set(b)
    bad = [k for k in keys if a.get(k) != b.get(k)]
    return "same" if not bad else f"{len(bad)}/{len(keys)} differ, e.g. {sorted(bad)[0]}: {a.get(sorted(bad)[0])} vs {b.get(sorted(bad)[0])}"


def catalogue_variant(count: int, where: Path) -> Path:
    """A copy of the 766 catalogue with 4 (the other three computed sub-indicators become reported
    ones) or 14 (each computed sub-indicator doubled: the copy has an extra condition, so it is a
    different aggregate, and 0 points, tracked) computed indicators."""
    if where.exists():
        shutil.rmtree(where)
    shutil.copytree(CATALOGUE, where)
    text = (where / "indicators.toml").read_text()
    head, *blocks = text.split("[[indicator]]")
    blocks = ["[[indicator]]" + b for b in blocks]
    ident = lambda b: re.search(r'^id = "([^"]+)"', b, re.M).group(1)
    measure = re.compile(r"\n\[indicator\.measure\]\n(?:[a-z]+ = .*\n)+")
    computed = [ident(b) for b in blocks if measure.search(b)]
    out = []
    if count == 4:
        for b in blocks:
            out.append(measure.sub("\n", b) if ident(b) in computed[4:] else b)
    elif count == 14:
        extra = ["so_hoa", "co_phi", "cong_khai", "tai_su_dung", "da_giai_quyet", "so_hoa", "cong_khai"]
        for b in blocks:
            out.append(b)
            i = ident(b)
            if i in computed:
                c = b.replace(f'id = "{i}"', f'id = "{i}-b"', 1)
                c = re.sub(r'^code = "([^"]+)"', r'code = "\1_B"', c, count=1, flags=re.M)
                c = c.replace("SUM(CASE WHEN ", f"SUM(CASE WHEN {extra[computed.index(i)]} AND ", 1)
                c = re.sub(r"^points = .*$", "points = 0", c, count=1, flags=re.M)
                out.append(c)
    else:
        raise ValueError(count)
    (where / "indicators.toml").write_text(head + "".join(out))
    assert len(indicators(where)) == count, len(indicators(where))
    subprocess.run([BIN, "check", str(where)], check=True, capture_output=True)  # still a valid catalogue
    return where


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", default="1000000,10000000,50000000")
    ap.add_argument("--grain", default="year", help="comma-separated: " + ",".join(GRAINS))
    ap.add_argument("--order", default=",".join(ORDERS), help="comma-separated: " + ",".join(ORDERS))
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--tools", default="chitieu,polars,polars@1.43.2,duckdb",
                    help="comma-separated: chitieu, chitieu-dist, polars, polars@VERSION, duckdb")
    ap.add_argument("--polars-engine", default="streaming", choices=["streaming", "in-memory", "auto"])
    ap.add_argument("--scaling", action="store_true", help="also chitieu with 4 vs 14 computed indicators")
    ap.add_argument("--scaling-rows", type=int, default=10_000_000)
    ap.add_argument("--timeout", type=float, default=600)
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    ap.add_argument("--data", help=argparse.SUPPRESS)
    ap.add_argument("--out", help=argparse.SUPPRESS)
    a = ap.parse_args()
    grains = [g for g in a.grain.split(",") if g]
    if unknown := [g for g in grains if g not in GRAINS]:
        ap.error(f"unknown grain {unknown[0]!r}; expected one of {', '.join(GRAINS)}")

    if a.worker == "polars":
        return work_polars(Path(a.data), Path(a.out), a.polars_engine, grains[0])
    if a.worker == "duckdb":
        return work_duckdb(Path(a.data), Path(a.out), grains[0])

    print(f"# {' '.join([Path(sys.argv[0]).name, *sys.argv[1:]])}; chitieu = {BIN}", file=sys.stderr)
    rows = [int(r) for r in a.rows.split(",") if r]
    orders = [o for o in a.order.split(",") if o]
    if unknown := [o for o in orders if o not in ORDERS]:
        ap.error(f"unknown order {unknown[0]!r}; expected one of {', '.join(ORDERS)}")
    tools = a.tools.split(",")
    table = []
    for order, n in ((o, n) for o in orders for n in rows):
        data = generate(n, order)
        for grain in grains:
            out = Path(tempfile.mkdtemp(prefix=f"nat-bench-{n}-{grain}-"))
            worker = lambda tool, python=sys.executable, sub="": [
                python, __file__, "--worker", tool, "--grain", grain, "--data", str(data),
                "--out", str(out / sub), "--polars-engine", a.polars_engine]
            cmds = {
                "chitieu": chitieu_cmd(CATALOGUE, data, out / "chitieu", grain),
                "chitieu-dist": chitieu_cmd(CATALOGUE, data, out / "chitieu-dist", grain, DIST_BIN),
                "polars": worker("polars"),
                "duckdb": worker("duckdb"),
            }
            for tool in tools:
                if tool.startswith("polars@"):
                    (out / tool).mkdir(parents=True, exist_ok=True)
                    cmds[tool] = worker("polars", venv_python(tool.split("@", 1)[1]), tool)
            # round-robin (chitieu, polars, duckdb, chitieu, …): a slow spell of the machine falls
            # on every tool alike instead of on the one that happened to run then
            by_tool: dict[str, list[tuple[float, float]]] = {tool: [] for tool in tools}
            for _ in range(a.runs):
                for tool in tools:
                    by_tool[tool].append(timed(cmds[tool], timeout=a.timeout))
            for tool in tools:
                runs = by_tool[tool]
                wall = statistics.median(r[0] for r in runs)
                mem = statistics.median(r[1] for r in runs)
                table.append((n, order, grain, tool, wall, mem))
                print(f"# {n:>11,} {order:11} {grain:10} {tool:8} runs: " + ", ".join(f"{w:.2f}s/{m:.0f}MB" for w, m in runs),
                      file=sys.stderr, flush=True)
            if set(tools) >= {"chitieu", "polars", "duckdb"}:
                ch = provinces_chitieu(out / "chitieu")
                print(f"# {n:,} {order} {grain}: province num/den, chitieu vs polars: "
                      f"{agree(ch, provinces_peer(out / 'polars.csv', grain))}; "
                      f"chitieu vs duckdb: {agree(ch, provinces_peer(out / 'duckdb.csv', grain))}", file=sys.stderr)
                for tool in (t for t in tools if t.startswith("polars@")):
                    print(f"# {n:,} {order} {grain}: chitieu vs {tool}: "
                          f"{agree(ch, provinces_peer(out / tool / 'polars.csv', grain))}", file=sys.stderr)
                if "chitieu-dist" in tools:
                    print(f"# {n:,} {order} {grain}: chitieu vs chitieu-dist: "
                          f"{agree(ch, provinces_chitieu(out / 'chitieu-dist'))}", file=sys.stderr)
            shutil.rmtree(out, ignore_errors=True)

    for grain in grains:
        period = " ".join(GRAINS[grain][0]) or "(no --period)"
        print(f"\n{grain}: chitieu `{period}`, median of {a.runs}\n")
        print("| rows | order | tool | wall s | peak MB | wall / faster peer | peak / polars |")
        print("|---:|---|---|---:|---:|---:|---:|")
        for order, n in ((o, n) for o in orders for n in rows):
            mine = [(t, w, mem) for (m, o, g, t, w, mem) in table if m == n and o == order and g == grain]
            peers = [w for (t, w, _) in mine if t in ("polars", "duckdb")]
            best = min(peers) if peers else None
            pl_mem = next((mem for (t, _, mem) in mine if t == "polars"), None)
            for (t, w, mem) in mine:
                ratio = f"{w / best:.2f}×" if best else ""
                mem_ratio = f"{mem / pl_mem:.2f}×" if pl_mem else ""
                print(f"| {n:,} | {order} | {t} | {w:.2f} | {mem:.0f} | {ratio} | {mem_ratio} |")

    if a.scaling:
        data = generate(a.scaling_rows, orders[0])
        print(f"\n| indicators | rows | chitieu wall s (median of {a.runs}) | peak MB |")
        print("|---:|---:|---:|---:|")
        for k in (4, 7, 14):
            cat = CATALOGUE if k == 7 else catalogue_variant(k, Path(f"/tmp/nat-cat-{k}"))
            out = Path(tempfile.mkdtemp(prefix=f"nat-scale-{k}-"))
            runs = [timed(chitieu_cmd(cat, data, out), timeout=a.timeout) for _ in range(a.runs)]
            print(f"| {k} | {a.scaling_rows:,} | {statistics.median(r[0] for r in runs):.2f} | "
                  f"{statistics.median(r[1] for r in runs):.0f} |", flush=True)
            shutil.rmtree(out, ignore_errors=True)


if __name__ == "__main__":
    main()
