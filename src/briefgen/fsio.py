"""Files on disk: atomic writes, paths confined to the project, archives checked before use.

Every write is atomic (a temporary ``.NAME.XXXXXXXX.SUFFIX.part`` beside the
target, renamed into place on success); a build's formats are staged under such
names and renamed together at the end, so no final name ever holds half a file.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
import zipfile
from collections.abc import Iterator, Sequence
from pathlib import Path

from briefgen.errors import BriefError, InputError, OutputError, display_path

# Caps on an Office document (a .docx is a zip) checked before anything unzips it.
ZIP_MAX_BYTES = 50 * 2**20  # the file itself
ZIP_MAX_MEMBERS = 2000
ZIP_MAX_MEMBER = 64 * 2**20  # one member, inflated
ZIP_MAX_TOTAL = 256 * 2**20  # all members, inflated
ZIP_MAX_RATIO = 200  # inflated / deflated, for members over 1 MiB inflated


def _part_name(stem: str, suffix: str) -> tuple[str, str]:
    return f".{stem}.", f"{suffix}.part"


def _temp_beside(path: Path, folder_name: str, hint: str) -> Path:
    """An empty part file beside `path` (its folder made), or one OutputError."""
    folder = path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
        prefix, suffix = _part_name(path.stem, path.suffix)
        fd, name = tempfile.mkstemp(prefix=prefix, suffix=suffix, dir=folder)
    except OSError as exc:
        if folder.is_file():
            raise OutputError(f"{folder_name} is a file, not a folder", display_path(folder),
                              hint=hint) from None
        raise OutputError(f"cannot write to {folder_name}: {exc.strerror}", display_path(folder),
                          hint=hint) from None
    os.close(fd)
    return Path(name)


@contextlib.contextmanager
def atomic_output(
    path: Path,
    folder_name: str = "the output folder",
    hint: str = "choose a folder you can write to with -o",
) -> Iterator[Path]:
    """Yield a temporary path beside `path`; rename it into place only on success.

    Every file briefgen writes (outputs and caches alike) goes through here, so a
    reader never sees half a file. A folder that cannot be written, a full disk
    or a folder standing where the file should go is one OutputError.
    """
    tmp = _temp_beside(path, folder_name, hint)
    try:
        try:
            yield tmp
            _usual_mode(tmp)
            os.replace(tmp, path)
        except OSError as exc:
            if not _is_write_error(exc, (tmp, path)):
                raise
            raise _write_error(exc, path, folder_name, hint) from None
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)


def _is_write_error(exc: OSError, ours: Sequence[Path]) -> bool:
    """A failure to write our own file (not, say, a font the body could not read)."""
    import errno

    if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EROFS):
        return True
    return exc.filename is not None and Path(exc.filename) in ours


def _write_error(exc: OSError, path: Path, folder_name: str, hint: str) -> OutputError:
    if path.is_dir():
        return _folder_in_the_way(path)
    return OutputError(f"cannot write to {folder_name}: {exc.strerror}", display_path(path.parent),
                       hint=hint)


def _usual_mode(tmp: Path) -> None:
    # mkstemp makes the file private; a brief gets the usual mode (0644 under umask 022).
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)


@contextlib.contextmanager
def staged(paths: Sequence[Path]) -> Iterator[list[Path]]:
    """Temporary names for several files that appear together or not at all.

    The body writes each temporary; on success all are renamed to their final
    names (a failure or an interrupt during the renames takes back the ones
    already renamed). On any error no final name is touched.
    """
    temps: list[Path] = []
    made = _missing_folders(paths)
    try:
        for path in paths:
            temps.append(_temp_beside(path, "the output folder",
                                      "choose a folder you can write to with -o"))
        yield temps
        _commit(temps, paths)
        made = []
    finally:
        for tmp in temps:
            with contextlib.suppress(OSError):
                tmp.unlink(missing_ok=True)
        for folder in made:  # a failed build leaves no output folder it made
            with contextlib.suppress(OSError):
                folder.rmdir()


def _missing_folders(paths: Sequence[Path]) -> list[Path]:
    """The folders of `paths` that do not exist yet, innermost first."""
    missing: list[Path] = []
    for path in paths:
        for folder in (path.parent, *path.parent.parents):
            if folder.exists():
                break
            if folder not in missing:
                missing.append(folder)
    return sorted(missing, key=lambda f: len(f.parts), reverse=True)


def _commit(temps: Sequence[Path], paths: Sequence[Path]) -> None:
    for path in paths:
        if path.is_dir():
            raise _folder_in_the_way(path)
    done: list[Path] = []
    try:
        for tmp, path in zip(temps, paths, strict=True):
            _usual_mode(tmp)
            os.replace(tmp, path)
            done.append(path)
    except BaseException as exc:
        # Remove the finals already renamed: all the files or none.
        for path in done:
            with contextlib.suppress(OSError):
                path.unlink()
        if isinstance(exc, OSError):
            raise _write_error(exc, paths[len(done)], "the output folder",
                               "choose a folder you can write to with -o") from None
        raise


def _folder_in_the_way(path: Path) -> OutputError:
    return OutputError("a folder stands where the file should go", display_path(path),
                       hint="move that folder away or choose another output folder")


def clean_stale_parts(folder: Path, stem: str) -> None:
    """Remove the part files briefgen's own naming left for `stem` (a killed build's)."""
    # .NAME.R.EXT.part (staged by a build) and ..NAME.R.EXT.R.part.part (a writer's own
    # atomic write into a staged name); R is mkstemp's eight characters.
    r, s = "[A-Za-z0-9_]{8}", re.escape(stem)
    pattern = re.compile(rf"^\.{s}\.{r}\.[A-Za-z0-9]+\.part$|^\.\.{s}\.{r}\.[A-Za-z0-9]+\.{r}\.part\.part$")
    try:
        names = [p for p in folder.iterdir() if pattern.match(p.name)]
    except OSError:
        return
    for p in names:
        with contextlib.suppress(OSError):
            p.unlink()


def confined(
    path: Path,
    roots: Sequence[Path],
    what: str,
    where: str | Path | None = None,
    line: int | None = None,
    error: type[BriefError] = InputError,
) -> Path:
    """`path` with every link followed, if it lies inside one of `roots`; else one error.

    The error names the file to edit (`where`, `line`; by default the path
    itself) and says why; nothing of the outside file is read or echoed.
    """
    resolved = path.resolve()
    allowed = [r.resolve() for r in roots]
    if any(resolved.is_relative_to(r) for r in allowed):
        return resolved
    shown = display_path(path)
    linked = _through_link(path)
    why = (f"{what} '{shown}' is a link to a file outside the project" if linked
           else f"{what} '{shown}' is outside the project")
    root = display_path(allowed[0]) if allowed else "."
    inside = "the project folder" + (f" {root}" if root != "." else "")
    raise error(why, display_path(where) if where is not None else shown, line,
                hint=f"keep it inside {inside}, or name its folder with --allow")


def _through_link(path: Path) -> bool:
    p = path.absolute()
    return any(q.is_symlink() for q in (p, *p.parents))


def check_archive(path: Path, what: str = "Word document", where: str | None = None) -> None:
    """Refuse a zip (a .docx) that is too big, has too many members, or inflates too far.

    Reads only the zip's directory: call it before python-docx or zipfile opens
    the members. The error names the file (or `where`).
    """
    shown = where or display_path(path)
    try:
        size = path.stat().st_size
        if size > ZIP_MAX_BYTES:
            raise InputError(f"the {what} is too large ({size // 2**20} MiB)", shown,
                             hint=f"at most {ZIP_MAX_BYTES // 2**20} MiB")
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (OSError, zipfile.BadZipFile, ValueError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else "not a zip file"
        raise InputError(f"cannot open the {what}: {reason}", shown,
                         hint="save it from Word as .docx") from None
    _check_members(members, what, shown)


def _check_members(members: list[zipfile.ZipInfo], what: str, shown: str) -> None:
    if len(members) > ZIP_MAX_MEMBERS:
        raise InputError(f"the {what} has {len(members)} parts", shown,
                         hint=f"at most {ZIP_MAX_MEMBERS}")
    total = 0
    for info in members:
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        too_big = info.file_size > ZIP_MAX_MEMBER or total > ZIP_MAX_TOTAL
        if too_big or (info.file_size > 2**20 and ratio > ZIP_MAX_RATIO):
            raise InputError(
                f"the {what}'s part '{info.filename[:80]}' inflates to "
                f"{info.file_size // 2**20} MiB (ratio {ratio:.0f}:1)",
                shown, hint="a compression bomb? save the document again from Word")
