"""Accessibility basics, checked in the browser on every page a journey visits.

Not a full audit (no axe-core here: the machine has no internet and nothing may be downloaded),
but the checks a reviewer would do by hand: the page says it is Thai, every control has a label,
every button and link has a name, images have alt text, text is readable (WCAG 2.x contrast),
the keyboard reaches the page's main action with a visible focus, and the skip link works.
"""

from playwright.sync_api import Page

# Collects the problems of the page as short Thai-free descriptions; run in the page.
_PROBLEMS_JS = """
() => {
  const problems = [];
  const describe = (el) => {
    let text = (el.innerText || el.value || el.getAttribute('name') || '').trim().slice(0, 40);
    const id = el.id ? '#' + el.id : '';
    const cls = el.classList.length ? '.' + [...el.classList].join('.') : '';
    return `<${el.tagName.toLowerCase()}${id}${cls}> "${text}"`;
  };
  const rendered = (el) => {
    if (!el.getClientRects().length) return false;
    const style = getComputedStyle(el);
    return style.visibility !== 'hidden' && style.display !== 'none' && Number(style.opacity) > 0;
  };
  const textOf = (ids) => ids.split(/\\s+/)
    .map((id) => document.getElementById(id)).filter(Boolean)
    .map((el) => el.textContent.trim()).join(' ').trim();
  const accessibleName = (el) => {
    if (el.getAttribute('aria-labelledby')) return textOf(el.getAttribute('aria-labelledby'));
    if ((el.getAttribute('aria-label') || '').trim()) return el.getAttribute('aria-label').trim();
    const text = (el.innerText || el.textContent || '').trim();
    if (text) return text;
    const img = el.querySelector('img[alt]');
    if (img && img.alt.trim()) return img.alt.trim();
    if (el.tagName === 'INPUT') return (el.value || '').trim();
    return (el.getAttribute('title') || '').trim();
  };

  if (document.documentElement.getAttribute('lang') !== 'th') {
    problems.push(`<html lang="${document.documentElement.getAttribute('lang')}"> is not "th"`);
  }
  if (!document.title.trim()) problems.push('the page has no <title>');

  for (const el of document.querySelectorAll('input, select, textarea')) {
    if (el.type === 'hidden' || !rendered(el)) continue;
    const labelled = [...(el.labels || [])].some((l) => l.textContent.trim())
      || (el.getAttribute('aria-label') || '').trim()
      || (el.getAttribute('aria-labelledby') && textOf(el.getAttribute('aria-labelledby')));
    if (!labelled) problems.push(`no label: ${describe(el)}`);
  }
  // A label or description pointing at an id the page uses twice may describe the wrong box.
  const referenced = new Set();
  for (const label of document.querySelectorAll('label[for]')) referenced.add(label.htmlFor);
  for (const el of document.querySelectorAll('[aria-labelledby], [aria-describedby]')) {
    const ids = `${el.getAttribute('aria-labelledby') || ''} ${el.getAttribute('aria-describedby') || ''}`;
    ids.split(/\\s+/).filter(Boolean).forEach((id) => referenced.add(id));
  }
  for (const id of referenced) {
    const count = document.querySelectorAll(`[id="${CSS.escape(id)}"]`).length;
    if (count > 1) problems.push(`id "${id}" is used ${count} times but labels point at it`);
  }
  for (const el of document.querySelectorAll('button, a[href], input[type=submit], input[type=button], [role=button]')) {
    if (!rendered(el) && !el.classList.contains('skip-link')) continue;
    if (!accessibleName(el)) problems.push(`no accessible name: ${describe(el)}`);
  }
  for (const img of document.querySelectorAll('img')) {
    if (!img.hasAttribute('alt')) problems.push(`image without alt: ${img.src}`);
  }
  return problems;
}
"""

# WCAG 2.x relative luminance and contrast of every element that shows its own text.
_CONTRAST_JS = """
() => {
  const parse = (value) => {
    const m = value.match(/rgba?\\(([^)]+)\\)/);
    if (!m) return null;
    const parts = m[1].split(/[\\s,\\/]+/).filter(Boolean).map(Number);
    return { r: parts[0], g: parts[1], b: parts[2], a: parts.length > 3 ? parts[3] : 1 };
  };
  const over = (top, bottom) => ({
    r: top.r * top.a + bottom.r * (1 - top.a),
    g: top.g * top.a + bottom.g * (1 - top.a),
    b: top.b * top.a + bottom.b * (1 - top.a),
    a: 1,
  });
  const luminance = (c) => {
    const channel = (v) => {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    };
    return 0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b);
  };
  const ratio = (a, b) => {
    const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
    return (hi + 0.05) / (lo + 0.05);
  };
  // The colour behind an element: its own and its ancestors' backgrounds, composited.
  // null when a background image is in the way (then the contrast cannot be computed).
  const background = (el) => {
    const layers = [];
    for (let node = el; node; node = node.parentElement) {
      const style = getComputedStyle(node);
      if (style.backgroundImage !== 'none') return null;
      const colour = parse(style.backgroundColor);
      if (colour && colour.a > 0) {
        layers.push(colour);
        if (colour.a >= 1) break;
      }
    }
    let result = { r: 255, g: 255, b: 255, a: 1 };  // the canvas
    for (const layer of layers.reverse()) result = over(layer, result);
    return result;
  };
  const failures = [];
  for (const el of document.body.querySelectorAll('*')) {
    const ownText = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
    if (!ownText || !el.getClientRects().length || el.closest('svg')) continue;  // charts: fill, not color
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden' || Number(style.opacity) === 0) continue;
    if (el.closest('[disabled], [aria-disabled=true]')) continue;  // inactive controls are exempt
    const rect = el.getBoundingClientRect();
    if (rect.right <= 0) continue;  // moved off-screen on purpose (the skip link until focused)
    const bg = background(el);
    if (!bg) continue;
    const fg = over(parse(style.color), bg);
    const size = parseFloat(style.fontSize);
    const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
    const needed = large ? 3 : 4.5;
    const value = ratio(fg, bg);
    if (value < needed) {
      const cls = el.classList.length ? '.' + [...el.classList].join('.') : '';
      failures.push(
        `contrast ${value.toFixed(2)} < ${needed}: <${el.tagName.toLowerCase()}${cls}>`
        + ` "${el.textContent.trim().slice(0, 30)}" ${style.color} on rgb(${Math.round(bg.r)}, ${Math.round(bg.g)}, ${Math.round(bg.b)})`
      );
    }
  }
  return failures;
}
"""

_FOCUS_JS = """
() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  const rect = el.getBoundingClientRect();
  return {
    tag: el.tagName.toLowerCase(),
    text: (el.innerText || el.value || el.getAttribute('aria-label') || '').trim().slice(0, 60),
    outlineStyle: style.outlineStyle,
    outlineWidth: parseFloat(style.outlineWidth),
    inMain: Boolean(document.querySelector('main') && document.querySelector('main').contains(el)),
    onScreen: rect.right > 0 && rect.left < window.innerWidth && rect.width > 0,
    skipLink: el.classList.contains('skip-link'),
  };
}
"""


def problems(page: Page) -> list[str]:
    """Everything the basic checks find wrong with the page as it is now."""
    return page.evaluate(_PROBLEMS_JS) + page.evaluate(_CONTRAST_JS)


def check_page(page: Page) -> None:
    found = problems(page)
    assert not found, f"accessibility problems on {page.url}:\n  " + "\n  ".join(found)


def focused(page: Page) -> dict | None:
    return page.evaluate(_FOCUS_JS)


def _assert_visible_focus(state: dict | None, url: str) -> None:
    assert state is not None, f"Tab left the focus nowhere on {url}"
    visible = state["outlineStyle"] != "none" and state["outlineWidth"] > 0
    assert visible, f"no visible focus outline on <{state['tag']}> {state['text']!r} ({url})"


def check_keyboard(page: Page, action: str, max_tabs: int = 80) -> int:
    """From the top of the page: the skip link comes first, shows its focus and moves the focus
    into <main>; Tab then reaches the button named `action`, with a visible focus on every stop.
    Returns the number of Tab presses from the skip link's target to the action."""
    page.evaluate("window.scrollTo(0, 0); document.activeElement && document.activeElement.blur()")
    page.keyboard.press("Tab")
    state = focused(page)
    _assert_visible_focus(state, page.url)
    assert state["skipLink"] and state["onScreen"], (
        f"the first Tab stop is not the skip link: {state}"
    )
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main", "the skip link did not go to #main"
    for presses in range(1, max_tabs + 1):
        page.keyboard.press("Tab")
        state = focused(page)
        _assert_visible_focus(state, page.url)
        if presses == 1:
            assert state["inMain"], f"after the skip link, Tab went outside <main>: {state}"
        if state["tag"] == "button" and state["text"] == action:
            return presses
    raise AssertionError(f"Tab never reached the button {action!r} on {page.url}")


def check_no_horizontal_scroll(page: Page, width: int, tolerance: int = 1) -> None:
    scroll_width = page.evaluate("document.scrollingElement.scrollWidth")
    assert scroll_width <= width + tolerance, (
        f"{page.url} scrolls sideways at {width} px: content is {scroll_width} px wide"
    )
