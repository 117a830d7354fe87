"""The project index's facts of what a function does with the object each parameter is
given (``lends``), and how :meth:`ProjectIndex.lends` follows them through the project:
what OOM201/OOM202 read to tell a borrowing helper from one that keeps a resource."""

from __future__ import annotations

import textwrap
from pathlib import Path

from oomlint.core.cache import Cache
from oomlint.python.project import Lent, ModuleSummary, ProjectIndex, summarize


def summary_of(source: str, name: str = "app.m") -> ModuleSummary:
    summary = summarize(textwrap.dedent(source), f"{name.replace('.', '/')}.py", name, False)
    assert summary is not None
    return summary


def test_each_parameter_kept_or_not_with_its_methods_and_the_calls_it_is_passed_to():
    summary = summary_of(
        """
        import json

        class Client:
            def get_json(self, url, session=None, *, attempt=1):
                sess = session or self.session
                response = sess.get(url)
                data = response.json()
                if attempt < 3:
                    return self.get_json(url, sess, attempt=attempt + 1)
                return data

            def keep(self, session):
                self.session = session

            def first(self, session):
                response = session.get("/")
                return response

            @staticmethod
            def dump(payload, stream):
                json.dump(payload, stream)
                with stream:
                    pass

        def later(stream):
            return lambda: stream.write("x")

        def listed(stream, streams):
            streams.append(stream)
            return [stream]
        """
    )
    assert summary.lends == {
        "Client.get_json": [
            ["url", True, True, [], [["app.m.Client.get_json", 0]]],
            ["session", True, False, ["get"], [["app.m.Client.get_json", 1]]],
            ["attempt", False, False, [], []],
        ],
        "Client.keep": [["session", True, True, [], []]],
        "Client.first": [["session", True, True, ["get"], []]],
        "Client.dump": [
            ["payload", True, False, [], [["json.dump", 0]]],
            ["stream", True, False, ["__exit__"], [["json.dump", 1]]],
        ],
        "later": [["stream", True, True, [], []]],
        "listed": [["stream", True, True, [], []], ["streams", True, False, ["append"], []]],
    }
    assert ModuleSummary.from_json(summary.to_json()) == summary


def borrowing(callee: str, argument: int | str) -> Lent | None:
    return Lent(False, frozenset()) if callee == "json.dump" else None


def index_of(*modules: ModuleSummary) -> ProjectIndex:
    return ProjectIndex(Path("/nowhere"), Cache(None), [(f"/nowhere/{summary.name}.py", summary) for summary in modules])


def test_followed_through_functions_modules_and_base_classes_and_recursion():
    helpers = summary_of(
        """
        import json

        class Client:
            def get_json(self, url, session=None):
                response = session.get(url)
                if response.status_code == 429:
                    return self.get_json(url, session)
                return response.json()

        def save(payload, stream):
            json.dump(payload, stream)

        def finish(stream):
            save({}, stream)
            stream.close()

        def send(stream, url):
            return post(url, data=stream)
        """,
        "app.helpers",
    )
    jobs = summary_of(
        """
        from app.helpers import Client, finish

        class Poller(Client):
            pass

        def done(stream):
            finish(stream)
        """,
        "app.jobs",
    )
    index = index_of(helpers, jobs)
    assert index.lends("app.jobs.Poller.get_json", "session", borrowing) == Lent(False, frozenset({"get"}))
    assert index.lends("app.jobs.Poller.get_json", 0, borrowing) == Lent(True, frozenset())
    assert index.lends("app.jobs.done", 0, borrowing) == Lent(False, frozenset({"close"}))
    assert index.lends("app.helpers.save", 1, borrowing) == Lent(False, frozenset())
    assert index.lends("app.helpers.send", 0, borrowing) == Lent(True, frozenset())
    assert index.lends("app.helpers.save", 2, borrowing) is None
    assert index.lends("app.helpers.missing", 0, borrowing) is None


def test_a_function_whose_first_call_is_in_a_comprehension_is_summarized_as_the_function():
    """A comprehension's calls are its function's: the facts are the function's, read in
    the function's scope (its parameters), not the comprehension's."""
    summary = summary_of(
        """
        import json

        def documents(session, urls):
            return [json.loads(session.get(url).content) for url in urls]
        """
    )
    assert summary.calls == {"documents": {"json.loads": True}}
    assert summary.lends == {"documents": [["session", True, False, ["get"], []], ["urls", True, False, [], []]]}
