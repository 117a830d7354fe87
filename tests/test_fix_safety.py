"""``oomlint fix`` never loses what the user had: edits made while it runs, symlinks,
hard links, read-only files and folders, owners, modes and line breaks."""

from __future__ import annotations

import errno
import io
import os
import stat
import tempfile

import pytest

from oomlint.hosts import cli
from oomlint.fix import driver as fixes
from oomlint.core.config import Config
from oomlint.fix.driver import fix_file
from tests.test_fix_manifests import POD
from tests.test_fix_manifests import RULES as MANIFEST_RULES

RULES = Config().enabled
BEFORE = "import functools\n\n\n@functools.lru_cache(maxsize=None)\ndef load(user_id):\n    return user_id\n"
AFTER = BEFORE.replace("maxsize=None", "maxsize=1024")
POD_AFTER = POD + "      limits:\n        memory: 1Gi\n"


@pytest.mark.parametrize("end", ["", "# end\n", "\n\n"], ids=["statement", "comment", "blank-lines"])
def test_lone_cr_line_breaks_keep_the_last_one(tmp_path, end):
    """libcst's parser takes a final lone CR for no line break at all and drops it."""
    python, manifest = tmp_path / "app.py", tmp_path / "pod.yaml"
    python.write_bytes((BEFORE + end).replace("\n", "\r").encode())
    manifest.write_bytes((POD + end).replace("\n", "\r").encode())
    assert fix_file(str(python), RULES).problem is None
    assert fix_file(str(manifest), MANIFEST_RULES, unsafe=True).problem is None
    assert python.read_bytes() == (AFTER + end).replace("\n", "\r").encode()
    assert manifest.read_bytes() == (POD_AFTER + end).replace("\n", "\r").encode()


FINDING = "app.py:4:2: OOM301 [*] functools.lru_cache(maxsize=None) on 'load', keyed by what the callers of a public function pass, never evicts: every distinct argument stays cached; set a maxsize\n"


def fix(root, monkeypatch, capsys, *paths: str) -> tuple[int, str, str]:
    """``oomlint fix -j 1 PATH...`` in ``root``, in this process (so monkeypatches apply):
    exit code, stdout, stderr."""
    monkeypatch.chdir(root)
    code = cli.main(["fix", "-j", "1", *paths])
    return (code, *capsys.readouterr())


def state(path) -> tuple:
    """All of a file the fix must keep or change on purpose: bytes, inode, links, mode, owner."""
    status = os.stat(path)
    return path.read_bytes(), status.st_ino, status.st_nlink, stat.S_IMODE(status.st_mode), status.st_uid, status.st_gid


def temporaries(*folders) -> list[str]:
    return [name for folder in folders for name in os.listdir(folder) if name.startswith(".oomlint-")]


def edit_while_fixing(monkeypatch, edit):
    """Make ``edit()`` happen after the fixes are made and before the file is written."""
    original = fixes.fix_source

    def fix_source_then_edit(*arguments, **keywords):
        outcome = original(*arguments, **keywords)
        edit()
        return outcome

    monkeypatch.setattr(fixes, "fix_source", fix_source_then_edit)


EDITED = BEFORE.replace("return user_id", "return user_ix")


@pytest.mark.parametrize("links", [1, 2], ids=["renamed-over", "written-in-place"])
def test_an_edit_made_while_the_fix_runs_is_kept(tmp_path, monkeypatch, capsys, links):
    """An editor's in-place save of same-size text, even with the old mtime put back: the
    content is compared, not only the stat."""
    path, other = tmp_path / "app.py", tmp_path / "other.py"
    path.write_text(BEFORE)
    os.chmod(path, 0o640)
    other.write_text(BEFORE)
    if links == 2:
        os.link(path, tmp_path / "alias.py")
    before = os.stat(path)

    def save():
        with open(path, "r+b") as stream:
            stream.write(EDITED.encode())
        os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))

    edit_while_fixing(monkeypatch, save)
    assert fix(tmp_path, monkeypatch, capsys, "app.py", "other.py") == (
        1, FINDING + "Fixed 1 finding in 1 file; 1 remaining.\n",
        "app.py: not fixed: the file changed while it was being fixed\n",
    )
    assert state(path) == (EDITED.encode(), before.st_ino, links, 0o640, before.st_uid, before.st_gid)
    assert os.stat(path).st_mtime_ns == before.st_mtime_ns
    assert other.read_bytes() == AFTER.encode()
    assert temporaries(tmp_path) == []


def test_a_file_an_editor_replaced_while_the_fix_runs_is_kept(tmp_path, monkeypatch, capsys):
    """Saved by rename, as editors do: a new file, left as the editor wrote it."""
    path = tmp_path / "app.py"
    path.write_text(BEFORE)
    saved = tmp_path / "saved.tmp"

    def save():
        saved.write_text(EDITED)
        os.replace(saved, path)

    edit_while_fixing(monkeypatch, save)
    code, out, err = fix(tmp_path, monkeypatch, capsys, "app.py")
    assert (code, out, err) == (1, FINDING + "Fixed 0 findings in 0 files; 1 remaining.\n", "app.py: not fixed: the file changed while it was being fixed\n")
    assert (path.read_text(), os.listdir(tmp_path)) == (EDITED, ["app.py"])


def test_a_symlink_named_on_the_command_line_has_its_target_fixed(tmp_path, monkeypatch, capsys):
    real, links = tmp_path / "real", tmp_path / "links"
    real.mkdir()
    links.mkdir()
    target, link = real / "app.py", links / "app.py"
    target.write_text(BEFORE)
    os.chmod(target, 0o640)
    link.symlink_to("../real/app.py")
    assert fix(tmp_path, monkeypatch, capsys, "links/app.py") == (0, "Fixed 1 finding in 1 file; 0 remaining.\n", "")
    assert (os.path.islink(link), os.readlink(link)) == (True, "../real/app.py")
    assert (target.read_bytes(), os.path.islink(target), stat.S_IMODE(os.stat(target).st_mode)) == (AFTER.encode(), False, 0o640)
    assert temporaries(real, links) == []


def test_symlinks_found_by_walking_have_their_targets_fixed_once(tmp_path, monkeypatch, capsys):
    """A link to a file, a link to that link, and the file itself, in that order in the walk."""
    (tmp_path / "lib").mkdir()
    target = tmp_path / "lib" / "app.py"
    target.write_text(BEFORE)
    (tmp_path / "link.py").symlink_to("lib/app.py")
    (tmp_path / "link_to_link.py").symlink_to("link.py")
    assert fix(tmp_path, monkeypatch, capsys, ".") == (0, "Fixed 1 finding in 1 file; 0 remaining.\n", "")
    assert (target.read_bytes(), os.path.islink(target)) == (AFTER.encode(), False)
    assert [os.readlink(tmp_path / name) for name in ("link.py", "link_to_link.py")] == ["lib/app.py", "link.py"]
    assert sorted(os.listdir(tmp_path)) + os.listdir(tmp_path / "lib") == ["lib", "link.py", "link_to_link.py", "app.py"]


def test_hard_links_keep_sharing_the_fixed_file(tmp_path, monkeypatch, capsys):
    path, alias = tmp_path / "app.py", tmp_path / "alias" / "app.py"
    alias.parent.mkdir()
    path.write_text(BEFORE)
    os.chmod(path, 0o751)
    os.link(path, alias)
    inode = os.stat(path).st_ino
    assert fix(tmp_path, monkeypatch, capsys, "app.py") == (0, "Fixed 1 finding in 1 file; 0 remaining.\n", "")
    owner = os.getuid(), os.getgid()
    assert state(path) == state(alias) == (AFTER.encode(), inode, 2, 0o751, *owner)
    assert temporaries(tmp_path, alias.parent) == []


@pytest.mark.parametrize("named", ["app.py", "link.py"], ids=["file", "symlink"])
def test_a_read_only_file_is_refused_and_left_byte_for_byte(tmp_path, monkeypatch, capsys, named):
    """Refused for root too: no write bit for the owner says the file is not to be changed."""
    path, other = tmp_path / "app.py", tmp_path / "other.py"
    path.write_text(BEFORE)
    other.write_text(BEFORE)
    os.chmod(path, 0o444)
    (tmp_path / "link.py").symlink_to("app.py")
    before = state(path)
    where = "" if named == "app.py" else f" {path}"
    assert fix(tmp_path, monkeypatch, capsys, named, "other.py") == (
        1, FINDING.replace("app.py", named) + "Fixed 1 finding in 1 file; 1 remaining.\n",
        f"{named}: not fixed: cannot write{where}: the file is read-only\n",
    )
    assert state(path) == before
    assert (before[0], before[3]) == (BEFORE.encode(), 0o444)
    assert other.read_bytes() == AFTER.encode()
    assert temporaries(tmp_path) == []


def test_a_file_in_a_folder_that_cannot_be_written_is_a_problem_not_an_internal_error(tmp_path, monkeypatch, capsys):
    """The folder's refusal is injected where the temporary file is made, so that the test
    means the same as root, whom no folder refuses."""
    locked, open_ = tmp_path / "locked", tmp_path / "open"
    locked.mkdir()
    open_.mkdir()
    (locked / "app.py").write_text(BEFORE)
    (open_ / "app.py").write_text(BEFORE)
    before = state(locked / "app.py")
    make = tempfile.mkstemp

    def mkstemp(*arguments, dir, **keywords):
        if os.path.samefile(dir, locked):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), os.path.join(dir, ".oomlint-x.tmp"))
        return make(*arguments, dir=dir, **keywords)

    monkeypatch.setattr(fixes.tempfile, "mkstemp", mkstemp)
    assert fix(tmp_path, monkeypatch, capsys, "locked", "open") == (
        1, FINDING.replace("app.py", "locked/app.py") + "Fixed 1 finding in 1 file; 1 remaining.\n",
        "locked/app.py: not fixed: cannot write: Permission denied\n",
    )
    assert state(locked / "app.py") == before
    assert (open_ / "app.py").read_bytes() == AFTER.encode()
    assert temporaries(locked, open_) == []


def test_a_failed_rename_leaves_the_file_and_no_temporary_file(tmp_path, monkeypatch, capsys):
    path = tmp_path / "app.py"
    path.write_text(BEFORE)
    before = state(path)

    def replace(source, destination):
        raise OSError(errno.EBUSY, os.strerror(errno.EBUSY), source, destination)

    monkeypatch.setattr(fixes.os, "replace", replace)
    assert fix(tmp_path, monkeypatch, capsys, "app.py") == (
        1, FINDING + "Fixed 0 findings in 0 files; 1 remaining.\n", "app.py: not fixed: cannot write: Device or resource busy\n"
    )
    assert (state(path), os.listdir(tmp_path)) == (before, ["app.py"])


def test_a_failed_write_in_place_puts_the_old_bytes_back(tmp_path, monkeypatch, capsys):
    """The disk fills up 10 bytes before the end of the fixed text, written over a
    hard-linked file: its changed line is half written."""
    path = tmp_path / "app.py"
    path.write_text(BEFORE)
    os.link(path, tmp_path / "alias.py")
    before = state(path)
    writes: list[bytes] = []

    class FillingDisk(io.FileIO):
        def write(self, data):
            writes.append(bytes(data))
            if len(writes) > 1:
                return super().write(data)
            super().write(bytes(data[:-10]))
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(fixes, "open", lambda file, mode="r", buffering=-1: FillingDisk(file, mode.replace("b", "")), raising=False)
    code, out, err = fix(tmp_path, monkeypatch, capsys, "app.py")
    assert (code, err) == (1, "app.py: not fixed: cannot write: No space left on device\n")
    assert out == FINDING + "Fixed 0 findings in 0 files; 1 remaining.\n"
    assert state(path) == state(tmp_path / "alias.py") == before
    assert writes == [AFTER.encode(), BEFORE.encode()]


def test_the_owner_and_mode_are_kept(tmp_path, monkeypatch, capsys):
    """Root fixing a user's file (a CI container on a mounted checkout) gives it back to
    the user; the new file is made as root, so the owner must be copied."""
    path = tmp_path / "app.py"
    path.write_text(BEFORE)
    owner = (65534, 65534) if os.geteuid() == 0 else (os.getuid(), os.getgid())
    os.chown(path, *owner)
    os.chmod(path, 0o2750)
    assert fix(tmp_path, monkeypatch, capsys, "app.py") == (0, "Fixed 1 finding in 1 file; 0 remaining.\n", "")
    data, _, links, mode, *kept_owner = state(path)
    assert (data, links, mode, tuple(kept_owner)) == (AFTER.encode(), 1, 0o2750, owner)


def test_a_file_whose_owner_cannot_be_given_to_a_new_file_is_written_in_place(tmp_path, monkeypatch, capsys):
    """A user fixing another user's file in a folder both can write: a rename would make
    the file theirs. Simulated as any user: the new file comes out someone else's, and
    giving it the file's owner is not permitted."""
    path = tmp_path / "app.py"
    path.write_text(BEFORE)
    before = state(path)
    temporary: list[int] = []
    make, real_fstat = tempfile.mkstemp, os.fstat

    def mkstemp(**keywords):
        made = make(**keywords)
        temporary[:] = [made[0]]
        return made

    def fstat(handle):
        status = real_fstat(handle)
        return os.stat_result((*status[:4], status.st_uid + 1, *status[5:10])) if handle in temporary else status

    def fchown(handle, uid, gid):
        temporary.clear()  # the handle's number is free for the next file opened
        raise PermissionError(errno.EPERM, os.strerror(errno.EPERM))

    monkeypatch.setattr(fixes.tempfile, "mkstemp", mkstemp)
    monkeypatch.setattr(fixes.os, "fstat", fstat)
    monkeypatch.setattr(fixes.os, "fchown", fchown)
    assert fix(tmp_path, monkeypatch, capsys, "app.py") == (0, "Fixed 1 finding in 1 file; 0 remaining.\n", "")
    assert (state(path), os.listdir(tmp_path)) == ((AFTER.encode(), *before[1:]), ["app.py"])
    assert temporary == []
