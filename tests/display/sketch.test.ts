import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { lineChart } from '../../lib/display/figures';
import { barChart } from '../../lib/display/figures';
import { figureSketchSvg } from '../../lib/display/sketch';

const Sketch = suite('figureSketchSvg');

/** The points of each path, in pixels. */
const paths = (svg: string) => [...svg.matchAll(/<path d="([^"]*)"/g)].map((m) => [...m[1].matchAll(/[ML]([\d.]+),([\d.]+)/g)].map((p) => [Number(p[1]), Number(p[2])]));

Sketch('one path per line trace, scaled into the plot area: smallest y at the bottom, largest at the top; title and legend escaped', () => {
  const svg = figureSketchSvg(lineChart([{ name: 'loss <a>', x: [0, 1, 2], y: [3, 1, 2] }], { title: 'T & t' }), { width: 200, height: 100 });
  assert.match(svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" width="200" height="100"/);
  const [line] = paths(svg);
  assert.equal(line.map(([x]) => x), [56, 120, 184]); // left margin 56, plot width 200 − 56 − 16 = 128
  assert.equal(line.map(([, y]) => y), [30, 64, 47]); // top 30, plot height 100 − 30 − 36 = 34: y 3 → 30, 1 → 64, 2 → 47
  assert.match(svg, />T &amp; t</);
  assert.match(svg, />loss &lt;a&gt;</);
});

Sketch('gaps (null) break the line; non-line traces are left out; an empty figure is a frame', () => {
  const [line] = paths(figureSketchSvg(lineChart([{ name: 'a', y: [1, NaN, 2, 3] }])));
  assert.is(line.length, 3);
  assert.equal(paths(figureSketchSvg(barChart(['a'], [{ name: 'b', values: [1] }]))), []);
  assert.equal(paths(figureSketchSvg(lineChart([{ name: 'a', y: [] }]))), []);
});

Sketch.run();
