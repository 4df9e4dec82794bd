/**
 * Reading input files with errors a user can act on: every failure (missing file, a directory, no
 * permission, a name with a NUL byte) becomes an InputError naming the file, never a raw Node error.
 */
import { readFileSync } from 'node:fs';
import { InputError } from './errors.js';

/** Why a file could not be opened, in words, from a Node file-system error. */
export function fileErrorReason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT':
      return 'no such file';
    case 'EISDIR':
      return 'it is a directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ENOTDIR':
      return 'a part of the path is not a directory';
    case 'ENAMETOOLONG':
      return 'the name is too long';
    case 'ERR_INVALID_ARG_VALUE':
    case 'ERR_INVALID_ARG_TYPE':
      return 'the name is not a valid path (it contains a NUL byte)';
    default:
      return e instanceof Error ? e.message : String(e);
  }
}

/**
 * The text of a UTF-8 file.
 * @param what what the file is, for the message ('geometry file', 'basis file', 'FCIDUMP file')
 * @throws InputError "cannot read <what> '<path>': <reason>"
 */
export function readTextFile(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new InputError(`cannot read ${what} '${path}': ${fileErrorReason(e)}`);
  }
}
