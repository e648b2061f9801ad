/**
 * The `/incident stats` chart: incidents per week as stacked bars by severity, drawn into a PNG. Pure: the same
 * weeks and title always give the same bytes.
 */
import { GLYPH_HEIGHT, Raster, encodePng, fitText, hexColour, textWidth, type Rgb } from './png.ts';

export type ChartSeverity = 'sev1' | 'sev2' | 'sev3' | 'sev4';
export interface WeekCounts {
  /** The week's first day, YYYY-MM-DD (a Monday in the report's time zone): labels the bar. */
  weekStart: string;
  counts: Record<ChartSeverity, number>;
}

/** Bottom of the stack first. */
const STACK_ORDER: readonly ChartSeverity[] = ['sev1', 'sev2', 'sev3', 'sev4'];

const SEVERITY_COLOURS: Record<ChartSeverity, Rgb> = {
  sev1: hexColour('#d93025'),
  sev2: hexColour('#f29900'),
  sev3: hexColour('#e8c000'),
  sev4: hexColour('#5f7a99'),
};
const BACKGROUND = hexColour('#ffffff');
const INK = hexColour('#3c4043');
const GRID = hexColour('#e8eaed');

const WIDTH = 720;
const HEIGHT = 360;
const MARGIN = 16;

const TITLE_SCALE = 2;
const TITLE_TOP = 12;

const LEGEND_TOP = 40;
const SWATCH_SIZE = 9;
const SWATCH_TEXT_GAP = 4;
const LEGEND_ITEM_GAP = 14;

/** The plot's axes: the y axis runs along PLOT_LEFT, the x axis along PLOT_BOTTOM; bars stand on the x axis. */
const PLOT_LEFT = 56;
const PLOT_RIGHT = WIDTH - MARGIN;
const PLOT_TOP = 64;
const PLOT_BOTTOM = 328;
const PLOT_HEIGHT = PLOT_BOTTOM - PLOT_TOP;
/** Keeps the first bar off the y axis. */
const BARS_LEFT = PLOT_LEFT + 4;

const BAR_FRACTION = 0.7;
const MAX_TICK_INTERVALS = 5;
const NICE_MULTIPLIERS = [1, 2, 5] as const;
const TICK_LENGTH = 4;
const TICK_LABEL_GAP = 3;

const X_LABEL_TOP = PLOT_BOTTOM + 8;
const X_LABEL_MIN_GAP = 8;

const EMPTY_MESSAGE = 'No incidents in this period';
const EMPTY_MESSAGE_SCALE = 2;

/** A PNG: one stacked bar per week (oldest left), sev1 at the bottom; legend, integer y-axis ticks, title. */
export function incidentsPerWeekChart(weeks: readonly WeekCounts[], title: string): Buffer {
  const raster = new Raster(WIDTH, HEIGHT, BACKGROUND);
  drawTitle(raster, title);
  const slots = barSlots(weeks.length);
  const maxTotal = weeks.reduce((max, week) => Math.max(max, weekTotal(week)), 0);
  if (maxTotal === 0) {
    drawYAxis(raster, [0], 1);
    drawEmptyMessage(raster);
  } else {
    const step = niceStep(maxTotal);
    const axisTop = Math.ceil(maxTotal / step) * step;
    drawYAxis(raster, ticks(axisTop, step), axisTop);
    weeks.forEach((week, index) => drawBar(raster, week, slots[index]!, axisTop));
    drawLegend(raster);
  }
  drawXAxis(raster);
  drawWeekLabels(raster, weeks, slots);
  return encodePng(raster);
}

/** A count as drawn: negative, fractional junk or NaN from a caller never bends the axes. */
function countOf(value: number): number {
  return Number.isFinite(value) && value > 0 ? value : 0;
}

function weekTotal(week: WeekCounts): number {
  return STACK_ORDER.reduce((sum, severity) => sum + countOf(week.counts[severity]), 0);
}

/** The smallest step of 1, 2, 5, 10, 20, 50… that covers `max` in at most MAX_TICK_INTERVALS steps. */
function niceStep(max: number): number {
  for (let magnitude = 1; ; magnitude *= 10) {
    for (const multiplier of NICE_MULTIPLIERS) {
      const step = multiplier * magnitude;
      if (Math.ceil(max / step) <= MAX_TICK_INTERVALS) return step;
    }
  }
}

function ticks(axisTop: number, step: number): number[] {
  return Array.from({ length: axisTop / step + 1 }, (_, index) => index * step);
}

/** The pixel row of `value` on an axis that reaches `axisTop` at PLOT_TOP. */
function yOf(value: number, axisTop: number): number {
  return PLOT_BOTTOM - Math.round((value / axisTop) * PLOT_HEIGHT);
}

interface Slot {
  barLeft: number;
  barWidth: number;
  centre: number;
}

/** Where each week's bar goes: equal slots across the plot, each bar centred in its slot. */
function barSlots(count: number): Slot[] {
  const slotWidth = (PLOT_RIGHT - BARS_LEFT) / Math.max(1, count);
  return Array.from({ length: count }, (_, index) => {
    const left = BARS_LEFT + Math.round(index * slotWidth);
    const right = BARS_LEFT + Math.round((index + 1) * slotWidth);
    const barWidth = Math.max(1, Math.round((right - left) * BAR_FRACTION));
    const barLeft = left + Math.floor((right - left - barWidth) / 2);
    return { barLeft, barWidth, centre: barLeft + barWidth / 2 };
  });
}

function drawTitle(raster: Raster, title: string): void {
  raster.drawText(MARGIN, TITLE_TOP, fitText(title, WIDTH - 2 * MARGIN, TITLE_SCALE), INK, TITLE_SCALE);
}

/** Swatch and name per severity, right-aligned above the plot. */
function drawLegend(raster: Raster): void {
  const items = STACK_ORDER.map((severity) => ({ severity, label: severity.toUpperCase() }));
  const itemWidth = (label: string): number => SWATCH_SIZE + SWATCH_TEXT_GAP + textWidth(label);
  const total = items.reduce((sum, item) => sum + itemWidth(item.label), 0) + LEGEND_ITEM_GAP * (items.length - 1);
  let x = PLOT_RIGHT - total;
  for (const { severity, label } of items) {
    raster.fillRect(x, LEGEND_TOP, SWATCH_SIZE, SWATCH_SIZE, SEVERITY_COLOURS[severity]);
    raster.drawText(x + SWATCH_SIZE + SWATCH_TEXT_GAP, LEGEND_TOP + (SWATCH_SIZE - GLYPH_HEIGHT) / 2, label, INK);
    x += itemWidth(label) + LEGEND_ITEM_GAP;
  }
}

/** The y axis with a labelled tick and a light grid line per value. */
function drawYAxis(raster: Raster, values: readonly number[], axisTop: number): void {
  for (const value of values) {
    const y = yOf(value, axisTop);
    if (value > 0) raster.fillRect(PLOT_LEFT + 1, y, PLOT_RIGHT - PLOT_LEFT, 1, GRID);
    raster.fillRect(PLOT_LEFT - TICK_LENGTH, y, TICK_LENGTH, 1, INK);
    const label = String(value);
    const labelX = PLOT_LEFT - TICK_LENGTH - TICK_LABEL_GAP - textWidth(label);
    raster.drawText(labelX, y - Math.floor(GLYPH_HEIGHT / 2), label, INK);
  }
  raster.fillRect(PLOT_LEFT, PLOT_TOP, 1, PLOT_BOTTOM - PLOT_TOP + 1, INK);
}

function drawXAxis(raster: Raster): void {
  raster.fillRect(PLOT_LEFT, PLOT_BOTTOM, PLOT_RIGHT - PLOT_LEFT + 1, 1, INK);
}

/** One segment per severity, sev1 on the axis; a non-zero count always shows at least one pixel. */
function drawBar(raster: Raster, week: WeekCounts, slot: Slot, axisTop: number): void {
  let base = PLOT_BOTTOM;
  let cumulative = 0;
  for (const severity of STACK_ORDER) {
    const count = countOf(week.counts[severity]);
    if (count === 0) continue;
    cumulative += count;
    const top = Math.max(PLOT_TOP, Math.min(base - 1, yOf(cumulative, axisTop)));
    raster.fillRect(slot.barLeft, top, slot.barWidth, base - top, SEVERITY_COLOURS[severity]);
    base = top;
  }
}

/** `MM-DD` under the bars; when they would collide, every n-th, counted back from the newest week. */
function drawWeekLabels(raster: Raster, weeks: readonly WeekCounts[], slots: readonly Slot[]): void {
  const labels = weeks.map((week) => week.weekStart.slice(5, 10));
  const widest = labels.reduce((max, label) => Math.max(max, textWidth(label)), 0);
  const slotWidth = (PLOT_RIGHT - BARS_LEFT) / Math.max(1, weeks.length);
  const every = Math.max(1, Math.ceil((widest + X_LABEL_MIN_GAP) / slotWidth));
  labels.forEach((label, index) => {
    if ((labels.length - 1 - index) % every !== 0) return;
    const width = textWidth(label);
    const x = Math.min(WIDTH - width, Math.max(0, Math.round(slots[index]!.centre - width / 2)));
    raster.drawText(x, X_LABEL_TOP, label, INK);
  });
}

function drawEmptyMessage(raster: Raster): void {
  const width = textWidth(EMPTY_MESSAGE, EMPTY_MESSAGE_SCALE);
  const x = Math.round((PLOT_LEFT + PLOT_RIGHT - width) / 2);
  const y = Math.round((PLOT_TOP + PLOT_BOTTOM - GLYPH_HEIGHT * EMPTY_MESSAGE_SCALE) / 2);
  raster.drawText(x, y, EMPTY_MESSAGE, INK, EMPTY_MESSAGE_SCALE);
}
