// newsline web view. Plain JS, no build step, no network access beyond this server's /api.
//
// Safety rule for this file: text from the store (articles, titles, actor names, sentences) only ever
// enters the DOM through text nodes (el()/text()), never through innerHTML, so an article containing
// <script> or <img onerror=…> is shown as text. The server's CSP forbids inline scripts as a second line.
"use strict";

// ------------------------------------------------------------------ state <-> URL
// The page URL carries the whole view (filters, sort, page, open event/article, tab) so it can be shared.
const MULTI = ["actor", "type", "quad", "status"];
const SINGLE = ["q", "place", "from", "to", "sort", "offset", "event", "article", "tab", "by", "hl"];
const FILTER_KEYS = ["actor", "type", "quad", "status", "q", "place", "from", "to"];
const PAGE = 100;

let state = readURL();
let stats = null;
let actorNames = {};          // id -> display name, filled from /api/actors and event rows
let eventRows = [];           // current table page
let tlRequest = 0, evRequest = 0, netRequest = 0;
// Plotly is a deferred script after this one: it has run (or failed to load) when its element fires
// load/error, and at the latest by DOMContentLoaded (which waits for deferred scripts).
const plotlyLoaded = new Promise((resolve) => {
  if (window.Plotly) return resolve();
  const tag = document.querySelector("script[src$='plotly.min.js']");
  if (tag) { tag.addEventListener("load", resolve, { once: true }); tag.addEventListener("error", resolve, { once: true }); }
  document.addEventListener("DOMContentLoaded", resolve, { once: true });
  if (document.readyState === "complete") resolve();
});

function readURL() {
  const p = new URLSearchParams(location.search);
  const s = {};
  for (const k of MULTI) s[k] = p.getAll(k).filter(Boolean);
  for (const k of SINGLE) s[k] = p.get(k) || "";
  return s;
}

function writeURL(push) {
  const p = new URLSearchParams();
  for (const k of MULTI) for (const v of state[k]) p.append(k, v);
  for (const k of SINGLE) if (state[k]) p.set(k, state[k]);
  const url = p.toString() ? "?" + p.toString() : location.pathname;
  if (push) history.pushState(null, "", url); else history.replaceState(null, "", url);
}

function filterParams(opts = {}) {
  const p = new URLSearchParams();
  for (const k of FILTER_KEYS) {
    if (opts.noDates && (k === "from" || k === "to")) continue;
    const v = state[k];
    if (Array.isArray(v)) v.forEach((x) => p.append(k, x)); else if (v) p.set(k, v);
  }
  return p;
}

// ------------------------------------------------------------------ DOM helpers (text only)
function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "class") node.className = v;
    else if (k === "dataset") Object.assign(node.dataset, v);
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}
const $ = (sel) => document.querySelector(sel);
const fmt = (n) => (n === null || n === undefined ? "–" : Number(n).toLocaleString("en-US"));

function setStatus(msg, isError) {
  const s = $("#status");
  s.textContent = msg || "";
  s.classList.toggle("error", !!isError);
}

// Plotly renders a subset of HTML in trace text and hover labels (<a href>, <b>, <br>) and decodes entities:
// names from the store go in escaped, so they show as written and never become links or markup.
function plotlyText(s) {
  return String(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
// in a hovertemplate "%{...}" is substituted too
function plotlyTemplate(s) {
  return plotlyText(s).replace(/%/g, "&#37;");
}

async function api(path, params) {
  const url = "/api/" + path + (params && params.toString() ? "?" + params.toString() : "");
  const r = await fetch(url, { headers: { Accept: "application/json" } });
  if (!r.ok) {
    let detail = r.statusText;
    try {
      const j = await r.json();
      detail = typeof j.detail === "string" ? j.detail : (j.detail || []).map((d) => (d.loc || []).slice(1).join(".") + ": " + d.msg).join("; ");
    } catch (_) { /* keep statusText */ }
    const err = new Error(detail);
    err.status = r.status;
    throw err;
  }
  return r.json();
}

// ------------------------------------------------------------------ colours
const QUAD_NAMES = { 1: "verbal cooperation", 2: "material cooperation", 3: "verbal conflict", 4: "material conflict" };
const QUAD_SHORT = { 1: "VC", 2: "MC", 3: "VK", 4: "MK" };
const QUAD_COLOR = { 1: "#3b6fb6", 2: "#2f8f6a", 3: "#d08a2e", 4: "#c0392b" };
// shades per quad family so each type reads as its class at a glance
const QUAD_SHADES = {
  1: ["#1f4e8c", "#3b6fb6", "#6f97cf", "#a4bfe3", "#c8d8ee"],
  2: ["#1d6b4e", "#2f8f6a", "#63b392", "#9fd1bb"],
  3: ["#a4621a", "#d08a2e", "#e6ae63", "#f0c992", "#f6dfbd"],
  4: ["#8e2a20", "#c0392b", "#dd6b5e", "#ec9d93", "#f4c5bf"],
};
let typeColor = {};
function buildTypeColors() {
  typeColor = {};
  const used = { 1: 0, 2: 0, 3: 0, 4: 0 };
  for (const t of stats.types) {
    const q = stats.type_quad[t];
    if (QUAD_SHADES[q]) { typeColor[t] = QUAD_SHADES[q][used[q] % QUAD_SHADES[q].length]; used[q]++; }
    else typeColor[t] = "#8a94a0";
  }
}
const colorOfType = (t) => typeColor[t] || "#8a94a0";

// ------------------------------------------------------------------ filter bar
function initFilters() {
  $("#f-q").value = state.q;
  $("#f-place").value = state.place;
  $("#f-from").value = state.from;
  $("#f-to").value = state.to;
  $("#f-sort").value = state.sort || "-date";

  const typeSel = $("#f-type");
  typeSel.length = 1;
  for (const t of stats.types) typeSel.append(el("option", { value: t }, t));
  const stSel = $("#f-status");
  stSel.length = 1;
  for (const s of stats.statuses) stSel.append(el("option", { value: s }, s));
  const quads = $("#f-quad");
  quads.replaceChildren();
  for (const q of [1, 2, 3, 4]) {
    quads.append(el("button", {
      type: "button", class: "quad q" + q, dataset: { quad: String(q) }, title: QUAD_NAMES[q],
      "aria-pressed": String(state.quad.includes(String(q))),
      onclick: () => { toggle("quad", String(q)); },
    }, QUAD_SHORT[q]));
  }
  renderChips();
}

function syncFilterInputs() {
  for (const b of document.querySelectorAll("#f-quad .quad")) b.setAttribute("aria-pressed", String(state.quad.includes(b.dataset.quad)));
  $("#f-q").value = state.q;
  $("#f-place").value = state.place;
  $("#f-from").value = state.from;
  $("#f-to").value = state.to;
  $("#f-sort").value = state.sort || "-date";
  renderChips();
}

function renderChips() {
  const box = $("#chips");
  box.replaceChildren();
  const chip = (label, value, onRemove, cls) => el("span", { class: "chip " + (cls || "") }, el("b", {}, label), " ", value,
    el("button", { type: "button", "aria-label": "remove " + label + " " + value, onclick: onRemove }, "×"));
  for (const a of state.actor) box.append(chip("actor", actorNames[a] ? actorNames[a] + " (" + a + ")" : a, () => toggle("actor", a)));
  for (const t of state.type) box.append(chip("type", t, () => toggle("type", t)));
  for (const q of state.quad) box.append(chip("quad", QUAD_NAMES[q] || q, () => toggle("quad", q)));
  for (const s of state.status) box.append(chip("status", s, () => toggle("status", s), "st-" + s));
  if (state.q) box.append(chip("text", "“" + state.q + "”", () => setFilter({ q: "" })));
  if (state.place) box.append(chip("place", state.place, () => setFilter({ place: "" })));
  if (state.from || state.to) box.append(chip("dates", (state.from || "…") + " – " + (state.to || "…"), () => setFilter({ from: "", to: "" })));
  box.hidden = !box.childElementCount;
}

function toggle(key, value) {
  const list = state[key];
  const i = list.indexOf(value);
  if (i >= 0) list.splice(i, 1); else list.push(value);
  setFilter({});
}

// Any filter change: back to the first page, URL updated (pushed, so Back undoes it), everything reloaded.
function setFilter(changes, opts = {}) {
  Object.assign(state, changes);
  state.offset = "";
  writeURL(!opts.replace);
  syncFilterInputs();
  refresh({ timeline: !opts.keepTimeline });
}

function debounce(fn, ms) {
  let t = null;
  return (...a) => { clearTimeout(t); t = setTimeout(() => fn(...a), ms); };
}

function bindFilterBar() {
  const f = $("#filters");
  f.addEventListener("submit", (e) => e.preventDefault());
  $("#f-q").addEventListener("input", debounce(() => setFilter({ q: $("#f-q").value.trim() }, { replace: true }), 300));
  $("#f-place").addEventListener("input", debounce(() => setFilter({ place: $("#f-place").value.trim() }, { replace: true }), 300));
  $("#f-from").addEventListener("change", () => setFilter({ from: $("#f-from").value }));
  $("#f-to").addEventListener("change", () => setFilter({ to: $("#f-to").value }));
  $("#f-sort").addEventListener("change", () => { state.sort = $("#f-sort").value === "-date" ? "" : $("#f-sort").value; state.offset = ""; writeURL(true); loadEvents(); });
  $("#f-type").addEventListener("change", (e) => { const v = e.target.value; e.target.value = ""; if (v && !state.type.includes(v)) toggle("type", v); });
  $("#f-status").addEventListener("change", (e) => { const v = e.target.value; e.target.value = ""; if (v && !state.status.includes(v)) toggle("status", v); });
  const actorIn = $("#f-actor");
  actorIn.addEventListener("change", () => {
    const raw = actorIn.value.trim();
    actorIn.value = "";
    if (!raw) return;
    // the datalist shows "Name (id)"; accept either that or a bare id
    const m = raw.match(/\(([^()]+)\)\s*$/);
    const id = m ? m[1] : raw;
    if (!state.actor.includes(id)) toggle("actor", id);
  });
  actorIn.addEventListener("input", debounce(loadActorOptions, 200));
  $("#f-reset").addEventListener("click", () => {
    for (const k of MULTI) state[k] = [];
    for (const k of ["q", "place", "from", "to", "sort"]) state[k] = "";
    setFilter({});
  });
  $("#prev").addEventListener("click", () => page(-1));
  $("#next").addEventListener("click", () => page(1));
  for (const b of document.querySelectorAll(".seg button")) {
    b.addEventListener("click", () => { state.by = b.dataset.by === "type" ? "" : b.dataset.by; writeURL(false); loadTimeline(); });
  }
  for (const b of document.querySelectorAll(".tabs button")) b.addEventListener("click", () => showTab(b.dataset.tab, true));
  window.addEventListener("popstate", () => { state = readURL(); syncFilterInputs(); refresh({ timeline: true }); openFromState(); });
}

async function loadActorOptions() {
  const p = new URLSearchParams();
  const v = $("#f-actor").value.trim();
  if (v) p.set("search", v);
  p.set("limit", "50");
  try {
    const res = await api("actors", p);
    const dl = $("#actor-list");
    dl.replaceChildren(...res.items.map((a) => {
      actorNames[a.id] = a.name || a.id;
      return el("option", { value: (a.name || a.id) + " (" + a.id + ")" }, fmt(a.n_events) + " events");
    }));
  } catch (e) { /* suggestions are optional */ }
}

// ------------------------------------------------------------------ header stats
function renderStats() {
  const s = stats;
  const span = s.date_min ? s.date_min + " – " + s.date_max : "no dated events";
  $("#stats").replaceChildren(...[
    el("span", { title: "store file" }, s.store),
    el("span", {}, el("b", {}, fmt(s.events)), " events"),
    el("span", {}, el("b", {}, fmt(s.articles)), " articles"),
    el("span", {}, el("b", {}, fmt(s.mentions)), " mentions"),
    el("span", {}, el("b", {}, fmt(s.actors)), " actors"),
    el("span", {}, span),
    s.events_with_conflicts ? el("span", { class: "warn", title: "events whose sources disagree" }, fmt(s.events_with_conflicts), " contested") : null,
  ].filter(Boolean));
}

// ------------------------------------------------------------------ timeline
async function loadTimeline() {
  const box = $("#timeline");
  const req = ++tlRequest;
  const p = filterParams({ noDates: true });
  if (state.by) p.set("by", state.by);
  for (const b of document.querySelectorAll(".seg button")) b.classList.toggle("on", (state.by || "type") === b.dataset.by);
  let tl;
  try { tl = await api("timeline", p); } catch (e) { setStatus("timeline: " + e.message, true); return; }
  await plotlyLoaded;
  if (req !== tlRequest) return;
  const total = tl.series.reduce((a, s) => a + s.y.reduce((x, y) => x + y, 0), 0);
  $("#tl-meta").textContent = fmt(total) + " dated events · per " + tl.bucket + (tl.undated ? " · " + fmt(tl.undated) + " undated not shown" : "");
  if (!window.Plotly) {
    box.replaceChildren(el("p", { class: "empty" }, "Charts need the plotly package (pip install 'newsline[report]')."));
    document.body.dataset.timeline = "ready";
    return;
  }
  if (!tl.series.length) {
    if (window.Plotly) Plotly.purge(box);
    box.replaceChildren(el("p", { class: "empty" }, stats.events ? "No dated event matches these filters." : "The store has no events yet."));
    delete box.dataset.bound;
    document.body.dataset.timeline = "ready";
    return;
  }
  const msg = box.querySelector(":scope > p.empty");
  if (msg) msg.remove();
  const byQuad = tl.by === "quad";
  const order = (k) => (byQuad ? Number(k) : (stats.type_quad[k] || 9) * 100 + stats.types.indexOf(k));
  const series = [...tl.series].sort((a, b) => order(a.key) - order(b.key));
  const traces = series.map((s) => ({
    type: "bar", name: plotlyText(byQuad ? QUAD_NAMES[s.key] || s.key : s.key), x: s.x, y: s.y,
    marker: { color: byQuad ? QUAD_COLOR[s.key] || "#8a94a0" : colorOfType(s.key), line: { width: 0 } },
    customdata: s.x.map(() => s.key),
    hovertemplate: "%{y} × " + plotlyTemplate(byQuad ? QUAD_NAMES[s.key] || s.key : s.key) + "<extra>%{x|%Y-%m-%d}</extra>",
  }));
  // small counts get integer ticks (no "500m" half-events)
  const perBucket = {};
  for (const s of tl.series) s.x.forEach((x, i) => { perBucket[x] = (perBucket[x] || 0) + s.y[i]; });
  const peak = Math.max(0, ...Object.values(perBucket));
  const range = state.from || state.to ? [state.from || tl.min, state.to || tl.max] : undefined;
  const layout = {
    barmode: "stack", bargap: 0.05, margin: { l: 36, r: 8, t: 26, b: 24 }, height: 200,
    paper_bgcolor: "rgba(0,0,0,0)", plot_bgcolor: "rgba(0,0,0,0)",
    font: { family: "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif", size: 11, color: "#3c4650" },
    xaxis: { type: "date", range, autorange: !range, gridcolor: "#eef0f3", linecolor: "#c9ced6", showspikes: false },
    yaxis: { gridcolor: "#eef0f3", zeroline: false, fixedrange: true, rangemode: "tozero", tickformat: peak < 10 ? "d" : "~s", dtick: peak < 10 ? 1 : undefined },
    legend: { orientation: "h", x: 0, y: 1.02, yanchor: "bottom", font: { size: 10 }, itemclick: "toggleothers", itemdoubleclick: "toggle", traceorder: "normal", itemwidth: 30 },
    hovermode: "closest", dragmode: "zoom", showlegend: true,
  };
  const config = { displaylogo: false, responsive: true, modeBarButtonsToRemove: ["select2d", "lasso2d", "toImage", "autoScale2d"], scrollZoom: false };
  await Plotly.react(box, traces, layout, config);
  if (req !== tlRequest) return;
  if (!box.dataset.bound) {
    box.dataset.bound = "1";
    box.on("plotly_click", (ev) => onTimelineClick(ev, tl));
    box.on("plotly_relayout", onTimelineZoom);
  }
  box.dataset.bucket = tl.bucket;
  document.body.dataset.timeline = "ready";
  if (window.performance && performance.mark) performance.mark("timeline-rendered");
}

// Clicking a bar narrows the table to that period (and that type when colouring by type).
function onTimelineClick(ev) {
  const pt = ev.points && ev.points[0];
  if (!pt) return;
  const bucket = $("#timeline").dataset.bucket || "day";
  const start = new Date(pt.x + "T00:00:00Z");
  const end = new Date(start);
  if (bucket === "week") end.setUTCDate(end.getUTCDate() + 6);
  else if (bucket === "month") { end.setUTCMonth(end.getUTCMonth() + 1); end.setUTCDate(0); }
  const iso = (d) => d.toISOString().slice(0, 10);
  const changes = { from: iso(start), to: iso(end) };
  const key = pt.data.customdata && pt.data.customdata[0];
  if (!state.by && key && !state.type.includes(key)) changes.type = [...state.type, key];
  if (state.by === "quad" && key && !state.quad.includes(key)) changes.quad = [...state.quad, key];
  setFilter(changes, { keepTimeline: false });
}

// Zooming sets the date range filter; double-click (autorange) clears it.
const onTimelineZoom = debounce((ev) => {
  if (ev["xaxis.autorange"]) { if (state.from || state.to) setFilter({ from: "", to: "" }, { keepTimeline: true }); return; }
  const a = ev["xaxis.range[0]"] || (ev["xaxis.range"] && ev["xaxis.range"][0]);
  const b = ev["xaxis.range[1]"] || (ev["xaxis.range"] && ev["xaxis.range"][1]);
  if (!a || !b) return;
  const from = String(a).slice(0, 10), to = String(b).slice(0, 10);
  if (from !== state.from || to !== state.to) setFilter({ from, to }, { keepTimeline: true });
}, 250);

// ------------------------------------------------------------------ event table
function actorLabel(list) {
  if (!list || !list.length) return "—";
  return list.map((a) => a.name || a.text || a.id || "?").join(", ");
}

function statusBadge(status) {
  return el("span", { class: "badge st-" + status }, status);
}

function typeTag(t, q) {
  return el("span", { class: "type", title: QUAD_NAMES[q] || "" }, el("i", { style: "background:" + colorOfType(t) }), t || "?");
}

function dateLabel(e) {
  if (!e.date) return el("span", { class: "muted" }, "undated");
  return el("span", { title: e.date_precision ? "precision: " + e.date_precision : "" }, e.date + (e.enddate ? " → " + e.enddate : ""),
    e.date_precision && e.date_precision !== "day" ? el("span", { class: "prec" }, e.date_precision) : null);
}

async function loadEvents() {
  const req = ++evRequest;
  const p = filterParams();
  if (state.sort) p.set("sort", state.sort);
  if (state.offset) p.set("offset", state.offset);
  p.set("limit", String(PAGE));
  const tbody = $("#events tbody");
  tbody.classList.add("loading");
  let res;
  try { res = await api("events", p); } catch (e) {
    if (req !== evRequest) return;
    tbody.classList.remove("loading");
    setStatus(e.status === 422 ? "Invalid filter — " + e.message : "Could not load events: " + e.message, true);
    return;
  }
  if (req !== evRequest) return;
  setStatus("");
  eventRows = res.items;
  for (const e of res.items) for (const a of [...e.actor, ...e.recipient, ...e.mediator]) if (a.id) actorNames[a.id] = a.name || a.id;
  tbody.classList.remove("loading");
  tbody.replaceChildren(...res.items.map(eventRow));
  if (!res.items.length) {
    const msg = stats.events ? "No event matches these filters." : "The store has no events yet (" + fmt(stats.articles) + " articles stored; events appear once articles are coded).";
    tbody.append(el("tr", {}, el("td", { colspan: "6", class: "empty" }, msg)));
  }
  const first = res.total ? res.offset + 1 : 0;
  $("#count").textContent = fmt(first) + "–" + fmt(res.offset + res.items.length) + " of " + fmt(res.total);
  $("#prev").disabled = res.offset <= 0;
  $("#next").disabled = res.offset + res.items.length >= res.total;
  renderChips();
}

function eventRow(e) {
  const tr = el("tr", {
    tabindex: "0", dataset: { id: e.id }, class: e.id === state.event ? "sel" : "",
    onclick: () => selectEvent(e.id),
    onkeydown: (k) => { if (k.key === "Enter") selectEvent(e.id); },
  },
  el("td", { class: "c-date" }, dateLabel(e)),
  el("td", { class: "c-type" }, typeTag(e.event_type, e.quad_code), e.mode ? el("span", { class: "muted mode" }, e.mode) : null),
  el("td", { class: "c-actors" }, el("span", { class: "who" }, actorLabel(e.actor)), el("span", { class: "arrow" }, " → "),
    el("span", { class: "who" }, actorLabel(e.recipient)),
    e.mediator.length ? el("span", { class: "muted" }, " via " + actorLabel(e.mediator)) : null),
  el("td", { class: "c-place" }, e.place ? (e.place.name || "") + (e.place.country_code ? " · " + e.place.country_code : "") : "—"),
  el("td", { class: "c-status" }, statusBadge(e.status), e.has_conflict ? el("span", { class: "conflict", title: "sources disagree" }, "≠") : null),
  el("td", { class: "c-src num", title: fmt(e.n_mentions) + " mentions" }, fmt(e.corroboration)));
  return tr;
}

function page(dir) {
  const off = Math.max(0, (Number(state.offset) || 0) + dir * PAGE);
  state.offset = off ? String(off) : "";
  writeURL(true);
  loadEvents().then(() => $(".table-wrap").scrollTo(0, 0));
}

// ------------------------------------------------------------------ tabs
function showTab(tab, remember) {
  for (const b of document.querySelectorAll(".tabs button")) {
    b.classList.toggle("on", b.dataset.tab === tab);
    b.setAttribute("aria-selected", String(b.dataset.tab === tab));
  }
  for (const t of ["event", "article", "network"]) $("#panel-" + t).hidden = t !== tab;
  if (remember) { state.tab = tab === "network" && !state.event ? "" : tab; writeURL(false); }
  if (tab === "network") loadNetwork();
}

// ------------------------------------------------------------------ highlighting (DOM nodes, never HTML)
// Renders `text` into `node`, wrapping [start, end) spans (offsets relative to text) in <mark>; inside a
// mark, the first occurrence of the span's trigger word is emphasised. Overlapping spans are merged.
function renderHighlighted(node, text, spans) {
  const sorted = spans.filter((s) => s.start < s.end && s.start >= 0 && s.end <= text.length).sort((a, b) => a.start - b.start);
  let pos = 0;
  for (const s of sorted) {
    if (s.start < pos) continue;
    if (s.start > pos) node.append(document.createTextNode(text.slice(pos, s.start)));
    const mark = el("mark", { class: s.cls || "", dataset: s.data || {}, title: s.title || null, onclick: s.onclick || null });
    const seg = text.slice(s.start, s.end);
    const ti = s.trigger ? seg.toLowerCase().indexOf(s.trigger.toLowerCase()) : -1;
    if (ti >= 0) mark.append(seg.slice(0, ti), el("strong", { class: "trigger" }, seg.slice(ti, ti + s.trigger.length)), seg.slice(ti + s.trigger.length));
    else mark.append(seg);
    node.append(mark);
    pos = s.end;
  }
  if (pos < text.length) node.append(document.createTextNode(text.slice(pos)));
  return node;
}

// ------------------------------------------------------------------ event panel
async function selectEvent(id, push = true) {
  state.event = id;
  state.article = "";
  state.hl = "";
  state.tab = "";
  writeURL(push);
  for (const tr of document.querySelectorAll("#events tbody tr")) tr.classList.toggle("sel", tr.dataset.id === id);
  await loadEvent(id);
}

function actorLine(role, list) {
  if (!list || !list.length) return null;
  return el("div", { class: "kv" }, el("span", { class: "k" }, role),
    el("span", { class: "v" }, ...list.map((a) => el("span", { class: "actor" },
      a.id ? el("button", { type: "button", class: "link", title: "Filter by " + a.id, onclick: () => { if (!state.actor.includes(a.id)) toggle("actor", a.id); } }, a.name || a.id) : el("span", {}, a.name || a.text || "?"),
      a.person ? el("span", {}, " — " + a.person + (a.role ? ", " + a.role : "")) : null,
      el("span", { class: "codes" }, [a.country, a.sector].filter(Boolean).join(" ")),
      a.text && a.text !== a.name ? el("span", { class: "muted" }, " “" + a.text + "”") : null))));
}

function sizeLabel(size) {
  if (!size) return null;
  const parts = ["dead", "injured", "arrested"].filter((k) => size[k] !== null && size[k] !== undefined).map((k) => size[k] + " " + k);
  return parts.length ? parts.join(", ") : null;
}

async function loadEvent(id) {
  showTab("event");
  const panel = $("#panel-event");
  panel.replaceChildren(el("p", { class: "empty" }, "Loading…"));
  let e;
  try { e = await api("events/" + encodeURIComponent(id)); } catch (err) {
    panel.replaceChildren(el("p", { class: "empty error" }, err.status === 404 ? "No event with id " + id + "." : "Could not load event: " + err.message));
    return;
  }
  if (state.event !== id) return;
  const loc = e.event_loc || {};
  const place = [...new Set([loc.resolved_place || loc.extracted_place, loc.province, loc.country_code].filter(Boolean))].join(", ");
  const facts = el("div", { class: "facts" },
    el("div", { class: "kv" }, el("span", { class: "k" }, "date"), el("span", { class: "v" }, e.date || "undated", e.enddate ? " → " + e.enddate : "", e.date_precision ? el("span", { class: "muted" }, " (" + e.date_precision + ")") : null)),
    actorLine("actor", e.actor), actorLine("recipient", e.recipient), actorLine("mediator", e.mediator),
    el("div", { class: "kv" }, el("span", { class: "k" }, "place"), el("span", { class: "v" }, place || "—",
      loc.lat !== null && loc.lat !== undefined ? el("span", { class: "muted" }, " " + Number(loc.lat).toFixed(2) + ", " + Number(loc.lon).toFixed(2)) : null)),
    el("div", { class: "kv" }, el("span", { class: "k" }, "status"), el("span", { class: "v" }, statusBadge(e.status))),
    el("div", { class: "kv" }, el("span", { class: "k" }, "sources"), el("span", { class: "v" }, fmt(e.corroboration) + " independent · " + fmt(e.n_mentions) + " mentions",
      e.first_reported ? el("span", { class: "muted" }, " · first reported " + e.first_reported) : null)),
    sizeLabel(e.size) ? el("div", { class: "kv" }, el("span", { class: "k" }, "toll"), el("span", { class: "v" }, sizeLabel(e.size))) : null,
    e.context.length ? el("div", { class: "kv" }, el("span", { class: "k" }, "context"), el("span", { class: "v" }, e.context.join(", "))) : null,
  );
  const head = el("div", { class: "ev-head" },
    el("div", { class: "ev-title" }, typeTag(e.event_type, e.quad_code), e.mode ? el("span", { class: "mode" }, e.mode) : null,
      el("span", { class: "muted" }, QUAD_NAMES[e.quad_code] || "")),
    el("code", { class: "id", title: "event id" }, e.id));
  const parts = [head, facts];
  if (e.conflicts.length || e.has_conflict) {
    parts.push(el("div", { class: "alert" }, el("b", {}, "Sources disagree. "), e.conflicts.map((c) => (typeof c === "string" ? c : JSON.stringify(c))).join("; ")));
  }
  if (e.claims.length) {
    const src = Object.fromEntries(e.sources.map((s) => [s.id, s]));
    parts.push(el("h3", {}, "Claims"), el("table", { class: "claims" },
      el("thead", {}, el("tr", {}, el("th", {}, "Source"), el("th", {}, "Status"), el("th", {}, "Attribution"), el("th", {}, "Toll"))),
      el("tbody", {}, ...e.claims.map((c) => el("tr", {},
        el("td", {}, el("button", { type: "button", class: "link", onclick: () => openArticle(c.article_id, c.mention_id) }, (src[c.article_id] && src[c.article_id].title) || c.article_id)),
        el("td", {}, statusBadge(c.status || "asserted")), el("td", {}, c.attribution || "—"), el("td", {}, sizeLabel(c.size) || "—"))))));
  }
  parts.push(el("h3", {}, "Evidence in the sources"));
  for (const m of e.mentions) parts.push(mentionBlock(m));
  if (!e.mentions.length) parts.push(el("p", { class: "empty" }, "No mention rows found for this event."));
  panel.replaceChildren(...parts);
  panel.scrollTop = 0;
}

function mentionBlock(m) {
  const box = el("div", { class: "source", dataset: { mention: m.id } },
    el("div", { class: "src-head" },
      el("button", { type: "button", class: "link title", onclick: () => openArticle(m.article_id, m.id) }, m.article_title || m.article_id || "(no article)"),
      el("span", { class: "muted" }, m.article_published || "undated"),
      statusBadge(m.status)),
    m.attribution ? el("div", { class: "attrib" }, el("span", { class: "k" }, "according to "), m.attribution) : null,
    m.date_text ? el("div", { class: "muted small" }, "date from “" + m.date_text + "”" + (m.date ? " → " + m.date : "")) : null);
  for (const ev of m.evidence) {
    if (ev.context) {
      const rel = { start: ev.start - ev.context.start, end: ev.end - ev.context.start, trigger: ev.trigger, cls: "evidence st-" + m.status };
      box.append(renderHighlighted(el("blockquote", { class: "ctx" }), ev.context.text, [rel]));
    } else {
      box.append(el("blockquote", { class: "ctx" }, el("mark", { class: "evidence" }, ev.sentence || "")));
    }
    const meta = el("div", { class: "ev-meta muted small" }, "chars " + ev.start + "–" + ev.end, ev.trigger ? " · trigger “" + ev.trigger + "”" : "");
    if (!ev.offsets_match) meta.append(el("span", { class: "bad" }, " · offsets do not match the stored sentence"));
    box.append(meta);
  }
  return box;
}

// ------------------------------------------------------------------ article view
async function openArticle(id, mentionId) {
  state.article = id;
  state.hl = mentionId || "";
  state.tab = "article";
  writeURL(true);
  await loadArticle(id, mentionId);
}

async function loadArticle(id, mentionId) {
  showTab("article");
  const panel = $("#panel-article");
  panel.replaceChildren(el("p", { class: "empty" }, "Loading…"));
  let a;
  try { a = await api("articles/" + encodeURIComponent(id)); } catch (err) {
    panel.replaceChildren(el("p", { class: "empty error" }, err.status === 404 ? "No article with id " + id + "." : "Could not load article: " + err.message));
    return;
  }
  if (state.article !== id) return;
  const meta = el("div", { class: "facts" },
    el("div", { class: "kv" }, el("span", { class: "k" }, "id"), el("code", { class: "v" }, a.id)),
    a.uri ? el("div", { class: "kv" }, el("span", { class: "k" }, "uri"), el("span", { class: "v uri" }, a.uri)) : null,
    el("div", { class: "kv" }, el("span", { class: "k" }, "published"), el("span", { class: "v" }, a.published || "unknown",
      a.published_precision ? el("span", { class: "muted" }, " (" + a.published_precision + ")") : null,
      a.published_evidence ? el("span", { class: "muted" }, " from “" + a.published_evidence + "”") : null)),
    a.language ? el("div", { class: "kv" }, el("span", { class: "k" }, "language"), el("span", { class: "v" }, a.language)) : null,
    a.duplicate_of ? el("div", { class: "kv" }, el("span", { class: "k" }, "duplicate of"), el("button", { type: "button", class: "link v", onclick: () => openArticle(a.duplicate_of) }, a.duplicate_of)) : null,
    a.duplicates.length ? el("div", { class: "kv" }, el("span", { class: "k" }, "duplicates"), el("span", { class: "v" }, ...a.duplicates.map((d) => el("button", { type: "button", class: "link", onclick: () => openArticle(d) }, d + " ")))) : null,
    a.error ? el("div", { class: "kv" }, el("span", { class: "k" }, "error"), el("span", { class: "v bad" }, a.error)) : null);

  // dropped chrome lines: folded away by default, grouped reasons in the summary
  const reasons = {};
  for (const d of a.dropped_lines) reasons[d.reason || "?"] = (reasons[d.reason || "?"] || 0) + 1;
  const dropped = a.dropped_lines.length ? el("details", { class: "dropped" },
    el("summary", {}, fmt(a.dropped_lines.length) + " page-chrome lines removed by the cleaner",
      el("span", { class: "muted" }, " — " + Object.entries(reasons).map(([r, n]) => r + (n > 1 ? " ×" + n : "")).join(", "))),
    el("ol", {}, ...a.dropped_lines.map((d) => el("li", {}, el("span", { class: "ln" }, "line " + d.line_no), el("span", { class: "reason" }, d.reason || ""), el("span", { class: "dl" }, d.text || ""))))) : null;

  // body: every evidence span of every mention highlighted; the one we came from emphasised
  const spansByPara = [];
  const text = a.text || "";
  const paras = [];
  let off = 0;
  for (const line of text.split("\n")) { paras.push({ start: off, text: line }); off += line.length + 1; }
  for (const m of a.mentions) {
    for (const ev of m.evidence) {
      if (typeof ev.start !== "number") continue;
      spansByPara.push({ start: ev.start, end: ev.end, trigger: ev.trigger, cls: "evidence st-" + (m.status || "asserted") + (m.id === mentionId ? " focus" : ""),
        title: m.event_type + " · " + (m.status || "") + (m.attribution ? " · according to " + m.attribution : "") + " — click to open the event",
        data: { event: m.event_id || "" }, onclick: () => { if (m.event_id) selectEvent(m.event_id); } });
    }
  }
  const body = el("div", { class: "article-text" });
  for (const p of paras) {
    if (!p.text.trim()) continue;
    const spans = spansByPara.filter((s) => s.start >= p.start && s.end <= p.start + p.text.length)
      .map((s) => ({ ...s, start: s.start - p.start, end: s.end - p.start }));
    body.append(renderHighlighted(el("p", {}), p.text, spans));
  }
  const back = state.event ? el("button", { type: "button", class: "ghost small", onclick: () => { state.article = ""; state.hl = ""; writeURL(true); loadEvent(state.event); } }, "‹ back to event") : null;
  panel.replaceChildren(el("div", { class: "art-head" }, back, el("h3", { class: "art-title" }, a.title || "(no title)")), meta, dropped, body,
    el("p", { class: "muted small" }, fmt(a.mentions.length) + " event mentions in this article · " + fmt(text.length) + " characters"));
  const focus = panel.querySelector("mark.focus");
  if (focus) focus.scrollIntoView({ block: "center" }); else panel.scrollTop = 0;
}

// ------------------------------------------------------------------ actor network
// The server lays the network out (networkx; each connected part on its own, packed) and places the labels
// of the busiest actors clear of each other in a width x height drawing; the page draws it as SVG with that
// viewBox, so text scales with the drawing and labels that do not overlap there do not overlap here.
const SVGNS = "http://www.w3.org/2000/svg";
function svgEl(tag, attrs, ...children) {
  const node = document.createElementNS(SVGNS, tag);
  for (const [k, v] of Object.entries(attrs || {})) if (v !== null && v !== undefined) node.setAttribute(k, String(v));
  for (const c of children.flat()) if (c !== null && c !== undefined) node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return node;
}

function mixColor(conflictShare) {
  // blue (cooperation) to red (conflict)
  const a = [59, 111, 182], b = [192, 57, 43];
  const c = a.map((v, i) => Math.round(v + (b[i] - v) * conflictShare));
  return "rgb(" + c.join(",") + ")";
}

function edgeShape(s, t, n, maxN) {
  // a slight curve to the right of the direction, so a -> b and b -> a are two lines; arrowhead at 60%
  const dx = t.x - s.x, dy = t.y - s.y, len = Math.max(Math.hypot(dx, dy), 1e-6);
  const cx = (s.x + t.x) / 2 - (dy / len) * len * 0.12, cy = (s.y + t.y) / 2 + (dx / len) * len * 0.12;
  const at = 0.6, u = 1 - at;
  const px = u * u * s.x + 2 * u * at * cx + at * at * t.x, py = u * u * s.y + 2 * u * at * cy + at * at * t.y;
  const tx = 2 * u * (cx - s.x) + 2 * at * (t.x - cx), ty = 2 * u * (cy - s.y) + 2 * at * (t.y - cy);
  const tl = Math.max(Math.hypot(tx, ty), 1e-6), ux = tx / tl, uy = ty / tl;
  const h = 5 + 4 * Math.sqrt(n / maxN), w = h * 0.55;
  const head = [[px + ux * h / 2, py + uy * h / 2], [px - ux * h / 2 - uy * w, py - uy * h / 2 + ux * w], [px - ux * h / 2 + uy * w, py - uy * h / 2 - ux * w]];
  return { d: "M" + s.x + " " + s.y + " Q" + cx.toFixed(1) + " " + cy.toFixed(1) + " " + t.x + " " + t.y,
    head: head.map((p) => p[0].toFixed(1) + "," + p[1].toFixed(1)).join(" ") };
}

async function loadNetwork() {
  const box = $("#network");
  if ($("#panel-network").hidden) return;
  const req = ++netRequest;
  let net;
  const np = filterParams();
  np.set("limit", "50");
  np.set("edges", "120");
  np.set("labels", "20");
  try { net = await api("network", np); } catch (e) { box.replaceChildren(el("p", { class: "empty error" }, e.message)); return; }
  if (req !== netRequest) return;
  if (!net.nodes.length) { box.replaceChildren(el("p", { class: "empty" }, "No actor → recipient pairs in these events.")); return; }
  const byId = Object.fromEntries(net.nodes.map((d) => [d.id, d]));
  const name = (id) => (byId[id] && byId[id].name) || id;
  const maxN = Math.max(...net.edges.map((e) => e.n));
  const edges = svgEl("g", { class: "net-edges" }, [...net.edges].sort((a, b) => a.n - b.n).map((e) => {
    const shape = edgeShape(byId[e.src], byId[e.dst], e.n, maxN);
    const color = mixColor(e.n ? e.conflict / e.n : 0);
    return svgEl("g", { class: "net-edge", "data-src": e.src, "data-dst": e.dst },
      svgEl("title", {}, name(e.src) + " → " + name(e.dst) + "\n" + e.n + " events · " + e.coop + " cooperation · " + e.conflict + " conflict"),
      svgEl("path", { d: shape.d, fill: "none", stroke: color, "stroke-width": (0.6 + 4 * Math.sqrt(e.n / maxN)).toFixed(2), "stroke-opacity": (0.35 + 0.5 * Math.sqrt(e.n / maxN)).toFixed(2) }),
      svgEl("polygon", { points: shape.head, fill: color }));
  }));
  const nodes = svgEl("g", { class: "net-nodes" }, net.nodes.map((d) => svgEl("g", { class: "net-node", "data-id": d.id, tabindex: 0, role: "button" },
    svgEl("title", {}, (d.name || d.id) + " (" + d.id + ")\n" + [d.country, d.sector, d.kind].filter(Boolean).join(" · ") + "\n" + d.weight + " events in shown edges"),
    svgEl("circle", { cx: d.x, cy: d.y, r: d.r, class: state.actor.includes(d.id) ? "picked" : null }))));
  const labels = svgEl("g", { class: "net-labels" }, net.nodes.filter((d) => d.label).map((d) =>
    svgEl("text", { x: d.label.x, y: d.label.y, "text-anchor": d.label.anchor, "data-id": d.id }, d.label.text)));
  const svg = svgEl("svg", { viewBox: "0 0 " + net.width + " " + net.height, preserveAspectRatio: "xMidYMid meet", role: "img", "aria-label": "Actor network" }, edges, nodes, labels);
  svg.addEventListener("click", (ev) => {
    const g = ev.target.closest("[data-id]");
    if (g) toggle("actor", g.dataset.id);
  });
  svg.addEventListener("keydown", (ev) => {
    const g = ev.target.closest(".net-node");
    if (g && (ev.key === "Enter" || ev.key === " ")) { ev.preventDefault(); toggle("actor", g.dataset.id); }
  });
  const named = net.nodes.filter((d) => d.label).length;
  box.replaceChildren(svg, el("p", { class: "legend muted" }, "The " + fmt(net.nodes.length) + " busiest actors and their " + fmt(net.edges.length) +
    " heaviest edges; " + fmt(named) + " named (hover a node for its name)."));
}

// ------------------------------------------------------------------ boot
function refresh(opts = {}) {
  const jobs = [loadEvents()];
  if (opts.timeline) jobs.push(loadTimeline());
  if (!$("#panel-network").hidden) jobs.push(loadNetwork());
  return Promise.all(jobs);
}

function openFromState() {
  if (state.article) loadArticle(state.article, state.hl);
  else if (state.event) loadEvent(state.event);
  else showTab(state.tab === "network" ? "network" : "event");
}

async function boot() {
  try { stats = await api("stats"); } catch (e) { setStatus("Could not reach the store: " + e.message, true); return; }
  buildTypeColors();
  renderStats();
  initFilters();
  bindFilterBar();
  if (!state.event && !state.article && !state.tab) state.tab = "network";
  await Promise.all([loadTimeline(), loadEvents(), loadActorOptions()]);
  renderChips();
  openFromState();
}

boot();
