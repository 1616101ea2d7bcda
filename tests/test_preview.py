"""`briefgen preview`: the live page in a real browser (Debian's chromium, through
its chromedriver), on a copy of the sample project, as an editor uses it."""

from __future__ import annotations

import io
import os
import queue
import socket
import subprocess
import sys
import threading
import time
import urllib.request
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

import pypdfium2
import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By

from briefgen.app.preview.layout import occurrences

from .conftest import SAMPLE

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
T = TypeVar("T")


def wait_for(what: str, probe: Callable[[], T], timeout: float = 60) -> T:
    """Poll `probe` until it returns something true; fail naming `what` after `timeout`."""
    end = time.monotonic() + timeout
    last: T | None = None
    while time.monotonic() < end:
        value = probe()
        if value:
            return value
        last = value
        time.sleep(0.1)
    raise AssertionError(f"timed out after {timeout} s waiting for {what} (last: {last!r})")


class Preview:
    """`briefgen preview BRIEF --port 0` as a user starts it, in its own process."""

    def __init__(self, project: Path, port: int = 0) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "briefgen", "preview", SAMPLE, "--port", str(port)],
            cwd=project, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            env=dict(os.environ, PYTHONUNBUFFERED="1"),
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.output: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()
        first = self.lines.get(timeout=120)
        assert "http://127.0.0.1:" in first, first
        self.url = first[first.index("http://"):].split()[0]

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.output.append(line)
            self.lines.put(line)

    def get(self, path: str) -> bytes:
        with urllib.request.urlopen(self.url + path.lstrip("/"), timeout=30) as response:
            body: bytes = response.read()
            return body

    def close(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=30)


@pytest.fixture
def preview(project: Path) -> Iterator[Preview]:
    p = Preview(project)
    yield p
    p.close()


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[webdriver.Chrome]:
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--window-size=1400,1000",
                f"--user-data-dir={tmp_path / 'chromium'}"):
        options.add_argument(arg)
    driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
    yield driver
    driver.quit()


def page_text(driver: webdriver.Chrome) -> str:
    """The text of the pages shown (their text layer, taken from the rendered PDF)."""
    text: str = driver.execute_script("return document.getElementById('pages').textContent")
    return text


def status(driver: webdriver.Chrome) -> str:
    value: str = driver.execute_script("return document.body.dataset.status")
    return value


def open_ready(driver: webdriver.Chrome, preview: Preview) -> None:
    driver.get(preview.url)
    wait_for("the first build on the page", lambda: status(driver) == "ready", timeout=180)


def pdf_text(pdf: bytes) -> str:
    document = pypdfium2.PdfDocument(pdf)
    try:
        return "".join(document[i].get_textpage().get_text_range() for i in range(len(document)))
    finally:
        document.close()


def test_a_saved_section_shows_its_new_text_on_the_page_and_in_the_files(
    project: Path, preview: Preview, browser: webdriver.Chrome
) -> None:
    open_ready(browser, preview)
    assert "辽宁大学城市研究院" in page_text(browser)
    sentence = "预览里刚保存的一句话。"
    assert sentence not in page_text(browser)

    section = project / SAMPLE / "sections" / "countermeasures.md"
    text = section.read_text(encoding="utf-8") + f"\n{sentence}冶金行业产值567.2亿元。\n"
    section.write_text(text, encoding="utf-8")
    typed_line = len(text.splitlines())

    wait_for("the new sentence on the page", lambda: sentence in page_text(browser), timeout=60)
    # check's finding on the typed figure stands beside the pages, with its place.
    findings = browser.find_element(By.ID, "findings").text
    assert f"{SAMPLE}/sections/countermeasures.md:{typed_line}" in findings
    assert "567.2" in findings
    assert sentence in pdf_text(preview.get("/brief.pdf"))
    with zipfile.ZipFile(io.BytesIO(preview.get("/brief.docx"))) as docx:
        assert sentence in docx.read("word/document.xml").decode()
    # The view moved to the page that changed (the sentence is near the end of the brief).
    in_view = """
        const pages = [...document.querySelectorAll('#pages .page')];
        const page = pages.find(p => p.textContent.includes(arguments[0]));
        const r = page.getBoundingClientRect();
        return [pages.indexOf(page), r.top < window.innerHeight && r.bottom > 0];
    """
    index, visible = browser.execute_script(in_view, sentence)
    assert index > 2, "the sentence should be on a late page"
    assert visible, "the page that changed should be scrolled into view"


def test_a_broken_brief_yaml_shows_its_line_on_the_page_and_the_preview_recovers(
    project: Path, preview: Preview, browser: webdriver.Chrome
) -> None:
    open_ready(browser, preview)
    brief = project / SAMPLE / "brief.yaml"
    good = brief.read_text(encoding="utf-8")
    line = good.splitlines().index("issue: 5") + 1
    brief.write_text(good.replace("issue: 5", "isue: 5"), encoding="utf-8")

    error = browser.find_element(By.ID, "error")
    wait_for("the error on the page", lambda: error.is_displayed(), timeout=60)
    shown = error.text
    assert f"brief.yaml:{line}" in shown
    assert "unknown key 'isue'" in shown
    assert "issue" in shown.split("unknown key 'isue'", 1)[1], "the page says what to do"
    assert "Traceback" not in shown
    assert "stale" in (browser.find_element(By.ID, "pages").get_attribute("class") or "")
    assert "辽宁大学城市研究院" in page_text(browser), "the last good pages stay in view"

    brief.write_text(good, encoding="utf-8")
    wait_for("the error to go", lambda: not error.is_displayed() and status(browser) == "ready")
    assert "stale" not in (browser.find_element(By.ID, "pages").get_attribute("class") or "")
    assert "input error" not in browser.find_element(By.ID, "status").text


def test_hovering_a_figure_shows_the_cells_it_was_printed_from(
    preview: Preview, browser: webdriver.Chrome
) -> None:
    open_ready(browser, preview)
    figures = browser.find_elements(By.CSS_SELECTOR, "rect.figure")
    output = [f for f in figures if "sectors.csv" in (f.get_attribute("data-tip") or "")
              and "[output]" in (f.get_attribute("data-tip") or "")]
    assert output, "a figure printed from sectors.csv's output column has a box"
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", output[0])
    ActionChains(browser).move_to_element(output[0]).perform()
    tip = browser.find_element(By.ID, "tip")
    wait_for("the tooltip", tip.is_displayed, timeout=10)
    assert "sectors.csv:" in tip.text
    assert "[output]" in tip.text


def test_a_port_in_use_is_one_line_and_exit_2(project: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        proc = subprocess.run(
            [sys.executable, "-m", "briefgen", "preview", SAMPLE, "--port", str(port)],
            cwd=project, capture_output=True, text=True, timeout=120,
        )
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines() == [
        f"briefgen: error: port {port} is in use on 127.0.0.1 "
        "(choose another with --port, or --port 0 for any free one)"
    ]


def test_a_figure_is_found_as_a_whole_number_only() -> None:
    page = "产值567.2亿元，1567.2亿元，567.25亿元，占57.7%；567.2"
    assert occurrences(page, "567.2") == [2, len(page) - 5]
    assert occurrences(page, "57.7%") == [page.index("57.7%")]


def test_a_preview_started_on_a_broken_brief_shows_the_error_then_the_pages_once_fixed(
    project: Path, browser: webdriver.Chrome
) -> None:
    section = project / SAMPLE / "sections" / "intro.md"
    good = section.read_text(encoding="utf-8")
    section.write_text("{{ facts.no_such_fact | q }}\n" + good, encoding="utf-8")
    preview = Preview(project)
    try:
        browser.get(preview.url)
        error = browser.find_element(By.ID, "error")
        wait_for("the error on the page", lambda: error.is_displayed(), timeout=180)
        assert f"{SAMPLE}/sections/intro.md:1" in error.text
        assert "no_such_fact" in error.text
        assert browser.find_elements(By.CSS_SELECTOR, "#pages .page") == []

        section.write_text(good, encoding="utf-8")
        wait_for("the pages", lambda: status(browser) == "ready", timeout=120)
        assert not error.is_displayed()
        assert "辽宁大学城市研究院" in page_text(browser)
    finally:
        preview.close()
