import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { kernelModule } from './kernelModules';

const { parseArguments } = kernelModule<{
  parseArguments(args: string[]): { configPath: string; isJavaScript: boolean };
}>('main.js');

const Parse = suite('parseArguments');

Parse("accepts tslab's kernel command line (as written by `tslab install`), with or without --js", () => {
  assert.equal(parseArguments(['kernel', '--config-path', '/run/k.json']), { configPath: '/run/k.json', isJavaScript: false });
  assert.equal(parseArguments(['kernel', '--config-path=/run/k.json', '--js']), { configPath: '/run/k.json', isJavaScript: true });
});

Parse('refuses other commands, unknown flags and a missing connection file, saying what was wrong', () => {
  assert.throws(() => parseArguments(['install']), /usage: tslab-kernel kernel --config-path/);
  assert.throws(() => parseArguments(['kernel', '--config-path', 'k.json', '--verbose']), /unknown argument --verbose/);
  assert.throws(() => parseArguments(['kernel']), /--config-path <connection file> is required/);
});

Parse.run();
