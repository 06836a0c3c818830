#!/usr/bin/env node
// Browser tests of languages, reading order and embeds: the example site
// built in Arabic mirrors its layout; switching the order reverses the list
// and lands in the URL; `annals serve` lets an allowed origin frame the embed
// page and refuses any other.
//
//   node i18n.js --site DIR --repo DIR --annals BIN [--chromium /usr/bin/chromium]
//
// --site is the example site built as it is (English); the Arabic copy and the
// served copy are made from --repo's site.yaml and content/ in temporary folders.
// Prints one line per test and a final "N passed, N failed"; exits 1 on failure.
'use strict';

const fs = require('fs');
const os = require('os');
const path = require('path');
const http = require('http');
const { spawn, execFileSync } = require('child_process');
const { chromium } = require('playwright-core');
const { parseArgs, CHROMIUM_ARGS, serve } = require('./common');

const args = parseArgs({ repo: null, annals: null });
const SITE = path.resolve(args.site);

function assert(cond, message) { if (!cond) throw new Error(message); }

// A copy of the example site with `edit` applied to its site.yaml.
function exampleSite(edit) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'annals-i18n-'));
  fs.cpSync(path.join(args.repo, 'content'), path.join(dir, 'content'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'site.yaml'), edit(fs.readFileSync(path.join(args.repo, 'site.yaml'), 'utf8')));
  return dir;
}

const tests = [];
function test(name, fn) { tests.push({ name, fn }); }

test('an Arabic site mirrors its layout: the jump navigation and the dates sit on the right', async ({ browser }) => {
  const src = exampleSite(y => y.replace(/^language: .*$/m, 'language: ar'));
  const out = path.join(src, 'out');
  execFileSync(args.annals, ['--root', src, 'build', '--output', out], { stdio: 'ignore' });
  const server = await serve(out);
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`http://127.0.0.1:${server.address().port}/`);
    const geo = await page.evaluate(() => {
      const box = s => document.querySelector(s).getBoundingClientRect();
      const card = document.querySelector('#chronicle .entries .entry');
      return {
        dir: document.documentElement.dir, lang: document.documentElement.lang,
        side: box('.tl-side'), main: box('.tl-main'),
        when: card.querySelector('.e-when').getBoundingClientRect(), body: card.querySelector('.e-body').getBoundingClientRect(),
      };
    });
    assert(geo.dir === 'rtl' && geo.lang === 'ar', `html dir=${geo.dir} lang=${geo.lang}`);
    assert(geo.side.left > geo.main.left, `the jump navigation (x=${geo.side.left}) is right of the chronicle (x=${geo.main.left})`);
    assert(geo.when.left > geo.body.left, `a card's date (x=${geo.when.left}) is right of its body (x=${geo.body.left})`);
    await page.close();
  } finally {
    server.close();
    fs.rmSync(src, { recursive: true, force: true });
  }
});

test('switching the order reverses the list and lands in the URL', async ({ browser }) => {
  const server = await serve(SITE);
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const url = `http://127.0.0.1:${server.address().port}/`;
    await page.goto(url);
    const titles = () => page.$$eval('#chronicle .entries .e-title', els => els.map(e => e.textContent));
    const before = await titles();
    assert(await page.isHidden('#f-reset'), '"Clear all" is hidden while nothing is set');
    await page.selectOption('#f-order', 'newest');
    await page.waitForFunction(() => /order=newest/.test(location.search));
    const after = await titles();
    assert(JSON.stringify(after) === JSON.stringify([...before].reverse()), `reversed list: ${after.slice(0, 3)} vs ${before.slice(-3)}`);
    assert(await page.isVisible('#f-reset'), '"Clear all" shows once the order is set');
    // The order is read back from the URL.
    await page.goto(url + '?order=newest');
    await page.waitForFunction(first => document.querySelector('#chronicle .entries .e-title').textContent !== first, before[0]);
    const reloaded = await titles();
    assert(reloaded[0] === before[before.length - 1], `opened with ?order=newest, the first entry is ${reloaded[0]}`);
    await page.close();
  } finally {
    server.close();
  }
});

// A page on its own origin that frames `target`.
function framer(target) {
  const server = http.createServer((req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end(`<!DOCTYPE html><title>newsroom</title><iframe id="tl" src="${target}" width="600" height="400"></iframe>`);
  });
  return new Promise(resolve => server.listen(0, '127.0.0.1', () => resolve(server)));
}

test('annals serve lets the allowed origin frame the embed page and refuses another', async ({ browser }) => {
  const allowed = await framer('about:blank');
  const other = await framer('about:blank');
  const allowedOrigin = `http://127.0.0.1:${allowed.address().port}`;
  const src = exampleSite(y => y.replace(/^base_url: .*$/m, 'base_url: "http://localhost/"') + `\nembed:\n  allow: ["${allowedOrigin}"]\n`);
  const port = 20000 + Math.floor(Math.random() * 20000);
  const proc = spawn(args.annals, ['serve', '--root', src, '--port', String(port)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  const listening = new Promise((resolve, reject) => {
    const seen = d => { log += d; const m = /http:\/\/127\.0\.0\.1:(\d+)\//.exec(log); if (m) resolve(+m[1]); };
    proc.stdout.on('data', seen);
    proc.stderr.on('data', seen);
    proc.on('exit', code => reject(new Error(`annals serve exited (${code}): ${log}`)));
  });
  try {
    const served = await listening;
    const embed = `http://localhost:${served}/embed/`;
    for (const s of [allowed, other]) s.removeAllListeners('request').on('request', (req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      res.end(`<!DOCTYPE html><title>newsroom</title><iframe id="tl" src="${embed}" width="600" height="400"></iframe>`);
    });
    const page = await browser.newPage();
    const framed = async origin => {
      await page.goto(origin + '/');
      const frame = await (await page.waitForSelector('#tl')).contentFrame();
      await frame.waitForLoadState('load');
      return frame.evaluate(() => document.querySelectorAll('.entries .entry').length).catch(() => 0);
    };
    const shown = await framed(allowedOrigin);
    assert(shown > 0, `the allowed origin sees the embed page (${shown} entries)`);
    const refused = await framed(`http://127.0.0.1:${other.address().port}`);
    assert(refused === 0, `another origin is refused (${refused} entries shown)`);
    await page.close();
  } finally {
    proc.kill();
    allowed.close();
    other.close();
    fs.rmSync(src, { recursive: true, force: true });
  }
});

(async () => {
  const browser = await chromium.launch({ executablePath: args.chromium, args: CHROMIUM_ARGS });
  let passed = 0, failed = 0;
  for (const t of tests) {
    try {
      await t.fn({ browser });
      console.log(`ok   ${t.name}`);
      passed++;
    } catch (e) {
      console.log(`FAIL ${t.name}\n     ${String(e.message || e).split('\n').join('\n     ')}`);
      failed++;
    }
  }
  await browser.close();
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
})();
