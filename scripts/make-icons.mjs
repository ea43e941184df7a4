// Generates every icon the agent ships into assets/ (or --out DIR), in pure Node: shapes are signed
// distance functions rasterized with analytic anti-aliasing, written as PNG (node:zlib + CRC-32) and
// as .ico containers. The output is deterministic; test/e2e/electron/icons.test.ts regenerates it and
// requires the committed files to match byte for byte.
//
//   assets/icon.png                  512×512 application icon (Linux, macOS; electron-builder makes the .icns)
//   assets/icon.ico                  16–256 px application icon (Windows installer and executable)
//   assets/tray/<state>/tray.png     Linux tray, 22 px (+ tray@2x.png, 44 px)
//   assets/tray/<state>/trayTemplate.png   macOS menu bar template, 16 pt, black + alpha (+ @2x)
//   assets/tray/<state>/tray.ico     Windows notification area, 16/20/24/32/48 px
// States: normal, unread (reply waiting: dot), warning (health: triangle), offline (grey / faded),
// remote (a technician sees the screen: a red "recording" disc, bottom right).
//
// Usage: node scripts/make-icons.mjs [--out DIR]
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';

// ---------------------------------------------------------------- PNG and ICO encoding

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes) {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/** RGBA (straight alpha, row-major) → PNG bytes, colour type 6, 8 bits, filter 0 on every row. */
export function encodePng({ width, height, rgba }) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 6, 0, 0, 0], 8);
  const raw = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y++) rgba.copy(raw, y * (width * 4 + 1) + 1, y * width * 4, (y + 1) * width * 4);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A 32-bit BMP (DIB) icon image: BGRA bottom-up plus the 1-bit AND mask; every Windows version reads it. */
function encodeDib({ width, height, rgba }) {
  const header = Buffer.alloc(40);
  header.writeUInt32LE(40, 0);
  header.writeInt32LE(width, 4);
  header.writeInt32LE(height * 2, 8); // colour + mask
  header.writeUInt16LE(1, 12);
  header.writeUInt16LE(32, 14);
  const maskStride = Math.ceil(width / 32) * 4;
  const pixels = Buffer.alloc(width * height * 4);
  const mask = Buffer.alloc(maskStride * height);
  for (let y = 0; y < height; y++) {
    const row = height - 1 - y;
    for (let x = 0; x < width; x++) {
      const s = (y * width + x) * 4;
      const d = (row * width + x) * 4;
      pixels[d] = rgba[s + 2];
      pixels[d + 1] = rgba[s + 1];
      pixels[d + 2] = rgba[s];
      pixels[d + 3] = rgba[s + 3];
      if (rgba[s + 3] === 0) mask[row * maskStride + (x >> 3)] |= 0x80 >> (x & 7);
    }
  }
  header.writeUInt32LE(pixels.length + mask.length, 20);
  return Buffer.concat([header, pixels, mask]);
}

/** Images → .ico: BMP entries below 256 px, PNG for 256 px (as Windows' own icons do). */
export function encodeIco(images) {
  const payloads = images.map((image) => (image.width >= 256 ? encodePng(image) : encodeDib(image)));
  const dir = Buffer.alloc(6 + 16 * images.length);
  dir.writeUInt16LE(0, 0);
  dir.writeUInt16LE(1, 2);
  dir.writeUInt16LE(images.length, 4);
  let offset = dir.length;
  images.forEach((image, i) => {
    const e = 6 + 16 * i;
    dir[e] = image.width >= 256 ? 0 : image.width;
    dir[e + 1] = image.height >= 256 ? 0 : image.height;
    dir.writeUInt16LE(1, e + 4);
    dir.writeUInt16LE(32, e + 6);
    dir.writeUInt32LE(payloads[i].length, e + 8);
    dir.writeUInt32LE(offset, e + 12);
    offset += payloads[i].length;
  });
  return Buffer.concat([dir, ...payloads]);
}

// ---------------------------------------------------------------- geometry (units: icon = 1×1)

const circle = (cx, cy, r) => (x, y) => Math.hypot(x - cx, y - cy) - r;
const ring = (cx, cy, outer, inner) => (x, y) => {
  const d = Math.hypot(x - cx, y - cy);
  return Math.max(d - outer, inner - d);
};
/** Infinite band of half-width w through (cx, cy) at angle a. */
const band = (cx, cy, a, w) => (x, y) => Math.abs(-(x - cx) * Math.sin(a) + (y - cy) * Math.cos(a)) - w;
const union =
  (...fs) =>
  (x, y) =>
    Math.min(...fs.map((f) => f(x, y)));
const intersect =
  (...fs) =>
  (x, y) =>
    Math.max(...fs.map((f) => f(x, y)));
const subtract = (f, g) => (x, y) => Math.max(f(x, y), -g(x, y));
const grow = (f, by) => (x, y) => f(x, y) - by;
/** Equilateral triangle pointing up, centroid (cx, cy), half side s (Inigo Quilez's distance function). */
const triangle = (cx, cy, s) => (x, y) => {
  const k = Math.sqrt(3);
  let px = Math.abs(x - cx) - s;
  let py = -(y - cy) + s / k; // image y grows downwards
  if (px + k * py > 0) [px, py] = [(px - k * py) / 2, (-k * px - py) / 2];
  px -= Math.min(Math.max(px, -2 * s), 0);
  return -Math.hypot(px, py) * Math.sign(py);
};

/** Layers of [shape, [r, g, b, a]] painted in order; coverage from the distance in pixels. */
function render(size, layers) {
  const rgba = Buffer.alloc(size * size * 4);
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      const x = (px + 0.5) / size;
      const y = (py + 0.5) / size;
      let r = 0,
        g = 0,
        b = 0,
        a = 0; // premultiplied
      for (const [shape, [cr, cg, cb, ca], paint] of layers) {
        const colour = paint ? paint(x, y) : [cr, cg, cb, ca];
        const cover = Math.min(1, Math.max(0, 0.5 - shape(x, y) * size)) * colour[3];
        if (cover === 0) continue;
        r = colour[0] * cover + r * (1 - cover);
        g = colour[1] * cover + g * (1 - cover);
        b = colour[2] * cover + b * (1 - cover);
        a = cover + a * (1 - cover);
      }
      const i = (py * size + px) * 4;
      rgba[i] = a > 0 ? Math.round((r / a) * 255) : 0;
      rgba[i + 1] = a > 0 ? Math.round((g / a) * 255) : 0;
      rgba[i + 2] = a > 0 ? Math.round((b / a) * 255) : 0;
      rgba[i + 3] = Math.round(a * 255);
    }
  }
  return { width: size, height: size, rgba };
}

// ---------------------------------------------------------------- the glyph: a lifebuoy

const hex = (h, alpha = 1) => [
  parseInt(h.slice(1, 3), 16) / 255,
  parseInt(h.slice(3, 5), 16) / 255,
  parseInt(h.slice(5, 7), 16) / 255,
  alpha,
];
const BLUE = hex('#2563eb');
const GREY = hex('#6b7280');
const RED = hex('#dc2626');
const AMBER = hex('#f59e0b');
const BLACK = hex('#000000');
const WHITE = hex('#ffffff');

/** The lifebuoy: a ring cut by two diagonal bands into four segments. */
function lifebuoy(cx, cy, outer, inner, gap) {
  const r = ring(cx, cy, outer, inner);
  return subtract(subtract(r, band(cx, cy, Math.PI / 4, gap)), band(cx, cy, -Math.PI / 4, gap));
}

const DOT = circle(0.79, 0.21, 0.19);
const TRIANGLE = triangle(0.76, 0.755, 0.235);
const CUTOUT = 0.08;
const REMOTE_DISC = circle(0.76, 0.76, 0.23);
const REMOTE_PUPIL = circle(0.76, 0.76, 0.09);

/** Tray glyph layers for a state; template = black + alpha for the macOS menu bar. */
function trayLayers(state, template) {
  const glyphColour = template ? BLACK : state === 'offline' ? GREY : BLUE;
  let glyph = lifebuoy(0.5, 0.5, 0.45, 0.21, 0.06);
  const layers = [];
  if (state === 'unread') glyph = subtract(glyph, grow(DOT, CUTOUT));
  if (state === 'warning') glyph = subtract(glyph, grow(TRIANGLE, CUTOUT));
  if (state === 'remote') glyph = subtract(glyph, grow(REMOTE_DISC, CUTOUT));
  // Offline on macOS: the system's own convention for an inactive template is reduced opacity.
  layers.push([glyph, template && state === 'offline' ? hex('#000000', 0.45) : glyphColour]);
  if (state === 'unread') layers.push([DOT, template ? BLACK : RED]);
  if (state === 'warning') layers.push([TRIANGLE, template ? BLACK : AMBER]);
  if (state === 'remote')
    layers.push([template ? subtract(REMOTE_DISC, REMOTE_PUPIL) : REMOTE_DISC, template ? BLACK : RED]);
  if (state === 'remote' && !template) layers.push([REMOTE_PUPIL, WHITE]);
  return layers;
}

function appIconLayers() {
  const tile = (x, y) => {
    // Rounded square, corner radius 0.2, inset 0.04 (macOS-style margin).
    const qx = Math.abs(x - 0.5) - (0.46 - 0.2);
    const qy = Math.abs(y - 0.5) - (0.46 - 0.2);
    return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - 0.2;
  };
  const gradient = (_x, y) => {
    const t = Math.min(1, Math.max(0, (y - 0.04) / 0.92));
    const top = hex('#3b82f6');
    const bottom = hex('#1d4ed8');
    return [top[0] + (bottom[0] - top[0]) * t, top[1] + (bottom[1] - top[1]) * t, top[2] + (bottom[2] - top[2]) * t, 1];
  };
  const buoy = ring(0.5, 0.5, 0.33, 0.16);
  const stripes = intersect(buoy, union(band(0.5, 0.5, Math.PI / 4, 0.055), band(0.5, 0.5, -Math.PI / 4, 0.055)));
  return [
    [tile, WHITE, gradient],
    [grow(buoy, 0.012), hex('#0f172a', 0.25)],
    [buoy, WHITE],
    [stripes, hex('#ef4444')],
  ];
}

// ---------------------------------------------------------------- output

/** Every file this script writes: relative path → bytes. */
export function generateIcons() {
  const files = new Map();
  for (const state of ['normal', 'unread', 'warning', 'offline', 'remote']) {
    const colour = trayLayers(state, false);
    const template = trayLayers(state, true);
    files.set(`tray/${state}/tray.png`, encodePng(render(22, colour)));
    files.set(`tray/${state}/tray@2x.png`, encodePng(render(44, colour)));
    files.set(`tray/${state}/trayTemplate.png`, encodePng(render(16, template)));
    files.set(`tray/${state}/trayTemplate@2x.png`, encodePng(render(32, template)));
    files.set(`tray/${state}/tray.ico`, encodeIco([16, 20, 24, 32, 48].map((s) => render(s, colour))));
  }
  const app = appIconLayers();
  files.set('icon.png', encodePng(render(512, app)));
  files.set('icon.ico', encodeIco([16, 24, 32, 48, 64, 128, 256].map((s) => render(s, app))));
  return files;
}

const outIndex = process.argv.indexOf('--out');
const outDir = outIndex >= 0 ? process.argv[outIndex + 1] : 'assets';
for (const [file, bytes] of generateIcons()) {
  const target = join(outDir, file);
  mkdirSync(join(target, '..'), { recursive: true });
  writeFileSync(target, bytes);
}
if (!process.argv.includes('--quiet')) console.log(`make-icons: wrote the icons to ${outDir}/`);
