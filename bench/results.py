"""`make bench`'s targets, their checks and its printed tables (bench/run_bench.py)."""

from __future__ import annotations

# First renders (fragment cache emptied), in-process, at the largest volume:
# at most this many ms, and at most RENDER_MULTIPLE times the bare page's.
RENDER_TARGET_MS = {"default": 15.0, "portfolio": 25.0}
RENDER_MULTIPLE = 6.0
# A first render at the largest volume at most this many times the smallest's.
RENDER_GROWTH = 1.2
# The in-place edits (bench/probe.py interactions): queries and ms each.
INTERACTION_QUERIES = 10
INTERACTION_MS = 15.0
# Pages whose first render is not held to RENDER_TARGET_MS: the reference
# itself, the type-aheads (a keystroke, never cached: wrk's ratio holds them)
# and the growth pages of one account.
NOT_FIRST_RENDERS = ("bare", "people_pick", "search_suggest", "search_suggest_mgr")
# Minimum requests/s as a share of /healthz/'s from the same run.
# The home page (both readers) is held to the default: its body is cached as
# My touchpoints' is, the manager's portfolio summary included.
TARGET_RATIO = {
    "default": 0.15,
    "portfolio": 0.10,
    # The type-aheads are never cached: every keystroke asks the database afresh
    # (the ratio for a type-ahead: 0.10).
    "people_pick": 0.10,
    "search_suggest": 0.10,
    "search_suggest_mgr": 0.10,
    "search_page": 0.10,
}


def render_target(label: str) -> float:
    return RENDER_TARGET_MS.get(label, RENDER_TARGET_MS["default"])


def first_renders(report: dict, largest: int) -> list[dict]:
    """Per page: the first render at the largest volume, its multiple of the bare
    page's, and its growth from the smallest volume."""
    volumes = sorted(report["volumes"], key=int)
    big = report["volumes"][str(largest)]["pages"]
    small = report["volumes"][volumes[0]]["pages"]
    bare = big["bare"]["render_ms"]
    rows = []
    for label, row in big.items():
        if "render_ms" not in row or label in NOT_FIRST_RENDERS or label.startswith("grid_"):
            continue
        before = small.get(label, {}).get("render_ms")
        rows.append(
            {
                "page": label,
                "ms": row["render_ms"],
                "target_ms": render_target(label),
                "multiple": round(row["render_ms"] / bare, 2),
                "small_ms": before,
                "growth": round(row["render_ms"] / before, 2) if before else None,
            }
        )
    return rows


def check_targets(report: dict, largest: int) -> list[str]:
    misses = []
    big = report["volumes"][str(largest)]
    for label, row in big["pages"].items():
        if label.startswith("healthz") or label.startswith("grid_"):
            continue
        target = TARGET_RATIO.get(label, TARGET_RATIO["default"])
        if row["ratio"] < target:
            misses.append(f"{label}: ratio {row['ratio']} < {target}")
    for volume, data in report["volumes"].items():
        for label, row in data["pages"].items():
            if row["error_count"]:
                misses.append(f"{label} at {volume} accounts: {row['error_count']} errors")
    volumes = sorted(report["volumes"], key=int)
    if len(volumes) > 1:
        small, large = report["volumes"][volumes[0]], report["volumes"][volumes[-1]]
        for label, row in large["pages"].items():
            for key in ("queries", "render_queries"):
                before = small["pages"].get(label, {}).get(key)
                if before is not None and row.get(key) != before:
                    misses.append(
                        f"{label}: {before} {key} at {volumes[0]} accounts, "
                        f"{row[key]} at {volumes[-1]}"
                    )
    for row in report["first_renders"]:
        if row["ms"] > row["target_ms"]:
            misses.append(f"{row['page']}: first render {row['ms']} ms > {row['target_ms']}")
        if row["multiple"] > RENDER_MULTIPLE:
            misses.append(f"{row['page']}: first render {row['multiple']}x the bare page's")
        if row["growth"] is not None and len(volumes) > 1 and row["growth"] > RENDER_GROWTH:
            misses.append(
                f"{row['page']}: first render {row['growth']}x at {volumes[-1]} accounts "
                f"of {volumes[0]}'s"
            )
    for name, row in big["interactions"].items():
        if row["status"] != 200:
            misses.append(f"{name}: answered {row['status']}")
        if row["queries"] > INTERACTION_QUERIES:
            misses.append(f"{name}: {row['queries']} queries > {INTERACTION_QUERIES}")
        if row["ms"] > INTERACTION_MS:
            misses.append(f"{name}: {row['ms']} ms > {INTERACTION_MS}")
    return misses


def print_tables(report: dict, largest: int) -> None:
    for volume in sorted(report["volumes"], key=int, reverse=True):
        data = report["volumes"][volume]
        print(
            f"\n{volume} accounts (healthz mean {data['healthz_rps_mean']} req/s; "
            f"{report['config']['connections']} connections, {report['config']['seconds']} s each)"
        )
        print(
            f"{'page':16s} {'req/s':>8s} {'p50 ms':>8s} {'p95 ms':>8s} {'p99 ms':>8s} "
            f"{'errors':>6s} {'queries':>7s} {'ratio':>6s} {'target':>6s} "
            f"{'render: queries':>15s} {'ms':>6s}"
        )
        for label, row in data["pages"].items():
            lat = row["latency_ms"]
            target = ""
            if not label.startswith(("healthz", "grid_")):
                target = str(TARGET_RATIO.get(label, TARGET_RATIO["default"]))
            print(
                f"{label:16s} {row['rps']:8.1f} {lat['p50']:8.1f} {lat['p95']:8.1f} "
                f"{lat['p99']:8.1f} {row['error_count']:6d} {row.get('queries', '-')!s:>7s} "
                f"{row['ratio']:6.3f} {target:>6s} "
                f"{row.get('render_queries', '-')!s:>15s} {row.get('render_ms', '-')!s:>6s}"
            )
    volumes = sorted(report["volumes"], key=int)
    if len(volumes) > 1:
        small, large = (report["volumes"][v] for v in (volumes[0], volumes[-1]))
        print(f"\nGrowth: {volumes[0]} -> {volumes[-1]} accounts")
        print(
            f"{'page':16s} {'queries':>11s} {'ratio':>13s} {'p50 ms':>15s} "
            f"{'in-process ms':>15s} {'render: queries':>16s} {'render ms':>15s}"
        )
        for label, row in large["pages"].items():
            old = small["pages"].get(label)
            if not old or label.startswith("healthz"):
                continue
            print(
                f"{label:16s} {old['queries']:>4d} -> {row['queries']:<4d} "
                f"{old['ratio']:5.3f} -> {row['ratio']:5.3f} "
                f"{old['latency_ms']['p50']:6.1f} -> {row['latency_ms']['p50']:<6.1f} "
                f"{old['inprocess_ms']:6.1f} -> {row['inprocess_ms']:<6.1f} "
                f"{old['render_queries']:>7d} -> {row['render_queries']:<5d} "
                f"{old['render_ms']:6.1f} -> {row['render_ms']:<6.1f}"
            )
    print_first_renders(report, largest)
    pages = report["volumes"][str(largest)]["pages"]
    if "grid_10_tp" in pages:
        a, b = pages["grid_10_tp"], pages["grid_200_tp"]
        print("\nGrowth: touchpoint grid, one account with 10 -> 200 touchpoints this year")
        print(
            f"queries {a['queries']} -> {b['queries']}, req/s {a['rps']} -> {b['rps']}, "
            f"p50 {a['latency_ms']['p50']} -> {b['latency_ms']['p50']} ms, in-process "
            f"{a['inprocess_ms']} -> {b['inprocess_ms']} ms, HTML {a['bytes']} -> {b['bytes']} B; "
            f"full render: queries {a['render_queries']} -> {b['render_queries']}, "
            f"{a['render_ms']} -> {b['render_ms']} ms"
        )


def print_first_renders(report: dict, largest: int) -> None:
    print(
        f"\nFirst renders at {largest} accounts (fragment cache emptied; targets: "
        f"ms, <= {RENDER_MULTIPLE}x the bare page, <= {RENDER_GROWTH}x the smallest volume)"
    )
    print(f"{'page':16s} {'ms':>7s} {'target':>7s} {'x bare':>7s} {'smallest':>9s} {'growth':>7s}")
    print(f"{'bare':16s} {report['volumes'][str(largest)]['pages']['bare']['render_ms']:7.1f}")
    for row in report["first_renders"]:
        print(
            f"{row['page']:16s} {row['ms']:7.1f} {row['target_ms']:7.1f} {row['multiple']:7.2f} "
            f"{row['small_ms'] if row['small_ms'] is not None else '-'!s:>9s} "
            f"{row['growth'] if row['growth'] is not None else '-'!s:>7s}"
        )
    print(
        f"\nIn-place edits (htmx) by the lead (targets: <= {INTERACTION_QUERIES} queries, "
        f"<= {INTERACTION_MS} ms)"
    )
    print(f"{'volume':>7s} {'edit':16s} {'queries':>7s} {'ms':>7s}")
    for volume in sorted(report["volumes"], key=int, reverse=True):
        for name, row in report["volumes"][volume]["interactions"].items():
            print(f"{volume:>7s} {name:16s} {row['queries']:7d} {row['ms']:7.1f}")
