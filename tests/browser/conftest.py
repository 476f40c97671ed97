"""Real-browser journeys: Playwright driving Debian's Chromium against the live server.

Every page a journey visits is checked with axe-core (WCAG 2.2 A and AA, zero violations),
every request it makes must go to the app's own origin, and the Content-Security-Policy must
report no violation.
"""

import os
import shutil
import tempfile
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.core.management import call_command

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
# The README's pictures: refreshed by `make screenshots`; ordinary runs keep theirs apart so a
# test run does not rewrite tracked files.
SCREENSHOTS = (
    Path(__file__).resolve().parents[2] / "docs" / "screenshots"
    if os.environ.get("UPDATE_SCREENSHOTS")
    else Path(tempfile.gettempdir()) / "sourcewise-screenshots"
)
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
DEMO_PASSWORD = "browser-demo-pass-1"


def pytest_collection_modifyitems(config, items):
    browser_items = [item for item in items if "tests/browser/" in str(item.fspath)]
    for item in browser_items:
        item.add_marker(pytest.mark.browser)
    if Path(CHROMIUM).exists() or not browser_items:
        return
    if os.environ.get("CI"):
        raise pytest.UsageError(f"CI needs Chromium for the browser journeys: none at {CHROMIUM}")
    skip = pytest.mark.skip(
        reason="browser journeys need Chromium: `sudo apt-get install chromium` to run them"
    )
    for item in browser_items:
        item.add_marker(skip)


@pytest.fixture(scope="session", autouse=True)
def _allow_orm_beside_playwright():
    # Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
    # for setup and checks are still plain synchronous calls.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-quic",
            "--no-first-run",
        ],  # Playwright gives every launch a fresh, empty profile directory of its own.
    }


class Journey:
    """A browser page that records what it requests and checks every page it visits."""

    def __init__(self, page, live_server, *, browser=None, other_origins=()):
        self.page = page
        self.browser = browser  # for pages without JavaScript: axe runs in a twin page
        self.origin = live_server.url
        # Origins besides the app's this journey may reach (a learning platform framing it).
        self.origins = (self.origin, *other_origins)
        self.requests: list[str] = []
        self.csp_violations: list[str] = []
        self.failures: list[str] = []  # server errors, unsent requests and script errors
        self.checked: set[str] = set()
        self._axe_running = False
        page.on("request", lambda request: self.requests.append(request.url))
        page.on("console", self._on_console)
        page.on("response", self._on_response)
        page.on("requestfailed", self._on_request_failed)
        page.on("pageerror", lambda error: self.failures.append(f"script error: {error}"))

    def _on_console(self, message):
        if self._axe_running:
            return  # axe's injected checker sets inline styles of its own; the page does not
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            self.csp_violations.append(message.text)

    def _on_response(self, response):
        if response.status >= 500:
            self.failures.append(f"{response.request.method} {response.url}: {response.status}")

    def _on_request_failed(self, request):
        # A request the browser itself dropped (ERR_ABORTED: a navigation started while the
        # favicon was loading) did not fail.
        if request.url.startswith(self.origins) and "ERR_ABORTED" not in (request.failure or ""):
            self.failures.append(f"{request.method} {request.url}: {request.failure}")

    def url(self, path: str) -> str:
        return self.origin + path

    def goto(self, path: str):
        response = self.page.goto(self.url(path))
        assert response is not None and response.status < 400, f"{path}: {response.status}"
        return response

    def log_in(self, username: str, password: str = DEMO_PASSWORD) -> None:
        """Sign in through the login page and wait for the page it leads to."""
        self.goto("/accounts/login/")
        self.page.get_by_label("Username").fill(username)
        self.page.get_by_label("Password").fill(password)
        self.page.get_by_role("button", name="Log in").click()
        self.page.wait_for_url(lambda url: "/accounts/login/" not in url)

    def check_accessibility(self, name: str = "", *, frame=None) -> None:
        """Run axe-core on the page (or one of its frames) as it is now; fail on any WCAG 2.2
        A/AA violation."""
        from axe_playwright_python.sync_playwright import Axe

        shown = frame or self.page
        page, twin = shown, None
        if self.browser is not None and frame is None:
            # axe is JavaScript: check the same page, same session, in a context that runs it.
            twin = self.browser.new_context(storage_state=self.page.context.storage_state())
            page = twin.new_page()
            page.goto(self.page.url)
        self._axe_running = True
        try:
            results = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
        finally:
            self._axe_running = False
            if twin is not None:
                twin.close()
        assert results.violations_count == 0, (
            f"axe found violations on {name or shown.url}:\n{results.generate_report()}"
        )
        self.checked.add(urlparse(shown.url).path)

    def screenshot(self, name: str, *, full_page: bool = True) -> None:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=full_page)

    def assert_clean(self) -> None:
        """Nothing went to another host, nothing failed, and the CSP reported nothing."""
        foreign = [
            url
            for url in self.requests
            if not url.startswith(self.origins) and not url.startswith(("data:", "blob:"))
        ]
        assert not foreign, f"requests to other hosts: {foreign}"
        assert not self.csp_violations, f"CSP violations: {self.csp_violations}"
        assert not self.failures, f"requests or scripts that failed: {self.failures}"


@pytest.fixture
def demo_site(transactional_db, monkeypatch):
    """The demo classroom, with a known password for every demo account."""
    monkeypatch.setenv("DEMO_PASSWORD", DEMO_PASSWORD)
    call_command("demo", "--force", stdout=open(os.devnull, "w"))  # noqa: SIM115
    from quiz.models import Classroom

    return Classroom.objects.get(name="Demo class")


@pytest.fixture
def journey(page, live_server):
    page.set_default_timeout(15_000)
    tracker = Journey(page, live_server)
    yield tracker
    tracker.assert_clean()
