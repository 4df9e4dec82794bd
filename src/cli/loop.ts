/** `qde loop`. */
import { Command } from 'commander';
import { InputError } from '../core/index.js';
import type { CliIo } from './common.js';

/** Build the `loop` command. */
export function loopCommand(_io: CliIo, _setCode: (code: number) => void): Command {
  return new Command('loop').summary('(under construction)').action(() => {
    throw new InputError('qde loop is not available in this build');
  });
}
