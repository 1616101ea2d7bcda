"""The round trip: a .docx briefgen wrote, edited as staff do, read back into the document model."""

from __future__ import annotations

import copy
import re
import subprocess
from dataclasses import replace
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from briefgen.app.fromdocx import house_for
from briefgen.app.pipeline import prepare
from briefgen.cache import cache_root
from briefgen.model import Bound, Figure, Heading, walk_inlines
from briefgen.readers.docx import read_docx
from tests.conftest import ROOT, SAMPLE, Run

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def run_cli(*args: str | Path, cwd: Path | None = None,
            env: dict[str, str] | None = None) -> Run:
    """`briefgen ARGS` in a fresh process, with extra environment variables."""
    import os
    import sys

    proc = subprocess.run([sys.executable, "-m", "briefgen", *map(str, args)], cwd=cwd or ROOT,
                          capture_output=True, text=True, timeout=600,
                          env={**os.environ, **(env or {})})
    return Run(proc.returncode, proc.stdout, proc.stderr)


def pdf_text(pdf: Path) -> str:
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    return re.sub(r"\s", "", text)


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(scope="module")
def built(project_copy: Path, cache: Path) -> Path:
    out = project_copy / "out"
    run = run_cli("build", SAMPLE, "-o", out, cwd=project_copy, env={"BRIEFGEN_CACHE": str(cache)})
    assert run.code == 0, run.stderr
    return out


@pytest.fixture(scope="module")
def project_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    import shutil

    root = tmp_path_factory.mktemp("project")
    for name in ("briefs", "data", "templates"):
        shutil.copytree(ROOT / name, root / name)
    return root


def test_unedited_docx_reads_back_to_the_model_of_the_sources(
        built: Path, project_copy: Path, cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BRIEFGEN_CACHE", str(cache))
    prepared = prepare(project_copy / SAMPLE, cache_root() / "charts")
    house = prepared.spec.house
    reading = read_docx(built / "2024-05-chaoyang.docx", house, [cache_root() / "charts"],
                        cache / "media")
    ours = [replace(b, where="") for b in prepared.document.body]
    assert reading.document.body == ours
    for part in ("meta", "masthead", "title", "title_lines", "author_line", "end"):
        assert getattr(reading.document, part) == getattr(prepared.document, part), part
    # The charts keep their PDF operators; the figures come back bound.
    assert all(f.ops is not None and f.ops.name.endswith(".ops.json")
               for f in reading.document.figures())
    bound = [t for b in reading.document.body if hasattr(b, "inlines")
             for t in walk_inlines(b.inlines) if isinstance(t, Bound)]
    assert len(bound) > 50


def test_unedited_docx_builds_the_same_pdf_text(built: Path, tmp_path: Path, cache: Path) -> None:
    out = tmp_path / "again"
    run = run_cli("build", built / "2024-05-chaoyang.docx", "-o", out,
                  env={"BRIEFGEN_CACHE": str(cache)})
    assert run.code == 0, run.stderr
    assert pdf_text(out / "2024-05-chaoyang.pdf") == pdf_text(built / "2024-05-chaoyang.pdf")
    assert (out / "2024-05-chaoyang.docx").is_file()


def _para(doc: docx.document.Document, contains: str) -> docx.text.paragraph.Paragraph:
    found = [p for p in doc.paragraphs if contains in p.text]
    assert len(found) == 1, (contains, len(found))
    return found[0]


def edit_as_staff(src: Path, dst: Path) -> dict[str, str]:
    """The edits of issue 12, made with python-docx; returns what was typed."""
    doc = docx.Document(str(src))
    # 1. A sentence changed (a run's text, as Word keeps it).
    p = _para(doc, "首次提出“新质生产力”这一重要概念")
    for run in p.runs:
        run.text = run.text.replace("首次提出“新质生产力”这一重要概念",
                                    "首次提出“新质生产力”这一全新的重要概念")
    # 2. A typed number changed.
    for run in p.runs:
        run.text = run.text.replace("2023年9月7日", "2023年9月8日")
    # 3. A Heading 2 (and its paragraph) inserted before the second problem.
    later = _para(doc, "新旧动能转换偏慢，城市辐射带动能力不足")
    later.insert_paragraph_before("营商环境仍需优化，市场活力有待激发", style="Heading 2")
    later.insert_paragraph_before("部分审批事项办理周期偏长，企业获得感不强。", style="Body Text")
    # 4. 图3 (land use) and the sentence citing it deleted.
    body = doc.element.body
    for el in list(body):
        descr = [d.get("descr", "") for d in el.iter(
            "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr")]
        if descr and descr[0].startswith("图3"):
            caption = el.getnext()
            source = caption.getnext()
            for gone in (el, caption, source):
                body.remove(gone)
    citing = _para(doc, "从土地利用结构看")._p
    runs = list(citing)
    cut = next(i for i, r in enumerate(runs)
               if r.tag == W + "r" and "从土地利用结构看" in "".join(t.text or "" for t in r.iter(W + "t")))
    t = runs[cut].find(W + "t")
    t.text = t.text.split("从土地利用结构看")[0]
    for el in runs[cut + 1:]:
        citing.remove(el)
    # 5. A bound number changed (the text inside its bookmark).
    for start in body.iter(W + "bookmarkStart"):
        if start.get(qn("w:name")) == "_bg_f7":  # 常住人口 279.8万人
            run = start.getnext()
            run.find(W + "t").text = "280.1万人"
            break
    else:
        raise AssertionError("no bound figure _bg_f7")
    doc.save(str(dst))
    return {"population": "280.1万人"}


@pytest.fixture(scope="module")
def edited(built: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("edited") / "edited.docx"
    edit_as_staff(built / "2024-05-chaoyang.docx", path)
    return path


def test_edited_docx_builds_a_pdf_with_the_edits_and_right_numbers(
        edited: Path, built: Path, tmp_path: Path, cache: Path) -> None:
    out = tmp_path / "out"
    run = run_cli("build", edited, "-o", out, env={"BRIEFGEN_CACHE": str(cache)})
    assert run.code == 0, run.stderr
    text = pdf_text(out / "edited.pdf")
    before = pdf_text(built / "2024-05-chaoyang.pdf")
    assert "这一全新的重要概念" in text and "2023年9月8日" in text
    assert "常住人口为280.1万人" in text and "279.8万人" not in text
    # The new heading is （二） of 存在的问题, the ones after it renumbered.
    assert "（二）营商环境仍需优化，市场活力有待激发部分审批事项" in text
    assert "（三）新旧动能转换偏慢" in text and "（四）引资引技难度较大" in text
    assert "（二）新旧动能转换偏慢" in before
    # 图3 is gone with the sentence citing it; 图1 and 图2 and their citations stay.
    assert "朝阳市土地利用结构" not in text and "从土地利用结构看" not in text
    assert "图3" not in text and "图2　朝阳市规上工业六大行业产值及增速".replace("　", "") in text
    assert text.count("见图2") == before.count("见图2") and "（见图1）" in text


def test_citations_follow_their_figure_when_one_before_them_is_deleted(
        built: Path, tmp_path: Path, cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """图1 deleted: 图2 becomes 图1 in its caption and in every 见图N citing it."""
    monkeypatch.setenv("BRIEFGEN_CACHE", str(cache))
    doc = docx.Document(str(built / "2024-05-chaoyang.docx"))
    body = doc.element.body
    first = next(el for el in body if el.find(f".//{W}drawing") is not None)
    for gone in (first.getnext().getnext(), first.getnext(), first):
        body.remove(gone)
    path = tmp_path / "minus1.docx"
    doc.save(str(path))
    reading = read_docx(path, house_for(path), [cache_root() / "charts"], tmp_path / "media")
    figures = reading.document.figures()
    assert [(f.chart_id, f.number) for f in figures] == [("industry-output", 1), ("land-use", 2)]
    text = "".join(b.text for b in reading.document.body if hasattr(b, "text")
                   and not isinstance(b, Figure))
    assert "见图1" in text and "见图2" in text and "见图3" not in text
    # the reference to the deleted figure is kept as shown, with a warning
    assert any("_Ref_fig_va_growth" in w for w in reading.warnings)


def test_tracked_changes_accepted_by_default_and_refused_with_reject(
        built: Path, tmp_path: Path, cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BRIEFGEN_CACHE", str(cache))
    doc = docx.Document(str(built / "2024-05-chaoyang.docx"))
    p = _para(doc, "首次提出")._p
    run = next(r for r in p if r.tag == W + "r")
    deleted = copy.deepcopy(run)
    deleted.find(W + "t").tag = W + "delText"
    wdel = p.makeelement(W + "del", {W + "id": "901", W + "author": "staff"})
    wdel.append(deleted)
    run.addprevious(wdel)
    run.find(W + "t").text = "插入的句子。"
    wins = p.makeelement(W + "ins", {W + "id": "902", W + "author": "staff"})
    run.addprevious(wins)
    wins.append(run)
    path = tmp_path / "tracked.docx"
    doc.save(str(path))
    house = house_for(path)
    accepted = read_docx(path, house, [cache_root() / "charts"], tmp_path / "m").document
    rejected = read_docx(path, house, [cache_root() / "charts"], tmp_path / "m",
                         reject=True).document
    first = [b for b in accepted.body if not isinstance(b, Heading)][0]
    assert first.text == "插入的句子。"  # type: ignore[union-attr]
    first_r = [b for b in rejected.body if not isinstance(b, Heading)][0]
    assert first_r.text.startswith("习近平总书记于2023年9月7日")  # type: ignore[union-attr]
    assert "插入的句子" not in first_r.text  # type: ignore[union-attr]


def test_a_file_that_is_not_a_docx_is_one_line_and_writes_nothing(tmp_path: Path) -> None:
    bad = tmp_path / "edited.docx"
    bad.write_text("not a zip", encoding="utf-8")
    out = tmp_path / "out"
    run = run_cli("build", bad, "-o", out)
    assert run.code == 2
    assert run.stderr.count("\n") == 1 and "edited.docx" in run.stderr, run.stderr
    assert not out.exists() or not any(out.iterdir())


def test_a_docx_saved_by_libreoffice_reads_back_to_the_same_body(
        built: Path, project_copy: Path, cache: Path, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """LibreOffice renames the pictures and rewrites the styles; charts are found by their bytes."""
    import shutil

    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice is required (apt-get install libreoffice-writer-nogui)"
    subprocess.run([soffice, f"-env:UserInstallation=file://{tmp_path}/profile", "--headless",
                    "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(tmp_path / "lo"),
                    str(built / "2024-05-chaoyang.docx")], capture_output=True, timeout=300,
                   check=True)
    monkeypatch.setenv("BRIEFGEN_CACHE", str(cache))
    prepared = prepare(project_copy / SAMPLE, cache_root() / "charts")
    reading = read_docx(tmp_path / "lo" / "2024-05-chaoyang.docx", prepared.spec.house,
                        [cache_root() / "charts"], tmp_path / "media")
    assert reading.document.body == [replace(b, where="") for b in prepared.document.body]
    assert all(f.ops is not None for f in reading.document.figures())


def test_absorb_folds_the_edits_into_the_sections_and_reports_the_bound_number(
        edited: Path, project_copy: Path, cache: Path, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    import shutil

    from briefgen.app.absorb import absorb

    project = tmp_path / "project"
    for name in ("briefs", "data", "templates"):
        shutil.copytree(project_copy / name, project / name)
    monkeypatch.setenv("BRIEFGEN_CACHE", str(cache))
    monkeypatch.chdir(project)
    sections = project / SAMPLE / "sections"
    strengths_before = (sections / "strengths.md").read_text(encoding="utf-8")
    outcome = absorb(edited, Path(SAMPLE))
    assert sorted(p.name for p in outcome.files) == ["intro.md", "problems.md", "strengths.md"]
    # The bound number is reported with its place, old and new, expression and cell; not typed in.
    assert len(outcome.findings) == 1, outcome.findings
    finding = outcome.findings[0]
    assert finding.startswith("briefs/2024-05-chaoyang/sections/basics.md:4:")
    assert "279.8万人 -> 280.1万人" in finding and "pop|q" in finding
    assert "facts.yaml:19 population=279.8" in finding
    assert "280.1" not in (sections / "basics.md").read_text(encoding="utf-8")
    intro = (sections / "intro.md").read_text(encoding="utf-8")
    assert "2023年9月8日" in intro and "这一全新的重要概念" in intro
    problems = (sections / "problems.md").read_text(encoding="utf-8").split("\n")
    at = problems.index("## 营商环境仍需优化，市场活力有待激发")
    assert problems[at + 1:at + 3] == ["", "部分审批事项办理周期偏长，企业获得感不强。"]
    assert problems[at + 4] == "## 新旧动能转换偏慢，城市辐射带动能力不足"
    strengths = (sections / "strengths.md").read_text(encoding="utf-8")
    assert "chart('land-use')" not in strengths and "从土地利用结构看" not in strengths
    assert "{{ facts.mountain_hill_share|pct }}。\n" in strengths  # the sentence before stays
    assert "{% for" not in strengths and strengths.count("\n") < strengths_before.count("\n")
    # Built from the sources, the brief reads as the edited file (but for the bound number).
    run = run_cli("build", SAMPLE, "-o", project / "out", cwd=project,
                  env={"BRIEFGEN_CACHE": str(cache)})
    assert run.code == 0, run.stderr
    ed = run_cli("build", edited, "-o", tmp_path / "ed", env={"BRIEFGEN_CACHE": str(cache)})
    assert ed.code == 0, ed.stderr
    from_sources = pdf_text(project / "out" / "2024-05-chaoyang.pdf")
    from_word = pdf_text(tmp_path / "ed" / "edited.pdf")
    assert from_word.replace("280.1万人", "279.8万人") == from_sources
    assert from_word != from_sources


def test_align_edit_changes_only_the_literal_text_and_keeps_expressions() -> None:
    from briefgen.app.absorb import align_edit

    source = "全市常住人口为{{ pop|q }}，城镇化率为{{ rate|pct }}。"
    old = "全市常住人口为279.8万人，城镇化率为51.1%。"
    assert align_edit(source, old, "全省常住人口为279.8万人，城镇化率达51.1%。") == \
        "全省常住人口为{{ pop|q }}，城镇化率达{{ rate|pct }}。"
    # Changing what an expression prints (in part) is refused, never typed in.
    assert align_edit(source, old, "全市常住人口为280万人，城镇化率为51.1%。") is None
    # A block tag cut in half is refused.
    loop = "有{% for x in xs %}{{ x }}、{% endfor %}等。"
    assert align_edit(loop, "有甲、乙、等。", "有甲等。") is None


def test_absorb_on_the_command_line(edited: Path, project_copy: Path, cache: Path,
                                    tmp_path: Path) -> None:
    import shutil

    project = tmp_path / "project"
    for name in ("briefs", "data", "templates"):
        shutil.copytree(project_copy / name, project / name)
    env = {"BRIEFGEN_CACHE": str(cache)}
    run = run_cli("absorb", edited, "--into", SAMPLE, cwd=project, env=env)
    assert run.code == 1, run.stderr  # a finding left for the editor
    assert "updated briefs/2024-05-chaoyang/sections/intro.md" in run.stdout
    assert "basics.md:4: a bound figure was changed in Word" in run.stderr
    missing = run_cli("absorb", tmp_path / "none.docx", "--into", SAMPLE, cwd=project, env=env)
    assert missing.code == 2 and missing.stderr.count("\n") == 1


def test_comments_are_listed_on_stderr(built: Path, tmp_path: Path, cache: Path) -> None:
    doc = docx.Document(str(built / "2024-05-chaoyang.docx"))
    p = _para(doc, "首次提出")
    doc.add_comment(p.runs[0], text="请核对日期", author="王编辑")
    path = tmp_path / "commented.docx"
    doc.save(str(path))
    run = run_cli("build", path, "-o", tmp_path / "out", "--format", "pdf",
                  env={"BRIEFGEN_CACHE": str(cache)})
    assert run.code == 0, run.stderr
    assert "commented.docx: comment: 王编辑: 请核对日期" in run.stderr
