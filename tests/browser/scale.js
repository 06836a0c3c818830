#!/usr/bin/env node
// The finder on a large generated site (run.sh builds one with the benchmark's
// gen_corpus.py: 6,000 entries by default, ANNALS_SCALE_ENTRIES=200000 for the
// issue's size, ANNALS_BIN=target/release/annals to build it in minutes): a search
// and a track filter list the right entries, and what the browser downloads for
// each (from its network log) stays under the budget (300 KB; --budget BYTES).
//
//   node scale.js --site DIR [--chromium /usr/bin/chromium] [--budget BYTES]
//
// Expectations come from the site's timeline.json (or its year files).
'use strict';

const fs = require('fs');
const path = require('path');
const { chromium } = require('playwright-core');
const { parseArgs, CHROMIUM_ARGS, serve } = require('./common');

const args = parseArgs({ budget: String(300 * 1024) });
const SITE = path.resolve(args.site);
const BUDGET = +args.budget;

// Every entry, in the chronology's order, from timeline.json or its year files.
function loadEntries() {
  const top = JSON.parse(fs.readFileSync(path.join(SITE, 'timeline.json'), 'utf8'));
  if (top.entries) return top.entries;
  return top.years.flatMap(y => JSON.parse(fs.readFileSync(path.join(SITE, y.path), 'utf8')).entries);
}
const entries = loadEntries();
// The finder's words (src/render/search/tokens.rs, static/annals.js).
const norm = s => String(s).toLowerCase().normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[\u2018\u2019]/g, "'");
const words = s => norm(s).split(/[^\p{Alphabetic}\p{N}]+/u).filter(Boolean);
// Markdown's link targets and emphasis are not text the reader sees.
const plain = s => String(s || '').replace(/\]\([^)]*\)/g, ' ').replace(/[*_[\]]/g, ' ');
const textOf = e => [e.title, plain(e.summary), e.track || '', ...(e.tags || []), ...(e.actors || []).map(a => a.name), ...(e.places || []).map(p => p.name)].join(' ');

let failed = 0, passed = 0;
function assert(cond, message) { if (!cond) throw new Error(message); }
function eq(a, b, what) { if (JSON.stringify(a) !== JSON.stringify(b)) throw new Error(`${what}: expected ${JSON.stringify(b).slice(0, 300)}, got ${JSON.stringify(a).slice(0, 300)}`); }

async function main() {
  const server = await serve(SITE);
  const url = `http://127.0.0.1:${server.address().port}/`;
  const browser = await chromium.launch({ executablePath: args.chromium, args: CHROMIUM_ARGS });
  const run = async (name, fn) => {
    const page = await browser.newPage();
    // The network log: every response's body, counted once it has arrived.
    const log = [];
    let started = 0;
    page.on('request', () => { started++; });
    page.on('requestfailed', req => { log.push({ url: req.url(), bytes: 0, failed: true }); });
    page.on('requestfinished', async req => {
      const sizes = await req.sizes().catch(() => null);
      log.push({ url: req.url(), bytes: sizes ? sizes.responseBodySize + sizes.responseHeadersSize : 0 });
    });
    try {
      await page.goto(url);
      await page.waitForLoadState('networkidle');
      const ready = async () => { while (log.length < started) await new Promise(r => setTimeout(r, 10)); };
      await ready();
      log.length = 0;
      started = 0;
      log.ready = ready;
      await fn(page, log);
      console.log(`ok   ${name}`);
      passed++;
    } catch (e) {
      console.log(`FAIL ${name}\n     ${String(e.message).split('\n').join('\n     ')}`);
      failed++;
    }
    await page.close();
  };
  const shownIds = page => page.$$eval('#results-list .entry .e-title a', as => as.map(a => a.getAttribute('href').replace(/\/(index\.html)?$/, '').split('/').pop()));
  const count = async page => +(/^([\d,]+) matching/.exec(await page.textContent('#results-h')) || [0, '0'])[1].replace(/,/g, '');
  // Every request the page made has its response counted.
  const settled = async (page, log) => { await log.ready(); return log.reduce((n, r) => n + r.bytes, 0); };

  await run(`a search over ${entries.length.toLocaleString('en')} entries lists the right ones, under ${BUDGET} bytes`, async (page, log) => {
    const q = 'ceasefire';
    const expected = entries.filter(e => words(textOf(e)).some(w => w.startsWith(q))).map(e => e.id);
    assert(expected.length > 0, 'the corpus has the word');
    await page.fill('#f-q', q);
    await page.waitForFunction(() => /matching/.test(document.getElementById('results-h').textContent) && !document.getElementById('results').hidden);
    const bytes = await settled(page, log);
    const n = await count(page);
    assert(n === expected.length, `"${q}": ${n} results, ${expected.length} entries have the word`);
    const shown = await shownIds(page);
    assert(JSON.stringify(shown) === JSON.stringify(expected.slice(0, shown.length)) && shown.length > 0, `the first results are the oldest entries with the word: ${shown.slice(0, 5)} vs ${expected.slice(0, 5)}`);
    assert(bytes < BUDGET, `the search downloaded ${bytes} bytes: ${log.map(r => r.url.replace(url, '') + ' ' + r.bytes).join(', ')}`);
    // The same query again, its shards loaded: the time the finder itself takes to answer.
    const warm = await page.evaluate(q => new Promise(resolve => {
      const f = document.getElementById('f-q'), form = document.getElementById('finder'), list = document.getElementById('results-list');
      f.value = '';
      form.dispatchEvent(new Event('submit', { cancelable: true }));
      const t0 = performance.now();
      new MutationObserver((_, obs) => { if (list.querySelector('.entry, .empty')) { obs.disconnect(); resolve(performance.now() - t0); } }).observe(list, { childList: true, subtree: true });
      list.innerHTML = '';
      f.value = q;
      form.dispatchEvent(new Event('submit', { cancelable: true }));
    }), q);
    console.log(`     ${n} results, ${bytes} bytes in ${log.length} requests; ${Math.round(warm)} ms to answer once its shards are loaded`);
  });

  await run(`a track filter lists the right entries, under ${BUDGET} bytes`, async (page, log) => {
    const tracks = await page.$$eval('input[name="track"]', els => els.map(e => e.value));
    assert(tracks.length > 1, 'the site has tracks');
    // The busiest track: the most entries to count and list.
    const slug = tracks.map(t => [t, entries.filter(e => e.track_id === t).length]).sort((a, b) => b[1] - a[1])[0][0];
    const expected = entries.filter(e => e.track_id === slug).map(e => e.id);
    await page.check(`input[name="track"][value="${slug}"]`);
    await page.waitForFunction(() => /matching/.test(document.getElementById('results-h').textContent) && !document.getElementById('results').hidden);
    const bytes = await settled(page, log);
    const n = await count(page);
    assert(n === expected.length, `track ${slug}: ${n} results, ${expected.length} entries`);
    const shown = await shownIds(page);
    assert(JSON.stringify(shown) === JSON.stringify(expected.slice(0, shown.length)) && shown.length > 0, `the first results are the track's oldest entries: ${shown.slice(0, 5)} vs ${expected.slice(0, 5)}`);
    assert(new URL(page.url()).searchParams.get('track') === slug, 'the track lands in the URL');
    assert(bytes < BUDGET, `the filter downloaded ${bytes} bytes: ${log.map(r => r.url.replace(url, '') + ' ' + r.bytes).join(', ')}`);
    console.log(`     ${n} results, ${bytes} bytes in ${log.length} requests`);
  });

  // A filter from the URL (the back button's path): what the finder downloads for it alone.
  const viaURL = async (page, qs) => {
    await page.evaluate(qs => { history.pushState(null, '', '?' + qs); dispatchEvent(new PopStateEvent('popstate')); }, qs);
    await page.waitForFunction(() => /matching/.test(document.getElementById('results-h').textContent) && !document.getElementById('results').hidden);
  };

  await run(`an actor filter lists the right entries, under ${BUDGET} bytes`, async (page, log) => {
    // The busiest actor: its list is the longest a facet has.
    const counts = {};
    for (const e of entries) for (const a of e.actors || []) counts[a.id] = (counts[a.id] || 0) + 1;
    const [actor] = Object.entries(counts).sort((a, b) => b[1] - a[1])[0];
    const expected = entries.filter(e => (e.actors || []).some(a => a.id === actor)).map(e => e.id);
    await viaURL(page, `actor=${encodeURIComponent(actor)}`);
    const bytes = await settled(page, log);
    const n = await count(page);
    assert(n === expected.length, `actor ${actor}: ${n} results, ${expected.length} entries`);
    const shown = await shownIds(page);
    assert(JSON.stringify(shown) === JSON.stringify(expected.slice(0, shown.length)) && shown.length > 0, `the first results are the actor's oldest entries: ${shown.slice(0, 5)} vs ${expected.slice(0, 5)}`);
    assert(bytes < BUDGET, `the filter downloaded ${bytes} bytes: ${log.map(r => r.url.replace(url, '') + ' ' + r.bytes).join(', ')}`);
    console.log(`     ${n} results, ${bytes} bytes in ${log.length} requests`);
  });

  await run(`a search within a track lists the right entries, newest first, under ${BUDGET} bytes`, async (page, log) => {
    const q = 'ceasefire';
    const tracks = {};
    for (const e of entries) if (e.track_id) tracks[e.track_id] = (tracks[e.track_id] || 0) + 1;
    const [slug] = Object.entries(tracks).sort((a, b) => b[1] - a[1])[0];
    const expected = entries.filter(e => e.track_id === slug && words(textOf(e)).some(w => w.startsWith(q))).map(e => e.id).reverse();
    await viaURL(page, `q=${q}&track=${slug}&order=newest`);
    const bytes = await settled(page, log);
    const n = await count(page);
    assert(n === expected.length, `"${q}" in ${slug}: ${n} results, ${expected.length} entries`);
    const shown = await shownIds(page);
    assert(JSON.stringify(shown) === JSON.stringify(expected.slice(0, shown.length)) && shown.length > 0, `the first results are the newest: ${shown.slice(0, 5)} vs ${expected.slice(0, 5)}`);
    assert(bytes < BUDGET, `the search downloaded ${bytes} bytes: ${log.map(r => r.url.replace(url, '') + ' ' + r.bytes).join(', ')}`);
    console.log(`     ${n} results, ${bytes} bytes in ${log.length} requests`);
  });

  // Two common words: their lists share every segment, so reading them whole would grow
  // with the site. The finder reads only the segments its first screen needs, says "About N"
  // (an estimate for the rest), and counts exactly once the reader has gone through them
  // all. On a site of one segment (the CI's 6,000 entries) the manifest's segment is
  // narrowed to its block before the finder reads it, so that the walk has several; and the
  // finder is told not to read even a free walk (lists already loaded whole) at once
  // (`annalsSearchEager`, the bytes a walk may cost to be read whole, below zero).
  await run(`two common words: the first screen from the segments it needs, an estimate, then the exact count`, async (page, log) => {
    const df = {};
    for (const e of entries) for (const w of new Set(words(textOf(e)).filter(w => w.length >= 5))) df[w] = (df[w] || 0) + 1;
    const common = Object.entries(df).filter(([, k]) => k < entries.length * 0.9).sort((a, b) => b[1] - a[1]);
    const has = (e, q) => words(textOf(e)).some(w => w.startsWith(q));
    // The most common word, and the next common one that is not a prefix of it or it of them.
    const [q1] = common[0];
    const [q2] = common.find(([w]) => !w.startsWith(q1) && !q1.startsWith(w));
    const expected = entries.filter(e => has(e, q1) && has(e, q2)).map(e => e.id);
    assert(expected.length > 60, `"${q1} ${q2}" is in ${expected.length} entries`);
    await page.evaluate(() => {
      window.annalsSearchEager = -1;
      const narrow = x => { if (x && x.n <= x.seg) x.seg = x.block; return x; };
      if (window.annalsIndex) return void narrow(window.annalsIndex);
      // The manifest is loaded on the finder's first use: narrowed as it arrives.
      let index;
      Object.defineProperty(window, 'annalsIndex', { configurable: true, get: () => index, set: v => { index = narrow(v); } });
    });
    await viaURL(page, `q=${encodeURIComponent(q1 + ' ' + q2)}`);
    const bytes = await settled(page, log);
    const heading = await page.textContent('#results-h');
    const m = /^About ([\d,]+) matching/.exec(heading);
    assert(m, `an estimated count: "${heading}"`);
    const about = +m[1].replace(/,/g, '');
    assert(about >= expected.length / 2 && about <= expected.length * 2, `the estimate ${about} is near the ${expected.length} entries`);
    assert(/^≈\d/.test(await page.textContent('[data-track]')), 'the tracks\' counts are estimates too');
    const shown = await shownIds(page);
    assert(JSON.stringify(shown) === JSON.stringify(expected.slice(0, shown.length)) && shown.length > 0, `the first results are the oldest with both words: ${shown.slice(0, 5)} vs ${expected.slice(0, 5)}`);
    assert(bytes < BUDGET, `the search downloaded ${bytes} bytes: ${log.map(r => r.url.replace(url, '') + ' ' + r.bytes).join(', ')}`);
    console.log(`     about ${about} of ${expected.length} results, ${bytes} bytes in ${log.length} requests`);
    if (expected.length > 4000) return;
    // Through to the end: every entry listed once, in order, and the count exact.
    while (await page.isVisible('#results-more')) {
      const before = await page.$$eval('#results-list .entry', l => l.length);
      await page.click('#results-more');
      await page.waitForFunction(k => document.querySelectorAll('#results-list .entry').length > k || document.getElementById('results-more').hidden, before);
    }
    const all = await shownIds(page);
    assert(JSON.stringify(all) === JSON.stringify(expected), `all ${expected.length} listed (${all.length})`);
    assert((await count(page)) === expected.length, `the exact count once all are read: ${await page.textContent('#results-h')}`);
  });

  // Dates alone: read block by block when reading them all would cost more than the
  // finder reads at once. The same dates walked (as above, forced and narrowed) show the
  // same first screen as read whole, an estimate, and the same exact count at the end.
  await run('a date filter walked block by block shows what the whole read shows, then its exact count', async page => {
    const day = e => e.date.start.slice(0, 10);
    const from = day(entries[Math.floor(entries.length * 0.55)]), to = day(entries[Math.floor(entries.length * 0.85)]);
    const qs = `from=${from}&to=${to}`;
    await viaURL(page, qs);
    const n = await count(page), first = await shownIds(page);
    assert(n > 60, `${from} to ${to}: ${n} entries`);
    await page.evaluate(() => {
      window.annalsSearchEager = -1;
      const x = window.annalsIndex;
      if (x.n <= x.seg) x.seg = x.block;
    });
    await viaURL(page, 'q=zzzzzz');
    await viaURL(page, qs);
    const heading = await page.textContent('#results-h');
    assert(/^About [\d,]+ matching/.test(heading), `an estimated count: "${heading}"`);
    eq(await shownIds(page), first, 'the first screen');
    if (n > 4000) return;
    while (await page.isVisible('#results-more')) {
      const before = await page.$$eval('#results-list .entry', l => l.length);
      await page.click('#results-more');
      await page.waitForFunction(k => document.querySelectorAll('#results-list .entry').length > k || document.getElementById('results-more').hidden, before);
    }
    assert((await count(page)) === n, `the exact count once all are read: ${await page.textContent('#results-h')} (read whole: ${n})`);
    eq((await shownIds(page)).length, n, 'entries listed');
  });

  await browser.close();
  server.close();
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}

main().catch(e => { console.error(e); console.log('0 passed, 1 failed'); process.exit(1); });
