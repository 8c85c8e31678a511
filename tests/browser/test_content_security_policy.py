"""The Content-Security-Policy in a real browser (issue 13, item 5): a violation breaks a page silently (a script
that does not run, a style that does not apply), so this walk fails on any violation the browser reports."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from cases.models import SurveyResponse
from events.models import Invitation
from events.registrations import invitations_send
from tests import builders as b
from tests import factories as f
from tests.browser.test_introduction_page import _requested_introduction

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "geheim-123"
STRICT = [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "object-src 'none'",
    "base-uri 'self'",
    "frame-ancestors 'none'",
    "form-action 'self'",
]
# Redoc's "API docs by Redocly" footer links its logo on a CDN, with no option to leave it out: the policy blocks
# that image on purpose (no request to a third party), and the docs work without it.
REDOC_LOGO = "https://cdn.redoc.ly/"
# every securitypolicyviolation event of every document, recorded before any script of the page runs
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__cspViolations.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " " + (e.sourceFile || ""));
});
"""


class Walk:
    def __init__(self, browser, live_server) -> None:
        self.context = browser.new_context(locale="de-DE")
        self.context.add_init_script(RECORD_VIOLATIONS)
        self.page = self.context.new_page()
        self.live_server = live_server
        self.messages: list[str] = []
        self.page.on("console", self._console)

    def _console(self, message) -> None:
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            if REDOC_LOGO in message.text:
                return
            self.messages.append(f"{self.page.url}: {message.text}")

    def visit(self, path: str, *, strict: bool = True, status: int = 200, allowed: tuple[str, ...] = ()):
        response = self.page.goto(f"{self.live_server.url}{path}")
        assert response.status == status, path
        self.page.wait_for_load_state("networkidle")
        policy = response.headers.get("content-security-policy", "")
        directives = [d.strip() for d in policy.split(";")]
        if strict:
            assert all(d in directives for d in STRICT), f"{path}: {policy!r}"
            assert "unsafe-inline" not in policy and "unsafe-eval" not in policy, path
        else:
            assert "default-src 'self'" in directives and "frame-ancestors 'none'" in directives, path
        self.check(path, allowed=allowed)
        return response

    def check(self, where: str, *, allowed: tuple[str, ...] = ()) -> None:
        seen = [v for v in self.page.evaluate("window.__cspViolations || []") if not v.startswith(allowed)]
        assert seen == [], f"CSP violations on {where}: {seen}"
        assert self.messages == [], self.messages

    def log_in(self, username: str, next_path: str) -> None:
        self.visit(f"/anmelden/?next={next_path}")
        self.page.fill("input[name='username']", username)
        self.page.fill("input[name='password']", PASSWORD)
        self.page.click("button[type='submit']")
        self.page.wait_for_url(f"**{next_path}")
        self.page.wait_for_load_state("networkidle")
        self.check(next_path)


def test_no_page_breaks_the_content_security_policy(browser, live_server):
    """GIVEN a case with an introduction, a survey, an event it is invited to and a coordinator who may use the
    back office
    WHEN a municipality, then the coordinator walk the public pages, the token pages, the workspace (opening a
    transition form through htmx), the dashboard with its charts, the admin and the API docs
    THEN our pages carry the strict policy, the pages we do not own a relaxed one, and the browser reports no
    violation anywhere."""
    introduction = _requested_introduction()
    enquiry = introduction.enquiry
    now = timezone.now()
    survey = SurveyResponse.objects.create(
        enquiry=enquiry, kind=SurveyResponse.Kind.SATISFACTION, sent_at=now, expires_at=now + timedelta(days=30)
    )
    chefin = f.UserFactory(username="chefin", role="coordinator", is_staff=True, is_superuser=True)
    event = b.event_created(by=chefin, topics=list(enquiry.topics.all()) or [f.TopicFactory()])
    invitations_send(event=event, enquiries=[enquiry], by=chefin)
    invitation = Invitation.objects.get(event=event)
    walk = Walk(browser, live_server)

    for path in ("/", "/anfrage/", "/projekte/", "/datenschutz/"):
        walk.visit(path)
    walk.page.goto(f"{live_server.url}/anfrage/")
    walk.page.fill("#id_municipality_search", "Frei")  # public.js searches as you type
    walk.page.locator("#municipality-results li").first.wait_for()
    walk.check("the municipality search")
    walk.visit(f"/status/{enquiry.public_token}/")
    walk.visit(f"/vermittlung/{introduction.token}/")
    walk.visit(f"/umfrage/{survey.token}/")
    walk.visit(f"/veranstaltungen/anmeldung/{invitation.token}/")
    walk.visit(f"/status/{'x' * 40}/", status=404)

    # the language menu switches without an inline handler (web/static/web/site.js)
    walk.visit("/datenschutz/")
    with walk.page.expect_navigation():
        walk.page.select_option("select[name='language']", "en")
    assert walk.page.locator("html").get_attribute("lang") == "en"
    with walk.page.expect_navigation():
        walk.page.select_option("select[name='language']", "de")
    walk.check("the language menu")

    walk.log_in("chefin", "/intern/")
    for path in ("/intern/", "/intern/faelle/", "/intern/benachrichtigungen/", "/intern/textbausteine/"):
        walk.visit(path)
    walk.visit("/intern/posteingang/")
    for path in ("/intern/radar/", "/intern/veranstaltungen/", "/intern/veranstaltungen/neu/"):
        walk.visit(path)
    walk.visit(f"/intern/veranstaltungen/{event.pk}/")
    walk.visit(f"/intern/faelle/{enquiry.pk}/")
    walk.page.get_by_role("button", name="Notiz speichern").wait_for()
    buttons = walk.page.locator("button[hx-get], button[hx-post], [hx-get]")
    if buttons.count():
        buttons.first.click()
        walk.page.wait_for_load_state("networkidle")
    walk.check("an htmx form")

    walk.visit("/statistik/")
    walk.page.wait_for_selector("canvas#map[data-drawn]")
    assert walk.page.evaluate("Object.keys(Chart.instances).length") >= 1
    bars = "[...document.querySelectorAll('.funnel-bar')].map(b => [b.dataset.percent + '%', b.style.width])"
    assert all(wanted == drawn for wanted, drawn in walk.page.evaluate(bars))
    walk.check("the charts")

    walk.visit("/admin/", strict=False)
    walk.visit("/admin/cases/enquiry/", strict=False)
    walk.visit("/api/v1/", strict=False)
    walk.visit("/api/docs/", strict=False)
    walk.page.wait_for_selector(".swagger-ui .info")
    walk.check("Swagger UI")
    redoc_logo = (f"img-src {REDOC_LOGO}",)
    walk.visit("/api/redoc/", strict=False, allowed=redoc_logo)
    walk.page.wait_for_selector("redoc h1, [role='navigation'], .api-content", timeout=15_000)
    walk.check("Redoc", allowed=redoc_logo)
    walk.context.close()
