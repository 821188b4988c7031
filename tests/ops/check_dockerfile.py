#!/usr/bin/env python3
"""deploy/container/Dockerfile without a Docker engine: it parses into instructions, every
COPY --from names an earlier stage, the stages are debian:bookworm-slim, the build stage
installs the project's -dev packages and uses `cmake --preset release`, local COPY sources
exist, and the runtime stage runs as a non-root user, exposes 10368 and starts voxo_exporter
with --config.file=/etc/voxo_exporter/config.yml."""
import json
import pathlib
import re
import shlex
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]
DOCKERFILE = ROOT / "deploy/container/Dockerfile"
BUILD_PACKAGES = ["build-essential", "cmake", "libboost1.81-all-dev", "libboost-json1.81-dev",
                  "prometheus-cpp-dev", "libyaml-cpp-dev", "libhowardhinnant-date-dev",
                  "libssl-dev", "zlib1g-dev", "libcrypt-dev"]
RUNTIME_PACKAGES = ["ca-certificates", "tzdata"]   # zone database and CA store at run time
KNOWN = {"FROM", "RUN", "CMD", "LABEL", "EXPOSE", "ENV", "ADD", "COPY", "ENTRYPOINT", "VOLUME",
         "USER", "WORKDIR", "ARG", "ONBUILD", "STOPSIGNAL", "HEALTHCHECK", "SHELL"}


def instructions(text):
    """(line number, INSTRUCTION, arguments) with continuation lines joined."""
    out, buf, start = [], "", 0
    for n, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if not buf and (not stripped or stripped.startswith("#")):
            continue
        if buf and stripped.startswith("#"):
            continue   # comments inside a continued instruction are dropped by Docker
        if not buf:
            start = n
        if stripped.endswith("\\"):
            buf += stripped[:-1] + " "
            continue
        buf += stripped
        word, _, args = buf.partition(" ")
        out.append((start, word.upper(), args.strip()))
        buf = ""
    if buf:
        out.append((start, "<unterminated>", buf))
    return out


def main():
    errors = []
    stages = []   # (name or None, base, [instructions])
    for n, ins, args in instructions(DOCKERFILE.read_text()):
        if ins not in KNOWN:
            errors.append(f"line {n}: unknown instruction {ins}")
            continue
        if ins == "FROM":
            m = re.match(r"(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?$", args, re.I)
            if not m:
                errors.append(f"line {n}: cannot parse FROM {args}")
                continue
            base, name = m.group(1), m.group(2)
            names = [s[0] for s in stages]
            if base not in names and base != "debian:bookworm-slim":
                errors.append(f"line {n}: base {base} is neither debian:bookworm-slim nor a stage")
            if name and name in names:
                errors.append(f"line {n}: stage {name} defined twice")
            stages.append((name, base, []))
            continue
        if not stages:
            errors.append(f"line {n}: {ins} before any FROM")
            continue
        if ins in ("COPY", "ADD"):
            words = shlex.split(args)
            src_from = next((w.split("=", 1)[1] for w in words if w.startswith("--from=")), None)
            paths = [w for w in words if not w.startswith("--")]
            if src_from is not None:
                earlier = [s[0] for s in stages[:-1]]
                if src_from not in earlier and not (src_from.isdigit()
                                                    and int(src_from) < len(stages) - 1):
                    errors.append(f"line {n}: COPY --from={src_from} is not an earlier stage")
            else:
                for src in paths[:-1]:
                    if src != "." and not list(ROOT.glob(src)):
                        errors.append(f"line {n}: COPY source {src} does not exist")
        stages[-1][2].append((n, ins, args))

    if len(stages) < 2:
        errors.append("expected a multi-stage build (build + runtime)")
    else:
        build_runs = " ".join(a for _, i, a in stages[0][2] if i == "RUN")
        for pkg in BUILD_PACKAGES:
            if not re.search(rf"(?<![\w.-]){re.escape(pkg)}(?![\w.-])", build_runs):
                errors.append(f"build stage does not install {pkg}")
        if "cmake --preset release" not in build_runs:
            errors.append("build stage does not run cmake --preset release")
        final = stages[-1][2]
        runtime_runs = " ".join(a for _, i, a in final if i == "RUN")
        for pkg in RUNTIME_PACKAGES:
            if pkg not in runtime_runs.split():
                errors.append(f"runtime stage does not install {pkg}")
        if re.search(r"\S+-dev\b", runtime_runs):
            errors.append("runtime stage installs -dev packages")
        users = [a for _, i, a in final if i == "USER"]
        if not users or users[-1].split(":")[0] in ("root", "0"):
            errors.append("runtime stage must end with a non-root USER")
        if not any("10368" in a.split() for _, i, a in final if i == "EXPOSE"):
            errors.append("runtime stage does not EXPOSE 10368")
        entry = [a for _, i, a in final if i == "ENTRYPOINT"]
        try:
            argv = json.loads(entry[-1]) if entry else []
        except ValueError:
            argv = []
            errors.append("ENTRYPOINT must be in exec (JSON) form")
        if not argv or not argv[0].endswith("voxo_exporter") \
                or "--config.file=/etc/voxo_exporter/config.yml" not in argv:
            errors.append(f"ENTRYPOINT is {argv}, expected voxo_exporter "
                          "--config.file=/etc/voxo_exporter/config.yml")
    for e in errors:
        print("FAIL " + e, file=sys.stderr)
    print(f"{len(stages)} stages; {len(errors)} problems")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
