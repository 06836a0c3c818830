// annals search: the engine over the sharded index (docs/templates.md, "The search index").
// annals.js loads it with the manifest (search-index.js) on the finder's first use; it
// fetches the shards under search/ that a query needs, as scripts (they load from file://
// too), each calling annalsShard(key, data) once.
window.annalsSearch = (root, x) => {
  "use strict";
  const d = document, shards = {}, pending = {};
  window.annalsShard = (key, data) => { const ok = pending[key]; if (ok) { delete pending[key]; ok(data); } };
  const shard = key => shards[key] || (shards[key] = new Promise((ok, fail) => {
    pending[key] = ok;
    const s = d.createElement("script"), [kind, n] = key.split("/");
    s.src = root + "search/" + (n === undefined ? kind : `${kind}/${Math.floor(n / x.folder)}/${n}`) + ".js";
    // A shard that ran called annalsShard before its load event; one that did not is refused.
    s.onload = s.onerror = () => {
      s.remove();
      if (!pending[key]) return;
      delete pending[key];
      delete shards[key];
      fail(new Error(key));
    };
    d.head.appendChild(s);
  }));
  // Lists of entry numbers: gaps in a base-32 varint (src/render/search/postings.rs).
  const DIG = new Int8Array(128).fill(-1);
  "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".split("").forEach((ch, i) => { DIG[ch.charCodeAt(0)] = i; });
  const gaps = text => {
    if (typeof text !== "string") return text || [];
    const out = [];
    let acc = 0, prev = -1;
    for (let i = 0; i < text.length; i++) {
      const g = DIG[text.charCodeAt(i)];
      if (g >= 32) acc = acc * 32 + g - 32;
      else { prev += acc * 32 + g + 1; out.push(prev); acc = 0; }
    }
    return out;
  };
  // How many entries segment `s` (x.seg entries from s * x.seg) and block `b` hold.
  const segLen = s => Math.max(0, Math.min(x.seg, x.n - s * x.seg));
  const blockLen = b => Math.max(0, Math.min(x.block, x.n - b * x.block));
  // A shard's lists by class, decoded once.
  const byClass = data => {
    for (const c of Object.keys(data)) data[c] = gaps(data[c]);
    return data;
  };
  const union = arrays => {
    if (arrays.length === 1) return arrays[0];
    const all = [].concat(...arrays).sort((a, b) => a - b);
    return all.filter((v, i) => i === 0 || v !== all[i - 1]);
  };
  const intersect = arrays => {
    arrays.sort((a, b) => a.length - b.length);
    let out = arrays[0];
    for (let k = 1; k < arrays.length && out.length; k++) {
      const other = arrays[k], kept = [];
      let j = 0;
      for (const v of out) {
        while (j < other.length && other[j] < v) j++;
        if (other[j] === v) kept.push(v);
      }
      out = kept;
    }
    return out;
  };
  // A list of entries by class (src/render/search/shards.rs): `n` its count by class (null:
  // not known without reading it), `segs` the segments (x.seg entries each) it has entries in,
  // ascending, and `get(s)` its entries of segment `s` by class. A short list is whole in its
  // shard (`lists`); a long one is cut, each segment in a part file loaded when asked for.
  // `c(s)` is how many entries it has in segment `s`, `cost(s)` about how many bytes reading
  // that segment still downloads.
  const whole = lists => {
    const n = {}, per = {}, cut = {};
    for (const c of Object.keys(lists)) { n[c] = lists[c].length; for (const id of lists[c]) { const s = Math.floor(id / x.seg); per[s] = (per[s] || 0) + 1; } }
    const get = s => {
      if (!cut[s]) {
        cut[s] = {};
        for (const c of Object.keys(lists)) { const here = lists[c].filter(id => Math.floor(id / x.seg) === s); if (here.length) cut[s][c] = here; }
      }
      return Promise.resolve(cut[s]);
    };
    return { n, segs: Object.keys(per).map(Number).sort((a, b) => a - b), get, lists, c: s => per[s] || 0, cost: () => 0 };
  };
  // About how many characters a list of `k` of `len` entries takes: a gap of under 32 takes one.
  const charsFor = (k, len) => k * Math.max(1, 1 + Math.floor(Math.log(Math.max(1, len / Math.max(k, 1))) / Math.log(32)));
  const list = data => {
    if (!data || !data.s) return whole(byClass(data || {}));
    const at = {}, got = {}, per = {};
    data.s.forEach(([s, part, k]) => { at[s] = part; per[s] = k; });
    return {
      n: data.n, segs: data.s.map(s => s[0]), c: s => per[s] || 0,
      cost: s => at[s] === undefined || got[s] ? 0 : charsFor(per[s], segLen(s)),
      get: s => at[s] === undefined ? Promise.resolve({}) : got[s] || (got[s] = shard("p/" + at[s]).then(byClass)),
    };
  };
  // Several lists as one (a prefix's words): its count is known only when each is whole.
  const anyOf = lists => {
    if (lists.length === 1) return lists[0];
    const merge = parts => {
      const out = {};
      for (const p of parts) for (const c of Object.keys(p)) (out[c] = out[c] || []).push(p[c]);
      for (const c of Object.keys(out)) out[c] = union(out[c]);
      return out;
    };
    if (lists.every(l => l.lists)) return whole(merge(lists.map(l => l.lists)));
    const get = async s => merge(await Promise.all(lists.filter(l => l.segs.includes(s)).map(l => l.get(s))));
    const sum = f => s => lists.reduce((a, l) => a + f(l, s), 0);
    return { n: null, segs: union(lists.map(l => l.segs)), get, c: sum((l, s) => l.c(s)), cost: sum((l, s) => l.cost(s)) };
  };
  // The entries with a word beginning with `w` (three letters or more) or equal to it: from the
  // shard where `w` would be, and the next ones while their first words begin with it. Shards
  // are cut between words sorted as JavaScript's `<` sorts them.
  const wordList = async w => {
    const T = x.terms;
    if (!T.length) return list({});
    let lo = 0, hi = T.length - 1, at = 0;
    while (lo <= hi) { const mid = (lo + hi) >> 1; if (T[mid] <= w) { at = mid; lo = mid + 1; } else hi = mid - 1; }
    const prefix = [...w].length >= 3, keys = [at];
    if (prefix) for (let i = at + 1; i < T.length && T[i].startsWith(w); i++) keys.push(i);
    const found = [];
    for (const data of await Promise.all(keys.map(i => shard("t/" + i)))) {
      for (const word of Object.keys(data)) if (prefix ? word.startsWith(w) : word === w) found.push(data[word]);
    }
    return anyOf(found.length ? found.map(list) : [list({})]);
  };
  // The class of entry `i` of a block's class column.
  const classAt = (chars, i) => { let c = 0; for (let j = 0; j < x.cw; j++) c = c * 64 + DIG[chars.charCodeAt(i * x.cw + j)]; return c; };
  // Matches found in order, `step()` finding the next ones (false once none is left), read
  // through `take(from, count)` as far as the reader goes.
  const lazy = (n, step) => {
    const found = [];
    let more = true;
    return {
      n, take: async (from, k) => {
        while (more && found.length < from + k) more = await step(found);
        return found.slice(from, from + k);
      },
    };
  };
  // Filters on classes only (no words, no facet lists, no dates): the count is known, and
  // the entries are found block by block, in the reader's order.
  const blockwise = (n, keep, newest) => {
    const blocks = x.blocks.length;
    let next = 0;
    return lazy(n, async found => {
      if (next >= blocks) return false;
      const b = newest ? blocks - 1 - next : next, chars = await shard("k/" + b), ids = [];
      next++;
      for (let i = 0; i < chars.length / x.cw; i++) if (keep[classAt(chars, i)]) ids.push(b * x.block + i);
      found.push(...(newest ? ids.reverse() : ids));
      return next < blocks;
    });
  };
  // One list whose count is known, with the cheap filters: counted from its counts by class,
  // its segments loaded in the reader's order as the reader goes.
  const segmentwise = (L, q) => {
    let n = 0;
    const perTrack = x.tracks.map(() => 0), segs = q.newest ? [...L.segs].reverse() : L.segs;
    for (const c of Object.keys(L.n)) {
      const t = x.classes[c][0];
      if (q.open[c] && t >= 0) perTrack[t] += L.n[c];
      if (q.keep[c]) n += L.n[c];
    }
    let next = 0;
    const matches = lazy(n, async found => {
      if (next >= segs.length) return false;
      const lists = await L.get(segs[next++]), kept = Object.keys(lists).filter(c => q.keep[c]).map(c => lists[c]);
      const ids = kept.length ? union(kept) : [];
      found.push(...(q.newest ? ids.slice().reverse() : ids));
      return next < segs.length;
    });
    return { matches, perTrack };
  };

  // q: { words, facets: [[table, index]] (index -2: a term the site does not have), open
  // and keep (by class: what the cheap filters keep, and of that what the chosen tracks
  // keep), from and to (YYYYMMDD), newest }. Gives the matches ({n, take}) and, per track,
  // how many the other filters leave.
  const query = async q => {
    const perTrack = x.tracks.map(() => 0), dated = q.from > 0 || q.to < 99999999;
    const pending = q.words.map(wordList);
    for (const [table, i] of q.facets) pending.push(i === -2 ? Promise.resolve(list({})) : shard(`${table}/${i}`).then(list));
    if (!pending.length && !dated) {
      let n = 0;
      x.classes.forEach((c, i) => { if (q.open[i] && c[0] >= 0) perTrack[c[0]] += c[4]; if (q.keep[i]) n += c[4]; });
      return { matches: blockwise(n, q.keep, q.newest), perTrack };
    }
    const lists = await Promise.all(pending);
    if (lists.length === 1 && !dated && lists[0].n) return segmentwise(lists[0], q);
    return walked(lists, q, dated);
  };
  // What a walk may download at once to count exactly; above it, a query reads only the
  // segments its screens need, and its counts are estimates (`about`) until it has read all.
  const eager = () => window.annalsSearchEager === undefined ? 96 * 1024 : window.annalsSearchEager;
  // Several lists (words, facets), a list with dates, a prefix of several words, or dates
  // alone: the segments every list has entries in (and the dates touch), each read,
  // intersected by class and dated, in the reader's order. A segment not read yet counts
  // as its estimate: its entries times each list's share of them (as if the lists were
  // independent) times the share of it inside the dates, spread over the classes like the
  // entries of the shortest list whose counts are known (else like the whole site's).
  const walked = async (lists, q, dated) => {
    const inBlock = b => { const [s0, s1, e0, e1] = x.blocks[b]; return e1 < q.from || s0 > q.to ? 0 : e0 >= q.from && s1 <= q.to ? 2 : 1; };
    const perSeg = x.seg / x.block;
    const blocksOf = s => { const out = []; for (let b = s * perSeg; b < Math.min((s + 1) * perSeg, x.blocks.length); b++) if (!dated || inBlock(b)) out.push(b); return out; };
    let segs = lists.length ? lists.reduce((acc, l) => intersect([acc, l.segs]), lists[0].segs) : [...Array(Math.ceil(x.n / x.seg)).keys()];
    if (dated) segs = segs.filter(s => blocksOf(s).length);
    if (q.newest) segs = segs.slice().reverse();
    const known = lists.filter(l => l.n).map(l => [l.n, Object.values(l.n).reduce((a, k) => a + k, 0)]).sort((a, b) => a[1] - b[1])[0];
    const share = x.classes.map((c, i) => known ? (known[0][i] || 0) / Math.max(1, known[1]) : c[4] / Math.max(1, x.n));
    const keepShare = share.reduce((a, w, c) => a + (q.keep[c] ? w : 0), 0);
    const trackShare = x.tracks.map((_, t) => share.reduce((a, w, c) => a + (q.open[c] && x.classes[c][0] === t ? w : 0), 0));
    const estimate = s => {
      const len = segLen(s);
      const dates = dated ? blocksOf(s).reduce((a, b) => a + blockLen(b) * (inBlock(b) === 2 ? 1 : 0.5), 0) / Math.max(1, len) : 1;
      return lists.reduce((a, l) => a * Math.min(1, l.c(s) / Math.max(1, len)), len * dates);
    };
    const cost = s => lists.length ? lists.reduce((a, l) => a + l.cost(s), 0) : blocksOf(s).length * x.block * x.cw;
    // The entries of segment `s` the cheap filters leave open, by class.
    const read = async s => {
      const per = {};
      if (lists.length) {
        const parts = await Promise.all(lists.map(l => l.get(s)));
        x.classes.forEach((_, c) => {
          const these = parts.map(g => g[c]);
          if (q.open[c] && these.every(Boolean)) {
            const ids = intersect(these);
            if (ids.length) per[c] = ids;
          }
        });
      } else {
        const bs = blocksOf(s), cols = await Promise.all(bs.map(b => shard("k/" + b)));
        bs.forEach((b, j) => {
          for (let i = 0; i < cols[j].length / x.cw; i++) {
            const c = classAt(cols[j], i);
            if (q.open[c]) (per[c] = per[c] || []).push(b * x.block + i);
          }
        });
      }
      if (dated) {
        // Blocks wholly inside the dates keep their entries; the others' dates are read.
        const check = new Set(), dates = {};
        for (const c of Object.keys(per)) for (const id of per[c]) if (inBlock(Math.floor(id / x.block)) === 1) check.add(Math.floor(id / x.block));
        await Promise.all([...check].map(b => shard("d/" + b).then(v => { dates[b] = v; })));
        for (const c of Object.keys(per)) per[c] = per[c].filter(id => {
          const b = Math.floor(id / x.block), w = inBlock(b), i = 2 * (id - b * x.block);
          return w === 1 ? dates[b][i + 1] >= q.from && dates[b][i] <= q.to : w === 2;
        });
      }
      return per;
    };
    const found = [], exactTrack = x.tracks.map(() => 0), perTrack = x.tracks.map(() => 0);
    let exact = 0, next = 0, rest = segs.reduce((a, s) => a + estimate(s), 0);
    const matches = { n: 0, about: false };
    // Counts: exact for the segments read, estimated for the rest; perTrack changes in place.
    const recount = () => {
      const done = next >= segs.length, round = v => v < 100 ? Math.round(v) : Number(v.toPrecision(2));
      matches.about = !done;
      matches.n = done ? exact : Math.max(exact + (rest > 0 ? 1 : 0), round(exact + rest * keepShare));
      x.tracks.forEach((_, t) => { perTrack[t] = done ? exactTrack[t] : Math.max(exactTrack[t], round(exactTrack[t] + rest * trackShare[t])); });
      matches.done = done;
    };
    const add = (s, per) => {
      const ids = [];
      for (const c of Object.keys(per)) {
        const t = x.classes[c][0];
        if (t >= 0) exactTrack[t] += per[c].length;
        if (q.keep[c] && per[c].length) ids.push(per[c]);
      }
      const u = ids.length ? union(ids) : [];
      exact += u.length;
      rest = Math.max(0, rest - estimate(s));
      found.push(...(q.newest ? u.slice().reverse() : u));
    };
    if (segs.reduce((a, s) => a + cost(s), 0) <= eager()) {
      (await Promise.all(segs.map(read))).forEach((per, k) => add(segs[k], per));
      next = segs.length;
    }
    recount();
    // One batch at a time, in order, however often take is called.
    let busy = Promise.resolve();
    matches.take = (from, k) => (busy = busy.then(async () => {
      while (next < segs.length && found.length < from + k) {
        const s = segs[next], per = await read(s);
        next++;
        add(s, per);
      }
      recount();
      return found.slice(from, from + k);
    }));
    return { matches, perTrack };
  };
  // The rows of entries `ids`, from their row shards.
  const rows = {};
  const rowsOf = async ids => {
    const R = x.rows, need = [...new Set(ids.map(id => Math.floor(id / R)))].filter(k => !rows[k]);
    (await Promise.all(need.map(k => shard("r/" + k)))).forEach((r, j) => { rows[need[j]] = r; });
    return ids.map(id => rows[Math.floor(id / R)][id % R]);
  };
  return { query, rows: rowsOf, facets: () => shard("facets") };
};
