"""The project index's facts of the Redis writes a function makes with the key and the
expiry its caller gives (``forwards``), which OOM304 reads to see a write through a
project's own wrapper."""

from __future__ import annotations

from oomlint.python.project import ModuleSummary
from tests.test_summary_flows import summary_of


def test_a_wrapper_method_passing_its_key_and_expiry_to_a_client_made_in_the_class():
    summary = summary_of(
        """
        from flask_redis import FlaskRedis

        class RedisClient:
            store = FlaskRedis()

            def set(self, key, value, ex=None, px=None, nx=False, ttl_default=3600):
                key = prepare(key)
                self.store.set(key, prepare(value), ex, px, nx)

            def keep(self, key, value, *, ttl=3600, **options):
                self.store.set(f"app:{key}", value, ex=ttl, **options)
        """
    )
    assert summary.forwards == {
        "RedisClient.set": [
            [["key", "value", "ex", "px", "nx", "ttl_default"], "", [], "", ["ttl_default"]],
            [["set", "call", "flask_redis.FlaskRedis", [["0", "key"], ["1", "?"], ["2", "ex"], ["3", "px"], ["4", "nx"]]]],
        ],
        "RedisClient.keep": [
            [["key", "value"], "", ["ttl"], "options", ["ttl"]],
            [["set", "call", "flask_redis.FlaskRedis", [["0", "key"], ["1", "value"], ["ex", "ttl"], ["**", "options"]]]],
        ],
    }


def test_a_function_writing_through_an_imported_client():
    summary = summary_of(
        """
        from app.redis import client

        def cache_set(key, value, timeout=None):
            client.set(key, value, ex=timeout)
        """
    )
    assert summary.forwards == {
        "cache_set": [
            [["key", "value", "timeout"], "", [], "", []],
            [["set", "value", "app.redis.client", [["0", "key"], ["1", "value"], ["ex", "timeout"]]]],
        ]
    }


def test_writes_whose_key_or_expiry_the_caller_does_not_give_are_left_out():
    summary = summary_of(
        """
        import redis

        r = redis.Redis()

        def always_expires(key, value):
            r.set(key, value, ex=60)

        def never_expires(key, value):
            r.set(key, value)

        def fixed_key(value, ex=None):
            r.set("last", value, ex=ex)

        def expiry_from_anything(key, value, ttl=None):
            r.set(key, value, ex=ttl or 60)

        def not_a_write(key, ex=None):
            return r.get(key, ex)

        def no_named_receiver(key, value, ex=None):
            {}.set(key, value, ex)
            make().set(key, value, ex)

        def outer(key, value, ex=None):
            def inner():
                r.set(key, value, ex)
        """
    )
    assert summary.forwards == {}


def test_the_facts_survive_the_cache_format():
    summary = summary_of(
        """
        import redis

        def store(key, value, ex=None):
            redis.Redis().set(key, value, ex)
        """
    )
    assert ModuleSummary.from_json(summary.to_json()) == summary
    assert summary.forwards["store"][1] == [["set", "call", "redis.Redis", [["0", "key"], ["1", "value"], ["2", "ex"]]]]
