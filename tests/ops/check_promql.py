#!/usr/bin/env python3
"""Every PromQL expression of the dashboards and rule files must run on a real Prometheus.

promtool has no offline query parser, so this starts `prometheus` (temporary data folder,
127.0.0.1, a free port) with the rule files loaded, and sends each expression to
/api/v1/query (and /api/v1/query_range for dashboard graphs), Grafana variables replaced by
test values. It also checks, without Prometheus, that every recorded name (level:metric:op)
an expression uses is defined by the rule files, and every other series name is part of the
exporter's metric contract (opslib/contract.py), since a misspelt name still "succeeds".

With --target HOST:PORT the same Prometheus also scrapes a running exporter as job "voxo"
and waits until the scrape succeeds, for checks against live data (see --require-data).

Exit status: 0 = all good, 1 = a check failed, 2 = Prometheus could not be started.
"""
import argparse
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))

from opslib import contract, expressions  # noqa: E402
from opslib.prometheus import PrometheusError, PrometheusServer  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parents[2]


def static_failures(exprs, recorded):
    failures = []
    for e in exprs:
        for name in sorted(expressions.metric_names(e.raw)):
            if ":" in name:
                if name not in recorded:
                    failures.append(f"{e.source}: uses {name}, which no rule records")
            elif not contract.is_known(name):
                failures.append(f"{e.source}: uses {name}, which is not in the metric contract")
    return failures


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--prometheus", default="prometheus", help="prometheus binary")
    ap.add_argument("--rules", nargs="*", type=pathlib.Path,
                    default=sorted((ROOT / "deploy/prometheus").glob("*_rules.yml")))
    ap.add_argument("--dashboards", nargs="*", type=pathlib.Path,
                    default=sorted((ROOT / "dashboards").glob("*.json")))
    ap.add_argument("--target", action="append", default=[],
                    help="also scrape this exporter (HOST:PORT) as job voxo")
    ap.add_argument("--require-data", action="store_true",
                    help="with --target: every raw contract series name must have data")
    ap.add_argument("--var", action="append", default=[], metavar="NAME=VALUE",
                    help="value for a Grafana variable (default: tenant=.+ etc.)")
    args = ap.parse_args()

    variables = dict(v.split("=", 1) for v in args.var)
    exprs = []
    for p in args.rules:
        exprs += expressions.from_rules(p)
    rule_count = len(exprs)
    for p in args.dashboards:
        exprs += expressions.from_dashboard(p)
    if not exprs:
        print("no expressions found", file=sys.stderr)
        return 1

    failures = static_failures(exprs, expressions.recorded_names(args.rules))
    try:
        with PrometheusServer(binary=args.prometheus, rule_files=args.rules,
                              targets=args.target) as prom:
            groups = prom.wait_rules_evaluated()
            loaded = sum(len(g["rules"]) for g in groups)
            if loaded != rule_count:
                failures.append(f"prometheus loaded {loaded} rules, the files hold {rule_count}")
            for g in groups:
                for r in g["rules"]:
                    if r.get("health") == "err":
                        failures.append(f"rule {g['name']}/{r['name']}: {r.get('lastError')}")
            if args.target:
                prom.wait_targets_up()
            failures += expressions.check(prom, exprs, variables)
            if args.require_data:
                for name in sorted(contract.series_names()):
                    reply = prom.query(f"count({name})")
                    if not reply.get("data", {}).get("result"):
                        failures.append(f"no data for {name} from {args.target}")
    except PrometheusError as e:
        print(f"cannot run prometheus: {e}", file=sys.stderr)
        return 2

    for f in failures:
        print("FAIL " + f, file=sys.stderr)
    print(f"{len(exprs)} expressions from {len(args.rules)} rule files and "
          f"{len(args.dashboards)} dashboards; {len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
