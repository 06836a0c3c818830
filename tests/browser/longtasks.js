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
const path = require('path');
const { chromium } = require('playwright-core');
const { parseArgs, CHROMIUM_ARGS, serve } = require('./common');

const args = parseArgs({ runs: '10', width: '1280' });
const SITE = path.resolve(args.site);

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
