import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ErrorContent, kernelModule } from './kernelModules';

const replies = kernelModule<{
  kernelInfoContent(versions: { tslab: string; typescript: string; node: string }, isJavaScript: boolean): any;
  errorFromThrown(thrown: unknown): ErrorContent;
  errorFromDiagnostics(diagnostics: string[]): ErrorContent;
  interruptedError(): ErrorContent;
  abortedReply(count: number): any;
  notImplementedReply(msgType: string): any;
  replyTypeFor(msgType: string): string | undefined;
  isKernelFrame(line: string): boolean;
}>('replies.js');

const VERSIONS = { tslab: '1.0.22', typescript: '5.0.4', node: 'v20.20.2' };

const KernelInfo = suite('kernelInfoContent');

KernelInfo('status ok, protocol 5.3, the TypeScript version that compiles cells, no debugger', () => {
  const info = replies.kernelInfoContent(VERSIONS, false);
  assert.is(info.status, 'ok');
  assert.is(info.protocol_version, '5.3');
  assert.is(info.implementation, 'tslab');
  assert.is(info.implementation_version, '1.0.22');
  assert.equal(
    { ...info.language_info, codemirror_mode: undefined },
    { name: 'typescript', version: '5.0.4', mimetype: 'text/typescript', file_extension: '.ts', codemirror_mode: undefined },
  );
  assert.is(info.debugger, false);
  assert.ok(info.banner.includes('TypeScript 5.0.4'));
  assert.ok(info.help_links.every((link: { text: string; url: string }) => link.text && link.url.startsWith('https://')));
});

KernelInfo('the JavaScript flavour (jslab) reports Node’s version', () => {
  const info = replies.kernelInfoContent(VERSIONS, true);
  assert.equal([info.implementation, info.language_info.name, info.language_info.version], ['jslab', 'javascript', '20.20.2']);
});

KernelInfo.run();

const FromThrown = suite('errorFromThrown');

FromThrown('an Error: its name, message, and the stack from the "Name: message" line without kernel frames', () => {
  const error = new RangeError('out of range');
  error.stack = [
    'evalmachine.<anonymous>:5', // Node's decoration for errors thrown out of vm code
    'throw new RangeError("out of range");',
    '^',
    '',
    'RangeError: out of range',
    '    at evalmachine.<anonymous>:5:7',
    '    at userHelper (/home/me/notebooks/helper.js:3:9)',
    '    at Script.runInThisContext (node:vm:135:14)',
    '    at Object.execute (/work/main/node_modules/tslab/dist/executor.js:160:42)',
    '    at ConformingHandler.runCell (/work/main/notebooks/kernel/handler.js:140:44)',
    '    at AsyncLocalStorage.run (node:async_hooks:346:14)',
    '    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)',
  ].join('\n');
  assert.equal(replies.errorFromThrown(error), {
    ename: 'RangeError',
    evalue: 'out of range',
    traceback: ['RangeError: out of range', '    at evalmachine.<anonymous>:5:7', '    at userHelper (/home/me/notebooks/helper.js:3:9)'],
  });
});

FromThrown('a renamed error whose stack does not start with its name still gets a headline; no stack at all too', () => {
  const error = new Error('bad');
  error.name = 'ConfigError';
  error.stack = 'Error: bad\n    at cell:1:1';
  assert.equal(replies.errorFromThrown(error).traceback, ['ConfigError: bad', '    at cell:1:1']);
  const bare = new Error('no stack');
  bare.stack = undefined;
  assert.equal(replies.errorFromThrown(bare), { ename: 'Error', evalue: 'no stack', traceback: ['Error: no stack'] });
});

FromThrown('thrown non-errors: the type as ename, util.inspect as evalue', () => {
  assert.equal(replies.errorFromThrown('oops'), { ename: 'string', evalue: "'oops'", traceback: ["Uncaught 'oops'"] });
  assert.equal(replies.errorFromThrown(42), { ename: 'number', evalue: '42', traceback: ['Uncaught 42'] });
  assert.equal(replies.errorFromThrown(null), { ename: 'null', evalue: 'null', traceback: ['Uncaught null'] });
  assert.equal(replies.errorFromThrown({ code: 7 }).ename, 'Object');
});

FromThrown.run();

const Others = suite('other error contents');

Others('diagnostics, interrupts, aborted and unsupported requests are error contents with string fields', () => {
  assert.equal(replies.errorFromDiagnostics(['1:7 - Cannot find name foo.', '2:1 - x']), {
    ename: 'TypeScriptError',
    evalue: '1:7 - Cannot find name foo.\n2:1 - x',
    traceback: ['1:7 - Cannot find name foo.', '2:1 - x'],
  });
  assert.is(replies.interruptedError().ename, 'Interrupted');
  assert.equal(
    { ...replies.abortedReply(4), evalue: undefined },
    { status: 'error', execution_count: 4, ename: 'ExecutionAborted', evalue: undefined, traceback: [] },
  );
  assert.equal(replies.notImplementedReply('debug_request'), {
    status: 'error',
    ename: 'NotImplementedError',
    evalue: 'tslab does not support debug_request',
    traceback: [],
  });
});

Others('replyTypeFor: x_request → x_reply, anything else undefined', () => {
  assert.is(replies.replyTypeFor('history_request'), 'history_reply');
  assert.is(replies.replyTypeFor('comm_info_request'), 'comm_info_reply');
  assert.is(replies.replyTypeFor('comm_msg'), undefined);
});

Others('isKernelFrame: tslab, the wrapper and Node internals only', () => {
  assert.ok(replies.isKernelFrame('    at x (/a/node_modules/tslab/dist/executor.js:1:1)'));
  assert.ok(replies.isKernelFrame('    at y (/a/notebooks/kernel/handler.js:1:1)'));
  assert.ok(replies.isKernelFrame('    at node:internal/process/task_queues:95:5'));
  assert.not.ok(replies.isKernelFrame('    at fit (/a/lib/dist/train/trainer.js:1:1)'));
  assert.not.ok(replies.isKernelFrame('notebooks/kernel/handler.js is mentioned in a message'));
});

Others.run();
