// Browser tests of the map page and of click-to-load media (issue 22),
// registered on run.js's list: marks and clusters, the finder shared by map
// and list, "only what's on screen", keyboard zoom and pan, no request to
// another origin, and a remote video that is fetched only after the click
// (on a small site built here, as the example site has no video).
'use strict';

const fs = require('fs');
const os = require('os');
const path = require('path');
const { execFileSync } = require('child_process');
const { serve } = require('./common');

module.exports = ({ test, assert, eq }) => {
  // Sum of the numbers the drawn marks stand for (a cluster counts its entries).
  const markTotal = page => page.$$eval('#map-marks [data-count]',
    els => els.reduce((n, e) => n + Number(e.dataset.count), 0));
  const listed = page => page.$$eval('#map-list > li', els => els.filter(e => !e.hidden).map(e => e.dataset.id));
  const viewBox = page => page.$eval('#map', svg => svg.getAttribute('viewBox').split(' ').map(Number));
  const ready = page => page.waitForFunction(() => document.documentElement.classList.contains('has-map')
    && document.querySelector('#map-marks [data-count]'));

  test('map: one mark per located entry, clusters counted by their number', async ({ page, url, errors }) => {
    await page.goto(url + 'map/');
    await ready(page);
    const all = await page.$$eval('#map-list > li', els => els.length);
    assert(all > 0, 'the example site has located entries');
    eq(await markTotal(page), all, 'marks (clusters by their count)');
    const clusters = await page.$$eval('#map-marks .cluster', els => els.map(e => +e.dataset.count));
    assert(clusters.every(n => n > 1), `a cluster holds two or more: ${clusters}`);
    assert(await page.$$eval('.legend-tracks li', els => els.length) > 1, 'a text legend of the tracks');
    eq(errors, [], 'console errors');
  });

  test('map: a track filter narrows map and list together and lands in the URL', async ({ page, url }) => {
    await page.goto(url + 'map/');
    await ready(page);
    const all = (await listed(page)).length;
    const track = await page.$eval('#map-finder select[name=track] option:nth-child(2)', o => o.value);
    await page.selectOption('#map-finder select[name=track]', track);
    await page.waitForFunction(t => new URLSearchParams(location.search).get('track') === t, track);
    const ids = await listed(page);
    assert(ids.length > 0 && ids.length < all, `the list narrows: ${ids.length} of ${all}`);
    const tracks = await page.$$eval('#map-list > li', els => els.filter(e => !e.hidden).map(e => e.dataset.track));
    assert(tracks.every(t => t === track), `only ${track}: ${tracks}`);
    eq(await markTotal(page), ids.length, 'marks after the filter');
    // The URL brings it back.
    await page.reload();
    await ready(page);
    eq((await listed(page)).length, ids.length, 'entries after a reload');
    eq(await page.$eval('#map-finder select[name=track]', s => s.value), track, 'the select after a reload');
  });

  test('map: "only what\'s on screen" after a zoom narrows the list', async ({ page, url }) => {
    await page.goto(url + 'map/');
    await ready(page);
    const all = (await listed(page)).length;
    // Open the largest cluster: the map zooms in on it.
    const before = await viewBox(page);
    await page.$$eval('#map-marks .cluster', els => {
      els.sort((a, b) => b.dataset.count - a.dataset.count);
      els[0].dispatchEvent(new MouseEvent('click', { bubbles: true }));
    });
    await page.waitForFunction(w => +document.getElementById('map').getAttribute('viewBox').split(' ')[2] < w, before[2]);
    await page.check('#map-finder input[name=onscreen]');
    await page.waitForFunction(() => /onscreen=1/.test(location.search) && /view=/.test(location.search));
    const seen = await listed(page);
    assert(seen.length > 0 && seen.length < all, `on screen: ${seen.length} of ${all}`);
  });

  test('map: keyboard zoom and pan', async ({ page, url }) => {
    await page.goto(url + 'map/');
    await ready(page);
    const home = await viewBox(page);
    await page.focus('#map');
    await page.keyboard.press('+');
    await page.waitForFunction(w => +document.getElementById('map').getAttribute('viewBox').split(' ')[2] < w, home[2]);
    const zoomed = await viewBox(page);
    await page.keyboard.press('ArrowRight');
    await page.waitForFunction(x => +document.getElementById('map').getAttribute('viewBox').split(' ')[0] > x, zoomed[0]);
    await page.keyboard.press('ArrowDown');
    await page.waitForFunction(y => +document.getElementById('map').getAttribute('viewBox').split(' ')[1] > y, zoomed[1]);
    await page.keyboard.press('-');
    await page.waitForFunction(w => +document.getElementById('map').getAttribute('viewBox').split(' ')[2] > w, zoomed[2]);
    await page.keyboard.press('0');
    await page.waitForFunction(h => document.getElementById('map').getAttribute('viewBox') === h, home.join(' '));
  });

  test('map: a mark opens its card; without JavaScript, links and the list', async ({ page, url, browser }) => {
    await page.goto(url + 'map/');
    await ready(page);
    // Zoom in until a single mark shows, then open it.
    for (let i = 0; i < 8 && !(await page.$('#map-marks a.mark')); i++) {
      await page.focus('#map');
      await page.keyboard.press('+');
    }
    const mark = await page.$('#map-marks a.mark');
    assert(mark, 'a single mark');
    await mark.dispatchEvent('click');
    await page.waitForSelector('#map-card:not([hidden]) .e-title a');
    const ctx = await browser.newContext({ javaScriptEnabled: false });
    const plain = await ctx.newPage();
    await plain.goto(url + 'map/');
    const links = await plain.$$eval('#map-marks a.mark', els => els.length);
    eq(links, await plain.$$eval('#map-list > li', els => els.length), 'a link per located entry without JavaScript');
    await ctx.close();
  });

  test('entry cards: a small map behind a dot, named, that does not shift the page and follows RTL', async ({ page, url, browser, errors }) => {
    const cardSvg = page.waitForResponse(r => r.url().endsWith('/map/card.svg'));
    await page.goto(url);
    eq((await cardSvg).status(), 200, 'map/card.svg, from the site itself');
    const locs = await page.$$eval('#chronicle .entry .e-loc', els => els.map(e => {
      const r = e.getBoundingClientRect();
      const body = e.closest('.e-body').getBoundingClientRect();
      const dot = e.querySelector('circle').getBoundingClientRect();
      return { w: r.width, h: r.height, right: body.right - r.right, left: r.left - body.left,
        name: e.querySelector('title').textContent, role: e.getAttribute('role'),
        bg: getComputedStyle(e).backgroundImage, inside: dot.left >= r.left - 1 && dot.right <= r.right + 1 && dot.top >= r.top - 1 && dot.bottom <= r.bottom + 1 };
    }));
    assert(locs.length > 0, 'cards with a map');
    for (const l of locs) {
      assert(l.w > 60 && l.h > 40 && Math.abs(l.w / l.h - 1.5) < 0.05, `a 3:2 box of its own size: ${l.w}x${l.h}`);
      assert(l.role === 'img' && /^On the map: \S/.test(l.name), `a text alternative naming the place: ${l.name}`);
      assert(/map\/card\.svg/.test(l.bg), `the shared base map behind it: ${l.bg}`);
      assert(l.inside, 'the dot inside its map');
      assert(l.right < l.left, 'at the end of the card (right, left to right)');
    }
    // The accessible name as a screen reader gets it.
    const named = await page.locator('#chronicle').getByRole('img', { name: /^On the map: / }).count();
    eq(named, locs.length, 'images named "On the map: PLACE"');
    eq(errors, [], 'console errors');
    // Right to left: the map moves to the card's other end; geography is not mirrored.
    const before = await page.$eval('#chronicle .entry .e-loc circle', c => c.getAttribute('cx'));
    await page.evaluate(() => { document.documentElement.dir = 'rtl'; });
    const rtl = await page.$eval('#chronicle .entry .e-loc', e => {
      const r = e.getBoundingClientRect(), body = e.closest('.e-body').getBoundingClientRect();
      return { left: r.left - body.left, right: body.right - r.right, cx: e.querySelector('circle').getAttribute('cx') };
    });
    assert(rtl.left < rtl.right, `at the card's start side in RTL: ${JSON.stringify(rtl)}`);
    eq(rtl.cx, before, 'the dot stays where the place is');
    // Without JavaScript the maps are there just the same.
    // (Without the theme's script, so that only the maps could move anything.)
    const ctx = await browser.newContext();
    await ctx.route(/annals\.[0-9a-f]+\.js$/, r => r.abort());
    const plain = await ctx.newPage();
    await plain.addInitScript(() => {
      window.shifts = 0;
      new PerformanceObserver(l => { for (const e of l.getEntries()) window.shifts += e.value; })
        .observe({ type: 'layout-shift', buffered: true });
    });
    const loaded = plain.waitForResponse(r => r.url().endsWith('/map/card.svg'));
    await plain.goto(url);
    await loaded;
    await plain.waitForLoadState('load');
    assert(await plain.$$eval('.entry .e-loc', els => els.filter(e => e.getBoundingClientRect().width > 60).length) > 0, 'card maps without the script');
    // Nothing moved while the maps came in: their boxes are sized by the stylesheet.
    const shift = await plain.evaluate(() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(() => done(window.shifts)))));
    assert(shift < 0.001, `layout shift ${shift}`);
    await ctx.close();
    const nojs = await browser.newContext({ javaScriptEnabled: false });
    const still = await nojs.newPage();
    await still.goto(url);
    assert(await still.$$eval('.entry .e-loc', els => els.filter(e => e.getBoundingClientRect().width > 60).length) > 0, 'card maps without JavaScript');
    await nojs.close();
  });

  test('the example site makes no request to another origin', async ({ page, url }) => {
    const other = [];
    page.on('request', r => { if (!r.url().startsWith(url) && !r.url().startsWith('data:')) other.push(r.url()); });
    await page.goto(url);
    await page.goto(url + 'map/');
    await ready(page);
    const event = await page.$eval('#map-list > li .e-title a', a => a.href);
    await page.goto(event);
    await page.waitForLoadState('load');
    eq(other, [], 'requests to other origins');
  });

  test('a remote video is requested only after its button is pressed', async ({ browser }) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'annals-media-'));
    try {
      fs.mkdirSync(path.join(dir, 'content/events'), { recursive: true });
      fs.writeFileSync(path.join(dir, 'site.yaml'), 'title: Media\nbase_url: https://example.org/\n');
      fs.writeFileSync(path.join(dir, 'content/events/v.yaml'), [
        '- id: with-video', '  date: 2024-05-01', '  title: With a video',
        '  location: {name: Kyiv, lat: 50.45, lon: 30.52}',
        '  media:', '    - url: https://www.youtube.com/watch?v=abcdefghijk',
        '      caption: A video', '      credit: Someone', '',
      ].join('\n'));
      const bin = path.resolve(__dirname, '../../target/debug/annals');
      execFileSync(bin, ['--root', dir, 'build', '--output', path.join(dir, 'out')], { stdio: 'pipe' });
      const server = await serve(path.join(dir, 'out'));
      const base = `http://127.0.0.1:${server.address().port}/`;
      const ctx = await browser.newContext();
      const page = await ctx.newPage();
      const provider = [];
      page.on('request', r => { if (/youtube/.test(new URL(r.url()).host)) provider.push(r.url()); });
      await page.goto(base + 'events/with-video/');
      await page.waitForLoadState('load');
      assert(await page.isVisible('.embed-load'), 'a button to load the video');
      assert(/Hosted on YouTube/.test(await page.textContent('.embed')), 'the provider is named');
      eq(provider, [], 'requests to the provider before the click');
      const asked = page.waitForRequest(r => /youtube/.test(new URL(r.url()).host));
      await page.click('.embed-load');
      await page.waitForSelector('iframe.embed-player');
      await asked;
      assert(provider.length >= 1, 'a request to the provider after the click');
      await ctx.close();
      server.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
};
