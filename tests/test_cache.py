"""Caches between runs: keyed by content, written atomically, ignored when corrupt, never by `check`."""

from __future__ import annotations

import pytest

from conftest import GOOD
from pipeline import cache
from pipeline.build import checked_review
from pipeline.cli import main


@pytest.fixture(autouse=True)
def own_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "cache" / "review-pipeline"


def test_a_checked_review_is_cached_and_found_again(make_review, own_cache):
    review = make_review(GOOD)
    first = checked_review(review)
    assert [p.name.startswith("checked-") for p in own_cache.glob("checked-*")] == [True]
    again = checked_review(review)
    assert again == first and again is not first


def test_an_edit_gives_a_new_key(make_review, own_cache):
    review = make_review(GOOD)
    checked_review(review)
    (review / "review.yaml").write_text(GOOD.replace("A paragraph.", "Another paragraph."))
    assert "Another" in checked_review(review).document.sections[0].blocks[0].runs[0].text
    assert len(list(own_cache.glob("checked-*"))) == 2


def test_a_corrupt_cache_is_ignored(make_review, own_cache):
    review = make_review(GOOD)
    expected = checked_review(review)
    for path in own_cache.glob("checked-*"):
        path.write_bytes(b"not a pickle")
    assert checked_review(review) == expected


def test_check_writes_nothing(make_review, own_cache, capsys):
    review = make_review(GOOD)
    assert main(["check", "-q", str(review)]) == 0
    assert not own_cache.exists() or not any(own_cache.iterdir())


def test_cached_hyphenation_dictionary_is_the_parsed_one(own_cache, monkeypatch):
    import pyphen

    monkeypatch.setattr(pyphen, "hdcache", {})
    cache.warm_hyphenation("en-US")  # parsed, then stored
    monkeypatch.setattr(pyphen, "hdcache", {})
    cache.warm_hyphenation("en-US")  # from the cache
    [(path, parsed)] = pyphen.hdcache.items()
    assert parsed.patterns == pyphen.HyphDict(path).patterns
    assert pyphen.Pyphen(lang="en_US").inserted("hyphenation") == "hy-phen-ation"


def test_library_lookups_are_remembered_between_runs(own_cache, monkeypatch):
    import ctypes.util

    asked = []

    def real(name):
        asked.append(name)
        return {"pango-1.0": "libpango-1.0.so.0"}.get(name)

    monkeypatch.setattr(ctypes.util, "find_library", real)
    for _ in range(2):  # the second run answers from the disk cache, misses included
        with cache.known_libraries():
            assert ctypes.util.find_library("pango-1.0") == "libpango-1.0.so.0"
            assert ctypes.util.find_library("libpango-1.0-0") is None
        assert ctypes.util.find_library is real
    assert asked == ["pango-1.0", "libpango-1.0-0"]
    monkeypatch.setenv("LD_LIBRARY_PATH", "/opt/lib")  # another search path: asked again
    with cache.known_libraries():
        ctypes.util.find_library("pango-1.0")
    assert asked[-1] == "pango-1.0" and len(asked) == 3


def test_compiled_templates_are_kept_and_an_edit_is_compiled_again(own_cache, tmp_path):
    from pipeline.render.templating import _environment

    own = tmp_path / "templates"
    own.mkdir()
    (own / "page.html").write_text("<p>{{ word }}</p>")
    _environment.cache_clear()
    assert _environment(own).get_template("page.html").render(word="one") == "<p>one</p>"
    [kept] = own_cache.glob("templates-*/*")
    _environment.cache_clear()
    assert _environment(own).get_template("page.html").render(word="two") == "<p>two</p>"
    kept.write_bytes(b"not bytecode")  # a corrupt file is compiled afresh
    (own / "page.html").write_text("<b>{{ word }}</b>")
    _environment.cache_clear()
    assert _environment(own).get_template("page.html").render(word="three") == "<b>three</b>"
    _environment.cache_clear()
