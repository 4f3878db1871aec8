"""The script run inside a rendered page: the composed DOM as text segments with their visibility by
computed style, footer membership, link, centring and badge, plus the non-rendered channels; data.

It returns plain JSON (see `crawler.render.rendered.Snapshot`); `crawler.render.rendered` finds the
numbers in it with the same recognisers as the static path.
"""

from __future__ import annotations

import json

from crawler import footer_heuristics as fh
from crawler.paint import BLUR_MAX_PX, CONTRAST_MIN, FONT_MIN_PX, FRAME_MIN_PX, OPACITY_MIN

# The thresholds of crawler.paint, which the static path applies too (`opts.limits`).
DOM_LIMITS = {
    "opacity": OPACITY_MIN,
    "font": FONT_MIN_PX,
    "frame": FRAME_MIN_PX,
    "contrast": CONTRAST_MIN,
    "blur": BLUR_MAX_PX,
    "bidiChars": 400,  # longer right-to-left text nodes keep their logical order (cost: a box per character)
}

# The footer heuristics of crawler.footer_heuristics that the script applies as the static path does
# (crawler.footer_region): one definition of each, written into the script.
DOM_FOOTER = {
    "never": sorted(fh.NEVER_FOOTER_TAGS | fh.NON_RENDERED_TAGS),
    "notALine": sorted(fh.SECTIONING_TAGS | {"header", "h1", "h2", "h3", "h4", "h5", "h6", "form"}),
    "overlayParts": list(fh.OVERLAY_NAME_PARTS),
    "overlayTags": sorted(fh.OVERLAY_TAGS),
    "overlayRoles": sorted(fh.OVERLAY_ROLES),
    "toolbarParts": list(fh.TOOLBAR_NAME_PARTS),
    "toolbarPositions": list(fh.TOOLBAR_POSITIONS),
    "toolbarMaxChars": fh.TOOLBAR_MAX_CHARS,
    "gapMax": fh.BAND_GAP_MAX,
    "gapMaxChars": fh.BAND_GAP_MAX_CHARS,
    "parentMaxChars": fh.BAND_PARENT_MAX_CHARS,
    "levels": fh.LAST_BLOCK_MAX_DESCENT,
    "maxLines": fh.LAST_BLOCK_MAX_LINES,
    "lineMaxChars": fh.LAST_BLOCK_LINE_MAX_CHARS,
}

# One argument: {"footerParts": [...], "sectioning": [...], "inline": [...], "limits": DOM_LIMITS}.
_DOM_SCRIPT = r"""
(opts) => {
  const FH = __FOOTER__;
  const PARTS = opts.footerParts, SECTIONING = new Set(opts.sectioning), INLINE = new Set(opts.inline);
  const LIM = opts.limits;
  const SKIP = new Set(['style', 'head', 'link', 'meta', 'base']);
  const vw = window.innerWidth, vh = window.innerHeight;
  const root = document.documentElement;
  const docH = Math.max(root.scrollHeight, document.body ? document.body.scrollHeight : 0, vh);
  const segs = [], other = [], links = [];
  let sep = '', lastImg = null, blockId = 0, scripts = 0;

  // ---------- composed-tree helpers
  const kids = (node) => {
    if (node.shadowRoot) return Array.from(node.shadowRoot.childNodes);
    if (node.localName === 'slot') {
      const got = node.assignedNodes({flatten: true});
      return got.length ? got : Array.from(node.childNodes);
    }
    if (node.localName === 'template') return [];
    return Array.from(node.childNodes);
  };
  const up = (el) => el.assignedSlot || el.parentElement || (el.parentNode && el.parentNode.host) || null;
  const names = (el) => ((el.id || '') + ' ' + (typeof el.className === 'string' ? el.className :
    (el.getAttribute && el.getAttribute('class')) || '')).toLowerCase();
  const footerLike = (el) => { const n = names(el); return PARTS.some((p) => n.includes(p)); };
  const inSection = (el) => { for (let a = up(el); a; a = up(a)) if (SECTIONING.has(a.localName)) return true; return false; };
  const describe = (el) => {
    let d = el.localName;
    if (el.id) d += '#' + el.id;
    const c = typeof el.className === 'string' ? el.className.trim().split(/\s+/)[0] : '';
    if (c) d += '.' + c;
    return d;
  };
  const hasText = (el) => (el.innerText || el.textContent || '').trim().length > 0 ||
    el.localName === 'img' || !!el.querySelector('img');
  const shown = (el) => el.checkVisibility ? el.checkVisibility({visibilityProperty: true}) : true;

  // ---------- the footer region, as the static heuristics pick it, then by position
  const all = [];
  (function collect(node) {
    for (const k of kids(node)) if (k.nodeType === 1) { all.push(k); collect(k); }
  })(document.body || root);
  const allIndex = new Map(all.map((el, i) => [el, i]));
  let region = [], how = 'none';
  const landmarks = (sel) => all.filter((el) => el.matches(sel) && !inSection(el) && hasText(el));
  // ---------- not the page's footer: dialogs, overlays, side columns, text-less fixed toolbars
  const NEVER = new Set(FH.never), NOT_A_LINE = new Set(FH.notALine);
  const wordsRe = (parts) => new RegExp('(?:^|[^a-z])(?:' + parts.map((p) => p.replace(/[-]/g, '\\-')).join('|') + ')');
  const OVERLAY = wordsRe(FH.overlayParts), TOOLBAR = wordsRe(FH.toolbarParts);
  const chars = (el) => (el.textContent || '').replace(/\s+/g, '').length;
  const overlayOwn = (el) => {
    if (FH.overlayTags.includes(el.localName)) return true;
    if (FH.overlayRoles.includes((el.getAttribute('role') || '').trim().toLowerCase())) return true;
    if ((el.getAttribute('aria-modal') || '').trim().toLowerCase() === 'true') return true;
    const n = names(el);
    if (OVERLAY.test(n)) return true;
    const toolbar = TOOLBAR.test(n) || FH.toolbarPositions.includes(getComputedStyle(el).position);
    return toolbar && chars(el) <= FH.toolbarMaxChars;
  };
  let strict = true;
  const overCache = new Map();
  const passedOver = (el) => {
    if (!strict) return false;
    if (!el || el === document.body || el === root) return false;
    if (!overCache.has(el)) overCache.set(el, overlayOwn(el) || passedOver(up(el)));
    return overCache.get(el);
  };
  const before = (el) => { let p = el.previousElementSibling; while (p && NEVER.has(p.localName)) p = p.previousElementSibling; return p; };
  const joinedBefore = (node) => {  // footer-like siblings running on into node, short gaps between
    let joined = [], gap = [];
    for (let p = before(node); p; p = before(p)) {
      if (!hasText(p) || passedOver(p)) continue;
      if (footerLike(p)) { joined = [p, ...gap, ...joined]; gap = []; }
      else if (NOT_A_LINE.has(p.localName)) break;
      else if (gap.length < FH.gapMax && chars(p) <= FH.gapMaxChars) gap.unshift(p);
      else break;
    }
    return joined;
  };
  const joinedAfter = (node) => {  // short blocks between node and a footer-like sibling after it
    let joined = [], gap = [];
    for (let a = node.nextElementSibling; a; a = a.nextElementSibling) {
      if (NEVER.has(a.localName) || passedOver(a)) continue;
      if (footerLike(a)) { joined = [...joined, ...gap, a]; gap = []; }
      else if (!hasText(a)) continue;
      else if (NOT_A_LINE.has(a.localName) || gap.length >= FH.gapMax || chars(a) > FH.gapMaxChars) break;
      else gap.push(a);
    }
    return joined;
  };
  const consecutive = (node) => {
    const after = joinedAfter(node);
    let level = node;
    for (let i = 0; i < FH.levels; i++) {
      const joined = joinedBefore(level);
      if (joined.length) return level === node ? [...joined, level, ...after] : [...joined, level];
      const p = up(level);
      if (!p || p === document.body || NEVER.has(p.localName) || NOT_A_LINE.has(p.localName) || passedOver(p)) break;
      if (chars(p) > FH.parentMaxChars) break;
      level = p;
    }
    return [node, ...after];
  };
  const linesAbove = (blocks) => {  // a wrapper-less footer: the short lines above the last block
    const lines = blocks.slice(-1);
    const lineSel = [...NOT_A_LINE, ...FH.overlayTags].join(',');
    for (let i = blocks.length - 2; i >= 0; i--) {
      const b = blocks[i];
      if (NOT_A_LINE.has(b.localName) || chars(b) > FH.lineMaxChars) return lines;
      if (b.querySelector(lineSel) || passedOver(b)) return blocks.slice(-1);
      if (lines.length >= FH.maxLines || footerLike(b)) break;
      lines.unshift(b);
    }
    return blocks.slice(-1);
  };
  for (strict of [true, false]) {
  for (const wantShown of [true, false]) {
    for (const [name, sel] of [['footer', 'footer'], ['role', '[role~=contentinfo i]']]) {
      const found = landmarks(sel).filter((el) => !passedOver(el));
      if (found.length && (!wantShown || found.some(shown))) { region = found; how = name; break; }
    }
    if (region.length) break;
    const like = all.filter((el) => footerLike(el) && hasText(el) && (!wantShown || shown(el)) && !passedOver(el));
    if (like.length) {
      let el = like[like.length - 1], out = el;
      for (let a = up(el); a && a !== document.body; a = up(a)) if (footerLike(a)) out = a;
      while (INLINE.has(out.localName) && up(out) && up(out) !== document.body) out = up(out);
      region = consecutive(out); how = 'class'; break;
    }
  }
  if (!region.length && document.body) {
    const blocks = Array.from(document.body.children).filter((el) => !SKIP.has(el.localName) &&
      el.localName !== 'script' && hasText(el) && !passedOver(el));
    const vis = blocks.filter(shown);
    const pick = (vis.length ? vis : blocks);
    if (pick.length) { region = linesAbove(pick); how = 'last-block'; }
  }
  if (region.length) break;
  }
  if (region.length) {  // the footer band: footer-like elements after the region join it
    const last = region[region.length - 1], start = allIndex.get(last) || 0;
    for (let i = start + 1; i < all.length; i++) {
      const el = all[i];
      if (!last.contains(el) && footerLike(el) && hasText(el) && !passedOver(el) && !region.some((r) => r.contains(el))) region.push(el);
    }
  }
  const regionSet = new Set(region);
  let bandTop = Infinity;  // by position: what stands below the top of the shown footer counts
  for (const el of region) {
    const r = el.getBoundingClientRect();
    if (r.width > 0 && r.height > 0) bandTop = Math.min(bandTop, r.top + window.scrollY);
  }

  // ---------- visibility by computed style
  const parseColour = (s) => {
    const m = /rgba?\(([^)]+)\)/.exec(s || '');
    if (!m) return null;
    const p = m[1].split(/[\s,\/]+/).filter(Boolean).map(parseFloat);
    return {r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1};
  };
  const lum = (c) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b);
  };
  const backgroundOf = (el) => {
    for (let a = el; a; a = up(a)) {
      const cs = getComputedStyle(a);
      if (cs.backgroundImage && cs.backgroundImage !== 'none') return null;  // a picture: cannot compare
      const c = parseColour(cs.backgroundColor);
      if (c && c.a > 0.5) return {c, el: a};
    }
    return {c: {r: 255, g: 255, b: 255, a: 1}, el: null};
  };
  const hiddenCache = new Map(), alphaCache = new Map();
  const filterOf = (f) => {  // the opacity and the largest blur radius of a computed filter
    let opacity = 1, blur = 0, m;
    const re = /(opacity|blur)\(([^)]*)\)/g;
    while ((m = re.exec(f || ''))) {
      const v = parseFloat(m[2]);
      if (isNaN(v)) continue;
      if (m[1] === 'opacity') opacity *= m[2].includes('%') ? v / 100 : v; else blur = Math.max(blur, v);
    }
    return {opacity, blur};
  };
  // A mask of gradients whose every stop is transparent lets nothing through.
  const maskedOut = (m) => {
    if (!m || m === 'none' || !m.includes('gradient(') || m.includes('url(')) return false;
    const stops = m.match(/rgba?\([^)]*\)|transparent/g) || [];
    return stops.length > 0 && stops.every((c) => c === 'transparent' || (parseColour(c) || {a: 1}).a < LIM.opacity);
  };
  // The opacity the element is painted with: its own times its ancestors' (filters' too).
  const alphaOf = (el) => {
    if (!el || el === root) return 1;
    if (alphaCache.has(el)) return alphaCache.get(el);
    const cs = getComputedStyle(el);
    const a = parseFloat(cs.opacity) * filterOf(cs.filter).opacity * alphaOf(up(el));
    alphaCache.set(el, a);
    return a;
  };
  // Why an element's content cannot be seen, from it and its ancestors (null: nothing hides it).
  const hiddenBy = (el) => {
    if (hiddenCache.has(el)) return hiddenCache.get(el);
    let reason = null;
    const cs = getComputedStyle(el);
    const blur = filterOf(cs.filter).blur;
    if (cs.display === 'none') reason = 'display:none on ' + describe(el);
    else if (cs.contentVisibility === 'hidden') reason = 'content-visibility:hidden on ' + describe(el) +
      (el.getAttribute('hidden') === 'until-found' ? ' (hidden=until-found)' : '');
    else if (alphaOf(el) < LIM.opacity) reason = 'opacity:' + alphaOf(el).toFixed(3) + ' (' + cs.opacity + ', filter ' + cs.filter + ') on ' + describe(el);
    else if (blur > LIM.blur) reason = 'filter:' + cs.filter + ' on ' + describe(el);
    else if (maskedOut(cs.webkitMaskImage || cs.maskImage)) reason = 'mask:' + (cs.webkitMaskImage || cs.maskImage) + ' on ' + describe(el);
    if (!reason) {
      const p = up(el);
      if (p && p.localName === 'details' && !p.open && el.localName !== 'summary') reason = 'closed <details>';
      else if (p) reason = hiddenBy(p);
    }
    hiddenCache.set(el, reason);
    return reason;
  };
  const rectsOf = (node, el) => {
    if (node.nodeType === 3 && !(el instanceof SVGElement)) {
      const range = document.createRange(); range.selectNodeContents(node);
      return Array.from(range.getClientRects());
    }
    return Array.from(el.getClientRects());
  };
  const len = (v, whole) => v.endsWith('%') ? parseFloat(v) / 100 * whole : parseFloat(v);
  // The box an element's clip rectangle or clip path leaves of its border box (null: no reduction known).
  const clipBox = (cs, r) => {
    let out = {left: r.left, top: r.top, right: r.right, bottom: r.bottom}, known = false;
    const rect = /rect\(([^)]*)\)/.exec(cs.clip || '');
    if (rect && (cs.position === 'absolute' || cs.position === 'fixed')) {
      const e = rect[1].split(/[\s,]+/).filter(Boolean);
      if (e.length === 4) {
        const at = (v, dflt) => v === 'auto' ? dflt : parseFloat(v);
        out = {top: r.top + at(e[0], 0), right: r.left + at(e[1], r.width), bottom: r.top + at(e[2], r.height), left: r.left + at(e[3], 0)};
        known = true;
      }
    }
    const cp = cs.clipPath || 'none';
    const inset = /^inset\(([^)]*)\)/.exec(cp);
    if (inset) {
      const v = inset[1].split(' round ')[0].trim().split(/\s+/);
      const [t, rr, b, l] = v.length === 1 ? [v[0], v[0], v[0], v[0]] : v.length === 2 ? [v[0], v[1], v[0], v[1]] :
        v.length === 3 ? [v[0], v[1], v[2], v[1]] : v;
      out = {top: out.top + len(t, r.height), bottom: out.bottom - len(b, r.height), left: out.left + len(l, r.width), right: out.right - len(rr, r.width)};
      known = true;
    } else if (/^(circle|ellipse)\(\s*0(px|%)?[\s)]/.test(cp)) {
      out = {top: r.top, bottom: r.top, left: r.left, right: r.left}; known = true;
    } else if (/^polygon\(/.test(cp)) {
      const pts = cp.slice(8, -1).split(',').map((p) => p.trim().split(/\s+/));
      const xs = pts.map((p) => len(p[p.length - 2] || '0', r.width)), ys = pts.map((p) => len(p[p.length - 1] || '0', r.height));
      out = {left: r.left + Math.min(...xs), right: r.left + Math.max(...xs), top: r.top + Math.min(...ys), bottom: r.top + Math.max(...ys)};
      known = true;
    }
    return known ? out : null;
  };
  const clippedBy = (el, box) => {
    for (let a = el; a; a = up(a)) {
      const cs = getComputedStyle(a);
      const own = clipBox(cs, a.getBoundingClientRect());
      if (own) {
        const w = Math.min(box.right, own.right) - Math.max(box.left, own.left);
        const h = Math.min(box.bottom, own.bottom) - Math.max(box.top, own.top);
        if (w < 2 || h < 2) return 'clipped by ' + describe(a) + ' (' + (cs.clipPath !== 'none' ? 'clip-path:' + cs.clipPath : 'clip:' + cs.clip) + ')';
      }
      const clips = cs.overflow !== 'visible' || cs.overflowX !== 'visible' || cs.overflowY !== 'visible';
      if (!clips || a === root || a === document.body) continue;
      const r = a.getBoundingClientRect();
      const w = Math.min(box.right, r.right) - Math.max(box.left, r.left);
      const h = Math.min(box.bottom, r.bottom) - Math.max(box.top, r.top);
      if (w < 2 || h < 2 || r.width < 2 || r.height < 2) return 'clipped by ' + describe(a);
    }
    return null;
  };
  // Why this text cannot be seen (null when a visitor can see it); el is its parent element.
  const textHidden = (node, el, frameBox) => {
    if (frameBox.hidden) return frameBox.hidden;
    const by = hiddenBy(el);
    if (by) return by;
    if (el.localName === 'details' && !el.open && node !== el) return 'closed <details>';
    const cs = getComputedStyle(el);
    if (cs.visibility !== 'visible') return 'visibility:' + cs.visibility + ' on ' + describe(el);
    if (parseFloat(cs.fontSize) < LIM.font) return 'font-size:' + cs.fontSize + ' on ' + describe(el);
    const boxes = rectsOf(node, el).filter((r) => r.width >= 1 && r.height >= 1);
    if (!boxes.length) return 'zero size (' + describe(el) + ')';
    const rects = boxes.filter((r) => r.height >= LIM.font);  // a line scaled below a readable height
    if (!rects.length) return 'scaled to nothing (' + describe(el) + ')';
    const glyphs = node.nodeType === 3 ? node.data.replace(/\s+/g, '').length : 0;
    if (glyphs >= 4 && rects.reduce((w, r) => w + r.width, 0) < glyphs * parseFloat(cs.fontSize) * 0.2)
      return 'letters drawn over one another (letter-spacing:' + cs.letterSpacing + ' on ' + describe(el) + ')';
    if (frameBox.width !== undefined && rects.every((r) => r.right <= 0 || r.bottom <= 0 || r.left >= frameBox.width || r.top >= frameBox.height))
      return 'outside its frame (' + describe(el) + ')';
    const box = {left: Math.min(...rects.map((r) => r.left)), right: Math.max(...rects.map((r) => r.right)),
      top: Math.min(...rects.map((r) => r.top)), bottom: Math.max(...rects.map((r) => r.bottom))};
    const x0 = box.left + window.scrollX + frameBox.left, x1 = box.right + window.scrollX + frameBox.left;
    const y0 = box.top + window.scrollY + frameBox.top, y1 = box.bottom + window.scrollY + frameBox.top;
    if (x1 <= 0 || y1 <= 0 || x0 >= vw || y0 >= docH) return 'off-screen (' + describe(el) + ')';
    const clip = clippedBy(el, box);
    if (clip) return clip;
    const fill = cs.webkitTextFillColor || cs.color, fg = parseColour(fill);
    if (fg && fg.a < LIM.opacity) {
      for (let a = el; a; a = up(a)) {  // transparent glyphs show a background clipped to the text
        const as = getComputedStyle(a);
        if ((as.backgroundClip || as.webkitBackgroundClip || '').includes('text') &&
          ((as.backgroundImage && as.backgroundImage !== 'none') || (parseColour(as.backgroundColor) || {a: 0}).a > 0.5)) return null;
      }
      return (fill === cs.color ? 'color:' : '-webkit-text-fill-color:') + fill + ' on ' + describe(el);
    }
    const bg = backgroundOf(el);
    if (fg && bg) {
      const l1 = lum(fg), l2 = lum(bg.c);
      const ratio = (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05);
      if (ratio < LIM.contrast) return 'color:' + fill + ' on ' + describe(el) + ', the background of ' +
        (bg.el ? describe(bg.el) : 'the page');
    }
    return null;
  };

  // ---------- the walk
  const inRegion = (el) => { for (let a = el; a; a = up(a)) if (regionSet.has(a)) return true; return false; };
  const linkOf = (el) => { for (let a = el; a; a = up(a)) if (a.localName === 'a' && a.hasAttribute('href')) return a; return null; };
  const blockOf = (el) => {
    for (let a = el; a; a = up(a)) { const d = getComputedStyle(a).display; if (!d.startsWith('inline') && d !== 'contents') return a; }
    return root;
  };
  const blockIds = new Map();
  const idOf = (block) => { if (!blockIds.has(block)) blockIds.set(block, ++blockId); return blockIds.get(block); };
  const hrefOf = (a) => a ? (a.href && typeof a.href === 'string' ? a.href : a.getAttribute('href')) : null;
  const centred = (el, box) => {
    const block = blockOf(el);
    if (getComputedStyle(block).textAlign === 'center') return true;
    const mid = (box.left + box.right) / 2;
    return Math.abs(mid - vw / 2) <= 0.15 * vw;
  };
  const addOther = (where, text, el) => {
    if (text && /\d/.test(text)) {
      other.push({w: where, t: text, f: inRegion(el), h: hrefOf(linkOf(el))});
    }
  };
  const BIDI_CHARS = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
  const bidiBlocks = new Map();  // a control's scope runs on through the inline elements of its block
  const bidiBlock = (el) => {
    const block = blockOf(el);
    if (!bidiBlocks.has(block)) bidiBlocks.set(block, BIDI_CHARS.test(block.textContent || ''));
    return bidiBlocks.get(block);
  };
  const overridden = (el) => {
    for (let a = el; a; a = up(a)) { const b = getComputedStyle(a).unicodeBidi; if (b.includes('override') || b === 'plaintext') return true; }
    return false;
  };
  // The text in the order the screen shows it: a visitor reads a number laid out right to left (or
  // reordered by bidi controls) as it is displayed, not as the markup stores it.
  const displayed = (text, node, el) => {
    if (node.nodeType !== 3 || text.length > LIM.bidiChars || !/\d/.test(text)) return text;
    if (getComputedStyle(el).direction !== 'rtl' && !BIDI_CHARS.test(text) && !overridden(el) && !bidiBlock(el)) return text;
    const chars = [], range = document.createRange();
    for (let i = 0; i < text.length;) {
      const ch = String.fromCodePoint(text.codePointAt(i)), n = ch.length;
      if (!BIDI_CHARS.test(ch)) {
        range.setStart(node, i); range.setEnd(node, i + n);
        const r = range.getBoundingClientRect();
        if (r.width > 0 || /\s/.test(ch)) chars.push({ch, x: r.left + r.width / 2, y: Math.round(r.top + r.height / 2)});
      }
      i += n;
    }
    chars.sort((a, b) => Math.abs(a.y - b.y) > 4 ? a.y - b.y : a.x - b.x);
    return chars.map((c) => c.ch).join('');
  };
  const addText = (raw, node, el, frameBox, inFrameFooter) => {
    if (!raw.replace(/\s+/g, '')) { if (raw) sep = sep || ' '; return; }
    const reason = textHidden(node, el, frameBox);
    const text = reason ? raw : displayed(raw, node, el);
    const rects = reason ? [] : rectsOf(node, el).filter((r) => r.width >= 1 && r.height >= 1);
    const box = rects.length ? {left: Math.min(...rects.map((r) => r.left)), right: Math.max(...rects.map((r) => r.right)),
      top: Math.min(...rects.map((r) => r.top))} : null;
    const top = box ? box.top + window.scrollY + frameBox.top : -1;
    const footer = inFrameFooter || inRegion(el) || (box !== null && top >= bandTop - 1);
    const a = linkOf(el), block = idOf(blockOf(el));
    segs.push({t: text, s: sep, v: reason === null, r: reason, f: footer, h: hrefOf(a),
      c: footer && box ? centred(el, box) : null,
      g: !!(a && a.querySelector('img')), ib: !!(lastImg && lastImg.block === block && lastImg.seg === segs.length)});
    sep = '';
  };
  const visit = (node, frameBox, inFrameFooter) => {
    if (node.nodeType === 3) {
      const el = node.parentElement || (node.parentNode && node.parentNode.host);
      if (el) addText(node.data, node, el, frameBox, inFrameFooter);
      return;
    }
    if (node.nodeType === 8) { addOther('comment', node.data, node.parentElement || root); return; }
    if (node.nodeType !== 1 && node.nodeType !== 11) return;
    if (node.nodeType === 11) { for (const k of kids(node)) visit(k, frameBox, inFrameFooter); return; }
    const el = node, tag = el.localName;
    if (SKIP.has(tag) || tag === 'title') return;
    if (el.hasAttribute('title') && tag !== 'img') addOther('attribute', el.getAttribute('title'), el);
    if (el.hasAttribute('aria-label')) addOther('attribute', el.getAttribute('aria-label'), el);
    if (tag === 'script') {
      const type = (el.getAttribute('type') || '').toLowerCase();
      if (type.includes('ld+json')) addOther('attribute', el.textContent, el);
      else { scripts++; addOther('script', el.textContent, el); }
      return;
    }
    if (tag === 'noscript') { addOther('noscript', el.textContent, el); return; }
    if (tag === 'template') { addOther('template', el.content ? el.content.textContent : el.textContent, el); return; }
    if (tag === 'a' && el.hasAttribute('href')) { const h = hrefOf(el); if (h) links.push(h); }
    if (tag === 'img') {
      addOther('image', [el.getAttribute('alt'), el.getAttribute('title')].filter(Boolean).join(' '), el);
      if (!hiddenBy(el)) lastImg = {block: idOf(blockOf(el)), seg: segs.length};
      return;
    }
    if (tag === 'br') { sep = '\n'; return; }
    const cs = getComputedStyle(el);
    const block = !cs.display.startsWith('inline') && cs.display !== 'contents';
    if (block) sep = '\n';
    const pseudo = (which) => {
      const ps = getComputedStyle(el, which), content = ps.content;
      if (!content || content === 'none' || content === 'normal') return;
      let text = '';
      const re = /"((?:[^"\\]|\\.)*)"/g; let m;
      while ((m = re.exec(content))) text += m[1].replace(/\\([0-9a-fA-F]{1,6}) ?|\\(.)/g,
        (_, hex, ch) => hex ? String.fromCodePoint(parseInt(hex, 16)) : ch);
      if (!text) return;
      if (ps.display === 'none') { addOther('attribute', text, el); return; }
      addText(text, el, el, frameBox, inFrameFooter);
    };
    pseudo('::before');
    if (tag === 'iframe') {
      let doc = null;
      try { doc = el.contentDocument; } catch (e) { doc = null; }
      if (doc && doc.documentElement && !hiddenBy(el)) {
        const r = el.getBoundingClientRect();
        const box = {left: frameBox.left + r.left, top: frameBox.top + r.top + window.scrollY, width: r.width, height: r.height,
          hidden: frameBox.hidden || (r.width < LIM.frame || r.height < LIM.frame ?
            'an <iframe> of ' + Math.round(r.width) + 'x' + Math.round(r.height) + 'px (' + describe(el) + ')' : null)};
        const frameFooter = inFrameFooter || inRegion(el) || (r.height > 0 && r.top + window.scrollY >= bandTop - 1);
        visit(doc.body || doc.documentElement, box, frameFooter);
      }
    } else {
      for (const k of kids(el)) visit(k, frameBox, inFrameFooter);
    }
    pseudo('::after');
    if (block) sep = '\n';
  };
  visit(document.body || root, {left: 0, top: 0}, false);
  const head = document.head;
  addOther('attribute', document.title, root);
  if (head) for (const m of head.querySelectorAll('meta[content]')) addOther('attribute', m.getAttribute('content'), m);
  if (head) for (const s of head.querySelectorAll('script')) {
    const type = (s.getAttribute('type') || '').toLowerCase();
    addOther(type.includes('ld+json') ? 'attribute' : 'script', s.textContent, s);
  }
  // The footer band's box in document coordinates (for its picture), and the licence outlined in it.
  let box = null;
  for (const el of region) {
    const r = el.getBoundingClientRect();
    if (r.width < 1 || r.height < 1) continue;
    const b = {x: r.left + window.scrollX, y: r.top + window.scrollY, r: r.right + window.scrollX, b: r.bottom + window.scrollY};
    box = box ? {x: Math.min(box.x, b.x), y: Math.min(box.y, b.y), r: Math.max(box.r, b.r), b: Math.max(box.b, b.b)} : b;
  }
  if (opts.outline) {
    for (const el of region) {
      const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        if (n.data.replace(/\s+/g, '').includes(opts.outline) && n.parentElement) {
          n.parentElement.style.outline = '3px solid #d00';
          n.parentElement.style.outlineOffset = '2px';
        }
      }
    }
  }
  return {segs, other, links, how: region.length ? how : (bandTop < Infinity ? 'band' : 'none'),
    found: region.length > 0, scripts, box: box && {x: box.x, y: box.y, width: box.r - box.x, height: box.b - box.y}};
}
"""

DOM_SCRIPT = _DOM_SCRIPT.replace("__FOOTER__", json.dumps(DOM_FOOTER))
