/**
 * Last line of defence against non-finite results and raw control bytes in messages.
 *
 * Every number a stage returns as a result (an energy, a gradient component, a dipole) must be
 * finite: a NaN or an infinity that reaches a user, a JSON record or a dataset label is worse than an
 * error. {@link requireFinite} turns such a value into a typed error at the point where it would
 * leave the calculation.
 */
import { ConvergenceError } from './errors.js';

/**
 * Return `value` when it is a finite number; otherwise throw.
 *
 * A non-finite result means the calculation broke down numerically (as a diverging iteration does),
 * so the error is a {@link ConvergenceError}, reported like any calculation that did not converge.
 * @param value the number about to be returned
 * @param what what the number is, for the message (e.g. 'MP2 energy')
 * @throws ConvergenceError when `value` is NaN or ±Infinity
 */
export function requireFinite(value: number, what: string): number {
  if (Number.isFinite(value)) return value;
  throw new ConvergenceError(`${what} is ${String(value)}: the calculation broke down numerically`, {
    lastEnergyHartree: value,
  });
}

/**
 * Every element of `values` finite, else throw as {@link requireFinite} does, naming the index.
 * @returns `values`, unchanged
 */
export function requireAllFinite<T extends ArrayLike<number>>(values: T, what: string): T {
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i]!)) requireFinite(values[i]!, `${what}[${i}]`);
  }
  return values;
}

/**
 * `text` with control characters made visible, so that bytes copied from an input file into a
 * message cannot move the cursor, clear the terminal or truncate the line: CR, LF and TAB become
 * `\r`, `\n`, `\t`; other C0/C1 controls, DEL and NUL become `\xHH` (`\u{…}` above 0xFF is not
 * needed: only U+0000–U+001F and U+007F–U+009F are controls); the bidirectional overrides
 * U+202A–U+202E and U+2066–U+2069 become `\u{HHHH}`. Other text is unchanged.
 */
export function escapeControlCharacters(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, (ch) => {
    if (ch === '\n') return '\\n';
    if (ch === '\r') return '\\r';
    if (ch === '\t') return '\\t';
    const code = ch.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u{${code.toString(16)}}`;
  });
}
