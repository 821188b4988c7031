"""Helpers for the operators' kit checks (tests/ops): a throw-away real Prometheus server,
PromQL expressions collected from dashboards and rule files, and the exporter's metric
contract. Standard library + PyYAML only, so they run on a bare Debian 12."""
