import { describe, expect, it } from 'vitest';
import { barChart, boxPlot, boxStats, heatMap, hiddenUnder, lineChart, linearTicks, logTicks } from '../src/plot/svg.js';

describe('svg plots', () => {
  it('line chart has axes, a legend entry per series and a path per series', () => {
    const svg = lineChart({
      title: 'T', xLabel: 'tau', yLabel: 'err', xLog: true, yLog: true,
      series: [{ name: 'a<b', x: [1e-3, 1e-2, 1e-1], y: [1e-5, 1e-3, 0.4] }, { name: 'c', x: [1e-3, 1], y: [2, 3], dash: true }],
    });
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('class="axis"');
    expect(svg).toContain('class="legend"');
    expect(svg).toContain('a&lt;b');
    expect((svg.match(/<path /g) ?? []).length).toBe(2);
    expect(svg).not.toMatch(/NaN|Infinity/);
  });
  it('skips non-positive points on log axes instead of emitting NaN', () => {
    const svg = lineChart({ title: 'T', xLabel: 'x', yLabel: 'y', yLog: true, series: [{ name: 's', x: [0, 1, 2], y: [0, 1, 10] }] });
    expect(svg).not.toMatch(/NaN|Infinity/);
    expect((svg.match(/<circle /g) ?? []).length).toBe(2);
  });
  it('ticks cover the range', () => {
    const t = linearTicks(0, 1);
    expect(t[0]).toBe(0);
    expect(t[t.length - 1]).toBeCloseTo(1, 12);
    expect(t.length).toBeGreaterThanOrEqual(4);
    expect(logTicks(1e-6, 1).map((v) => Math.round(Math.log10(v)))).toEqual([-6, -5, -4, -3, -2, -1, 0]);
  });
  it('box statistics match a hand-computed sample', () => {
    const s = boxStats([1, 2, 3, 4, 5, 6, 7, 8, 100]);
    expect(s.median).toBe(5);
    expect(s.q1).toBe(3);
    expect(s.q3).toBe(7);
    expect(s.outliers).toEqual([100]);
    expect(s.hi).toBe(8);
    const svg = boxPlot({ title: 'B', yLabel: 'rel err', yLog: true, groups: [{ name: 'OMP', values: [0.1, 0.2, 0.3] }, { name: 'OMP-Net', values: [1e-3, 2e-3] }] });
    expect(svg).toContain('class="legend"');
    expect((svg.match(/<rect x=/g) ?? []).length).toBeGreaterThanOrEqual(2);
  });
  it('bar chart highlights the given indices and heat map colours each finite cell', () => {
    const svg = barChart({ title: 'w', xLabel: 'index', yLabel: 'weight', values: [1, 2, 3, 4], highlight: [1, 3], labels: ['weight', 'hidden'] });
    expect((svg.match(/fill="#D55E00"><title>/g) ?? []).length).toBe(2);
    const hm = heatMap({ title: 'h', xLabel: 'delta', yLabel: 'rho', xs: [0.1, 0.2], ys: [0.1, 0.2, 0.3], z: [[0, 1], [0.5, NaN], [1, 1]] });
    expect((hm.match(/<rect x="[\d.]+" y="[\d.]+" width="[\d.]+" height="[\d.]+" fill="rgb\([^"]*\)"><title>/g) ?? []).length).toBe(5);
    expect(hm).not.toMatch(/NaN/);
  });
});

describe('svg plots: fitting the page, axes from the data, overlapping curves', () => {
  const ticksOf = (svg: string) => [...svg.matchAll(/text-anchor="end" dominant-baseline="middle">([^<]*)</g)].map((m) => m[1]);

  it('every chart scales down to its container (max-width 100%, viewBox kept)', () => {
    const svg = lineChart({ title: 't', xLabel: 'x', yLabel: 'y', series: [{ name: 'a', x: [0, 1], y: [0, 1] }], width: 1400 });
    expect(svg).toMatch(/^<svg [^>]*viewBox="0 0 1400 400" style="max-width:100%;height:auto"/);
  });

  it('a bar chart whose lowest value is -0.03 starts its y axis there, not at -0.5', () => {
    const values = Array.from({ length: 20 }, (_, i) => (i === 3 ? -0.03 : 0.1 * i));
    const svg = barChart({ title: 'w', xLabel: 'j', yLabel: 'w_j', values });
    expect(ticksOf(svg)).toEqual(['0', '0.5', '1', '1.5', '2']);
    // values that nearly reach a tick still get it: 0.02..0.98 is drawn from 0 to 1
    expect(ticksOf(barChart({ title: 'w', xLabel: 'j', yLabel: 'w', values: [0.02, 0.5, 0.98] }))).toEqual(['0', '0.2', '0.4', '0.6', '0.8', '1']);
  });

  it('a series with the same values as a later one is found, drawn as a band under it and named so in the legend', () => {
    const x = [1, 2, 3];
    const series = [
      { name: 'OMP', x, y: [0.1, 0.2, 0.3] },
      { name: 'IHT', x, y: [0.1, 0.25, 0.3] },
      { name: 'OMPR', x, y: [0.1, 0.2, 0.3 + 1e-15] },
    ];
    expect(hiddenUnder(series)).toEqual([2, -1, -1]);
    const svg = lineChart({ title: 't', xLabel: 'k', yLabel: 'd', series });
    expect(svg).toMatch(/<text x="528" y="44" dominant-baseline="middle">OMP<\/text>\n<text class="note" x="528" y="57" [^>]*>= OMPR, under it<\/text>/);
    expect(svg.match(/stroke-width="8"/g)).toHaveLength(2); // the band and its legend swatch
    expect(hiddenUnder([series[0], series[1]])).toEqual([-1, -1]);
  });
});
