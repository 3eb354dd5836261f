"""The form as platforms render it, in headless Chromium: RJSF 6 and JSON Forms 3 from npm.

The page (tests/browser/form/) bundles both renderers with the README's glue and loads
the shipped files from the running service (/schemas/…). The browser does what the
politician does: picks options and ticks boxes with real clicks, types texts (set through
the DOM as typing would, since ChromeDriver cannot type emoji) and presses «Skicka
rapporten». Each example's answers go in question by question, found by their Swedish
titles.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

import pytest
from chromium import full_page_png
from english import english_words

from besoksrapport.form.catalog import error_catalog
from besoksrapport.form.messages import RULE_CODES
from besoksrapport.form.schemas import conditional_fields, form_fields, load_schema
from besoksrapport.form.validation import validate_envelope
from besoksrapport.paths import EXAMPLES_DIR

pytestmark = pytest.mark.browser

RENDERERS = ("rjsf", "jsonforms")
FIELDS = form_fields()
TITLES = {name: schema["title"] for name, schema in FIELDS.items()}
ADD = "Lägg till"
SUBMIT = "Skicka rapporten"
# What the renderers themselves would say in English, beyond tests/support/english.py.
RENDERER_ENGLISH = {"submit", "add", "remove", "item", "items", "valid", "errors", "select",
                    "delete", "match", "schema", "should", "must", "yes", "no", "none"}
CROSS_FIELD = {"date_after_submission", "end_not_after_start", "decision_after_visit"}

# The page's helpers: a question is found by its Swedish title (a label or legend).
JS = r"""
const norm = (s) => s.replace(/\*\s*$/, "").trim();
window.q = (title) => {
  for (const h of document.querySelectorAll("#form label, #form legend")) {
    if (norm(h.textContent) === title) return h.closest(".form-group, .control");
  }
  return null;
};
window.shown = (title) => { const e = q(title); return !!e && e.offsetParent !== null; };
window.setValue = (el, value) => {
  const proto = el.tagName === "TEXTAREA" ? HTMLTextAreaElement.prototype
    : el.tagName === "SELECT" ? HTMLSelectElement.prototype : HTMLInputElement.prototype;
  Object.getOwnPropertyDescriptor(proto, "value").set.call(el, value);
  el.dispatchEvent(new Event("input", { bubbles: true }));
  el.dispatchEvent(new Event("change", { bubbles: true }));
};
window.texts = (title) => [...q(title).querySelectorAll(
  "input[type=text], input[type=date], input:not([type]), textarea")];
window.optionInput = (title, option, index) => {
  const box = q(title);
  const select = box.querySelectorAll("select")[index ?? 0];
  if (select) {
    const found = [...select.options].find((o) => (o.label || o.textContent).trim() === option);
    if (!found) return null;
    setValue(select, found.value);
    return select;
  }
  return [...box.querySelectorAll("input[type=radio], input[type=checkbox]")].find((i) =>
    ((i.closest("label") ?? i.nextElementSibling)?.textContent ?? "").trim() === option) ?? null;
};
window.addButton = (title) => [...q(title).querySelectorAll("button")].find((b) =>
  b.textContent.trim() === "Lägg till" || b.title === "Lägg till");
// RJSF lists a question's errors in .error-detail, JSON Forms in .validation_error.
const ERRORS = ".error-detail li, .validation_error";
window.errorsAt = (title) => [...q(title).querySelectorAll(ERRORS)]
  .map((e) => e.innerText.trim()).filter(Boolean);
window.allErrors = () => [...document.querySelectorAll("#form " + ERRORS.replace(", ", ", #form "))]
  .map((e) => e.innerText.trim()).filter(Boolean);
window.rows = (title) => q(title).querySelectorAll("select, input[type=text], textarea").length;
"""


class CannotEnter(Exception):
    """The form offers no way to give this answer."""


class Form:
    def __init__(self, driver, renderer: str) -> None:
        self.driver, self.renderer = driver, renderer

    def js(self, script: str, *args: Any) -> Any:
        return self.driver.execute_script(JS + script, *args)

    def shown(self, name: str, expected: bool = True) -> bool:
        """Whether the question is shown, waiting a moment for the state ``expected``."""
        found = self.until("return shown(arguments[0]) === arguments[1] ? true : null",
                           TITLES[name], expected)
        return expected if found else not expected

    def click(self, element) -> None:
        self.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
        element.click()

    def until(self, script: str, *args: Any, seconds: float = 5) -> Any:
        """The script's answer once it is not null (React renders a click's result later)."""
        deadline = time.monotonic() + seconds
        while (found := self.js(script, *args)) is None and time.monotonic() < deadline:
            time.sleep(0.05)
        return found

    def choose(self, name: str, option: str, index: int = 0) -> None:
        element = self.until("return optionInput(arguments[0], arguments[1], arguments[2])",
                             TITLES[name], option, index)
        if element is None:
            raise CannotEnter(f"{name}: no option {option!r}")
        if element.tag_name != "select":
            self.click(element)

    def type(self, name: str, value: str, index: int = 0) -> None:
        # Tried again while the field does not keep it: a question that has just appeared
        # may render once more (a person starts typing later than this test does).
        # The text goes as JSON: ChromeDriver refuses a lone surrogate in an argument.
        kept = self.until("const t = texts(arguments[0])[arguments[2]]; if (!t) return null;"
                          "const v = JSON.parse(arguments[1]); setValue(t, v);"
                          "return t.value === v || null;",
                          TITLES[name], json.dumps(_typed(value)), index)
        if kept is None:
            raise CannotEnter(f"{name}: no text field {index} keeps {value!r}")

    def add_row(self, name: str) -> None:
        button = self.js("return addButton(arguments[0])", TITLES[name])
        if button is None:
            raise CannotEnter(f"{name}: no add button")
        # The button's own click(): JSON Forms' list ignores ChromeDriver's synthetic mouse
        # click on its «Lägg till» (no row appears), a click event works as a user's does.
        before = self.js("return rows(arguments[0])", TITLES[name])
        self.driver.execute_script("arguments[0].click()", button)
        grown = "return rows(arguments[0]) > arguments[1] || null"
        if self.until(grown, TITLES[name], before) is None:
            raise CannotEnter(f"{name}: «{ADD}» added no row")

    def remove_row(self, name: str) -> None:
        """«Ta bort» on the last row (JSON Forms asks first: the dialog is accepted)."""
        button = self.js("return [...q(arguments[0]).querySelectorAll('button')]"
                         ".filter(b => b.textContent.trim() === 'Ta bort' || b.title === 'Ta bort')"
                         ".pop() ?? null", TITLES[name])
        self.driver.execute_script("setTimeout(() => arguments[0].click(), 0)", button)
        if self.renderer == "jsonforms":
            from selenium.webdriver.support.ui import WebDriverWait

            WebDriverWait(self.driver, 30).until(lambda d: d.switch_to.alert).accept()

    def fill(self, answers: dict[str, Any]) -> None:
        """Answer as the politician would, question by question in the form's order."""
        unknown = set(answers) - set(FIELDS)
        if unknown:
            raise CannotEnter(f"the form has no question {sorted(unknown)}")
        for name, schema in FIELDS.items():
            if name not in answers:
                continue
            if name in conditional_fields() and not self.shown(name):
                raise CannotEnter(f"{name} is not asked")
            self.answer(name, schema, answers[name])

    def answer(self, name: str, schema: dict[str, Any], value: Any) -> None:
        if schema.get("type") == "boolean":
            if not isinstance(value, bool):
                raise CannotEnter(f"{name}: only yes or no")
            if "oneOf" in schema:
                self.choose(name, "Ja" if value else "Nej")
            else:  # the box to tick; ticked and unticked again for «false»
                box = self.js("return q(arguments[0]).querySelector('input')", TITLES[name])
                for state in (True, False) if not value else (True,):
                    self.click(box)
                    if self.until("return arguments[0].checked === arguments[1] || null",
                                  box, state) is None:
                        raise CannotEnter(f"{name}: the box stays {not state}")
        elif schema.get("type") == "array":
            self.answer_list(name, schema, value)
        elif "oneOf" in schema:
            titles = {option["const"]: option["title"] for option in schema["oneOf"]}
            if value not in titles:
                raise CannotEnter(f"{name}: no option {value!r}")
            self.choose(name, titles[value])
        else:
            self.type(name, value)

    def answer_list(self, name: str, schema: dict[str, Any], values: list) -> None:
        options = {o["const"]: o["title"] for o in schema["items"].get("oneOf", [])}
        if not values:  # an emptied list: one answer given and taken back
            first = next(iter(options.values()), None)
            if options and self.renderer == "rjsf":
                self.choose(name, first)
                self.choose(name, first)
            else:
                self.add_row(name)
                self.remove_row(name)
        for index, value in enumerate(values):
            if options and self.renderer == "rjsf":  # checkboxes, one per group
                if value in values[:index]:
                    raise CannotEnter(f"{name}: a box cannot be ticked twice")
                self.choose(name, options[value])
                continue
            self.add_row(name)
            if options:
                self.choose(name, options[value], index)
            else:
                self.type(name, value, index)

    def submit(self) -> dict | None:
        self.click(self.js("return [...document.querySelectorAll('#form button')]"
                           ".find(b => b.textContent.trim() === arguments[0])", SUBMIT))
        # Sent, or refused with errors on the page; whichever the page shows first (one of
        # them always comes: a long budget costs nothing but the wait on a loaded machine).
        self.until("return window.submitted ?? (allErrors().length ? false : null)",
                   seconds=30)
        return self.driver.execute_script("return window.submitted")

    def errors_at(self, name: str) -> list[str]:
        return self.until("const e = errorsAt(arguments[0]); return e.length ? e : null",
                          TITLES[name], seconds=30) or []

    def all_errors(self) -> list[str]:
        return self.until("const e = allErrors(); return e.length ? e : null", seconds=30) or []

    def visible_text(self) -> str:
        return self.driver.execute_script("return document.getElementById('form').innerText")


@pytest.fixture
def open_form(browser, page_url, service_url):
    def open_(renderer: str) -> Form:
        browser.get(f"{page_url}/index.html?renderer={renderer}&base={service_url}")
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            state = browser.execute_script(
                "return [window.formReady === true && !!document.querySelector('#form button'),"
                " window.pageError ?? null]")
            assert state[1] is None, state[1]
            if state[0]:
                return Form(browser, renderer)
            time.sleep(0.1)
        raise AssertionError("the form page did not load")
    return open_


def _typed(value: str) -> str:
    """A text as a text box holds it: browsers keep a line break as "\\n" only."""
    return value.replace("\r\n", "\n").replace("\r", "\n")


def _as_typed(answers: dict[str, Any]) -> dict[str, Any]:
    return {key: _typed(value) if isinstance(value, str) else value
            for key, value in answers.items()}


def _example(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


VALID = sorted((EXAMPLES_DIR / "valid").glob("*.json"))
INVALID = sorted((EXAMPLES_DIR / "invalid").glob("*.json"))
EXPECTED = json.loads((EXAMPLES_DIR / "invalid.expected.json").read_text(encoding="utf-8"))
ANSWERS = "/data/answers/"


def _english(text: str) -> set[str]:
    words = {word.lower() for word in english_words(text)}
    plain = {word.lower() for word in text.replace("\n", " ").split()}
    return words | (plain & RENDERER_ENGLISH)


@pytest.mark.parametrize("renderer", RENDERERS)
def test_the_empty_form_has_no_answer_and_no_english(open_form, renderer):
    form = open_form(renderer)
    checked = form.js("return [...document.querySelectorAll('#form input')]"
                      ".filter(i => (i.type === 'radio' || i.type === 'checkbox') && i.checked)"
                      ".map(i => i.name || i.id)")
    filled = form.js("return [...document.querySelectorAll('#form input, #form textarea')]"
                     ".filter(i => i.type !== 'radio' && i.type !== 'checkbox' && i.value)"
                     ".map(i => i.id)")
    chosen = form.js("return [...document.querySelectorAll('#form select')]"
                     ".filter(s => s.value !== '').map(s => s.id)")
    assert (checked, filled, chosen) == ([], [], [])
    for name in conditional_fields():
        assert not form.shown(name, expected=False), name
    text = form.visible_text()
    for title in (TITLES[name] for name in FIELDS if name not in conditional_fields()):
        assert title in text
    assert SUBMIT in text
    assert _english(text) == set()
    if os.environ.get("BESOKSRAPPORT_SCREENSHOT_DIR"):  # the README's docs/form-rjsf.png
        folder = Path(os.environ["BESOKSRAPPORT_SCREENSHOT_DIR"])
        (folder / f"form-{renderer}.png").write_bytes(full_page_png(form.driver))
    assert form.submit() is None  # nothing is sent from an empty form


@pytest.mark.parametrize("renderer", RENDERERS)
def test_every_error_on_the_empty_form_is_the_servers_swedish_message(open_form, renderer):
    form = open_form(renderer)
    assert form.submit() is None
    shown = form.all_errors()
    catalog = set(error_catalog().values())
    assert shown and set(shown) <= catalog, set(shown) - catalog
    assert _english(" ".join(shown)) == set()
    assert form.errors_at("visit_date") == ["Ange datum för besöket."]
    assert form.errors_at("information_given") == [
        "Besvara minst en av frågorna om vad som togs upp under besöket."]


@pytest.mark.parametrize("renderer", RENDERERS)
def test_conditional_questions_show_only_when_their_condition_holds(open_form, renderer):
    form = open_form(renderer)
    form.choose("visit_kind", "Ett besök efter beslut av ordföranden")
    form.choose("joint_visit", "Ja")
    form.answer_list("met", FIELDS["met"], ["other"])
    assert all(form.shown(name) for name in conditional_fields())
    form.type("chair_decision_date", "2026-10-01")
    form.add_row("other_participants")
    form.type("other_participants", "Karin Ek")
    form.type("met_other", "Elevrådet")
    form.choose("visit_kind", "Ett av årets 1–2 ordinarie besök")
    form.choose("joint_visit", "Nej")
    if renderer == "rjsf":  # untick «Andra», tick what minimal.json met
        for group in ("Andra", "Personal", "Ledning eller chefer"):
            form.choose("met", group)
    else:
        form.choose("met", "Personal", 0)
        form.add_row("met")
        form.choose("met", "Ledning eller chefer", 1)
    assert not any(form.shown(name, expected=False) for name in conditional_fields())
    minimal = _example(EXAMPLES_DIR / "valid" / "minimal.json")["data"]["answers"]
    form.fill({key: value for key, value in minimal.items()
               if key not in ("visit_kind", "joint_visit", "met")})
    # The hidden questions' answers were dropped: exactly minimal.json is sent.
    assert form.submit() == minimal, form.all_errors()


@pytest.mark.parametrize("renderer", RENDERERS)
@pytest.mark.parametrize("path", VALID, ids=lambda p: p.stem)
def test_every_valid_example_can_be_filled_and_submitted(open_form, renderer, path):
    answers = _example(path)["data"]["answers"]
    form = open_form(renderer)
    form.fill(answers)
    sent = form.submit()
    assert sent == _as_typed(answers), form.all_errors()


def _browser_checked(name: str) -> bool:
    entry = EXPECTED[name]
    return entry["pointer"].startswith(ANSWERS) and entry["code"] not in CROSS_FIELD


# Invalid answers the form gives no way to enter, and why (the server still refuses them).
CANNOT_BE_ENTERED = {
    "unknown-operation.json": "the list offers only the six operations",
    "yes-no-as-text.json": "a yes/no question has only «Ja» and «Nej»",
    "unknown-property.json": "the form has no such question",
    "unknown-property-escaped.json": "the form has no such question",
    "decision-date-without-chair-decision.json": "the date is asked only after a chair's decision",
    "participants-without-joint-visit.json": "the names are asked only for a joint visit",
    "met-text-without-other.json": "«Vilka andra» is asked only when «Andra» is ticked",
}
NOT_IN_RJSF = {"met-twice.json": "a box cannot be ticked twice",
               # RJSF 6 keeps a box that must be true ticked once ticked; left unticked, the
               # answer is absent and «required» asks for it (shown on the empty form).
               "public-record-not-acknowledged.json": "the ticked box cannot be unticked"}
NOT_IN_JSONFORMS = {"impossible-date.json": "the date input keeps no impossible date",
                    "not-a-date.json": "the date input keeps only dates"}


@pytest.mark.parametrize("renderer", RENDERERS)
@pytest.mark.parametrize("path", [p for p in INVALID if _browser_checked(p.name)],
                         ids=lambda p: p.stem)
def test_invalid_answers_show_the_422s_message_at_their_question(open_form, renderer, path):
    doc = _example(path)
    [issue] = validate_envelope(doc)  # what the webhook's 422 says (tests/webhook checks it)
    name = issue.pointer.removeprefix(ANSWERS).split("/")[0]
    form = open_form(renderer)
    cannot = {**CANNOT_BE_ENTERED,
              **(NOT_IN_RJSF if renderer == "rjsf" else NOT_IN_JSONFORMS)}
    if path.name in cannot:
        with pytest.raises(CannotEnter):
            form.fill(doc["data"]["answers"])
        return
    form.fill(doc["data"]["answers"])
    assert form.submit() is None
    assert issue.message in form.errors_at(name), (form.errors_at(name), form.all_errors())


def test_every_invalid_example_is_either_shown_or_cannot_be_entered():
    in_form = {p.name for p in INVALID if _browser_checked(p.name)}
    assert set(CANNOT_BE_ENTERED) | set(NOT_IN_RJSF) | set(NOT_IN_JSONFORMS) <= in_form
    server_only = {name for name, entry in EXPECTED.items() if entry["code"] in CROSS_FIELD}
    # «blank» is in the schema too; «date_out_of_range» (years outside 2000–2099) guards the
    # server against typos and attacks that JSON Schema's date format lets through.
    assert {EXPECTED[name]["code"] for name in server_only} == CROSS_FIELD == set(RULE_CODES) - {
        "blank", "date_out_of_range"}
    assert load_schema("visit-report.schema.json")["unevaluatedProperties"] is False
