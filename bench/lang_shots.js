// Screenshots of a built site's first screen at 390 and 1280 px, light and
// dark, for looking at a right-to-left or multilingual build by eye (issue
// #23). Run by bench/lang_audit.sh; uses the playwright-core of the browser
// tests or of the audit toolkit.
//
//   node bench/lang_shots.js --site PUBLIC --out DIR --pages "/,/events/x/"
'use strict';

const path = require('path');
const { parseArgs, CHROMIUM_ARGS, serve } = require('../tests/browser/common.js');
// playwright-core from the browser tests' install, else the audit toolkit's.
const { chromium } = (() => {
  const places = [path.join(__dirname, '../tests/browser/node_modules/playwright-core'),
    path.join(process.env.AUDIT_DEPS || path.join(require('os').homedir(), '.cache/site-audit'), 'node_modules/playwright-core')];
  for (const p of places) { try { return require(p); } catch (_) { /* next */ } }
  throw new Error('playwright-core not found: run tests/browser/run.sh once');
})();

(async () => {
  const args = parseArgs({ out: null, pages: '/' });
  const server = await serve(path.resolve(args.site));
  const base = `http://127.0.0.1:${server.address().port}`;
  const browser = await chromium.launch({ executablePath: args.chromium, args: CHROMIUM_ARGS });
  try {
    for (const page of args.pages.split(',')) {
      for (const width of [390, 1280]) {
        for (const scheme of ['light', 'dark']) {
          const context = await browser.newContext({
            viewport: { width, height: width === 390 ? 844 : 900 },
            colorScheme: scheme, isMobile: width === 390, hasTouch: width === 390,
          });
          const tab = await context.newPage();
          await tab.goto(base + page, { waitUntil: 'load' });
          const name = (page.replace(/^\/|\/$/g, '').replace(/\//g, '_') || 'index') + `-${width}-${scheme}.png`;
          await tab.screenshot({ path: path.join(args.out, name) });
          await context.close();
        }
      }
    }
  } finally {
    await browser.close();
    server.close();
  }
})().catch(e => { console.error(e); process.exit(1); });
