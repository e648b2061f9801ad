/**
 * A minimal RGB raster with a built-in 5×7 bitmap font, and a PNG encoder (8-bit truecolour, no interlace).
 * Enough to draw small charts without a native module or a canvas package. Pure: no I/O.
 */
import { deflateSync } from 'node:zlib';

/** A colour as three 0–255 channels. */
export type Rgb = readonly [red: number, green: number, blue: number];

/** `#rrggbb` as an Rgb. */
export function hexColour(hex: string): Rgb {
  const match = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!match) throw new Error(`not a #rrggbb colour: ${hex}`);
  return [parseInt(match[1]!, 16), parseInt(match[2]!, 16), parseInt(match[3]!, 16)];
}

/** What the encoder needs: row-major RGB bytes, three per pixel, top row first. */
export interface RgbImage {
  readonly width: number;
  readonly height: number;
  readonly rgb: Uint8Array;
}

// ---------------------------------------------------------------------------------------------------------------
// The font: one glyph per line, seven rows of five columns, `#` inked. Lowercase letters with descenders fit in
// the same cell (as on HD44780 displays) so every line of text is exactly GLYPH_HEIGHT tall.

export const GLYPH_WIDTH = 5;
export const GLYPH_HEIGHT = 7;
/** Horizontal distance from one glyph to the next at scale 1: the glyph plus one blank column. */
const ADVANCE = GLYPH_WIDTH + 1;

const FONT_SOURCE: Record<string, string> = {
  ' ': '..... ..... ..... ..... ..... ..... .....',
  '0': '.###. #...# #..## #.#.# ##..# #...# .###.',
  '1': '..#.. .##.. ..#.. ..#.. ..#.. ..#.. .###.',
  '2': '.###. #...# ....# ...#. ..#.. .#... #####',
  '3': '##### ...#. ..#.. ...#. ....# #...# .###.',
  '4': '...#. ..##. .#.#. #..#. ##### ...#. ...#.',
  '5': '##### #.... ####. ....# ....# #...# .###.',
  '6': '..##. .#... #.... ####. #...# #...# .###.',
  '7': '##### ....# ...#. ..#.. .#... .#... .#...',
  '8': '.###. #...# #...# .###. #...# #...# .###.',
  '9': '.###. #...# #...# .#### ....# ...#. .##..',
  A: '.###. #...# #...# #...# ##### #...# #...#',
  B: '####. #...# #...# ####. #...# #...# ####.',
  C: '.###. #...# #.... #.... #.... #...# .###.',
  D: '###.. #..#. #...# #...# #...# #..#. ###..',
  E: '##### #.... #.... ####. #.... #.... #####',
  F: '##### #.... #.... ####. #.... #.... #....',
  G: '.###. #...# #.... #.### #...# #...# .####',
  H: '#...# #...# #...# ##### #...# #...# #...#',
  I: '.###. ..#.. ..#.. ..#.. ..#.. ..#.. .###.',
  J: '..### ...#. ...#. ...#. ...#. #..#. .##..',
  K: '#...# #..#. #.#.. ##... #.#.. #..#. #...#',
  L: '#.... #.... #.... #.... #.... #.... #####',
  M: '#...# ##.## #.#.# #.#.# #...# #...# #...#',
  N: '#...# #...# ##..# #.#.# #..## #...# #...#',
  O: '.###. #...# #...# #...# #...# #...# .###.',
  P: '####. #...# #...# ####. #.... #.... #....',
  Q: '.###. #...# #...# #...# #.#.# #..#. .##.#',
  R: '####. #...# #...# ####. #.#.. #..#. #...#',
  S: '.#### #.... #.... .###. ....# ....# ####.',
  T: '##### ..#.. ..#.. ..#.. ..#.. ..#.. ..#..',
  U: '#...# #...# #...# #...# #...# #...# .###.',
  V: '#...# #...# #...# #...# #...# .#.#. ..#..',
  W: '#...# #...# #...# #.#.# #.#.# #.#.# .#.#.',
  X: '#...# #...# .#.#. ..#.. .#.#. #...# #...#',
  Y: '#...# #...# #...# .#.#. ..#.. ..#.. ..#..',
  Z: '##### ....# ...#. ..#.. .#... #.... #####',
  a: '..... ..... .###. ....# .#### #...# .####',
  b: '#.... #.... #.##. ##..# #...# #...# ####.',
  c: '..... ..... .###. #.... #.... #...# .###.',
  d: '....# ....# .##.# #..## #...# #...# .####',
  e: '..... ..... .###. #...# ##### #.... .###.',
  f: '..##. .#..# .#... ###.. .#... .#... .#...',
  g: '..... ..... .#### #...# .#### ....# .###.',
  h: '#.... #.... #.##. ##..# #...# #...# #...#',
  i: '..#.. ..... .##.. ..#.. ..#.. ..#.. .###.',
  j: '...#. ..... ..##. ...#. ...#. #..#. .##..',
  k: '#.... #.... #..#. #.#.. ##... #.#.. #..#.',
  l: '.##.. ..#.. ..#.. ..#.. ..#.. ..#.. .###.',
  m: '..... ..... ##.#. #.#.# #.#.# #...# #...#',
  n: '..... ..... #.##. ##..# #...# #...# #...#',
  o: '..... ..... .###. #...# #...# #...# .###.',
  p: '..... ..... ####. #...# ####. #.... #....',
  q: '..... ..... .#### #...# .#### ....# ....#',
  r: '..... ..... #.##. ##..# #.... #.... #....',
  s: '..... ..... .###. #.... .###. ....# ####.',
  t: '.#... .#... ###.. .#... .#... .#..# ..##.',
  u: '..... ..... #...# #...# #...# #..## .##.#',
  v: '..... ..... #...# #...# #...# .#.#. ..#..',
  w: '..... ..... #...# #...# #.#.# #.#.# .#.#.',
  x: '..... ..... #...# .#.#. ..#.. .#.#. #...#',
  y: '..... ..... #...# #...# .#### ....# .###.',
  z: '..... ..... ##### ...#. ..#.. .#... #####',
  '-': '..... ..... ..... ##### ..... ..... .....',
  ':': '..... .##.. .##.. ..... .##.. .##.. .....',
  '/': '..... ....# ...#. ..#.. .#... #.... .....',
  '.': '..... ..... ..... ..... ..... .##.. .##..',
  '(': '...#. ..#.. .#... .#... .#... ..#.. ...#.',
  ')': '.#... ..#.. ...#. ...#. ...#. ..#.. .#...',
  '%': '##... ##..# ...#. ..#.. .#... #..## ...##',
  ',': '..... ..... ..... ..... .##.. ..#.. .#...',
  ';': '..... .##.. .##.. ..... .##.. ..#.. .#...',
  "'": '.##.. ..#.. .#... ..... ..... ..... .....',
  '"': '.#.#. .#.#. .#.#. ..... ..... ..... .....',
  '!': '..#.. ..#.. ..#.. ..#.. ..#.. ..... ..#..',
  '?': '.###. #...# ....# ...#. ..#.. ..... ..#..',
  '#': '.#.#. .#.#. ##### .#.#. ##### .#.#. .#.#.',
  '&': '.##.. #..#. #.#.. .#... #.#.# #..#. .##.#',
  '+': '..... ..#.. ..#.. ##### ..#.. ..#.. .....',
  '=': '..... ..... ##### ..... ##### ..... .....',
  '_': '..... ..... ..... ..... ..... ..... #####',
  '*': '..... ..#.. #.#.# .###. #.#.# ..#.. .....',
  '@': '.###. #...# ....# .##.# #.#.# #.#.# .###.',
  '<': '...#. ..#.. .#... #.... .#... ..#.. ...#.',
  '>': '.#... ..#.. ...#. ....# ...#. ..#.. .#...',
  '[': '.###. .#... .#... .#... .#... .#... .###.',
  ']': '.###. ...#. ...#. ...#. ...#. ...#. .###.',
  '|': '..#.. ..#.. ..#.. ..#.. ..#.. ..#.. ..#..',
  '…': '..... ..... ..... ..... ..... ..... #.#.#',
};

/** Drawn for every character the font lacks (emoji, CJK…), so unknown text shows up as boxes, never an error. */
const MISSING_GLYPH_SOURCE = '##### #...# #...# #...# #...# #...# #####';

/** A glyph as its rows, each a bit mask with the leftmost column in the highest of GLYPH_WIDTH bits. */
type Glyph = readonly number[];

function parseGlyph(char: string, source: string): Glyph {
  const rows = source.split(' ');
  if (rows.length !== GLYPH_HEIGHT || rows.some((row) => !new RegExp(`^[.#]{${GLYPH_WIDTH}}$`).test(row))) {
    throw new Error(`malformed glyph for ${JSON.stringify(char)}`);
  }
  return rows.map((row) => [...row].reduce((bits, cell) => (bits << 1) | (cell === '#' ? 1 : 0), 0));
}

const FONT = new Map(Object.entries(FONT_SOURCE).map(([char, source]) => [char, parseGlyph(char, source)]));
const MISSING_GLYPH = parseGlyph('missing', MISSING_GLYPH_SOURCE);

/** Splits on what a reader sees as one character, so a flag or a family emoji becomes one box, not several. */
const GRAPHEMES = new Intl.Segmenter('en', { granularity: 'grapheme' });

function characters(text: string): string[] {
  return Array.from(GRAPHEMES.segment(text.normalize('NFC')), (s) => s.segment);
}

function glyphFor(char: string): Glyph {
  return FONT.get(/^\s$/.test(char) ? ' ' : char) ?? MISSING_GLYPH;
}

/** Width in pixels of `text` drawn at `scale`, with no trailing gap. */
export function textWidth(text: string, scale = 1): number {
  const count = characters(text).length;
  return count === 0 ? 0 : (count * ADVANCE - 1) * scale;
}

/** `text`, or as much of it as fits in `maxWidth` pixels followed by an ellipsis. */
export function fitText(text: string, maxWidth: number, scale = 1): string {
  if (textWidth(text, scale) <= maxWidth) return text;
  const chars = characters(text);
  while (chars.length > 0) {
    chars.pop();
    const candidate = `${chars.join('').trimEnd()}…`;
    if (textWidth(candidate, scale) <= maxWidth) return candidate;
  }
  return '';
}

// ---------------------------------------------------------------------------------------------------------------

/** An RGB image to draw on. Drawing outside the edges is clipped, never an error. */
export class Raster implements RgbImage {
  readonly rgb: Uint8Array;

  constructor(
    readonly width: number,
    readonly height: number,
    background: Rgb,
  ) {
    if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
      throw new RangeError(`raster size must be positive integers, got ${width}×${height}`);
    }
    this.rgb = new Uint8Array(width * height * 3);
    this.fillRect(0, 0, width, height, background);
  }

  setPixel(x: number, y: number, colour: Rgb): void {
    if (!Number.isInteger(x) || !Number.isInteger(y) || x < 0 || y < 0 || x >= this.width || y >= this.height) return;
    this.rgb.set(colour, (y * this.width + x) * 3);
  }

  /** Fills the `width` × `height` rectangle whose top-left corner is (x, y); coordinates are rounded. */
  fillRect(x: number, y: number, width: number, height: number, colour: Rgb): void {
    const left = Math.max(0, Math.round(x));
    const top = Math.max(0, Math.round(y));
    const right = Math.min(this.width, Math.round(x + width));
    const bottom = Math.min(this.height, Math.round(y + height));
    for (let row = top; row < bottom; row++) {
      for (let column = left; column < right; column++) this.rgb.set(colour, (row * this.width + column) * 3);
    }
  }

  /** Draws `text` with its top-left corner at (x, y), each font pixel a `scale` × `scale` square. */
  drawText(x: number, y: number, text: string, colour: Rgb, scale = 1): void {
    characters(text).forEach((char, index) => this.drawGlyph(x + index * ADVANCE * scale, y, glyphFor(char), colour, scale));
  }

  private drawGlyph(x: number, y: number, glyph: Glyph, colour: Rgb, scale: number): void {
    glyph.forEach((bits, row) => {
      for (let column = 0; column < GLYPH_WIDTH; column++) {
        const inked = (bits >> (GLYPH_WIDTH - 1 - column)) & 1;
        if (inked) this.fillRect(x + column * scale, y + row * scale, scale, scale, colour);
      }
    });
  }
}

// ---------------------------------------------------------------------------------------------------------------
// PNG: signature, IHDR, one IDAT, IEND; each chunk is length, type, data and a CRC-32 of type and data.

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const BIT_DEPTH = 8;
const COLOUR_TYPE_TRUECOLOUR = 2;
const FILTER_NONE = 0;

/** The CRC-32 (ISO 3309, polynomial 0xEDB88320) of each byte value, as the PNG specification computes it. */
const CRC_TABLE = Uint32Array.from({ length: 256 }, (_, byte) => {
  let c = byte;
  for (let bit = 0; bit < 8; bit++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = CRC_TABLE[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const typeAndData = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndData));
  return Buffer.concat([length, typeAndData, crc]);
}

function headerData(image: RgbImage): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(image.width, 0);
  header.writeUInt32BE(image.height, 4);
  header.writeUInt8(BIT_DEPTH, 8);
  header.writeUInt8(COLOUR_TYPE_TRUECOLOUR, 9);
  // Bytes 10–12 stay 0: deflate compression, adaptive filtering method, no interlace.
  return header;
}

/** The rows as PNG stores them before compression: each prefixed with its filter type (always none here). */
function scanlines(image: RgbImage): Buffer {
  const rowBytes = image.width * 3;
  const out = Buffer.alloc(image.height * (rowBytes + 1));
  for (let row = 0; row < image.height; row++) {
    const start = row * (rowBytes + 1);
    out[start] = FILTER_NONE;
    out.set(image.rgb.subarray(row * rowBytes, (row + 1) * rowBytes), start + 1);
  }
  return out;
}

/** The image as PNG bytes. Deterministic: the same pixels give the same bytes. */
export function encodePng(image: RgbImage): Buffer {
  if (image.rgb.length !== image.width * image.height * 3) throw new RangeError('rgb length does not match width × height × 3');
  return Buffer.concat([
    PNG_SIGNATURE,
    chunk('IHDR', headerData(image)),
    chunk('IDAT', deflateSync(scanlines(image), { level: 9 })),
    chunk('IEND', new Uint8Array(0)),
  ]);
}
