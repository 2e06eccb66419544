#!/usr/bin/env python3
"""The library's public API as `cargo doc` documents it (issue 23: fewer than 150 items).

Builds the documentation of the library afresh (`cargo doc --no-deps --lib`, after removing the
crate's old pages: rustdoc never deletes a page of an item that is gone), then counts its pages:
one per item (struct, enum, fn, trait, type, constant, macro, static, union) and one per module
(its index.html, the crate's own included), and lists them by module. The pages rustdoc leaves
at a re-exported item's private home, which only redirect to where it is documented, are not
items and are left out (their number is printed).

usage: scripts/public_api.py [--no-build] [--list] [--max N]
  --no-build  count the pages already there (CARGO_TARGET_DIR/doc/chitieu, else target/doc/chitieu)
  --list      print every item, module by module
  --max N     exit status 1 when the count is N or more
"""

import argparse
import os
import shutil
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KINDS = ("struct", "enum", "fn", "trait", "type", "constant", "macro", "static", "union")


def doc_dir():
    target = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
    return target / "doc" / "chitieu"


def build(out):
    shutil.rmtree(out, ignore_errors=True)
    subprocess.run(
        ["nice", "-n", "15", "cargo", "doc", "--no-deps", "--lib", "--quiet"], cwd=ROOT, check=True
    )


def items(out):
    """(module path, kind, name) of every page under `out`; a module is ("a::b", "mod", "")."""
    found, redirects = [], 0
    for page in sorted(out.rglob("*.html")):
        if "http-equiv=\"refresh\"" in page.read_text(errors="replace")[:2000]:
            redirects += 1
            continue
        rel = page.relative_to(out)
        module = "::".join(("chitieu",) + rel.parts[:-1])
        if page.name == "index.html":
            found.append((module, "mod", ""))
            continue
        kind, _, rest = page.name.partition(".")
        if kind in KINDS and rest.endswith("html"):
            found.append((module, kind, rest[: -len(".html")]))
    return found, redirects


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-build", action="store_true")
    parser.add_argument("--list", action="store_true")
    parser.add_argument("--max", type=int)
    args = parser.parse_args()
    out = doc_dir()
    if not args.no_build:
        build(out)
    if not (out / "index.html").is_file():
        sys.exit(f"{out}: no documentation; run without --no-build")
    found, redirects = items(out)
    modules = sum(1 for _, kind, _ in found if kind == "mod")
    if args.list:
        by_module = defaultdict(list)
        for module, kind, name in found:
            if kind != "mod":
                by_module[module].append(f"{kind} {name}")
            else:
                by_module.setdefault(module, [])
        for module in sorted(by_module):
            print(f"{module}: {', '.join(by_module[module]) or '(re-exports only)'}")
    print(
        f"{len(found)} public items ({len(found) - modules} items, {modules} modules; "
        f"{redirects} redirect pages left out)"
    )
    if args.max is not None and len(found) >= args.max:
        print(f"over the limit: {len(found)} >= {args.max}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
