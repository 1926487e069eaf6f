"""Concurrent wrong passwords against a live server never get more tries checked than the lock allows."""

from __future__ import annotations

import http.cookiejar
import threading
import urllib.error
import urllib.parse
import urllib.request

import pytest
from django.urls import reverse

GENERIC = "The NIF, NIE or passport or the password is not correct."
LOCKED = "Too many failed attempts."
THREADS = 12


def _guess(login_url: str, id_number: str, barrier: threading.Barrier) -> str:
    """One visitor: its own session and CSRF token, then a wrong password at the same moment as the others."""
    jar = http.cookiejar.CookieJar()
    browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    browser.addheaders = [("Accept-Language", "en")]
    browser.open(login_url, timeout=30).read()
    token = next(cookie.value for cookie in jar if cookie.name == "csrftoken")
    body = urllib.parse.urlencode(
        {"id_number": id_number, "password": "Wrong-2026!guess", "csrfmiddlewaretoken": token}
    ).encode()
    barrier.wait(30)
    try:
        return browser.open(login_url, data=body, timeout=30).read().decode()
    except urllib.error.HTTPError as error:  # a form error may come with a 4xx status: its page is the answer
        return error.read().decode()


@pytest.mark.django_db(transaction=True)
def test_concurrent_wrong_passwords_for_one_nif_check_at_most_the_limit(live_server, story, settings):
    login_url = live_server.url + reverse("portal:login")
    barrier = threading.Barrier(THREADS)
    pages: list[str | BaseException] = [""] * THREADS

    def run(i: int) -> None:
        try:
            pages[i] = _guess(login_url, story.representative.id_number, barrier)
        except BaseException as error:  # shown by the assertion below, not lost in the thread
            pages[i] = error

    threads = [threading.Thread(target=run, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    # The test server may drop a connection under the burst: that try was never checked. Anything else is a failure.
    answers = [page for page in pages if isinstance(page, str)]
    dropped = [page for page in pages if not isinstance(page, str)]
    assert all(isinstance(error, (urllib.error.URLError, ConnectionError, TimeoutError)) for error in dropped), dropped
    assert len(answers) >= THREADS // 2, dropped
    checked = sum(GENERIC in page for page in answers)
    locked = sum(LOCKED in page for page in answers)
    assert checked + locked == len(answers), [
        page[:300] for page in answers if GENERIC not in page and LOCKED not in page
    ]
    # Tries that arrive together may all be refused (each sees the others committed): never more than the limit checked.
    assert checked <= settings.LOCKOUT_MAX_ATTEMPTS, f"{checked} tries checked, {locked} refused"
