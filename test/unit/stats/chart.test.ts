import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { incidentsPerWeekChart, type ChartSeverity, type WeekCounts } from '../../../src/stats/chart.ts';
import { Raster, encodePng, fitText, hexColour, textWidth } from '../../../src/stats/png.ts';

// ---------------------------------------------------------------------------------------------------------------
// An independent PNG reader: checks the signature and every CRC, inflates the IDAT stream, undoes filter 0.

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** Bit by bit rather than by table, so the check does not share code with the encoder. */
function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return (crc ^ 0xffffffff) >>> 0;
}

interface DecodedPng {
  width: number;
  height: number;
  chunkTypes: string[];
  /** `#rrggbb` of the pixel at (x, y). */
  pixel(x: number, y: number): string;
}

function decodePng(png: Buffer): DecodedPng {
  expect([...png.subarray(0, 8)]).toEqual(SIGNATURE);
  const chunkTypes: string[] = [];
  const idat: Buffer[] = [];
  let header: Buffer | undefined;
  for (let offset = 8; offset < png.length; ) {
    const length = png.readUInt32BE(offset);
    const typeAndData = png.subarray(offset + 4, offset + 8 + length);
    const type = typeAndData.subarray(0, 4).toString('latin1');
    expect(png.readUInt32BE(offset + 8 + length), `CRC of ${type}`).toBe(crc32(typeAndData));
    chunkTypes.push(type);
    if (type === 'IHDR') header = typeAndData.subarray(4);
    if (type === 'IDAT') idat.push(typeAndData.subarray(4));
    offset += 12 + length;
  }
  if (!header) throw new Error('no IHDR');
  const width = header.readUInt32BE(0);
  const height = header.readUInt32BE(4);
  expect([...header.subarray(8)]).toEqual([8, 2, 0, 0, 0]); // 8-bit truecolour, deflate, filter method 0, no interlace
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * 3 + 1;
  expect(raw.length).toBe(height * stride);
  const rgb = Buffer.alloc(width * height * 3);
  for (let row = 0; row < height; row++) {
    expect(raw[row * stride], `filter type of row ${row}`).toBe(0);
    raw.copy(rgb, row * width * 3, row * stride + 1, (row + 1) * stride);
  }
  const pixel = (x: number, y: number): string => `#${rgb.subarray((y * width + x) * 3, (y * width + x) * 3 + 3).toString('hex')}`;
  return { width, height, chunkTypes, pixel };
}

// ---------------------------------------------------------------------------------------------------------------
// Reading the chart back: bars are found by their colours, text by its dark ink.

const SEVERITY_COLOUR: Record<ChartSeverity, string> = { sev1: '#d93025', sev2: '#f29900', sev3: '#e8c000', sev4: '#5f7a99' };
const BAR_COLOURS = new Set(Object.values(SEVERITY_COLOUR));
const WHITE = '#ffffff';

const isBar = (colour: string): boolean => BAR_COLOURS.has(colour);
/** Text and axes are dark grey; every severity colour has a brighter channel than this. */
const isDark = (colour: string): boolean => [1, 3, 5].every((i) => parseInt(colour.slice(i, i + 2), 16) < 0x70);

function pixelsIn(image: DecodedPng, box: { left: number; top: number; right: number; bottom: number }, test: (colour: string) => boolean): number {
  let count = 0;
  for (let y = box.top; y < box.bottom; y++) for (let x = box.left; x < box.right; x++) if (test(image.pixel(x, y))) count++;
  return count;
}

/** The lowest row holding bar colour: where every bar stands. */
function baseline(image: DecodedPng): number {
  for (let y = image.height - 1; y >= 0; y--) for (let x = 0; x < image.width; x++) if (isBar(image.pixel(x, y))) return y;
  throw new Error('no bars');
}

/** Each bar's horizontal extent along the baseline, left to right. */
function barSpans(image: DecodedPng, y: number): { left: number; right: number }[] {
  const spans: { left: number; right: number }[] = [];
  for (let x = 0; x < image.width; x++) {
    if (!isBar(image.pixel(x, y))) continue;
    const last = spans.at(-1);
    if (last && last.right === x - 1) last.right = x;
    else spans.push({ left: x, right: x });
  }
  return spans;
}

/** The coloured segments of the column at `x`, from `bottom` upwards: the bar's stack as drawn. */
function stackAt(image: DecodedPng, x: number, bottom: number): { colour: string; top: number; bottom: number }[] {
  const segments: { colour: string; top: number; bottom: number }[] = [];
  for (let y = bottom; y >= 0 && isBar(image.pixel(x, y)); y--) {
    const colour = image.pixel(x, y);
    const last = segments.at(-1);
    if (last?.colour === colour) last.top = y;
    else segments.push({ colour, top: y, bottom: y });
  }
  return segments;
}

const barHeight = (stack: { top: number; bottom: number }[]): number => stack.reduce((sum, s) => sum + s.bottom - s.top + 1, 0);
const centreOf = (span: { left: number; right: number }): number => Math.floor((span.left + span.right) / 2);

/** Groups of inked columns in the band under the x axis, split by gaps wider than the space inside a label. */
function labelsUnderAxis(image: DecodedPng, base: number): number {
  const inked = Array.from({ length: image.width }, (_, x) => pixelsIn(image, { left: x, top: base + 6, right: x + 1, bottom: base + 22 }, isDark) > 0);
  let groups = 0;
  let blank = Infinity;
  for (const ink of inked) {
    if (ink && blank > 4) groups++;
    blank = ink ? 0 : blank + 1;
  }
  return groups;
}

function week(weekStart: string, sev1: number, sev2: number, sev3: number, sev4: number): WeekCounts {
  return { weekStart, counts: { sev1, sev2, sev3, sev4 } };
}

/** `count` consecutive weeks from Monday 2025-01-06, every one with some incidents. */
function weeks(count: number): WeekCounts[] {
  return Array.from({ length: count }, (_, i) => week(new Date(Date.UTC(2025, 0, 6 + 7 * i)).toISOString().slice(0, 10), 1 + (i % 3), i % 2, i % 4, 1));
}

// ---------------------------------------------------------------------------------------------------------------

describe('encodePng', () => {
  it('writes a 2×2 image that decodes back to the exact pixels', () => {
    const raster = new Raster(2, 2, hexColour('#ffffff'));
    raster.setPixel(0, 0, hexColour('#ff0000'));
    raster.setPixel(1, 0, hexColour('#00ff00'));
    raster.setPixel(0, 1, hexColour('#0000ff'));
    raster.setPixel(2, 2, hexColour('#000000')); // outside: clipped
    const image = decodePng(encodePng(raster));
    expect(image.chunkTypes).toEqual(['IHDR', 'IDAT', 'IEND']);
    expect([image.width, image.height]).toEqual([2, 2]);
    expect([image.pixel(0, 0), image.pixel(1, 0), image.pixel(0, 1), image.pixel(1, 1)]).toEqual(['#ff0000', '#00ff00', '#0000ff', '#ffffff']);
  });
});

describe('text', () => {
  it('measures 5-pixel glyphs one column apart, scaled', () => {
    expect(textWidth('SEV1')).toBe(23);
    expect(textWidth('SEV1', 2)).toBe(46);
    expect(textWidth('')).toBe(0);
  });

  it('counts an emoji as one character and fits text with an ellipsis', () => {
    expect(textWidth('🚨')).toBe(5);
    expect(textWidth('👩‍👩‍👧')).toBe(5);
    expect(fitText('short', 100)).toBe('short');
    expect(fitText('abcdefghij', textWidth('abcd…'))).toBe('abcd…');
  });

  it('draws a character outside the font as a box', () => {
    const raster = new Raster(9, 11, hexColour('#ffffff'));
    raster.drawText(2, 2, '支', hexColour('#000000'));
    const image = decodePng(encodePng(raster));
    const inked = (x: number, y: number): boolean => image.pixel(x, y) === '#000000';
    for (let x = 2; x <= 6; x++) expect([inked(x, 2), inked(x, 8)]).toEqual([true, true]);
    for (let y = 2; y <= 8; y++) expect([inked(2, y), inked(6, y)]).toEqual([true, true]);
    expect(inked(4, 5)).toBe(false);
    expect(inked(1, 2) || inked(7, 2) || inked(2, 1) || inked(2, 9)).toBe(false);
  });
});

describe('incidentsPerWeekChart', () => {
  const twoWeeks = [week('2025-03-03', 2, 3, 0, 1), week('2025-03-10', 4, 4, 1, 1)];

  it('is a 720×360 PNG', () => {
    const image = decodePng(incidentsPerWeekChart(twoWeeks, 'Incidents per week'));
    expect([image.width, image.height]).toEqual([720, 360]);
    expect(image.chunkTypes).toEqual(['IHDR', 'IDAT', 'IEND']);
    expect(image.pixel(0, 0)).toBe(WHITE);
  });

  it('stacks severities from sev1 at the bottom, each segment in its colour and to scale', () => {
    const image = decodePng(incidentsPerWeekChart(twoWeeks, 'Incidents per week'));
    const base = baseline(image);
    const spans = barSpans(image, base);
    expect(spans).toHaveLength(2);
    const x = centreOf(spans[0]!);
    const [sev1, sev2, sev4, ...rest] = stackAt(image, x, base);
    expect([sev1?.colour, sev2?.colour, sev4?.colour, rest]).toEqual([SEVERITY_COLOUR.sev1, SEVERITY_COLOUR.sev2, SEVERITY_COLOUR.sev4, []]);
    expect(image.pixel(x, Math.round((sev1!.top + sev1!.bottom) / 2))).toBe(SEVERITY_COLOUR.sev1);
    expect(image.pixel(x, Math.round((sev2!.top + sev2!.bottom) / 2))).toBe(SEVERITY_COLOUR.sev2);
    const height = (s: { top: number; bottom: number }): number => s.bottom - s.top + 1;
    expect(height(sev2!) / height(sev1!)).toBeCloseTo(3 / 2, 1);
    expect(height(sev4!) / height(sev1!)).toBeCloseTo(1 / 2, 1);
  });

  it('draws a bigger week as a taller bar, oldest on the left', () => {
    const image = decodePng(incidentsPerWeekChart(twoWeeks, 'Incidents per week'));
    const base = baseline(image);
    const [older, newer] = barSpans(image, base).map((span) => barHeight(stackAt(image, centreOf(span), base)));
    expect(newer!).toBeGreaterThan(older!);
    expect(newer! / older!).toBeCloseTo(10 / 6, 1);
  });

  it('shows a nonzero count even beside a much larger week', () => {
    const image = decodePng(incidentsPerWeekChart([week('2025-03-03', 0, 0, 0, 1), week('2025-03-10', 900, 0, 0, 0)], 'Busy'));
    const base = baseline(image);
    const spans = barSpans(image, base);
    expect(spans).toHaveLength(2);
    expect(stackAt(image, centreOf(spans[0]!), base).map((s) => s.colour)).toEqual([SEVERITY_COLOUR.sev4]);
  });

  it.each([
    ['all-zero weeks', [week('2025-03-03', 0, 0, 0, 0), week('2025-03-10', 0, 0, 0, 0)]],
    ['no weeks', []],
  ])('with %s draws no bars and says so in the middle', (_name, input: WeekCounts[]) => {
    const image = decodePng(incidentsPerWeekChart(input, 'Incidents per week'));
    expect(pixelsIn(image, { left: 0, top: 0, right: image.width, bottom: image.height }, isBar)).toBe(0);
    const centre = { left: image.width / 2 - 120, top: image.height / 2 - 20, right: image.width / 2 + 120, bottom: image.height / 2 + 20 };
    expect(pixelsIn(image, centre, isDark)).toBeGreaterThan(200);
  });

  it('gives identical bytes for the same input', () => {
    expect(incidentsPerWeekChart(weeks(13), 'Quarter').equals(incidentsPerWeekChart(weeks(13), 'Quarter'))).toBe(true);
  });

  it('labels each of 13 weeks', () => {
    const image = decodePng(incidentsPerWeekChart(weeks(13), 'Quarter'));
    const base = baseline(image);
    expect(barSpans(image, base)).toHaveLength(13);
    expect(labelsUnderAxis(image, base)).toBe(13);
  });

  it('fits 53 separate bars in the width and skips labels that would collide', () => {
    const image = decodePng(incidentsPerWeekChart(weeks(53), 'A year'));
    const base = baseline(image);
    const spans = barSpans(image, base);
    expect(spans).toHaveLength(53);
    expect(spans.at(-1)!.right).toBeLessThan(image.width - 8);
    const labels = labelsUnderAxis(image, base);
    expect(labels).toBeGreaterThanOrEqual(8);
    expect(labels).toBeLessThan(53);
  });

  it('renders a title with emoji and CJK, truncated within the margins when too long', () => {
    const title = `🚨 支付 outage ${'x'.repeat(200)}`;
    const image = decodePng(incidentsPerWeekChart(twoWeeks, title));
    const titleBand = { top: 0, bottom: 32 };
    expect(pixelsIn(image, { ...titleBand, left: 0, right: 40 }, isDark)).toBeGreaterThan(20);
    expect(pixelsIn(image, { ...titleBand, left: image.width - 16, right: image.width }, isDark)).toBe(0);
    expect(barSpans(image, baseline(image))).toHaveLength(2);
  });
});
