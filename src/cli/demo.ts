/** `qde demo`. */
import { Command } from 'commander';
import { InputError } from '../core/index.js';
import type { CliIo } from './common.js';

/** Build the `demo` command. */
export function demoCommand(_io: CliIo, _setCode: (code: number) => void): Command {
  return new Command('demo').summary('(under construction)').action(() => {
    throw new InputError('qde demo is not available in this build');
  });
}
