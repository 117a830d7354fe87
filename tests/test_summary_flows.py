"""The project index's facts of where a function's parameters go (``flows``), what its
conditions read (``conditions``) and what a module sets on imported modules
(``settings``): generic facts, which OOM401 reads to follow an upload into a helper."""

from __future__ import annotations

import textwrap

from oomlint.python.project import ModuleSummary, summarize


def summary_of(source: str) -> ModuleSummary:
    summary = summarize(textwrap.dedent(source), "app/m.py", "app.m", False)
    assert summary is not None
    return summary


def test_a_parameter_into_a_call_then_methods_on_its_result_in_the_order_they_run():
    summary = summary_of(
        """
        from PIL import Image

        def crop(upload, box):
            return Image.open(upload).convert("RGB").crop(box)
        """
    )
    assert summary.flows == {"crop": [["upload", "PIL.Image.open", 0, [["convert", 1], ["crop", 2]], 0]]}
    assert summary.parameters == {"crop": ["upload", "box"]}


def test_what_a_parameter_flowed_into_flows_on_through_names_attributes_and_methods():
    summary = summary_of(
        """
        import io
        from PIL import Image

        def thumbnail(upload):
            data = upload.file.read()
            image = Image.open(io.BytesIO(data))
            image.thumbnail((64, 64))
        """
    )
    assert summary.flows == {
        "thumbnail": [["upload", "io.BytesIO", 0, [], 0], [0, "PIL.Image.open", 0, [["thumbnail", 2]], 1]]
    }


def test_keywords_and_methods_of_a_class_without_self():
    summary = summary_of(
        """
        import cv2
        from app import imaging

        class Scanner:
            def scan(self, path, *, flags):
                imaging.load(source=path)
                return cv2.imread(self.path)
        """
    )
    assert summary.flows == {"Scanner.scan": [["path", "app.imaging.load", "source", [], 0]]}
    assert summary.parameters == {"Scanner.scan": ["path", "flags"]}


def test_calls_given_no_parameter_and_callees_with_no_name_are_left_out():
    summary = summary_of(
        """
        from PIL import Image

        def logo():
            return Image.open("logo.png").convert("RGB")

        def nested(upload):
            upload.seek(0)
            make = lambda: Image.open(upload)
            return make
        """
    )
    assert summary.flows == {}
    assert summary.parameters == {}


def test_conditions_read_attributes_of_flows_and_of_parameters_through_assigned_names():
    summary = summary_of(
        """
        import imagesize
        from PIL import Image

        def check(upload, image):
            width, height = Image.open(upload).size
            if width * height > 100:
                raise ValueError
            assert image.height < 10

        def header(path):
            if imagesize.get(path)[0] > 5:
                return None
        """
    )
    assert summary.conditions == {
        "check": [[0, "", 1], [0, "size", 1], ["image", "height", 2]],
        "header": [[0, "", 1]],
    }
    assert summary.flows["header"] == [["path", "imagesize.get", 0, [], 0]]


def test_settings_of_imported_modules_at_module_level_only():
    summary = summary_of(
        """
        import os
        from PIL import Image

        Image.MAX_IMAGE_PIXELS = 50 * 1000 * 1000
        os.environ = {}
        LIMIT = 3

        def later():
            Image.MAX_IMAGE_PIXELS = None
        """
    )
    assert summary.settings == {"PIL.Image.MAX_IMAGE_PIXELS": "50 * 1000 * 1000", "os.environ": "{}"}


def test_the_types_annotated_on_the_parameters_of_functions_with_flows():
    summary = summary_of(
        """
        from typing import Optional

        from fastapi import UploadFile
        from PIL import Image

        def typed(file: UploadFile, box: Optional[dict[str, int]], source: "UploadFile | str", raw):
            return Image.open(file.file).crop(box)

        def untyped(file):
            return Image.open(file)

        def nothing_flows(file: UploadFile):
            return None
        """
    )
    assert summary.annotations == {
        "typed": {"file": ["fastapi.UploadFile"], "box": [""], "source": ["fastapi.UploadFile", "builtins.str"]}
    }


def test_the_facts_survive_the_cache_format():
    summary = summary_of(
        """
        from PIL import Image

        def crop(upload):
            if upload.size > 10:
                return None
            return Image.open(upload).load()
        """
    )
    assert ModuleSummary.from_json(summary.to_json()) == summary
    assert summary.conditions == {"crop": [["upload", "size", 0]]}
    assert summary.flows == {"crop": [["upload", "PIL.Image.open", 0, [["load", 2]], 1]]}


def test_a_condition_on_a_global_made_in_another_function_reads_no_flow_of_this_one():
    summary = summary_of(
        """
        from app.cache import Cache

        def setup(settings):
            global CACHE
            CACHE = Cache(settings["name"])

        def token():
            value = CACHE.get("token")
            if value:
                return value
        """
    )
    assert summary.flows == {"setup": [["settings", "app.cache.Cache", 0, [], 0]]}
    assert summary.conditions == {}


def test_writes_to_another_module_s_container_by_any_key_and_by_a_parameter_from_one_function():
    """One function adds to an imported container what it was given and what it made:
    the summary holds both (they once could not be sorted together)."""
    summary = summary_of(
        """
        from app.core import db

        def add_role(role):
            db.members.add(role)
            db.members.add(next_id())
        """
    )
    assert summary.grows == [
        ["app.core.db.members", "add_role", "?", False, "", []],
        ["app.core.db.members", "add_role", ["role"], False, "", ["role"]],
    ]


def test_what_grows_in_a_call_s_arguments():
    """Per call, what an argument grows with: evidence (an entity's identity, the clock).
    An argument made of the caller's parameters only is in ``arguments`` (its callers
    decide); a constant grows with nothing."""
    summary = summary_of(
        """
        import time

        from app.store import total

        def invoice(order, label):
            return total(order.customer_id, time.time(), f"{label}:x", "fixed", (order.note, label))
        """
    )
    assert summary.growing == {
        "invoice": [[0, {"0": "an entity's 'customer_id'", "1": "a timestamp", "4": ["label"]}]]
    }


def test_a_service_locator_names_the_classes_its_global_is_bound_to():
    summary = summary_of(
        """
        import settings

        storage = None
        backend = None

        def get_storage():
            return storage

        def get_backend():
            return backend

        def maybe_storage(flag):
            if flag:
                return storage
            return object()

        class Memory:
            pass

        class Remote:
            pass

        def setup(url):
            global storage, backend
            storage = None
            if url:
                storage = Remote(url)
            else:
                storage = Memory()
            backend = settings.BACKEND

        def touch(key):
            get_storage().touch(key)
            store = get_storage()
            store.touch("fixed")
        """
    )
    assert summary.factories == {"get_storage": ["app.m.Memory", "app.m.Remote"]}
    assert summary.arguments["touch"][0] == ["app.m.get_storage().touch", {"0": ["key"]}]
    assert summary.arguments["touch"][3] == ["app.m.get_storage().touch", {"0": []}]
    assert summary.literals["touch"] == [[3, {"0": "fixed"}]]


def test_the_parameters_a_returned_call_is_given_as_they_are():
    summary = summary_of(
        """
        from zipfile import ZipFile

        class Loader:
            @staticmethod
            def read_meta(source):
                file = ZipFile(source)
                return file, file.read("meta.yaml")

            def open(self, path, *, mode="r"):
                return ZipFile(path, mode=mode)

            def either(self, path, other):
                if other:
                    return ZipFile(other)
                return ZipFile(path)
        """
    )
    assert summary.wraps == {
        "Loader.read_meta": {"0": {"0": ["source", 0]}},
        "Loader.open": {"": {"0": ["path", 0], "mode": ["mode", None]}},
    }
