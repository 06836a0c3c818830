#!/usr/bin/env node
// Measures the main-thread long tasks (over 50 ms) of cold loads of a built
// site's index page in headless Chromium: the issue's "paints without long
// tasks" check. Each load gets a fresh browser context (empty cache), the
// page is served over loopback, and tasks are recorded from navigation
// until a second after the load event.
//
//   node longtasks.js --site DIR [--runs 10] [--width 1280] [--chromium /usr/bin/chromium]
//
// Every load of the index is paired with a load of a control page served from
// the same origin: forty kilobytes of plain paragraphs, no stylesheet, no
// script. On a slow or shared machine the control shows how often a page with
// no theme at all already has a long task (a cold renderer's navigation
// commit and first layout), so the index's figures can be read against it.
//
// Chromium's Long Tasks API leaves out the rendering steps (style, layout,
// paint), which run in tasks of their own. So each load also records the long
// animation frames (over 50 ms, rendering included) that start before the load
// event: the frames that paint the page.
//
// Prints one line per load pair (long tasks, the longest, long frames, first
// paint, load) and a summary of both; exits 0 whatever it finds (it is a
// measurement, not a test).
'use strict';

const fs = require('fs');
const path = require('path');
const { chromium } = require('playwright-core');
const { parseArgs, CHROMIUM_ARGS, serve } = require('./common');

const args = parseArgs({ runs: '10', width: '1280' });
const SITE = path.resolve(args.site);

// Installed before any of the page's own code runs.
// The control page: deterministic plain text about the size of a first screen's worth of HTML.
const CONTROL_PATH = '/__annals-control.html';
const CONTROL = (() => {
  const words = 'the of front city talks shelling ceasefire report convoy bridge agreement evacuation border council mission'.split(' ');
  let seed = 7;
  const next = () => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed; };
  const paragraphs = [];
  for (let p = 0; p < 200; p++) {
    const w = [];
    for (let i = 0; i < 30; i++) w.push(words[next() % words.length]);
    paragraphs.push(`<p>${w.join(' ')}.</p>`);
  }
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Control</title></head><body>${paragraphs.join('\n')}</body></html>`;
})();

const OBSERVE = () => {
  window.__longTasks = [];
  new PerformanceObserver(list => {
    for (const e of list.getEntries()) window.__longTasks.push(Math.round(e.duration));
  }).observe({ type: 'longtask', buffered: true });
  // null where the browser has no long animation frames to report.
  window.__longFrames = (PerformanceObserver.supportedEntryTypes || []).includes('long-animation-frame') ? [] : null;
  if (window.__longFrames) {
    new PerformanceObserver(list => {
      for (const e of list.getEntries()) window.__longFrames.push([e.startTime, Math.round(e.duration)]);
    }).observe({ type: 'long-animation-frame', buffered: true });
  }
};

async function measure(browser, url) {
  const ctx = await browser.newContext({ viewport: { width: Number(args.width), height: 900 } });
  const page = await ctx.newPage();
  await page.addInitScript(OBSERVE);
  await page.goto(url, { waitUntil: 'load' });
  await page.waitForTimeout(1000);
  const r = await page.evaluate(() => {
    const paint = performance.getEntriesByName('first-contentful-paint')[0];
    const nav = performance.getEntriesByType('navigation')[0];
    const frames = window.__longFrames && window.__longFrames.filter(([start]) => start < nav.loadEventEnd).map(([, ms]) => ms);
    return { tasks: window.__longTasks, frames, fcp: paint ? Math.round(paint.startTime) : null, load: Math.round(nav.loadEventEnd) };
  });
  await ctx.close();
  return r;
}

const frames = r => (r.frames ? `, ${r.frames.length} long frames before load [${r.frames.join(', ')}] ms` : '');
const describe = r => `${r.tasks.length} long tasks [${r.tasks.join(', ')}] ms${frames(r)}, first paint ${r.fcp} ms, load ${r.load} ms`;

// "N of M loads without one; longest per load: median, max" over the lists `pick` gives.
function tally(runs, pick, what) {
  const worst = runs.map(r => (pick(r).length ? Math.max(...pick(r)) : 0)).sort((a, b) => a - b);
  const clean = runs.filter(r => !pick(r).length).length;
  const median = worst[Math.floor((worst.length - 1) / 2)];
  return `${clean} of ${runs.length} loads without a ${what}; the longest per load: median ${median} ms, max ${worst[worst.length - 1]} ms`;
}

function summary(name, runs) {
  const lines = [`${name}: ${tally(runs, r => r.tasks, 'long task')}`];
  if (runs.every(r => r.frames)) lines.push(`${name}: ${tally(runs, r => r.frames, 'long frame before load')}`);
  return lines.join('\n');
}

(async () => {
  const server = await serve(SITE, { [CONTROL_PATH]: CONTROL });
  const base = `http://127.0.0.1:${server.address().port}`;
  const browser = await chromium.launch({ executablePath: args.chromium, args: CHROMIUM_ARGS });
  const bytes = fs.statSync(path.join(SITE, 'index.html')).size;
  console.log(`index.html: ${bytes} bytes; control: ${CONTROL.length} bytes of plain paragraphs; ${args.runs} cold loads of each at ${args.width} px, alternating`);
  const index = [], control = [];
  for (let i = 0; i < Number(args.runs); i++) {
    // Alternate which goes first, so that neither always follows the other.
    const order = i % 2 ? [['control', control, CONTROL_PATH], ['index', index, '/']] : [['index', index, '/'], ['control', control, CONTROL_PATH]];
    const line = [];
    for (const [name, runs, at] of order) {
      const r = await measure(browser, base + at);
      runs.push(r);
      line.push(`${name} ${describe(r)}`);
    }
    console.log(`load ${i + 1}: ${line.join('; ')}`);
  }
  console.log(summary('index', index));
  console.log(summary('control', control));
  await browser.close();
  server.close();
})().catch(e => { console.error(e); process.exit(2); });
