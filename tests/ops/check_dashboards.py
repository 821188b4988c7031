#!/usr/bin/env python3
"""Structure of the Grafana dashboards in dashboards/: valid JSON in the current model, a
Prometheus `datasource` variable used by every panel and query, the `tenant` variable, unique
panel ids, panels inside the 24-column grid without overlapping, and each file equal to what
scripts/ops/make_dashboards.py generates. (Expressions: check_promql.py.)"""
import json
import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]
DS = {"type": "prometheus", "uid": "${datasource}"}


def walk(panels):
    for p in panels or []:
        yield p
        yield from walk(p.get("panels"))


def check_dashboard(path):
    errors = []
    err = errors.append
    try:
        dash = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as e:
        return [f"{path.name}: invalid JSON: {e}"]
    if not isinstance(dash.get("schemaVersion"), int) or dash["schemaVersion"] < 36:
        err(f"{path.name}: schemaVersion {dash.get('schemaVersion')} is not a current model")
    for key in ("uid", "title", "panels", "templating"):
        if not dash.get(key):
            err(f"{path.name}: no {key}")
    if dash.get("id") is not None:
        err(f"{path.name}: id must be null so Grafana can import it anywhere")

    variables = {v.get("name"): v for v in dash.get("templating", {}).get("list", [])}
    ds = variables.get("datasource")
    if not ds or ds.get("type") != "datasource" or ds.get("query") != "prometheus":
        err(f"{path.name}: needs a variable `datasource` of type datasource, query prometheus")
    tenant = variables.get("tenant")
    if not tenant or "label_values(voxo_tenant_info, tenant)" not in json.dumps(tenant):
        err(f"{path.name}: needs a variable `tenant` from label_values(voxo_tenant_info, tenant)")
    elif not (tenant.get("multi") and tenant.get("includeAll")):
        err(f"{path.name}: the tenant variable must be multi-select with All")
    for name, v in variables.items():
        if v.get("type") == "query" and v.get("datasource") != DS:
            err(f"{path.name}: variable {name} does not use ${{datasource}}")

    ids = set()
    cells = {}
    for p in walk(dash.get("panels")):
        title = p.get("title")
        if p.get("id") in ids:
            err(f"{path.name}: duplicate panel id {p.get('id')}")
        ids.add(p.get("id"))
        g = p.get("gridPos", {})
        if not all(isinstance(g.get(k), int) for k in "hwxy") or g["x"] + g["w"] > 24:
            err(f"{path.name}: panel {title!r}: bad gridPos {g}")
        else:
            for x in range(g["x"], g["x"] + g["w"]):
                for y in range(g["y"], g["y"] + g["h"]):
                    if (x, y) in cells:
                        err(f"{path.name}: panel {title!r} overlaps {cells[(x, y)]!r}")
                        break
                    cells[(x, y)] = title
                else:
                    continue
                break
        if p.get("type") == "row":
            continue   # rows group panels and run no query
        if p.get("datasource") != DS:
            err(f"{path.name}: panel {title!r}: datasource is not ${{datasource}}")
        if not p.get("targets"):
            err(f"{path.name}: panel {title!r}: no query")
        for t in p.get("targets") or []:
            if t.get("datasource") != DS:
                err(f"{path.name}: panel {title!r} {t.get('refId')}: datasource is not "
                    f"${{datasource}}")
            if not t.get("expr"):
                err(f"{path.name}: panel {title!r} {t.get('refId')}: empty expression")
    return errors


def main():
    paths = sorted((ROOT / "dashboards").glob("*.json"))
    errors = [] if paths else ["no dashboards in dashboards/"]
    for p in paths:
        errors += check_dashboard(p)
    gen = subprocess.run([sys.executable, str(ROOT / "scripts/ops/make_dashboards.py"), "--check"],
                         capture_output=True, text=True)
    if gen.returncode != 0:
        errors.append(gen.stderr.strip() or "make_dashboards.py --check failed")
    for e in errors:
        print("FAIL " + e, file=sys.stderr)
    print(f"{len(paths)} dashboards, {len(errors)} problems")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
