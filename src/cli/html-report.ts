/** `qde report`. */
import { Command } from 'commander';
import { InputError } from '../core/index.js';
import type { CliIo } from './common.js';

/** Build the `report` command. */
export function reportCommand(_io: CliIo, _setCode: (code: number) => void): Command {
  return new Command('report').summary('(under construction)').action(() => {
    throw new InputError('qde report is not available in this build');
  });
}
