"""Browser checks run on every page visited: axe-core (WCAG 2.2 AA) and reflow at 320 px."""

from axe_playwright_python.sync_playwright import Axe

_axe = Axe()
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


# Roles a person fills in or presses, and the groups around radios, checkboxes and date boxes.
NAMED_ROLES = {
    "textbox",
    "searchbox",
    "combobox",
    "listbox",
    "spinbutton",
    "checkbox",
    "radio",
    "button",
    "switch",
    "slider",
    "group",
    "radiogroup",
}


def unnamed_controls(page) -> list[str]:
    """Form controls and fieldsets whose accessible name (as Chromium's accessibility tree computes it,
    i.e. what a screen reader announces) is empty. axe passes a fieldset with an empty legend."""
    cdp = page.context.new_cdp_session(page)
    try:
        nodes = cdp.send("Accessibility.getFullAXTree")["nodes"]
        unnamed = [
            node
            for node in nodes
            if not node.get("ignored")
            and node.get("role", {}).get("value") in NAMED_ROLES
            and not (node.get("name", {}).get("value") or "").strip()
        ]
        # A <details> disclosure is a "group" too, announced by its summary: not a form group.
        return [
            f"{node['role']['value']} (DOM node {node.get('backendDOMNodeId')})"
            for node in unnamed
            if _tag(cdp, node) != "DETAILS"
        ]
    finally:
        cdp.detach()


def _tag(cdp, node) -> str | None:
    if "backendDOMNodeId" not in node:
        return None
    return cdp.send("DOM.describeNode", {"backendNodeId": node["backendDOMNodeId"]})["node"]["nodeName"]


def audit(page) -> None:
    """Fail with a readable list if axe finds anything at desktop or 320 px width, a form control or group
    has no accessible name, or the page scrolls sideways at 320 px (WCAG 1.4.10 reflow)."""
    settle(page)
    assert unnamed_controls(page) == [], f"controls with no accessible name on {page.url}"
    _axe_clean(page, "desktop")
    size = page.viewport_size
    page.set_viewport_size({"width": 320, "height": 640})
    settle(page)
    try:
        overflow = page.evaluate("document.documentElement.scrollWidth")
        assert overflow <= 320, f"{page.url} needs horizontal scrolling at 320 px ({overflow} px wide)"
        _axe_clean(page, "320 px")
    finally:
        page.set_viewport_size(size)


def settle(page) -> None:
    """Wait until the page and its stylesheets have loaded and fonts are ready: under load, axe once ran
    before the CSS applied and reported colour contrast on unstyled text (about 1 run in 5)."""
    page.wait_for_load_state("load")  # the load event waits for every stylesheet the page links
    page.wait_for_function("document.readyState === 'complete'")
    page.evaluate("document.fonts.ready.then(() => true)")


def _axe_clean(page, width: str) -> None:
    results = _axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]})
    problems = [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
    ]
    assert problems == [], f"axe on {page.url} at {width}:\n" + "\n".join(problems)


def tab_to(page, selector: str, limit: int = 60) -> None:
    """Press Tab until the element matching selector has focus, as a keyboard user would."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement && document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"could not reach {selector} with the Tab key on {page.url}")
