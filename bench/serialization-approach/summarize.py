#!/usr/bin/env python3
"""Prints the tables of bench/serialization-approach.md from a work directory's results/.

Usage: summarize.py WORK"""
import glob
import json
import os
import re
import statistics
import sys

R = f"{os.path.abspath(sys.argv[1])}/results"


def gnu_time(path):
    t = open(path).read()
    cpu = float(re.search(r"User time \(seconds\): ([\d.]+)", t).group(1)) + float(
        re.search(r"System time \(seconds\): ([\d.]+)", t).group(1))
    parts = [float(p) for p in re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): ([\d:.]+)", t)
             .group(1).split(":")]
    wall = sum(p * 60 ** i for i, p in enumerate(reversed(parts)))
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", t).group(1)) / 1024
    return cpu, wall, rss


def runs(prefix):
    out = []
    for path in sorted(glob.glob(f"{R}/time/{prefix}-*.txt")):
        if not re.fullmatch(re.escape(prefix) + r"-\d+\.txt", os.path.basename(path)):
            continue
        compiled = path[:-4] + ".compiled"
        if os.path.exists(compiled) and open(compiled).read().strip() != "1":
            print(f"warning: {path}: {open(compiled).read().strip()} crates compiled", file=sys.stderr)
        out.append(gnu_time(path))
    return out


def fmt(values, digits=1):
    """min (median, max) of a list of seconds."""
    if not values:
        return "–"
    lo, med, hi = min(values), statistics.median(values), max(values)
    return f"{lo:.{digits}f} ({med:.{digits}f}; {hi:.{digits}f})"


print(f"commit {open(f'{R}/commit.txt').read().strip()[:12]}\n")

# ----- runtime ---------------------------------------------------------------------------------
rows = {}
for path in sorted(glob.glob(f"{R}/runtime-*-*.txt")):
    side = re.match(r"runtime-(\w+)-\d+\.txt", os.path.basename(path)).group(1)
    for line in open(path):
        m = re.match(r"(.+?)\s+fastest\s+([\d.]+) (\w+)\s+median\s+([\d.]+) \w+(?:\s+([\d.]+) MB/s)?", line)
        if m:
            key = (side, m.group(1).strip(), m.group(3))
            rows.setdefault(key, []).append((float(m.group(2)), float(m.group(4))))
print("Runtime: fastest sample over all runs; in brackets the median of each run's median, and "
      "the slowest run's fastest sample.\n")
print("| approach | figure | fastest | median | slowest run's fastest | MB/s (fastest) |")
print("|---|---|---|---|---|---|")
BODY = 4341867
for (side, name, unit), v in rows.items():
    fastest = min(f for f, _ in v)
    mbs = f"{BODY / 1e6 / (fastest / 1e3):.0f}" if unit == "ms" else ""
    print(f"| {side} | {name} | {fastest:.3g} {unit} | {statistics.median(m for _, m in v):.3g} {unit} "
          f"| {max(f for f, _ in v):.3g} {unit} | {mbs} |")

if os.path.exists(f"{R}/instructions.txt"):
    print("\nInstructions per operation (valgrind, last count of each):\n")
    counts = {}
    for line in open(f"{R}/instructions.txt"):
        side, what, n = line.split()
        counts[(side, what)] = int(n)
    print("| approach | " + " | ".join(w for w in ("decode", "decode-path", "encode", "request")) + " |")
    print("|---|---|---|---|---|")
    for side in ("emitted", "serde", "schema"):
        print(f"| {side} | " + " | ".join(f"{counts[(side, w)]:,}" if (side, w) in counts else "–"
                                           for w in ("decode", "decode-path", "encode", "request")) + " |")

# ----- build ---------------------------------------------------------------------------------
VARIANTS = ["bare", "noops", "emitted", "serde", "serde-inst", "schema"]
print("\nCrate-alone builds (dependencies prebuilt, CARGO_INCREMENTAL=0), seconds: min (median; max) "
      "of the runs; CPU = user + sys.\n")
print("| variant | release CPU | release wall | debug CPU | debug wall | peak RSS (release) |")
print("|---|---|---|---|---|---|")
best = {}
for v in VARIANTS:
    rel, deb = runs(f"{v}-release"), runs(f"{v}-debug")
    best[v] = (min((c for c, _, _ in rel), default=0), min((c for c, _, _ in deb), default=0))
    rss = max((r for _, _, r in rel), default=0)
    print(f"| {v} | {fmt([c for c, _, _ in rel])} | {fmt([w for _, w, _ in rel])} "
          f"| {fmt([c for c, _, _ in deb])} | {fmt([w for _, w, _ in deb])} | {rss:.0f} MB |")
print("\nShape (de)serialization code alone, CPU seconds over `bare` (fastest runs): "
      + ", ".join(f"{v} +{best[v][0] - best['bare'][0]:.1f} release / +{best[v][1] - best['bare'][1]:.1f} debug"
                  for v in ["noops", "serde", "serde-inst", "schema"]))

print("\nConsumer of one operation (release, only the consumer recompiled) and cold dependency "
      "builds (release, from nothing), seconds:\n")
print("| approach | consumer CPU | consumer wall | deps CPU | deps wall |")
print("|---|---|---|---|---|")
for s in ["emitted", "serde", "schema"]:
    c, d = runs(f"consumer-{s}-release"), runs(f"deps-{s}-release")
    print(f"| {s} | {fmt([x for x, _, _ in c], 2)} | {fmt([w for _, w, _ in c], 2)} "
          f"| {fmt([x for x, _, _ in d])} | {fmt([w for _, w, _ in d])} |")

# ----- size ----------------------------------------------------------------------------------
stats = json.load(open(f"{R}/stats.json"))
print("\n| variant | lines of Rust (non-blank, non-comment) | over bare | dependency crates |")
print("|---|---|---|---|")
for v in VARIANTS:
    deps = f"{R}/deps-{v}.txt"
    n = len([l for l in open(deps) if l.strip() and not l.startswith("lightsail ")]) if os.path.exists(deps) else "?"
    lines = stats["code_lines"][v]
    print(f"| {v} | {lines:,} | {lines - stats['code_lines']['bare']:+,} | {n} |")
print(f"\nserde: {stats['serde']}; schema: {stats['schema']}, schema-rt {stats['schema-rt_lines']} lines")
