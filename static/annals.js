// annals: progressive enhancement, no dependencies; every page works without it.
// It starts in a task of its own: run where a deferred script runs, at the end of parsing,
// its work would lengthen the parser's last task, which on a long timeline is already near
// the 50 ms of a long task.
setTimeout(() => {
  "use strict";
  const d = document, W = window, FILE = location.protocol === "file:";
  const $ = (s, el) => (el || d).querySelector(s), $$ = (s, el) => [...(el || d).querySelectorAll(s)];
  const esc = s => String(s).replace(/[&<>"]/g, c => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);
  const norm = s => String(s).toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/[\u2018\u2019]/g, "'");
  // The theme's words in the page's language (i18n/LANG.yaml), with CLDR plural rules.
  const wordsEl = $("#annals-words"), WORDS = wordsEl ? JSON.parse(wordsEl.textContent) : {};
  const plural = new Intl.PluralRules(WORDS.lang || "en");
  const fmt = n => n.toLocaleString(WORDS.digits ? "ar-EG" : "en");
  const tr = (key, vars = {}) => {
    let w = WORDS[key];
    if (w && typeof w === "object") w = w[plural.select(vars.n)] || w.other || "";
    return String(w === undefined ? key : w).replace(/\{(\w+)\}/g, (m, k) => k in vars ? (typeof vars[k] === "number" ? fmt(vars[k]) : vars[k]) : m);
  };
  // The map panel's own script and style are fetched when it is first opened.
  const mp = $("#map-panel");
  if (mp) mp.addEventListener("toggle", () => {
    if (!mp.open || mp.dataset.on) return;
    mp.dataset.on = "1";
    const css = d.createElement("link"), js = d.createElement("script");
    css.rel = "stylesheet"; css.href = mp.dataset.css; js.src = mp.dataset.js;
    d.head.append(css, js);
  });

  // Content warnings hide a summary in a <details> until opened; "reveal all" is remembered.
  let S = null;
  try { S = W.localStorage; } catch (_) { /* storage refused: this page only */ }
  const cwAll = () => !!S && S.annalsCw === "1";
  // "Reveal all": the page carries the button where a warning is, so that
  // nothing moves when the script starts; a theme whose base.html has none
  // gets one made.
  if ($("details.cw")) {
    let b = $("main > .cw-all");
    if (!b) {
      b = d.createElement("button");
      b.type = "button"; b.className = "btn btn-quiet cw-all"; b.textContent = tr("cw_all");
      $("main").prepend(b);
    }
    const set = on => { $$("details.cw").forEach(x => { x.open = on; }); b.setAttribute("aria-pressed", on); };
    b.onclick = () => { const on = !cwAll(); try { if (on) S.annalsCw = "1"; else delete S.annalsCw; } catch (_) { /* as above */ } set(on); };
    set(cwAll());
  }

  // From disk, a link to a folder opens a listing: point it at index.html.
  const indexed = h => {
    if (!h || /^[a-z][a-z0-9+.-]*:|^#/i.test(h)) return h;
    const cut = h.search(/[?#]|$/), path = h.slice(0, cut);
    return path === "" || path.endsWith("/") ? path + "index.html" + h.slice(cut) : h;
  };
  // `?embed`: the page shown inside another site's frame, without its
  // header and footer, its links opening the full site in a new tab.
  if (new URLSearchParams(location.search).has("embed")) {
    d.documentElement.classList.add("is-embed");
    const base = d.createElement("base");
    base.target = "_blank";
    d.head.appendChild(base);
  }
  if (FILE) {
    for (const t of ["click", "auxclick", "contextmenu"]) d.addEventListener(t, e => {
      const a = e.target.closest && e.target.closest("a[href]");
      if (a) a.setAttribute("href", indexed(a.getAttribute("href")));
    }, true);
    $$("form[action]").forEach(f => f.setAttribute("action", indexed(f.getAttribute("action"))));
  }

  // Far months start as `content-visibility: auto` (`lazy`), then are laid out one by one in
  // idle periods, so that the page's height and tools come to cover it all: first those a
  // little above the reader, then from the top. One the browser lays out itself as the reader
  // scrolls up to it may move the view (Chromium does not hold it in place), one laid out
  // here does not.
  let lazy = null;
  const loaded = f => d.readyState === "complete" ? f() : W.addEventListener("load", f);
  const idle = W.requestIdleCallback || (f => setTimeout(() => { const end = performance.now() + 40; f({ timeRemaining: () => end - performance.now() }); }, 50));
  const layOut = deadline => {
    lazy = lazy || $$(".lazy");
    // One or more per call; one above the reader keeps the view in place.
    while (lazy.length) {
      // The nearest still waiting above the view, if it is near; else the first.
      let lo = 0, hi = lazy.length;
      while (lo < hi) { const mid = (lo + hi) >> 1; if (lazy[mid].getBoundingClientRect().bottom < 0) lo = mid + 1; else hi = mid; }
      const i = lo > 0 && lazy[lo - 1].getBoundingClientRect().bottom > -3 * innerHeight ? lo - 1 : 0;
      const m = lazy.splice(i, 1)[0], ref = m.getBoundingClientRect().top < 0 && d.elementFromPoint(innerWidth / 2, innerHeight / 2);
      const y = ref && ref.getBoundingClientRect().top;
      m.classList.remove("lazy");
      if (ref) W.scrollBy(0, ref.getBoundingClientRect().top - y);
      else void d.body.offsetHeight;
      if (deadline.timeRemaining() < 30) break;
    }
    if (lazy.length) idle(layOut);
  };
  loaded(() => idle(layOut));
  // A jump over months not yet laid out lands where their estimated heights put its target,
  // which then moves as the months near it are laid out. For half a second, unless the
  // reader scrolls, each frame puts the target back `at` pixels from the top.
  // One hold at a time: a new jump ends the last one's.
  let settling = 0, frame = 0;
  const settle = (t, at) => {
    cancelAnimationFrame(frame);
    settling = 30;
    const step = () => {
      if (settling-- <= 0) return;
      const off = t.getBoundingClientRect().top - at;
      if (Math.abs(off) > 1) W.scrollBy(0, off);
      frame = requestAnimationFrame(step);
    };
    frame = requestAnimationFrame(step);
  };
  const realign = () => {
    const t = location.hash && d.getElementById(location.hash.slice(1));
    if (t && $(".lazy")) settle(t, parseFloat(getComputedStyle(t).scrollMarginTop) || 0);
  };
  W.addEventListener("hashchange", realign);
  // A link to the anchor already in the address jumps again, without a hashchange.
  d.addEventListener("click", e => { const a = e.target.closest && e.target.closest("a[href*='#']"); if (a && a.hash && a.hash === location.hash) realign(); });
  // A reload or a return gives back the old scroll offset, which the same estimates make
  // wrong: the month that was being read (kept for the tab) is put back instead.
  const at = () => "annals-at " + location.pathname + location.search;
  loaded(() => {
    const n = performance.getEntriesByType("navigation")[0];
    if (!n || n.type === "navigate") return realign();
    let kept = null;
    try { kept = JSON.parse(sessionStorage.getItem(at())); } catch (_) { /* no storage */ }
    const m = kept && d.getElementById(kept[0]);
    if (m && m.getClientRects().length) settle(m, kept[1]);
  });
  for (const e of ["wheel", "touchstart", "keydown", "mousedown"]) W.addEventListener(e, () => { settling = 0; }, { passive: true });

  // The context bar and jump navigation follow the reader.
  const bar = $(".context-bar"), chronicle = $("#chronicle");
  if (bar && chronicle) {
    // Gathered at the first reading.
    let months = null, eras, links, here = [], ticking = false, lastKey = "";
    const gather = () => {
      months = $$(".month", chronicle);
      eras = $$(".era-band,.era-cont", chronicle);
      links = {};
      $$(".jy-m a").forEach(a => { links[a.dataset.anchor] = a; });
    };
    const last = (list, y) => {
      let lo = 0, hi = list.length - 1, found = -1;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        if (list[mid].getBoundingClientRect().top <= y) { found = mid; lo = mid + 1; } else hi = mid - 1;
      }
      return found;
    };
    const spy = () => {
      ticking = false;
      if (!months) gather();
      if (chronicle.hidden || !months.length) return;
      const y = bar.getBoundingClientRect().bottom + 8;
      bar.classList.toggle("is-on", months[0].getBoundingClientRect().top < y - 40);
      const m = months[Math.max(last(months, y), 0)], era = eras[last(eras, y)], id = era ? era.dataset.id : "";
      if (m.id + "|" + id === lastKey) return;
      lastKey = m.id + "|" + id;
      $(".cb-when", bar).textContent = $(".month-h", m).firstChild.textContent.trim();
      $(".cb-era", bar).textContent = era ? `${era.dataset.era} (${era.dataset.when})` : "";
      here.forEach(el => { el.classList.remove("is-here"); el.removeAttribute("aria-current"); });
      const link = links[m.id], year = link ? link.closest(".jy") : $(`.jy[data-year="${m.id.slice(1, 5)}"]`);
      here = [link, year, era && $(`.era-card[data-era-id="${id}"]`)].filter(Boolean);
      here.forEach(el => el.classList.add("is-here"));
      if (link) link.setAttribute("aria-current", "location");
    };
    const onScroll = () => { if (!ticking) { ticking = true; requestAnimationFrame(spy); } };
    W.addEventListener("pagehide", () => {
      if (!months) gather();
      const m = !chronicle.hidden && months[last(months, 0)];
      try { m ? sessionStorage.setItem(at(), JSON.stringify([m.id, m.getBoundingClientRect().top])) : sessionStorage.removeItem(at()); } catch (_) { /* no storage */ }
    });
    W.addEventListener("scroll", onScroll, { passive: true });
    W.addEventListener("resize", onScroll, { passive: true });
    // At the top nothing has passed the bar: only a page opened scrolled or at an anchor
    // is read, once loaded.
    if (W.scrollY || location.hash) loaded(onScroll);
  }

  const form = $("#finder");
  if (!form) return;

  // The finder: search and filters over the whole chronology.
  const root = form.dataset.root || "./", total = +form.dataset.total || 0, el = form.elements;
  const layout = $(".tl"), status = $("#f-status"), results = $("#results"), list = $("#results-list"), more = $("#results-more");
  const KEYS = ["q", "status", "kind", "figure", "tag", "actor", "place", "from", "to"], TABLES = { figure: "kinds", tag: "tags", actor: "actors", place: "places" };
  const MONTHS = WORDS.months || "January February March April May June July August September October November December".split(" ");
  const pageOrder = form.dataset.order || "oldest", reset = $("#f-reset");
  // The closed "More filters" fields (costly to lay out) wait in a template until needed.
  const grid = $("#f-grid-t"), addGrid = () => grid && grid.isConnected && grid.replaceWith(grid.content);
  const COLS = ["id", "kind", "title", "when", "start", "end", "track", "importance", "status", "tags", "actors", "places", "era", "summary", "kinds", "figures", "content_warning"];
  // Results shown at a time: each may need a shard of rows of its own.
  const BATCH = 30;
  let idx = null, K = {}, loading = false, waiting = [], typing = false, timer = 0, gen = 0;
  let matches = null, perTrack = null, notes = [], said = "", shown = 0, lastY, lastM, terms = [], re = null;

  // `search-index.js` is a small manifest; annals-search.js reads the shards of the index
  // under search/ that a query needs (docs/templates.md, "The search index"). Both are
  // scripts, not fetched JSON, so that they load from file:// too.
  const load = cb => {
    if (idx) return cb && cb();
    if (cb) waiting.push(cb);
    if (loading) return;
    loading = true;
    const fail = () => { loading = false; status.textContent = tr("index_failed"); };
    const script = (src, then) => { const s = d.createElement("script"); s.src = src; s.onerror = fail; s.onload = then; d.head.appendChild(s); };
    script(root + "search-index.js", () => {
      if (!W.annalsIndex) return fail();
      script(form.dataset.engine || root + "annals-search.js", () => {
        if (!W.annalsSearch || prepare(W.annalsIndex) === false) return;
        const w = waiting;
        waiting = [];
        w.forEach(f => f());
      });
    });
  };
  const words = text => norm(text).split(/[^\p{Alphabetic}\p{N}]+/u).filter(Boolean);
  // The facets' tables (tags, actors, places, kinds of figures, with their counts), for the
  // selects and for reading slugs from the URL: loaded when the filters are opened or used.
  const facets = () => idx.engine.facets().then(data => {
    if (!idx.slugs.tags) {
      for (const t of ["kinds", "tags", "actors", "places"]) {
        idx.slugs[t] = {};
        data[t].forEach((row, i) => { idx.slugs[t][row[0]] = i; });
      }
      addGrid();
      const url = readURL();
      for (const [name, t] of Object.entries(TABLES)) {
        const sel = el[name], rows = data[t].map(r => [r[1], r[0], r[2]]).sort((a, b) => a[0].localeCompare(b[0]));
        sel.innerHTML = sel.options[0].outerHTML + rows.map(r => `<option value="${esc(r[1])}">${esc(r[0])} (${r[2]})</option>`).join("");
        sel.value = url[name];
      }
    }
    return data;
  });

  // Each cell of an entry row is read by its name in the index's `cols`:
  // an index whose columns this script does not know is refused, not misread.
  const prepare = data => {
    K = {};
    (data.cols || []).forEach((name, i) => { K[name] = i; });
    const missing = COLS.filter(name => K[name] === undefined);
    if (missing.length) {
      status.textContent = tr("index_stale", { columns: missing.join(", ") });
      return false;
    }
    const slugs = { tracks: {} };
    data.tracks.forEach((row, i) => { slugs.tracks[row[0]] = i; });
    idx = { d: data, slugs, engine: W.annalsSearch(root, data) };
  };

  // The state is a query string: the form's non-empty fields, in form order.
  const state = p => {
    const st = { track: p.getAll("track"), major: p.get("major") === "1" };
    KEYS.forEach(k => { st[k] = (p.get(k) || "").trim(); });
    st.order = p.get("order") === "newest" || p.get("order") === "oldest" ? p.get("order") : pageOrder;
    return st;
  };
  const readURL = () => state(new URLSearchParams(location.search));
  const params = () => {
    const p = new URLSearchParams();
    for (const [k, v] of new FormData(form)) if (v.trim()) p.append(k, v.trim());
    return p;
  };
  const readForm = () => state(params());
  const writeForm = st => {
    if (KEYS.slice(1).some(k => st[k])) { addGrid(); $("#f-more").open = true; }
    KEYS.forEach(k => {
      let v = st[k];
      // A date input takes days; "2022" or "2022-03" from a URL become their first or last day.
      if (/^\d{4}(-\d\d)?$/.test(v)) v = k === "from" ? (v + "-01-01").slice(0, 10) : k === "to" ? (v.length === 4 ? v + "-12-31" : v + "-" + new Date(+v.slice(0, 4), +v.slice(5), 0).getDate()) : v;
      // Only changed fields are written (a date field rebuilds itself).
      if (el[k] && el[k].value !== v) el[k].value = v;
    });
    if (el.major.checked !== st.major) el.major.checked = st.major;
    if (el.order) el.order.value = st.order === pageOrder ? "" : st.order;
    $$('[name="track"]', form).forEach(c => { const on = st.track.includes(c.value); if (c.checked !== on) c.checked = on; });
  };
  const active = st => !!(st.track.length || st.major || KEYS.some(k => st[k]));

  // A new history entry for each change, except while typing one query.
  const update = fromTyping => {
    const p = params(), qs = p.toString(), st = state(p);
    if (qs !== location.search.slice(1)) {
      const url = location.pathname + (qs ? "?" + qs : "");
      try { history[fromTyping && typing ? "replaceState" : "pushState"](null, "", url); } catch (_) { /* some file:// pages refuse */ }
    }
    typing = !!fromTyping;
    render(st);
  };

  // The chronicle shown in the reader's order: years, months and entries reversed in place.
  let shownOrder = pageOrder;
  const applyOrder = st => {
    if (reset) reset.hidden = !active(st) && st.order === pageOrder;
    if (st.order === shownOrder) return;
    shownOrder = st.order;
    const flip = (parent, sel) => { if (parent) $$(sel, parent).filter(n => n.parentNode === parent).reverse().forEach(n => parent.appendChild(n)); };
    const tl = $("#chronicle .timeline");
    flip(tl, ":scope > .year");
    $$(".year", tl || d).forEach(y => flip(y, ":scope > .month"));
    $$(".entries", tl || d).forEach(o => flip(o, ":scope > li"));
    d.documentElement.dataset.order = st.order;
  };

  const render = st => {
    applyOrder(st);
    if (active(st)) {
      if (!idx) status.textContent = tr("loading");
      // A filter on a facet waits for its select's options (they hold the URL's value).
      const go = () => compute(readForm());
      return load(() => st.figure || st.tag || st.actor || st.place ? facets().then(go, go) : go());
    }
    gen++;
    results.hidden = true;
    chronicle.hidden = false;
    layout.classList.remove("is-filtering");
    status.textContent = tr("idle", { n: total });
    trackCounts(null);
    W.dispatchEvent(new Event("scroll"));
  };

  const dayKey = (v, end) => {
    const m = /^(\d{4})(?:-(\d\d))?(?:-(\d\d))?$/.exec(v);
    return m ? +m[1] * 10000 + (m[2] ? +m[2] : end ? 12 : 0) * 100 + (m[3] ? +m[3] : end ? 31 : 0) : end ? 99999999 : 0;
  };

  const compute = async st => {
    const my = ++gen, x = idx.d, problems = [];
    if (st.figure || st.tag || st.actor || st.place) {
      try { await facets(); } catch (_) { status.textContent = tr("index_failed"); return; }
    }
    if (my !== gen) return;
    const s = idx.slugs;
    const want = (table, v, label) => {
      if (!v) return -1;
      if (s[table][v] === undefined) { problems.push(tr("unknown", { what: tr("what." + label), value: v })); return -2; }
      return s[table][v];
    };
    const facetWanted = [["kinds", want("kinds", st.figure, "figure_kind")], ["tags", want("tags", st.tag, "tag")], ["actors", want("actors", st.actor, "actor")], ["places", want("places", st.place, "place")]];
    const tracks = st.track.map(t => s.tracks[t]).filter(t => t !== undefined);
    const stat = st.status ? x.statuses.indexOf(st.status) : -1, kind = { event: 0, article: 1 }[st.kind];
    const from = st.from ? dayKey(st.from) : 0, to = st.to ? dayKey(st.to, true) : 99999999;
    terms = words(st.q);
    re = terms.length ? new RegExp(`(${terms.map(t => t.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|")})`, "gi") : null;
    // Classes the cheap filters keep (`open`), and of those the ones on a chosen track (`keep`).
    const open = x.classes.map(c => (kind === undefined || c[2] === kind) && (!st.major || c[3] === 1) && (stat < 0 || c[1] === stat));
    const keep = open.map((o, c) => o && (!tracks.length || tracks.includes(x.classes[c][0])));
    let found;
    try {
      found = await idx.engine.query({ words: terms, facets: facetWanted.filter(f => f[1] !== -1), open, keep, from, to, newest: st.order === "newest" });
    } catch (_) {
      if (my === gen) status.textContent = tr("index_failed");
      return;
    }
    if (my !== gen) return;
    matches = found.matches;
    perTrack = found.perTrack;
    shown = 0; lastY = lastM = null;
    // The list, its heading and the counts change together, once the first rows are in. On a
    // large site a query of several words counts only what it has read; the rest is an
    // estimate (`about`) until the reader has gone through it all.
    notes = problems;
    await showMore(() => {
      results.hidden = false;
      chronicle.hidden = true;
      layout.classList.add("is-filtering");
      counted(true);
      list.innerHTML = matches.n ? "" : `<p class="empty">${esc(tr("nothing"))}</p>`;
    });
  };
  // The count in the status line and the results' heading.
  const counted = first => {
    const n = matches.n, about = matches.about ? "_about" : "";
    const html = (n ? esc(tr("match" + about, { n: total, m: "\u0001" })).replace("\u0001", `<strong>${fmt(n)}</strong>`) : esc(tr("no_match"))) + (notes.length ? ` (${esc(notes.join(", "))})` : "") + ".";
    // A live region: said again only when it changes.
    if (first || said !== html) status.innerHTML = said = html;
    $("#results-h").textContent = n ? tr("matching" + about, { n }) : tr("no_matching");
  };

  // Track chips count what the other filters leave ("≈" while that is an estimate).
  const trackCounts = counts => $$("[data-track]", form).forEach(span => {
    if (!span.dataset.all) span.dataset.all = span.textContent;
    const i = idx && idx.slugs.tracks[span.dataset.track];
    span.textContent = counts && i !== undefined ? (matches && matches.about ? "\u2248" : "") + counts[i] : span.dataset.all;
  });

  const mark = text => re ? text.split(re).map((p, i) => i % 2 ? `<mark>${esc(p)}</mark>` : esc(p)).join("") : esc(text);
  const snippet = text => {
    if (text.length <= 220) return text;
    const p = terms.length ? norm(text).indexOf(terms[0]) : -1, at = p > 120 ? text.lastIndexOf(" ", p - 60) + 1 : 0;
    const cut = text.slice(at, at + 220), sp = cut.lastIndexOf(" ");
    return (at ? "…" : "") + (sp > 150 ? cut.slice(0, sp) : cut) + "…";
  };
  const machine = k => {
    const y = Math.floor(k / 10000), m = Math.floor(k / 100) % 100, day = k % 100, p = n => String(n).padStart(2, "0");
    return m ? `${y}-${p(m)}` + (day ? "-" + p(day) : "") : String(y);
  };

  // The results, grouped by year and month like the timeline, BATCH at a time: their rows
  // come from the row shards they are in.
  const showMore = async first => {
    const my = gen, x = idx.d;
    let rows;
    // One batch at a time: a click while its rows load does nothing.
    more.disabled = true;
    try {
      rows = await idx.engine.rows(await matches.take(shown, BATCH));
    } catch (_) {
      if (my === gen) status.textContent = tr("index_failed");
      return;
    } finally {
      more.disabled = false;
    }
    if (my !== gen) return;
    if (typeof first === "function") first();
    // An estimated count is made exact as the reader goes through the results.
    else if (matches.about !== undefined) counted();
    let html = "", open = false;
    for (const e of rows) {
      const y = Math.floor(e[K.start] / 10000), m = Math.floor(e[K.start] / 100) % 100;
      if (y !== lastY || m !== lastM || !open) {
        if (open) html += "</ol>";
        const yy = WORDS.digits ? String(y).replace(/\d/g, c => "٠١٢٣٤٥٦٧٨٩"[c]) : y;
        if (y !== lastY) html += `<h3 class="year-h">${yy}</h3>`;
        if (y !== lastY || m !== lastM) html += `<h4 class="month-h">${m ? esc(MONTHS[m - 1]) + " " + yy : esc(tr("during", { year: String(yy) }))}</h4>`;
        lastY = y; lastM = m; open = true;
        html += '<ol class="entries">';
      }
      html += card(x, e);
    }
    list.insertAdjacentHTML("beforeend", html + (open ? "</ol>" : ""));
    shown += rows.length;
    trackCounts(perTrack);
    const left = Math.max(matches.n - shown, matches.done === false ? 1 : 0);
    more.hidden = left <= 0;
    more.textContent = tr(matches.about ? "more_about" : "more", { k: matches.about ? BATCH : Math.min(left, BATCH), n: left });
  };

  const card = (x, e) => {
    const art = e[K.kind] === 1, trk = e[K.track] >= 0 ? x.tracks[e[K.track]] : null, st = x.statuses[e[K.status]], major = e[K.importance] >= 4 && !art, odd = st !== "confirmed", sum = e[K.summary] ? `<p class="e-sum" dir="auto">${mark(snippet(e[K.summary]))}</p>` : "";
    const url = root + (K.path !== undefined ? e[K.path] : (art ? "articles/" : "events/") + e[K.id] + "/") + (FILE ? "index.html" : "");
    const meta = (art ? `<span class="lbl lbl-art">${esc(tr("article"))}</span>` : "") + (trk ? `<span class="lbl lbl-trk" dir="auto">${esc(trk[1])}</span>` : "") +
      (major ? `<span class="lbl lbl-major">${esc(tr("major"))}</span>` : "") + (odd || !art ? `<span class="lbl lbl-st b-${st}"><span class="visually-hidden">${esc(tr("status_label"))} </span>${esc(tr("status." + st))}</span>` : "");
    return `<li><article class="entry ${art ? "art" : "ev"}${trk ? " tone-" + trk[2] : ""}${major ? " major" : e[K.importance] < 3 ? " minor" : ""}${odd ? " st-" + st : ""}">` +
      `<time class="e-when" datetime="${machine(e[K.start])}" dir="auto">${esc(e[K.when])}</time><div class="e-body"><h5 class="e-title"><a href="${esc(url)}" dir="auto">${mark(e[K.title])}</a></h5>` +
      (meta ? `<p class="e-meta">${meta}</p>` : "") + (e[K.figures] ? `<p class="e-fig" dir="auto">${esc(e[K.figures])}</p>` : "") +
      (e[K.content_warning] && sum ? `<details class="cw"${cwAll() ? " open" : ""}><summary>${esc(tr("content_warning"))} <span dir="auto">${esc(e[K.content_warning])}</span></summary>${sum}</details>` : sum) + "</div></article></li>";
  };

  form.addEventListener("submit", e => { e.preventDefault(); update(false); });
  form.addEventListener("input", e => {
    if (e.target !== el.q) return;
    clearTimeout(timer);
    timer = setTimeout(() => update(true), 40);
  });
  form.addEventListener("change", e => { if (e.target !== el.q) update(false); });
  form.addEventListener("reset", () => setTimeout(() => update(false)));
  el.q.addEventListener("blur", () => { typing = false; });
  for (const t of ["focusin", "pointerenter", "touchstart"]) form.addEventListener(t, () => { addGrid(); load(); }, { passive: true, once: true });
  // The facets' lists fill the selects when "More filters" opens.
  $("#f-more").addEventListener("toggle", () => { addGrid(); if ($("#f-more").open) load(() => facets().catch(() => { status.textContent = tr("index_failed"); })); });
  more.addEventListener("click", showMore);
  W.addEventListener("popstate", () => { typing = false; const st = readURL(); writeForm(st); render(st); });
  d.addEventListener("keydown", e => {
    if (e.key === "/" && !e.ctrlKey && !e.metaKey && !e.altKey && !/^(INPUT|SELECT|TEXTAREA)$/.test(e.target.tagName)) { e.preventDefault(); el.q.focus(); }
  });
  const initial = readURL();
  writeForm(initial);
  if (active(initial)) render(initial);
  else applyOrder(initial);
});
