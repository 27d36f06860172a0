/**
 * Draws the Teams app icons: a speech bubble holding a signpost (a chat that points partners the right way).
 * color.png 192×192 on the brand colour; outline.png 32×32, white on transparent, as Teams requires.
 * Run: npx tsx scripts/teams-icons.ts  (writes teams/color.png and teams/outline.png)
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PNG } from 'pngjs';

type Rgb = [number, number, number];
/** A shape in unit coordinates (0..1 across the icon): is this point inside? */
type Shape = (x: number, y: number) => boolean;

const BRAND: Rgb = [15, 76, 129];
const ACCENT: Rgb = [242, 163, 58];
const WHITE: Rgb = [255, 255, 255];

const roundedRect =
  (x0: number, y0: number, x1: number, y1: number, r: number): Shape =>
  (x, y) => {
    if (x < x0 || x > x1 || y < y0 || y > y1) return false;
    const cx = Math.min(Math.max(x, x0 + r), x1 - r);
    const cy = Math.min(Math.max(y, y0 + r), y1 - r);
    return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
  };

const polygon =
  (points: [number, number][]): Shape =>
  (x, y) => {
    let inside = false;
    for (let i = 0, j = points.length - 1; i < points.length; j = i++) {
      const [xi, yi] = points[i];
      const [xj, yj] = points[j];
      if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
    }
    return inside;
  };

const union =
  (...shapes: Shape[]): Shape =>
  (x, y) =>
    shapes.some((shape) => shape(x, y));
const minus =
  (shape: Shape, hole: Shape): Shape =>
  (x, y) =>
    shape(x, y) && !hole(x, y);

/** The speech bubble, its tail at the lower left. */
const bubble = union(
  roundedRect(0.12, 0.14, 0.88, 0.7, 0.12),
  polygon([
    [0.24, 0.66],
    [0.44, 0.66],
    [0.2, 0.88],
  ]),
);

const pole = roundedRect(0.475, 0.22, 0.525, 0.62, 0.01);
/** A sign pointing right (to the portal) above one pointing left (back a step): a route to choose. */
const signRight = polygon([
  [0.3, 0.25],
  [0.64, 0.25],
  [0.72, 0.33],
  [0.64, 0.41],
  [0.3, 0.41],
]);
const signLeft = polygon([
  [0.36, 0.44],
  [0.7, 0.44],
  [0.7, 0.58],
  [0.36, 0.58],
  [0.28, 0.51],
]);

/** Fraction of a pixel a shape covers, sampled on a 4×4 grid (anti-aliasing). */
function coverage(shape: Shape, px: number, py: number, size: number): number {
  let hits = 0;
  for (let sy = 0; sy < 4; sy++) {
    for (let sx = 0; sx < 4; sx++) {
      if (shape((px + (sx + 0.5) / 4) / size, (py + (sy + 0.5) / 4) / size)) hits++;
    }
  }
  return hits / 16;
}

const mix = (under: Rgb, over: Rgb, amount: number): Rgb =>
  under.map((channel, i) => Math.round(channel + (over[i] - channel) * amount)) as Rgb;

/** 192×192: white bubble on the brand colour, the signpost in brand blue with an orange sign. */
export function drawColorIcon(size = 192): PNG {
  const png = new PNG({ width: size, height: size });
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let colour = BRAND;
      colour = mix(colour, WHITE, coverage(bubble, x, y, size));
      colour = mix(colour, BRAND, coverage(union(pole, signLeft), x, y, size));
      colour = mix(colour, ACCENT, coverage(signRight, x, y, size));
      const at = (y * size + x) * 4;
      png.data[at] = colour[0];
      png.data[at + 1] = colour[1];
      png.data[at + 2] = colour[2];
      png.data[at + 3] = 255;
    }
  }
  return png;
}

/** 32×32: the bubble's outline and a smaller signpost in white, everything else fully transparent. */
export function drawOutlineIcon(size = 32): PNG {
  const png = new PNG({ width: size, height: size });
  // laid out on the 32-pixel grid, so the 2-pixel lines stay sharp
  const u = (pixels: number) => pixels / 32;
  const outer = union(
    roundedRect(u(3), u(4), u(29), u(23), u(5)),
    polygon([
      [u(7), u(22)],
      [u(13), u(22)],
      [u(6), u(29)],
    ]),
  );
  const ring = minus(outer, roundedRect(u(5), u(6), u(27), u(21), u(3)));
  const post = union(
    roundedRect(u(15), u(7), u(17), u(20), 0),
    polygon([
      [u(9), u(8)],
      [u(20), u(8)],
      [u(23), u(10.5)],
      [u(20), u(13)],
      [u(9), u(13)],
    ]),
    polygon([
      [u(12), u(14.5)],
      [u(23), u(14.5)],
      [u(23), u(19)],
      [u(12), u(19)],
      [u(9), u(16.75)],
    ]),
  );
  const shape = union(ring, post);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const at = (y * size + x) * 4;
      png.data[at] = 255;
      png.data[at + 1] = 255;
      png.data[at + 2] = 255;
      png.data[at + 3] = Math.round(255 * coverage(shape, x, y, size));
    }
  }
  return png;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const teams = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../teams');
  writeFileSync(path.join(teams, 'color.png'), PNG.sync.write(drawColorIcon()));
  writeFileSync(path.join(teams, 'outline.png'), PNG.sync.write(drawOutlineIcon()));
  console.log(`wrote ${teams}/color.png and outline.png`);
}
