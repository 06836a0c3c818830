#!/usr/bin/env node
// Measures the main-thread long tasks (over 50 ms) of cold loads of a built
// site's index page in headless Chromium: the issue's "paints without long
// tasks" check. Each load gets a fresh browser context (empty cache), the
// page is served over loopback, and tasks are recorded from navigation
// until a second after the load event.
//
//   node longtasks.js --site DIR [--runs 10] [--width 1280] [--chromium /usr/bin/chromium]
//
// Prints one line per load (long tasks, the longest, first paint, load)
// and a summary; exits 0 whatever it finds (it is a measurement, not a test).
'use strict';

const fs = require('fs');
const http = require('http');
const path = require('path');
const { chromium } = require('playwright-core');

const args = { site: null, runs: '10', width: '1280', chromium: process.env.CHROMIUM || '/usr/bin/chromium' };
for (let i = 2; i < process.argv.length; i += 2) {
  const key = process.argv[i].replace(/^--/, '');
  if (!(key in args)) throw new Error(`unknown argument ${process.argv[i]}`);
  args[key] = process.argv[i + 1];
}
if (!args.site) throw new Error('--site DIR is required');
const SITE = path.resolve(args.site);

const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--no-proxy-server', '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost',
];
const TYPES = { '.html': 'text/html; charset=utf-8', '.css': 'text/css', '.js': 'text/javascript', '.svg': 'image/svg+xml' };

function serve(root) {
  const server = http.createServer((req, res) => {
    let rel = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    if (rel.endsWith('/')) rel += 'index.html';
    const file = path.join(root, path.normalize(rel));
    if (!file.startsWith(root)) { res.writeHead(403); res.end(); return; }
    fs.readFile(file, (err, data) => {
      if (err) { res.writeHead(404); res.end(); return; }
      res.writeHead(200, { 'Content-Type': TYPES[path.extname(file)] || 'application/octet-stream' });
      res.end(data);
    });
  });
  return new Promise(resolve => server.listen(0, '127.0.0.1', () => resolve(server)));
}

// Installed before any of the page's own code runs.
const OBSERVE = () => {
  window.__longTasks = [];
  new PerformanceObserver(list => {
    for (const e of list.getEntries()) window.__longTasks.push(Math.round(e.duration));
  }).observe({ type: 'longtask', buffered: true });
};

(async () => {
  const server = await serve(SITE);
  const url = `http://127.0.0.1:${server.address().port}/`;
  const browser = await chromium.launch({ executablePath: args.chromium, args: CHROMIUM_ARGS });
  const bytes = fs.statSync(path.join(SITE, 'index.html')).size;
  console.log(`index.html: ${bytes} bytes; ${args.runs} cold loads at ${args.width} px`);
  const worst = [];
  let clean = 0;
  for (let i = 0; i < Number(args.runs); i++) {
    const ctx = await browser.newContext({ viewport: { width: Number(args.width), height: 900 } });
    const page = await ctx.newPage();
    await page.addInitScript(OBSERVE);
    await page.goto(url, { waitUntil: 'load' });
    await page.waitForTimeout(1000);
    const r = await page.evaluate(() => {
      const paint = performance.getEntriesByName('first-contentful-paint')[0];
      const nav = performance.getEntriesByType('navigation')[0];
      return { tasks: window.__longTasks, fcp: paint ? Math.round(paint.startTime) : null, load: Math.round(nav.loadEventEnd) };
    });
    const longest = r.tasks.length ? Math.max(...r.tasks) : 0;
    worst.push(longest);
    if (!r.tasks.length) clean++;
    console.log(`load ${i + 1}: ${r.tasks.length} long tasks [${r.tasks.join(', ')}] ms; first contentful paint ${r.fcp} ms; load event ${r.load} ms`);
    await ctx.close();
  }
  worst.sort((a, b) => a - b);
  const median = worst[Math.floor((worst.length - 1) / 2)];
  console.log(`${clean} of ${worst.length} loads without a long task; longest task per load: median ${median} ms, max ${worst[worst.length - 1]} ms`);
  await browser.close();
  server.close();
})().catch(e => { console.error(e); process.exit(2); });
