/** The committed workbook notebooks: stored without outputs, on the tslab kernel, importing only the library by package name. */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as fs from 'fs';
import * as path from 'path';

const folder = path.join(__dirname, '..', '..', 'notebooks');
const files = fs.readdirSync(folder).filter((f) => /^\d+_.*\.ipynb$/.test(f)).sort();
interface Cell { cell_type: string; source: string[] | string; outputs?: unknown[]; execution_count?: number | null }
const load = (file: string) => JSON.parse(fs.readFileSync(path.join(folder, file), 'utf8')) as { cells: Cell[]; metadata: { kernelspec?: { name?: string } } };
const text = (cell: Cell) => (Array.isArray(cell.source) ? cell.source.join('') : cell.source);

const Notebooks = suite('workbook notebooks');

Notebooks('the six notebooks 0–5 are present', () => {
  assert.equal(files.map((f) => f.split('_')[0]), ['0', '1', '2', '3', '4', '5']);
});

Notebooks('stored without outputs or execution counts, with the tslab kernel', () => {
  for (const file of files) {
    const notebook = load(file);
    assert.is(notebook.metadata.kernelspec?.name, 'tslab', file);
    for (const cell of notebook.cells.filter((c) => c.cell_type === 'code')) {
      assert.equal(cell.outputs ?? [], [], `${file}: a code cell has outputs`);
      assert.is(cell.execution_count ?? null, null, `${file}: a code cell has an execution count`);
    }
  }
});

Notebooks('import only the library by package name and tfjs; read sizes from workbookScale', () => {
  for (const file of files) {
    const code = load(file).cells.filter((c) => c.cell_type === 'code').map(text).join('\n');
    const modules = [...code.matchAll(/from '([^']+)'/g)].map((m) => m[1]);
    assert.ok(modules.length > 0, file);
    for (const module of modules) assert.ok(['simclr-workbench', '@tensorflow/tfjs'].includes(module), `${file} imports ${module}`);
    if (!file.startsWith('0_') && !file.startsWith('1_')) assert.match(code, /workbookScale\(\)/, `${file} sizes its runs with workbookScale()`);
  }
});

Notebooks('every code cell is preceded by prose; each notebook prints its run time and ends with a summary and exercises', () => {
  for (const file of files) {
    const cells = load(file).cells;
    cells.forEach((cell, i) => {
      if (cell.cell_type === 'code') assert.is(cells[i - 1]?.cell_type, 'markdown', `${file}: code cell ${i} has no explanation before it`);
    });
    assert.match(cells.map(text).join('\n'), /notebook run time/, file);
    const last = text(cells[cells.length - 1]);
    assert.match(last, /## Exercises/, `${file}: the last cell holds the exercises`);
    assert.match(cells.slice(-2).map(text).join('\n'), /## Summary/, `${file}: a summary comes before the exercises`);
  }
});
Notebooks.run();
