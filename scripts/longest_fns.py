#!/usr/bin/env python3
"""The longest functions and files of src/ (issue 23: no function over 150 lines, no file over
900). A function's length is its lines from `fn` to its closing brace, tests included.

usage: scripts/longest_fns.py [--top N] [--max-fn 150] [--max-file 900] [--exclude DIR ...]
exit status 1 when a function or file is over its limit (outside the excluded directories).
"""

import argparse
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FN = re.compile(r"^\s*(?:pub(?:\([^)]*\))?\s+)?(?:const\s+)?(?:async\s+)?(?:unsafe\s+)?fn\s+(\w+)")


def code_only(text):
    """The text with comments, strings and char literals blanked (newlines kept), so braces
    count only where they are code."""
    out = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            out.append(" " * (j - i))
            i = j
        elif text.startswith("/*", i):
            depth, j = 1, i + 2
            while j < n and depth:
                if text.startswith("/*", j):
                    depth, j = depth + 1, j + 2
                elif text.startswith("*/", j):
                    depth, j = depth - 1, j + 2
                else:
                    j += 1
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
        elif re.match(r'(?:b?r)(#*)"', text[i:i + 40]) and (i == 0 or not (text[i - 1].isalnum() or text[i - 1] == "_")):
            m = re.match(r'(?:b?r)(#*)"', text[i:])
            end = '"' + m.group(1)
            j = text.find(end, i + m.end())
            j = n if j < 0 else j + len(end)
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
        elif c == '"':
            j = i + 1
            while j < n and text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            j += 1
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
        elif c == "'":
            m = re.match(r"'(?:\\(?:u\{[0-9a-fA-F]+\}|x[0-9a-fA-F]{2}|.)|[^\\'])'", text[i:])
            if m:
                out.append(" " * m.end())
                i += m.end()
            else:
                out.append(c)
                i += 1
        else:
            out.append(c)
            i += 1
    return "".join(out)


def functions(path):
    """(name, first line, length in lines) of every fn with a body in `path`."""
    code = code_only(path.read_text(encoding="utf-8"))
    lines = code.split("\n")
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line) + 1)
    found = []
    for k, line in enumerate(lines):
        m = FN.match(line)
        if not m:
            continue
        at = starts[k] + m.end()
        # the body's opening brace, unless a `;` (a declaration) comes first
        depth_paren = 0
        j = at
        while j < len(code):
            ch = code[j]
            if ch in "(<[":
                depth_paren += 1
            elif ch in ")>]":
                depth_paren -= 1
            elif ch == ";" and depth_paren <= 0:
                j = -1
                break
            elif ch == "{" and depth_paren <= 0:
                break
            j += 1
        if j < 0 or j >= len(code):
            continue
        depth = 0
        while j < len(code):
            if code[j] == "{":
                depth += 1
            elif code[j] == "}":
                depth -= 1
                if depth == 0:
                    break
            j += 1
        end_line = code.count("\n", 0, j) + 1
        found.append((m.group(1), k + 1, end_line - k))
    return found


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--top", type=int, default=10)
    ap.add_argument("--max-fn", type=int, default=150)
    ap.add_argument("--max-file", type=int, default=900)
    ap.add_argument("--exclude", nargs="*", default=[], help="directories under src/ left out of the limits")
    args = ap.parse_args()
    src = ROOT / "src"
    fns, files = [], []
    for path in sorted(src.rglob("*.rs")):
        rel = path.relative_to(ROOT).as_posix()
        excluded = any(rel.startswith(f"src/{d.strip('/')}") for d in args.exclude)
        files.append((len(path.read_text(encoding="utf-8").split("\n")) - 1, rel, excluded))
        for name, line, length in functions(path):
            fns.append((length, f"{rel}:{line}", name, excluded))
    fns.sort(key=lambda f: (-f[0], f[1]))
    files.sort(key=lambda f: (-f[0], f[1]))
    print(f"The {args.top} longest functions of src/ (lines, fn to closing brace):")
    for length, at, name, excluded in fns[: args.top]:
        print(f"  {length:5}  {name}  {at}{'  (excluded)' if excluded else ''}")
    print(f"The {args.top} longest files of src/ (lines):")
    for length, rel, excluded in files[: args.top]:
        print(f"  {length:5}  {rel}{'  (excluded)' if excluded else ''}")
    over = [f for f in fns if f[0] > args.max_fn and not f[3]]
    big = [f for f in files if f[0] > args.max_file and not f[2]]
    for length, at, name, _ in over:
        print(f"over {args.max_fn} lines: fn {name} at {at} ({length})", file=sys.stderr)
    for length, rel, _ in big:
        print(f"over {args.max_file} lines: {rel} ({length})", file=sys.stderr)
    return 1 if over or big else 0


if __name__ == "__main__":
    sys.exit(main())
