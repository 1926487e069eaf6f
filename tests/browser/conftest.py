"""Browser-test machinery: headless Debian Chromium driven by Playwright against pytest-django's live server.

Fixtures for journeys:

* ``browser``      - one headless Chromium per test session (``/usr/bin/chromium``; never ``playwright install``).
* ``new_page``     - factory: ``new_page(locale="en-GB")`` opens a page in a fresh context (own cookies), so a
                     journey can have several people at once. Every page opened is screenshotted when the test fails.
* ``page``         - one page in a fresh context with the default ``browser_context_args`` (Catalan, the product's
                     default language). Override ``browser_context_args`` in a test module to change it.
* ``mail_link``    - ``mail_link(r"/invitation/", to="a@b.c")``: the newest URL in ``django.core.mail.outbox``
                     matching the pattern, pointed at the live server.
* ``screenshot``   - ``screenshot(page, "name")`` saves ``test-artifacts/<name>.png`` (full page) and returns the path.
* ``log_in_staff`` - ``log_in_staff(page, user)`` logs a staff user in as a person does: password at /staff/login/,
                     then the current code of the user's TOTP device (made, as after an enrolment, if none).
* ``submit``       - ``submit(page, form_locator, expect_url=r"...")`` clicks the form's submit button and waits for the
                     next page; if it lands elsewhere, the failure message carries the page's error lists.

Pages are served by ``live_server`` (real transactions; the server runs in a thread of this process, so
``django.core.mail.outbox`` and the eager Celery setup of ``tests/conftest.py`` are shared with it).
Mark browser tests ``@pytest.mark.browser``.
"""

from __future__ import annotations

import os
import re
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

CHROMIUM = os.environ.get("BROWSER_TESTS_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
DEFAULT_TIMEOUT_MS = 10_000
URL = re.compile(r"https?://[^\s<>\"')]+")


def _safe_name(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", text).strip("_")[:120]


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the item so fixtures can tell, at teardown, whether the test failed."""
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


@pytest.fixture(scope="session")
def _playwright():
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an asyncio loop running in this thread, and Django then refuses ORM calls
    # from it (SynchronousOnlyOperation) - both in test code and in fixtures. The calls really are synchronous.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        yield playwright
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="session")
def browser(_playwright):
    if not Path(CHROMIUM).exists():
        pytest.skip(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    browser = _playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
    yield browser
    browser.close()


@pytest.fixture
def browser_context_args(live_server) -> dict:
    """Arguments for every new context; tests or modules may override this fixture or pass kwargs to ``new_page``."""
    return {
        "base_url": live_server.url,
        "locale": "ca-ES",
        "timezone_id": "Europe/Madrid",
        "viewport": {"width": 1280, "height": 900},
    }


@pytest.fixture
def _site_url(settings, live_server):
    """Links in e-mails point at the live server."""
    settings.SITE_URL = live_server.url


@pytest.fixture
def new_page(request, browser, browser_context_args, _site_url):
    contexts = []

    def open_page(**overrides):
        context = browser.new_context(**(browser_context_args | overrides))
        context.set_default_timeout(DEFAULT_TIMEOUT_MS)
        context.set_default_navigation_timeout(DEFAULT_TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield open_page

    report = getattr(request.node, "rep_call", None) or getattr(request.node, "rep_setup", None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        for n, context in enumerate(contexts):
            for m, page in enumerate(context.pages):
                stem = ARTIFACTS / f"FAILED-{_safe_name(request.node.nodeid)}-{n}-{m}"
                try:
                    page.screenshot(path=f"{stem}.png", full_page=True, timeout=5_000)
                    Path(f"{stem}.html").write_text(page.content())
                except Exception as error:  # the page may be gone; the test failure matters more
                    print(f"could not save {stem}: {error}")
                else:
                    print(f"failure screenshot: {stem}.png ({page.url})")
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()


@pytest.fixture
def screenshot():
    def take(page, name: str) -> Path:
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"{_safe_name(name)}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture
def mail_link(live_server):
    """``mail_link(pattern, to=None, timeout=5)``: newest URL in the outbox matching ``pattern`` (a regex searched in the URL)."""
    from django.core import mail

    base = urlsplit(live_server.url)

    def find(pattern: str, *, to: str | None = None, timeout: float = 5.0) -> str:
        regex = re.compile(pattern)
        deadline = time.monotonic() + timeout
        while True:
            for message in reversed(mail.outbox):
                if to is not None and to not in message.to:
                    continue
                links = [url for url in URL.findall(message.body) if regex.search(url)]
                if links:
                    parts = urlsplit(links[-1].rstrip(".,;"))
                    return urlunsplit((base.scheme, base.netloc, parts.path, parts.query, parts.fragment))
            if time.monotonic() > deadline:
                sent = [(m.to, m.subject) for m in mail.outbox]
                raise AssertionError(
                    f"no e-mail{f' to {to}' if to else ''} with a link matching {pattern!r}; outbox: {sent}"
                )
            time.sleep(0.05)

    return find


@pytest.fixture
def log_in_staff():
    from tests import factories

    def log_in(page, user) -> None:
        device = factories.totp_device(user)
        page.goto("/staff/login/")
        form = page.locator("form:has(#id_username)")
        form.locator("#id_username").fill(user.username)
        form.locator("#id_password").fill(factories.PASSWORD)
        with page.expect_navigation(wait_until="load"):
            form.locator("button[type=submit]").click()
        assert "/staff/mfa/verify/" in page.url, f"the staff login did not ask for the second factor ({page.url})"
        form = page.locator("form:has(#id_code)")
        form.locator("#id_code").fill(factories.totp_code(device))
        with page.expect_navigation(wait_until="load"):
            form.locator("button[type=submit]").click()
        assert "/staff/login/" not in page.url and "/staff/mfa/" not in page.url, (
            f"the staff login did not go through ({page.url})"
        )

    return log_in


@pytest.fixture
def submit():
    """``submit(page, form, expect_url=None)``: click the form's submit button, wait for the page it leads to and
    check that it shows no error list (and, if given, that its URL matches ``expect_url``). Returns the response."""

    def send(page, form, *, expect_url: str | re.Pattern | None = None, button: str = "button[type=submit]"):
        with page.expect_navigation(wait_until="load") as navigation:
            form.locator(button).last.click()
        response = navigation.value
        errors = [text.strip() for text in page.locator("main .errorlist").all_inner_texts() if text.strip()]
        problems = []
        if response is not None and response.status >= 400:
            problems.append(f"HTTP {response.status}")
        if errors:
            problems.append(f"errors on the page: {errors}")
        if expect_url is not None and not re.search(expect_url, page.url):
            problems.append(f"expected a URL matching {getattr(expect_url, 'pattern', expect_url)!r}")
        if problems:
            raise AssertionError(f"submitting the form led to {page.url}: " + "; ".join(problems))
        return response

    return send
