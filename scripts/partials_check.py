#!/usr/bin/env python3
"""DuckDB and Spark compute the partial table with the SQL of `chitieu sql`; `chitieu score
--partials` must then give the same scorecard.json, byte for byte, as `chitieu score` over the
records.

Generates the Lào Cai synthetic data (`chitieu generate lao-cai`), splits the dossiers into two
Parquet files (alternate rows, so both partitions hold every unit and month and the partial files
overlap), runs the emitted query over each partition in each engine (DuckDB writes Parquet, Spark
writes a directory of CSV part files), scores the partials from a data directory that holds no
record file, and compares with a direct score for four periods. Three catalogues: the shipped Lào
Cai one, a copy with extra measures that have a `filter` (COUNT(*) counting only the rows that
pass, a filter no row passes, a string literal holding a quote and a backslash), and the portal's
Bộ chỉ số 766 on the generated national records (`chitieu generate national`).

usage: scripts/partials_check.py [--chitieu BIN] [--dossiers N] [--engines duckdb,spark] [--keep DIR]
  --chitieu  the binary (default: $CARGO_TARGET_DIR/debug/chitieu, else target/debug/chitieu)
needs: pip install duckdb pyspark (Spark needs Java 17); exit status 0 when every scorecard matches.
"""

import argparse
import difflib
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "indicators" / "lao-cai-2026-2030"
CATALOGUE_766 = ROOT / "indicators" / "bo-chi-so-766"
# (name, extra arguments of `chitieu score`)
# measures added to a copy of the Lào Cai catalogue: filters in the engines' SQL
FILTERS = r"""
[[indicator]]
id = "kiem-tra-dem-co-phi"
name = "Số hồ sơ có phí (kiểm tra bộ lọc)"
group = "I"
unit = "count"
direction = "higher"
[indicator.measure]
dataset = "ho_so"
value = "COUNT(*)"
filter = "co_phi"
[indicator.targets]
2026 = ">= 1"

[[indicator]]
id = "kiem-tra-hai-long-chua-so-hoa"
name = "Hài lòng với hồ sơ nộp trực tiếp chưa số hóa (kiểm tra bộ lọc)"
group = "I"
unit = "%"
direction = "higher"
[indicator.measure]
dataset = "ho_so"
numerator = "SUM(CASE WHEN danh_gia >= 4 THEN 1 ELSE 0 END)"
denominator = "COUNT(danh_gia)"
filter = "kenh <> 'truc_tuyen' AND NOT so_hoa"
[indicator.targets]
2026 = ">= 50"

[[indicator]]
id = "kiem-tra-khong-ho-so"
name = "Tổng điểm đánh giá của hồ sơ không tồn tại (kiểm tra bộ lọc rỗng)"
group = "I"
unit = "count"
direction = "lower"
[indicator.measure]
dataset = "ho_so"
value = "SUM(danh_gia)"
filter = "kenh = 'it''s \\ x'"
[indicator.targets]
2026 = "<= 10"
"""
CASES = [
    ("latest", []),
    ("2026-06", ["--period", "2026-06"]),
    ("2026-Q3-cumulative", ["--period", "2026-Q3", "--cumulative"]),
    # the direct scan groups a scored year by year (a quarter by quarter), the partials are monthly
    ("2026", ["--period", "2026"]),
]


def log(message, started=None):
    suffix = f" ({time.monotonic() - started:.1f} s)" if started is not None else ""
    print(f"partials_check: {message}{suffix}", flush=True)


def run(args, **kwargs):
    result = subprocess.run(
        [str(a) for a in args], cwd=ROOT, capture_output=True, text=True, **kwargs
    )
    if result.returncode != 0:
        sys.exit(
            f"partials_check: {' '.join(map(str, args))} exited with {result.returncode}\n"
            f"{result.stdout}{result.stderr}"
        )
    return result.stdout


def queries(sql_text):
    """Dataset name -> query, from the output of `chitieu sql`."""
    out = {}
    for block in sql_text.strip().split(";\n"):
        match = re.search(r'^-- chitieu: partial aggregates of dataset "([^"]+)"', block, re.M)
        body = "\n".join(l for l in block.splitlines() if not l.startswith("--")).strip().rstrip(";")
        if match and body:
            out[match.group(1)] = body
    if not out:
        sys.exit("partials_check: `chitieu sql` printed no query")
    return out


def duckdb_partials(jobs, parts):
    """Runs every (queries, output directory) job over each partition; Parquet files."""
    import duckdb

    con = duckdb.connect()
    for sql, out_dir in jobs:
        out_dir.mkdir(parents=True)
        for i, part in enumerate(parts):
            for dataset, query in sql.items():
                con.execute(
                    f'CREATE OR REPLACE VIEW "{dataset}" AS SELECT * FROM read_parquet(\'{part}\')'
                )
                target = out_dir / f"{dataset}-{i}.parquet"
                con.execute(f"COPY ({query}) TO '{target}' (FORMAT PARQUET)")
    con.close()


def spark_partials(jobs, parts):
    """Runs every (queries, output directory) job over each partition in one local Spark
    session, on loopback only; a directory of CSV part files per partition."""
    os.environ["SPARK_LOCAL_IP"] = "127.0.0.1"
    from pyspark.sql import SparkSession

    spark = (
        SparkSession.builder.master("local[2]")
        .appName("chitieu-partials-check")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.sql.session.timeZone", "UTC")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    try:
        for sql, out_dir in jobs:
            for i, part in enumerate(parts):
                for dataset, query in sql.items():
                    spark.read.parquet(str(part)).createOrReplaceTempView(dataset)
                    (
                        spark.sql(query)
                        .coalesce(1)
                        .write.mode("overwrite")
                        .option("header", True)
                        .csv(str(out_dir / f"{dataset}-{i}"))
                    )
    finally:
        spark.stop()


def split_records(source, out_dir):
    """Two Parquet files of alternate rows of `source`."""
    import duckdb

    out_dir.mkdir(parents=True)
    parts = [out_dir / "part-0.parquet", out_dir / "part-1.parquet"]
    con = duckdb.connect()
    con.execute(f"CREATE TABLE r AS SELECT *, row_number() OVER () AS n FROM read_parquet('{source}')")
    for i, part in enumerate(parts):
        con.execute(f"COPY (SELECT * EXCLUDE (n) FROM r WHERE n % 2 = {i}) TO '{part}' (FORMAT PARQUET)")
    counts = [con.execute(f"SELECT count(*) FROM read_parquet('{p}')").fetchone()[0] for p in parts]
    con.close()
    return parts, counts


def compare(expected, actual, label):
    a, b = expected.read_bytes(), actual.read_bytes()
    if a == b:
        return True
    diff = difflib.unified_diff(
        a.decode().splitlines(), b.decode().splitlines(), "direct", label, lineterm="", n=2
    )
    print("\n".join(list(diff)[:60]))
    return False


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    target = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
    parser.add_argument("--chitieu", type=Path, default=target / "debug" / "chitieu")
    parser.add_argument("--dossiers", type=int, default=20000)
    parser.add_argument("--engines", default="duckdb,spark")
    parser.add_argument("--keep", type=Path, help="work in this directory and keep it")
    args = parser.parse_args()
    binary = args.chitieu.resolve()
    if not binary.is_file():
        sys.exit(f"partials_check: no binary at {binary}; run `cargo build` or pass --chitieu")
    engines = [e for e in args.engines.split(",") if e]
    work = args.keep or Path(tempfile.mkdtemp(prefix="chitieu-partials-"))
    if args.keep and work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True, exist_ok=True)
    started_all = time.monotonic()
    try:
        # per data set: the records (split in two), and the scoring data — every other file of the
        # data directory (units, reported values, tasks, submissions, …), but no record file
        sets = {}
        for kind in ("lao-cai", "national"):
            data = work / "data" / kind
            started = time.monotonic()
            run([binary, "generate", kind, "--out", data, "--dossiers", args.dossiers])
            parts, counts = split_records(data / "ho_so.parquet", work / "records" / kind)
            log(f"{kind}: {args.dossiers} dossiers generated, split {counts[0]} + {counts[1]}",
                started)
            scoring = work / "scoring-data" / kind
            scoring.mkdir(parents=True)
            for path in sorted(data.iterdir()):
                if path.is_file() and path.stem != "ho_so":
                    shutil.copy(path, scoring / path.name)
            sets[kind] = (data, parts, scoring)

        filters = work / "catalogue-filters"
        shutil.copytree(CATALOGUE, filters)
        (filters / "zz-filters.toml").write_text(FILTERS, encoding="utf-8")
        # catalogue -> (directory, data set)
        catalogues = {
            "lao-cai": (CATALOGUE, "lao-cai"),
            "filters": (filters, "lao-cai"),
            "766": (CATALOGUE_766, "national"),
        }

        started = time.monotonic()
        for cat, (cat_dir, kind) in catalogues.items():
            for name, extra in CASES:
                run([binary, "score", "--no-charts", "--no-history", "--catalogue", cat_dir, "--data",
                     sets[kind][0], "--out", work / "direct" / cat / name, "--format", "json",
                     *extra])
        log(f"direct scores of {len(catalogues)} catalogues x {len(CASES)} periods", started)

        failures = 0
        compared = 0
        for engine in engines:
            if engine not in ("duckdb", "spark"):
                sys.exit(f"partials_check: unknown engine {engine}")
            started = time.monotonic()
            for kind, (_, parts, _) in sets.items():
                jobs = [
                    (queries(run([binary, "sql", "--dialect", engine, "--catalogue", cat_dir])),
                     work / "partials" / engine / cat)
                    for cat, (cat_dir, k) in catalogues.items()
                    if k == kind
                ]
                (duckdb_partials if engine == "duckdb" else spark_partials)(jobs, parts)
            log(f"{engine}: partials of {len(catalogues)} catalogues x 2 partitions", started)
            started = time.monotonic()
            for cat, (cat_dir, kind) in catalogues.items():
                for name, extra in CASES:
                    out = work / engine / cat / name
                    run([binary, "score", "--no-charts", "--no-history", "--catalogue", cat_dir, "--data",
                         sets[kind][2], "--partials", work / "partials" / engine / cat, "--out",
                         out, "--format", "json", *extra])
                    same = compare(work / "direct" / cat / name / "scorecard.json",
                                   out / "scorecard.json", f"{engine} partials")
                    print(f"  {engine:6} {cat:8} {name:20} scorecard.json "
                          f"{'identical' if same else 'DIFFERS'}", flush=True)
                    failures += not same
                    compared += 1
            log(f"{engine}: scored from partials", started)
        log(f"{'OK' if failures == 0 else f'{failures} scorecard(s) differ'}", started_all)
        print(f"partials_check: {compared - failures} passed, {failures} failed", flush=True)
        return 1 if failures else 0
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
