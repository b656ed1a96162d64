// @ts-check
/**
 * Starts the workbook's Jupyter kernel: tslab's TypeScript compiler and executor behind a message layer that
 * follows the Jupyter messaging protocol (see README.md in this folder for what is fixed and why).
 *
 * Command line (the same as `tslab kernel`, so `tslab install --binary=<bin/tslab-kernel>` registers it):
 *   tslab-kernel kernel --config-path <connection file> [--js]
 */
'use strict';
const parts = require('./tslabParts');
const { CellCapture } = require('./capture');
const { ConformingHandler } = require('./handler');
const { ConformingServer } = require('./server');
const { installTimerGuards } = require('./interrupt');
const { exitKernel, installExitGuard } = require('./guards');

/**
 * Parses `kernel --config-path <file> [--js]` (also `--config-path=<file>`).
 * @param {string[]} args the arguments after the script
 * @returns {{configPath: string, isJavaScript: boolean}}
 */
function parseArguments(args) {
  if (args[0] !== 'kernel') throw new Error(`usage: tslab-kernel kernel --config-path <connection file> [--js]; got: ${args.join(' ')}`);
  let configPath = '';
  let isJavaScript = false;
  for (let i = 1; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--js') isJavaScript = true;
    else if (arg === '--config-path') configPath = args[++i] ?? '';
    else if (arg.startsWith('--config-path=')) configPath = arg.slice('--config-path='.length);
    else throw new Error(`tslab-kernel: unknown argument ${arg}`);
  }
  if (!configPath) throw new Error('tslab-kernel: --config-path <connection file> is required');
  return { configPath, isJavaScript };
}

/**
 * Starts the kernel for one connection file; cells run with the current directory (the notebook's) as root.
 * @param {{configPath: string, isJavaScript: boolean}} options
 */
function startKernel({ configPath, isJavaScript }) {
  if (parts.versions.tslab !== parts.TESTED_TSLAB_VERSION) {
    console.error(`tslab-kernel: written for tslab ${parts.TESTED_TSLAB_VERSION}, found ${parts.versions.tslab}; see notebooks/kernel/README.md`);
  }
  installTimerGuards();
  installExitGuard(); // process.exit in a cell fails the cell instead of ending the kernel
  const converters = parts.createConverterSet(isJavaScript);
  void converters.node; // compile the first cell faster: load TypeScript now
  const capture = new CellCapture();
  const rootDirectory = process.cwd();
  const executor = parts.createExecutor(rootDirectory, converters, capture.console);
  const handler = new ConformingHandler({ executor, capture, isJavaScript, versions: parts.versions, rootDirectory });
  const server = new ConformingServer(handler, configPath);
  process.on('SIGINT', () => handler.interrupt());
  // Errors outside any awaited cell code (callbacks, unawaited promises): the running cell's stderr, else the next cell's.
  process.on('uncaughtException', (error) => handler.reportAsyncError('Uncaught exception', error));
  process.on('unhandledRejection', (reason) => handler.reportAsyncError('Unhandled promise rejection', reason));
  server.init().catch((/** @type {unknown} */ error) => {
    console.error('tslab-kernel: could not open the kernel sockets:', error);
    exitKernel(1);
  });
  return { handler, server };
}

/** @param {string[]} argv process.argv */
function main(argv) {
  try {
    startKernel(parseArguments(argv.slice(2)));
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    exitKernel(2);
  }
}

module.exports = { main, startKernel, parseArguments };
