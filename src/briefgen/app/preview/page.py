"""The preview's web page: the brief's pages beside `check`'s findings, kept current.

One static HTML document; its script listens to /events (server-sent events, each
carrying the whole state as JSON) and redraws only what changed: a page's image is
fetched again only when its pixels' hash changed, and the view scrolls to the band
of the first page that changed. Every text from the brief is set with textContent.
"""

from __future__ import annotations

STYLE = """
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.5 system-ui, "Noto Sans CJK SC", sans-serif; background: #e9e9ec; color: #222; }
header { position: sticky; top: 0; z-index: 5; display: flex; gap: 1em; align-items: center;
  padding: .45em 1em; background: #fff; border-bottom: 1px solid #ccc; }
header h1 { font-size: 1em; margin: 0; font-weight: 600; }
header a { color: #0b57d0; }
#status { margin-left: auto; color: #555; }
#status.building::before { content: "● "; color: #d08b00; }
#status.ready::before { content: "● "; color: #188038; }
#status.error::before, #status.offline::before { content: "● "; color: #c5221f; }
main { display: flex; gap: 1.2em; padding: 1.2em; align-items: flex-start; }
#pages { flex: 1; display: flex; flex-direction: column; align-items: center; gap: 1.2em; min-width: 0; }
#pages.stale .page { opacity: .45; }
.page { position: relative; width: min(100%, 820px); background: #fff; box-shadow: 0 1px 4px rgba(0,0,0,.25); }
.page img { display: block; width: 100%; height: 100%; }
.page svg { position: absolute; inset: 0; width: 100%; height: 100%; }
.page svg text { fill: transparent; white-space: pre; cursor: text; }
.page svg text::selection { fill: transparent; background: rgba(11,87,208,.3); }
.page svg rect.figure { fill: transparent; cursor: help; }
.page svg rect.figure:hover { fill: rgba(255,200,0,.28); stroke: #d08b00; stroke-width: .6; }
.page .no { position: absolute; right: -2.6em; top: 0; color: #888; font-size: 12px; }
.flash { position: absolute; left: 0; right: 0; background: rgba(255,200,0,.25);
  border-left: 4px solid #d08b00; pointer-events: none; animation: fade 2.5s forwards; }
@keyframes fade { 0%, 60% { opacity: 1; } 100% { opacity: 0; } }
aside { position: sticky; top: 3.4em; width: 27em; max-height: calc(100vh - 4.6em); overflow: auto; }
aside h2 { font-size: 1em; margin: 1em 0 .4em; }
#error { background: #fce8e6; border: 1px solid #c5221f; border-radius: 4px; padding: .7em .9em; }
#error .where { font-family: ui-monospace, monospace; font-weight: 600; }
#error .hint, .finding .hint { color: #555; }
#error.bug { background: #fef7e0; border-color: #d08b00; }
#findings { list-style: none; margin: 0; padding: 0; }
.finding { background: #fff; border-left: 4px solid #d08b00; margin: 0 0 .5em; padding: .45em .7em; }
.finding.error { border-color: #c5221f; }
.finding .where { font-family: ui-monospace, monospace; }
#tip { position: fixed; z-index: 10; max-width: 32em; padding: .4em .6em; background: #222; color: #fff;
  border-radius: 4px; font-size: 13px; white-space: pre-line; pointer-events: none; }
"""

SCRIPT = r"""
const $ = (id) => document.getElementById(id);
const SVG = "http://www.w3.org/2000/svg";
let current = { generation: -1 };
let scrolled = -1;

function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

function overlay(page) {
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("viewBox", `0 0 ${page.width} ${page.height}`);
  svg.setAttribute("preserveAspectRatio", "none");
  for (const [x, y, w, h, words] of page.lines) {
    const t = document.createElementNS(SVG, "text");
    t.setAttribute("x", x); t.setAttribute("y", y + h * 0.86);
    t.setAttribute("font-size", h); t.setAttribute("textLength", w);
    t.setAttribute("lengthAdjust", "spacingAndGlyphs");
    t.textContent = words;
    svg.appendChild(t);
  }
  for (const [x, y, w, h, tip] of page.boxes) {
    const r = document.createElementNS(SVG, "rect");
    r.setAttribute("class", "figure");
    r.setAttribute("x", x - 0.5); r.setAttribute("y", y - 0.5);
    r.setAttribute("width", w + 1); r.setAttribute("height", h + 1);
    r.dataset.tip = tip;
    svg.appendChild(r);
  }
  return svg;
}

function drawPages(state) {
  const holder = $("pages");
  holder.classList.toggle("stale", state.status === "error");
  state.pages.forEach((page, i) => {
    let div = holder.children[i];
    if (!div) {
      div = el("div", "page");
      div.appendChild(el("img"));
      div.appendChild(el("span", "no", String(i + 1)));
      holder.appendChild(div);
    }
    div.style.aspectRatio = `${page.width} / ${page.height}`;
    const img = div.querySelector("img");
    if (div.dataset.key !== page.key) {
      img.src = `/page/${page.key}.png`;
      img.alt = `page ${i + 1}`;
      div.dataset.key = page.key;
    }
    const layer = JSON.stringify([page.lines, page.boxes]);
    if (div.dataset.layer !== layer) {
      const old = div.querySelector("svg");
      if (old) old.remove();
      div.appendChild(overlay(page));
      div.dataset.layer = layer;
    }
  });
  while (holder.children.length > state.pages.length) holder.lastChild.remove();
}

function drawError(error) {
  const box = $("error");
  box.replaceChildren();
  box.hidden = !error;
  if (!error) return;
  box.className = error.level === "bug" ? "bug" : "";
  if (error.where) box.appendChild(el("div", "where", error.where));
  box.appendChild(el("div", "message", error.message));
  if (error.hint) box.appendChild(el("div", "hint", error.hint));
}

function drawFindings(findings) {
  const list = $("findings");
  list.replaceChildren();
  $("no-findings").hidden = findings.length > 0;
  for (const f of findings) {
    const li = el("li", `finding ${f.level}`);
    li.appendChild(el("div", "where", `${f.where || "(brief)"} · ${f.level}`));
    li.appendChild(el("div", "message", f.message));
    if (f.hint) li.appendChild(el("div", "hint", f.hint));
    list.appendChild(li);
  }
}

function drawStatus(state) {
  const s = $("status");
  s.className = state.status;
  let text = { starting: "starting…", building: "rebuilding…", ready: "up to date", error: "input error" }[state.status] || state.status;
  if (state.status !== "building" && state.took !== null) text += ` · ${state.took.toFixed(2)} s`;
  if (state.trigger.length) text += ` · ${state.trigger.join(", ")}`;
  s.textContent = text;
  for (const fmt of ["pdf", "docx"]) $(`get-${fmt}`).hidden = !state.files[fmt];
}

function scrollToChange(state) {
  if (state.status !== "ready" || !state.changed || scrolled === state.generation) return;
  scrolled = state.generation;
  const [index, top, bottom] = state.changed;
  const div = $("pages").children[index];
  if (!div) return;
  const page = state.pages[index];
  const scale = div.clientWidth / page.width;
  const flash = el("div", "flash");
  flash.style.top = `${top * scale}px`;
  flash.style.height = `${Math.max(bottom - top, 6) * scale}px`;
  div.appendChild(flash);
  setTimeout(() => flash.remove(), 2600);
  const y = div.getBoundingClientRect().top + window.scrollY + top * scale;
  window.scrollTo({ top: Math.max(0, y - window.innerHeight / 3), behavior: "instant" });
}

function apply(state) {
  if (state.generation <= current.generation) return;
  current = state;
  document.body.dataset.generation = state.generation;
  document.body.dataset.status = state.status;
  drawStatus(state);
  drawError(state.error);
  drawPages(state);
  drawFindings(state.findings);
  scrollToChange(state);
}

document.addEventListener("mouseover", (e) => {
  const tip = $("tip");
  if (e.target instanceof SVGRectElement && e.target.dataset.tip) {
    tip.textContent = e.target.dataset.tip;
    tip.hidden = false;
  } else {
    tip.hidden = true;
  }
});
document.addEventListener("mousemove", (e) => {
  const tip = $("tip");
  if (tip.hidden) return;
  tip.style.left = `${Math.min(e.clientX + 14, window.innerWidth - tip.offsetWidth - 8)}px`;
  tip.style.top = `${e.clientY + 16}px`;
});

function listen() {
  const events = new EventSource("/events");
  events.addEventListener("state", (e) => apply(JSON.parse(e.data)));
  events.onopen = () => { current = { generation: -1 }; };  // redraw from what comes next
  events.onerror = () => {
    $("status").className = "offline";
    $("status").textContent = "not connected: is `briefgen preview` still running?";
  };
}
listen();
"""


def html(title: str) -> str:
    """The page, titled with the brief's folder name (escaped by the caller's rules)."""
    from html import escape

    name = escape(title)
    return f"""<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{name} · briefgen preview</title>
<style>{STYLE}</style>
</head>
<body data-generation="-1" data-status="starting">
<header>
  <h1>{name}</h1>
  <a id="get-pdf" href="/brief.pdf" target="_blank" hidden>PDF</a>
  <a id="get-docx" href="/brief.docx" hidden>Word</a>
  <span id="status" class="building">starting…</span>
</header>
<main>
  <section id="pages" aria-label="pages"></section>
  <aside>
    <div id="error" role="alert" hidden></div>
    <h2>check</h2>
    <p id="no-findings" hidden>check found nothing to report.</p>
    <ul id="findings"></ul>
  </aside>
</main>
<div id="tip" hidden></div>
<script>{SCRIPT}</script>
</body>
</html>
"""
