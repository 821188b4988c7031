#!/usr/bin/env python3
"""Structure of the deployment files: every YAML under deploy/ (multi-document aware) and
every JSON under dashboards/ parses; the Kubernetes objects have apiVersion/kind/name and fit
together (ServiceMonitor -> Service -> pods by labels and port name, mounts -> volumes, the
ConfigMap's config.yml lists `tenants` and points token_file / state_file into mounted
volumes); the pod is non-root with a read-only root filesystem, probes and resources; the
Grafana provisioning and the Prometheus example config point at what exists."""
import json
import pathlib
import sys

import yaml

ROOT = pathlib.Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
errors = []


def fail(msg):
    errors.append(msg)


def rel(p):
    return str(p.relative_to(ROOT))


def load_all():
    docs = {}
    for p in sorted(list(DEPLOY.rglob("*.yml")) + list(DEPLOY.rglob("*.yaml"))):
        try:
            docs[p] = [d for d in yaml.safe_load_all(p.read_text(encoding="utf-8"))
                       if d is not None]
        except yaml.YAMLError as e:
            fail(f"{rel(p)}: invalid YAML: {e}")
    for p in sorted((ROOT / "dashboards").glob("*.json")):
        try:
            json.loads(p.read_text(encoding="utf-8"))
        except ValueError as e:
            fail(f"{rel(p)}: invalid JSON: {e}")
    return docs


def labels_match(selector, labels):
    return bool(selector) and all(labels.get(k) == v for k, v in selector.items())


def under(path, mounts):
    return any(path == m or path.startswith(m.rstrip("/") + "/") for m in mounts)


def check_kubernetes(docs):
    kdir = DEPLOY / "kubernetes"
    objs = []
    for p, ds in docs.items():
        if kdir not in p.parents:
            continue
        for d in ds:
            if not isinstance(d, dict) or not d.get("apiVersion") or not d.get("kind"):
                fail(f"{rel(p)}: a document without apiVersion/kind")
                continue
            if d["kind"] != "Kustomization" and not d.get("metadata", {}).get("name"):
                fail(f"{rel(p)}: {d['kind']} without metadata.name")
            objs.append((p, d))
    by_kind = {}
    for p, d in objs:
        by_kind.setdefault(d["kind"], []).append(d)
    for kind in ("ConfigMap", "Secret", "Service", "ServiceMonitor"):
        if len(by_kind.get(kind, [])) != 1:
            fail(f"kubernetes: expected one {kind}, found {len(by_kind.get(kind, []))}")
    workloads = by_kind.get("StatefulSet", []) + by_kind.get("Deployment", [])
    if len(workloads) != 1:
        fail(f"kubernetes: expected one StatefulSet or Deployment, found {len(workloads)}")
    if errors:
        return
    cm, secret, svc, sm = (by_kind[k][0] for k in ("ConfigMap", "Secret", "Service",
                                                    "ServiceMonitor"))
    wl = workloads[0]

    # kustomization lists every file
    for p, d in objs:
        if d["kind"] == "Kustomization":
            for r in d.get("resources", []):
                if not (kdir / r).exists():
                    fail(f"kustomization.yaml: resource {r} does not exist")
            listed = set(d.get("resources", []))
            for f in kdir.glob("*.y*ml"):
                if f.name != "kustomization.yaml" and f.name not in listed:
                    fail(f"kustomization.yaml does not list {f.name}")

    if sm["apiVersion"] != "monitoring.coreos.com/v1":
        fail(f"ServiceMonitor apiVersion {sm['apiVersion']}")
    svc_ports = {p.get("name"): p for p in svc["spec"].get("ports", [])}
    for ep in sm["spec"].get("endpoints", []):
        if ep.get("port") not in svc_ports:
            fail(f"ServiceMonitor port {ep.get('port')!r} is not a Service port name "
                 f"({sorted(svc_ports)})")
    if not labels_match(sm["spec"].get("selector", {}).get("matchLabels"),
                        svc["metadata"].get("labels", {})):
        fail("ServiceMonitor selector does not match the Service's labels")

    spec = wl["spec"]
    # replicas vs --shard.count (calls counted once per unsharded replica): check_kubernetes.py
    pod_labels = spec["template"]["metadata"].get("labels", {})
    if not labels_match(svc["spec"].get("selector"), pod_labels):
        fail("Service selector does not match the pod labels")
    if not labels_match(spec.get("selector", {}).get("matchLabels"), pod_labels):
        fail(f"{wl['kind']} selector does not match its pod labels")
    pod = spec["template"]["spec"]
    containers = pod.get("containers", [])
    if len(containers) != 1:
        fail("expected one container")
        return
    c = containers[0]
    cports = {p.get("name"): p for p in c.get("ports", [])}
    for name, sp in svc_ports.items():
        target = sp.get("targetPort", sp.get("port"))
        if isinstance(target, str) and target not in cports:
            fail(f"Service port {name}: targetPort {target!r} is not a container port name")
        elif isinstance(target, int) and target not in {p.get("containerPort")
                                                       for p in cports.values()}:
            fail(f"Service port {name}: targetPort {target} is not a container port")
    if 10368 not in {p.get("containerPort") for p in cports.values()}:
        fail("the container does not expose 10368")

    psc, csc = pod.get("securityContext", {}), c.get("securityContext", {})
    if not (psc.get("runAsNonRoot") or csc.get("runAsNonRoot")):
        fail("runAsNonRoot is not set")
    if (csc.get("runAsUser", psc.get("runAsUser")) or 0) == 0:
        fail("runAsUser must be a non-zero uid")
    if csc.get("readOnlyRootFilesystem") is not True:
        fail("readOnlyRootFilesystem is not true")
    if csc.get("allowPrivilegeEscalation") is not False:
        fail("allowPrivilegeEscalation is not false")
    if "ALL" not in csc.get("capabilities", {}).get("drop", []):
        fail("capabilities are not all dropped")
    for probe, path in (("livenessProbe", "/-/healthy"), ("readinessProbe", "/-/ready")):
        got = c.get(probe, {}).get("httpGet", {}).get("path")
        if got != path:
            fail(f"{probe} path is {got!r}, expected {path}")
    res = c.get("resources", {})
    if not res.get("requests") or not res.get("limits", {}).get("memory"):
        fail("resources need requests and a memory limit")

    volumes = {v["name"]: v for v in pod.get("volumes", [])}
    claims = {t["metadata"]["name"] for t in spec.get("volumeClaimTemplates", [])}
    mounts = {}
    for m in c.get("volumeMounts", []):
        if m["name"] not in volumes and m["name"] not in claims:
            fail(f"volumeMount {m['name']} has no volume")
        mounts[m["name"]] = m["mountPath"]
    cm_vol = [n for n, v in volumes.items()
              if v.get("configMap", {}).get("name") == cm["metadata"]["name"]]
    secret_vol = [n for n, v in volumes.items()
                  if v.get("secret", {}).get("secretName") == secret["metadata"]["name"]]
    if not cm_vol or not secret_vol:
        fail("the ConfigMap and the Secret must both be mounted")
        return

    # The configuration itself
    text = cm.get("data", {}).get("config.yml")
    if not text:
        fail("ConfigMap has no data.config.yml")
        return
    config = yaml.safe_load(text)
    if not isinstance(config, dict) or "tenants" not in config:
        fail("ConfigMap config.yml has no `tenants`")
        return
    unknown = set(config) - {"api", "collector", "tenants"}
    if unknown:
        fail(f"config.yml: unknown top-level keys {sorted(unknown)} (the loader is strict)")
    config_path = next((a.split("=", 1)[1] for a in c.get("args", []) + c.get("command", [])
                        if a.startswith("--config.file=")), None)
    if config_path is None or not under(config_path, [mounts[cm_vol[0]]]):
        fail(f"--config.file={config_path} is not inside the ConfigMap mount")
    token_file = config.get("api", {}).get("token_file")
    if token_file is None or not under(token_file, [mounts[secret_vol[0]]]):
        fail(f"api.token_file {token_file} is not inside the Secret mount")
    elif pathlib.PurePosixPath(token_file).name not in secret.get("stringData", {}) \
            and pathlib.PurePosixPath(token_file).name not in secret.get("data", {}):
        fail(f"the Secret has no key {pathlib.PurePosixPath(token_file).name}")
    state = config.get("collector", {}).get("state_file")
    writable = [mounts[n] for n in mounts if n in claims or "emptyDir" in volumes.get(n, {})
                or "persistentVolumeClaim" in volumes.get(n, {})]
    if state is None or not under(state, writable):
        fail(f"collector.state_file {state} is not on a writable volume")


def check_grafana(docs):
    gdir = DEPLOY / "grafana/provisioning"
    ds = [d for p, dd in docs.items() if gdir / "datasources" in p.parents for d in dd]
    dash = [d for p, dd in docs.items() if gdir / "dashboards" in p.parents for d in dd]
    if not any(s.get("type") == "prometheus" for d in ds for s in d.get("datasources", [])):
        fail("grafana provisioning: no prometheus data source")
    providers = [pr for d in dash for pr in d.get("providers", [])]
    if not any(pr.get("type") == "file" and pr.get("options", {}).get("path")
               for pr in providers):
        fail("grafana provisioning: no file dashboard provider with options.path")
    for d in ds + dash:
        if d.get("apiVersion") != 1:
            fail("grafana provisioning files need apiVersion: 1")


def check_prometheus(docs):
    path = DEPLOY / "prometheus/prometheus.yml"
    cfg = docs.get(path, [{}])[0]
    jobs = {j.get("job_name"): j for j in cfg.get("scrape_configs", [])}
    job = jobs.get("voxo")
    if not job:
        fail("prometheus.yml: no job voxo")
    else:
        if job.get("scrape_interval") != "30s":
            fail("prometheus.yml: job voxo must scrape every 30s")
        targets = [t for sc in job.get("static_configs", []) for t in sc.get("targets", [])]
        if not any(t.endswith(":10368") for t in targets):
            fail("prometheus.yml: job voxo does not target port 10368")
    for f in cfg.get("rule_files", []):
        if not (path.parent / f).exists():
            fail(f"prometheus.yml: rule file {f} does not exist")


def main():
    docs = load_all()
    check_kubernetes(docs)
    check_grafana(docs)
    check_prometheus(docs)
    for e in errors:
        print("FAIL " + e, file=sys.stderr)
    print(f"{len(docs)} YAML files; {len(errors)} problems")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
