// Builds web/dist, which the Go package embeds: the page's own ES modules
// as they are (no bundler: browsers load modules natively), MapLibre's
// distribution files, and one module bundled by esbuild for the local
// basemap (the `pmtiles` reader and the `@protomaps/basemaps` style, which
// import further packages of their own). Needs only Node and `npm ci`.
//
//   node build.mjs

import { cp, mkdir, readdir, readFile, rm, writeFile, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const src = join(here, 'src');
const dist = join(here, 'dist');
const vendor = join(dist, 'vendor');
const require = createRequire(import.meta.url);
const maplibreDist = join(dirname(require.resolve('maplibre-gl/package.json')), 'dist');
const maplibreVersion = require('maplibre-gl/package.json').version;

// MapLibre 6 is one ES module that starts its worker from the file
// "maplibre-gl-worker.mjs" next to it (resolved against import.meta.url);
// the CSS styles its controls. Source maps stay behind: they are 8 MB the
// binary need not carry, so their comments are removed too.
const VENDOR_FILES = ['maplibre-gl.mjs', 'maplibre-gl-worker.mjs', 'maplibre-gl.css'];

// The local basemap's code, loaded by basemap.js only when the server has a
// basemap (`hotspot serve --basemap`), so the map without one loads
// nothing more than before.
const BASEMAP_ENTRY = `
export { Protocol } from 'pmtiles';
export { layers, namedFlavor } from '@protomaps/basemaps';
`;

async function bundleBasemap() {
  await build({
    stdin: { contents: BASEMAP_ENTRY, resolveDir: here, loader: 'js' },
    bundle: true,
    format: 'esm',
    minify: true,
    target: 'es2020',
    legalComments: 'eof',
    outfile: join(vendor, 'basemap.mjs'),
    logLevel: 'warning',
  });
}

async function clean() {
  // Keep .gitkeep: it is committed so that `go build` finds the embed
  // directory on a machine without npm.
  await mkdir(dist, { recursive: true });
  for (const name of await readdir(dist)) {
    if (name !== '.gitkeep') await rm(join(dist, name), { recursive: true, force: true });
  }
}

async function checkNoImports(file) {
  // A future MapLibre that splits into chunks must not ship half a map.
  const text = await readFile(file, 'utf8');
  const m = text.match(/(?:^|[;\s])import\s*(?:[\w*{][^;]*?\sfrom\s*)?["'`](\.[^"'`]+)["'`]/m);
  if (m) throw new Error(`${file} imports ${m[1]}: copy that file too (see VENDOR_FILES)`);
}

/** listFiles lists the files below dir, as slash-separated relative paths. */
async function listFiles(dir, prefix = '') {
  const out = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    if (e.isDirectory()) out.push(...(await listFiles(join(dir, e.name), `${prefix}${e.name}/`)));
    else out.push(prefix + e.name);
  }
  return out;
}

async function main() {
  await clean();
  await cp(src, dist, { recursive: true });
  await mkdir(vendor, { recursive: true });
  for (const name of VENDOR_FILES) {
    let text = await readFile(join(maplibreDist, name), 'utf8');
    text = text.replace(/\n\/\/# sourceMappingURL=\S+\s*$/, '\n').replace(/\/\*# sourceMappingURL=\S+ \*\/\s*$/, '\n');
    await writeFile(join(vendor, name), text);
    if (name.endsWith('.mjs')) await checkNoImports(join(vendor, name));
  }
  await bundleBasemap();
  await checkNoImports(join(vendor, 'basemap.mjs'));

  const index = join(dist, 'index.html');
  let html = await readFile(index, 'utf8');
  const modules = (await listFiles(dist)).filter((f) => f.endsWith('.js') && f !== 'app.js').sort();
  const marker = '<!-- modulepreload -->';
  if (!html.includes(marker)) throw new Error(`index.html lacks the ${marker} line`);
  html = html.replace(marker, modules.map((f) => `<link rel="modulepreload" href="${f}">`).join('\n'));
  await writeFile(index, html);

  // What a browser downloads: every script, measured gzip-compressed as
  // the server sends it. The map's budget is 1 MB.
  let js = 0;
  const walk = async (dir) => {
    for (const name of await readdir(dir)) {
      const p = join(dir, name);
      if ((await stat(p)).isDirectory()) await walk(p);
      else if (/\.(m?js)$/.test(name)) js += gzipSync(await readFile(p)).length;
    }
  };
  await walk(dist);
  const kb = (js / 1024).toFixed(0);
  console.log(`built ${dist} (maplibre-gl ${maplibreVersion}); JavaScript ${kb} KiB gzip`);
  if (js > 1024 * 1024) throw new Error(`JavaScript is ${kb} KiB gzip, over the 1 MiB budget`);
}

main().catch((err) => {
  console.error(`build failed: ${err.message}`);
  process.exit(1);
});
