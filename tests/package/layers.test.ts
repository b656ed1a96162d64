/**
 * The library's layers, and a scan of every `lib/**\/*.ts` import against them: a module may import its own
 * layer or a lower one, never a higher one, and nothing outside lib/cli imports lib/cli (commands sit on top).
 * LAYERS is the one place the map is written; the README's layout table follows it.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as fs from 'fs';
import * as path from 'path';

const LIB = path.resolve(__dirname, '../../lib');

/**
 * Lowest first. A path is a folder or a file under lib/; the longest match decides, so a file can sit below its
 * folder (the display protocol helpers, free of tfjs, that result objects of every layer use to show themselves).
 */
export const LAYERS: { layer: string; paths: string[] }[] = [
  {
    layer: 'core helpers',
    paths: ['rng.ts', 'options.ts', 'backend', 'kernels', 'display/selfDisplay.ts', 'display/table.ts', 'display/internal.ts'],
  },
  { layer: 'data, views, losses, models', paths: ['data', 'views', 'losses', 'models'] },
  { layer: 'train', paths: ['train'] },
  { layer: 'eval (probe, kNN, the workbook metrics)', paths: ['probe', 'workbook'] },
  { layer: 'notebook display', paths: ['display'] },
  { layer: 'cli (commands only)', paths: ['cli'] },
  { layer: 'public API', paths: ['index.ts'] },
];

/** The layer index of a path relative to lib/ (longest matching entry), or -1. */
export function layerOf(relative: string): number {
  let best = { index: -1, length: -1 };
  LAYERS.forEach(({ paths }, index) => {
    for (const p of paths) {
      const matches = relative === p || relative.startsWith(`${p}/`);
      if (matches && p.length > best.length) best = { index, length: p.length };
    }
  });
  return best.index;
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'dist' || entry.name === 'node_modules' ? [] : sourceFiles(full);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [full] : [];
  });
}

/** Relative imports of a TypeScript file (import/export … from, require, import()), resolved to paths under lib/. */
function importsOf(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  const specifiers = [...text.matchAll(/(?:from\s+|require\(\s*|import\(\s*)['"](\.{1,2}\/[^'"]+)['"]/g)].map((m) => m[1]);
  return specifiers.map((spec) => {
    const target = path.resolve(path.dirname(file), spec);
    const asFile = fs.existsSync(`${target}.ts`) ? `${target}.ts` : fs.existsSync(path.join(target, 'index.ts')) ? path.join(target, 'index.ts') : target;
    return path.relative(LIB, asFile).split(path.sep).join('/');
  });
}

const Layers = suite('lib layers');

Layers('the map places every lib/**/*.ts file', () => {
  const unplaced = sourceFiles(LIB).map((f) => path.relative(LIB, f).split(path.sep).join('/')).filter((f) => layerOf(f) < 0);
  assert.equal(unplaced, [], 'add these to LAYERS');
});

Layers('layerOf: the longest path wins', () => {
  assert.is(layerOf('display/selfDisplay.ts'), 0);
  assert.is(layerOf('display/figures.ts'), 4);
  assert.is(layerOf('train/trainer.ts'), 2);
  assert.is(layerOf('cli/main.ts'), 5);
});

Layers('nothing outside lib/cli imports lib/cli', () => {
  const offenders = sourceFiles(LIB).flatMap((file) => {
    const from = path.relative(LIB, file).split(path.sep).join('/');
    if (from.startsWith('cli/')) return [];
    return importsOf(file).filter((to) => to.startsWith('cli/')).map((to) => `${from} → ${to}`);
  });
  assert.equal(offenders, []);
});

Layers('no module imports a higher layer', () => {
  const offenders = sourceFiles(LIB).flatMap((file) => {
    const from = path.relative(LIB, file).split(path.sep).join('/');
    return importsOf(file)
      .filter((to) => layerOf(to) > layerOf(from))
      .map((to) => `${from} (${LAYERS[layerOf(from)].layer}) → ${to} (${LAYERS[layerOf(to)].layer})`);
  });
  assert.equal(offenders, []);
});

Layers('the scan sees imports (a known edge is found)', () => {
  assert.ok(importsOf(path.join(LIB, 'train/trainer.ts')).includes('models/simclrModel.ts'));
});

Layers.run();
