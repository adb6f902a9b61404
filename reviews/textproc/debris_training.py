"""Train the debris model (dev requirement: scikit-learn).

``train_debris(pages)`` labels every line of each annotated page as article text (it holds
a gold claim, or is part of one) or not (headline, furniture, debris), trains the two-stage
model of ``debris.py`` and returns it as the JSON-ready dict that ``data/debris.json`` holds.
The second stage is trained on out-of-fold first-stage scores, grouped by page, as it will
see them at run time. Deterministic: the same pages give the same model.
"""

import json
import re
from pathlib import Path

from .corpus import Page
from .debris import (
    BASE,
    CONTEXT,
    MODEL_PATH,
    NEIGHBOUR,
    TITLE,
    DebrisModel,
    Unit,
    features,
    neighbours,
    title_candidates,
    title_features,
    tokens,
)
from .pipeline import prepare

VERSION = "debris-lr2-1"
THRESHOLD = 0.5
C = 0.5
# A word gets its own weight when it is on lines of this many training pages: words of page
# furniture in general ("caption", "newsletter", "commission"), not of one page.
MIN_PAGES = 5
# The bare copies of the stories (see ``clean_copies``): (sentences kept, sentences per
# paragraph, paragraph separator), each line weighing a tenth of a published page's line,
# so that they teach what a story alone looks like without outvoting the pages.
COPIES = ((10**6, 2, "\n\n"), (3, 2, "\n"), (2, 1, "\n\n"), (4, 1, "\n"))
COPY_WEIGHT = 0.1
_WS = re.compile(r"\s+")


def _norm(text: str) -> str:
    return _WS.sub(" ", text).strip()


def page_units(page: Page) -> list[Unit]:
    """The lines of a page exactly as the cleaner sees them."""
    from .clean import units

    text, _, _ = prepare(page.text, fmt=page.fmt)
    return units(text)


def labels(page: Page, lines: list[Unit]) -> list[int]:
    """1 for a line holding a gold claim or part of one, else 0."""
    claims = [_norm(c["text"]) for c in page.gold["claims"]]
    out = []
    for unit in lines:
        text = _norm(unit.text)
        part = len(text) >= 20 and any(text in c for c in claims)
        out.append(int(part or any(c in text for c in claims)))
    return out


def _vocabulary(texts_by_page: list[list[str]]) -> list[str]:
    """Words found on lines of at least ``MIN_PAGES`` pages, sorted."""
    pages_with: dict[str, int] = {}
    for texts in texts_by_page:
        for word in set().union(*(tokens(t) for t in texts)) if texts else ():
            pages_with[word] = pages_with.get(word, 0) + 1
    return sorted(w for w, n in pages_with.items() if n >= MIN_PAGES)


def _stage(x, y, texts=None, vocabulary=(), weights=None):
    from scipy import sparse
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    scaler = StandardScaler().fit(x)
    scale = [s if s > 1e-9 else 1.0 for s in scaler.scale_]
    z = (x - scaler.mean_) / scale
    if vocabulary:
        index = {w: i for i, w in enumerate(vocabulary)}
        cells = [(r, index[w]) for r, t in enumerate(texts) for w in tokens(t) if w in index]
        words = sparse.csr_matrix(
            ([1.0] * len(cells), ([r for r, _ in cells], [c for _, c in cells])),
            shape=(len(texts), len(vocabulary)),
        )
        z = sparse.hstack([sparse.csr_matrix(z), words]).tocsr()
    lr = LogisticRegression(C=C, max_iter=5000).fit(z, y, sample_weight=weights)
    coef = lr.coef_[0]
    n = x.shape[1]
    stage = {
        "mean": [round(float(v), 6) for v in scaler.mean_],
        "scale": [round(float(v), 6) for v in scale],
        "coef": [round(float(v), 6) for v in coef[:n]],
        "intercept": round(float(lr.intercept_[0]), 6),
    }
    if vocabulary:
        stage["words"] = {
            w: round(float(v), 6) for w, v in zip(vocabulary, coef[n:], strict=True) if abs(v) >= 0.01
        }
    return stage


def _title_stage(pages: list[Page]) -> dict:
    """The headline scorer, trained on text pages (an HTML page names its own title)."""
    import numpy as np

    rows, ys = [], []
    for page in pages:
        if page.fmt != "text":
            continue
        lines = page_units(page)
        title = _norm(page.gold.get("title", ""))
        candidates = title_candidates(lines)
        hits = [int(_norm(lines[i].text) == title) for i in candidates]
        if not title or not any(hits):
            continue
        rows += title_features(lines, candidates)
        ys += hits
    return _stage(np.array(rows, dtype=float), np.array(ys))


def clean_copies(pages: list[Page]) -> list[Page]:
    """Each page's story alone: its headline, then its sentences in short paragraphs.

    Pasted copy and short notes have no page furniture around them; without these copies
    the model would learn that a story's last short line is always a footer.
    """
    copies = []
    for page in pages:
        claims = [c["text"] for c in page.gold["claims"]]
        if not claims:
            continue
        gold = {**page.gold, "file": page.gold["file"].rsplit(".", 1)[0] + ".txt", "debris": []}
        for keep, size, gap in COPIES:
            paragraphs = [" ".join(claims[i : i + size]) for i in range(0, min(keep, len(claims)), size)]
            copies.append(Page(gold, page.gold.get("title", "") + "\n\n" + gap.join(paragraphs) + "\n"))
    return copies


def train_debris(pages: list[Page]) -> dict:
    """Train the debris model on ``pages`` and return it as a JSON-ready dict."""
    import numpy as np

    from .debris import Stage

    title = _title_stage(pages)  # on the pages as published, not the bare copies
    copies = clean_copies(pages)
    rows, ys, ws = [], [], []
    per_page = []
    for page, weight in [(p, 1.0) for p in pages] + [(c, COPY_WEIGHT) for c in copies]:
        lines = page_units(page)
        if not lines:
            continue
        r = features(lines)
        y = labels(page, lines)
        per_page.append((r, y, [u.text for u in lines], weight))
        rows += r
        ys += y
        ws += [weight] * len(r)
    x, y, w = np.array(rows, dtype=float), np.array(ys), np.array(ws)
    texts = [t for _, _, page_texts, _ in per_page for t in page_texts]
    first = _stage(x, y, texts, _vocabulary([t for _, _, t, _ in per_page]), w)
    # Out-of-fold first-stage scores (pages in five groups) for training the second stage.
    oof: list[tuple[int, list[float]]] = []
    for held in range(5):
        train = [i for i in range(len(per_page)) if i % 5 != held]
        xs = np.array([row for i in train for row in per_page[i][0]], dtype=float)
        yt = np.array([v for i in train for v in per_page[i][1]])
        ts = [t for i in train for t in per_page[i][2]]
        wt = np.array([per_page[i][3] for i in train for _ in per_page[i][1]])
        stage = Stage.from_dict(_stage(xs, yt, ts, _vocabulary([per_page[i][2] for i in train]), wt))
        for i, (r, _, page_texts, _) in enumerate(per_page):
            if i % 5 == held:
                oof.append((i, [stage.probability(row, t) for row, t in zip(r, page_texts, strict=True)]))
    oof.sort()
    second_rows = []
    for (_, probs), (r, _, _, _) in zip(oof, per_page, strict=True):
        for row, p, extra in zip(r, probs, neighbours(probs), strict=True):
            second_rows.append([*row, p, *extra])
    second = _stage(np.array(second_rows, dtype=float), y, weights=w)
    return {
        "title": title,
        "version": VERSION,
        "threshold": THRESHOLD,
        "features": list(BASE + CONTEXT),
        "second_features": list(BASE + CONTEXT + ("p_self",) + NEIGHBOUR),
        "title_features": list(TITLE),
        "first": first,
        "second": second,
    }


def model_from(data: dict) -> DebrisModel:
    return DebrisModel.from_dict(data)


def write(data: dict, path: Path = MODEL_PATH) -> None:
    path.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
