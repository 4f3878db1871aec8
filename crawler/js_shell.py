"""Whether a page is a JavaScript shell, decided from its markup (issue 13): pure (selectolax Lexbor).

A shell is a page whose content a script builds: an empty mount point (`<div id="app"></div>`, #root,
#__next, #__nuxt, `<app-root>`), a framework's boot script or bundle, a script that writes the footer's
numbers, a `<noscript>` saying JavaScript is required. A small old static page with one script (a 2010 homepage of 195 characters) is none of
these: it is judged on what it shows, and without the number it is `missing`.
"""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser, LexborNode

__all__ = ["SHELL_MAX_CHARS", "markup_says_shell"]

SHELL_MAX_CHARS = 200  # a page showing more than this is judged on what it shows, whatever its markup
_MOUNT_TEXT_MAX = 20  # a mount point showing at most this ("加载中…", "Loading...") is still empty
_MOUNTS = (
    "#app, #root, #__next, #__nuxt, #__layout, #q-app, #___gatsby, #svelte, #main-app, #react-root, "
    "#vue-app, [data-reactroot], [ng-app], [data-ng-app], [data-v-app], [data-server-rendered], app-root"
)
# Bundles as framework build tools name them (`app.3f9a1c2e.js`, `chunk-vendors.js`, `/_next/…`).
_BUNDLE = re.compile(
    r"/_next/|/_nuxt/|(?:^|[/.-])(?:chunk-vendors|chunk-common|runtime|polyfills|vendors?|umi|"
    r"(?:app|main|index|bundle)[.~-][0-9a-f]{6,})(?:[.~-][0-9a-f]{6,})?(?:\.chunk|\.bundle|\.min)?\.m?js(?:\?|$)",
    re.I,
)
# Inline code that boots a framework into the page.
_BOOT = re.compile(
    r"__NUXT__|__NEXT_DATA__|__INITIAL_STATE__|ReactDOM\s*\.\s*(?:render|createRoot|hydrate)|createRoot\s*\(|"
    r"createApp\s*\(|new\s+Vue\s*\(|platformBrowserDynamic|bootstrapApplication|\.mount\s*\(\s*['\"]#",
)
# Inline code naming the footer's numbers writes them into the page (`document.write('…许可证：陕B2-'
# + '20210271')`) even when no whole number stands in it; a visitor counter's document.write does not.
_WRITES_FOOTER = re.compile(r"许可证|ICP|备案|公网安|公安备", re.I)
_NEEDS_JS = re.compile(
    r"(?:enable|turn on|requires?|need|without|启用|开启|打开|需要|支持|允许|依赖).{0,40}(?:javascript|\bjs\b)"
    r"|(?:javascript|\bjs\b).{0,40}(?:enable|turn on|requires?|need|启用|开启|打开|需要|支持|允许|禁用)",
    re.I | re.S,
)
_MOUNTS_READ = 20  # the first mount points are read; a page nesting thousands costs no more
_NOSCRIPT_TEXT_MAX = 2_000  # a notice is short; longer noscript blocks are fallback content


def markup_says_shell(tree: LexborHTMLParser, script_srcs: list[str], script_texts: list[str]) -> bool:
    """True when the markup shows a script-built page: an empty mount point, a framework's bundle or
    boot code, inline code that writes the footer's numbers, or a `<noscript>` notice that JavaScript
    is needed. Linear in the page."""
    return (
        _empty_mount(tree.body)
        or any(_BUNDLE.search(src) for src in script_srcs)
        or any(_BOOT.search(code) or _WRITES_FOOTER.search(code) for code in script_texts)
        or tree.css_first("script[type=module i]") is not None
        or _noscript_needs_js(tree)
    )


def _empty_mount(body: LexborNode | None) -> bool:
    if body is None:
        return False
    for node in body.css(_MOUNTS)[:_MOUNTS_READ]:  # nested mounts: each text read is the subtree's
        if len(node.text(deep=True, strip=True)) <= _MOUNT_TEXT_MAX:
            return True
    return False


def _noscript_needs_js(tree: LexborHTMLParser) -> bool:
    for node in tree.css("noscript"):
        text = node.text(deep=True)[:_NOSCRIPT_TEXT_MAX]
        if _NEEDS_JS.search(text):
            return True
    return False
