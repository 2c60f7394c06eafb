// Derives every icon from the one checked-in source, build/icon.png (1024×1024):
//   build/icons/<n>x<n>.png      Linux sizes (electron-builder derives .ico and .icns from icon.png itself)
//   build/tray/tray-<level>.png  the tray glyph in the colour of each health level, and @2x
// Run `node scripts/icons.mjs` after changing build/icon.png, and commit what it writes.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import pngjs from 'pngjs';

const { PNG } = pngjs;
const root = fileURLToPath(new URL('..', import.meta.url));
const source = PNG.sync.read(readFileSync(`${root}build/icon.png`));
if (source.width !== 1024 || source.height !== 1024) throw new Error('build/icon.png must be 1024×1024');

export const LINUX_SIZES = [16, 24, 32, 48, 64, 128, 256, 512];
export const TRAY_SIZE = 24;
/** Health colours (GitHub's palette: readable on light and dark panels). */
export const TRAY_COLOURS = { ok: [0x2e, 0xa0, 0x43], warning: [0xd2, 0x99, 0x22], critical: [0xf8, 0x51, 0x49] };
/** The glyph (ring and dot) sits inside this square of the source. */
const GLYPH_BOX = { x: 192, y: 192, size: 640 };

/** Area-average downscale of a square region, in premultiplied alpha so edges do not darken. */
function downscale(image, box, size) {
  const out = new PNG({ width: size, height: size });
  const step = box.size / size;
  for (let oy = 0; oy < size; oy++) {
    for (let ox = 0; ox < size; ox++) {
      let r = 0, g = 0, b = 0, a = 0, n = 0;
      for (let y = Math.floor(box.y + oy * step); y < Math.floor(box.y + (oy + 1) * step); y++) {
        for (let x = Math.floor(box.x + ox * step); x < Math.floor(box.x + (ox + 1) * step); x++) {
          const i = (y * image.width + x) * 4;
          const alpha = image.data[i + 3] / 255;
          r += image.data[i] * alpha;
          g += image.data[i + 1] * alpha;
          b += image.data[i + 2] * alpha;
          a += alpha;
          n += 1;
        }
      }
      const o = (oy * size + ox) * 4;
      out.data[o] = a ? Math.round(r / a) : 0;
      out.data[o + 1] = a ? Math.round(g / a) : 0;
      out.data[o + 2] = a ? Math.round(b / a) : 0;
      out.data[o + 3] = Math.round((a / n) * 255);
    }
  }
  return out;
}

/** The light glyph on the dark tile becomes a mask: glyph opaque, tile transparent. */
function glyphMask(image) {
  const mask = new PNG({ width: image.width, height: image.height });
  for (let i = 0; i < image.data.length; i += 4) {
    const brightest = Math.max(image.data[i], image.data[i + 1], image.data[i + 2]);
    const coverage = Math.min(1, Math.max(0, (brightest - 60) / 110));
    mask.data[i] = mask.data[i + 1] = mask.data[i + 2] = 255;
    mask.data[i + 3] = Math.round(coverage * image.data[i + 3]);
  }
  return mask;
}

function tinted(mask, [r, g, b]) {
  const out = new PNG({ width: mask.width, height: mask.height });
  for (let i = 0; i < mask.data.length; i += 4) {
    out.data[i] = r;
    out.data[i + 1] = g;
    out.data[i + 2] = b;
    out.data[i + 3] = mask.data[i + 3];
  }
  return out;
}

const write = (path, png) => writeFileSync(`${root}${path}`, PNG.sync.write(png));

mkdirSync(`${root}build/icons`, { recursive: true });
mkdirSync(`${root}build/tray`, { recursive: true });
const whole = { x: 0, y: 0, size: 1024 };
for (const size of LINUX_SIZES) write(`build/icons/${size}x${size}.png`, downscale(source, whole, size));

const mask = glyphMask(source);
for (const [level, colour] of Object.entries(TRAY_COLOURS)) {
  write(`build/tray/tray-${level}.png`, tinted(downscale(mask, GLYPH_BOX, TRAY_SIZE), colour));
  write(`build/tray/tray-${level}@2x.png`, tinted(downscale(mask, GLYPH_BOX, TRAY_SIZE * 2), colour));
}
console.log(`icons written: ${LINUX_SIZES.length} Linux sizes, ${Object.keys(TRAY_COLOURS).length} tray levels (1x and 2x)`);
