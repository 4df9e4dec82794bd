/** `qde interactions`. */
import { Command } from 'commander';
import { InputError } from '../core/index.js';
import type { CliIo } from './common.js';

/** Build the `interactions` command. */
export function interactionsCommand(_io: CliIo, _setCode: (code: number) => void): Command {
  return new Command('interactions').summary('(under construction)').action(() => {
    throw new InputError('qde interactions is not available in this build');
  });
}
