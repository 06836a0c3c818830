// annals map: zoom and pan (mouse, touch, keyboard), clustering, the finder
// shared by the map and the list (kept in the URL), and click-to-load media.
// Loaded only on the map page and on pages with media.
(() => {
  "use strict";
  const $ = (s, el = document) => el.querySelector(s);
  const $$ = (s, el = document) => Array.from(el.querySelectorAll(s));
  const SVGNS = "http://www.w3.org/2000/svg";

  // Remote media: nothing is requested from the provider before the click.
  document.addEventListener("click", ev => {
    const button = ev.target.closest(".embed-load");
    if (!button) return;
    const box = button.closest(".embed"), url = box && box.dataset.embed;
    if (!url) return;
    let player;
    if (/\.(mp4|webm|ogv)(\?|#|$)/i.test(url)) {
      player = document.createElement("video");
      player.controls = true;
      player.autoplay = true;
    } else {
      player = document.createElement("iframe");
      player.allow = "autoplay; fullscreen; picture-in-picture";
      player.referrerPolicy = "no-referrer";
      player.title = box.dataset.player || box.dataset.provider;
    }
    player.src = url;
    player.className = "embed-player";
    box.replaceChildren(player);
  });

  // On the timeline, the map panel: the map page's map and list are
  // fetched into it, and follow the timeline finder's state (the URL).
  const panel = $("#map-panel");
  if (panel && !$("#map")) {
    const from = new URL(panel.dataset.src, location.href);
    fetch(from).then(r => r.ok ? r.text() : Promise.reject(r.status)).then(text => {
      const doc = new DOMParser().parseFromString(text, "text/html");
      const parts = [".map-tools", "#map", "#map-card", "#map-list"].map(s => doc.querySelector(s)).filter(Boolean);
      if (parts.length < 4) return;
      for (const a of parts.flatMap(p => $$("a[href]", p))) a.setAttribute("href", new URL(a.getAttribute("href"), from).href);
      parts[3].classList.add("map-panel-list");
      $(".map-panel-body", panel).replaceChildren(...parts.map(p => document.adoptNode(p)));
      init(true);
    }).catch(() => {});
    return;
  }
  init(false);

  function init(inPanel) {
  const svg = $("#map");
  const list = $("#map-list");
  if (!svg || !list) return;
  document.documentElement.classList.add("has-map");
  // The page's words (the map's data-w-* attributes, in the page's
  // language), with {n} and {k} filled in.
  const word = (key, vars) => (svg.dataset["w" + key[0].toUpperCase() + key.slice(1)] || "")
    .replace(/\{(\w+)\}/g, (m, v) => (v in vars ? String(vars[v]) : m));

  const nums = s => s.split(/[ ,]+/).map(Number);
  const home = nums(svg.dataset.view);
  const area = nums(svg.dataset.area);
  const xScale = Number(svg.dataset.xScale);
  let view = home.slice();

  const entries = $$("li[data-id]", list).map(li => ({
    li,
    id: li.dataset.id,
    x: Number(li.dataset.x),
    y: Number(li.dataset.y),
    r: Number(li.dataset.r),
    tone: li.dataset.tone,
    precision: li.dataset.precision,
    track: li.dataset.track,
    status: li.dataset.status,
    start: li.dataset.start,
    tags: li.dataset.tags.split(" "),
    actors: li.dataset.actors.split(" "),
    places: li.dataset.places.split(" "),
    text: (li.dataset.title + " " + li.textContent).toLowerCase(),
    href: (li.querySelector(".e-title a") || {}).href,
    title: li.dataset.title,
  }));

  // The finder: its state is the URL's query.
  const form = $("#map-finder");
  const status = $("#map-status");
  let params = new URLSearchParams(location.search);
  const readState = () => ({
    track: params.getAll("track").filter(Boolean),
    q: params.get("q") || "",
    actor: params.get("actor") || "",
    place: params.get("place") || "",
    tag: params.get("tag") || "",
    status: params.get("status") || "",
    from: params.get("from") || "",
    to: params.get("to") || "",
    onscreen: params.get("onscreen") === "1",
  });
  let state = readState();
  const viewParam = params.get("view");
  if (viewParam) {
    const v = nums(viewParam);
    if (v.length === 4 && v.every(Number.isFinite) && v[2] > 0 && v[3] > 0) view = v;
  }
  if (form) {
    form.track.value = state.track[0] || "";
    form.q.value = state.q;
    form.onscreen.checked = state.onscreen;
  }

  const matches = e =>
    (!state.track.length || state.track.includes(e.track)) &&
    (!state.actor || e.actors.includes(state.actor)) &&
    (!state.place || e.places.includes(state.place)) &&
    (!state.tag || e.tags.includes(state.tag)) &&
    (!state.status || e.status === state.status) &&
    (!state.from || e.start.slice(0, state.from.length) >= state.from) &&
    (!state.to || e.start.slice(0, state.to.length) <= state.to) &&
    (!state.q || state.q.toLowerCase().split(/\s+/).every(w => e.text.includes(w)));
  // What the reader sees: the view box, widened on the side the frame's
  // shape leaves room on (the map is centred in it).
  const visible = () => {
    const box = svg.getBoundingClientRect(), s = scale();
    const w = box.width / s || view[2], h = box.height / s || view[3];
    return [view[0] + view[2] / 2 - w / 2, view[1] + view[3] / 2 - h / 2, w, h];
  };
  let seen = view;
  const onScreen = e => e.x >= seen[0] && e.x <= seen[0] + seen[2] && e.y >= seen[1] && e.y <= seen[1] + seen[3];

  let urlTimer = 0;
  const writeURL = () => {
    if (inPanel) return; // the timeline owns the URL there
    clearTimeout(urlTimer);
    urlTimer = setTimeout(() => {
      const p = new URLSearchParams();
      for (const t of state.track) p.append("track", t);
      for (const k of ["q", "actor", "place", "tag", "status", "from", "to"]) if (state[k]) p.set(k, state[k]);
      if (state.onscreen) p.set("onscreen", "1");
      if (view.some((v, i) => Math.round(v) !== Math.round(home[i]))) p.set("view", view.map(Math.round).join(","));
      const qs = p.toString();
      history.replaceState(null, "", qs ? "?" + qs : location.pathname);
    }, 150);
  };

  // Pixels per map unit, for sizes that stay the same on screen.
  const scale = () => {
    const box = svg.getBoundingClientRect();
    return Math.min(box.width / view[2], box.height / view[3]) || 1;
  };

  const marks = $("#map-marks");
  const land = $(".land", svg);
  // Strokes keep their width on screen whatever the zoom.
  const NS = "non-scaling-stroke";
  const el = (name, attrs) => {
    const n = document.createElementNS(SVGNS, name);
    for (const k in attrs) n.setAttribute(k, attrs[k]);
    return n;
  };

  // Entries closer than a cell on screen share a cluster; a cluster shows
  // how many it holds and opens (zooms in) when chosen.
  const CELL = 44;
  const draw = () => {
    const s = scale();
    seen = visible();
    const shown = entries.filter(matches);
    const listed = state.onscreen ? shown.filter(onScreen) : shown;
    const listedSet = new Set(listed);
    for (const e of entries) e.li.hidden = !listedSet.has(e);
    // Greedy: an entry joins the first cluster whose anchor is within a
    // cell of it (looked up in the 3 × 3 cells around), else anchors its own.
    const cells = new Map(), groups = [];
    for (const e of shown) {
      const px = (e.x - area[0]) * s, py = (e.y - area[1]) * s;
      const cx = Math.floor(px / CELL), cy = Math.floor(py / CELL);
      let joined = null;
      for (let i = -1; i <= 1 && !joined; i++) {
        for (let j = -1; j <= 1 && !joined; j++) {
          for (const g of cells.get((cx + i) + ":" + (cy + j)) || []) {
            if (Math.hypot(g.px - px, g.py - py) < CELL) { joined = g; break; }
          }
        }
      }
      if (joined) { joined.push(e); continue; }
      const g = [e];
      g.px = px; g.py = py;
      const key = cx + ":" + cy;
      (cells.get(key) || cells.set(key, []).get(key)).push(g);
      groups.push(g);
    }
    const dot = 6 / s;
    const out = document.createDocumentFragment();
    for (const group of groups) {
      if (group.length === 1) {
        const e = group[0];
        const a = el("a", { href: e.href, class: `mark tone-${e.tone} p-${e.precision}`, "data-count": "1", "data-id": e.id });
        if (e.r * s > 6) a.append(el("circle", { class: "area", cx: e.x, cy: e.y, r: e.r, "vector-effect": NS }));
        a.append(el("circle", { class: "dot", cx: e.x, cy: e.y, r: dot, "vector-effect": NS }));
        const t = el("title", {});
        t.textContent = e.title;
        a.append(t);
        out.append(a);
      } else {
        const cx = group.reduce((n, e) => n + e.x, 0) / group.length;
        const cy = group.reduce((n, e) => n + e.y, 0) / group.length;
        const g = el("g", { class: "cluster", "data-count": String(group.length), tabindex: "0", role: "button", "aria-label": word("cluster", { n: group.length }) });
        g.append(el("circle", { cx, cy, r: (11 + Math.min(9, Math.sqrt(group.length) * 2)) / s, "vector-effect": NS }));
        const t = el("text", { x: cx, y: cy, "font-size": 12 / s, dy: "0.35em" });
        t.textContent = group.length;
        g.append(t);
        g.dataset.cx = cx;
        g.dataset.cy = cy;
        out.append(g);
      }
    }
    marks.replaceChildren(out);
    if (land) land.setAttribute("stroke-width", 1 / s);
    svg.setAttribute("viewBox", view.join(" "));
    drawTiles(s);
    const n = $("#map-n");
    if (n) n.textContent = listed.length;
    if (status) {
      status.textContent = listed.length === entries.length
        ? word("all", { n: entries.length })
        : word(state.onscreen ? "onscreen" : "some", { k: listed.length, n: entries.length });
    }
    writeURL();
  };

  // Zoom and pan change the view box; the home view is the site's extent.
  const clampView = () => {
    const minW = home[2] / 64, maxW = area[2];
    const w = Math.min(maxW, Math.max(minW, view[2]));
    const h = view[3] * (w / view[2]);
    const cx = Math.min(area[0] + area[2], Math.max(area[0], view[0] + view[2] / 2));
    const cy = Math.min(area[1] + area[3], Math.max(area[1], view[1] + view[3] / 2));
    view = [cx - w / 2, cy - h / 2, w, h];
  };
  let frame = 0;
  const redraw = () => {
    if (!frame) frame = requestAnimationFrame(() => { frame = 0; draw(); });
  };
  const zoom = (factor, cx = view[0] + view[2] / 2, cy = view[1] + view[3] / 2) => {
    view = [cx - (cx - view[0]) / factor, cy - (cy - view[1]) / factor, view[2] / factor, view[3] / factor];
    clampView();
    redraw();
  };
  const pan = (dx, dy) => {
    view = [view[0] + dx, view[1] + dy, view[2], view[3]];
    clampView();
    redraw();
  };
  const toMap = (clientX, clientY) => {
    const m = svg.getScreenCTM();
    if (!m) return [view[0], view[1]];
    const p = new DOMPoint(clientX, clientY).matrixTransform(m.inverse());
    return [p.x, p.y];
  };

  svg.addEventListener("wheel", ev => {
    ev.preventDefault();
    const [x, y] = toMap(ev.clientX, ev.clientY);
    zoom(ev.deltaY < 0 ? 1.25 : 0.8, x, y);
  }, { passive: false });

  // Pointers: one drags, two pinch.
  const pointers = new Map();
  let dragged = false, pinch = 0;
  svg.addEventListener("pointerdown", ev => {
    pointers.set(ev.pointerId, [ev.clientX, ev.clientY]);
    dragged = false;
    if (pointers.size === 2) {
      const [a, b] = [...pointers.values()];
      pinch = Math.hypot(a[0] - b[0], a[1] - b[1]);
    }
  });
  svg.addEventListener("pointermove", ev => {
    const last = pointers.get(ev.pointerId);
    if (!last) return;
    const now = [ev.clientX, ev.clientY];
    if (pointers.size === 1) {
      const dx = now[0] - last[0], dy = now[1] - last[1];
      if (!dragged && Math.hypot(dx, dy) < 4) return;
      if (!dragged) svg.setPointerCapture(ev.pointerId);
      dragged = true;
      const s = scale();
      pan(-dx / s, -dy / s);
    } else if (pointers.size === 2) {
      pointers.set(ev.pointerId, now);
      const [a, b] = [...pointers.values()];
      const d = Math.hypot(a[0] - b[0], a[1] - b[1]);
      if (pinch > 0 && d > 0) {
        const [x, y] = toMap((a[0] + b[0]) / 2, (a[1] + b[1]) / 2);
        zoom(d / pinch, x, y);
      }
      pinch = d;
      dragged = true;
      return;
    }
    pointers.set(ev.pointerId, now);
  });
  const release = ev => { pointers.delete(ev.pointerId); if (pointers.size < 2) pinch = 0; };
  svg.addEventListener("pointerup", release);
  svg.addEventListener("pointercancel", release);

  svg.addEventListener("keydown", ev => {
    const step = 0.2;
    const keys = {
      ArrowLeft: () => pan(-view[2] * step, 0),
      ArrowRight: () => pan(view[2] * step, 0),
      ArrowUp: () => pan(0, -view[3] * step),
      ArrowDown: () => pan(0, view[3] * step),
      "+": () => zoom(1.5), "=": () => zoom(1.5),
      "-": () => zoom(1 / 1.5), _: () => zoom(1 / 1.5),
      "0": () => { view = home.slice(); redraw(); },
    };
    const act = keys[ev.key];
    if (act && !ev.altKey && !ev.ctrlKey && !ev.metaKey) {
      ev.preventDefault();
      act();
    } else if ((ev.key === "Enter" || ev.key === " ") && ev.target.closest && ev.target.closest(".cluster")) {
      ev.preventDefault();
      openCluster(ev.target.closest(".cluster"));
    }
  });

  for (const b of $$("[data-zoom]")) {
    b.addEventListener("click", () => {
      if (b.dataset.zoom === "in") zoom(1.5);
      else if (b.dataset.zoom === "out") zoom(1 / 1.5);
      else { view = home.slice(); redraw(); }
    });
  }

  // A cluster zooms in on its entries; a single mark opens its card.
  const openCluster = g => {
    const cx = Number(g.dataset.cx), cy = Number(g.dataset.cy);
    zoom(2.5, cx, cy);
    view = [cx - view[2] / 2, cy - view[3] / 2, view[2], view[3]];
    clampView();
    redraw();
  };
  const card = $("#map-card");
  const openCard = (id, from) => {
    const e = entries.find(x => x.id === id);
    if (!e || !card) return;
    const close = document.createElement("button");
    close.type = "button";
    close.className = "btn map-card-close";
    close.textContent = word("close", {});
    close.addEventListener("click", () => { card.hidden = true; if (from) from.focus(); });
    const copy = e.li.cloneNode(true);
    copy.removeAttribute("id");
    copy.hidden = false;
    const body = document.createElement("div");
    body.className = "map-card-body";
    body.append(...copy.childNodes);
    card.replaceChildren(close, body);
    card.hidden = false;
    card.setAttribute("tabindex", "-1");
    card.focus();
  };
  marks.addEventListener("click", ev => {
    if (dragged) { ev.preventDefault(); dragged = false; return; }
    const g = ev.target.closest(".cluster");
    if (g) { ev.preventDefault(); openCluster(g); return; }
    const a = ev.target.closest("a.mark");
    if (a) { ev.preventDefault(); openCard(a.dataset.id, a); }
  });
  card && card.addEventListener("keydown", ev => {
    if (ev.key === "Escape") card.hidden = true;
  });

  if (form) {
    form.addEventListener("submit", ev => ev.preventDefault());
    form.addEventListener("input", () => {
      state.track = form.track.value ? [form.track.value] : [];
      state.q = form.q.value.trim();
      state.onscreen = form.onscreen.checked;
      draw();
    });
  }
  window.addEventListener("resize", redraw);

  // Opt-in raster tiles (site.yaml `map: {tiles}`): web-mercator tiles laid
  // on this map's plate carrée, each stretched to its own box (close enough
  // at the zooms tiles are used at). Only then is anything fetched.
  const tiles = svg.dataset.tiles;
  const tileLayer = $(".tiles", svg);
  const lat = y => -y / 100, lon = x => x / xScale;
  const tileLat = (t, z) => Math.atan(Math.sinh(Math.PI * (1 - 2 * t / 2 ** z))) * 180 / Math.PI;
  function drawTiles(s) {
    if (!tiles || !tileLayer) return;
    const degPerPx = 1 / (s * xScale);
    const z = Math.max(1, Math.min(18, Math.round(Math.log2(360 / (256 * degPerPx)))));
    const n = 2 ** z;
    const tx = l => Math.floor((l + 180) / 360 * n);
    const ty = la => Math.floor((1 - Math.log(Math.tan(la * Math.PI / 180) + 1 / Math.cos(la * Math.PI / 180)) / Math.PI) / 2 * n);
    const west = lon(view[0]), east = lon(view[0] + view[2]);
    const north = Math.min(85, lat(view[1])), south = Math.max(-85, lat(view[1] + view[3]));
    const out = document.createDocumentFragment();
    for (let x = Math.max(0, tx(west)); x <= Math.min(n - 1, tx(east)); x++) {
      for (let y = Math.max(0, ty(north)); y <= Math.min(n - 1, ty(south)); y++) {
        const w0 = x / n * 360 - 180, e0 = (x + 1) / n * 360 - 180;
        const n0 = tileLat(y, z), s0 = tileLat(y + 1, z);
        out.append(el("image", {
          href: tiles.replace("{z}", z).replace("{x}", x).replace("{y}", y),
          x: w0 * xScale, y: -n0 * 100, width: (e0 - w0) * xScale, height: (n0 - s0) * 100,
          preserveAspectRatio: "none",
        }));
      }
    }
    tileLayer.replaceChildren(out);
  }

  if (inPanel) {
    // The timeline's finder changes the URL: the map follows.
    const follow = () => setTimeout(() => {
      params = new URLSearchParams(location.search);
      state = readState();
      draw();
    }, 60);
    const finder = $("#finder");
    if (finder) for (const t of ["input", "change", "submit", "reset"]) finder.addEventListener(t, follow);
    window.addEventListener("popstate", follow);
  }

  const focus = params.get("focus");
  draw();
  if (focus) {
    const e = entries.find(x => x.id === focus);
    if (e) {
      view = [e.x - home[2] / 8, e.y - home[3] / 8, home[2] / 4, home[3] / 4];
      clampView();
      draw();
      openCard(focus, null);
    }
  }
  }
})();
