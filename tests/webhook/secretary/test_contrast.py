"""The page's colours meet WCAG 2.1 AA: 4.5:1 for text, 3:1 for focus rings and borders.

Read from the stylesheet itself: every colour is a custom property in ``:root``; each rule
that sets both a text and a background colour is checked, the pairs the page draws on
each other are listed below, and every colour must be in at least one checked pair.
"""

from __future__ import annotations

import re
from importlib.resources import files

import pytest

CSS = (files("webhook.secretary") / "static" / "sekreterare.css").read_text(encoding="utf-8")
COLOURS = dict(re.findall(r"(--[a-z-]+):\s*(#[0-9a-fA-F]{6})\s*;", CSS))

TEXT = 4.5
NON_TEXT = 3.0  # focus indicators, borders of fields (WCAG 2.1: 1.4.11)
PAIRS = [  # (foreground, background, minimum)
    ("--text", "--background", TEXT), ("--muted", "--background", TEXT),
    ("--link", "--background", TEXT), ("--link-visited", "--background", TEXT),
    ("--text", "--stripe", TEXT), ("--link", "--stripe", TEXT),
    ("--muted", "--stripe", TEXT), ("--link-visited", "--stripe", TEXT),
    ("--on-accent", "--accent", TEXT), ("--on-button", "--button", TEXT),
    ("--on-button", "--button-hover", TEXT), ("--on-secondary", "--secondary", TEXT),
    ("--on-flag", "--flag", TEXT), ("--on-notice", "--notice", TEXT),
    ("--on-error", "--error", TEXT), ("--focus", "--background", NON_TEXT),
    ("--focus", "--stripe", NON_TEXT), ("--focus-on-accent", "--accent", NON_TEXT),
    ("--border", "--background", NON_TEXT),
]


def luminance(colour: str) -> float:
    """Relative luminance (WCAG 2.1, from sRGB)."""
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(first: str, second: str) -> float:
    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_the_contrast_formula_gives_the_known_ratios():
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)


@pytest.mark.parametrize(("foreground", "background", "minimum"), PAIRS,
                         ids=[f"{f} on {b}" for f, b, _ in PAIRS])
def test_each_pair_the_page_draws_has_enough_contrast(foreground, background, minimum):
    assert contrast(COLOURS[foreground], COLOURS[background]) >= minimum


def test_every_rule_with_text_and_background_colours_has_enough_contrast():
    checked = 0
    for selector, body in re.findall(r"([^{}]+)\{([^}]*)\}", CSS):
        text = re.search(r"(?<![-\w])color:\s*var\((--[a-z-]+)\)", body)
        background = re.search(r"background-color:\s*var\((--[a-z-]+)\)", body)
        if text and background:
            checked += 1
            ratio = contrast(COLOURS[text.group(1)], COLOURS[background.group(1)])
            assert ratio >= TEXT, selector.strip()
    assert checked >= 8


def test_every_colour_is_a_custom_property_in_a_checked_pair():
    assert len(COLOURS) >= 15
    used = {name for pair in PAIRS for name in pair[:2]}
    assert set(COLOURS) - used == set()
    rules = CSS.split("}", 1)[1]  # everything after :root
    assert re.findall(r"#[0-9a-fA-F]{3,8}\b", rules) == []
