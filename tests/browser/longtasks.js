#!/usr/bin/env node
// Measures the main-thread long tasks (over 50 ms) of cold loads of a built
// site's index page in headless Chromium: the issue's "paints without long
// tasks" check. Each load gets a fresh browser context (empty cache), the
// page is served over loopback, and tasks are recorded from navigation
// until a second after the load event.
//
//   node longtasks.js --site DIR [--runs 10] [--width 1280] [--chromium /usr/bin/chromium]
//
// Every load of the index is taken in turn with a load of a control page served
// from the same origin: forty kilobytes of plain paragraphs, no stylesheet, no
// script. On a slow or shared machine the control shows how often a page with
// no theme at all already has a long task (a cold renderer's navigation
// commit and first layout), so the index's figures can be read against it.
//
// A second reference is the same site's entries as a bare list: every entry of
// the site's `timeline.json` as a dated link under its year, with no stylesheet
// and no script, the way a generator with no theme would publish them. It
// shows what the browser alone spends on painting that many entries, so that
// what the theme adds (or saves, with months it leaves for later) can be told
// apart from the machine's floor.
//
// Chromium's Long Tasks API leaves out the rendering steps (style, layout,
// paint), which run in tasks of their own. So each load also records the long
// animation frames (over 50 ms, rendering included) that start before the load
// event: the frames that paint the page.
//
// Prints one line per round of loads (long tasks, the longest, long frames, first
// paint, load) and a summary of each page; exits 0 whatever it finds (it is a
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

// The site's entries as a bare list, grouped by year; null when the site has no
// timeline.json that can be read and parsed.
const BARE_PATH = '/__annals-bare-list.html';
const BARE = (() => {
  let data;
  try {
    data = JSON.parse(fs.readFileSync(path.join(SITE, 'timeline.json'), 'utf8'));
  } catch {
    return null;
  }
  const esc = s => String(s).replace(/[&<>"]/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);
  const years = new Map();
  for (const e of data.entries || []) {
    const year = e.date.start.slice(0, 4);
    if (!years.has(year)) years.set(year, []);
    years.get(year).push(`<li><time datetime="${esc(e.date.start)}">${esc(e.date.value)}</time> <a href="${esc(e.url)}">${esc(e.title)}</a></li>`);
  }
  const sections = [...years].map(([year, items]) => `<section><h2>${year}</h2>\n<ul>\n${items.join('\n')}\n</ul></section>`);
  const title = esc((data.site && data.site.title) || 'Entries');
  return { html: `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head><body><h1>${title}</h1>\n${sections.join('\n')}</body></html>`, entries: (data.entries || []).length };
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
  const extra = { [CONTROL_PATH]: CONTROL };
  if (BARE) extra[BARE_PATH] = BARE.html;
  const server = await serve(SITE, extra);
  const base = `http://127.0.0.1:${server.address().port}`;
  const browser = await chromium.launch({ executablePath: args.chromium, args: CHROMIUM_ARGS });
  const bytes = fs.statSync(path.join(SITE, 'index.html')).size;
  const bare = BARE ? `; bare list: ${BARE.entries} entries in ${BARE.html.length} bytes` : '; no readable timeline.json, so no bare list';
  console.log(`index.html: ${bytes} bytes; control: ${CONTROL.length} bytes of plain paragraphs${bare}; ${args.runs} cold loads of each at ${args.width} px, in turn, after one load not counted`);
  const pages = [['index', [], '/'], ['control', [], CONTROL_PATH]];
  if (BARE) pages.push(['bare list', [], BARE_PATH]);
  // A load that is not counted: the first page a fresh browser opens also pays
  // for starting its first renderer, whichever page it is.
  await measure(browser, base + CONTROL_PATH);
  for (let i = 0; i < Number(args.runs); i++) {
    // Rotate which goes first, so that none is always the first load of a round.
    const order = pages.map((_, k) => pages[(i + k) % pages.length]);
    const line = [];
    for (const [name, runs, at] of order) {
      const r = await measure(browser, base + at);
      runs.push(r);
      line.push(`${name} ${describe(r)}`);
    }
    console.log(`load ${i + 1}: ${line.join('; ')}`);
  }
  for (const [name, runs] of pages) console.log(summary(name, runs));
  await browser.close();
  server.close();
})().catch(e => { console.error(e); process.exit(2); });
