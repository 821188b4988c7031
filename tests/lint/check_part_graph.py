#!/usr/bin/env python3
"""Fails when the code under src/ and the build graph in src/CMakeLists.txt disagree.

Each folder src/<part>/ is one library, voxo_lib_<part>, declared there by
`voxo_part(<part> PUBLIC voxo_lib_a ... PRIVATE voxo_lib_b ...)`, and a comment line
`# layers: util < api < {x, y} < ...` gives the layer order, lowest first. Checked:
  * every part is on exactly one layer, and links only parts on lower layers;
  * a file in src/<part>/ that includes "<other>/..." needs <other> on a lower layer (else:
    an upward include) and voxo_lib_<part> linking voxo_lib_<other>, directly or through a
    PUBLIC link of a part it links, as CMake passes usage requirements on (else: not linked);
  * a header (.hpp) that does so needs the link PUBLIC all the way, since whoever includes the
    header compiles that include too;
  * a part links nothing it does not include (the links say what a part needs, no more).
Why: "a part and its tests build on their own" holds only while the links are the includes.

Usage: check_part_graph.py SRC_DIR   (reads SRC_DIR/CMakeLists.txt; exit 1 and one line per
problem)
"""
import pathlib
import re
import sys

SOURCE_SUFFIXES = (".cpp", ".hpp", ".ipp", ".h")
HEADER_SUFFIXES = (".hpp", ".ipp", ".h")
INCLUDE = re.compile(r'^\s*#\s*include\s*"([A-Za-z0-9_]+)/', re.M)
LIB = re.compile(r"^voxo_lib_([A-Za-z0-9_]+)$")


def strip_cmake_comments(text):
    """Drops # comments (outside strings) so that the calls can be read."""
    out = []
    for line in text.split("\n"):
        in_string = False
        for i, c in enumerate(line):
            if c == '"' and (i == 0 or line[i - 1] != "\\"):
                in_string = not in_string
            elif c == "#" and not in_string:
                line = line[:i]
                break
        out.append(line)
    return "\n".join(out)


def read_graph(cmake_text, cmake):
    """Returns ({part: {other: 'PUBLIC'|'PRIVATE'}}, [layer sets], problems)."""
    problems = []
    code = strip_cmake_comments(cmake_text)
    links = {}
    calls = [("voxo_part", m.group(1).split()) for m in re.finditer(r"\bvoxo_part\s*\(([^)]*)\)", code)]
    calls += [("target_link_libraries", m.group(1).split())
              for m in re.finditer(r"\btarget_link_libraries\s*\(([^)]*)\)", code)]
    for kind, args in calls:
        if not args:
            continue
        if kind == "voxo_part":
            part, rest = args[0], args[1:]
            links.setdefault(part, {})
        else:
            m = LIB.match(args[0])
            if not m:
                continue
            part, rest = m.group(1), args[1:]
        visibility = "PUBLIC"  # voxo_part's default, and target_link_libraries' plain signature
        for a in rest:
            if a in ("PUBLIC", "PRIVATE", "INTERFACE"):
                visibility = a
                continue
            m = LIB.match(a)
            if m:
                seen = links.setdefault(part, {})
                # PUBLIC wins when a part is named twice.
                if seen.get(m.group(1)) != "PUBLIC":
                    seen[m.group(1)] = "PRIVATE" if visibility == "PRIVATE" else "PUBLIC"

    layers = []
    m = re.search(r"^\s*#\s*layers:\s*(.+)$", cmake_text, re.M)
    if not m:
        problems.append(f"{cmake}: no `# layers: a < b < {{c, d}} < ...` line")
    else:
        for group in m.group(1).split("<"):
            names = [n.strip() for n in group.strip().strip("{}").split(",") if n.strip()]
            layers.append(set(names))
    return links, layers, problems


def public_closure(part, links, memo):
    """`part` and every part reachable from it through PUBLIC links."""
    if part in memo:
        return memo[part]
    memo[part] = {part}  # guards against cycles (reported separately through the layers)
    out = {part}
    for other, visibility in links.get(part, {}).items():
        if visibility == "PUBLIC":
            out |= public_closure(other, links, memo)
    memo[part] = out
    return out


def check(src):
    src = pathlib.Path(src)
    cmake = src / "CMakeLists.txt"
    links, layers, problems = read_graph(cmake.read_text(encoding="utf-8"), cmake)
    layer_of = {}
    for i, names in enumerate(layers):
        for n in names:
            if n in layer_of:
                problems.append(f"{cmake}: part {n} is on two layers")
            layer_of[n] = i
    for part in sorted(links):
        if layers and part not in layer_of:
            problems.append(f"{cmake}: part {part} is on no layer of `# layers:`")
    for n in sorted(layer_of):
        if n not in links:
            problems.append(f"{cmake}: layer part {n} is not declared by voxo_part()")

    memo = {}
    visible = {}     # what a source file of the part may include
    in_headers = {}  # what a header of the part may include
    for part, direct in links.items():
        visible[part] = {part}
        in_headers[part] = public_closure(part, links, memo)
        for other in direct:
            visible[part] |= public_closure(other, links, memo)
            if other not in links:
                problems.append(f"{cmake}: voxo_lib_{part} links voxo_lib_{other}, which is not a part")
            elif part in layer_of and other in layer_of and layer_of[other] >= layer_of[part]:
                problems.append(f"{cmake}: voxo_lib_{part} links voxo_lib_{other}, "
                                f"which is not below it in the layer order")

    used = {part: set() for part in links}
    part_dirs = {p.name for p in src.iterdir() if p.is_dir()}
    for part_dir in sorted(p for p in src.iterdir() if p.is_dir()):
        part = part_dir.name
        if part not in links:
            problems.append(f"{part_dir}: a folder of src/ that no voxo_part() declares")
            continue
        for path in sorted(part_dir.rglob("*")):
            if path.suffix not in SOURCE_SUFFIXES:
                continue
            text = path.read_text(encoding="utf-8", errors="replace")
            for m in INCLUDE.finditer(text):
                other = m.group(1)
                if other not in part_dirs or other == part:
                    continue
                used[part].add(other)
                line = text.count("\n", 0, m.start()) + 1
                where = f"{path}:{line}"
                if other not in links:
                    continue  # reported above as a folder no voxo_part() declares
                if part in layer_of and other in layer_of and layer_of[other] >= layer_of[part]:
                    problems.append(f"{where}: upward include: {part} includes {other}, "
                                    f"which is not below it in the layer order")
                elif other not in visible[part]:
                    problems.append(f"{where}: {part} includes {other} but voxo_lib_{part} "
                                    f"does not link voxo_lib_{other}")
                elif path.suffix in HEADER_SUFFIXES and other not in in_headers[part]:
                    problems.append(f"{where}: a header of {part} includes {other}: "
                                    f"voxo_lib_{part} must link voxo_lib_{other} PUBLIC")
    for part, direct in sorted(links.items()):
        for other in sorted(direct):
            if other in links and other not in used[part]:
                problems.append(f"{cmake}: voxo_lib_{part} links voxo_lib_{other} "
                                f"but nothing in {src / part}/ includes it")
    return problems


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    found = check(sys.argv[1])
    for p in found:
        print(p)
    if found:
        print(f"{len(found)} problem(s) in the build graph; see the top of src/CMakeLists.txt",
              file=sys.stderr)
        sys.exit(1)
    print("the includes under src/ match the part links of src/CMakeLists.txt")
