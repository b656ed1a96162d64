import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DisplayContent, DisplayDataWriter } from '../../lib/display/kernel';
import { PLOTLY_MIME } from '../../lib/display/mime';
import { resetPlotlyLoader } from '../../lib/display/plotlyLoader';
import { liveLossCurves } from '../../lib/display/liveLoss';
import type { StepLog } from '../../lib/train/callbacks';

function recorder(): DisplayDataWriter & { sent: { content: DisplayContent; update: boolean }[] } {
  const sent: { content: DisplayContent; update: boolean }[] = [];
  const writer = ((content: DisplayContent, update: boolean) => { sent.push({ content, update }); }) as DisplayDataWriter & { sent: typeof sent };
  writer.sent = sent;
  return writer;
}
const step = (s: number, loss: number): StepLog => ({ step: s, totalSteps: 4, epoch: 1, loss, learningRate: 1e-3, temperature: 0.5, imagesPerSecond: 100, elapsedSeconds: s, startStep: 0 } as StepLog);
type Final = { data: { name: string; x: number[]; y: number[] }[]; layout: { title: { text: string } } };

const Live = suite('liveLossCurves');
Live.before.each(() => resetPlotlyLoader());

Live('one chart for every run: a training run draws in place with its progress in the title; a cached run adds its curve; the final chart keeps them all', () => {
  const writer = recorder();
  const curves = liveLossCurves({ writer, minIntervalMs: 0, title: 'Loss by τ' });
  assert.is(writer.sent.length, 0, 'nothing is shown before a curve has a point');
  const a = curves.callbacks('τ = 0.1');
  a.onStep!(step(1, 5));
  a.onStep!(step(2, 4));
  assert.is(writer.sent[0].update, false);
  assert.ok(writer.sent.slice(1).every((m) => m.update), 'later drawings replace the first in place');
  assert.match(String(writer.sent[writer.sent.length - 1].content.data['text/plain']), /τ = 0\.1: step 2\/4, 100 img\/s, 2 s left/);
  curves.add('τ = 0.5', [step(1, 6), step(2, 5.5), step(3, 5)]);
  curves.close();
  const final = writer.sent[writer.sent.length - 1].content.data[PLOTLY_MIME] as Final;
  assert.equal(final.data.map((t) => [t.name, t.x, t.y]), [['τ = 0.1', [1, 2], [5, 4]], ['τ = 0.5', [1, 2, 3], [6, 5.5, 5]]]);
  assert.is(final.layout.title.text, 'Loss by τ', 'no progress left in the final title');
  assert.ok(writer.sent.every((m) => m.content.transient.display_id === writer.sent[0].content.transient.display_id), 'one display');
});

Live('a cell whose runs were all cached shows only the final chart; nothing at all when there was no run', () => {
  const writer = recorder();
  const curves = liveLossCurves({ writer, minIntervalMs: 0 });
  curves.add('mlp', [step(1, 6), step(2, 5)]);
  curves.close();
  assert.ok(writer.sent.length >= 2 && writer.sent.length <= 3);
  assert.ok(PLOTLY_MIME in writer.sent[writer.sent.length - 1].content.data);
  const empty = recorder();
  liveLossCurves({ writer: empty }).close();
  assert.is(empty.sent.length, 0);
});

Live.run();
