// What the browser scripts share: their command line, Chromium's flags and a
// static server for a built site.
'use strict';

const fs = require('fs');
const http = require('http');
const path = require('path');

// `--key value` pairs over `defaults`; unknown keys are errors, `--site` is required.
function parseArgs(defaults) {
  const args = { site: null, chromium: process.env.CHROMIUM || '/usr/bin/chromium', ...defaults };
  for (let i = 2; i < process.argv.length; i += 2) {
    const key = process.argv[i].replace(/^--/, '');
    if (!(key in args)) throw new Error(`unknown argument ${process.argv[i]}`);
    args[key] = process.argv[i + 1];
  }
  if (!args.site) throw new Error('--site DIR is required');
  return args;
}

// The flags of the audit toolkit: headless, no sandbox (CI runs as root), and
// no network chatter of Chromium's own.
const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--no-proxy-server', '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost',
];

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.css': 'text/css', '.js': 'text/javascript',
  '.json': 'application/json', '.xml': 'application/xml', '.svg': 'image/svg+xml',
};

// A static server like a plain web host: dir/ serves dir/index.html, misses get 404.html.
// `extra` maps request paths to HTML documents served instead of files.
function serve(root, extra = {}) {
  const server = http.createServer((req, res) => {
    let rel = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    if (Object.prototype.hasOwnProperty.call(extra, rel)) {
      res.writeHead(200, { 'Content-Type': TYPES['.html'] });
      res.end(extra[rel]);
      return;
    }
    if (rel.endsWith('/')) rel += 'index.html';
    const file = path.join(root, path.normalize(rel));
    if (!file.startsWith(root)) { res.writeHead(403); res.end(); return; }
    fs.readFile(file, (err, data) => {
      if (err) {
        if (fs.existsSync(file) && fs.statSync(file).isDirectory()) {
          res.writeHead(301, { Location: req.url.split('?')[0] + '/' }); res.end(); return;
        }
        res.writeHead(404, { 'Content-Type': TYPES['.html'] });
        res.end(fs.existsSync(path.join(root, '404.html')) ? fs.readFileSync(path.join(root, '404.html')) : 'not found');
        return;
      }
      res.writeHead(200, { 'Content-Type': TYPES[path.extname(file)] || 'application/octet-stream' });
      res.end(data);
    });
  });
  return new Promise(resolve => server.listen(0, '127.0.0.1', () => resolve(server)));
}

module.exports = { parseArgs, CHROMIUM_ARGS, TYPES, serve };
