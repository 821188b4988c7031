#!/usr/bin/env python3
"""The sharded Kubernetes set-up (deploy/kubernetes/) as kustomize renders it, without a
cluster: the StatefulSet's replicas equal its --shard.count (wired by the kustomization, so a
change of `replicas` changes both) and no --shard.index is fixed (each pod takes its ordinal);
serviceName names a headless Service that selects the pods; the ServiceMonitor selects that
Service and scrapes a port of it that reaches the container port the exporter listens on
(--web.listen-address); the probes and the scrape path answer on a real exporter; the
PodDisruptionBudget selects the pods; the state file is on the volumeClaimTemplate; and the
ConfigMap's config.yml passes `voxo_exporter --config.check`.

Rendering uses `kubectl kustomize` when kubectl is installed, else this script applies the
kustomization's `replicas` and `replacements` itself (the subset the kit uses)."""
import argparse
import pathlib
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

import yaml

ROOT = pathlib.Path(__file__).resolve().parents[2]
KDIR = ROOT / "deploy/kubernetes"
errors = []


def fail(msg):
    errors.append(msg)


# --- rendering -------------------------------------------------------------------------------

def render_with_kubectl(kubectl):
    out = subprocess.run([kubectl, "kustomize", str(KDIR)], capture_output=True, text=True,
                         timeout=60, check=False)
    if out.returncode != 0:
        sys.exit(f"kubectl kustomize failed: {out.stderr.strip()}")
    return [d for d in yaml.safe_load_all(out.stdout) if d]


def path_steps(field_path):
    """'a.b.[name=x].c.[=v]' -> ['a', 'b', '[name=x]', 'c', '[=v]'] (dots inside [] kept)."""
    steps, cur, depth = [], "", 0
    for ch in field_path:
        if ch == "." and depth == 0:
            steps.append(cur)
            cur = ""
            continue
        depth += ch == "["
        depth -= ch == "]"
        cur += ch
    steps.append(cur)
    return steps


def locate(node, steps):
    """(parent, key) of the field, or None."""
    for i, step in enumerate(steps):
        if step.startswith("["):
            key, _, value = step[1:-1].partition("=")
            if not isinstance(node, list):
                return None
            idx = next((j for j, item in enumerate(node)
                        if (item == value if key == "" else
                            isinstance(item, dict) and str(item.get(key)) == value)), None)
            if idx is None:
                return None
            step = idx
        elif isinstance(node, list):
            step = int(step)
        elif not isinstance(node, dict) or step not in node:
            return None
        if i == len(steps) - 1:
            return node, step
        node = node[step]
    return None


def selects(select, doc):
    return all(doc.get(k) == v if k != "name" else doc["metadata"]["name"] == v
               for k, v in select.items())


def render_by_hand():
    kust = yaml.safe_load((KDIR / "kustomization.yaml").read_text(encoding="utf-8"))
    docs = [d for r in kust.get("resources", [])
            for d in yaml.safe_load_all((KDIR / r).read_text(encoding="utf-8")) if d]
    for rep in kust.get("replicas", []):
        for d in docs:
            if d["metadata"]["name"] == rep["name"] and "replicas" in d.get("spec", {}):
                d["spec"]["replicas"] = rep["count"]
    for r in kust.get("replacements", []):
        wanted = {k: v for k, v in r["source"].items() if k in ("kind", "name")}
        src = next((d for d in docs if selects(wanted, d)), None)
        found = src and locate(src, path_steps(r["source"]["fieldPath"]))
        if not found:
            sys.exit(f"kustomization: replacement source {r['source']} not found")
        value = found[0][found[1]]
        for t in r["targets"]:
            for d in (d for d in docs if selects(t["select"], d)):
                for fp in t["fieldPaths"]:
                    loc = locate(d, path_steps(fp))
                    if not loc:
                        sys.exit(f"kustomization: replacement target {fp} not found")
                    parent, key = loc
                    opts = t.get("options", {})
                    if "delimiter" in opts:
                        parts = str(parent[key]).split(opts["delimiter"])
                        parts[opts.get("index", 0)] = str(value)
                        parent[key] = opts["delimiter"].join(parts)
                    else:
                        parent[key] = value
    return docs


# --- checks ----------------------------------------------------------------------------------

def one(docs, kind):
    found = [d for d in docs if d.get("kind") == kind]
    if len(found) != 1:
        sys.exit(f"expected one {kind}, found {len(found)}")
    return found[0]


def labels_match(selector, labels):
    return bool(selector) and all(labels.get(k) == v for k, v in selector.items())


def flag(args, name):
    values = [a.split("=", 1)[1] for a in args if a.startswith(f"--{name}=")]
    return values[-1] if values else None


def check_manifests(docs):
    sts, cm = one(docs, "StatefulSet"), one(docs, "ConfigMap")
    sm, pdb = one(docs, "ServiceMonitor"), one(docs, "PodDisruptionBudget")
    spec = sts["spec"]
    pod_labels = spec["template"]["metadata"]["labels"]
    pod = spec["template"]["spec"]
    c = pod["containers"][0]
    args = c.get("command", []) + c.get("args", [])

    # replicas == --shard.count, index from the ordinal
    replicas = spec.get("replicas", 1)
    count = flag(args, "shard.count")
    if count is None or not count.isdigit() or int(count) != replicas:
        fail(f"--shard.count={count} but replicas: {replicas} (the kustomization must wire them)")
    if replicas < 2:
        fail(f"replicas: {replicas}: the shipped set-up is a sharded one")
    if flag(args, "shard.index") is not None:
        fail("--shard.index is fixed: every pod would take the same shard (leave it to the ordinal)")
    env = {e["name"]: e for e in c.get("env", [])}
    if env.get("POD_NAME", {}).get("valueFrom", {}).get("fieldRef", {}).get("fieldPath") != \
            "metadata.name":
        fail("POD_NAME must come from the downward API (metadata.name): the shard index")

    # serviceName -> headless Service selecting the pods
    svcs = {d["metadata"]["name"]: d for d in docs if d.get("kind") == "Service"}
    svc = svcs.get(spec.get("serviceName"))
    if svc is None:
        fail(f"serviceName {spec.get('serviceName')!r} names no Service ({sorted(svcs)})")
        return
    if svc["spec"].get("clusterIP") != "None":
        fail(f"Service {svc['metadata']['name']} is not headless (clusterIP: None)")
    if not labels_match(svc["spec"].get("selector"), pod_labels):
        fail("the headless Service does not select the pods")
    if not labels_match(spec.get("selector", {}).get("matchLabels"), pod_labels):
        fail("the StatefulSet selector does not match its pod labels")
    if not labels_match(pdb["spec"].get("selector", {}).get("matchLabels"), pod_labels):
        fail("the PodDisruptionBudget does not select the pods")
    if pdb["spec"].get("maxUnavailable") != 1 and "minAvailable" not in pdb["spec"]:
        fail("the PodDisruptionBudget should allow one pod (one shard) down at a time")

    # ServiceMonitor -> Service port -> container port == --web.listen-address
    if not labels_match(sm["spec"].get("selector", {}).get("matchLabels"),
                        svc["metadata"].get("labels", {})):
        fail("the ServiceMonitor does not select the headless Service")
    ns = sm["spec"].get("namespaceSelector", {}).get("matchNames")
    if ns and svc["metadata"].get("namespace") not in ns:
        fail("the ServiceMonitor's namespaceSelector excludes the Service")
    cports = {p["name"]: p["containerPort"] for p in c.get("ports", [])}
    listen = flag(args, "web.listen-address") or ":10368"
    listen_port = int(listen.rsplit(":", 1)[1])
    svc_ports = {p["name"]: p for p in svc["spec"].get("ports", [])}
    endpoints = sm["spec"].get("endpoints", [])
    if not endpoints:
        fail("the ServiceMonitor has no endpoints")
    for ep in endpoints:
        sp = svc_ports.get(ep.get("port"))
        if sp is None:
            fail(f"ServiceMonitor port {ep.get('port')!r} is not a Service port ({sorted(svc_ports)})")
            continue
        target = sp.get("targetPort", sp["port"])
        target = cports.get(target) if isinstance(target, str) else target
        if target != listen_port:
            fail(f"ServiceMonitor port {ep['port']} reaches container port {target}, the exporter "
                 f"listens on {listen_port}")
    for probe in ("livenessProbe", "readinessProbe"):
        port = c.get(probe, {}).get("httpGet", {}).get("port")
        if (cports.get(port) if isinstance(port, str) else port) != listen_port:
            fail(f"{probe} port {port!r} is not the port the exporter listens on")

    # state file on the claim template
    claims = {t["metadata"]["name"] for t in spec.get("volumeClaimTemplates", [])}
    config = yaml.safe_load(cm["data"]["config.yml"])
    state = config.get("collector", {}).get("state_file", "")
    on_claim = [m for m in c.get("volumeMounts", []) if m["name"] in claims
                and state.startswith(m["mountPath"].rstrip("/") + "/")]
    if not on_claim:
        fail(f"collector.state_file {state!r} is not on a volumeClaimTemplate")

    sc = c.get("securityContext", {})
    if not (pod.get("securityContext", {}).get("runAsNonRoot") or sc.get("runAsNonRoot")):
        fail("the pod must run as non-root")
    if sc.get("readOnlyRootFilesystem") is not True:
        fail("the root filesystem must be read-only")
    res = c.get("resources", {})
    if not res.get("requests", {}).get("memory") or not res.get("limits", {}).get("memory"):
        fail("memory request and limit are needed (deploy/SIZING.md, \"Sizing\")")
    return {"config": cm["data"]["config.yml"],
            "paths": [c[p]["httpGet"]["path"] for p in ("livenessProbe", "readinessProbe")]
            + [ep.get("path", "/metrics") for ep in endpoints]}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def status(url):
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return r.status
    except urllib.error.HTTPError as e:
        return e.code
    except OSError:
        return None


def check_with_exporter(exporter, found):
    with tempfile.TemporaryDirectory() as tmp:
        path = pathlib.Path(tmp) / "config.yml"
        path.write_text(found["config"], encoding="utf-8")
        out = subprocess.run([exporter, "--config.check", f"--config.file={path}"],
                             capture_output=True, text=True, timeout=60, check=False)
        if out.returncode != 0:
            fail(f"the ConfigMap's config.yml fails --config.check: "
                 f"{(out.stderr or out.stdout).strip()}")

    # Demo mode (no config file) serves the same paths; the pod's probes and scrape hit these.
    port = free_port()
    proc = subprocess.Popen([exporter, f"--web.listen-address=127.0.0.1:{port}", "--log.level=warn"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while status(base + "/-/healthy") is None and time.monotonic() < deadline:
            time.sleep(0.1)
        if status(base + "/no-such-path") != 404:
            fail("the exporter does not answer 404 to an unknown path: the path check means nothing")
        for p in found["paths"]:
            code = status(base + p)
            # /-/ready answers 503 until every tenant was polled once: a real path all the same.
            if code not in (200, 503):
                fail(f"{p} (a probe or the scrape path) answers {code} on the exporter")
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--exporter", required=True, help="the voxo_exporter binary")
    ap.add_argument("--kubectl", default=shutil.which("kubectl"))
    a = ap.parse_args()
    if a.kubectl:
        docs, how = render_with_kubectl(a.kubectl), "kubectl kustomize"
    else:
        docs, how = render_by_hand(), "this script (kubectl not found)"
    found = check_manifests(docs)
    if found:
        check_with_exporter(a.exporter, found)
    for e in errors:
        print("FAIL " + e, file=sys.stderr)
    print(f"{len(docs)} objects rendered by {how}; {len(errors)} problems")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
