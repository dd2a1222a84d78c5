/**
 * The few chart shapes the HTML report draws, as static SVG text: bars over time (stacked, with
 * dashed overlay lines) and horizontal bars. No script, no external reference; every label passes
 * through `escapeHtml`, and every number is printed with one decimal at most, so the same data
 * always gives the same bytes. Hovering a bar shows its figures (`<title>`).
 */
import { escapeHtml } from '../diag/escape.js';

/** A series of values, one per bucket or bar. */
export interface Series {
  readonly label: string;
  /** A CSS colour. */
  readonly color: string;
  readonly values: readonly number[];
}

/** Bars over time: one stacked bar per bucket (negative values stack below zero), lines over them. */
export interface TimeChart {
  /** What the chart shows, for screen readers (`aria-label`). */
  readonly label: string;
  /** The unit of the values, shown above the axis: `decisions`, `tokens`, `EUR`. */
  readonly unit: string;
  /** Start of each bucket (ms since the epoch, UTC) and the bucket width. */
  readonly starts: readonly number[];
  readonly bucketMs: number;
  readonly stacks: readonly Series[];
  /** Drawn as dashed lines over the bars (the `--against` policy). */
  readonly lines?: readonly Series[];
  /** Axis and tooltip text for a value. */
  readonly format: (v: number) => string;
  /** Smallest step between axis ticks (1 for counts and minor units). */
  readonly minStep?: number;
}

/** One row of a horizontal bar chart. */
export interface BarRow {
  readonly label: string;
  /** Stacked left to right; `name` says what the segment counts (tooltip). */
  readonly segments: readonly { readonly name: string; readonly value: number; readonly color: string }[];
  /** A value to compare with (the `--against` policy), drawn as a dashed mark. */
  readonly compare?: number;
  /** Text after the bar (default: the formatted total). */
  readonly note?: string;
}

export interface BarChart {
  readonly label: string;
  readonly rows: readonly BarRow[];
  readonly format: (v: number) => string;
  /** What `compare` means, for its tooltip: `before`. */
  readonly compareName?: string;
}

const WIDTH = 760;
const TIME_HEIGHT = 240;
const LEFT = 76;
const RIGHT = 12;
const TOP = 26;
const BOTTOM = 30;
const ROW = 24;
const LABEL_COLUMN = 190;
const NOTE_COLUMN = 160;
const AXIS = '#6b7280';
const GRID = '#e5e7eb';
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Monday 1970-01-05 00:00 UTC: the timeline's buckets, and the axis labels, count from it. */
const ORIGIN = 4 * DAY;
/** Spacings of x-axis labels, each aligned to UTC (days at midnight, weeks on Monday). */
const LABEL_STEPS = [60_000, 300_000, 900_000, 1_800_000, HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR, DAY, 2 * DAY, 7 * DAY, 14 * DAY, 28 * DAY];
/** At most this many x-axis labels. */
const MAX_LABELS = 7;

/** A coordinate with at most one decimal (no `-0`), so output is byte-stable. */
function n(x: number): string {
  const r = Math.round(x * 10) / 10;
  return String(r === 0 ? 0 : r);
}

/** The largest magnitude a `Date` can hold; beyond it a time is shown as its number. */
const DATE_LIMIT = 8.64e15;

/** A UTC time for people: `24 Nov 2025`, with `06:00` when `withTime`. */
export function utcLabel(ms: number, withTime: boolean, withYear = true): string {
  if (!(Math.abs(ms) <= DATE_LIMIT)) return String(ms);
  const d = new Date(ms);
  const date = `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]}${withYear ? ` ${d.getUTCFullYear()}` : ''}`;
  if (!withTime) return date;
  return `${date} ${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`;
}

/** A bucket `[start, start + width)` for a tooltip: `24 Nov 2025 06:00–09:00 UTC`. */
export function bucketLabel(start: number, width: number): string {
  if (width >= DAY) return width === DAY ? `${utcLabel(start, false)} (UTC)` : `${utcLabel(start, false)} – ${utcLabel(start + width - DAY, false)} (UTC)`;
  const end = utcLabel(start + width, true);
  return `${utcLabel(start, true)}–${end.slice(end.lastIndexOf(' ') + 1)} UTC`;
}

/** A "nice" tick step (1, 2 or 5 × a power of ten) giving about `count` ticks over `span`. */
export function niceStep(span: number, count: number, minStep: number): number {
  if (!(span > 0)) return Math.max(minStep, 1);
  const raw = span / count;
  const pow = 10 ** Math.floor(Math.log10(raw));
  const f = raw / pow;
  const step = (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * pow;
  return Math.max(step, minStep);
}

function svgOpen(label: string, height: number): string {
  return `<svg class="chart" role="img" aria-label="${escapeHtml(label)}" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}">`;
}

/** The extent of the stacked bars and lines, zero included. */
function extent(c: TimeChart): { lo: number; hi: number } {
  let lo = 0;
  let hi = 0;
  for (let i = 0; i < c.starts.length; i++) {
    let up = 0;
    let down = 0;
    for (const s of c.stacks) {
      const v = s.values[i] ?? 0;
      if (v >= 0) up += v;
      else down += v;
    }
    hi = Math.max(hi, up);
    lo = Math.min(lo, down);
    for (const l of c.lines ?? []) {
      hi = Math.max(hi, l.values[i] ?? 0);
      lo = Math.min(lo, l.values[i] ?? 0);
    }
  }
  return { lo, hi };
}

/** Bars over time, stacked, with a y axis, a few x labels, dashed lines and a tooltip per bucket. */
export function timeChart(c: TimeChart): string {
  const count = c.starts.length;
  const plotW = WIDTH - LEFT - RIGHT;
  const plotH = TIME_HEIGHT - TOP - BOTTOM;
  const { lo, hi } = extent(c);
  const step = niceStep(hi - lo, 4, c.minStep ?? 0);
  const yMin = Math.floor(lo / step) * step;
  const yMax = Math.max(Math.ceil(hi / step) * step, yMin + step);
  const y = (v: number): number => TOP + ((yMax - v) / (yMax - yMin)) * plotH;
  const slot = count === 0 ? plotW : plotW / count;
  const gap = slot > 4 ? 1 : 0;
  const out: string[] = [svgOpen(c.label, TIME_HEIGHT)];
  out.push(`<text x="4" y="${TOP - 12}" class="unit">${escapeHtml(c.unit)}</text>`);
  for (let k = 0; yMin + k * step <= yMax + step / 2; k++) {
    const v = yMin + k * step;
    out.push(`<path d="M${LEFT} ${n(y(v))}H${WIDTH - RIGHT}" stroke="${v === 0 ? AXIS : GRID}" fill="none"/>`);
    out.push(`<text x="${LEFT - 6}" y="${n(y(v) + 4)}" text-anchor="end" class="tick">${escapeHtml(c.format(v))}</text>`);
  }
  for (const i of labelled(c.starts, c.bucketMs)) {
    const x = LEFT + i * slot;
    out.push(`<path d="M${n(x)} ${TOP + plotH}v4" stroke="${AXIS}"/>`);
    out.push(`<text x="${n(x)}" y="${TIME_HEIGHT - 8}" text-anchor="middle" class="tick">${escapeHtml(axisLabel(c.starts[i]!, c.bucketMs))}</text>`);
  }
  if (count === 0) out.push(`<text x="${n(LEFT + plotW / 2)}" y="${n(TOP + plotH / 2)}" text-anchor="middle" class="tick">nothing to show</text>`);
  for (let i = 0; i < count; i++) out.push(bucketBars(c, i, LEFT + i * slot, slot, gap, y));
  for (const l of c.lines ?? []) out.push(line(c, l, slot, y));
  out.push('</svg>');
  return out.join('\n');
}

/** The buckets that get an x-axis label: those starting on a round UTC time, a few of them. */
export function labelled(starts: readonly number[], bucketMs: number): number[] {
  if (starts.length === 0) return [];
  const span = starts.length * bucketMs;
  const fits = (s: number): boolean => s % bucketMs === 0 && span / s <= MAX_LABELS;
  let step = LABEL_STEPS.find(fits);
  for (let s = 56 * DAY; step === undefined && s <= span; s *= 2) if (fits(s)) step = s;
  const out: number[] = [];
  // A width off the ladder (a report not made by this version): every k-th bucket.
  const every = Math.ceil(starts.length / (MAX_LABELS - 1));
  starts.forEach((t, i) => {
    if (step === undefined ? i % every === 0 : (((t - ORIGIN) % step) + step) % step === 0) out.push(i);
  });
  return out.length > 0 ? out : [0];
}

/** An x-axis label: the date at midnight UTC (with the year for buckets of weeks), the time of day otherwise. */
function axisLabel(start: number, bucketMs: number): string {
  if (!(Math.abs(start) <= DATE_LIMIT)) return String(start);
  if (start % DAY !== 0) return utcLabel(start, true).slice(-5);
  return utcLabel(start, false, bucketMs >= 7 * DAY);
}

/** A tooltip of several lines, each escaped on its own (a line break inside one is shown, not followed). */
function tooltip(lines: readonly string[]): string {
  return `<title>${lines.map(escapeHtml).join('\n')}</title>`;
}

/** One bucket: its tooltip, a transparent target the height of the plot, and its stacked bars. */
function bucketBars(c: TimeChart, i: number, x: number, slot: number, gap: number, y: (v: number) => number): string {
  const parts = [...c.stacks, ...(c.lines ?? [])].map((s) => `${s.label} ${c.format(s.values[i] ?? 0)}`);
  const out = [`<g>${tooltip([bucketLabel(c.starts[i]!, c.bucketMs), ...parts])}`];
  out.push(`<rect x="${n(x)}" y="${TOP}" width="${n(slot)}" height="${n(TIME_HEIGHT - TOP - BOTTOM)}" fill="transparent"/>`);
  let up = 0;
  let down = 0;
  for (const s of c.stacks) {
    const v = s.values[i] ?? 0;
    if (v === 0) continue;
    const from = v > 0 ? up : down;
    const to = from + v;
    if (v > 0) up = to;
    else down = to;
    const top = y(Math.max(from, to));
    const h = Math.abs(y(from) - y(to));
    out.push(`<rect x="${n(x + gap / 2)}" y="${n(top)}" width="${n(Math.max(slot - gap, 0.5))}" height="${n(Math.max(h, 0.5))}" fill="${s.color}"/>`);
  }
  out.push('</g>');
  return out.join('');
}

/** A dashed step line: across each bucket at its value, so it reads against the bars beneath. */
function line(c: TimeChart, l: Series, slot: number, y: (v: number) => number): string {
  const count = Math.min(l.values.length, c.starts.length);
  if (count === 0) return '';
  const d = [`M${n(LEFT)} ${n(y(l.values[0]!))}`];
  for (let i = 0; i < count; i++) {
    if (i > 0) d.push(`V${n(y(l.values[i]!))}`);
    d.push(`H${n(LEFT + (i + 1) * slot)}`);
  }
  return `<path d="${d.join('')}" fill="none" stroke="${l.color}" stroke-width="2" stroke-dasharray="5 3"><title>${escapeHtml(l.label)}</title></path>`;
}

/** Shorten a label to fit its column (the tooltip keeps it whole). */
function clip(s: string, max: number): string {
  const chars = [...s];
  return chars.length <= max ? s : `${chars.slice(0, max - 1).join('')}…`;
}

/** Horizontal bars, one row per item, labels on the left and the total on the right. */
export function barChart(c: BarChart): string {
  const height = Math.max(c.rows.length, 1) * ROW + 8;
  const plotW = WIDTH - LABEL_COLUMN - NOTE_COLUMN;
  const max = Math.max(1, ...c.rows.map((r) => Math.max(r.compare ?? 0, r.segments.reduce((s, x) => s + Math.max(x.value, 0), 0))));
  const out: string[] = [svgOpen(c.label, height)];
  if (c.rows.length === 0) out.push(`<text x="${LABEL_COLUMN}" y="${ROW - 6}" class="tick">nothing to show</text>`);
  c.rows.forEach((r, i) => {
    const top = 4 + i * ROW;
    const total = r.segments.reduce((s, x) => s + x.value, 0);
    const parts = r.segments.map((x) => `${x.name} ${c.format(x.value)}`);
    if (r.compare !== undefined) parts.push(`${c.compareName ?? 'compare'} ${c.format(r.compare)}`);
    out.push(`<g>${tooltip([r.label, ...parts])}`);
    out.push(`<text x="${LABEL_COLUMN - 8}" y="${top + 16}" text-anchor="end" class="label">${escapeHtml(clip(r.label, 30))}</text>`);
    out.push(`<rect x="${LABEL_COLUMN}" y="${top}" width="${plotW}" height="${ROW - 4}" fill="transparent"/>`);
    let x = LABEL_COLUMN;
    for (const s of r.segments) {
      if (s.value <= 0) continue;
      const w = (s.value / max) * plotW;
      out.push(`<rect x="${n(x)}" y="${top}" width="${n(Math.max(w, 1))}" height="${ROW - 4}" fill="${s.color}"/>`);
      x += w;
    }
    if (r.compare !== undefined) {
      const cx = LABEL_COLUMN + (r.compare / max) * plotW;
      out.push(`<path d="M${n(cx)} ${top - 2}v${ROW}" stroke="#111827" stroke-width="2" stroke-dasharray="3 2"/>`);
    }
    out.push(`<text x="${WIDTH - NOTE_COLUMN + 8}" y="${top + 16}" class="tick">${escapeHtml(r.note ?? c.format(total))}</text>`);
    out.push('</g>');
  });
  out.push('</svg>');
  return out.join('\n');
}

/** A legend for a chart: a swatch and a name per series; `dashed` ones as a dashed line. */
export function legend(items: readonly { readonly label: string; readonly color: string; readonly dashed?: boolean }[]): string {
  const li = items.map((x) => `<li><span class="${x.dashed ? 'swatch dashed' : 'swatch'}" style="${x.dashed ? 'border-color' : 'background'}:${escapeHtml(x.color)}"></span>${escapeHtml(x.label)}</li>`);
  return `<ul class="legend">${li.join('')}</ul>`;
}
