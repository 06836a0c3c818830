#!/usr/bin/env node
// Writes a long single-page timeline for the browser tests: 600 events over
// ten years, every one with a summary, all on the index (per_page: 0), so
// that most months start waiting to be laid out (`lazy`). With a COUNT it
// writes that many events instead (the large-site test's stand-in when the
// benchmark's generator is not there).
//
//   node long-site.js DIR [COUNT]
'use strict';

const fs = require('fs');
const path = require('path');

const dir = process.argv[2];
if (!dir) { console.error('usage: node long-site.js DIR [COUNT]'); process.exit(2); }
const count = Number(process.argv[3] || 600);
const step = Math.max(1, Math.floor(3600 / count));
const TRACKS = ['military', 'diplomacy', 'humanitarian', 'economy'];
// Three actors, one of them on every other event: the large-site test's
// actor filter needs a long facet list.
const ACTORS = ['north-command', 'river-council', 'port-authority'];
const WORDS = 'convoy bridge talks shelling ceasefire report council mission border grain port corridor envoy'.split(' ');

fs.mkdirSync(path.join(dir, 'content', 'events'), { recursive: true });
fs.writeFileSync(path.join(dir, 'site.yaml'), [
  'title: "A long timeline"',
  'base_url: "https://example.org/long/"',
  'language: en',
  'timezone: UTC',
  'per_page: 0',
  '',
].join('\n'));
fs.writeFileSync(path.join(dir, 'content', 'actors.yaml'), ACTORS.map(id =>
  `- id: ${id}\n  name: ${id.split('-').map(w => w[0].toUpperCase() + w.slice(1)).join(' ')}\n  kind: organisation\n`).join(''));
const lines = [];
for (let i = 0; i < count; i++) {
  const day = new Date(Date.UTC(2014, 0, 1) + i * step * 86400000);
  const words = Array.from({ length: 24 }, (_, k) => WORDS[(i * 7 + k * 3) % WORDS.length]);
  lines.push(
    `- id: event-${i}`,
    `  date: ${day.toISOString().slice(0, 10)}`,
    `  title: "Event ${i}: ${words.slice(0, 4).join(' ')}"`,
    `  track: ${TRACKS[i % TRACKS.length]}`,
    `  actors: [${i % 2 ? ACTORS[0] : ACTORS[1 + (i % 4 === 0)]}]`,
    `  importance: ${3 + (i % 3)}`,
    `  summary: "${words.join(' ')}."`,
  );
}
fs.writeFileSync(path.join(dir, 'content', 'events', 'all.yaml'), lines.join('\n') + '\n');
