#!/usr/bin/env node
/** The `simclr` command: train | probe | embed. Bad arguments print the usage and exit with code 2. */
import { UsageError } from './args';
import { trainCommand, TRAIN_USAGE } from './train';
import { embedCommand, probeCommand, EMBED_USAGE, PROBE_USAGE } from './probe';

export const USAGE = `Usage: simclr <command> [options]

Commands:
  train    pretrain a SimCLR encoder (checkpoints, metrics, resume, Ctrl-C safe)
  probe    linear probe and kNN accuracy of a checkpoint (or of raw pixels)
  embed    write a dataset's embeddings to .npy for retrieval

Run 'simclr <command> --help' for the options of each.`;

const COMMANDS: Record<string, { run: (argv: string[]) => Promise<number>; usage: string }> = {
  train: { run: trainCommand, usage: TRAIN_USAGE },
  probe: { run: probeCommand, usage: PROBE_USAGE },
  embed: { run: embedCommand, usage: EMBED_USAGE },
};

/** Run the CLI with the given arguments (without node and script); resolves to the exit code. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    console.log(USAGE);
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    console.error(`simclr: unknown command '${name}'\n\n${USAGE}`);
    return 2;
  }
  try {
    return await command.run(rest);
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(`simclr ${name}: ${err.message}\n\n${command.usage}`);
      return 2;
    }
    console.error(`simclr ${name}: ${(err as Error).message}`);
    return 1;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => process.exit(code));
}
