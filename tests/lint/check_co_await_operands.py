#!/usr/bin/env python3
"""Fails when a co_await operand in src/ builds a temporary that g++ 12 may destroy twice.

Issue #12: g++ 12 destroyed a temporary of the operand of a co_await twice (a braced
call_reports_query holding a std::string, inside a try block): a double free on the first
failed request. The rule (see src/collector/collector.hpp): the operand of co_await is a call
whose arguments are named objects, references, pointers, numbers or completion tokens. Values
of class type are built in named locals first. This check rejects, inside a co_await operand:
  * a braced temporary:           co_await fetch({scope, window}, sink)
  * a string literal:             co_await get("/tenants")
  * std::move(x) as an argument:  co_await serve(std::move(socket))   (a by-value parameter)
  * a lambda capturing by value:  co_await run([=] { ... })           ([&] / [this] are fine)
  * an argument that is itself a call, e.g. std::to_string(port), make_chunk(b), get_executor(),
    except calls known to return trivially destructible values (ALLOWED_CALLS).
It cannot see the types of by-value parameters bound to named objects (a std::string param
given a named string copies it into a temporary): keep coroutine parameters `const&` or
hoist such calls too.

A finding that is safe is exempted by a comment `// co_await-ok: <why>` on the co_await's line
or the line before (e.g. std::move of an awaitable into co_spawn: a moved-from awaitable owns
nothing, and every co_await of an awaitable moves it the same way).

Usage: check_co_await_operands.py SRC_DIR...   (exit 1 and one line per finding)
"""
import pathlib
import re
import sys

# Nested calls whose results are trivially destructible (buffers, tokens, plain values).
ALLOWED_CALLS = {
    "prepare",      # dynamic buffer .prepare(n): a mutable_buffer
    "buffer",       # net::buffer(...): a const/mutable buffer
    "as_tuple",     # completion token adapter
    "use_awaitable",
    "data", "size",
}


def strip_comments(text):
    """Blanks // and /* */ comments, keeping string literals and line numbers."""
    out, i, n = [], 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            out.append(" " * (j - i))
            i = j
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append("".join("\n" if ch == "\n" else " " for ch in text[i:j]))
            i = j
        elif c in "\"'":
            j = i + 1
            while j < n and text[j] != c:
                j += 2 if text[j] == "\\" else 1
            out.append(text[i:j + 1])
            i = j + 1
        else:
            out.append(c)
            i += 1
    return "".join(out)


def past_literal(text, i):
    """Index just past the string or character literal that starts at text[i]."""
    j, n = i + 1, len(text)
    while j < n and text[j] != text[i]:
        j += 2 if text[j] == "\\" else 1
    return j + 1


def operand(text, start):
    """The co_await operand starting at `start`: up to `;`, `,` or an unbalanced closer."""
    depth, i, n = 0, start, len(text)
    while i < n:
        c = text[i]
        if c in "\"'":
            i = past_literal(text, i)
            continue
        if c in "([{":
            depth += 1
        elif c in ")]}":
            if depth == 0:
                break
            depth -= 1
        elif c in ";," and depth == 0:
            break
        i += 1
    return text[start:i]


def matching(text, i):
    """Index just past the bracket that closes text[i]."""
    pairs = {"(": ")", "[": "]", "{": "}"}
    stack, n = [], len(text)
    while i < n:
        c = text[i]
        if c in "\"'":
            i = past_literal(text, i)
            continue
        if c in pairs:
            stack.append(pairs[c])
        elif stack and c == stack[-1]:
            stack.pop()
            if not stack:
                return i + 1
        i += 1
    return n


OK_MARK = "co_await-ok:"  # `// co_await-ok: <why>` on the line or the line before exempts it
IDENT_BEFORE = re.compile(r"[\w)\]]\s*$")
CALL = re.compile(r"([A-Za-z_]\w*)\s*(?:<[^<>()]*>)?\s*\($")


def problems(expr):
    """What in this operand builds a temporary (empty if nothing)."""
    found = []
    # The outermost call's arguments: everything inside its first top-level parentheses.
    # Nested calls are looked at inside those arguments only, so `co_await f(x)` and
    # `co_await obj.method(x)` themselves are fine.
    i, n = 0, len(expr)
    call_depth = 0  # > 0 once inside the arguments of some call
    while i < n:
        c = expr[i]
        if c in "\"'":
            if c == '"':
                found.append("a string literal")
            j = i + 1
            while j < n and expr[j] != c:
                j += 2 if expr[j] == "\\" else 1
            i = j + 1
            continue
        if c == "[" and not IDENT_BEFORE.search(expr[:i]):
            end = matching(expr, i)
            rest = expr[end:].lstrip()
            if rest[:1] in "({" or rest.startswith("mutable"):  # a lambda
                captures = [x.strip() for x in expr[i + 1:end - 1].split(",") if x.strip()]
                if any(not (x == "&" or x.startswith("&") or x == "this") for x in captures):
                    found.append("a lambda capturing by value")
                j = expr.find("{", end)
                i = matching(expr, j) if j >= 0 else n
                continue
        if c == "{":
            found.append("a braced temporary")
            i = matching(expr, i)
            continue
        if c == "(":
            m = CALL.search(expr[:i + 1])
            if m and call_depth > 0:
                name = m.group(1)
                if name == "move" and expr[:m.start(1)].rstrip().endswith("std::"):
                    found.append("std::move(...) into a by-value parameter")
                elif name not in ALLOWED_CALLS:
                    found.append(f"the result of {name}(...) as an argument")
            call_depth += 1
            # Parentheses that group (not call) also count: `co_await (a || b)` then looks
            # inside as arguments, which is what we want for operator expressions.
        elif c == ")":
            call_depth = max(0, call_depth - 1)
        i += 1
    return found


def check(paths):
    bad = 0
    for root in paths:
        for path in sorted(pathlib.Path(root).rglob("*")):
            if path.suffix not in (".cpp", ".hpp", ".ipp", ".h"):
                continue
            raw = path.read_text(encoding="utf-8", errors="replace")
            raw_lines = raw.split("\n")
            text = strip_comments(raw)
            for m in re.finditer(r"\bco_await\b", text):
                expr = operand(text, m.end())
                line = text.count("\n", 0, m.start()) + 1
                # An exception says why on the co_await's line or the one before it.
                if any(OK_MARK in raw_lines[k] for k in (line - 2, line - 1) if 0 <= k < len(raw_lines)):
                    continue
                for what in dict.fromkeys(problems(expr)):
                    shown = " ".join(expr.split())
                    print(f"{path}:{line}: co_await operand builds {what}: co_await {shown[:120]}")
                    bad += 1
    return bad


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    n = check(sys.argv[1:])
    if n:
        print(f"{n} co_await operand(s) build temporaries; hoist them into named locals "
              "(see src/collector/collector.hpp, 'Coroutines')", file=sys.stderr)
        sys.exit(1)
