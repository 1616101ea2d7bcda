"""Hostile inputs: paths that leave the project, YAML bombs, bad text, output folders
that cannot hold a build. Each case, built through the command line, ends in one
line naming the file (and line), exit code 2, no traceback, nothing of an outside
file echoed and nothing in the output folder.

Kills and interrupts of real builds are below the table.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from .conftest import run_cli

BRIEF = "briefs/2024-05-chaoyang"
DATA = "data/chaoyang/2023"
B = f"{BRIEF}/brief.yaml"
HOUSE = "templates/house.yaml"
SECRET = "SECRET-7f3a"  # in every outside file: it must never reach the user's screen


def outside(p: Path) -> Path:
    """A folder beside the project, outside it."""
    folder = p.parent / f"{p.name}-outside"
    folder.mkdir(exist_ok=True)
    return folder


def edit(p: Path, name: str, old: str, new: str) -> None:
    path = p / name
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_of(p: Path, name: str, words: str) -> int:
    lines = (p / name).read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if words in line)


def _brief(old: str, new: str) -> Callable[[Path], None]:
    return lambda p: edit(p, B, old, new)


def _add(text: str, name: str = B) -> Callable[[Path], None]:
    """Append lines to a YAML file."""
    def go(p: Path) -> None:
        with (p / name).open("a", encoding="utf-8") as f:
            f.write("\n" + text)
    return go


def _at(name: str, words: str) -> Callable[[Path], int]:
    return lambda p: line_of(p, name, words)


def _link_outside(name: str, content: str = f"{SECRET}: 1\n") -> Callable[[Path], None]:
    """Replace a project file by a link to an outside file (YAML-shaped, with a secret)."""
    def go(p: Path) -> None:
        target = outside(p) / Path(name).name
        target.write_text(content, encoding="utf-8")
        (p / name).unlink()
        (p / name).symlink_to(target)
    return go


def _alt_house_outside(p: Path) -> None:
    target = outside(p) / "alt-house.yaml"
    target.write_text(f"{SECRET}: institute\n", encoding="utf-8")
    (p / BRIEF / "alt-house.yaml").symlink_to(target)
    edit(p, B, "issue: 5\n", "issue: 5\nhouse: alt-house.yaml\n")


def _alt_house_broken(p: Path) -> None:
    text = (p / HOUSE).read_text(encoding="utf-8")
    (p / BRIEF / "alt-house.yaml").write_text(
        text.replace("body:        {font: fangsong", "body:        {font: fangsongg"),
        encoding="utf-8")
    edit(p, B, "issue: 5\n", "issue: 5\nhouse: alt-house.yaml\n")


def _data_folder_link_outside(p: Path) -> None:
    copy = outside(p) / "2023"
    shutil.copytree(p / DATA, copy)
    shutil.rmtree(p / DATA)
    (p / DATA).symlink_to(copy)


def _brief_yaml_link_outside(p: Path) -> None:
    target = outside(p) / "brief.yaml"
    shutil.copy(p / B, target)
    with target.open("a", encoding="utf-8") as f:
        f.write(f"# {SECRET}\n")
    (p / B).unlink()
    (p / B).symlink_to(target)


def _docx_bytes(styles: bytes, compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/styles.xml", styles)
    return buf.getvalue()


def _bomb_docx() -> bytes:
    """A styles.xml of 80 MiB of zeros: a ratio of about 1000:1 (the real one: 3 GiB)."""
    return _docx_bytes(b"\0" * (80 * 2**20))


def _reference_doc(data: bytes | Callable[[], bytes], name: str = "mine.docx"
                   ) -> Callable[[Path], list[str]]:
    def go(p: Path) -> list[str]:
        (p / name).write_bytes(data() if callable(data) else data)
        return ["-o", "out", "--reference-doc", name]
    return go


def _house_reference(data: bytes | Callable[[], bytes]) -> Callable[[Path], None]:
    def go(p: Path) -> None:
        (p / "templates" / "reference.docx").write_bytes(data() if callable(data) else data)
    return go


def _house_reference_outside(p: Path) -> None:
    target = outside(p) / "ref.docx"
    shutil.copy(p / "templates" / "reference.docx", target)
    edit(p, HOUSE, "reference_docx: reference.docx", f"reference_docx: {target}")


def _billion_laughs(key: str = "params") -> str:
    rows = ['lol0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, 9):
        rows.append(f"lol{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 9) + "]")
    body = "\n".join("  " + r for r in rows)
    return f"{key}:\n{body}\n"


def _facts_bomb(p: Path) -> None:
    lines = ['bomb0: &b0 {value: 1, label: "lol"}']
    for i in range(1, 9):
        lines.append(f"bomb{i}: &b{i} {{value: 1, label: x, extra: [" +
                     ", ".join([f"*b{i - 1}"] * 9) + "]}")
    _add("\n".join(lines) + "\n", f"{DATA}/facts.yaml")(p)


def _many_aliases(p: Path) -> None:
    rows = "\n".join(f"  k{i}: *a" for i in range(150))
    _add(f"params:\n  base: &a x\n{rows}\n")(p)
    edit(p, B, "params:\n  topic: 工业\n", "")


def _deep(p: Path) -> None:
    edit(p, B, "params:\n  topic: 工业\n", "params:\n  deep: " + "[" * 80 + "]" * 80 + "\n")


def _huge_brief(p: Path) -> None:
    with (p / B).open("a", encoding="utf-8") as f:
        f.write(("# " + "填充" * 40 + "\n") * 30000)


def _brief_text(text: str) -> Callable[[Path], None]:
    return lambda p: (p / B).write_text(text, encoding="utf-8") and None


def _folder_instead(name: str) -> Callable[[Path], None]:
    def go(p: Path) -> None:
        (p / name).unlink()
        (p / name).mkdir()
    return go


def _output_link_into_brief(p: Path) -> list[str]:
    (p / "out").symlink_to(p / BRIEF / "sections")
    return ["-o", "out"]


def _output_is_a_file(p: Path) -> list[str]:
    (p / "out").write_text("not a folder\n", encoding="utf-8")
    return ["-o", "out"]


def _output_name_is_a_folder(p: Path) -> list[str]:
    (p / "out" / "2024-05-chaoyang.pdf").mkdir(parents=True)
    return ["-o", "out"]


@dataclass
class Case:
    id: str
    breaks: Callable[[Path], object]  # breaks the project; may return the CLI's extra args
    file: str  # the file the message must name
    line: Callable[[Path], int] | int | None  # the line it must name (None: no line)
    words: str  # a regular expression the message must match
    out: str = "out"  # the folder that must hold nothing afterwards


T = "title: 推动朝阳市培育新质生产力促进工业高质量发展的对策建议"
_title = _at(B, "title:")

CASES = [
    # ---- every path confined to the project ----
    Case("house-etc-passwd", _brief("issue: 5\n", "issue: 5\nhouse: /etc/passwd\n"), B,
         _at(B, "house:"), "house file '/etc/passwd' is outside the project"),
    Case("house-climbs-out", _brief("issue: 5\n", "issue: 5\nhouse: ../../../../../etc/passwd\n"),
         B, _at(B, "house:"), "house file .* is outside the project"),
    Case("house-link-outside", _alt_house_outside, B, _at(B, "house:"),
         "house file .*alt-house.yaml' is a link to a file outside"),
    Case("default-house-link-outside", _link_outside(HOUSE), HOUSE, None, "link to a file outside"),
    Case("alt-house-error-names-alt-house", _alt_house_broken, f"{BRIEF}/alt-house.yaml",
         _at(f"{BRIEF}/alt-house.yaml", "fangsongg"), "font role 'fangsongg'"),
    Case("section-link-outside", _link_outside(f"{BRIEF}/sections/intro.md", f"# {SECRET}\n"),
         B, _at(B, "sections/intro.md"), "outside the brief folder \\(it is a link\\)"),
    Case("facts-link-outside", _link_outside(f"{DATA}/facts.yaml"), f"{DATA}/facts.yaml", None,
         "link to a file outside"),
    Case("tables-link-outside", _link_outside(f"{DATA}/tables.yaml"), f"{DATA}/tables.yaml", None,
         "link to a file outside"),
    Case("data-folder-link-outside", _data_folder_link_outside, B, _at(B, "folder:"),
         "leaves the project folder .* through a link"),
    Case("previous-leaves-project",
         _brief("  folder: ../../data/chaoyang/2023\n",
                "  folder: ../../data/chaoyang/2023\n  previous: ../../../../../etc\n"),
         B, _at(B, "previous:"), "leaves the project"),
    Case("brief-yaml-link-outside", _brief_yaml_link_outside, B, None, "link to a file outside"),
    Case("house-reference-outside", _house_reference_outside, HOUSE, _at(HOUSE, "reference_docx"),
         "reference document .* is outside the project"),
    # ---- YAML: bombs, caps, duplicates ----
    Case("brief-billion-laughs", lambda p: (edit(p, B, "params:\n  topic: 工业\n", ""),
                                            _add(_billion_laughs())(p)),
         B, _at(B, "lol6:"), "aliases expand too far"),
    Case("facts-billion-laughs", _facts_bomb, f"{DATA}/facts.yaml", _at(f"{DATA}/facts.yaml", "bomb6:"),
         "aliases expand too far"),
    Case("too-many-aliases", _many_aliases, B, _at(B, "k100:"), "more than 100 aliases"),
    Case("nested-too-deep", _deep, B, _at(B, "deep:"), "nested more than 64 levels"),
    Case("brief-too-large", _huge_brief, B, None, "too large"),
    Case("duplicate-key-brief", _brief("issue: 5\n", "issue: 5\nplace: 别处\n"), B,
         _at(B, "place: 朝阳市"), "key 'place' appears twice \\(first at line"),
    Case("duplicate-key-facts", _add("population: {value: 1, unit: 万人}\n", f"{DATA}/facts.yaml"),
         f"{DATA}/facts.yaml", _at(f"{DATA}/facts.yaml", "population: {value: 1,"),
         "key 'population' appears twice"),
    Case("duplicate-key-house", _add("slogan: 另一句\n", HOUSE), HOUSE, _at(HOUSE, "slogan: 另一句"),
         "key 'slogan' appears twice"),
    Case("duplicate-key-tables", _add("sectors: {file: sectors.csv}\n", f"{DATA}/tables.yaml"),
         f"{DATA}/tables.yaml", _at(f"{DATA}/tables.yaml", "sectors: {file"), "appears twice"),
    Case("duplicate-nested-key", _brief("  - name: 武英杰\n", "  - name: 武英杰\n    name: 另一人\n"),
         B, _at(B, "name: 另一人"), "key 'name' appears twice"),
    # ---- reference documents checked before unzipping ----
    Case("reference-doc-bomb", _reference_doc(_bomb_docx), "mine.docx", None,
         "styles.xml' inflates to 80 MiB"),
    Case("reference-doc-not-zip", _reference_doc(b"PK\x03\x04 not really a zip"), "mine.docx",
         None, "not a zip file"),
    Case("reference-doc-too-many-parts", _reference_doc(
        lambda: _many_parts(2500)), "mine.docx", None, "has 2501 parts"),
    Case("reference-doc-missing", lambda p: ["-o", "out", "--reference-doc", "nosuch.docx"],
         "nosuch.docx", None, "not found"),
    Case("house-reference-bomb", _house_reference(_bomb_docx), "templates/reference.docx", None,
         "inflates to 80 MiB"),
    # ---- text in brief.yaml ----
    Case("title-bell-escape", _brief(T, T.replace("title: ", 'title: "') + '\\x07"'), B, _title,
         "U\\+0007"),
    Case("title-uffff", _brief(T, T.replace("title: ", 'title: "') + '\\uffff"'), B, _title,
         "U\\+FFFF"),
    Case("title-nul", _brief(T, T.replace("title: ", 'title: "') + '\\0"'), B, _title,
         "U\\+0000 \\(NUL\\)"),
    Case("note-lone-surrogate", _brief("note: 本文", 'note: "\\ud800本文"'), B, _at(B, "note:"),
         "U\\+D800, a lone surrogate"),
    Case("author-escape-char", _brief("  - name: 武英杰", '  - name: "武英杰\\e"'), B,
         _at(B, "name: \"武英杰"), "U\\+001B"),
    Case("subject-c1-control", _brief("subject: 辽宁大学城市研究院调研报告",
                                      'subject: "辽宁大学\\x85城市研究院调研报告"'), B,
         _at(B, "subject:"), "U\\+0085"),
    Case("raw-control-char", _brief("place: 朝阳市", "place: 朝阳\x07市"), B, _at(B, "place:"),
         "U\\+0007 is not allowed"),
    Case("keyword-noncharacter", _brief("keywords: [新质生产力", 'keywords: ["\\ufdd0", 新质生产力'), B,
         _at(B, "keywords:"), "U\\+FDD0"),
    Case("facts-label-control", lambda p: edit(p, f"{DATA}/facts.yaml", "label: 统计年度",
                                               'label: "统计\\x01年度"'),
         f"{DATA}/facts.yaml", _at(f"{DATA}/facts.yaml", "统计"), "U\\+0001"),
    # ---- more YAML and files that are not what they claim ----
    Case("python-tag", _brief("place: 朝阳市", "place: !!python/object/apply:os.system [id]"), B,
         _at(B, "place:"), "YAML syntax error"),
    Case("recursive-alias", _brief("params:\n  topic: 工业\n", "params: &p\n  me: *p\n"), B,
         _at(B, "me: *p"), "YAML syntax error|expand too far"),
    Case("house-billion-laughs", _add(_billion_laughs("bomb"), HOUSE), HOUSE, _at(HOUSE, "lol6:"),
         "aliases expand too far"),
    Case("tables-billion-laughs", _add(_billion_laughs("bomb"), f"{DATA}/tables.yaml"),
         f"{DATA}/tables.yaml", _at(f"{DATA}/tables.yaml", "lol6:"), "aliases expand too far"),
    Case("raw-nul-byte", lambda p: (p / B).write_bytes((p / B).read_bytes().replace(
        "place: 朝阳市".encode(), "place: 朝阳\0市".encode())), B, _at(B, "place:"), "U\\+0000"),
    Case("surrogate-long-escape", _brief("note: 本文", 'note: "\\U0000DFFF本文"'), B,
         _at(B, "note:"), "U\\+DFFF, a lone surrogate"),
    Case("key-with-control-char", _brief("issue: 5\n", 'issue: 5\n"ke\\x02y": 1\n'), B,
         _at(B, "ke\\x02y"), "U\\+0002"),
    Case("brief-yaml-empty", _brief_text(""), B, 1, "must be a mapping"),
    Case("brief-yaml-a-list", _brief_text("- title: x\n"), B, 1, "must be a mapping"),
    Case("brief-yaml-a-folder", _folder_instead(B), B, None, "not a file"),
    Case("facts-a-folder", _folder_instead(f"{DATA}/facts.yaml"), f"{DATA}/facts.yaml", None,
         "not a file"),
    Case("house-not-utf8", lambda p: (p / HOUSE).write_bytes((p / HOUSE).read_bytes().replace(
        "辽宁".encode(), "辽宁".encode("gbk"))), HOUSE, None, "not UTF-8"),
    Case("house-too-large", lambda p: (p / HOUSE).open("a", encoding="utf-8").write(
        "# " + "x" * (3 * 2**20) + "\n"), HOUSE, None, "too large"),
    Case("section-link-elsewhere-in-project",
         lambda p: ((p / BRIEF / "sections" / "intro.md").unlink(),
                    (p / BRIEF / "sections" / "intro.md").symlink_to(p / HOUSE)),
         B, _at(B, "sections/intro.md"), "outside the brief folder"),
    Case("jobs-zero", lambda p: ["-o", "out", "--jobs", "0"], "", None, "--jobs must be 1"),
    # ---- the output folder ----
    Case("output-is-a-file", _output_is_a_file, "out", None, "the output folder is a file", ""),
    Case("output-under-a-file", lambda p: (_output_is_a_file(p), ["-o", "out/sub"])[1], "out",
         None, "the output folder is a file", ""),
    Case("output-name-is-a-folder", _output_name_is_a_folder, "out/2024-05-chaoyang.pdf", None,
         "a folder stands where the file should go", ""),
    Case("output-inside-brief", lambda p: ["-o", f"{BRIEF}/out"], f"{BRIEF}/out", None,
         "inside the brief folder", f"{BRIEF}/out"),
    Case("output-inside-data", lambda p: ["-o", f"{DATA}/out"], f"{DATA}/out", None,
         "inside the data folder", f"{DATA}/out"),
    Case("output-is-the-brief", lambda p: ["-o", BRIEF], BRIEF, None, "inside the brief folder",
         ""),
    Case("output-link-into-brief", _output_link_into_brief, "out", None,
         "inside the brief folder", ""),
]


def _many_parts(n: int) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("word/styles.xml", "<styles/>")
        for i in range(n):
            z.writestr(f"x/{i}.xml", "")
    return buf.getvalue()


def _files_in(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*")) if folder.is_dir() else []


def one_error_line(stderr: str) -> str:
    """The single line a user mistake prints (and nothing else)."""
    assert "Traceback" not in stderr, stderr
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith("briefgen: error: "), lines[0]
    return lines[0]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_hostile_input_ends_in_one_line(project: Path, case: Case) -> None:
    extra = case.breaks(project)
    before = _files_in(project / BRIEF)
    args = extra if isinstance(extra, list) else ["-o", "out"]
    result = run_cli("build", BRIEF, *args, cwd=project, timeout=120)
    assert result.code == 2, result.stderr
    message = one_error_line(result.stderr)
    assert SECRET not in result.stderr + result.stdout
    assert "root:" not in message  # nothing of /etc/passwd
    line = case.line(project) if callable(case.line) else case.line
    where = f"{case.file}:{line}:" if line else (f"{case.file}:" if case.file else "")
    assert message.startswith(f"briefgen: error: {where}"), (message, where)
    assert re.search(case.words, message), (message, case.words)
    if case.out:
        assert _files_in(project / case.out) == []
    assert [f for f in _files_in(project / BRIEF) if f not in before] == []


def test_the_catalogue_is_long_enough() -> None:
    assert len(CASES) >= 40
    assert len({c.id for c in CASES}) == len(CASES)


def test_a_folder_named_with_allow_may_hold_the_data(project: Path) -> None:
    _data_folder_link_outside(project)
    refused = run_cli("build", BRIEF, "-o", "out", cwd=project)
    assert refused.code == 2
    allowed = run_cli("build", BRIEF, "-o", "out", "--allow", outside(project), cwd=project)
    assert allowed.code == 0, allowed.stderr
    assert _files_in(project / "out") == ["2024-05-chaoyang.docx", "2024-05-chaoyang.pdf"]


def test_yaml_anchors_and_merge_keys_within_the_caps_still_work(project: Path) -> None:
    edit(project, B, "params:\n  topic: 工业\n",
         "params:\n  base: &b {topic: 工业}\n  <<: *b\n  again: *b\n")
    result = run_cli("build", BRIEF, "-o", "out", "--format", "docx", cwd=project)
    assert result.code == 0, result.stderr


# ---- disk full, read-only: a mount namespace of our own (unshare) holds a tiny tmpfs ----

def _in_small_mount(project: Path, mount: Path, options: str, *args: str | Path,
                    env: dict[str, str] | None = None) -> tuple[int, str, list[str]]:
    """Run briefgen with `mount` a fresh tmpfs (`options`); return code, stderr, files left."""
    mount.mkdir(parents=True, exist_ok=True)
    listing = project / "listing.txt"
    script = ('mount -t tmpfs -o "$1" tmpfs "$2" || exit 99; shift 2; '
              '"$@"; rc=$?; find "$MOUNT" -mindepth 1 -printf "%P\\n" > "$LISTING"; exit $rc')
    command = ["unshare", "-rm", "sh", "-c", script, "sh", options, str(mount),
               sys.executable, "-m", "briefgen", *map(str, args)]
    proc = subprocess.run(command, cwd=project, capture_output=True, text=True, timeout=300,
                          env=dict(os.environ, MOUNT=str(mount), LISTING=str(listing),
                                   **(env or {})))
    assert proc.returncode != 99, proc.stderr
    return proc.returncode, proc.stderr, listing.read_text().split()


def test_a_full_disk_for_the_output_is_one_line(project: Path) -> None:
    code, stderr, left = _in_small_mount(project, project / "disk", "size=48k",
                                         "build", BRIEF, "-o", "disk/out")
    assert code == 2, stderr
    message = one_error_line(stderr)
    assert message.startswith("briefgen: error: disk/out"), message
    assert "No space left on device" in message
    assert [f for f in left if f != "out"] == []


def test_a_read_only_output_folder_is_one_line(project: Path) -> None:
    code, stderr, left = _in_small_mount(project, project / "ro", "ro,size=1m",
                                         "build", BRIEF, "-o", "ro/out")
    assert code == 2, stderr
    message = one_error_line(stderr)
    assert message.startswith("briefgen: error: ro"), message
    assert "Read-only file system" in message
    assert left == []


def test_a_full_render_cache_costs_speed_only(project: Path) -> None:
    from briefgen.cache import area

    cache = project / "cache"
    renders = area("render", cache).folder
    code, stderr, left = _in_small_mount(project, renders, "size=48k",
                                         "build", BRIEF, "-o", "out",
                                         env={"BRIEFGEN_CACHE": str(cache)})
    assert code == 0, stderr
    assert _files_in(project / "out") == FINALS
    # What did not fit left nothing behind: each entry that stayed has its sum, no part file.
    assert not any(f.endswith(".part") for f in left), left
    entries = {f for f in left if not f.endswith(".sum")}
    assert entries == {f.removesuffix(".sum") for f in left if f.endswith(".sum")}, left
    assert len(entries) < 2, left  # the PDF cannot fit in 48 KiB


def test_a_truncated_cached_render_is_rebuilt(project: Path, tmp_path: Path) -> None:
    from briefgen.cache import area

    cache = tmp_path / "own-cache"
    env = dict(os.environ, BRIEFGEN_CACHE=str(cache))
    first = subprocess.run([sys.executable, "-m", "briefgen", "build", BRIEF, "-o", "a",
                            "--format", "docx"], cwd=project, env=env, capture_output=True)
    assert first.returncode == 0, first.stderr
    whole = (project / "a" / "2024-05-chaoyang.docx").read_bytes()
    (entry,) = area("render", cache).folder.glob("*.docx")
    entry.write_bytes(whole[:1000])
    again = subprocess.run([sys.executable, "-m", "briefgen", "build", BRIEF, "-o", "b",
                            "--format", "docx"], cwd=project, env=env, capture_output=True)
    assert again.returncode == 0, again.stderr
    rebuilt = project / "b" / "2024-05-chaoyang.docx"
    assert zipfile.ZipFile(rebuilt).testzip() is None
    assert len(rebuilt.read_bytes()) > len(whole) // 2


# ---- interrupts and kills of a real build ----

def _start(project: Path, out: str, *extra: str, cache: Path | None = None,
           briefs: tuple[str, ...] = (BRIEF,)) -> subprocess.Popen[str]:
    env = dict(os.environ, BRIEFGEN_CACHE=str(cache or project / "cache"),
               BRIEFGEN_RENDER_CACHE="0")
    return subprocess.Popen([sys.executable, "-m", "briefgen", "build", *briefs, "-o", out,
                             *extra], cwd=project, env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


FINALS = ["2024-05-chaoyang.docx", "2024-05-chaoyang.pdf"]


@pytest.mark.parametrize("delay", [0.3, 0.8, 1.5, 3.0, 5.0])
def test_ctrl_c_at_any_moment_is_exit_130_and_no_output(project: Path, delay: float) -> None:
    proc = _start(project, "out", "--no-cache")
    time.sleep(delay)
    proc.send_signal(signal.SIGINT)
    stdout, stderr = proc.communicate(timeout=120)
    left = _files_in(project / "out")
    if proc.returncode == 0:  # the build ended before the signal: then it is whole
        assert left == FINALS, (left, stderr)
        return
    assert proc.returncode == 130, stderr
    assert stderr.strip().splitlines() == ["briefgen: interrupted"], stderr
    assert left == [], left


def test_ctrl_c_in_a_batch_stops_the_workers_and_leaves_no_output(project: Path) -> None:
    copies = [f"briefs/2024-05-copy{n}" for n in range(5)]
    for copy in copies:
        shutil.copytree(project / BRIEF, project / copy)
    proc = _start(project, "out", "--jobs", "2", "--no-cache", briefs=(BRIEF, *copies))
    # Interrupt once the workers write their first file: four briefs at least are still to come,
    # whatever the machine's speed.
    deadline = time.monotonic() + 60
    while not _files_in(project / "out") and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    proc.send_signal(signal.SIGINT)
    stdout, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 130, stderr
    assert stderr.strip().splitlines() == ["briefgen: interrupted"], stderr
    assert _files_in(project / "out") == []


@pytest.mark.parametrize("delay", [0.5, 2.0, 4.0])
def test_a_killed_build_leaves_no_final_file_and_no_part_survives(project: Path,
                                                                  delay: float) -> None:
    proc = _start(project, "out", "--no-cache")
    time.sleep(delay)
    proc.kill()
    proc.communicate(timeout=60)
    left = _files_in(project / "out")
    assert left in ([], FINALS) or all(f.endswith(".part") for f in left), left
    rebuilt = run_cli("build", BRIEF, "-o", "out", cwd=project)
    assert rebuilt.code == 0, rebuilt.stderr
    assert _files_in(project / "out") == FINALS


def test_stale_part_files_of_our_naming_are_cleaned(project: Path) -> None:
    out = project / "out"
    out.mkdir()
    ours = [".2024-05-chaoyang.ab_c1234.pdf.part", ".2024-05-chaoyang.zz99yy88.docx.part",
            "..2024-05-chaoyang.ab_c1234.pdf.q1w2e3r4.part.part"]
    theirs = [".other-brief.ab_c1234.pdf.part", "notes.part", "2024-05-chaoyang.txt",
              ".2024-05-chaoyang.v2.ab_c1234.pdf.part"]  # brief 2024-05-chaoyang.v2's
    for name in ours + theirs:
        (out / name).write_text("x", encoding="utf-8")
    result = run_cli("build", BRIEF, "-o", "out", cwd=project)
    assert result.code == 0, result.stderr
    assert _files_in(out) == sorted(FINALS + theirs)


@pytest.mark.parametrize("delay", [2.5, 4.5, 6.0])
def test_a_build_killed_while_it_fills_the_caches_rebuilds_whole_files(project: Path,
                                                                      delay: float) -> None:
    cache = project / "cache"
    env = dict(os.environ, BRIEFGEN_CACHE=str(cache))
    proc = subprocess.Popen([sys.executable, "-m", "briefgen", "build", BRIEF, "-o", "out"],
                            cwd=project, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    time.sleep(delay)
    proc.kill()
    proc.wait(timeout=60)
    for _ in range(2):  # the second build may serve what the first one cached
        again = subprocess.run([sys.executable, "-m", "briefgen", "build", BRIEF, "-o", "out"],
                               cwd=project, env=env, capture_output=True, text=True)
        assert again.returncode == 0, again.stderr
        assert _files_in(project / "out") == FINALS
        assert zipfile.ZipFile(project / "out" / FINALS[0]).testzip() is None
        text = subprocess.run(["pdftotext", str(project / "out" / FINALS[1]), "-"],
                              capture_output=True, text=True, check=True).stdout
        assert "朝阳市" in text


def test_ctrl_c_while_the_finished_build_shuts_down_is_not_death_by_signal(project: Path) -> None:
    """A Ctrl-C after the files are written (during the interpreter's shutdown) changes
    nothing: the build still exits 0 with its files, not killed by SIGINT (-2)."""
    proc = _start(project, "out")
    final = project / "out" / FINALS[-1]
    deadline = time.monotonic() + 120
    while not final.exists() and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.005)
    proc.send_signal(signal.SIGINT)
    stdout, stderr = proc.communicate(timeout=120)
    assert proc.returncode in (0, 130), (proc.returncode, stderr)
    if proc.returncode == 0:
        assert _files_in(project / "out") == FINALS
    else:
        assert stderr.strip().splitlines() == ["briefgen: interrupted"], stderr


def test_a_title_over_255_characters_builds_both_formats(project: Path) -> None:
    """Word's core properties cap at 255 characters: the writer shortens there, the
    brief keeps its whole title on the page."""
    brief_yaml = project / BRIEF / "brief.yaml"
    text = brief_yaml.read_text(encoding="utf-8")
    long_title = "推动朝阳市培育新质生产力促进工业高质量发展的对策建议" * 12  # 312 characters
    lines = [f"title: {long_title}" if ln.startswith("title:") else ln
             for ln in text.splitlines() if not ln.startswith("title_lines:")]
    brief_yaml.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run_cli("build", BRIEF, "-o", "out", cwd=project)
    assert result.code == 0, result.stderr
    assert _files_in(project / "out") == FINALS
    from docx import Document

    title = Document(str(project / "out" / FINALS[0])).core_properties.title
    assert 0 < len(title) <= 255 and long_title.startswith(title.rstrip("…"))
