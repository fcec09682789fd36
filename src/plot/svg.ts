// Small, dependency-free SVG charts for the report: line charts (linear or log
// axes), box plots, bar charts and heat maps. Every chart has an axes group
// (class "axis"), tick labels and, where it has series, a legend (class
// "legend"), so a test can check that a figure really rendered.

/** One line of a line chart. */
export interface Series {
  name: string;
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  /** CSS colour; default from the palette. */
  color?: string;
  /** Dashed line. */
  dash?: boolean;
  /** Draw point markers (default true). */
  markers?: boolean;
}

export interface LineChartOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  series: Series[];
  xLog?: boolean;
  yLog?: boolean;
  /** Fixed y range (data range by default). */
  yMin?: number;
  yMax?: number;
  width?: number;
  height?: number;
}

/** Colour-blind-safe palette (Okabe & Ito 2008), then a few greys. */
export const PALETTE = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#F0E442', '#000000', '#777777', '#BBBBBB'];

const M = { left: 64, right: 150, top: 34, bottom: 46 };

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function fmt(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e4 || a < 1e-3) {
    const e = Math.floor(Math.log10(a));
    const mant = v / 10 ** e;
    return Math.abs(mant - Math.round(mant)) < 1e-9 ? `${Math.round(mant) === 1 ? '' : Math.round(mant) + '·'}1e${e}` : `${mant.toFixed(1)}e${e}`;
  }
  return String(Number(v.toPrecision(3)));
}

/** Nice linear ticks covering [lo, hi]. */
export function linearTicks(lo: number, hi: number, count = 6): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((f) => f * mag).find((s) => s >= raw) ?? 10 * mag;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(Math.abs(v) < step * 1e-9 ? 0 : v);
  return out;
}

/** Powers of ten covering [lo, hi] (lo > 0), thinned to at most ~8. */
export function logTicks(lo: number, hi: number): number[] {
  const a = Math.floor(Math.log10(lo));
  const b = Math.ceil(Math.log10(hi));
  const stride = Math.max(1, Math.ceil((b - a) / 8));
  const out: number[] = [];
  for (let e = a; e <= b; e += stride) out.push(10 ** e);
  return out;
}

/**
 * The largest share of a tick step an axis end is moved out by to land on a tick.
 * A quarter keeps the end label for data that nearly reach it (0.97 to 1) and
 * leaves data that stop just past a tick (-0.03) drawn to their own end.
 */
const EXTEND_MAX = 0.25;

interface Axis {
  lo: number;
  hi: number;
  log: boolean;
  ticks: number[];
  map(v: number): number;
}

function makeAxis(values: number[], log: boolean, pxLo: number, pxHi: number, fixedLo?: number, fixedHi?: number): Axis {
  let vals = values.filter((v) => Number.isFinite(v) && (!log || v > 0));
  if (vals.length === 0) vals = log ? [1, 10] : [0, 1];
  let lo = fixedLo ?? Math.min(...vals);
  let hi = fixedHi ?? Math.max(...vals);
  if (log) {
    lo = 10 ** Math.floor(Math.log10(lo));
    hi = 10 ** Math.ceil(Math.log10(hi));
    if (hi <= lo) hi = lo * 10;
  } else {
    if (hi === lo) {
      hi = lo + 1;
      lo = lo - (lo === 0 ? 0 : 1);
    }
    const t = linearTicks(lo, hi);
    const step = t.length > 1 ? t[1] - t[0] : hi - lo;
    // round the ends out to a tick only when that adds little (at most EXTEND_MAX of
    // a step): weights of -0.03 must not stretch the axis down to -0.5
    const lo2 = Math.floor(lo / step) * step;
    const hi2 = Math.ceil(hi / step) * step;
    if (fixedLo === undefined && lo - lo2 <= EXTEND_MAX * step) lo = lo2;
    if (fixedHi === undefined && hi2 - hi <= EXTEND_MAX * step) hi = hi2;
  }
  const f = log ? Math.log10 : (v: number) => v;
  const a = f(lo);
  const b = f(hi);
  return {
    lo,
    hi,
    log,
    ticks: log ? logTicks(lo, hi) : linearTicks(lo, hi),
    map: (v: number) => pxLo + ((f(Math.min(Math.max(v, lo), hi)) - a) / (b - a || 1)) * (pxHi - pxLo),
  };
}

function frame(w: number, h: number, title: string, body: string): string {
  // max-width: a page narrower than the chart scales it down (viewBox) instead of overflowing
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" style="max-width:100%;height:auto" font-family="sans-serif" font-size="12">
<title>${esc(title)}</title>
<rect x="0" y="0" width="${w}" height="${h}" fill="white"/>
<text x="${w / 2}" y="20" text-anchor="middle" font-size="14" font-weight="bold">${esc(title)}</text>
${body}
</svg>`;
}

function axes(xa: Axis, ya: Axis, w: number, h: number, xLabel: string, yLabel: string, xTickLabels?: (v: number) => string): string {
  const x0 = M.left;
  const x1 = w - M.right;
  const y0 = h - M.bottom;
  const y1 = M.top;
  const parts: string[] = [`<g class="axis">`];
  parts.push(`<rect x="${x0}" y="${y1}" width="${x1 - x0}" height="${y0 - y1}" fill="none" stroke="#444"/>`);
  for (const t of xa.ticks) {
    const px = xa.map(t).toFixed(1);
    parts.push(`<line x1="${px}" y1="${y0}" x2="${px}" y2="${y0 + 5}" stroke="#444"/><line x1="${px}" y1="${y1}" x2="${px}" y2="${y0}" stroke="#eee"/>`);
    parts.push(`<text x="${px}" y="${y0 + 18}" text-anchor="middle">${esc(xTickLabels ? xTickLabels(t) : fmt(t))}</text>`);
  }
  for (const t of ya.ticks) {
    const py = ya.map(t).toFixed(1);
    parts.push(`<line x1="${x0 - 5}" y1="${py}" x2="${x0}" y2="${py}" stroke="#444"/><line x1="${x0}" y1="${py}" x2="${x1}" y2="${py}" stroke="#eee"/>`);
    parts.push(`<text x="${x0 - 8}" y="${py}" text-anchor="end" dominant-baseline="middle">${esc(fmt(t))}</text>`);
  }
  parts.push(`<text x="${(x0 + x1) / 2}" y="${h - 8}" text-anchor="middle">${esc(xLabel)}</text>`);
  parts.push(`<text transform="translate(16 ${(y0 + y1) / 2}) rotate(-90)" text-anchor="middle">${esc(yLabel)}</text>`);
  parts.push('</g>');
  return parts.join('\n');
}

function legend(items: { name: string; color: string; dash?: boolean; box?: boolean; band?: boolean; note?: string }[], w: number): string {
  const x = w - M.right + 12;
  const parts = [`<g class="legend">`];
  let y = M.top + 10;
  for (const it of items) {
    parts.push(it.box
      ? `<rect x="${x}" y="${y - 6}" width="20" height="12" fill="${it.color}" fill-opacity="0.5" stroke="${it.color}"/>`
      : `<line x1="${x}" y1="${y}" x2="${x + 20}" y2="${y}" stroke="${it.color}"${it.band ? ' stroke-width="8" stroke-opacity="0.45"' : ` stroke-width="2"${it.dash ? ' stroke-dasharray="5 3"' : ''}`}/>`);
    parts.push(`<text x="${x + 26}" y="${y}" dominant-baseline="middle">${esc(it.name)}</text>`);
    // a second, smaller line under the name (e.g. which series hides this one)
    if (it.note) {
      y += 13;
      parts.push(`<text class="note" x="${x + 26}" y="${y}" dominant-baseline="middle" font-size="10" fill="#555">${esc(it.note)}</text>`);
    }
    y += 18;
  }
  parts.push('</g>');
  return parts.join('\n');
}

/**
 * For each series, the index of a later-drawn series with the same points (same
 * x, and y equal within 1e-12 relative), which would hide it; -1 when none.
 */
export function hiddenUnder(series: Series[]): number[] {
  const same = (a: Series, b: Series) => a.x.length === b.x.length && a.y.length === b.y.length &&
    Array.from(a.x).every((v, i) => v === b.x[i]) &&
    Array.from(a.y).every((v, i) => v === b.y[i] || Math.abs(v - b.y[i]) <= 1e-12 * Math.max(Math.abs(v), Math.abs(b.y[i])));
  return series.map((s, i) => {
    for (let j = series.length - 1; j > i; j--) if (same(s, series[j])) return j;
    return -1;
  });
}

/**
 * A line chart with one line per series (non-finite points, and non-positive ones
 * on log axes, are skipped). A series that a later one would cover exactly (equal
 * values) is drawn as a wide pale band under it and named so in the legend.
 */
export function lineChart(o: LineChartOptions): string {
  const w = o.width ?? 640;
  const h = o.height ?? 400;
  const xs: number[] = [];
  const ys: number[] = [];
  for (const s of o.series) {
    for (let i = 0; i < s.x.length; i++) xs.push(s.x[i]);
    for (let i = 0; i < s.y.length; i++) ys.push(s.y[i]);
  }
  const xa = makeAxis(xs, !!o.xLog, M.left, w - M.right);
  const ya = makeAxis(ys, !!o.yLog, h - M.bottom, M.top, o.yMin, o.yMax);
  const lines: string[] = ['<g class="series">'];
  const under = hiddenUnder(o.series);
  const note = (i: number) => (under[i] >= 0 ? `= ${o.series[under[i]].name}, under it` : undefined);
  o.series.forEach((s, si) => {
    const color = s.color ?? PALETTE[si % PALETTE.length];
    const pts: string[] = [];
    let path = '';
    let pen = false;
    for (let i = 0; i < s.x.length; i++) {
      const xv = s.x[i];
      const yv = s.y[i];
      const ok = Number.isFinite(xv) && Number.isFinite(yv) && (!o.xLog || xv > 0) && (!o.yLog || yv > 0);
      if (!ok) {
        pen = false;
        continue;
      }
      const px = xa.map(xv).toFixed(1);
      const py = ya.map(yv).toFixed(1);
      path += `${pen ? 'L' : 'M'}${px} ${py} `;
      pen = true;
      if (s.markers !== false) pts.push(`<circle cx="${px}" cy="${py}" r="2.5" fill="${color}"/>`);
    }
    const band = under[si] >= 0 ? ' stroke-width="8" stroke-opacity="0.45" stroke-linecap="round"' : ` stroke-width="2"${s.dash ? ' stroke-dasharray="5 3"' : ''}`;
    lines.push(`<path d="${path.trim()}" fill="none" stroke="${color}"${band}><title>${esc(s.name)}${under[si] >= 0 ? esc(` (same values as ${o.series[under[si]].name}, drawn under it)`) : ''}</title></path>`);
    lines.push(...pts);
  });
  lines.push('</g>');
  const leg = legend(o.series.map((s, i) => ({ name: s.name, color: s.color ?? PALETTE[i % PALETTE.length], dash: s.dash, band: under[i] >= 0, note: note(i) })), w);
  return frame(w, h, o.title, [axes(xa, ya, w, h, o.xLabel, o.yLabel), lines.join('\n'), leg].join('\n'));
}

/** Quartiles and whiskers (1.5 IQR, Tukey) of a sample. */
export function boxStats(values: ArrayLike<number>): { q1: number; median: number; q3: number; lo: number; hi: number; outliers: number[] } {
  const v = Array.from(values).filter(Number.isFinite).sort((a, b) => a - b);
  if (v.length === 0) return { q1: NaN, median: NaN, q3: NaN, lo: NaN, hi: NaN, outliers: [] };
  const q = (p: number) => {
    const i = (v.length - 1) * p;
    const a = Math.floor(i);
    const b = Math.ceil(i);
    return v[a] + (v[b] - v[a]) * (i - a);
  };
  const q1 = q(0.25);
  const q3 = q(0.75);
  const iqr = q3 - q1;
  const inside = v.filter((x) => x >= q1 - 1.5 * iqr && x <= q3 + 1.5 * iqr);
  return { q1, median: q(0.5), q3, lo: inside[0], hi: inside[inside.length - 1], outliers: v.filter((x) => x < inside[0] || x > inside[inside.length - 1]) };
}

export interface BoxPlotOptions {
  title: string;
  yLabel: string;
  groups: { name: string; values: ArrayLike<number>; color?: string }[];
  yLog?: boolean;
  /** Label under group i (default its name; '' for none), e.g. one label per pair of boxes. */
  tickLabel?(i: number): string;
  /** Legend entries (default one per group), e.g. one per colour. */
  legend?: { name: string; color: string }[];
  width?: number;
  height?: number;
}

/** One box per group (median, quartiles, 1.5 IQR whiskers, outliers as dots). */
export function boxPlot(o: BoxPlotOptions): string {
  const w = o.width ?? 640;
  const h = o.height ?? 400;
  const all: number[] = [];
  for (const g of o.groups) for (let i = 0; i < g.values.length; i++) all.push(g.values[i]);
  const ya = makeAxis(all, !!o.yLog, h - M.bottom, M.top);
  const xa: Axis = {
    lo: 0,
    hi: o.groups.length,
    log: false,
    ticks: o.groups.map((_, i) => i + 0.5),
    map: (v) => M.left + (v / Math.max(1, o.groups.length)) * (w - M.right - M.left),
  };
  const bw = Math.min(60, ((w - M.right - M.left) / Math.max(1, o.groups.length)) * 0.5);
  const parts: string[] = ['<g class="series">'];
  o.groups.forEach((g, i) => {
    const s = boxStats(o.yLog ? Array.from(g.values).filter((v) => v > 0) : g.values);
    if (!Number.isFinite(s.median)) return;
    const color = g.color ?? PALETTE[i % PALETTE.length];
    const cx = xa.map(i + 0.5);
    const [yq1, yq3, ymed, ylo, yhi] = [s.q1, s.q3, s.median, s.lo, s.hi].map((v) => ya.map(v));
    parts.push(`<line x1="${cx}" y1="${ylo}" x2="${cx}" y2="${yhi}" stroke="${color}"/>`);
    parts.push(`<rect x="${cx - bw / 2}" y="${Math.min(yq1, yq3)}" width="${bw}" height="${Math.abs(yq1 - yq3) || 1}" fill="${color}" fill-opacity="0.3" stroke="${color}"><title>${esc(g.name)}: median ${fmt(s.median)}</title></rect>`);
    parts.push(`<line x1="${cx - bw / 2}" y1="${ymed}" x2="${cx + bw / 2}" y2="${ymed}" stroke="${color}" stroke-width="2"/>`);
    for (const v of s.outliers.slice(0, 200)) parts.push(`<circle cx="${cx}" cy="${ya.map(v)}" r="2" fill="none" stroke="${color}"/>`);
  });
  parts.push('</g>');
  const items = o.legend ?? o.groups.map((g, i) => ({ name: g.name, color: g.color ?? PALETTE[i % PALETTE.length] }));
  const leg = legend(items.map((it) => ({ ...it, box: true })), w);
  const tick = (t: number) => (o.groups[Math.floor(t)] === undefined ? '' : o.tickLabel ? o.tickLabel(Math.floor(t)) : o.groups[Math.floor(t)].name);
  return frame(w, h, o.title, [axes(xa, ya, w, h, '', o.yLabel, tick), parts.join('\n'), leg].join('\n'));
}

export interface BarChartOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  values: ArrayLike<number>;
  /** Indices drawn in the highlight colour (e.g. the hidden support). */
  highlight?: Iterable<number>;
  /** Legend names of the plain and highlighted bars. */
  labels?: [string, string];
  width?: number;
  height?: number;
}

/** One bar per index (e.g. learned weights), some highlighted. */
export function barChart(o: BarChartOptions): string {
  const w = o.width ?? 720;
  const h = o.height ?? 360;
  const n = o.values.length;
  const hl = new Set(o.highlight ?? []);
  const vals = Array.from(o.values);
  const ya = makeAxis([0, ...vals], false, h - M.bottom, M.top);
  const xa = makeAxis([0, n], false, M.left, w - M.right, 0, n);
  const bw = Math.max(1, (w - M.right - M.left) / Math.max(1, n));
  const parts: string[] = ['<g class="series">'];
  const y0 = ya.map(0);
  vals.forEach((v, i) => {
    const y = ya.map(v);
    const color = hl.has(i) ? PALETTE[1] : PALETTE[0];
    parts.push(`<rect x="${xa.map(i).toFixed(1)}" y="${Math.min(y, y0).toFixed(1)}" width="${Math.max(0.8, bw * 0.85).toFixed(2)}" height="${Math.abs(y0 - y).toFixed(1)}" fill="${color}"><title>${i}: ${fmt(v)}</title></rect>`);
  });
  parts.push('</g>');
  const [plain, marked] = o.labels ?? ['value', 'highlighted'];
  const leg = legend([{ name: plain, color: PALETTE[0], box: true }, { name: marked, color: PALETTE[1], box: true }], w);
  return frame(w, h, o.title, [axes(xa, ya, w, h, o.xLabel, o.yLabel), parts.join('\n'), leg].join('\n'));
}

export interface HeatMapOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  /** Column centres (length nx) and row centres (length ny). */
  xs: number[];
  ys: number[];
  /** z[iy][ix], values in [zMin, zMax] (default [0, 1]); NaN cells are left blank. */
  z: number[][];
  zMin?: number;
  zMax?: number;
  zLabel?: string;
  width?: number;
  height?: number;
}

function viridisish(t: number): string {
  // a short blue -> green -> yellow ramp, perceptually ordered
  const stops = [[68, 1, 84], [59, 82, 139], [33, 145, 140], [94, 201, 98], [253, 231, 37]];
  const u = Math.min(1, Math.max(0, t)) * (stops.length - 1);
  const i = Math.min(stops.length - 2, Math.floor(u));
  const f = u - i;
  const c = stops[i].map((a, k) => Math.round(a + (stops[i + 1][k] - a) * f));
  return `rgb(${c[0]},${c[1]},${c[2]})`;
}

/** A heat map of z over a regular grid, with a colour bar as its legend. */
export function heatMap(o: HeatMapOptions): string {
  const w = o.width ?? 640;
  const h = o.height ?? 400;
  const zMin = o.zMin ?? 0;
  const zMax = o.zMax ?? 1;
  const dx = o.xs.length > 1 ? o.xs[1] - o.xs[0] : 1;
  const dy = o.ys.length > 1 ? o.ys[1] - o.ys[0] : 1;
  const xa = makeAxis([o.xs[0] - dx / 2, o.xs[o.xs.length - 1] + dx / 2], false, M.left, w - M.right, o.xs[0] - dx / 2, o.xs[o.xs.length - 1] + dx / 2);
  const ya = makeAxis([o.ys[0] - dy / 2, o.ys[o.ys.length - 1] + dy / 2], false, h - M.bottom, M.top, o.ys[0] - dy / 2, o.ys[o.ys.length - 1] + dy / 2);
  const parts: string[] = ['<g class="series">'];
  o.ys.forEach((yv, iy) => {
    o.xs.forEach((xv, ix) => {
      const z = o.z[iy]?.[ix];
      if (z === undefined || !Number.isFinite(z)) return;
      const x1 = xa.map(xv - dx / 2);
      const x2 = xa.map(xv + dx / 2);
      const y1 = ya.map(yv + dy / 2);
      const y2 = ya.map(yv - dy / 2);
      parts.push(`<rect x="${x1.toFixed(1)}" y="${y1.toFixed(1)}" width="${(x2 - x1 + 0.5).toFixed(1)}" height="${(y2 - y1 + 0.5).toFixed(1)}" fill="${viridisish((z - zMin) / (zMax - zMin || 1))}"><title>(${fmt(xv)}, ${fmt(yv)}): ${fmt(z)}</title></rect>`);
    });
  });
  parts.push('</g>');
  const lx = w - M.right + 20;
  const bar = [`<g class="legend">`];
  for (let i = 0; i < 20; i++) {
    const t = 1 - i / 20;
    bar.push(`<rect x="${lx}" y="${M.top + i * 12}" width="16" height="12.5" fill="${viridisish(t)}"/>`);
  }
  bar.push(`<text x="${lx + 22}" y="${M.top + 8}">${esc(fmt(zMax))}</text><text x="${lx + 22}" y="${M.top + 240}">${esc(fmt(zMin))}</text>`);
  if (o.zLabel) bar.push(`<text x="${lx}" y="${M.top + 262}">${esc(o.zLabel)}</text>`);
  bar.push('</g>');
  return frame(w, h, o.title, [parts.join('\n'), axes(xa, ya, w, h, o.xLabel, o.yLabel), bar.join('\n')].join('\n'));
}
