"""PromQL expressions of the dashboards and rule files, and checks on them.

An Expression knows where it came from (file and panel / rule), whether Grafana runs it as a
range or an instant query, and has Grafana's template variables replaced by concrete values
so a real Prometheus can parse it.
"""
import dataclasses
import json
import pathlib
import re
import time

import yaml

# Values for Grafana variables when checking an expression. A variable that is not here makes
# the check fail, so a new variable gets a deliberate test value.
DEFAULT_VARIABLES = {
    "tenant": ".+",
    "datasource": "prometheus",
    "__rate_interval": "2m",
    "__interval": "1m",
    "__interval_ms": "60000",
    "__range": "6h",
    "__range_s": "21600",
    "__range_ms": "21600000",
}

_VAR = re.compile(r"\$\{(\w+)(?::[^}]*)?\}|\[\[(\w+)(?::[^\]]*)?\]\]|\$(\w+)")


class UnknownVariable(ValueError):
    pass


def substitute(expr, variables=None):
    values = dict(DEFAULT_VARIABLES, **(variables or {}))

    def repl(m):
        name = m.group(1) or m.group(2) or m.group(3)
        if name not in values:
            raise UnknownVariable(f"no test value for Grafana variable ${name}")
        return values[name]

    return _VAR.sub(repl, expr)


@dataclasses.dataclass
class Expression:
    source: str          # "dashboards/x.json: panel 'ASR' A" or "alert_rules.yml: VoxoX"
    raw: str             # as written (may hold Grafana variables)
    range: bool = False  # Grafana runs it as a range query too
    instant: bool = True

    def promql(self, variables=None):
        return substitute(self.raw, variables)


# --- collecting ------------------------------------------------------------------------------
def _walk_panels(panels):
    for p in panels or []:
        yield p
        yield from _walk_panels(p.get("panels"))


_LABEL_VALUES = re.compile(r"^\s*label_values\((.*),\s*[A-Za-z_]\w*\s*\)\s*$", re.S)
_QUERY_RESULT = re.compile(r"^\s*query_result\((.*)\)\s*$", re.S)


def variable_query_expression(query):
    """The PromQL inside a Grafana Prometheus variable query, or None if it has none."""
    if isinstance(query, dict):
        query = query.get("query", "")
    m = _LABEL_VALUES.match(query or "")
    if m:
        return m.group(1)
    m = _QUERY_RESULT.match(query or "")
    if m:
        return m.group(1)
    return None


def from_dashboard(path):
    path = pathlib.Path(path)
    dash = json.loads(path.read_text(encoding="utf-8"))
    out = []
    for panel in _walk_panels(dash.get("panels")):
        for t in panel.get("targets") or []:
            if "expr" not in t:
                continue
            instant = bool(t.get("instant", False))
            rng = bool(t.get("range", not instant))
            out.append(Expression(f"{path.name}: panel {panel.get('title')!r} {t.get('refId')}",
                                  t["expr"], range=rng, instant=instant or not rng))
    for var in dash.get("templating", {}).get("list", []):
        if var.get("type") == "query":
            e = variable_query_expression(var.get("query"))
            if e is not None:
                out.append(Expression(f"{path.name}: variable ${var.get('name')}", e))
    return out


def load_rule_groups(path):
    doc = yaml.safe_load(pathlib.Path(path).read_text(encoding="utf-8")) or {}
    return doc.get("groups", [])


def from_rules(path):
    path = pathlib.Path(path)
    out = []
    for g in load_rule_groups(path):
        for r in g.get("rules", []):
            name = r.get("record") or r.get("alert")
            out.append(Expression(f"{path.name}: {g.get('name')}/{name}", r["expr"]))
    return out


def recorded_names(rule_paths):
    return {r["record"] for p in rule_paths for g in load_rule_groups(p)
            for r in g.get("rules", []) if "record" in r}


# --- static checks ---------------------------------------------------------------------------
_STRINGS = re.compile(r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'|`[^`]*`')
_BRACKETS = re.compile(r"\[[^\]]*\]")
_BRACES = re.compile(r"\{[^}]*\}")
_IDENT = re.compile(r"(?<![\w:.])([A-Za-z_:][\w:]*)")
_KEYWORDS = {
    "by", "without", "on", "ignoring", "group_left", "group_right", "bool", "offset", "and",
    "or", "unless", "inf", "nan", "atan2", "start", "end",
}


def metric_names(expr):
    """Series names an expression selects (best effort, no full PromQL parser): identifiers
    that are not functions, aggregations, keywords or label names."""
    text = _STRINGS.sub('""', expr)
    text = _BRACKETS.sub("", text)
    text = _BRACES.sub("{}", text)
    # Drop the label lists of by/without/on/ignoring/group_*: ( ... )
    text = re.sub(r"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)", " ", text)
    names = set()
    for m in _IDENT.finditer(text):
        word = m.group(1)
        rest = text[m.end():].lstrip()
        if word.lower() in _KEYWORDS or rest.startswith("("):
            continue   # a function or an aggregation
        names.add(word)
    return names


# --- checks against a running Prometheus -----------------------------------------------------
def check(prom, expressions, variables=None, now=None):
    """Runs every expression as Grafana would; returns a list of failure messages."""
    now = now or time.time()
    failures = []
    for e in expressions:
        try:
            q = e.promql(variables)
        except UnknownVariable as err:
            failures.append(f"{e.source}: {err}")
            continue
        replies = []
        if e.instant:
            replies.append(("instant", prom.query(q, at=now)))
        if e.range:
            replies.append(("range", prom.query_range(q, now - 3600, now, "60s")))
        for kind, reply in replies:
            if reply.get("status") != "success":
                failures.append(f"{e.source}: {kind} query failed: {reply.get('errorType')}: "
                                f"{reply.get('error')}\n    {q}")
    return failures
