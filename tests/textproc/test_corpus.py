from pathlib import Path

import pytest

from reviews.textproc import corpus

NEWS = Path(__file__).resolve().parents[3] / "shared" / "gold" / "news"


def test_folds_are_disjoint():
    keys = [key for fold in corpus.FOLDS for key in fold]
    assert len(keys) == len(set(keys)) == 50


@pytest.mark.skipif(not NEWS.is_dir(), reason="the shared news corpus is not beside the checkout")
def test_every_page_is_in_exactly_one_test_fold():
    pages = corpus.load(NEWS)
    assert len(pages) == 50
    seen = []
    for _, train, test in corpus.splits(pages):
        assert not {p.key for p in train} & {p.key for p in test}
        seen += [p.key for p in test]
    assert sorted(seen) == sorted(p.key for p in pages)
