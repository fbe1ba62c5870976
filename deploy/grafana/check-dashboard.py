#!/usr/bin/env python3
"""Checks a Grafana dashboard JSON the way Grafana would need it, without a
Grafana (run by ctest as deploy_grafana_dashboard):

 - the file is JSON, without duplicate keys;
 - uid, title and schemaVersion are set; panel ids are unique;
 - every panel has a gridPos inside the 24-column grid, and no two panels
   overlap;
 - every panel but rows queries the datasource variable, and every target
   has an expr and a refId unique within its panel;
 - every $variable in a query is a templating variable or a Grafana built-in;
 - the datasource variable defaults to the uid the provisioning file gives
   the datasource.

Whether the queries return data is the e2e test's job
(tests/integration/operator_kit_e2e_test.cc, against a real Prometheus).

Usage: check-dashboard.py DASHBOARD_JSON DATASOURCE_PROVISIONING_YAML
"""
import json
import re
import sys

BUILTINS = {"__rate_interval", "__interval", "__interval_ms", "__range", "__range_s",
            "__range_ms", "__from", "__to", "__all", "__dashboard", "__name", "__org",
            "__user"}
VARIABLE = re.compile(r"\$(?:\{(\w+)(?::\w+)?\}|(\w+)|\[\[(\w+)\]\])")

failures = []


def fail(message):
    failures.append(message)


def no_duplicate_keys(pairs):
    keys = [key for key, _ in pairs]
    for key in set(keys):
        if keys.count(key) > 1:
            fail(f"duplicate key {key!r}")
    return dict(pairs)


def walk(panels):
    for panel in panels:
        yield panel
        yield from walk(panel.get("panels", []))


def check_grid(panels):
    cells = {}
    for panel in panels:
        name = f"panel {panel.get('id')} ({panel.get('title')!r})"
        grid = panel.get("gridPos")
        if not isinstance(grid, dict) or not all(
                isinstance(grid.get(k), int) for k in ("h", "w", "x", "y")):
            fail(f"{name}: gridPos needs integer h, w, x, y")
            continue
        if grid["w"] < 1 or grid["h"] < 1 or grid["x"] < 0 or grid["y"] < 0 or \
                grid["x"] + grid["w"] > 24:
            fail(f"{name}: gridPos {grid} is outside the 24-column grid")
            continue
        if panel.get("type") == "row" and (grid["w"] != 24 or grid["h"] != 1 or grid["x"] != 0):
            fail(f"{name}: a row spans the grid: x 0, w 24, h 1")
        for x in range(grid["x"], grid["x"] + grid["w"]):
            for y in range(grid["y"], grid["y"] + grid["h"]):
                if (x, y) in cells:
                    fail(f"{name}: overlaps {cells[(x, y)]} at x {x}, y {y}")
                    break
                cells[(x, y)] = name
            else:
                continue
            break


def check_panel(panel, variables, datasource_ref):
    name = f"panel {panel.get('id')} ({panel.get('title')!r})"
    if not panel.get("title"):
        fail(f"{name}: no title")
    if panel.get("datasource") != datasource_ref:
        fail(f"{name}: datasource is {panel.get('datasource')}, not {datasource_ref}")
    targets = panel.get("targets")
    if not targets:
        fail(f"{name}: no targets")
        return
    ref_ids = set()
    for target in targets:
        ref_id = target.get("refId")
        expr = target.get("expr")
        if not ref_id:
            fail(f"{name}: a target without refId")
        elif ref_id in ref_ids:
            fail(f"{name}: refId {ref_id} twice")
        ref_ids.add(ref_id)
        if not isinstance(expr, str) or not expr.strip():
            fail(f"{name}: target {ref_id} has no expr")
            continue
        if target.get("datasource", datasource_ref) != datasource_ref:
            fail(f"{name}: target {ref_id} queries another datasource")
        for match in VARIABLE.finditer(expr):
            used = next(group for group in match.groups() if group)
            if used not in variables and used not in BUILTINS:
                fail(f"{name}: target {ref_id} uses ${used}, which is no variable")


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    with open(sys.argv[1], encoding="utf-8") as file:
        dashboard = json.load(file, object_pairs_hook=no_duplicate_keys)
    with open(sys.argv[2], encoding="utf-8") as file:
        provisioned_uids = re.findall(r"^\s*uid:\s*(\S+)\s*$", file.read(), re.MULTILINE)

    for key in ("uid", "title"):
        if not dashboard.get(key):
            fail(f"dashboard: no {key}")
    if not isinstance(dashboard.get("schemaVersion"), int) or dashboard["schemaVersion"] < 36:
        fail("dashboard: schemaVersion must be 36 or later (Grafana 9+ datasource references)")

    templating = dashboard.get("templating", {}).get("list", [])
    variables = {variable.get("name"): variable for variable in templating}
    source = [v for v in templating if v.get("type") == "datasource"]
    if len(source) != 1 or source[0].get("query") != "prometheus":
        fail("templating: needs exactly one datasource variable of type prometheus")
        datasource_ref = None
    else:
        datasource_ref = {"type": "prometheus", "uid": "${" + source[0]["name"] + "}"}
        default = source[0].get("current", {}).get("value")
        if default not in provisioned_uids:
            fail(f"templating: datasource default {default!r} is not a provisioned uid "
                 f"{provisioned_uids}")
    for variable in templating:
        if variable.get("type") == "query":
            if variable.get("datasource") != datasource_ref:
                fail(f"variable {variable.get('name')}: datasource is not {datasource_ref}")
            if not re.fullmatch(r"label_values\(.+,\s*\w+\)", str(variable.get("query"))):
                fail(f"variable {variable.get('name')}: query is not label_values(SELECTOR, LABEL)")

    panels = list(walk(dashboard.get("panels", [])))
    if not panels:
        fail("dashboard: no panels")
    ids = [panel.get("id") for panel in panels]
    for panel_id in set(ids):
        if not isinstance(panel_id, int) or panel_id < 1:
            fail(f"panel id {panel_id!r} is not a positive integer")
        elif ids.count(panel_id) > 1:
            fail(f"panel id {panel_id} is used {ids.count(panel_id)} times")
    check_grid(panels)
    for panel in panels:
        if panel.get("type") != "row":
            check_panel(panel, variables, datasource_ref)

    for message in failures:
        print(f"FAIL: {message}")
    if failures:
        sys.exit(1)
    queries = sum(len(panel.get("targets", [])) for panel in panels)
    print(f"ok: {len(panels)} panels, {queries} queries, {len(templating)} variables")


if __name__ == "__main__":
    main()
