#!/usr/bin/env python3
"""Every repository path a Markdown guide names must exist.

The guides (README.md, src/CONTRIBUTING.md, deploy/*.md, bench/README.md) send a reader to files
by name; when a file is renamed or split, a guide that still names it sends the reader nowhere.
Checked: link targets and `code spans` that look like a path: starting with a top-level folder
of the repository (src/, tests/, deploy/, ...), or, in a guide below the root, with a folder next
to that guide (`collector/dedupe_set.*` in src/CONTRIBUTING.md), or with ../ or ./. A `*` is a
glob (`api/http_body_reader.*`); a :line is dropped. A link's #anchor into a Markdown file (or
into the guide itself) must name one of its headings, as GitHub spells them. Placeholders
(<build>, $VAR, {a,b}) and URLs are skipped.

Usage: check_doc_paths.py REPO_ROOT [FILE.md ...]   (default: every tracked-looking *.md)
"""
import pathlib
import re
import sys

SKIP_DIRS = {".git", "node_modules", "build", "build-dev", "build-ci", "build-bench", "build-fuzz"}
TOP = ("src/", "tests/", "deploy/", "bench/", "scripts/", "dashboards/", ".ci/")
CODE = re.compile(r"`([^`\s]+)`")
LINK = re.compile(r"\]\(([^)\s]+)\)")


def markdown_files(root):
    for p in sorted(root.rglob("*.md")):
        rel = p.relative_to(root)
        if not SKIP_DIRS.intersection(rel.parts[:-1]) and rel.parts[:3] != ("tests", "lint", "bad"):
            yield p  # tests/lint/bad holds what the checks must reject


def candidate(text, md_dir, root):
    """The path `text` names, resolved, or None when it names no repository file."""
    if "://" in text or text.startswith(("mailto:", "#")) or re.search(r"[<>${}]", text):
        return None
    text = text.split("#", 1)[0].rstrip(".,;:")
    text = re.sub(r":\d+(-\d+)?$", "", text)
    if not text or "/" not in text:
        return None
    if text.startswith("/"):
        return None  # an absolute path on the target machine (/etc/..., /var/lib/...)
    if text.startswith(TOP):
        return root / text
    if text.startswith(("../", "./")):
        return md_dir / text
    first = text.split("/", 1)[0]
    if md_dir != root and (md_dir / first).is_dir():
        return md_dir / text
    return None


def slug(heading):
    """GitHub's anchor of a heading: lower case, punctuation dropped, spaces as hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def anchors(md):
    out, in_fence = set(), False
    for line in md.read_text(encoding="utf-8").splitlines():
        if line.lstrip().startswith("```"):
            in_fence = not in_fence
        elif not in_fence and line.startswith("#"):
            out.add(slug(line.lstrip("#")))
    return out


def anchor_missing(target, md, root):
    """The link `target`'s #anchor when it names no heading of its Markdown file, else None."""
    if "://" in target or "#" not in target:
        return None
    path, anchor = target.split("#", 1)
    file = md if not path else (root / path if path.startswith(TOP) else md.parent / path)
    if file.suffix != ".md" or not file.is_file():
        return None  # a missing file is reported as such
    return None if anchor in anchors(file) else anchor


def exists(path):
    if "*" in path.name or "*" in str(path):
        parent = path.parent
        return parent.is_dir() and any(parent.glob(path.name))
    return path.exists()


def main():
    root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else ".").resolve()
    files = [pathlib.Path(f).resolve() for f in sys.argv[2:]] or list(markdown_files(root))
    missing = []
    for md in files:
        in_fence = False
        for n, line in enumerate(md.read_text(encoding="utf-8").splitlines(), 1):
            if line.lstrip().startswith("```"):
                in_fence = not in_fence
                continue
            if in_fence:
                continue  # examples (shell, YAML, PromQL), not references
            for m in list(CODE.finditer(line)) + list(LINK.finditer(line)):
                path = candidate(m.group(1), md.parent, root)
                if path is not None and not exists(path):
                    missing.append(f"{md.relative_to(root)}:{n}: {m.group(1)} does not exist")
            for m in LINK.finditer(line):
                anchor = anchor_missing(m.group(1), md, root)
                if anchor is not None:
                    missing.append(f"{md.relative_to(root)}:{n}: {m.group(1)}: no heading #{anchor}")
    for m in missing:
        print(m)
    print(f"{len(files)} Markdown file(s) checked, {len(missing)} missing path(s)")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
