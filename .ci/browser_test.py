#!/usr/bin/env python3
"""Bearing browser tests: headless Chromium (Debian's) driven by Selenium 4, in English then Arabic.

Needs a running server with the demo loaded, e.g.
    BEARING_DATA_DIR=$(mktemp -d) .build/debug/bearing serve --demo --port 8190
Environment:
    BEARING_BASE_URL        default http://127.0.0.1:8190
    BEARING_SHARED_DATA     default <repo>/../shared/data (reads boundaries/sdn/sdn_admin{0,1,2}.geojson)
    BEARING_ADMIN_EMAIL     default admin@demo.bearing.test
    BEARING_ADMIN_PASSWORD  default bearing-demo-admin
Prints one line per step and "N passed, N failed" last; exits 1 if any step failed.
Screenshots: .ci/out/screenshots/<lang>-<step>.png; on a failure also .ci/out/failures/.
"""
from __future__ import annotations

import os
import random
import re
import signal
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import urlparse

from selenium import webdriver
from selenium.common.exceptions import (
    ElementClickInterceptedException,
    ElementNotInteractableException,
    NoSuchElementException,
    StaleElementReferenceException,
    TimeoutException,
    WebDriverException,
)
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

REPO = Path(__file__).resolve().parent.parent
BASE = os.environ.get("BEARING_BASE_URL", "http://127.0.0.1:8190").rstrip("/")
DATA = Path(os.environ.get("BEARING_SHARED_DATA") or REPO.parent / "shared" / "data").resolve()
OUT = REPO / ".ci" / "out"
SHOTS = OUT / "screenshots"
FAILURES = OUT / "failures"
ADMIN_EMAIL = os.environ.get("BEARING_ADMIN_EMAIL", "admin@demo.bearing.test")
ADMIN_PASSWORD = os.environ.get("BEARING_ADMIN_PASSWORD", "bearing-demo-admin")
CHROMIUM = os.environ.get("CHROMIUM_BINARY", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")

WAIT = 30          # seconds for an ordinary page or element (debug build; bcrypt on sign-in)
IMPORT_WAIT = 240  # seconds for one boundary import (sdn_admin2 is 3.4 MB of GeoJSON)

BOUNDARY_FILES = [("sdn_admin0.geojson", 0, 1), ("sdn_admin1.geojson", 1, 19), ("sdn_admin2.geojson", 2, 189)]
KHARTOUM = ("15.5007", "32.5599")  # inside Khartoum state, P-code SD01
UUID_RE = r"[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}"
TEXT = {
    "en": {"operation": "Sudan E2E", "site": "Khartoum office E2E", "contact": "Amina Yusuf",
           "notes": "Created by the browser test.", "incident": "Vehicle stopped at a checkpoint E2E",
           "risk": "Detention of staff at checkpoints E2E", "recommendation": "Suspend night movement E2E"},
    "ar": {"operation": "السودان E2E", "site": "مكتب الخرطوم E2E", "contact": "أمينة يوسف",
           "notes": "أنشأه اختبار المتصفح.", "incident": "توقيف مركبة عند نقطة تفتيش E2E",
           "risk": "احتجاز الموظفين عند نقاط التفتيش E2E", "recommendation": "تعليق التنقل ليلاً E2E"},
}
# Arabic-Indic and Extended Arabic-Indic digits read as ASCII digits, in case counts are localised.
DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")


class Check(AssertionError):
    """A failed expectation, with a message that says what was expected and what was there."""


# ---------------------------------------------------------------- browser helpers

def make_driver(profile: str | None = None) -> webdriver.Chrome:
    """Headless Chromium; with `profile`, that user-data directory (a browser closed and opened again keeps it)."""
    opts = Options()
    opts.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1280,900", "--lang=en-US", "--no-first-run", "--no-default-browser-check",
                "--disable-extensions", "--password-store=basic",
                f"--user-data-dir={profile or tempfile.mkdtemp(prefix='bearing-chromium-')}"):
        opts.add_argument(arg)
    opts.add_experimental_option("prefs", {
        "intl.accept_languages": "en-US,en",
        "credentials_enable_service": False,
        "profile.password_manager_enabled": False,
        "profile.password_manager_leak_detection": False,
    })
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    OUT.mkdir(parents=True, exist_ok=True)
    service = Service(executable_path=CHROMEDRIVER, log_output=str(OUT / "chromedriver.log"))
    driver = webdriver.Chrome(service=service, options=opts)
    driver.set_page_load_timeout(120)
    return driver


class Page:
    """Small helpers over one driver: explicit waits only."""

    def __init__(self, driver: webdriver.Chrome):
        self.d = driver

    def wait(self, timeout: float = WAIT) -> WebDriverWait:
        return WebDriverWait(self.d, timeout, poll_frequency=0.2)

    @property
    def path(self) -> str:
        return urlparse(self.d.current_url).path

    def open(self, path: str, ready_css: str) -> WebElement:
        self.d.get(BASE + path)
        return self.find(ready_css, f"opening {path}")

    def find(self, css: str, context: str = "", timeout: float = WAIT) -> WebElement:
        try:
            return self.wait(timeout).until(EC.presence_of_element_located((By.CSS_SELECTOR, css)))
        except TimeoutException:
            raise Check(f"no element {css} {context} on {self.path} after {timeout:.0f} s{self.errors_note()}") from None

    def visible(self, css: str, context: str = "", timeout: float = WAIT) -> WebElement:
        try:
            return self.wait(timeout).until(EC.visibility_of_element_located((By.CSS_SELECTOR, css)))
        except TimeoutException:
            raise Check(f"no visible {css} {context} on {self.path} after {timeout:.0f} s") from None

    def fill(self, css: str, value: str) -> None:
        el = self.find(css)
        if (el.get_attribute("type") or "").lower() in ("date", "datetime-local", "month", "time"):
            # Typing into a date input depends on the browser's locale; set the ISO value instead.
            self.d.execute_script(
                "arguments[0].value = arguments[1];"
                "arguments[0].dispatchEvent(new Event('input', {bubbles: true}));"
                "arguments[0].dispatchEvent(new Event('change', {bubbles: true}));", el, value)
            if el.get_attribute("value") != value:
                raise Check(f"{css} did not take the value {value!r}")
        else:
            el.clear()
            el.send_keys(value)

    def choose(self, css: str, value: str) -> None:
        select = Select(self.find(css))
        try:
            select.select_by_value(value)
        except NoSuchElementException:
            values = [o.get_attribute("value") for o in select.options]
            raise Check(f"{css} has no option with value {value!r} (has {values})") from None

    def choose_preferred(self, css: str, preferred: str) -> str:
        """Selects `preferred` if offered, else the first option with a non-empty value."""
        select = Select(self.find(css))
        values = [o.get_attribute("value") or "" for o in select.options]
        value = preferred if preferred in values else next((v for v in values if v), None)
        if value is None:
            raise Check(f"{css} offers no option with a value")
        select.select_by_value(value)
        return value

    def click(self, el: WebElement) -> None:
        try:
            el.click()
        except (ElementClickInterceptedException, ElementNotInteractableException):
            self.d.execute_script("arguments[0].click()", el)  # covered or visually hidden button

    def submit(self, css: str, timeout: float = WAIT) -> None:
        """Clicks a submit button and waits for the next document to finish loading."""
        button = self.find(css)
        self.mark_page()
        self.submit_element(button, css, timeout)

    def mark_page(self) -> None:
        """Tags the current document, so that a new one can be told apart from it."""
        self.d.execute_script("window.__bearingOldPage = true")

    def submit_element(self, button: WebElement | None, what: str, timeout: float = WAIT) -> None:
        """Clicks `button` (if any) and waits until a document not tagged by mark_page() has loaded.
        Polling a marker instead of EC.staleness_of: chromedriver can answer a check on an element of
        the page being replaced with "Node with given id does not belong to the document"."""
        click_error = ""
        if button is not None:
            try:
                self.click(button)
            except WebDriverException as exc:  # often harmless: the page already moved on
                click_error = f" (the click said: {(exc.msg or type(exc).__name__).strip().splitlines()[0]})"
        try:
            WebDriverWait(self.d, timeout, poll_frequency=0.2, ignored_exceptions=(WebDriverException,)).until(
                lambda d: d.execute_script("return !window.__bearingOldPage && document.readyState === 'complete'"))
        except TimeoutException:
            raise Check(f"submitting with {what} loaded no new page within {timeout:.0f} s{click_error}") from None

    def errors(self) -> list[str]:
        texts = []
        for el in self.d.find_elements(By.CSS_SELECTOR, ".error, [role='alert']"):
            try:
                if el.is_displayed() and el.text.strip():
                    texts.append(" ".join(el.text.split()))
            except StaleElementReferenceException:
                pass
        return texts

    def errors_note(self) -> str:
        try:
            errs = self.errors()
        except WebDriverException:
            return ""
        return f" (page says: {' | '.join(errs)[:300]})" if errs else ""

    def html_attr(self, name: str) -> str | None:
        return self.d.execute_script("return document.documentElement.getAttribute(arguments[0])", name)

    def body_attr(self, name: str) -> str | None:
        return self.d.execute_script("return document.body && document.body.getAttribute(arguments[0])", name)

    def expect_path(self, pattern: str, what: str, timeout: float = WAIT) -> re.Match:
        try:
            self.wait(timeout).until(lambda d: re.fullmatch(pattern, urlparse(d.current_url).path))
        except TimeoutException:
            raise Check(f"expected to land on {what}, still on {self.path}{self.errors_note()}") from None
        return re.fullmatch(pattern, self.path)

    def screenshot(self, name: str) -> Path:
        SHOTS.mkdir(parents=True, exist_ok=True)
        path = SHOTS / f"{name}.png"
        if not self.d.save_screenshot(str(path)):
            raise Check(f"could not save {path}")
        print(f"    screenshot: {path}")
        return path


# ---------------------------------------------------------------- the steps

class Flow:
    def __init__(self, page: Page):
        self.p = page
        self.passed = 0
        self.failed = 0
        self.skipped = 0

    def step(self, name: str, fn, *args):
        """Runs one step; returns (ok, result). Never raises."""
        started = time.monotonic()
        try:
            result = fn(*args)
        except Exception as exc:  # noqa: BLE001 - every failure is reported the same way
            self.failed += 1
            message = str(exc).strip() or type(exc).__name__
            if not isinstance(exc, Check):
                message = f"{type(exc).__name__}: {message.splitlines()[0]}"
            print(f"FAIL {name}: {message} [{self.p.d.current_url}]", flush=True)
            self.save_failure(name)
            return False, None
        self.passed += 1
        print(f"PASS {name} ({time.monotonic() - started:.1f} s)", flush=True)
        return True, result

    def skip(self, *names: str) -> None:
        for name in names:
            self.skipped += 1
            print(f"SKIP {name}: an earlier step failed", flush=True)

    def save_failure(self, name: str) -> None:
        slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
        try:
            FAILURES.mkdir(parents=True, exist_ok=True)
            self.p.d.save_screenshot(str(FAILURES / f"{slug}.png"))
            (FAILURES / f"{slug}.html").write_text(self.p.d.page_source, encoding="utf-8")
            print(f"    saved {FAILURES / slug}.png and .html")
        except Exception:  # noqa: BLE001 - best effort only
            pass

    # -- sign-in

    def wrong_password(self) -> None:
        p = self.p
        p.open("/sign-in", "input#email")
        p.fill("input#email", ADMIN_EMAIL)
        p.fill("input#password", "not-the-password-" + str(random.randint(1000, 9999)))
        p.submit("button#sign-in")
        p.visible(".error, [role='alert']", "after a wrong password")
        if not p.errors():
            raise Check("the error element after a wrong password is empty")
        if p.path != "/sign-in":
            raise Check(f"a wrong password should stay on /sign-in, went to {p.path}")
        if p.body_attr("data-signed-in") == "true":
            raise Check("a wrong password signed in (body data-signed-in=\"true\")")

    def sign_in(self) -> None:
        p = self.p
        p.open("/sign-in", "input#email")
        p.fill("input#email", ADMIN_EMAIL)
        p.fill("input#password", ADMIN_PASSWORD)
        p.submit("button#sign-in")
        try:
            p.wait().until(lambda d: d.execute_script("return document.body.getAttribute('data-signed-in')") == "true")
        except TimeoutException:
            raise Check(f"not signed in as {ADMIN_EMAIL}: body data-signed-in={p.body_attr('data-signed-in')!r}"
                        f"{p.errors_note()}") from None
        if p.path == "/sign-in":
            raise Check("signed in but still on /sign-in")

    def operations_list(self, lang: str) -> None:
        p = self.p
        if p.path != "/":
            p.open("/", "body")
        if p.body_attr("data-signed-in") != "true":
            raise Check("/ is not signed in")
        p.screenshot(f"{lang}-operations")

    # -- language

    def switch_to_arabic(self) -> None:
        p = self.p
        p.open("/", "form.language-switch")
        form = p.find("form.language-switch")
        p.mark_page()
        Select(form.find_element(By.CSS_SELECTOR, "select[name='lang']")).select_by_value("ar")
        try:
            button = form.find_element(By.TAG_NAME, "button")
        except NoSuchElementException:
            raise Check("form.language-switch has no button") from None
        except WebDriverException:
            button = None  # the select submitted the form by itself; the page is being replaced
        p.submit_element(button, "form.language-switch button")
        try:
            p.wait().until(lambda d: d.execute_script("return document.documentElement.getAttribute('dir')") == "rtl")
        except TimeoutException:
            raise Check(f"after switching to Arabic <html dir> is {p.html_attr('dir')!r}, not 'rtl'") from None
        if p.html_attr("lang") != "ar":
            raise Check(f"after switching to Arabic <html lang> is {p.html_attr('lang')!r}, not 'ar'")
        p.open("/", "body")  # the choice sticks on the next page
        if (p.html_attr("dir"), p.html_attr("lang")) != ("rtl", "ar"):
            raise Check(f"the language did not stick: / has dir={p.html_attr('dir')!r} lang={p.html_attr('lang')!r}")

    # -- operation

    def create_operation(self, lang: str) -> str:
        p = self.p
        code = f"SDN-E2E-{lang.upper()}-{random.randint(0, 9999):04d}"
        name = TEXT[lang]["operation"]
        p.open("/operations/new", "input#code")
        p.fill("input#code", code)
        p.fill("input#name", name)
        p.fill("input#countries", "SDN")
        p.choose_preferred("select#emergency_type", "complex_emergency")
        p.fill("input#glide", "CE-2023-000076-SDN")
        p.fill("input#appeal", "MDRSD033")
        p.fill("input#start_date", "2023-04-15")
        p.submit("button#save")
        p.expect_path(rf"/operations/{re.escape(code)}/?", f"/operations/{code}")
        h1 = p.find("h1").text
        if name not in h1:
            raise Check(f"h1 is {h1!r}, expected it to contain {name!r}")
        print(f"    operation {code}")
        return code

    def add_member(self, code: str) -> None:
        p = self.p
        if not re.fullmatch(rf"/operations/{re.escape(code)}/about/?", p.path):
            p.open(f"/operations/{code}/about", "form#add-member")
        p.find("form#add-member")
        p.fill("input#member_email", ADMIN_EMAIL)
        p.choose("select#member_role", "heops")
        p.submit("button#add-member-submit")
        errors = [e.text for e in p.d.find_elements(By.CSS_SELECTOR, ".error") if e.is_displayed() and e.text.strip()]
        if errors:
            raise Check(f"adding {ADMIN_EMAIL} as heops failed: {' | '.join(errors)[:300]}")

    # -- boundaries

    def upload(self, code: str, file: Path, timeout: float = IMPORT_WAIT) -> None:
        p = self.p
        p.open(f"/operations/{code}/boundaries", "form#boundary-upload")
        p.find("form#boundary-upload input#file").send_keys(str(file))
        p.choose("form#boundary-upload select#level", "")
        p.submit("form#boundary-upload button#upload", timeout=timeout)

    def import_boundaries(self, code: str, file_name: str, level: int, count: int) -> None:
        p = self.p
        file = DATA / "boundaries" / "sdn" / file_name
        if not file.is_file():
            raise Check(f"missing test data {file}")
        self.upload(code, file)
        report = p.find("section#import-report", f"after uploading {file_name}")
        if report.get_attribute("data-imported") != "true":
            raise Check(f"section#import-report has data-imported={report.get_attribute('data-imported')!r}"
                        f"{p.errors_note()}")
        try:
            cell = report.find_element(By.CSS_SELECTOR, f"[data-level='{level}']")
        except NoSuchElementException:
            raise Check(f"section#import-report has no [data-level='{level}']: {report.text[:300]!r}") from None
        text = cell.text.translate(DIGITS)
        if not re.search(rf"(?<![0-9]){count}(?![0-9])", text):
            raise Check(f"[data-level='{level}'] says {cell.text!r}, expected it to contain {count}")

    def area_counts(self, code: str) -> list[tuple[str, str]]:
        self.p.open(f"/operations/{code}/boundaries", "form#boundary-upload")
        return [(lvl, " ".join(text.translate(DIGITS).split())) for lvl, text in self.p.d.execute_script(
            "return Array.from(document.querySelectorAll('[data-level]'))"
            ".filter(e => !e.closest('#import-report'))"
            ".map(e => [e.getAttribute('data-level'), e.textContent])")]

    def bad_upload(self, code: str) -> None:
        p = self.p
        before = self.area_counts(code)
        if not before:
            raise Check(f"/operations/{code}/boundaries shows no per-level area counts ([data-level] elements)")
        with tempfile.TemporaryDirectory() as folder:
            bad = Path(folder) / "bad.geojson"
            bad.write_text('{"type": "FeatureCollection", "features": [', encoding="utf-8")
            self.upload(code, bad, timeout=WAIT)
        alert = p.visible("[role='alert']", "after uploading a broken file")
        if "json" not in alert.text.lower():
            raise Check(f"the error does not mention JSON: {alert.text!r}")
        after = self.area_counts(code)
        if after != before:
            raise Check(f"a failed upload changed the area counts: {before} -> {after}")

    # -- sites and maps

    def add_site(self, code: str, lang: str) -> str:
        p = self.p
        name = TEXT[lang]["site"]
        p.open(f"/operations/{code}/sites/new", "input#name")
        p.fill("input#name", name)
        p.choose("select#type", "office")
        p.fill("input#latitude", KHARTOUM[0])
        p.fill("input#longitude", KHARTOUM[1])
        p.choose("select#audience", "ifrc")
        p.fill("input#contact_name", TEXT[lang]["contact"])
        p.fill("input#contact_phone", "+249 912 345 678")
        p.fill("textarea#notes", TEXT[lang]["notes"])
        p.submit("button#save")
        site_id = p.expect_path(rf"/operations/{re.escape(code)}/sites/({UUID_RE})/?",
                                f"/operations/{code}/sites/<uuid>").group(1)
        h1 = p.find("h1").text
        if name not in h1:
            raise Check(f"h1 is {h1!r}, expected it to contain {name!r}")
        self.map_has_site(site_id)
        area = p.find("#site-area").text
        if not re.search(r"SD01[0-9]*", area):
            raise Check(f"#site-area is {area!r}, expected a P-code starting with SD01 (Khartoum)")
        print(f"    site {site_id}: {' '.join(area.split())}")
        p.screenshot(f"{lang}-site")
        return site_id

    def map_has_site(self, site_id: str) -> None:
        svg = self.p.find("svg[role='img']", "(the map)")
        # UUIDs may be printed in either case; `i` matches the attribute case-insensitively.
        found = svg.find_elements(By.CSS_SELECTOR, f"[data-site-id='{site_id}' i]")
        if not found:
            ids = [e.get_attribute("data-site-id") for e in svg.find_elements(By.CSS_SELECTOR, "[data-site-id]")]
            raise Check(f"the map has no [data-site-id='{site_id}'] (has {ids[:5]})")
        # Drawn, not just present: a <use> of a missing shape would have no size.
        box = self.p.d.execute_script("const b = arguments[0].getBBox(); return [b.width, b.height];", found[0])
        if not box or box[0] <= 0 or box[1] <= 0:
            raise Check(f"the site symbol of {site_id} has no size on the map ({box})")

    def report_incident(self, code: str, lang: str) -> None:
        """Reports a serious incident on the phone-first form; its page shows the 24-hour clock,
        and the dashboard lists it among the reports due."""
        p = self.p
        title = TEXT[lang]["incident"]
        p.open(f"/operations/{code}/incidents/new", "input#title")
        p.fill("input#title", title)
        p.choose("select#category", "harassment")
        p.choose("select#subtype", "intimidation")
        # The area from the list of names (a locality of Khartoum), as a phone user picks it.
        p.choose("select#area_pcode", "SD01001")
        p.click(p.find("input[name='particularly_sensitive']"))
        p.submit("button#save")
        p.expect_path(rf"/operations/{re.escape(code)}/incidents/({UUID_RE})/?", "after reporting an incident")
        if title not in p.find("h1").text:
            raise Check(f"h1 is {p.find('h1').text!r}, expected the incident title")
        deadline = p.find("#deadline")
        if "deadline-open" not in (deadline.get_attribute("class") or ""):
            raise Check(f"#deadline has class {deadline.get_attribute('class')!r}, expected deadline-open")
        p.screenshot(f"{lang}-incident")
        p.open(f"/operations/{code}", "section#tile-reports-due")
        if title not in p.find("section#tile-reports-due").text:
            raise Check("the dashboard does not list the incident among the reports due")
        # The full list of reports due, earliest deadline first: a serious incident reported now
        # is due within 24 hours, so it is listed (it may follow ones due sooner).
        p.open(f"/operations/{code}/incidents/due", "ul#reports-due")
        items = p.d.find_elements(By.CSS_SELECTOR, "ul#reports-due li")
        if not any(title in item.text for item in items):
            raise Check(f"the reports-due page does not list the incident ({len(items)} items)")
        p.screenshot(f"{lang}-reports-due")

    def risk_register(self, code: str, lang: str) -> None:
        """Assesses a risk on the form (with a measure), links the incident reported before, finds
        it on the register's heat map, and issues a "what changed" report with a recommendation."""
        p = self.p
        title = TEXT[lang]["risk"]
        p.open(f"/operations/{code}/risks/new", "input#title")
        p.fill("input#title", title)
        p.choose("select#threat", "crime")
        p.click(p.find("input[name='targets[]'][value='people']"))
        p.fill("input#area_pcodes", "SD01")
        p.choose("select#likelihood", "4")
        p.choose("select#impact", "4")
        p.fill("input[name='measures[0][description]']", "Two-vehicle movement")
        p.fill("input[name='measures[0][owner]']", "Fleet")
        p.choose("select#residual_likelihood", "2")
        p.choose("select#residual_impact", "4")
        p.submit("button#save")
        p.expect_path(rf"/operations/{re.escape(code)}/risks/({UUID_RE})/?", f"after saving a risk{p.errors_note()}")
        if "level-3" not in p.find("dd#inherent").get_attribute("innerHTML"):
            raise Check(f"the inherent risk is not very high: {p.find('dd#inherent').text!r}")
        p.fill("input#incident_number", "1")
        p.submit("form#link-incident button")
        if TEXT[lang]["incident"] not in p.find("section#incidents").text:
            raise Check("the linked incident is not listed on the risk's page")
        p.screenshot(f"{lang}-risk")
        p.open(f"/operations/{code}/risks", "table#register")
        if title not in p.find("table#register").text:
            raise Check("the register does not list the risk")
        cell = p.find("figure.heat svg rect[data-likelihood='2'][data-impact='4']")
        if cell.get_attribute("data-count") != "1":
            raise Check(f"the heat map's residual cell counts {cell.get_attribute('data-count')!r}, expected 1")
        p.screenshot(f"{lang}-risk-register")
        p.open(f"/operations/{code}/risks/changes", "form#issue-report")
        if title not in p.find("section#new").text:
            raise Check("the risk is not among the new risks of the \"what changed\" view")
        p.fill("textarea#recommendations", TEXT[lang]["recommendation"])
        p.submit("form#issue-report button")
        p.expect_path(rf"/operations/{re.escape(code)}/risks/reports/({UUID_RE})/?", "after issuing a report")
        report = p.find("article.report").text
        if title not in report or TEXT[lang]["recommendation"] not in report:
            raise Check(f"the report lacks the risk or the recommendation: {report[:300]!r}")
        p.screenshot(f"{lang}-risk-report")

    def security_phase(self, code: str, lang: str) -> None:
        """Declares Yellow for Khartoum as the operation's HeOps (the senior manager): in force at
        once, so the phase map colours the state and the table lists it."""
        p = self.p
        p.open(f"/operations/{code}/phases", "form#declare-phase")
        p.fill("input#area_pcode", "SD01")
        p.choose("select#phase", "yellow")
        p.fill("textarea#justification", TEXT[lang]["notes"])
        p.click(p.find("input[name='indicators[]']"))
        p.submit("button#declare")
        p.expect_path(rf"/operations/{re.escape(code)}/phases/?", f"after declaring a phase{p.errors_note()}")
        if "SD01" not in p.find("section#in-force").text:
            raise Check(f"the phases in force do not list SD01{p.errors_note()}")
        paths = p.d.find_elements(By.CSS_SELECTOR, "figure.phase-map svg path[fill='#ffd43b']")
        if not paths:
            raise Check("the phase map has no area in the Yellow colour")
        p.screenshot(f"{lang}-phases")

    def flow_monitoring(self, code: str, lang: str) -> None:
        """Adds a flow-monitoring point at Gallabat, records a day's tally on the tally form at a
        phone's width (no sideways scrolling; back to an empty form for the same point), and finds
        the tally on the flow analysis: its totals, the pyramid and an arrow on the flow map."""
        p = self.p
        p.open(f"/operations/{code}/sites/new", "input#name")
        p.fill("input#name", "FMP Gallabat E2E")
        p.choose("select#type", "flow_monitoring_point")
        p.fill("input#latitude", "12.95")
        p.fill("input#longitude", "36.15")
        p.choose("select#audience", "ifrc")
        p.submit("button#save")
        point = p.expect_path(rf"/operations/{re.escape(code)}/sites/({UUID_RE})/?", f"after adding a point{p.errors_note()}").group(1)
        size = p.d.get_window_size()
        p.d.set_window_size(390, 844)
        try:
            p.open(f"/operations/{code}/flows/new?point={point}", "form#tally-form")
            wide = p.d.execute_script("return document.scrollingElement.scrollWidth - window.innerWidth")
            if wide > 2:
                raise Check(f"the tally form is {wide} px wider than a 390 px phone")
            p.click(p.find("input[name='direction'][value='outgoing']"))
            # Yesterday's day shift: whatever the hour the test runs, not in the future.
            yesterday = (datetime.now(timezone.utc) - timedelta(days=1)).strftime("%Y-%m-%d")
            p.d.execute_script("document.getElementById('date').value = arguments[0]", yesterday)
            p.fill("input#total", "40")
            p.d.execute_script("for (const d of document.querySelectorAll('form#tally-form details')) d.open = true")
            p.fill("input[name='bins[f_18_59]']", "10")
            p.fill("input[name='bins[m_18_59]']", "12")
            p.choose("select#origin_country", "SDN")
            p.fill("input#final_destination", "ETH")
            p.submit("button#save")
            # Saved, and straight back to an empty form for the same point, saying what was saved.
            if not p.d.find_elements(By.CSS_SELECTOR, "#tally-saved") or p.errors():
                raise Check(f"the tally was not saved{p.errors_note()}")
            if point.lower() not in p.d.current_url.lower() or p.find("input#total").get_attribute("value"):
                raise Check("the form for the next tally is not empty")
            p.screenshot(f"{lang}-tally-phone")
        finally:
            p.d.set_window_size(size["width"], size["height"])
        p.open(f"/operations/{code}/flows/analysis", "section#flow-map")
        if "40" not in p.find("section#summary").text:
            raise Check(f"the analysis does not count the 40 people: {p.find('section#summary').text!r}")
        links = p.d.find_elements(By.CSS_SELECTOR, "section#flow-map svg g.flow-link[data-people='40']")
        if len(links) != 2:
            raise Check(f"the flow map has {len(links)} arrows of 40 people, expected 2 (Sudan → point → Ethiopia)")
        if not p.d.find_elements(By.CSS_SELECTOR, "section#pyramid svg g.pyramid-row[data-women='10']"):
            raise Check("the pyramid does not show the 10 women aged 18–59")
        p.d.execute_script("document.querySelector('section#flow-map').scrollIntoView()")
        p.screenshot(f"{lang}-flow-map")

    def import_published(self, code: str, lang: str) -> None:
        """Uploads the whole AWSD export: only the operation's country (Sudan, 414 events) is kept."""
        p = self.p
        file = DATA / "awsd" / "awsd_2025-08_hxl.csv"
        if not file.is_file():
            raise Check(f"missing test data {file}")
        p.open(f"/operations/{code}/incidents/sources", "form#context-upload")
        p.choose("form#context-upload select#format", "awsd")
        p.find("form#context-upload input#file").send_keys(str(file))
        p.submit("form#context-upload button#import", timeout=IMPORT_WAIT)
        report = p.find("section#import-report", "after importing AWSD").text.translate(DIGITS)
        if "added: 414" not in report or "rejected: 0" not in report:
            raise Check(f"the import report does not say added: 414, rejected: 0: {report[:300]!r}{p.errors_note()}")
        p.screenshot(f"{lang}-sources")

    def analysis(self, code: str, lang: str) -> None:
        """The analysis of own and AWSD incidents since 1997: a chart with bars, the early warning
        naming its statistic, the area table; the CSV export link gives a file with our columns."""
        p = self.p
        p.open(f"/operations/{code}/incidents/analysis?from=1997-01-01", "#analysis-chart svg")
        bars = p.d.execute_script("return document.querySelectorAll('#analysis-chart svg rect[height]').length")
        if bars < 10:
            raise Check(f"the chart has {bars} bars, expected many (AWSD since 1997)")
        statement = p.find("#early-warning p.hint").text
        # The statistic and its parameters, in either language: Poisson, 28 and 182 days, α 0.05.
        if not any(name in statement for name in ("Poisson", "بواسون")) or not all(x in statement.translate(DIGITS) for x in ("28", "182", "0.05")):
            raise Check(f"the early warning does not name its statistic and parameters: {statement[:200]!r}")
        if not p.d.execute_script("return document.querySelectorAll('#analysis-areas tbody tr').length"):
            raise Check("the area × category table is empty")
        p.screenshot(f"{lang}-analysis")
        header = p.d.execute_async_script(
            "const done = arguments[arguments.length - 1];"
            "fetch(document.querySelector('#analysis-export').action + '?format=csv&from=1997-01-01')"
            ".then(r => r.text()).then(t => done(t.split('\\r\\n')[0] + '|' + t.split('\\r\\n').length)).catch(e => done('ERR ' + e));")
        if not header.startswith("source,id,date,time_precision,country_iso3"):
            raise Check(f"the CSV export starts {header[:120]!r}")

    def incident_map(self, code: str, lang: str) -> None:
        """AWSD's Sudan events on the map as points, the areas shaded by their counts."""
        p = self.p
        p.open(f"/operations/{code}/incidents/map?from=1997-01-01&source=awsd", "#incident-map svg")
        points = p.d.execute_script("return document.querySelectorAll('#incident-map [data-site-id]').length")
        shaded = p.d.execute_script(
            "return Array.from(document.querySelectorAll('#incident-map path[fill]'))"
            ".filter(e => ['#fee5d9','#fcae91','#fb6a4a','#cb181d'].includes(e.getAttribute('fill'))).length")
        if points < 300 or shaded < 3:
            raise Check(f"the map shows {points} points and {shaded} shaded areas; expected hundreds and several")
        p.screenshot(f"{lang}-incident-map")

    def dashboard(self, code: str, site_id: str, lang: str) -> None:
        # The operation's map with its sites is on "About this operation"; the dashboard says what needs attention.
        self.p.open(f"/operations/{code}", "section#tile-phases")
        self.p.open(f"/operations/{code}/about", "svg[role='img']")
        self.map_has_site(site_id)
        self.p.screenshot(f"{lang}-dashboard")

    # -- one language

    def operation_flow(self, lang: str, with_bad_upload: bool) -> None:
        t = f"{lang}:"
        ok, code = self.step(f"{t} create an operation", self.create_operation, lang)
        later = [f"{t} add the admin as heops", *(f"{t} import {f}" for f, _, _ in BOUNDARY_FILES),
                 *([f"{t} a broken upload is refused"] if with_bad_upload else []),
                 f"{t} add a site in Khartoum", f"{t} dashboard map shows the site", f"{t} report an incident",
                 f"{t} risk register, heat map and report", f"{t} declare a security phase",
                 f"{t} flow monitoring: a tally on a phone, the analysis and flow map",
                 f"{t} import published incidents (AWSD)", f"{t} incident analysis", f"{t} incident map"]
        if not ok:
            return self.skip(*later)
        ok, _ = self.step(later.pop(0), self.add_member, code)
        if not ok:
            return self.skip(*later)
        imported = True
        for file_name, level, count in BOUNDARY_FILES:
            ok, _ = self.step(later.pop(0), self.import_boundaries, code, file_name, level, count)
            imported = imported and ok
        if imported:
            self.p.screenshot(f"{lang}-boundaries")
        if with_bad_upload:
            self.step(later.pop(0), self.bad_upload, code)
        ok, site_id = self.step(later.pop(0), self.add_site, code, lang)
        if not ok:
            return self.skip(*later)
        self.step(later.pop(0), self.dashboard, code, site_id, lang)
        self.step(later.pop(0), self.report_incident, code, lang)
        self.step(later.pop(0), self.risk_register, code, lang)
        self.step(later.pop(0), self.security_phase, code, lang)
        self.step(later.pop(0), self.flow_monitoring, code, lang)
        ok, _ = self.step(later.pop(0), self.import_published, code, lang)
        if not ok:
            return self.skip(*later)
        self.step(later.pop(0), self.analysis, code, lang)
        self.step(later.pop(0), self.incident_map, code, lang)


# ---------------------------------------------------------------- every page, phone and desktop, en and ar

SWEEP_OPERATION = "SDN-DEMO"
SWEEP_ACCOUNTS = [("heops", "bearing-demo-heops"), ("partner", "bearing-demo-partner")]
# Files are not pages: a download (a brief's Word file or PDF) leaves the browser on the page before it.
SWEEP_SKIP = re.compile(r"(sign-out|\.csv|\.json|\.geojson|\.svg|\.css|\.js|\.docx|\.pdf|/export|/download|/attachments/|/api/|/print)")
# Text in maps and charts as it is read: its font size times the drawing's scale on the page.
SMALL_SVG_TEXT = """
const small = [];
for (const t of document.querySelectorAll('svg text')) {
  if (t.getBoundingClientRect().width === 0) continue;
  const svg = t.ownerSVGElement, box = svg.viewBox && svg.viewBox.baseVal;
  const scale = box && box.width ? svg.getBoundingClientRect().width / box.width : 1;
  const px = parseFloat(getComputedStyle(t).fontSize) * scale;
  if (px < 11.95) small.push(`"${t.textContent.slice(0, 20)}" ${px.toFixed(1)}px`);
}
return small;
"""

# Landmarks and headings as a screen reader lists them: one main, one banner, one contentinfo, a
# navigation, a skip link to the main content; one h1, first, and no level skipped after it.
STRUCTURE = """
const problems = [];
const visible = el => !!(el.offsetWidth || el.offsetHeight || el.getClientRects().length);
const count = sel => document.querySelectorAll(sel).length;
if (count('main') !== 1) problems.push(`${count('main')} main landmarks`);
if (count('body > header, [role=banner]') !== 1) problems.push('not one banner (header)');
if (count('body > footer, [role=contentinfo]') !== 1) problems.push('not one contentinfo (footer)');
if (!document.querySelector('nav')) problems.push('no navigation landmark');
if (!document.querySelector('a.skip[href="#main"]')) problems.push('no skip link to the main content');
const hs = [...document.querySelectorAll('h1,h2,h3,h4,h5,h6')].filter(visible);
const h1s = hs.filter(h => h.tagName === 'H1');
if (h1s.length !== 1) problems.push(`${h1s.length} h1`);
if (hs.length && hs[0].tagName !== 'H1') problems.push(`the first heading is ${hs[0].tagName}`);
let previous = 1;
for (const h of hs) {
  const level = +h.tagName[1];
  if (level > previous + 1) problems.push(`${h.tagName} after H${previous} ("${h.textContent.trim().slice(0, 40)}")`);
  previous = level;
}
return problems;
"""

# The focused element, and whether its focus can be seen: an outline or a ring (box-shadow), on a box
# that is on screen.
FOCUSED = """
const e = document.activeElement;
if (!e || e === document.body) return null;
const s = getComputedStyle(e), r = e.getBoundingClientRect();
const ring = (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== 'none';
return {tag: e.tagName.toLowerCase(), id: e.id, name: e.getAttribute('name') || '', href: e.getAttribute('href') || '',
        text: (e.innerText || e.value || '').trim().slice(0, 40), type: e.type || '',
        visible: ring && r.width > 1 && r.height > 1};
"""

# Elements that stick out of the viewport, left or right, outside any box that scrolls or clips them.
STICKING_OUT = """
const vw = document.documentElement.clientWidth, out = [];
function contained(el) {
  for (let p = el; p && p !== document.body; p = p.parentElement) {
    const s = getComputedStyle(p);
    if (p !== el && ['auto', 'scroll', 'hidden'].includes(s.overflowX)) return true;
    if (s.clip && s.clip !== 'auto') return true;
  }
  return false;
}
for (const el of document.body.querySelectorAll('*')) {
  const r = el.getBoundingClientRect();
  if (r.width === 0 || r.height === 0 || (r.left >= -1 && r.right <= vw + 1) || contained(el)) continue;
  out.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + ' ' + Math.round(r.left) + '..' + Math.round(r.right));
}
return [document.documentElement.scrollWidth, vw, out.slice(0, 3)];
"""


def page_pattern(path: str) -> str:
    return re.sub(r"/\d+(?=/|$)", "/:n", re.sub(UUID_RE, ":id", path))


def demo_session(driver: webdriver.Chrome, who: str, password: str, width: int) -> Page:
    """A demo account signed in, at `width` px (a phone below 500 px: a headless window is at least that wide)."""
    if width < 500:
        driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                               {"width": width, "height": 844, "deviceScaleFactor": 2, "mobile": True})
    p = Page(driver)
    p.open("/sign-in", "#email")
    p.fill("#email", f"{who}@demo.bearing.test")
    p.fill("#password", password)
    p.submit("#sign-in")
    if p.body_attr("data-signed-in") != "true":
        raise Check(f"{who} could not sign in")
    return p


class Sweep:
    """Every page an account reaches from the demo operation, at one width and in one language: no page
    wider than the viewport, no text in a map or chart under 12 px as shown, no axe-core violation rated critical
    or serious, landmarks and headings in order (STRUCTURE), the first keyboard stops with their focus
    visible, a screenshot of each."""

    def __init__(self, who: str, password: str, lang: str, width: int):
        self.who, self.password, self.lang, self.width = who, password, lang, width
        self.shots = SHOTS / "pages"

    def run(self) -> str:
        from axe_selenium_python import Axe  # installed by .ci/lib.sh (axe-core 3.1 bundled)

        driver = make_driver()
        try:
            p = demo_session(driver, self.who, self.password, self.width)
            # The language from the query, as a link from elsewhere would give it.
            p.open(f"/operations/{SWEEP_OPERATION}?lang={self.lang}", "main")
            if self.lang == "ar" and p.html_attr("dir") != "rtl":
                p.open("/account", "#lang-select")
                p.choose("#lang-select", self.lang)
                p.submit("form.language-switch button")
            problems, seen, queue = [], set(), [f"/operations/{SWEEP_OPERATION}", "/", "/account"]
            self.shots.mkdir(parents=True, exist_ok=True)
            while queue and len(seen) < 150:
                path = queue.pop(0)
                pattern = page_pattern(path)
                if pattern in seen:
                    continue
                seen.add(pattern)
                driver.get(BASE + path)
                if driver.find_elements(By.CSS_SELECTOR, "html[dir]") and p.html_attr("dir") != (
                        "rtl" if self.lang == "ar" else "ltr"):
                    problems.append(f"{pattern}: dir={p.html_attr('dir')}")
                for a in driver.find_elements(By.CSS_SELECTOR, "main a[href], nav a[href]"):
                    u = urlparse(a.get_attribute("href") or "")
                    if u.netloc == urlparse(BASE).netloc and not SWEEP_SKIP.search(u.path) \
                            and page_pattern(u.path) not in seen:
                        queue.append(u.path)
                scroll_width, viewport, sticking = driver.execute_script(STICKING_OUT)
                if scroll_width > viewport or sticking:
                    problems.append(f"{pattern}: {scroll_width} px wide in {viewport} ({', '.join(sticking)})")
                for problem in driver.execute_script(STRUCTURE):
                    problems.append(f"{pattern}: {problem}")
                small = driver.execute_script(SMALL_SVG_TEXT)
                if small:
                    problems.append(f"{pattern}: {len(small)} SVG text(s) under 12 px: {', '.join(small[:3])}")
                axe = Axe(driver)
                axe.inject()
                for v in axe.run(options={"resultTypes": ["violations"]})["violations"]:
                    if v.get("impact") in ("critical", "serious"):
                        targets = ", ".join(str(n["target"][0]) for n in v["nodes"][:2])
                        problems.append(f"{pattern}: axe {v['id']} ({v['impact']}) x{len(v['nodes'])}: {targets}")
                name = pattern.strip("/").replace("/", "_").replace(":", "") or "home"
                driver.execute_script("window.scrollTo(0, 0)")
                driver.save_screenshot(str(self.shots / f"{self.who}-{self.lang}-{self.width}-{name}.png"))
                # After the screenshot (a focus ring would show in it): the first stops of the keyboard from
                # the top of the page, each showing where it is.
                driver.execute_script("document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0)")
                for _ in range(3):
                    ActionChains(driver).send_keys(Keys.TAB).perform()
                    focused = driver.execute_script(FOCUSED)
                    if focused and not focused["visible"]:
                        problems.append(f"{pattern}: focus not visible on {focused['tag']}#{focused['id']} "
                                        f"'{focused['text']}'")
            if len(seen) < 10:
                raise Check(f"only {len(seen)} pages reached from /operations/{SWEEP_OPERATION}")
            if problems:
                raise Check(f"{len(problems)} problem(s) on {len(seen)} pages: " + "; ".join(problems[:12]))
            print(f"    {len(seen)} pages, screenshots in {self.shots}", flush=True)
            return f"{len(seen)} pages"
        finally:
            driver.quit()

# A slow mobile link, as Chromium's own "Slow 3G" preset: 400 ms round trip, 400 kbit/s each way.
SLOW_LINK = {"offline": False, "latency": 400, "downloadThroughput": 50_000, "uploadThroughput": 50_000}


class FieldTasks:
    """The field tasks of issues 15 and 16, on a 390 px phone over a slow link, as a staff member: report an
    incident, record a tally, say where I am in one tap, check in at the end of a movement. Each is timed from opening the form to the page that confirms it (page time
    only: the fields are filled by the test), and the fields touched are counted. The figures go to
    BENCHMARKS.md; they are printed, not asserted (this machine's speed is not the product's)."""

    def __init__(self, who: str, password: str):
        self.who, self.password = who, password

    def run(self) -> str:
        driver = make_driver()
        try:
            p = demo_session(driver, self.who, self.password, 390)
            driver.execute_cdp_cmd("Network.enable", {})
            driver.execute_cdp_cmd("Network.emulateNetworkConditions", SLOW_LINK)
            code = SWEEP_OPERATION

            # An incident: what happened, where (from the area list), and the rest at its defaults.
            started = time.monotonic()
            p.open(f"/operations/{code}/incidents/new", "form button#save")
            opened = time.monotonic() - started
            fields = 0
            p.fill("#title", "Vehicle stopped at a checkpoint outside El Obeid"); fields += 1
            p.choose("#category", "violence"); fields += 1
            hidden = driver.execute_script(
                "return [...document.querySelectorAll('#subtype optgroup')]"
                ".filter(g => getComputedStyle(g).display === 'none').length")
            if hidden != 8:
                raise Check(f"'Kind' should show only the violence kinds; {hidden} of 9 groups hidden")
            p.choose("#subtype", "armed_threat"); fields += 1
            p.choose_preferred("#area_pcode", "SD13"); fields += 1
            for name in ("verification", "source"):
                if driver.find_elements(By.CSS_SELECTOR, f"[name='{name}']"):
                    raise Check(f"staff are offered the coordinator's field {name}")
            if not driver.find_elements(By.CSS_SELECTOR, "ul.call a[href^='tel:']"):
                raise Check("the form offers no emergency number to call")
            saving = time.monotonic()
            p.submit("button#save", timeout=120)
            p.expect_path(rf"/operations/{re.escape(code)}/incidents/({UUID_RE})/?", "after reporting on a phone")
            incident = (opened, time.monotonic() - saving, fields)

            # A tally: the point and its direction are offered, the day and the shift too.
            started = time.monotonic()
            p.open(f"/operations/{code}/flows/new", "form#tally-form button#save")
            opened = time.monotonic() - started
            fields = 0
            p.fill("#total", "37"); fields += 1
            p.choose("#nationality", "SDN"); fields += 1
            saving = time.monotonic()
            p.submit("button#save", timeout=120)
            p.find("#tally-saved", "the confirmation of the tally")
            if "37" not in p.find("#tally-saved").text:
                raise Check("the confirmation does not say what was saved")
            tally = (opened, time.monotonic() - saving, fields)

            # Where I am, in one tap; then the movement the staff member is on, checked in as arrived.
            started = time.monotonic()
            p.open(f"/operations/{code}/people/me", "ul.one-tap form button")
            opened_me = time.monotonic() - started
            saving = time.monotonic()
            p.submit("ul.one-tap form button.primary", timeout=120)
            p.find("div.saved", "the confirmation of the location")
            located = (opened_me, time.monotonic() - saving)
            movement = p.find("#my-movements a", "the movement the staff member is on")
            p.click(movement)
            p.find("button[name='check_in'][value='arrived']", "the arrival check-in")
            saving = time.monotonic()
            p.submit("button[name='check_in'][value='arrived']", timeout=120)
            if "arrived" not in p.find("#check-ins").text.lower():
                raise Check("the arrival is not in the movement's check-ins")
            arrived = time.monotonic() - saving
            driver.execute_cdp_cmd("Network.emulateNetworkConditions",
                                   {"offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1})
            summary = (f"incident: form {incident[0]:.1f} s, saved {incident[1]:.1f} s, {incident[2]} fields; "
                       f"tally: form {tally[0]:.1f} s, saved {tally[1]:.1f} s, {tally[2]} fields; "
                       f"where I am: page {located[0]:.1f} s, one tap saved {located[1]:.1f} s; "
                       f"movement arrival: one tap {arrived:.1f} s")
            print(f"    slow link (400 ms, 400 kbit/s), 390 px: {summary}", flush=True)
            return summary
        finally:
            driver.quit()



class KeyboardTasks:
    """The field tasks with the keyboard alone, as a staff member: no click, no script setting a value.
    Tab moves from stop to stop (each must show its focus), Enter follows a link or sends a form,
    arrow keys choose in a list. Signing in, reporting an incident, a tally, "where I am" and signing
    out. (The boundary upload is left out: a file is chosen in the system's own dialog, not the page's.)"""

    def __init__(self, who: str, password: str):
        self.who, self.password = who, password
        self.unseen: list[str] = []

    def tab_to(self, driver, css: str, what: str, limit: int = 250) -> None:
        """Presses Tab until the focused element matches `css`; every stop on the way must show its focus."""
        for _ in range(limit):
            ActionChains(driver).send_keys(Keys.TAB).perform()
            focused = driver.execute_script(FOCUSED)
            if focused and not focused["visible"]:
                self.unseen.append(f"{focused['tag']}#{focused['id']} '{focused['text']}'")
            if driver.execute_script("return document.activeElement.matches(arguments[0])", css):
                return
        raise Check(f"{limit} presses of Tab did not reach {what} ({css})")

    def keys(self, driver, *keys) -> None:
        ActionChains(driver).send_keys(*keys).perform()

    def choose(self, driver, css: str, value: str, what: str) -> None:
        """Focuses a list with Tab and moves to `value` with the arrow keys."""
        self.tab_to(driver, css, what)
        target, current = driver.execute_script(
            "const s = document.activeElement, o = [...s.options].filter(o => !o.disabled && !o.hidden "
            "&& getComputedStyle(o.parentElement.tagName === 'OPTGROUP' ? o.parentElement : o).display !== 'none');"
            "return [o.findIndex(o => o.value === arguments[0]), o.findIndex(o => o.selected)]", value)
        if target < 0:
            raise Check(f"{what}: no choice {value!r}")
        self.keys(driver, *([Keys.ARROW_DOWN] * (target - current) if target >= current
                            else [Keys.ARROW_UP] * (current - target)))
        chosen = driver.execute_script("return document.activeElement.value")
        if chosen != value:
            raise Check(f"{what}: the arrow keys chose {chosen!r}, not {value!r}")

    def enter(self, p: Page, what: str) -> None:
        """Enter on the focused link or button; waits for the next page."""
        p.mark_page()
        self.keys(p.d, Keys.ENTER)
        p.submit_element(None, what)

    def press(self, p: Page, css: str, what: str) -> None:
        """Tab to a link or button, then Enter."""
        self.tab_to(p.d, css, what)
        self.enter(p, f"Enter on {what}")

    def fill(self, p: Page, css: str, text: str, what: str) -> None:
        self.tab_to(p.d, css, what)
        self.keys(p.d, text)

    def run(self) -> str:
        driver = make_driver()
        try:
            p = Page(driver)
            code = SWEEP_OPERATION
            p.open("/sign-in", "#email")
            # The skip link first: Enter takes the keyboard past the header.
            self.keys(driver, Keys.TAB)
            if not driver.execute_script("return document.activeElement.matches('a.skip')"):
                raise Check("the first Tab stop is not the skip link")
            self.fill(p, "#email", f"{self.who}@demo.bearing.test", "the e-mail field")
            self.fill(p, "#password", self.password, "the password field")
            self.enter(p, "Enter in the password field")
            if p.body_attr("data-signed-in") != "true":
                raise Check("Enter in the password field did not sign in")

            # From the incident list to the form, by its link.
            p.open(f"/operations/{code}/incidents", "main")
            self.press(p, f"a[href$='/operations/{code}/incidents/new']", "the link to report an incident")
            self.fill(p, "#title", "Stone thrown at a vehicle, reported by keyboard", "the title")
            self.choose(driver, "#category", "violence", "the category")
            self.choose(driver, "#subtype", "armed_threat", "the kind")
            area = driver.execute_script(
                "const o = [...document.querySelectorAll('#area_pcode option')].map(o => o.value).filter(v => v);"
                "return o.includes('SD13') ? 'SD13' : o[0]")
            self.choose(driver, "#area_pcode", area, "the area")
            self.press(p, "button#save", "the save button")
            p.expect_path(rf"/operations/{re.escape(code)}/incidents/({UUID_RE})/?", "after reporting by keyboard")

            # A tally, from the flows page: the total and the nationality, then Enter.
            p.open(f"/operations/{code}/flows", "main")
            self.press(p, f"a[href$='/operations/{code}/flows/new']", "the link to record a tally")
            self.fill(p, "#total", "12", "the total")
            self.choose(driver, "#nationality", "SDN", "the nationality")
            self.press(p, "button#save", "the save button")
            p.find("#tally-saved", "the confirmation of the tally")

            # Where I am: the one-tap button, then sign out from the header.
            p.open(f"/operations/{code}/people/me", "ul.one-tap form button")
            self.press(p, "ul.one-tap form button.primary", "the one-tap location button")
            p.find("div.saved", "the confirmation of the location")
            driver.execute_script("window.scrollTo(0, 0); document.activeElement && document.activeElement.blur()")
            self.press(p, "form[action='/sign-out'] button", "the sign-out button")
            if p.body_attr("data-signed-in") == "true":
                raise Check("Enter on sign out left the account signed in")
            if self.unseen:
                raise Check(f"{len(self.unseen)} keyboard stop(s) without a visible focus: {self.unseen[:5]}")
            print("    signed in, reported an incident, recorded a tally, said where I am and signed out "
                  "with Tab, arrows and Enter; every stop showed its focus", flush=True)
            return "keyboard only"
        finally:
            driver.quit()


class DevTools:
    """The browser's own DevTools endpoint, for what Selenium's page session cannot reach: the service
    worker is a target of its own, and a page's offline emulation does not cover its fetches."""

    def __init__(self, driver: webdriver.Chrome):
        import json
        import urllib.request
        import websocket  # a dependency of Selenium
        address = driver.capabilities["goog:chromeOptions"]["debuggerAddress"]
        url = json.load(urllib.request.urlopen(f"http://{address}/json/version"))["webSocketDebuggerUrl"]
        self.json, self.ws, self.n = json, websocket.create_connection(url, timeout=30, suppress_origin=True), 0
        self.sessions: dict[str, str] = {}

    def call(self, method: str, params: dict | None = None, session: str | None = None) -> dict:
        self.n += 1
        message = {"id": self.n, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        self.ws.send(self.json.dumps(message))
        while True:
            answer = self.json.loads(self.ws.recv())
            if answer.get("id") == self.n:
                if "error" in answer:
                    raise Check(f"DevTools {method}: {answer['error']}")
                return answer.get("result", {})

    def network(self, offline: bool) -> list[str]:
        """Every page and service worker offline (or back online); the targets reached."""
        return self.emulate({"offline": offline, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1})

    def emulate(self, conditions: dict) -> list[str]:
        """`Network.emulateNetworkConditions` on every page and service worker; the targets reached."""
        reached = []
        for target in self.call("Target.getTargets")["targetInfos"]:
            if target["type"] in ("page", "service_worker"):
                # One session a target: each session's emulation applies, so a second could not undo the first.
                if target["targetId"] not in self.sessions:
                    self.sessions[target["targetId"]] = self.call(
                        "Target.attachToTarget", {"targetId": target["targetId"], "flatten": True})["sessionId"]
                    self.call("Network.enable", {}, self.sessions[target["targetId"]])
                self.call("Network.emulateNetworkConditions", conditions, self.sessions[target["targetId"]])
                reached.append(target["type"])
        return reached

    def close(self) -> None:
        self.ws.close()


class ServerRecords:
    """What the server holds, read by a demo account (the security coordinator by default) in a session of its own."""

    def __init__(self, who: str = "security"):
        import http.cookiejar
        import urllib.request
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        page = self.opener.open(BASE + "/sign-in").read().decode()
        token = re.search(r'name="_csrf" value="([^"]+)"', page).group(1)
        from urllib.parse import urlencode
        self.opener.open(BASE + "/sign-in", urlencode({
            "email": f"{who}@demo.bearing.test", "password": f"bearing-demo-{who}", "_csrf": token}).encode())

    def count(self, path: str, text: str) -> int:
        return self.opener.open(BASE + path).read().decode().count(text)

    def weight(self, path: str) -> int:
        """The page's bytes as sent gzip-compressed, with its stylesheet and scripts."""
        import urllib.request
        def fetch(url: str) -> tuple[int, str]:
            response = self.opener.open(urllib.request.Request(BASE + url, headers={"Accept-Encoding": "gzip"}))
            raw = response.read()
            if response.headers.get("Content-Encoding") != "gzip":
                raise Check(f"{url} was sent uncompressed ({len(raw)} bytes)")
            import gzip
            return len(raw), gzip.decompress(raw).decode()
        size, html = fetch(path)
        for asset in re.findall(r'(?:href|src)="(/assets/[^"]+)"', html):
            size += fetch(asset)[0]
        return size


QUEUE_JS = """
var done = arguments[arguments.length - 1];
var request = indexedDB.open("bearing-capture", 1);
request.onsuccess = function () {
  var all = request.result.transaction("entries").objectStore("entries").getAll();
  all.onsuccess = function () { done(all.result); };
};
request.onerror = function () { done(null); };
"""

REQUEUE_JS = """
var entries = arguments[0], done = arguments[arguments.length - 1];
var request = indexedDB.open("bearing-capture", 1);
request.onsuccess = function () {
  var t = request.result.transaction("entries", "readwrite");
  entries.forEach(function (e) { e.state = "waiting"; t.objectStore("entries").put(e); });
  t.oncomplete = function () { window.dispatchEvent(new Event("online")); done(true); };
};
"""

KEPT_JS = """
var paths = arguments[0], done = arguments[arguments.length - 1];
caches.open("pages").then(function (c) { return Promise.all(paths.map(function (p) { return c.match(p); })); })
  .then(function (hits) { done(hits.every(Boolean)); }).catch(function () { done(false); });
"""


class OfflineCapture:
    """Issue 21 in a real browser: the tally and the incident report opened once online, then filled with the network
    off (DevTools, for the page and the service worker alike); the browser closed and opened again on the same
    profile; back online, the queue sent: exactly one record of each on the server. Then the same entries replayed
    twice (still one of each), and one replayed with different content (the first kept, the conflict shown)."""

    def __init__(self, who: str, password: str):
        self.who, self.password = who, password

    def wait_sync(self, driver: webdriver.Chrome, waiting: int, what: str) -> str:
        def settled(d):
            queue = d.execute_async_script(QUEUE_JS) or []
            return [e for e in queue if e["state"] == "waiting"] if len(
                [e for e in queue if e["state"] == "waiting"]) == waiting else None
        try:
            WebDriverWait(driver, 90, poll_frequency=1).until(lambda d: settled(d) is not None)
        except TimeoutException:
            queue = driver.execute_async_script(QUEUE_JS) or []
            raise Check(f"{what}: expected {waiting} waiting, the queue holds "
                        f"{[(e['label'], e['state'], e.get('reason')) for e in queue]}")
        return driver.find_element(By.ID, "sync").text

    def run(self) -> str:
        code = SWEEP_OPERATION
        tally_path, incident_path = f"/operations/{code}/flows/new", f"/operations/{code}/incidents/new"
        profile = tempfile.mkdtemp(prefix="bearing-offline-")
        marker = str(random.randint(100_000, 999_999))
        title = f"Offline report {marker}"
        server = ServerRecords()
        incidents = lambda: server.count(f"/operations/{code}/incidents/export?format=csv", title)
        tallies = lambda: server.count(f"/operations/{code}/flows/export?format=csv", f",{marker},")

        # Light on a slow link: each capture page, compressed, with its styles and scripts, within 30 KB.
        weigher = ServerRecords(self.who)
        weights = {path: weigher.weight(path) for path in (tally_path, incident_path, f"/operations/{code}/people/me")}
        heavy = {path: size for path, size in weights.items() if size > 30 * 1024}
        if heavy:
            raise Check(f"capture pages over 30 KB compressed: {heavy}")

        driver = make_driver(profile)
        try:
            p = demo_session(driver, self.who, self.password, 390)
            p.open(tally_path, "form#tally-form")
            p.open(incident_path, "form button#save")
            WebDriverWait(driver, 30, poll_frequency=0.5).until(
                lambda d: d.execute_async_script(KEPT_JS, [tally_path, incident_path]))
            devtools = DevTools(driver)
            if "service_worker" not in devtools.network(True):
                raise Check("no service worker is running for the capture pages")
            p.open(tally_path, "form#tally-form button#save")
            if driver.execute_script("return navigator.onLine"):
                raise Check("the page says it is online with the network off")
            p.fill("#total", marker)
            p.choose("#nationality", "SDN")
            p.click(p.find("button#save"))
            WebDriverWait(driver, 15).until(lambda d: "1" in d.find_element(By.ID, "sync-state").text)
            devtools.network(True)
            p.open(incident_path, "form button#save")
            p.fill("#title", title)
            p.choose("#category", "violence")
            p.choose("#subtype", "armed_threat")
            p.choose_preferred("#area_pcode", "SD13")
            p.click(p.find("button#save"))
            state = self.wait_sync(driver, 2, "two entries made offline")
            driver.save_screenshot(str(SHOTS / "offline-queue-390.png"))
            if (incidents(), tallies()) != (0, 0):
                raise Check("an entry made offline reached the server while offline")
            kept = driver.execute_async_script(QUEUE_JS)
            devtools.close()
        finally:
            driver.quit()

        # The browser closed and opened again: the entries are still there, and go once back online.
        driver = make_driver(profile)
        try:
            driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                                   {"width": 390, "height": 844, "deviceScaleFactor": 2, "mobile": True})
            p = Page(driver)
            devtools = DevTools(driver)
            devtools.network(True)
            driver.get(BASE + tally_path)
            devtools.network(True)  # the worker, started by that navigation, offline too
            p.open(tally_path, "form#tally-form")
            state = self.wait_sync(driver, 2, "after the browser was closed and opened again")
            devtools.network(False)
            driver.execute_script("window.dispatchEvent(new Event('online'))")
            time.sleep(2)
            if driver.find_elements(By.CSS_SELECTOR, "#sync a[href^='/sign-in']"):
                # The session cookie ended with the browser: signing in again sends the queue.
                p.open(f"/sign-in?next={tally_path}", "#email")
                p.fill("#email", f"{self.who}@demo.bearing.test")
                p.fill("#password", self.password)
                p.submit("#sign-in")
                p.open(tally_path, "form#tally-form")
            state = self.wait_sync(driver, 0, "back online")
            if (incidents(), tallies()) != (1, 1):
                raise Check(f"after sending: {incidents()} incident(s), {tallies()} tally(ies) on the server, not 1 and 1")

            for attempt in (1, 2):
                driver.execute_async_script(REQUEUE_JS, kept)
                self.wait_sync(driver, 0, f"replay {attempt}")
                if (incidents(), tallies()) != (1, 1):
                    raise Check(f"replay {attempt}: {incidents()} incident(s), {tallies()} tally(ies), not 1 and 1")

            changed = [e for e in kept if e["label"] != kept[0]["label"] or e is kept[0]][:1]
            changed[0]["fields"] = [[k, v + " changed" if k == "title" else str(int(v) + 1) if k == "total" else v]
                                    for k, v in changed[0]["fields"]]
            driver.execute_async_script(REQUEUE_JS, changed)
            self.wait_sync(driver, 0, "a replay with different content")
            if not driver.find_elements(By.CSS_SELECTOR, "#sync .sync-failed li a"):
                raise Check("the conflict is not shown on the entry with a link to the record kept")
            driver.save_screenshot(str(SHOTS / "offline-conflict-390.png"))
            if (incidents(), tallies()) != (1, 1):
                raise Check("a replay with different content changed the records")

            # Signing out with an entry unsent: a warning; dismissed, the entry stays; accepted, it is cleared.
            devtools.network(True)
            p.open(tally_path, "form#tally-form button#save")
            p.fill("#total", str(int(marker) + 7))
            p.choose("#nationality", "SDN")
            p.click(p.find("button#save"))
            self.wait_sync(driver, 1, "an entry made before signing out")
            driver.find_element(By.CSS_SELECTOR, "form.sign-out button").click()
            warning = WebDriverWait(driver, 10).until(EC.alert_is_present())
            if "not been sent" not in warning.text:
                raise Check(f"the sign-out warning says: {warning.text!r}")
            warning.dismiss()
            self.wait_sync(driver, 1, "the sign-out warning dismissed")
            driver.find_element(By.CSS_SELECTOR, "form.sign-out button").click()
            WebDriverWait(driver, 10).until(EC.alert_is_present()).accept()
            time.sleep(2)
            devtools.network(False)
            driver.get(BASE + "/sign-in")
            left = [e for e in (driver.execute_async_script(QUEUE_JS) or []) if e["account"] == kept[0]["account"]]
            if left:
                raise Check(f"signing out left {len(left)} entries of the account on the device")
            if server.count(f"/operations/{code}/flows/export?format=csv", f",{int(marker) + 7},") != 0:
                raise Check("an entry cleared at sign-out reached the server")
            summary = ("2 entries offline, sent once after a restart; 2 replays and a conflict: 1 incident, 1 tally; "
                       "sign-out warned, then cleared; "
                       + ", ".join(f"{path.rsplit('/', 2)[-2]} {size / 1024:.1f} KB" for path, size in weights.items()))
            print(f"    {summary}", flush=True)
            devtools.close()
            return summary
        finally:
            driver.quit()

def main() -> int:
    # On SIGTERM (a CI time limit) unwind normally, so that `finally` closes Chromium.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    print(f"Bearing browser tests against {BASE} (data: {DATA})")
    try:
        driver = make_driver()
    except WebDriverException as exc:
        print(f"FAIL start headless Chromium: {str(exc).strip().splitlines()[0]}")
        print("0 passed, 1 failed")
        return 1
    print(f"    {driver.capabilities.get('browserName')} {driver.capabilities.get('browserVersion')}, "
          f"window {driver.get_window_size()}")
    flow = Flow(Page(driver))
    try:
        flow.step("en: a wrong password is refused", flow.wrong_password)
        ok, _ = flow.step("en: sign in as the demo admin", flow.sign_in)
        if ok:
            flow.step("en: operations list", flow.operations_list, "en")
            flow.operation_flow("en", with_bad_upload=True)
            ok, _ = flow.step("ar: switch the language to Arabic (dir=rtl)", flow.switch_to_arabic)
            if ok:
                flow.step("ar: operations list", flow.operations_list, "ar")
                flow.operation_flow("ar", with_bad_upload=False)
            else:
                flow.skip("ar: the Arabic flow")
        else:
            flow.skip("en: the English flow", "ar: the Arabic flow")
        tasks = FieldTasks("staff", "bearing-demo-staff")
        flow.step("en: the two field tasks on a phone over a slow link", tasks.run)
        keyboard = KeyboardTasks("staff", "bearing-demo-staff")
        flow.step("en: the field tasks with the keyboard alone, focus visible at every stop", keyboard.run)
        offline = OfflineCapture("staff", "bearing-demo-staff")
        flow.step("en: a tally and an incident made offline arrive once, replays and all", offline.run)
        for who, password in SWEEP_ACCOUNTS:
            for lang in ("en", "ar"):
                for width in (390, 1280):
                    sweep = Sweep(who, password, lang, width)
                    flow.step(f"{lang}: every page as {who} at {width} px fits and passes axe", sweep.run)
        try:
            severe = [e for e in driver.get_log("browser") if e.get("level") == "SEVERE"]
            for entry in severe[:10]:
                print(f"    browser console: {entry.get('message', '')[:200]}")
        except WebDriverException:
            pass
    finally:
        driver.quit()
    summary = f"{flow.passed} passed, {flow.failed} failed"
    if flow.skipped:
        summary += f", {flow.skipped} skipped"
    print(summary)
    return 0 if flow.failed == 0 and flow.skipped == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
