// Converts Natural Earth's countries (the `world-atlas` package of the npm
// registry, TopoJSON) into data/world-50m.txt, the compact outline annals
// draws its base map from. Run once, by hand, when the outline should change:
//
//   npm install world-atlas@2 topojson-client@3   (in any scratch folder)
//   node tools/world-map.mjs SCRATCH/node_modules > data/world-50m.txt
//
// Format (one item per line): `C NAME` starts a country; `R x,y dx,dy ...`
// is one ring of it, in hundredths of a degree (longitude, latitude), the
// first point absolute and each next one relative to the one before.
import { readFileSync } from "node:fs";
import { join } from "node:path";

const modules = process.argv[2];
if (!modules) {
  console.error("usage: node tools/world-map.mjs NODE_MODULES_DIR > data/world-50m.txt");
  process.exit(2);
}
const { feature } = await import(join(modules, "topojson-client/src/index.js"));
const topo = JSON.parse(readFileSync(join(modules, "world-atlas/countries-50m.json"), "utf8"));
const pkg = JSON.parse(readFileSync(join(modules, "world-atlas/package.json"), "utf8"));
const countries = feature(topo, topo.objects.countries).features;

const out = [
  `# Natural Earth 1:50m admin-0 countries (public domain, naturalearthdata.com),`,
  `# from the npm package world-atlas ${pkg.version}; made by tools/world-map.mjs.`,
];
for (const c of countries) {
  const geom = c.geometry;
  if (!geom) continue;
  const polygons = geom.type === "Polygon" ? [geom.coordinates] : geom.coordinates;
  const rings = [];
  for (const polygon of polygons) {
    for (const ring of polygon) {
      let px = null, py = null;
      const parts = [];
      for (const [lon, lat] of ring) {
        const x = Math.round(lon * 100), y = Math.round(lat * 100);
        if (x === px && y === py) continue;
        parts.push(px === null ? `${x},${y}` : `${x - px},${y - py}`);
        px = x; py = y;
      }
      if (parts.length >= 3) rings.push("R " + parts.join(" "));
    }
  }
  if (rings.length === 0) continue;
  out.push(`C ${c.properties.name}`);
  out.push(...rings);
}
process.stdout.write(out.join("\n") + "\n");
