"""Selectors as static extraction reads them: compounds joined into descendant chains, exactly or as a
superset of what they select; pure.

Tags, ids, classes, attribute tests (`[a]`, `[a=v]`, `[a~=v]`, `[a|=v]`, `[a^=v]`, `[a$=v]`, `[a*=v]`,
optionally ` i`) and descendant chains of them are evaluated exactly. Other selectors are read as the
descendant chain of what is left once their child and sibling steps are loosened and their other
pseudo-classes dropped (`footer > p:not(.x)` as `footer p`, `.a + .b` as `.b`): a superset of the
elements they select, marked `exact=False`, whose rules may only leave text undecided (a browser must
tell), never hide it nor show it. Rules that apply only on a visitor's action (`:hover`, `:focus`) or
to a pseudo-element's own box (`::before`, `::placeholder`) never apply to the text at rest: skipped.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class AttrTest:
    """One attribute selector: `[name]` (op None) or `[name op value]`, case-insensitive with ` i`."""

    name: str
    op: str | None
    value: str
    fold: bool

    def matches(self, attrs: Mapping[str, str | None]) -> bool:
        """True when an element with these attributes matches the test."""
        if self.name not in attrs:
            return False
        if self.op is None:
            return True
        have, want = attrs[self.name] or "", self.value
        if self.fold:
            have, want = have.lower(), want.lower()
        if self.op == "=":
            return have == want
        if self.op == "~=":
            return bool(want) and not any(c.isspace() for c in want) and want in have.split()
        if self.op == "|=":
            return have == want or have.startswith(want + "-")
        if not want:  # `[a^=""]` and the like match nothing
            return False
        if self.op == "^=":
            return have.startswith(want)
        if self.op == "$=":
            return have.endswith(want)
        return want in have  # *=


@dataclass(frozen=True, slots=True)
class Compound:
    """One compound selector such as `div#f.a.b[data-x=y]`; `key` is what style indexes file it under:
    `#id`, else `.class`, else the tag, else `[name` of its first attribute test, else `*`."""

    tag: str | None
    id: str | None
    classes: frozenset[str]
    key: str
    attrs: tuple[AttrTest, ...] = ()

    def matches(
        self, tag: str, el_id: str | None, classes: frozenset[str], attrs: Mapping[str, str | None]
    ) -> bool:
        """True when an element with this tag, id, classes and attributes matches the compound."""
        return (
            (self.tag is None or self.tag == tag)
            and (self.id is None or self.id == el_id)
            and self.classes <= classes
            and (not self.attrs or all(a.matches(attrs) for a in self.attrs))
        )


@dataclass(frozen=True, slots=True)
class Chain:
    """A selector read as a descendant chain; `exact`: it selects just what the selector does."""

    compounds: tuple[Compound, ...]
    exact: bool
    specificity: tuple[int, int, int]  # (ids, classes, tags) of the selector as written, roughly


_COMPOUND = re.compile(r"(?P<tag>[a-zA-Z][a-zA-Z0-9-]*|\*)?(?P<rest>(?:[.#][-\w]+|\[[^\[\]]*\])*)")
_SIMPLE = re.compile(r"[.#][-\w]+|\[[^\[\]]*\]")
# `[name]` or `[name op value flag]`: value an identifier or a quoted string, flag `i` or `s`
_ATTR = re.compile(
    r"""\[\s*(?P<name>[-\w]+)\s*(?:(?P<op>[~|^$*]?=)\s*"""
    r"""(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<ident>(?:--|-?[^\W\d])[-\w]*))\s*(?P<flag>[iIsS])?\s*)?\]"""
)
# A selector's tokens: one structural character, or a run of ordinary ones (so a scan costs one step
# per token, not per character, and never backtracks).
_TOKEN = re.compile(r"""[()\[\]"',>+~\s:]|[^()\[\]"',>+~\s:]+""")
_COMBINATORS = frozenset(">+~")
# Pseudo-classes of a visitor's action or of a moment: they never apply to the text as it stands.
_STATES = frozenset(
    {"hover", "active", "focus", "focus-visible", "focus-within", "target", "target-within", "drag"}
)
# Pseudo-elements that style a part of the element's own text: read as the element (inexact).
_TEXT_PARTS = frozenset({"first-line", "first-letter"})
_LEGACY_ELEMENTS = frozenset({"before", "after", "first-line", "first-letter"})
_ANY = frozenset({"-webkit-any", "-moz-any"})  # vendor spellings of :is()


def _attr_test(text: str) -> AttrTest | None:
    m = _ATTR.fullmatch(text)
    if m is None:
        return None
    value = next((v for v in (m["dq"], m["sq"], m["ident"]) if v is not None), "")
    return AttrTest(m["name"].lower(), m["op"], value, (m["flag"] or "").lower() == "i")


def _compound(text: str) -> Compound | None:
    m = _COMPOUND.fullmatch(text)
    if m is None or not text:
        return None
    tag = m["tag"].lower() if m["tag"] and m["tag"] != "*" else None
    parts = _SIMPLE.findall(m["rest"])
    ids = [p[1:] for p in parts if p[0] == "#"]
    classes = frozenset(p[1:] for p in parts if p[0] == ".")
    tests = [_attr_test(p) for p in parts if p[0] == "["]
    if len(ids) > 1:
        return None
    attrs = tuple(t for t in tests if t is not None)
    if len(attrs) < len(tests):
        return None  # a namespace, an unquoted value that is no identifier, …: not understood
    el_id = ids[0] if ids else None
    key = (
        f"#{el_id}"
        if el_id
        else f".{min(classes)}"
        if classes
        else tag or (f"[{attrs[0].name}" if attrs else "*")
    )
    return Compound(tag, el_id, classes, key, attrs)


def split_list(prelude: str) -> list[str]:
    """The selectors of a rule's prelude: split at its commas outside brackets, parentheses and quotes."""
    if "(" not in prelude and '"' not in prelude and "'" not in prelude:
        return prelude.split(",")
    out: list[str] = []
    start, depth, quote = 0, 0, ""
    for m in _TOKEN.finditer(prelude):
        t = m.group()
        if quote:
            quote = "" if t == quote else quote
        elif t in ('"', "'"):
            quote = t
        elif t in "([":
            depth += 1
        elif t in ")]":
            depth = max(0, depth - 1)
        elif t == "," and depth == 0:
            out.append(prelude[start : m.start()])
            start = m.end()
    out.append(prelude[start:])
    return out


def _steps(selector: str) -> list[tuple[str, str]] | None:
    """(combinator before it, compound text) for each compound; None when brackets, parentheses or
    quotes do not pair up, or two combinators follow one another."""
    steps: list[tuple[str, str]] = []
    combinator, start, depth, quote = "", -1, 0, ""
    for m in _TOKEN.finditer(selector):
        t = m.group()
        if quote or depth:
            if quote:
                quote = "" if t == quote else quote
            elif t in ('"', "'"):
                quote = t
            elif t in "([":
                depth += 1
            elif t in ")]":
                depth -= 1
            continue
        if t.isspace() or t in _COMBINATORS:
            if start >= 0:
                steps.append((combinator, selector[start : m.start()]))
                start, combinator = -1, " "
            if t in _COMBINATORS:
                if combinator not in ("", " ") or not steps:
                    return None
                combinator = t
            continue
        if t in ")]":
            return None
        if t in ('"', "'"):
            quote = t
        elif t in "([":
            depth += 1
        if start < 0:
            start = m.start()
    if quote or depth or start < 0:
        return None
    steps.append((combinator, selector[start:]))
    return steps


def _pseudos(text: str) -> tuple[str, list[str]]:
    """A compound's base (tag, ids, classes, attribute tests) and the names of its pseudo-classes and
    pseudo-elements (`::x` as `::x`), their arguments left out."""
    if ":" not in text:
        return text, []
    names: list[str] = []
    base_end, depth, i, n = -1, 0, 0, len(text)
    while i < n:
        ch = text[i]
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
        elif ch in "\"'":
            end = text.find(ch, i + 1)
            i = n if end < 0 else end
        elif ch == ":" and depth == 0:
            base_end = i if base_end < 0 else base_end
            start = i + 2 if text.startswith("::", i) else i + 1
            end = start
            while end < n and (text[end].isalnum() or text[end] in "-_"):
                end += 1
            names.append(("::" if start == i + 2 else "") + text[start:end].lower())
            i = end
            continue
        i += 1
    return (text if base_end < 0 else text[:base_end]), names


def _loosened(names: list[str]) -> bool | None:
    """Whether a compound's pseudo-classes are dropped (True: inexact) or it never applies to text at
    rest (None); False when it has none."""
    loose = False
    for name in names:
        bare = name.removeprefix("::")
        if name.startswith("::") or bare in _LEGACY_ELEMENTS:
            if bare not in _TEXT_PARTS:
                return None  # ::before, ::placeholder, ::-webkit-scrollbar: a box of its own
        elif bare in _STATES or (bare.startswith("-") and bare not in _ANY):
            return None  # a visitor's action, or a vendor's form-control state
        loose = True
    return loose


def chain(selector: str) -> Chain | None:
    """The selector as a descendant chain (exact or a superset), or None when it never selects text at
    rest or is not understood."""
    steps = _steps(selector.strip()) if selector.strip() else None
    if steps is None:
        return None
    exact = True
    kept: list[Compound] = []
    ids = classes = tags = 0
    for combinator, text in steps:
        base, names = _pseudos(text)
        loose = _loosened(names)
        if loose is None:
            return None
        compound = _compound(base or "*")
        if compound is None:
            return None
        ids += compound.id is not None
        classes += len(compound.classes) + len(compound.attrs) + sum(not n.startswith("::") for n in names)
        tags += compound.tag is not None
        if combinator in ("+", "~"):
            kept.pop()  # `a + b` selects a `b`, among whatever holds the `a`: loosened to `b`
        exact = exact and not loose and combinator in ("", " ")
        kept.append(compound)
    return Chain(tuple(kept), exact, (ids, classes, tags))
