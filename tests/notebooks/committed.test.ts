import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as fs from 'fs';
import * as path from 'path';

const NOTEBOOKS = path.resolve(__dirname, '../../notebooks');
const files = fs.readdirSync(NOTEBOOKS).filter((f) => /^\d+_.*\.ipynb$/.test(f)).sort();

const Committed = suite('committed notebooks');

Committed('exist, use the tslab kernel, and carry no outputs (readable diffs)', () => {
  assert.ok(files.length >= 1, 'notebooks/N_name.ipynb files exist');
  for (const file of files) {
    const nb = JSON.parse(fs.readFileSync(path.join(NOTEBOOKS, file), 'utf8'));
    assert.is(nb.metadata?.kernelspec?.name, 'tslab', `${file} kernel`);
    for (const [i, cell] of nb.cells.entries()) {
      if (cell.cell_type !== 'code') continue;
      assert.equal(cell.outputs, [], `${file} cell ${i} has outputs`);
      assert.is(cell.execution_count, null, `${file} cell ${i} has an execution count`);
    }
  }
});

Committed('import the library by package name and define no library logic (no class or training loop in cells)', () => {
  for (const file of files) {
    const nb = JSON.parse(fs.readFileSync(path.join(NOTEBOOKS, file), 'utf8'));
    const code = nb.cells.filter((c: any) => c.cell_type === 'code').map((c: any) => (Array.isArray(c.source) ? c.source.join('') : c.source)).join('\n');
    assert.match(code, /from 'simclr-workbench'/, `${file} imports simclr-workbench`);
    assert.not.match(code, /from '\.\.\/lib/, `${file} must not import ../lib (tslab cannot)`);
    assert.not.match(code, /^\s*class\s+\w+/m, `${file} defines a class`);
    assert.not.match(code, /\.minimize\(|variableGrads\(|registerKernel\(/, `${file} runs its own optimisation or kernels`);
  }
});

Committed.run();
