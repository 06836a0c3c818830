#!/usr/bin/env node
// Browser tests of the built-in theme: a built site served over loopback (and
// once from file://), driven in headless Chromium through playwright-core.
//
//   node run.js --site DIR [--long-site DIR] [--chromium /usr/bin/chromium] [--only NAME]
//
// Expectations come from the site's own timeline.json, so any content works.
// --long-site is a built long single-page timeline (long-site.js writes one):
// the tests of jumps, reloads and scrolling while its far months are still
// being laid out run on it (on --site without it).
// Prints one line per test and a final "N passed, N failed"; exits 1 on failure.
'use strict';

const fs = require('fs');
const path = require('path');
const { chromium } = require('playwright-core');
const { parseArgs, CHROMIUM_ARGS, serve } = require('./common');

const args = parseArgs({ only: null, 'long-site': null });
const SITE = path.resolve(args.site);


const timeline = JSON.parse(fs.readFileSync(path.join(SITE, 'timeline.json'), 'utf8'));
const BASE_URL = timeline.site.base_url;
const entries = timeline.entries.map(e => ({ ...e, path: e.url.slice(BASE_URL.length) }));
// TimelineJS3 from npm, for the test of the timelinejs.json export.
const TIMELINEJS_DIST = path.join(__dirname, 'node_modules/@knight-lab/timelinejs/dist');

function assert(cond, message) { if (!cond) throw new Error(message); }
function eq(actual, expected, what) {
  if (JSON.stringify(actual) !== JSON.stringify(expected)) {
    throw new Error(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
  }
}

const tests = [];
function test(name, fn) { tests.push({ name, fn }); }

// What the results list shows: its entries' titles, links and classes.
async function results(page) {
  return page.$$eval('#results-list .entry', els => els.map(e => ({
    title: e.querySelector('.e-title').textContent,
    href: e.querySelector('.e-title a').getAttribute('href'),
    text: e.textContent,
    className: e.className,
  })));
}
async function resultCount(page) {
  const heading = await page.textContent('#results-h');
  const m = /^([\d,]+) matching/.exec(heading);
  return m ? +m[1].replace(/,/g, '') : 0;
}
// Each batch of results loads its rows before it is shown: wait for it.
async function showAll(page) {
  while (await page.isVisible('#results-more')) {
    const before = await page.$$eval('#results-list .entry', l => l.length);
    await page.click('#results-more');
    await page.waitForFunction(n => document.querySelectorAll('#results-list .entry').length > n || document.getElementById('results-more').hidden, before);
  }
}
async function waitForResults(page) {
  await page.waitForFunction(() => {
    const r = document.getElementById('results');
    return r && !r.hidden && /matching/.test(document.getElementById('results-h').textContent);
  });
}
function entryOf(href) {
  const p = href.replace(/^(\.\.\/|\.\/)+/, '').replace(/index\.html$/, '');
  return entries.find(e => e.path === p);
}

// ---------------------------------------------------------------------------

test('index loads without console errors and shows the finder', async ({ page, url, errors }) => {
  await page.goto(url);
  assert(await page.isVisible('#finder'), 'the finder form is visible');
  assert(await page.isVisible('#chronicle'), 'the chronicle is visible');
  assert(!(await page.isVisible('#results')), 'no results before a query');
  const cards = await page.$$eval('#chronicle .entry', els => els.length);
  assert(cards > 0, 'the first page lists entries');
  eq(errors, [], 'console errors');
});

test('typing a query filters the list, as you type', async ({ page, url }) => {
  await page.goto(url);
  // The most frequent longer word of the titles makes a query with several, but not all, matches.
  const words = {};
  for (const e of entries) for (const w of new Set(e.title.toLowerCase().match(/[a-z]{6,}/g) || [])) words[w] = (words[w] || 0) + 1;
  const [word] = Object.entries(words).filter(([, n]) => n < entries.length / 2).sort((a, b) => b[1] - a[1])[0];
  await page.click('#f-q');
  await page.keyboard.type(word, { delay: 30 });
  await waitForResults(page);
  await page.waitForFunction(w => new URLSearchParams(location.search).get('q') === w, word);
  const n = await resultCount(page);
  const titled = entries.filter(e => e.title.toLowerCase().includes(word)).length;
  assert(n >= titled && n < entries.length, `"${word}": ${n} results, ${titled} titles contain it, ${entries.length} entries`);
  assert(!(await page.isVisible('#chronicle')), 'the chronicle gives way to the results');
  await showAll(page);
  const shown = await results(page);
  eq(shown.length, n, 'results listed');
  for (const r of shown) assert(r.text.toLowerCase().includes(word) || entryOf(r.href), `result "${r.title}" matches`);
  assert((await page.$$eval('#results-list mark', m => m.length)) > 0, 'matches are highlighted');
  const status = await page.textContent('#f-status');
  assert(status.includes(`${n.toLocaleString('en')} of ${entries.length.toLocaleString('en')}`), `count shown: ${status}`);
  // One more letter narrows the list without a reload (showing all moved the focus).
  await page.focus('#f-q');
  await page.keyboard.press('End');
  await page.keyboard.type('zzzz');
  await page.waitForFunction(() => /No matching/.test(document.getElementById('results-h').textContent));
  await page.fill('#f-q', '');
  await page.waitForFunction(() => document.getElementById('results').hidden);
  assert(await page.isVisible('#chronicle'), 'clearing the query brings the chronicle back');
});

test('a track filter lands in the URL and survives a reload', async ({ page, url }) => {
  await page.goto(url);
  const tracks = await page.$$eval('input[name="track"]', els => els.map(e => e.value));
  assert(tracks.length > 0, 'tracks to pick');
  const track = tracks[0];
  const expected = entries.filter(e => e.track && e.track.toLowerCase().replace(/[^a-z0-9]+/g, '-') === track).length;
  await page.check(`input[name="track"][value="${track}"]`);
  await waitForResults(page);
  eq(new URL(page.url()).searchParams.getAll('track'), [track], 'track in the URL');
  eq(await resultCount(page), expected, `entries in track ${track}`);
  await page.reload();
  await waitForResults(page);
  assert(await page.isChecked(`input[name="track"][value="${track}"]`), 'the chip is still checked after reload');
  eq(await resultCount(page), expected, 'entries after reload');
  await showAll(page);
  for (const r of await results(page)) eq(entryOf(r.href) && entryOf(r.href).track.toLowerCase().replace(/[^a-z0-9]+/g, '-'), track, `track of "${r.title}"`);
});

test('the back button restores the previous filter', async ({ page, url }) => {
  await page.goto(url);
  const track = await page.$eval('input[name="track"]', e => e.value);
  await page.check(`input[name="track"][value="${track}"]`);
  await waitForResults(page);
  const before = await resultCount(page);
  await page.check('input[name="major"]');
  await page.waitForFunction(() => new URLSearchParams(location.search).get('major') === '1');
  const major = await resultCount(page);
  assert(major <= before, 'major only narrows the list');
  await page.goBack();
  await page.waitForFunction(() => !new URLSearchParams(location.search).has('major'));
  assert(!(await page.isChecked('input[name="major"]')), 'major only is unchecked again');
  assert(await page.isChecked(`input[name="track"][value="${track}"]`), 'the track is still picked');
  await page.waitForFunction(n => document.getElementById('results-h').textContent.startsWith(n.toLocaleString('en') + ' '), before);
  await page.goBack();
  await page.waitForFunction(() => document.getElementById('results').hidden);
  assert(await page.isVisible('#chronicle'), 'back at the start, the chronicle shows again');
  await page.goForward();
  await waitForResults(page);
  eq(await resultCount(page), before, 'forward again');
});

test('status, actor and date filters from the URL', async ({ page, url }) => {
  const disputed = entries.filter(e => e.status === 'disputed').length;
  await page.goto(url + '?status=disputed');
  if (disputed) { await waitForResults(page); eq(await resultCount(page), disputed, 'disputed entries'); }
  const actor = entries.flatMap(e => e.actors.map(a => a.id)).sort()[0];
  if (actor) {
    await page.goto(url + '?actor=' + actor);
    await waitForResults(page);
    eq(await resultCount(page), entries.filter(e => e.actors.some(a => a.id === actor)).length, `entries with ${actor}`);
    assert(await page.$eval('select[name="actor"]', s => s.value) === actor, 'the actor is selected');
  }
  const year = entries[Math.floor(entries.length / 2)].date.start.slice(0, 4);
  await page.goto(`${url}?from=${year}-01-01&to=${year}-12-31`);
  await waitForResults(page);
  await showAll(page);
  for (const r of await results(page)) {
    const e = entryOf(r.href);
    const start = e.date.start.slice(0, 4), end = (e.end || e.date).start.slice(0, 4);
    assert(start <= year && end >= year, `"${r.title}" (${start}–${end}) overlaps ${year}`);
  }
});

test('"More filters" adds its fields when opened, and they filter', async ({ page, url }) => {
  await page.goto(url);
  eq(await page.$$eval('#finder select:not(#f-order), #finder input[type="date"]', els => els.length), 0, 'fields of the closed grid before the reader comes near it');
  await page.click('#f-more > summary');
  assert(await page.isVisible('select[name="status"]'), 'the status field shows once the details are open');
  assert(await page.isVisible('input[name="from"]'), 'the date fields show too');
  const status = ['disputed', 'unverified', 'debunked'].find(s => entries.some(e => e.status === s));
  if (!status) return;
  await page.selectOption('select[name="status"]', status);
  await waitForResults(page);
  eq(await resultCount(page), entries.filter(e => e.status === status).length, `${status} entries`);
  assert(new URL(page.url()).searchParams.get('status') === status, 'the status lands in the URL');
  await page.reload();
  await waitForResults(page);
  eq(await page.$eval('select[name="status"]', s => s.value), status, 'the status field after a reload');
  assert(await page.$eval('#f-more', d => d.open), 'the details open by themselves for a state that needs them');
});

test('the status filter narrows the list to that status and lands in the URL', async ({ page, url }) => {
  const status = ['corroborated', 'disputed', 'debunked', 'unverified'].find(s => entries.some(e => e.status === s));
  if (!status) return;
  const label = status[0].toUpperCase() + status.slice(1);
  await page.goto(url);
  await page.click('#f-more > summary');
  await page.selectOption('select[name="status"]', status);
  await waitForResults(page);
  const wanted = entries.filter(e => e.status === status).length;
  eq(await resultCount(page), wanted, `${status} entries`);
  assert(wanted < entries.length, 'the filter leaves some entries out');
  eq(new URL(page.url()).searchParams.get('status'), status, 'the status in the URL');
  await showAll(page);
  for (const r of await results(page)) {
    assert(r.className.includes(`st-${status}`), `"${r.title}" is ${status}`);
    assert(r.text.includes(`Status: ${label}`), `"${r.title}" carries the ${label} badge`);
  }
  // The same URL opened afresh gives the same list.
  await page.goto(url + '?status=' + status);
  await waitForResults(page);
  eq(await resultCount(page), wanted, 'from the URL');
});

test('a figure filter keeps the events that claim that kind of figure', async ({ page, url }) => {
  const kind = entries.flatMap(e => (e.figures || []).map(f => f.kind))[0];
  if (!kind) return;
  await page.goto(url + '?figure=' + kind);
  await waitForResults(page);
  eq(await resultCount(page), entries.filter(e => (e.figures || []).some(f => f.kind === kind)).length, `events with ${kind}`);
  eq(await page.$eval('select[name="figure"]', s => s.value), kind, 'the kind is selected');
});

test('with JavaScript off, a content warning hides its content until opened', async ({ browser, url }) => {
  const warned = entries.find(e => e.kind === 'event' && e.content_warning);
  if (!warned) return;
  const ctx = await browser.newContext({ javaScriptEnabled: false });
  const page = await ctx.newPage();
  await page.goto(url + warned.path);
  const summary = 'details.cw .summary';
  assert(await page.isVisible(`details.cw > summary >> text=${warned.content_warning}`), 'the warning is shown');
  assert(!(await page.isVisible(summary)), 'the summary is hidden behind the warning');
  await page.click('details.cw > summary');
  assert(await page.isVisible(summary), 'opening the warning shows the summary');
  // Its card on the month's archive page hides its excerpt too.
  await page.goto(url + 'years/' + warned.date.start.slice(0, 4) + '/' + warned.date.start.slice(5, 7) + '/');
  const card = page.locator('.entry', { has: page.locator(`a[href$="${warned.path}"]`) });
  if (await card.locator('.e-sum').count()) {
    assert(!(await card.locator('.e-sum').isVisible()), 'the card hides its excerpt');
    await card.locator('details.cw > summary').click();
    assert(await card.locator('.e-sum').isVisible(), 'and shows it once opened');
  }
  await ctx.close();
});

test('"reveal all" opens every content warning and is remembered', async ({ page, url, errors }) => {
  const warned = entries.find(e => e.content_warning);
  if (!warned) return;
  await page.goto(url + warned.path);
  const button = page.locator('button.cw-all');
  await button.waitFor();
  eq(await button.getAttribute('aria-pressed'), 'false', 'not pressed at first');
  assert(!(await page.$eval('details.cw', d => d.open)), 'closed at first');
  await button.click();
  assert(await page.$eval('details.cw', d => d.open), 'opened by the button');
  await page.reload();
  await page.locator('button.cw-all[aria-pressed="true"]').waitFor();
  assert(await page.$$eval('details.cw', ds => ds.every(d => d.open)), 'still open after a reload');
  eq(errors, [], 'console errors');
});

test('nothing moves when the script starts: no layout shift on the index or a warned page', async ({ browser, url }) => {
  const warned = entries.find(e => e.content_warning);
  for (const width of [390, 1280]) {
    for (const where of ['', ...(warned ? [warned.path] : [])]) {
      const ctx = await browser.newContext({ viewport: { width, height: 900 } });
      const page = await ctx.newPage();
      await page.addInitScript(() => {
        window.__shifts = [];
        new PerformanceObserver(list => {
          for (const e of list.getEntries()) {
            if (!e.hadRecentInput) window.__shifts.push({ value: e.value, nodes: (e.sources || []).map(s => s.node && s.node.className) });
          }
        }).observe({ type: 'layout-shift', buffered: true });
      });
      await page.goto(url + where, { waitUntil: 'load' });
      // Two frames after load: the script's changes are laid out.
      await page.evaluate(() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r))));
      const shifts = await page.evaluate(() => window.__shifts);
      eq(shifts, [], `layout shifts on /${where} at ${width} px`);
      if (where) assert(await page.locator('main > button.cw-all').isVisible(), 'the "reveal all" button is there');
      await ctx.close();
    }
  }
});

test('the search field of other pages opens the filtered timeline', async ({ page, url }) => {
  const event = entries.find(e => e.kind === 'event');
  await page.goto(url + event.path);
  const word = (event.title.match(/[A-Za-z]{5,}/) || [event.title])[0];
  await page.fill('#quick-q', word);
  await page.press('#quick-q', 'Enter');
  await page.waitForURL(u => new URL(u).searchParams.get('q') === word);
  await waitForResults(page);
  assert((await resultCount(page)) >= 1, `results for "${word}"`);
  eq(await page.inputValue('#f-q'), word, 'the query is in the finder');
});

test('with JavaScript disabled every entry is reachable by links', async ({ browser, url }) => {
  const ctx = await browser.newContext({ javaScriptEnabled: false });
  const page = await ctx.newPage();
  await page.goto(url);
  assert(!(await page.isVisible('#finder')), 'the finder is hidden without JavaScript');
  assert(await page.isVisible('.nojs-note'), 'a note says where to browse instead');
  // Crawl the site from the home page through its own links, as a reader
  // without JavaScript would; entry pages are leaves (reaching them is the point).
  const seen = new Set(['']), queue = [''];
  const origin = new URL(url);
  await ctx.route(/\.(css|svg|js)$/, route => route.abort());
  let busy = 0;
  const worker = async () => {
    const tab = await ctx.newPage();
    for (;;) {
      if (!queue.length) {
        if (!busy) break;
        await new Promise(r => setTimeout(r, 20));
        continue;
      }
      const rel = queue.shift();
      busy++;
      try {
        const res = await tab.goto(url + rel, { waitUntil: 'domcontentloaded' });
        assert(res.ok(), `${rel || '/'} answers ${res.status()}`);
        // An SVG link (the map's marks) has an SVGAnimatedString for `href`, not a URL string.
        const hrefs = await tab.$$eval('a[href]', as => as.map(a => typeof a.href === 'string' ? a.href : new URL(a.href.baseVal, document.baseURI).href));
        for (const h of hrefs) {
          const u = new URL(h);
          if (u.origin !== origin.origin || !u.pathname.endsWith('/')) continue;
          const p = u.pathname.slice(origin.pathname.length);
          if (seen.has(p)) continue;
          seen.add(p);
          if (!/^(events|articles)\//.test(p)) queue.push(p);
        }
      } finally {
        busy--;
      }
    }
    await tab.close();
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
  const missing = entries.filter(e => !seen.has(e.path)).map(e => e.path);
  eq(missing, [], 'entries not reached');
  await ctx.close();
});

test('the finder reads search rows by column name, and refuses columns it does not know', async ({ page, url }) => {
  // Each cell a result shows comes from the row's column of that name: title,
  // kind, track, status and the link (id) agree with timeline.json.
  const entry = entries.find(e => e.kind === 'event' && e.track && /[A-Za-z]{6,}/.test(e.title)) || entries[0];
  const word = (entry.title.match(/[A-Za-z]{6,}/) || [entry.title])[0];
  await page.goto(url + '?q=' + encodeURIComponent(word));
  await waitForResults(page);
  await showAll(page);
  const shown = (await results(page)).find(r => entryOf(r.href) === entry);
  assert(shown, `"${entry.title}" is among the results for "${word}"`);
  eq(shown.title, entry.title, 'the title cell');
  assert(shown.className.includes(entry.kind === 'article' ? 'art' : 'ev'), `the kind cell: ${shown.className}`);
  if (entry.track) assert(shown.text.includes(entry.track), `the track cell: ${shown.text}`);
  if (entry.status !== 'confirmed') assert(shown.className.includes('st-' + entry.status), `the status cell: ${shown.className}`);
  // An index whose columns were renamed on the Rust side only: the finder
  // says so instead of reading other cells in their place.
  const index = fs.readFileSync(path.join(SITE, 'search-index.js'), 'utf8');
  assert(index.includes('"cols":["id","kind","title"'), 'the index names its columns');
  const renamed = index.replace('"cols":["id","kind","title"', '"cols":["id","kind","headline"');
  const other = await page.context().newPage();
  await other.route('**/search-index.js', route => route.fulfill({ body: renamed, contentType: 'text/javascript' }));
  await other.goto(url + '?q=' + encodeURIComponent(word));
  await other.waitForFunction(() => /does not match/.test(document.getElementById('f-status').textContent));
  assert((await other.textContent('#f-status')).includes('title'), 'the missing column is named');
  eq(await other.$$eval('#results-list .entry', els => els.length), 0, 'results from a misread index');
  await other.close();
});

test('opened from file://, search works and links lead to pages', async ({ browser, errors }) => {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  page.on('pageerror', e => errors.push(String(e)));
  await page.goto('file://' + path.join(SITE, 'index.html'));
  const first = entries[0];
  const word = (first.title.match(/[A-Za-z]{5,}/) || [first.title])[0];
  await page.fill('#f-q', word);
  await waitForResults(page);
  assert((await resultCount(page)) > 0, `results for "${word}" from file://`);
  await page.click('#results-list .e-title a');
  await page.waitForLoadState('load');
  assert(/\/index\.html$/.test(new URL(page.url()).pathname), `a result opens a page, not a folder: ${page.url()}`);
  assert(await page.isVisible('h1'), 'the page has a heading');
  // Plain links are pointed at index.html when used.
  await page.click('.site-nav a[href$="years/"]');
  await page.waitForLoadState('load');
  assert(page.url().endsWith('/years/index.html'), `archive link from file://: ${page.url()}`);
  eq(errors, [], 'errors from file://');
  await ctx.close();
});

test('event pages carry schema.org Event data, Open Graph and the mini-timeline', async ({ page, url, errors }) => {
  const event = entries.find(e => e.kind === 'event');
  await page.goto(url + event.path);
  const data = JSON.parse(await page.textContent('script[type="application/ld+json"]'));
  eq(data['@type'], 'Event', 'JSON-LD type');
  eq(data.name, event.title, 'JSON-LD name');
  assert(await page.getAttribute('meta[property="og:title"]', 'content'), 'og:title');
  assert(await page.getAttribute('meta[name="twitter:card"]', 'content'), 'twitter:card');
  assert((await page.$$('.mini-i.is-current')).length === 1, 'the mini-timeline marks this event');
  eq(await page.inputValue('#permalink'), event.url, 'permalink');
  eq(errors, [], 'console errors');
});

test('keyboard: skip link first, visible focus, "/" focuses search', async ({ page, url }) => {
  await page.goto(url);
  await page.keyboard.press('Tab');
  eq(await page.evaluate(() => document.activeElement.className), 'skip-link', 'first Tab stop');
  const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
  assert(outline !== 'none', 'focus is visible');
  await page.keyboard.press('Escape');
  await page.evaluate(() => document.activeElement.blur());
  await page.keyboard.press('/');
  eq(await page.evaluate(() => document.activeElement.id), 'f-q', 'focus after "/"');
});

test('the context bar names the month and era being read', async ({ page, url }) => {
  await page.goto(url);
  const months = await page.$$eval('#chronicle .month', els => els.map(e => e.id));
  if (months.length < 3) return;
  const target = months[Math.floor(months.length / 2)];
  // Months far down are laid out in idle periods after load; the jump waits for them, since
  // a jump over months not yet laid out can land beside its target.
  await page.waitForFunction(() => !document.querySelector('.lazy'));
  await page.evaluate(id => document.getElementById(id).scrollIntoView(), target);
  await page.waitForTimeout(200);
  const label = await page.$eval(`#${target} .month-h`, h => h.firstChild.textContent.trim());
  await page.waitForFunction(l => document.querySelector('.cb-when').textContent === l, label);
  assert(await page.$eval('.context-bar', b => getComputedStyle(b).visibility === 'visible'), 'the bar shows once scrolled');
});

test('at 320 px a jump shows its month heading below the context bar', async ({ browser, url }) => {
  const ctx = await browser.newContext({ viewport: { width: 320, height: 700 }, isMobile: true, hasTouch: true });
  const page = await ctx.newPage();
  await page.goto(url, { waitUntil: 'load' });
  // The month after the one where the era with the longest name and span begins: there
  // the bar holds its longest text.
  const id = await page.evaluate(() => {
    const months = [...document.querySelectorAll('#chronicle .month')];
    let best = null, longest = -1;
    for (const band of document.querySelectorAll('#chronicle .era-band')) {
      const text = `${band.dataset.era} (${band.dataset.when})`;
      const next = months[months.indexOf(band.closest('.month')) + 1];
      if (next && text.length > longest) { best = next.id; longest = text.length; }
    }
    return best;
  });
  if (!id) { await ctx.close(); return; }
  await page.evaluate(id => { location.hash = id; }, id);
  await page.waitForTimeout(800);
  const r = await page.evaluate(id => {
    const bar = document.querySelector('.context-bar');
    return {
      on: getComputedStyle(bar).visibility === 'visible',
      era: bar.querySelector('.cb-era').textContent,
      barBottom: bar.getBoundingClientRect().bottom,
      headingTop: document.querySelector(`#${id} .month-h`).getBoundingClientRect().top,
    };
  }, id);
  await ctx.close();
  assert(r.on && r.era, `the bar shows with the era at #${id}`);
  assert(r.headingTop >= r.barBottom - 1,
    `#${id}: the month heading's top (${Math.round(r.headingTop)}px) is under the bar, which ends at ${Math.round(r.barBottom)}px`);
});

// How far a jumped-to element is from where a jump puts it (its scroll margin below the
// top of the window), and whether the page is scrolled to its end (where it cannot get there).
const landing = (page, id) => page.evaluate(id => {
  const t = document.getElementById(id);
  return {
    off: Math.round(t.getBoundingClientRect().top - (parseFloat(getComputedStyle(t).scrollMarginTop) || 0)),
    atEnd: scrollY + innerHeight >= document.documentElement.scrollHeight - 2,
  };
}, id);

test('a jump made right after load lands on its month', async ({ page, longUrl }) => {
  await page.goto(longUrl, { waitUntil: 'load' });
  const hrefs = await page.$$eval('.jy-m a', as => as.map(a => a.getAttribute('href')));
  if (!hrefs.length) return;
  // Months far down wait to be laid out with estimated heights: a jump over them lands
  // wherever the estimates put its target, unless it is aligned again.
  const lazy = await page.$$eval('.lazy', els => els.length);
  const href = hrefs[Math.floor(hrefs.length * 0.6)], id = href.split('#')[1];
  await page.click(`.jy-m a[href="${href}"]`);
  await page.waitForFunction(h => location.hash === h, '#' + id);
  await page.waitForTimeout(300);
  const r = await landing(page, id);
  assert(Math.abs(r.off) <= 2 || r.atEnd, `#${id} lands ${r.off}px from where it belongs (${lazy} months were waiting)`);
  // Back at the top, the same link again: no hashchange this time.
  await page.evaluate(() => scrollTo(0, 0));
  await page.click(`.jy-m a[href="${href}"]`);
  await page.waitForTimeout(300);
  const again = await landing(page, id);
  assert(Math.abs(again.off) <= 2 || again.atEnd, `clicked again, #${id} lands ${again.off}px off`);
});

test('a second jump made while the first is held lands on its own month', async ({ page, longUrl }) => {
  await page.goto(longUrl, { waitUntil: 'load' });
  const hrefs = await page.$$eval('.jy-m a', as => as.map(a => a.getAttribute('href')));
  if (hrefs.length < 10) return;
  const [first, second] = [hrefs[Math.floor(hrefs.length * 0.4)], hrefs[Math.floor(hrefs.length * 0.7)]];
  const id = second.split('#')[1];
  await page.click(`.jy-m a[href="${first}"]`);
  await page.waitForTimeout(100);
  await page.click(`.jy-m a[href="${second}"]`);
  await page.waitForFunction(h => location.hash === h, '#' + id);
  // Sampled over the next half second: a hold left over from the first jump would pull
  // the view back to its month every other frame.
  const seen = [];
  for (let i = 0; i < 6; i++) {
    await page.waitForTimeout(80);
    seen.push(await landing(page, id));
  }
  const offs = seen.map(r => r.off);
  assert(seen[seen.length - 1].atEnd || offs.slice(2).every(o => Math.abs(o) <= 2), `#${id} after the second jump: ${offs.join(', ')} px from where it belongs`);
});

test('a reload puts the reader back where they were on a long page', async ({ page, longUrl }) => {
  await page.goto(longUrl, { waitUntil: 'load' });
  const months = await page.$$eval('#chronicle .month', els => els.map(e => e.id));
  if (months.length < 20) return;
  // Far into the page, between two month headings, before the far months are all laid out.
  const id = months[Math.floor(months.length * 0.7)];
  await page.evaluate(id => document.getElementById(id).scrollIntoView(), id);
  await page.mouse.wheel(0, 150);
  await page.waitForTimeout(300);
  const before = await page.evaluate(id => document.getElementById(id).getBoundingClientRect().top, id);
  await page.reload({ waitUntil: 'load' });
  await page.waitForTimeout(800);
  const after = await page.evaluate(id => document.getElementById(id).getBoundingClientRect().top, id);
  assert(Math.abs(after - before) <= 2, `#${id} was at ${Math.round(before)}px before the reload, at ${Math.round(after)}px after`);
});

test('scrolling up from deep in a long page moves the view by the scroll, no more', async ({ page, longUrl }) => {
  await page.goto(longUrl, { waitUntil: 'load' });
  const months = await page.$$eval('#chronicle .month', els => els.map(e => e.id));
  if (months.length < 20) return;
  // Opened deep in the page, the months above the reader are laid out while they read:
  // each must leave the view where it was, or scrolling back up jumps.
  await page.goto(longUrl + '#' + months[Math.floor(months.length * 0.7)], { waitUntil: 'load' });
  await page.waitForTimeout(1500);
  const off = [];
  for (let i = 0; i < 15; i++) {
    const before = await page.evaluate(() => { window.__seen = document.elementFromPoint(innerWidth / 2, innerHeight / 2); return window.__seen.getBoundingClientRect().top; });
    await page.mouse.wheel(0, -400);
    await page.waitForTimeout(120);
    const moved = await page.evaluate(() => window.__seen.getBoundingClientRect().top) - before;
    if (Math.abs(moved - 400) > 2) off.push(Math.round(moved));
  }
  assert(!off.length, `a 400 px scroll up moved the view by ${off.join(', ')} px`);
});

test('no horizontal overflow at 320 px; dark mode changes the palette', async ({ browser, url }) => {
  const event = entries.find(e => e.kind === 'event');
  const article = entries.find(e => e.kind === 'article');
  for (const scheme of ['light', 'dark']) {
    const ctx = await browser.newContext({ viewport: { width: 320, height: 700 }, isMobile: true, hasTouch: true, colorScheme: scheme });
    const page = await ctx.newPage();
    const backgrounds = [];
    for (const p of ['', event.path, article && article.path, 'actors/', 'years/'].filter(x => x !== undefined)) {
      await page.goto(url + p);
      const wide = await page.evaluate(() => document.documentElement.scrollWidth);
      assert(wide <= 320, `${p || 'index'} is ${wide}px wide at 320px (${scheme})`);
      backgrounds.push(await page.evaluate(() => getComputedStyle(document.body).backgroundColor));
    }
    const lum = backgrounds[0].match(/\d+/g).slice(0, 3).reduce((a, b) => a + +b, 0);
    assert(scheme === 'dark' ? lum < 200 : lum > 600, `${scheme} background ${backgrounds[0]}`);
    await ctx.close();
  }
});

test('timelinejs.json loads in TimelineJS3: one slide per entry, titles and years as ours', async ({ page, url, errors }) => {
  // TimelineJS's files are served from the site's own origin (Chromium
  // refuses scripts from another loopback port).
  await page.route('**/__timelinejs/**', route => {
    const rel = new URL(route.request().url()).pathname.replace(/^.*\/__timelinejs\//, '');
    return route.fulfill({ path: path.join(TIMELINEJS_DIST, path.normalize(rel)) });
  });
  await page.route('**/__timelinejs.html', route => route.fulfill({
    contentType: 'text/html',
    body: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>TimelineJS</title>
      <link rel="stylesheet" href="__timelinejs/css/timeline.css"></head>
      <body><div id="tl" style="width:1000px;height:650px"></div>
      <script src="__timelinejs/js/timeline.js"></script>
      <script>
        fetch('timelinejs.json').then(r => r.json()).then(data => {
          window.tl = new TL.Timeline('tl', data, { script_path: '__timelinejs/js/', font: null, hash_bookmark: false });
          window.tl.on('loaded', () => { window.tlLoaded = true; });
        }).catch(e => console.error(String(e)));
      </script></body></html>`,
  }));
  await page.goto(url + '__timelinejs.html');
  await page.waitForFunction(() => window.tlLoaded === true).catch(e => {
    throw new Error(`TimelineJS did not load: ${e.message}; console: ${JSON.stringify(errors)}`);
  });
  const data = JSON.parse(fs.readFileSync(path.join(SITE, 'timelinejs.json'), 'utf8'));
  eq(data.events.length, entries.length, 'slides in timelinejs.json');
  // TimelineJS adds the title slide to the events.
  eq(await page.$$eval('.tl-slide', els => els.length), entries.length + 1, 'slides TimelineJS made');
  const shown = await page.evaluate(() => window.tl.config.events.map(e => {
    const d = document.createElement('div');
    d.innerHTML = e.text.headline;
    return { id: e.unique_id, title: d.textContent, year: e.start_date.data.year };
  }));
  eq(shown.length, entries.length, 'events TimelineJS read');
  const ours = new Map(entries.map(e => [e.id, e]));
  for (const s of shown) {
    const e = ours.get(s.id);
    assert(e, `TimelineJS shows ${s.id}, which is not an entry`);
    eq(s.title, e.title, `title of ${s.id}`);
    eq(s.year, +e.date.value.slice(0, 4), `year of ${s.id}`);
  }
  eq(errors, [], 'console errors');
});

// The map page and click-to-load media.
require('./map')({ test, assert, eq });

// ---------------------------------------------------------------------------

(async () => {
  const server = await serve(SITE);
  const url = `http://127.0.0.1:${server.address().port}/`;
  const longServer = args['long-site'] ? await serve(path.resolve(args['long-site'])) : server;
  const longUrl = `http://127.0.0.1:${longServer.address().port}/`;
  const browser = await chromium.launch({ executablePath: args.chromium, args: CHROMIUM_ARGS });
  let passed = 0, failed = 0;
  for (const t of tests) {
    if (args.only && !t.name.includes(args.only)) continue;
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await ctx.newPage();
    const errors = [];
    page.on('console', m => { if (m.type() === 'error') errors.push(m.text()); });
    page.on('pageerror', e => errors.push(String(e)));
    page.setDefaultTimeout(10000);
    const started = Date.now();
    try {
      await t.fn({ page, url, longUrl, browser, errors });
      passed++;
      console.log(`ok   ${t.name} (${Date.now() - started} ms)`);
    } catch (e) {
      failed++;
      console.log(`FAIL ${t.name}\n     ${String(e.message || e).split('\n').join('\n     ')}`);
    }
    await ctx.close();
  }
  await browser.close();
  server.close();
  if (longServer !== server) longServer.close();
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
})().catch(e => { console.error(e); console.log('0 passed, 1 failed'); process.exit(1); });
