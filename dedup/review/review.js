// dedup review page: the article list, filters, the article view and keyboard navigation.
// Reads the data model (dedup/review/model.py) from #review-data; draws only what is on screen.
"use strict";
(function () {
  const data = JSON.parse(document.getElementById("review-data").textContent);
  const arts = data.articles;
  const PAGE = 200;
  const MAX_DIFF_CELLS = 4000000;
  const state = { kinds: new Set(data.kinds), min: 0, max: 10, changed: false, q: "",
                  visible: [], shown: 0, current: -1, removal: -1 };
  const $ = (id) => document.getElementById(id);

  function el(tag, attrs, ...kids) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === "class") node.className = v;
      else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
      else node.setAttribute(k, v);
    }
    for (const kid of kids) if (kid !== null && kid !== undefined) node.append(kid);
    return node;
  }
  const fmt = (n) => n.toLocaleString("en-US");
  const pct = (part, whole) => (whole ? (100 * part / whole).toFixed(1) : "0.0") + " %";
  const isChanged = (a) => a.r.changed || a.r.removed.length > 0 || a.r.joins.length > 0;

  function kindCounts(a) {
    const counts = {};
    for (const r of a.r.removed) counts[r.kind] = (counts[r.kind] || 0) + 1;
    return Object.entries(counts).map(([k, n]) => k + " " + n).join(", ") || "-";
  }

  // ------------------------------------------------------------------ filters and the list
  function passes(a) {
    if (state.q && !String(a.r.id).toLowerCase().includes(state.q)) return false;
    if (state.changed && !isChanged(a)) return false;
    const byKind = state.kinds.size < data.kinds.length;
    const byScore = state.min > 0 || state.max < 10;
    if (!byKind && !byScore) return true;
    return a.r.removed.some((r) => state.kinds.has(r.kind) && r.score >= state.min && r.score <= state.max);
  }

  function applyFilters() {
    state.visible = [];
    arts.forEach((a, i) => { if (passes(a)) state.visible.push(i); });
    state.shown = 0;
    $("list").tBodies[0].replaceChildren();
    showMore();
    $("count").textContent = fmt(state.visible.length) + " of " + fmt(arts.length) + " articles" +
      (data.sampled ? " (of the run's " + fmt(data.total) + ", see the corpus page)" : "");
    $("count").dataset.visible = String(state.visible.length);
  }

  function showMore() {
    const body = $("list").tBodies[0];
    const end = Math.min(state.visible.length, state.shown + PAGE);
    const rows = [];
    for (let k = state.shown; k < end; k++) {
      const i = state.visible[k];
      const a = arts[i];
      rows.push(el("tr", { "data-index": String(i), onclick: () => openArticle(i) },
        el("td", {}, String(a.n)), el("td", {}, el("a", { href: "#a" + a.n }, String(a.r.id))),
        el("td", {}, String(a.r.paragraphs)), el("td", {}, kindCounts(a)),
        el("td", {}, fmt(a.x) + " (" + pct(a.x, a.t.length) + ")"),
        el("td", {}, String(a.r.joins.length)), el("td", {}, String(a.r.flags.length))));
    }
    body.append(...rows);
    state.shown = end;
    $("more").hidden = state.shown >= state.visible.length;
  }

  function buildFilters() {
    const box = $("kinds");
    for (const kind of data.kinds) {
      const input = el("input", { type: "checkbox", value: kind, checked: "" });
      input.addEventListener("change", () => {
        if (input.checked) state.kinds.add(kind); else state.kinds.delete(kind);
        applyFilters();
      });
      box.append(el("label", {}, input, " ", el("span", { class: "tag k-" + kind }, kind)));
    }
    const number = (id, key, fallback) => $(id).addEventListener("input", (e) => {
      const v = parseFloat(e.target.value);
      state[key] = Number.isFinite(v) ? v : fallback;
      applyFilters();
    });
    number("score-min", "min", 0);
    number("score-max", "max", 10);
    $("changed-only").addEventListener("change", (e) => { state.changed = e.target.checked; applyFilters(); });
    $("search").addEventListener("input", (e) => { state.q = e.target.value.trim().toLowerCase(); applyFilters(); });
    $("more").addEventListener("click", showMore);
  }

  // ------------------------------------------------------------------ the article text, marked
  function itemsOf(a) {
    const items = [];
    a.r.removed.forEach((r, i) => items.push({ s: r.start, e: r.end, type: "rm", i, r }));
    a.r.joins.forEach((j, i) => items.push({ s: j.start, e: j.end, type: "join", i, r: j }));
    a.r.flags.forEach((f, i) => items.push({ s: f.start, e: f.end, type: "flag", i, r: f }));
    return items;
  }

  function label(item) {
    const r = item.r;
    if (item.type === "rm") {
      return el("button", { type: "button", class: "label tag k-" + r.kind, "data-rm": String(item.i),
        title: "show the surviving copy" }, r.kind + " ¶" + r.paragraph + " " + r.score.toFixed(2));
    }
    if (item.type === "join") {
      return el("span", { class: "join-mark", title: r.evidence.join("; ") },
        "⟨join ¶" + r.head + "+¶" + r.tail + ": " + r.evidence.join("; ") + "⟩");
    }
    return el("span", { class: "flag-mark", title: r.note }, "⚑ " + r.kind + ": " + r.note);
  }

  function markedText(a) {
    const t = a.t;
    const items = itemsOf(a);
    const cuts = new Set([0, t.length]);
    for (const x of items) { cuts.add(x.s); cuts.add(x.e); }
    const points = [...cuts].filter((p) => p >= 0 && p <= t.length).sort((x, y) => x - y);
    const out = el("div", { class: "text", lang: "zh" });
    for (let k = 0; k < points.length; k++) {
      const p = points[k];
      for (const x of items) if (x.s === p) out.append(label(x));
      if (k === points.length - 1) break;
      const q = points[k + 1];
      let node = document.createTextNode(t.slice(p, q));
      for (const x of items) {
        if (x.s > p || x.e < q || x.e === x.s) continue;
        if (x.type === "rm") {
          node = el("del", { class: "rm k-" + x.r.kind, "data-rm": String(x.i), title: x.r.kind + " (removed)" }, node);
        } else if (x.type === "join") {
          node = el("span", { class: "join-gap", title: "join: removed between the halves" }, node);
        } else {
          node = el("mark", { class: "flag", title: x.r.note }, node);
        }
      }
      out.append(node);
    }
    out.addEventListener("click", (e) => {
      const hit = e.target.closest("[data-rm]");
      if (hit) showRemoval(Number(hit.dataset.rm));
    });
    return out;
  }

  // ------------------------------------------------------------------ differing characters
  function differing(x, y) {
    const n = x.length, m = y.length;
    const dx = new Uint8Array(n).fill(1), dy = new Uint8Array(m).fill(1);
    let pre = 0;
    while (pre < n && pre < m && x[pre] === y[pre]) { dx[pre] = 0; dy[pre] = 0; pre++; }
    let suf = 0;
    while (suf < n - pre && suf < m - pre && x[n - 1 - suf] === y[m - 1 - suf]) { dx[n - 1 - suf] = 0; dy[m - 1 - suf] = 0; suf++; }
    const a = x.slice(pre, n - suf), b = y.slice(pre, m - suf);
    if (!a.length || !b.length || (a.length + 1) * (b.length + 1) > MAX_DIFF_CELLS) return [dx, dy];
    const w = b.length + 1;
    const L = new Uint16Array((a.length + 1) * w);
    for (let i = a.length - 1; i >= 0; i--) {
      for (let j = b.length - 1; j >= 0; j--) {
        L[i * w + j] = a[i] === b[j] ? L[(i + 1) * w + j + 1] + 1 : Math.max(L[(i + 1) * w + j], L[i * w + j + 1]);
      }
    }
    let i = 0, j = 0;
    while (i < a.length && j < b.length) {
      if (a[i] === b[j]) { dx[pre + i] = 0; dy[pre + j] = 0; i++; j++; }
      else if (L[(i + 1) * w + j] >= L[i * w + j + 1]) i++;
      else j++;
    }
    return [dx, dy];
  }

  function withDiff(text, marks, from) {
    const frag = document.createDocumentFragment();
    let k = 0;
    while (k < text.length) {
      const d = marks[from + k];
      let e = k;
      while (e < text.length && marks[from + e] === d) e++;
      frag.append(d ? el("mark", { class: "diff", title: "differs" }, text.slice(k, e)) : text.slice(k, e));
      k = e;
    }
    return frag;
  }

  // ------------------------------------------------------------------ a removal and its surviving copy
  function byId(id) {
    for (let i = 0; i < arts.length; i++) if (String(arts[i].r.id) === String(id)) return i;
    return -1;
  }

  function reportLine(a, i) {
    const where = data.report ? "line " + a.n + " of " + data.report : "report line " + a.n;
    const box = el("div", { class: "report-line" });
    const toggle = el("button", { type: "button", class: "report-link", "data-line": String(a.n) }, where);
    toggle.addEventListener("click", () => {
      if (box.querySelector("pre")) { box.querySelector("pre").remove(); return; }
      box.append(el("pre", { class: "line" }, JSON.stringify(a.r)));
    });
    box.append(toggle, " (removed[" + i + "])");
    if (data.report) box.append(" · ", el("a", { href: data.report, target: "_blank" }, "open the report"));
    return box;
  }

  function showRemoval(i) {
    const a = arts[state.current];
    const r = a.r.removed[i];
    state.removal = i;
    document.querySelectorAll("del.rm.selected").forEach((n) => n.classList.remove("selected"));
    document.querySelectorAll('del.rm[data-rm="' + i + '"]').forEach((n) => n.classList.add("selected"));
    const removed = a.t.slice(r.start, r.end);
    const copy = (c) => (c >= 0 ? data.copies[c] : c === -2 ? removed : null);  // -2: the same text
    const pieces = r.matches.map((m, k) => ({ m, text: copy(a.c[i][k]) }));
    // the pieces of a splice in the order they appear in the removed text (where that can be told)
    const at = (p) => { const k = p.text ? removed.indexOf(p.text.slice(0, 8)) : -1; return k < 0 ? 1e9 : k; };
    pieces.sort((p, q) => at(p) - at(q));
    const joined = pieces.map((p) => p.text || "").join("");
    const [dx, dy] = differing(removed, joined);
    const right = el("div", { class: "side copy", lang: "zh" });
    let offset = 0;
    for (const p of pieces) {
      const other = byId(p.m.id);
      const where = el("h4", {}, "article ", other >= 0 && other !== state.current
        ? el("a", { href: "#a" + arts[other].n, class: "copy-link" }, String(p.m.id)) : String(p.m.id),
        " ¶" + p.m.paragraph + " [" + p.m.start + "–" + p.m.end + "]");
      const body = p.text === null ? el("em", {}, "(text not available)") : withDiff(p.text, dy, offset);
      right.append(el("div", { class: "piece" }, where, body));
      offset += (p.text || "").length;
    }
    const panel = $("detail");
    panel.replaceChildren(
      el("h3", {}, el("span", { class: "tag k-" + r.kind }, r.kind), " ¶" + r.paragraph + " · score " + r.score.toFixed(3)),
      el("div", { class: "pair" },
        el("div", {}, el("h4", {}, "removed here [" + r.start + "–" + r.end + "]"),
          el("div", { class: "side removed", lang: "zh" }, withDiff(removed, dx, 0))),
        el("div", {}, el("h4", {}, "surviving copy" + (pieces.length > 1 ? " (" + pieces.length + " pieces)" : "")), right)),
      el("p", { class: "hint" }, "Highlighted: characters that differ between the two."),
      reportLine(a, i));
  }

  // ------------------------------------------------------------------ the article view
  function findingsTable(a) {
    const rows = a.r.removed.map((r, i) => el("tr", {},
      el("td", {}, el("button", { type: "button", class: "label tag k-" + r.kind, "data-rm": String(i) }, r.kind)),
      el("td", {}, "¶" + r.paragraph), el("td", {}, r.score.toFixed(3)),
      el("td", {}, r.matches.map((m) => (m.id === a.r.id ? "" : m.id + " ") + "¶" + m.paragraph).join("; "))));
    const table = el("table", { class: "findings" },
      el("caption", {}, "Removals (" + a.r.removed.length + ")"),
      el("tr", {}, el("th", {}, "kind"), el("th", {}, "¶"), el("th", {}, "score"), el("th", {}, "repeats")), ...rows);
    table.addEventListener("click", (e) => {
      const hit = e.target.closest("[data-rm]");
      if (hit) showRemoval(Number(hit.dataset.rm));
    });
    const joins = a.r.joins.map((j) => el("li", {}, "¶" + j.head + "+¶" + j.tail + " (" + j.score.toFixed(2) + "): " + j.evidence.join("; ")));
    const flags = a.r.flags.map((f) => el("li", {}, "¶" + f.paragraph + " " + f.kind + ": " + f.note));
    return el("div", {}, table,
      el("h3", {}, "Joins (" + joins.length + ")"), el("ul", {}, ...joins),
      el("h3", {}, "Flags (" + flags.length + ")"), el("ul", {}, ...flags));
  }

  function openArticle(i) {
    if (i < 0 || i >= arts.length) return;
    const a = arts[i];
    if (location.hash !== "#a" + a.n) history.replaceState(null, "", "#a" + a.n);
    state.current = i;
    state.removal = -1;
    const pos = state.visible.indexOf(i);
    const near = a.r.near_copy_of;
    const view = $("article");
    view.replaceChildren(...[
      el("div", { class: "view-head" },
        el("button", { type: "button", id: "back", onclick: closeArticle }, "← list"),
        el("button", { type: "button", id: "prev", onclick: () => step(-1) }, "previous (k)"),
        el("button", { type: "button", id: "next", onclick: () => step(1) }, "next (j)"),
        el("h2", { id: "article-id" }, String(a.r.id)),
        el("span", {}, (pos >= 0 ? "article " + (pos + 1) + " of " + state.visible.length + " listed · " : "") +
          "report line " + a.n + " · " + a.r.paragraphs + " ¶ · layout " + a.r.layout + " · " +
          fmt(a.x) + " of " + fmt(a.t.length) + " characters removed (" + pct(a.x, a.t.length) + ")")),
      near ? el("p", { class: "banner" }, "Near-copy of " + near.id + " (similarity " + near.similarity.toFixed(2) +
        "): " + { drop: "dropped whole", strip: "its repeats removed", keep: "kept whole" }[near.action]) : null,
      el("div", { class: "view" }, el("div", {}, markedText(a), findingsTable(a)),
        el("aside", { id: "detail" }, el("p", { class: "hint" },
          a.r.removed.length ? "Click a removal to see the copy that survives." : "Nothing removed from this article.")))
    ].filter((node) => node !== null));
    $("articles").hidden = true;
    view.hidden = false;
    document.querySelectorAll("#list tr.current").forEach((n) => n.classList.remove("current"));
    window.scrollTo(0, view.offsetTop - 50);
  }

  function closeArticle() {
    $("article").hidden = true;
    $("articles").hidden = false;
    const row = document.querySelector('#list tr[data-index="' + state.current + '"]');
    if (row) { row.classList.add("current"); row.scrollIntoView({ block: "center" }); }
    history.replaceState(null, "", "#list");
  }

  // next / previous changed article among those the filters list
  function step(direction) {
    const changed = state.visible.filter((i) => isChanged(arts[i]));
    if (!changed.length) { toast("No changed article is listed."); return; }
    let k;
    if (state.current < 0 || $("article").hidden) {
      k = direction > 0 ? 0 : changed.length - 1;
    } else {
      k = direction > 0 ? changed.findIndex((i) => i > state.current) : changed.findLastIndex((i) => i < state.current);
      if (k < 0) { toast(direction > 0 ? "This is the last changed article listed." : "This is the first changed article listed."); return; }
    }
    openArticle(changed[k]);
  }

  function toast(message) {
    const note = el("div", { class: "toast", role: "status" }, message);
    document.body.append(note);
    setTimeout(() => note.remove(), 2500);
  }

  function onKey(e) {
    if (e.target.closest && e.target.closest("input, textarea, select")) return;
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    if (e.key === "j" || e.key === "ArrowRight") { step(1); e.preventDefault(); }
    else if (e.key === "k" || e.key === "ArrowLeft") { step(-1); e.preventDefault(); }
    else if (e.key === "Escape" && !$("article").hidden) closeArticle();
  }

  function fromHash() {
    const m = /^#a(\d+)$/.exec(location.hash);
    if (!m) return;
    const i = arts.findIndex((a) => a.n === Number(m[1]));
    if (i >= 0 && i === state.current && !$("article").hidden) return;
    if (i >= 0) openArticle(i);
    else toast("Article of report line " + m[1] + " is not in this review (sampled out).");
  }

  document.addEventListener("click", (e) => {
    const link = e.target.closest("a.goto");
    if (!link) return;
    e.preventDefault();
    const i = byId(link.dataset.id);
    if (i >= 0) openArticle(i); else toast(link.dataset.id + " is not among the articles shown in full.");
  });
  document.addEventListener("keydown", onKey);
  window.addEventListener("hashchange", fromHash);
  $("nav-articles").addEventListener("click", () => { if (!$("article").hidden) closeArticle(); });
  $("nav-corpus").addEventListener("click", () => { if (!$("article").hidden) closeArticle(); });
  buildFilters();
  applyFilters();
  fromHash();
  document.documentElement.dataset.ready = "1";
  window.reviewReadyMs = performance.now();
})();
