"""A small HTTP server on 127.0.0.1 for fetch, URL-ingest and feed tests, and the pages it serves."""

import threading
import time
from dataclasses import dataclass, field
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from tests.conftest import POW_SEED


@dataclass
class Answer:
    body: bytes = b""
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    headers: dict = field(default_factory=dict)
    delay: float = 0.0  # seconds before answering
    length: bool = True  # send Content-Length (else the body streams until the connection closes)
    fail_first: int = 0  # answer 503 to this many requests first (a server that recovers)


class Site:
    """Routes (path -> Answer) served from a thread; ``url(path)`` is the full address."""

    def __init__(self):
        self.routes: dict[str, Answer] = {}
        self.hits: list[str] = []
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.0"

            def do_GET(self):
                site.hits.append(self.path)
                answer = site.routes.get(self.path) or Answer(
                    b"not here", status=404, content_type="text/plain"
                )
                if answer.delay:
                    time.sleep(answer.delay)
                status = answer.status
                if answer.fail_first and site.hits.count(self.path) <= answer.fail_first:
                    status = 503
                try:
                    self.send_response(status)
                    if answer.content_type:
                        self.send_header("Content-Type", answer.content_type)
                    if answer.length:
                        self.send_header("Content-Length", str(len(answer.body)))
                    for key, value in answer.headers.items():
                        self.send_header(key, value)
                    self.end_headers()
                    self.wfile.write(answer.body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def url(self, path: str) -> str:
        return self.base + path


def article_html(
    title: str,
    paragraphs: list[str],
    *,
    author: str = "Jane Reporter",
    site: str = "Daily Example",
    published: str = "2025-11-20T08:00:00Z",
    canonical: str = "https://news.example.org/2025/11/story",
) -> bytes:
    """A news page as publishers serve them: metadata in the head, furniture around the story."""
    body = "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>{escape(title)} | {escape(site)}</title>
<meta name="author" content="{escape(author)}"><meta property="og:site_name" content="{escape(site)}">
<meta property="article:published_time" content="{published}">
<link rel="canonical" href="{canonical}">
</head><body><nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><h1>{escape(title)}</h1>{body}</article>
<footer>Copyright {escape(site)}. All rights reserved.</footer></body></html>""".encode()


def seed_page(**kwargs) -> bytes:
    """The prisoner-of-war seed article as a web page."""
    paragraphs = [p.strip() for p in POW_SEED.read_text(encoding="utf-8").split("\n\n") if p.strip()]
    return article_html(paragraphs[0], paragraphs[1:], **kwargs)


def rss(title: str, items: list[tuple[str, str, str]]) -> bytes:
    """An RSS 2.0 feed of (link, title, RFC 822 date) items, newest first as feeds list them."""
    entries = "".join(
        f"<item><title>{escape(t)}</title><link>{escape(link)}</link><guid>{escape(link)}</guid>"
        f"<pubDate>{date}</pubDate></item>"
        for link, t, date in items
    )
    return (
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{escape(title)}</title>'
        f"<link>https://news.example.org/</link><description>wire</description>{entries}</channel></rss>"
    ).encode()


def atom(title: str, items: list[tuple[str, str, str]]) -> bytes:
    """An Atom feed of (link, title, ISO date) items."""
    entries = "".join(
        f'<entry><title>{escape(t)}</title><link href="{escape(link)}"/><id>{escape(link)}</id>'
        f"<updated>{date}</updated></entry>"
        for link, t, date in items
    )
    return (
        f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>{escape(title)}</title><id>urn:test</id><updated>2025-11-20T00:00:00Z</updated>{entries}</feed>"
    ).encode()
