"""URL ingest against a local HTTP server: pages become articles with their metadata; bad
answers, slow servers and addresses inside the newsroom's network are refused, writing nothing."""

import ipaddress
import re

import pytest
from django.urls import reverse

from reviews import fetch as fetch_module
from reviews.fetch import FetchError, FetchPolicy, fetch, public
from reviews.models import Article, ArticleRevision, Claim, Flag, Job, JobState, Outlet
from tests.commands.test_ingest_limits import run_ingest as ingest
from tests.webserver import Answer, Site, article_html, seed_page

TRACKED = (Article, ArticleRevision, Claim, Flag, Outlet)


def snapshot():
    return {m.__name__: (m.objects.count(), m.history.count()) for m in TRACKED}


@pytest.fixture
def site():
    with Site() as s:
        yield s


@pytest.fixture
def local_allowed(settings):
    settings.FETCH_ALLOWED_HOSTS = ["127.0.0.1"]
    return settings


def test_a_page_becomes_an_article_with_its_metadata(site, local_allowed, editor):
    site.routes["/world/pow-video"] = Answer(
        seed_page(canonical="https://news.example.org/2025/11/pow-video")
    )
    url = site.url("/world/pow-video")
    out, err, failed = ingest(url, "--as", editor.username)
    assert failed is None, err
    article = Article.objects.get()
    assert article.title.startswith("Captured Russian Soldiers Claim")
    assert (article.byline, str(article.published), article.outlet.name) == (
        "Jane Reporter",
        "2025-11-20",
        "Daily Example",
    )
    assert article.url == url
    revision = article.current_revision
    assert revision.metadata["url"] == "https://news.example.org/2025/11/pow-video"  # canonical
    assert revision.source_format == "html" and revision.source_name.startswith(url)
    assert "Home" not in revision.body and "All rights reserved" not in revision.body
    assert article.claims.count() > 10 and f"ingested {url}: article {article.pk}" in out
    job = Job.objects.get(kind="ingest_url")
    assert (
        job.state == JobState.DONE and job.article == article and job.result["fetched"]["type"] == "text/html"
    )
    # Claim matching ran once the ingest committed.
    assert Job.objects.get(kind="match", article=article).state == JobState.DONE


def test_fetching_the_same_url_again_stores_a_new_version_when_the_page_changed(site, local_allowed, editor):
    path = "/world/pow-video"
    site.routes[path] = Answer(seed_page())
    ingest(site.url(path), "--as", editor.username)
    out, _, failed = ingest(site.url(path), "--as", editor.username)
    assert failed is None and "skipped" in out and Article.objects.count() == 1
    page = seed_page().replace(b"Ukrainian", b"Ukraine's", 1)
    site.routes[path] = Answer(page)
    out, _, failed = ingest(site.url(path), "--as", editor.username)
    assert failed is None, out
    article = Article.objects.get()
    assert article.current_revision.number == 2 and "revision 2" in out


BAD_ANSWERS = {
    "404": (Answer(b"gone", status=404, content_type="text/plain"), "the server answered 404 Not Found"),
    "500": (Answer(b"oops", status=500, content_type="text/plain"), "the server answered 500"),
    "pdf": (Answer(b"%PDF-1.4 ...", content_type="application/pdf"), "the answer is application/pdf, not"),
    "json": (Answer(b'{"a": 1}', content_type="application/json"), "the answer is application/json, not"),
    "png": (Answer(b"\x89PNG\r\n\x1a\n" + bytes(200), content_type="image/png"), "the answer is image/png"),
    "binary-as-html": (Answer(b"<html>" + bytes(range(256)) * 4), "the answer is binary, not text"),
    "no-type": (Answer(b"<p>hello</p>", content_type=""), "of no stated type"),
    "empty-page": (Answer(b"<html><body><nav>Home</nav></body></html>"), "no article text"),
}


@pytest.mark.parametrize("case", sorted(BAD_ANSWERS))
def test_bad_answers_give_clear_errors_and_write_nothing(site, local_allowed, editor, case):
    answer, reason = BAD_ANSWERS[case]
    site.routes["/story"] = answer
    before = snapshot()
    _, err, failed = ingest(site.url("/story"), "--as", editor.username)
    assert failed is not None and "1 of 1 inputs failed" in str(failed)
    assert f"error: {site.url('/story')}: " in err and reason in err, err
    assert snapshot() == before
    job = Job.objects.get(kind="ingest_url")
    assert job.state == JobState.FAILED and reason in job.error


def test_a_slow_server_times_out(site, local_allowed, editor):
    local_allowed.FETCH_TIMEOUT = 0.5
    site.routes["/slow"] = Answer(seed_page(), delay=2)
    before = snapshot()
    _, err, failed = ingest(site.url("/slow"), "--as", editor.username)
    assert failed is not None and "no answer within 0.5 s" in err
    assert snapshot() == before


@pytest.mark.parametrize("with_length", [True, False])
def test_an_oversized_answer_is_refused(site, local_allowed, editor, with_length):
    local_allowed.FETCH_MAX_BYTES = 4000
    site.routes["/big"] = Answer(seed_page(), length=with_length)
    before = snapshot()
    _, err, failed = ingest(site.url("/big"), "--as", editor.username)
    assert failed is not None and "over the 4,000-byte limit" in err
    assert snapshot() == before


def test_redirects_are_followed_up_to_the_limit(site, local_allowed, editor):
    site.routes["/old"] = Answer(status=301, headers={"Location": "/new"}, content_type="")
    site.routes["/new"] = Answer(seed_page())
    page = fetch(site.url("/old"), policy=FetchPolicy.from_settings())
    assert page.url == site.url("/new") and page.redirects == 1
    for i in range(7):
        site.routes[f"/loop{i}"] = Answer(status=302, headers={"Location": f"/loop{i + 1}"}, content_type="")
    with pytest.raises(FetchError, match="more than 5 redirects"):
        fetch(site.url("/loop0"), policy=FetchPolicy.from_settings())


def test_a_page_in_another_character_set_is_read_in_it(site, local_allowed, editor):
    html = article_html(
        "Café owners in Zürich protest", ["Café owners in Zürich said on Monday that rents rose 20%."]
    )
    site.routes["/latin"] = Answer(
        html.decode().encode("latin-1"), content_type="text/html; charset=iso-8859-1"
    )
    page = fetch(site.url("/latin"), policy=FetchPolicy.from_settings())
    assert "Zürich".encode() in page.data


# -- Server-side request forgery: addresses inside the newsroom's network ---------------------


@pytest.fixture
def no_connection(monkeypatch):
    """Fail the test if any connection is attempted."""

    def refuse(*args, **kwargs):
        raise AssertionError("a connection was attempted")

    monkeypatch.setattr(fetch_module.urllib3.HTTPConnectionPool, "urlopen", refuse)
    monkeypatch.setattr(fetch_module.urllib3.HTTPSConnectionPool, "urlopen", refuse)


@pytest.mark.parametrize(
    "address",
    ["127.0.0.1", "10.20.30.40", "169.254.169.254", "192.168.1.5", "172.16.0.9", "100.64.0.1", "::1"],
)
def test_a_host_resolving_to_an_internal_address_is_refused(
    monkeypatch, settings, editor, address, no_connection
):
    settings.FETCH_ALLOWED_HOSTS = []
    monkeypatch.setattr(fetch_module, "resolve", lambda host, port: ["93.184.216.34", address])
    before = snapshot()
    _, err, failed = ingest("https://intranet.example.com/payroll", "--as", editor.username)
    assert failed is not None
    assert (
        f"intranet.example.com resolves to {ipaddress.ip_address(address)}, which is not a public address"
        in err
    )
    assert snapshot() == before


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/",
        "http://10.0.0.1/",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::ffff:127.0.0.1]/",
        "http://0.0.0.0/",
    ],
)
def test_a_literal_internal_address_is_refused_without_connecting(url, no_connection):
    with pytest.raises(FetchError, match="not a public address"):
        fetch(url, policy=FetchPolicy())


def test_the_local_server_itself_is_refused_without_the_allow_list(site, settings, editor):
    settings.FETCH_ALLOWED_HOSTS = []
    site.routes["/story"] = Answer(seed_page())
    _, err, failed = ingest(site.url("/story"), "--as", editor.username)
    assert failed is not None and "127.0.0.1, which is not a public address" in err
    assert site.hits == [] and Article.objects.count() == 0


def test_a_redirect_to_an_internal_address_is_refused(site, local_allowed, monkeypatch):
    """The allowed local server redirects to the cloud metadata address: that hop is checked
    like the first one and refused before any connection to it."""
    site.routes["/go"] = Answer(
        status=302, headers={"Location": "http://169.254.169.254/latest/"}, content_type=""
    )
    checked = []
    original = fetch_module._checked_address
    monkeypatch.setattr(
        fetch_module,
        "_checked_address",
        lambda host, port, p: checked.append(host) or original(host, port, p),
    )
    with pytest.raises(FetchError, match=r"169\.254\.169\.254, which is not a public address"):
        fetch(site.url("/go"), policy=FetchPolicy.from_settings())
    assert checked == ["127.0.0.1", "169.254.169.254"] and site.hits == ["/go"]


def test_only_public_addresses_are_public():
    assert public(ipaddress.ip_address("93.184.216.34"))
    for text in (
        "127.0.0.1",
        "10.1.1.1",
        "169.254.1.1",
        "::1",
        "fe80::1",
        "fc00::1",
        "224.0.0.1",
        "::ffff:10.0.0.1",
    ):
        assert not public(ipaddress.ip_address(text)), text


def test_the_allow_list_takes_hosts_and_networks():
    policy = FetchPolicy(allowed_hosts=("wire.internal", "10.1.0.0/16"))
    assert policy.allows("wire.internal", ipaddress.ip_address("10.9.9.9"))
    assert policy.allows("other.example", ipaddress.ip_address("10.1.2.3"))
    assert not policy.allows("other.example", ipaddress.ip_address("10.2.0.1"))


def test_urls_with_credentials_or_other_schemes_are_refused(no_connection):
    for url, reason in [
        ("ftp://example.org/a", "not an http(s) URL"),
        ("file:///etc/passwd", "not an http(s) URL"),
        ("https://user:pw@example.org/", "user name or password"),
    ]:
        with pytest.raises(FetchError, match=re.escape(reason)):
            fetch(url, policy=FetchPolicy())


# -- The admin's Add article by URL ---------------------------------------------------------------


def test_add_article_by_url_in_the_admin(client, site, local_allowed, editor):
    site.routes["/story"] = Answer(seed_page())
    client.force_login(editor)
    page = client.get(reverse("admin:reviews_article_changelist"))
    assert reverse("admin:reviews_article_add_by_url") in page.content.decode()
    response = client.post(reverse("admin:reviews_article_add_by_url"), {"url": site.url("/story")})
    article = Article.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "admin:reviews_article_change", args=[article.pk]
    )
    page = client.get(response.url).content.decode()
    assert reverse("admin:reviews_article_refetch", args=[article.pk]) in page
    assert "https://news.example.org/2025/11/story" in page  # the canonical URL


def test_add_article_by_url_shows_the_fetch_error_and_stores_nothing(client, site, local_allowed, editor):
    site.routes["/gone"] = Answer(b"no", status=404, content_type="text/plain")
    client.force_login(editor)
    response = client.post(reverse("admin:reviews_article_add_by_url"), {"url": site.url("/gone")})
    assert response.status_code == 200 and "the server answered 404" in response.content.decode()
    assert Article.objects.count() == 0
