#!/usr/bin/env node
// Search on a built site, annals' finder against Pagefind's, in headless Chromium:
// for each query, the bytes the browser downloads (from its network log, the page
// itself left out) and the time from the query to the first result on screen, with
// an empty cache each time. bench/search.sh runs it; see bench/README.md.
//
//   node bench/search_bench.js --site DIR [--pagefind DIR] [--queries a,b,c] [--runs 3]
//
// --site is an annals output; --pagefind the same output after `pagefind --site`
// (it holds pagefind/). Prints one JSON line per tool and query.
'use strict';

const path = require('path');
const modules = path.join(__dirname, '..', 'tests', 'browser', 'node_modules');
const { chromium } = require(path.join(modules, 'playwright-core'));
const { parseArgs, CHROMIUM_ARGS, serve } = require('../tests/browser/common');

const args = parseArgs({ pagefind: null, queries: 'ceasefire,drone strike,tribunal', runs: '3' });
const queries = args.queries.split(',');
const median = xs => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };

// Pagefind's own client: its API, the first five results' fragments (what its UI shows).
const HARNESS = `<!doctype html><meta charset="utf-8"><title>pagefind</title><script type="module">
window.run = async q => {
  const t0 = performance.now();
  const pf = await import("/pagefind/pagefind.js");
  await pf.options({ excerptLength: 30 });
  await pf.init();
  const r = await pf.search(q);
  const first = await Promise.all(r.results.slice(0, 5).map(x => x.data()));
  return { n: r.results.length, ms: performance.now() - t0, first: first.length };
};
</script>`;

async function measure(browser, base, tool, q) {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  const log = [];
  let started = 0;
  page.on('request', () => { started++; });
  page.on('requestfailed', () => log.push(0));
  page.on('requestfinished', async req => { const s = await req.sizes().catch(() => null); log.push(s ? s.responseBodySize + s.responseHeadersSize : 0); });
  const ready = async () => { while (log.length < started) await new Promise(r => setTimeout(r, 5)); };
  let out;
  if (tool === 'annals') {
    await page.goto(base);
    await ready();
    log.length = 0; started = 0;
    const ms = await page.evaluate(q => new Promise(resolve => {
      const t0 = performance.now(), list = document.getElementById('results-list');
      new MutationObserver((_, obs) => { if (list.querySelector('.entry, .empty')) { obs.disconnect(); resolve(performance.now() - t0); } }).observe(list, { childList: true, subtree: true });
      const f = document.getElementById('f-q');
      f.value = q;
      document.getElementById('finder').dispatchEvent(new Event('submit', { cancelable: true }));
    }), q);
    const n = +((/^([\d,]+) matching/.exec(await page.textContent('#results-h')) || [0, '0'])[1].replace(/,/g, ''));
    await ready();
    // The same query again, its shards now loaded: the time the finder itself takes.
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
    out = { n, ms, warm };
  } else {
    await page.goto(base + '__pagefind_bench.html');
    await page.waitForFunction(() => typeof window.run === 'function');
    await ready();
    log.length = 0; started = 0;
    out = await page.evaluate(q => window.run(q), q);
  }
  await ready();
  const bytes = log.reduce((a, b) => a + b, 0);
  await ctx.close();
  return { ...out, bytes, requests: log.length };
}

async function main() {
  const browser = await chromium.launch({ executablePath: args.chromium, args: CHROMIUM_ARGS });
  const sites = [['annals', args.site, {}]];
  if (args.pagefind) sites.push(['pagefind', args.pagefind, { '/__pagefind_bench.html': HARNESS }]);
  for (const [tool, dir, extra] of sites) {
    const server = await serve(path.resolve(dir), extra);
    const base = `http://127.0.0.1:${server.address().port}/`;
    for (const q of queries) {
      const runs = [];
      for (let i = 0; i < +args.runs; i++) runs.push(await measure(browser, base, tool, q));
      console.log(JSON.stringify({ tool, query: q, results: runs[0].n, bytes: runs[0].bytes, requests: runs[0].requests, ms_median: Math.round(median(runs.map(r => r.ms))), warm_ms_median: runs[0].warm === undefined ? null : Math.round(median(runs.map(r => r.warm))) }));
    }
    server.close();
  }
  await browser.close();
}

main().catch(e => { console.error(e); process.exit(1); });
