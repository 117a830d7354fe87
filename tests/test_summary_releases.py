"""The project index's facts of which callees' results the project releases
(``releases``), and the resource kinds :meth:`ProjectIndex.released_kinds` learns from
them: what OOM201, OOM202 and OOM203 add to their table."""

from __future__ import annotations

import textwrap
from pathlib import Path

from oomlint.core.cache import Cache
from oomlint.python.project import ModuleSummary, ProjectIndex, build_index, summarize


# A client made and closed in a ``finally``: what teaches the project its kinds.
SEARCH_WITH_CARE = """
        async def search(url, text):
            client = AsyncElasticsearch(url)
            try:
                return await client.search(q=text)
            finally:
                await client.close()
        """


def summary_of(source: str, name: str = "app.m") -> ModuleSummary:
    summary = summarize(textwrap.dedent(source), f"{name.replace('.', '/')}.py", name, False)
    assert summary is not None
    return summary


def learned(*modules: ModuleSummary) -> dict[str, tuple[str, ...]]:
    index = ProjectIndex(Path("/nowhere"), Cache(None), [(f"/nowhere/{summary.name}.py", summary) for summary in modules])
    index.seal()
    return index.released_kinds()


def test_values_released_kept_or_returned_per_callee():
    summary = summary_of(
        """
        import io
        from elasticsearch import AsyncElasticsearch
        from kombu import Connection

        class Index:
            def __init__(self, url):
                self.client = AsyncElasticsearch(url)
                self.spare = AsyncElasticsearch(url)

            async def close(self):
                await self.client.close()

        def probe(url):
            conn = Connection(url)
            try:
                conn.connect()
            finally:
                conn.shutdown()

        def make(url):
            conn = Connection(url)
            return conn

        def tidy(url):
            conn = Connection(url)
            conn.connect()
            conn.close()

        def peek(url):
            conn = Connection(url)
            print(conn.close())
            buffer = io.BytesIO()
            buffer.close()
            size = len(url)
            return size
        """
    )
    # ``print(conn.close())`` reads the result: no release for its effect. ``io.BytesIO``
    # and the builtins are never kinds; ``make`` gives its connection to the caller, and
    # ``tidy`` releases its own on the normal path only: neither counts.
    assert summary.releases == {
        "elasticsearch.AsyncElasticsearch": [1, 1, ["close"]],
        "kombu.Connection": [1, 1, ["shutdown"]],
    }


def test_a_kind_is_what_the_project_releases_at_least_as_often_as_it_drops():
    careful = summary_of(
        """
        import requests
        from elasticsearch import AsyncElasticsearch
        """
        + SEARCH_WITH_CARE
        + """
        def download(url):
            response = requests.get(url, stream=True)
            try:
                return response.content
            finally:
                response.close()
        """,
        "app.careful",
    )
    careless = summary_of(
        """
        import requests
        from elasticsearch import AsyncElasticsearch

        async def suggest(url, text):
            client = AsyncElasticsearch(url)
            found = await client.search(q=text)
            return found

        def status(url):
            response = requests.get(url)
            return response.status_code

        def body(url):
            response = requests.get(url)
            return response.text
        """,
        "app.careless",
    )
    assert learned(careful, careless) == {"elasticsearch.AsyncElasticsearch": ("close",)}
    assert learned(careless) == {}


def test_a_project_factory_is_learned_as_what_it_returns():
    db = summary_of(
        """
        import sqlite3
        from wrapt import ObjectProxy

        class ConnectionPlus(ObjectProxy):
            pass

        def connect(path):
            return ConnectionPlus(sqlite3.connect(path))

        def initialise(path):
            conn = connect(path)
            try:
                conn.execute("create table t (x)")
            finally:
                conn.close()
        """,
        "app.db",
    )
    assert db.releases == {"app.db.connect": [1, 0, ["close"]]}
    assert learned(db) == {"app.db.ConnectionPlus": ("close",)}


def test_the_index_summarizes_up_front_the_files_that_can_teach_a_kind(tmp_path):
    """A file that binds what a call makes and releases that name can teach a kind, and is
    summarized when the index is made; one that only closes what it was given, or defines
    ``close``, teaches nothing and waits until a question needs it."""
    (tmp_path / "pyproject.toml").write_text("")
    app = tmp_path / "app"
    app.mkdir()
    (app / "__init__.py").write_text("")
    (app / "search.py").write_text(textwrap.dedent(
        """
        from elasticsearch import AsyncElasticsearch
        """
        + SEARCH_WITH_CARE
    ))
    (app / "given.py").write_text(textwrap.dedent(
        """
        def stop(client):
            client.close()

        class Holder:
            def __init__(self, client):
                self.client = client

            def close(self):
                self.client.close()
        """
    ))
    index = build_index(tmp_path, frozenset({"sqlite3.connect"}), Cache(None))
    assert sorted(index.modules) == ["app.search"]
    assert sorted(index.files) == ["app", "app.given"]
    assert index.released_kinds() == {"elasticsearch.AsyncElasticsearch": ("close",)}
