/**
 * OpenQASM 2.0 / 3.0 import of the common gate subset into the gate IR.
 *
 * Accepted statements: `OPENQASM 2.0;` / `OPENQASM 3[.0];` (optional in 3), `include "qelib1.inc"`
 * or `"stdgates.inc"`, registers (`qreg q[n]; creg c[n];`, `qubit[n] q; qubit q; bit[n] c;`),
 * `input float[64] name;` (each input is one parameter, in declaration order), gate calls on
 * qubits or whole registers (broadcast), `barrier`, `measure` (both syntaxes; measurements must
 * come last and are recorded, not simulated) and `gphase` (a global phase, dropped).
 * Gates (up to a global phase where noted *): h x y z s sdg t tdg id, rx ry rz, sx* sxdg*,
 * p* phase* u1* (= RZ), u2* u3* u* U* (= RZ(φ) RY(θ) RZ(λ)), cx CX cnot cy cz swap, crx cry crz,
 * cp* cphase* cu1* (= RZ_c(λ/2) · CRZ(λ)), rxx ryy rzz (exp(−iθP⊗P/2)).
 * Angle expressions: numbers, pi/π, tau/τ, euler, + − * / ^, parentheses, sin cos tan exp ln sqrt
 * of constants; a parametrised angle must be affine in one input (offset + factor · input).
 * Registers are laid end to end: the first declared register's qubit 0 is IR qubit 0.
 *
 * Every error is an InputError `file:line:column: problem`.
 */
import { InputError } from '../core/index.js';
import type { Circuit } from './circuit.js';
import { CircuitBuilder, type Angle } from './builder.js';

/** Result of {@link parseOpenQasm}. */
export interface OpenQasmProgram {
  /** The circuit (parameters = the program's inputs). */
  circuit: Circuit;
  /** 2 or 3. */
  version: 2 | 3;
  /** Names of the inputs, by parameter index. */
  parameterNames: string[];
  /** Whether the program measures (measurements are not part of the circuit). */
  measured: boolean;
}

interface Token {
  kind: 'id' | 'num' | 'str' | 'sym' | 'eof';
  text: string;
  line: number;
  col: number;
}

const SYMBOLS = ['->', '==', ';', ',', '(', ')', '[', ']', '{', '}', '+', '-', '*', '/', '^', '=', '@', ':'];

function tokenize(text: string, fail: (line: number, col: number, msg: string) => never): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let line = 1;
  let lineStart = 0;
  while (i < text.length) {
    const ch = text[i];
    const col = i - lineStart + 1;
    if (ch === '\n') {
      i++;
      line++;
      lineStart = i;
    } else if (/\s/.test(ch)) {
      i++;
    } else if (text.startsWith('//', i)) {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (text.startsWith('/*', i)) {
      const end = text.indexOf('*/', i + 2);
      if (end < 0) fail(line, col, 'unterminated comment');
      for (let k = i; k < end; k++) {
        if (text[k] === '\n') {
          line++;
          lineStart = k + 1;
        }
      }
      i = end + 2;
    } else if (/[A-Za-z_π$τ]/.test(ch)) {
      const m = /^[A-Za-z_π$τ][A-Za-z0-9_]*/.exec(text.slice(i, i + 256))!;
      tokens.push({ kind: 'id', text: m[0], line, col });
      i += m[0].length;
    } else if (/[0-9.]/.test(ch)) {
      const m = /^(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?/.exec(text.slice(i, i + 400));
      if (m === null) fail(line, col, `unexpected '${ch}'`);
      tokens.push({ kind: 'num', text: m[0], line, col });
      i += m[0].length;
    } else if (ch === '"') {
      const end = text.indexOf('"', i + 1);
      if (end < 0 || text.slice(i, end).includes('\n')) fail(line, col, 'unterminated string');
      tokens.push({ kind: 'str', text: text.slice(i + 1, end), line, col });
      i = end + 1;
    } else {
      const sym = SYMBOLS.find((s) => text.startsWith(s, i));
      if (sym === undefined) fail(line, col, `unexpected character '${ch}'`);
      tokens.push({ kind: 'sym', text: sym, line, col });
      i += sym.length;
    }
  }
  tokens.push({ kind: 'eof', text: 'end of file', line, col: i - lineStart + 1 });
  return tokens;
}

/** An angle affine in at most one parameter: c + f · θ_p (p = −1: constant). */
interface Affine {
  c: number;
  p: number;
  f: number;
}

const CONSTANTS: Record<string, number> = { pi: Math.PI, π: Math.PI, tau: 2 * Math.PI, τ: 2 * Math.PI, euler: Math.E };
const FUNCTIONS: Record<string, (x: number) => number> = {
  sin: Math.sin,
  cos: Math.cos,
  tan: Math.tan,
  exp: Math.exp,
  ln: Math.log,
  sqrt: Math.sqrt,
  arcsin: Math.asin,
  arccos: Math.acos,
  arctan: Math.atan,
};

type Emit = (b: CircuitBuilder, q: number[], a: Affine[]) => void;

const angle = (a: Affine, scale = 1): Angle =>
  a.p < 0 ? scale * a.c : { parameter: a.p, factor: scale * a.f, offset: scale * a.c };
const constant = (c: number): Affine => ({ c, p: -1, f: 0 });

/** U(θ, φ, λ) = RZ(φ) RY(θ) RZ(λ) up to a global phase. */
function u3(b: CircuitBuilder, q: number, theta: Affine, phi: Affine, lambda: Affine): void {
  b.rz(q, angle(lambda)).ry(q, angle(theta)).rz(q, angle(phi));
}

/** Gate table: [number of angles, number of qubits, emitter]. */
const GATES: Record<string, [number, number, Emit]> = {
  h: [0, 1, (b, q) => b.h(q[0])],
  x: [0, 1, (b, q) => b.x(q[0])],
  y: [0, 1, (b, q) => b.y(q[0])],
  z: [0, 1, (b, q) => b.z(q[0])],
  s: [0, 1, (b, q) => b.s(q[0])],
  sdg: [0, 1, (b, q) => b.sdg(q[0])],
  t: [0, 1, (b, q) => b.t(q[0])],
  tdg: [0, 1, (b, q) => b.tdg(q[0])],
  id: [0, 1, () => {}],
  sx: [0, 1, (b, q) => b.rx(q[0], Math.PI / 2)],
  sxdg: [0, 1, (b, q) => b.rx(q[0], -Math.PI / 2)],
  rx: [1, 1, (b, q, a) => b.rx(q[0], angle(a[0]))],
  ry: [1, 1, (b, q, a) => b.ry(q[0], angle(a[0]))],
  rz: [1, 1, (b, q, a) => b.rz(q[0], angle(a[0]))],
  p: [1, 1, (b, q, a) => b.rz(q[0], angle(a[0]))],
  u1: [1, 1, (b, q, a) => b.rz(q[0], angle(a[0]))],
  u2: [2, 1, (b, q, a) => u3(b, q[0], constant(Math.PI / 2), a[0], a[1])],
  u3: [3, 1, (b, q, a) => u3(b, q[0], a[0], a[1], a[2])],
  cx: [0, 2, (b, q) => b.cnot(q[0], q[1])],
  cy: [0, 2, (b, q) => b.sdg(q[1]).cnot(q[0], q[1]).s(q[1])],
  cz: [0, 2, (b, q) => b.cz(q[0], q[1])],
  swap: [0, 2, (b, q) => b.swap(q[0], q[1])],
  crx: [1, 2, (b, q, a) => b.controlledPauliRotation(q[0], 1 << q[1], 0, angle(a[0]))],
  cry: [1, 2, (b, q, a) => b.controlledPauliRotation(q[0], 1 << q[1], 1 << q[1], angle(a[0]))],
  crz: [1, 2, (b, q, a) => b.controlledPauliRotation(q[0], 0, 1 << q[1], angle(a[0]))],
  cp: [1, 2, (b, q, a) => b.rz(q[0], angle(a[0], 0.5)).controlledPauliRotation(q[0], 0, 1 << q[1], angle(a[0]))],
  rxx: [1, 2, (b, q, a) => b.pauliRotation((1 << q[0]) | (1 << q[1]), 0, angle(a[0]))],
  ryy: [1, 2, (b, q, a) => b.pauliRotation((1 << q[0]) | (1 << q[1]), (1 << q[0]) | (1 << q[1]), angle(a[0]))],
  rzz: [1, 2, (b, q, a) => b.pauliRotation(0, (1 << q[0]) | (1 << q[1]), angle(a[0]))],
};
const ALIASES: Record<string, string> = { CX: 'cx', cnot: 'cx', U: 'u3', u: 'u3', phase: 'p', cphase: 'cp', cu1: 'cp', i: 'id' };

/**
 * Parses an OpenQASM 2.0 or 3.0 program of the common gate subset (see the file header).
 * @param file name used in error messages
 * @throws InputError `file:line:column: problem` for anything outside the subset or malformed
 */
export function parseOpenQasm(text: string, file = '<qasm>'): OpenQasmProgram {
  const fail = (line: number, col: number, msg: string): never => {
    throw new InputError(`${file}:${line}:${col}: ${msg}`);
  };
  const tokens = tokenize(text, fail);
  let pos = 0;
  const peek = (): Token => tokens[pos];
  const next = (): Token => tokens[pos++];
  const failAt = (t: Token, msg: string): never => fail(t.line, t.col, msg);
  const expect = (textWanted: string): Token => {
    const t = next();
    if (t.text !== textWanted || t.kind === 'str') failAt(t, `expected '${textWanted}', found '${t.text}'`);
    return t;
  };
  const expectId = (what: string): Token => {
    const t = next();
    if (t.kind !== 'id') failAt(t, `expected ${what}, found '${t.text}'`);
    return t;
  };
  const expectInt = (what: string): number => {
    const t = next();
    if (t.kind !== 'num' || !/^[0-9]+$/.test(t.text)) failAt(t, `expected ${what} (a non-negative integer), found '${t.text}'`);
    return Number(t.text);
  };

  let version: 2 | 3 = 3;
  if (peek().text === 'OPENQASM') {
    next();
    const v = next();
    if (v.kind !== 'num' || !/^[23](\.[0-9]+)?$/.test(v.text)) failAt(v, `unsupported OpenQASM version '${v.text}' (2.0 or 3.0)`);
    version = v.text.startsWith('2') ? 2 : 3;
    expect(';');
  }

  const registers = new Map<string, { offset: number; size: number; quantum: boolean }>();
  let nQubits = 0;
  const parameters = new Map<string, number>();
  const parameterNames: string[] = [];
  type Op = { tok: Token; name: string; args: Affine[]; operands: { tok: Token; qubits: number[] }[] };
  const ops: Op[] = [];
  let measured = false;

  const declare = (nameTok: Token, size: number, quantum: boolean): void => {
    if (registers.has(nameTok.text) || parameters.has(nameTok.text)) failAt(nameTok, `'${nameTok.text}' is already declared`);
    if (quantum && nQubits + size > 30) failAt(nameTok, `too many qubits (${nQubits + size}; at most 30)`);
    registers.set(nameTok.text, { offset: quantum ? nQubits : -1, size, quantum });
    if (quantum) nQubits += size;
  };

  const operand = (): { tok: Token; qubits: number[] } => {
    const tok = expectId('a qubit or register');
    const reg = registers.get(tok.text);
    if (reg === undefined || !reg.quantum) failAt(tok, `unknown qubit register '${tok.text}'`);
    if (peek().text === '[') {
      next();
      const indexTok = peek();
      const k = expectInt('a qubit index');
      expect(']');
      if (k >= reg!.size) failAt(indexTok, `index ${k} outside register '${tok.text}' of size ${reg!.size}`);
      return { tok, qubits: [reg!.offset + k] };
    }
    return { tok, qubits: Array.from({ length: reg!.size }, (_, k) => reg!.offset + k) };
  };

  // Expression grammar: sum := product (('+'|'-') product)*; product := power (('*'|'/') power)*;
  // power := unary ('^' power)?; unary := '-' unary | atom.
  const sum = (): Affine => {
    let a = product();
    while (peek().text === '+' || peek().text === '-') {
      const op = next();
      const b = product();
      a = add(a, b, op.text === '-' ? -1 : 1, op);
    }
    return a;
  };
  const add = (a: Affine, b: Affine, sign: number, at: Token): Affine => {
    if (a.p >= 0 && b.p >= 0 && a.p !== b.p) failAt(at, 'an angle may depend on one input only');
    const p = a.p >= 0 ? a.p : b.p;
    return { c: a.c + sign * b.c, p, f: (a.p >= 0 ? a.f : 0) + (b.p >= 0 ? sign * b.f : 0) };
  };
  const product = (): Affine => {
    let a = power();
    while (peek().text === '*' || peek().text === '/') {
      const op = next();
      const b = power();
      if (op.text === '*') {
        if (a.p >= 0 && b.p >= 0) failAt(op, 'an angle must be linear in its input');
        const [k, v] = a.p >= 0 ? [b.c, a] : [a.c, b];
        a = { c: k * v.c, p: v.p, f: k * v.f };
      } else {
        if (b.p >= 0) failAt(op, 'cannot divide by an input');
        if (b.c === 0) failAt(op, 'division by zero');
        a = { c: a.c / b.c, p: a.p, f: a.f / b.c };
      }
    }
    return a;
  };
  const power = (): Affine => {
    const a = unary();
    if (peek().text !== '^') return a;
    const op = next();
    const b = power();
    if (a.p >= 0 || b.p >= 0) failAt(op, 'an angle must be linear in its input');
    return constant(a.c ** b.c);
  };
  const unary = (): Affine => {
    if (peek().text === '-') {
      next();
      const a = unary();
      return { c: -a.c, p: a.p, f: -a.f };
    }
    if (peek().text === '+') next();
    return atom();
  };
  const atom = (): Affine => {
    const t = next();
    if (t.kind === 'num') return constant(Number(t.text));
    if (t.text === '(' && t.kind === 'sym') {
      const a = sum();
      expect(')');
      return a;
    }
    if (t.kind === 'id') {
      if (CONSTANTS[t.text] !== undefined) return constant(CONSTANTS[t.text]);
      const p = parameters.get(t.text);
      if (p !== undefined) return { c: 0, p, f: 1 };
      const fn = FUNCTIONS[t.text];
      if (fn !== undefined && peek().text === '(') {
        next();
        const a = sum();
        expect(')');
        if (a.p >= 0) failAt(t, `${t.text}() of an input is not linear`);
        return constant(fn(a.c));
      }
      failAt(t, `unknown identifier '${t.text}'`);
    }
    return failAt(t, `expected an angle expression, found '${t.text}'`);
  };

  const skipStatement = (): void => {
    while (peek().kind !== 'eof' && peek().text !== ';') next();
    expect(';');
  };

  while (peek().kind !== 'eof') {
    const t = next();
    if (t.kind !== 'id') failAt(t, `expected a statement, found '${t.text}'`);
    const word = t.text;
    if (measured && word !== 'measure' && word !== 'barrier' && !registers.has(word) && word !== 'bit' && word !== 'creg') {
      failAt(t, 'gates after a measurement are not supported');
    }
    if (word === 'OPENQASM') failAt(t, 'the OPENQASM line must come first');
    if (word === 'include') {
      const f = next();
      if (f.kind !== 'str') failAt(f, 'expected a file name in quotes');
      if (f.text !== 'qelib1.inc' && f.text !== 'stdgates.inc') failAt(f, `cannot include '${f.text}' (only qelib1.inc and stdgates.inc)`);
      expect(';');
    } else if (word === 'qreg' || word === 'creg') {
      const name = expectId('a register name');
      expect('[');
      const size = expectInt('a register size');
      expect(']');
      expect(';');
      declare(name, size, word === 'qreg');
    } else if (word === 'qubit' || word === 'bit') {
      let size = 1;
      if (peek().text === '[') {
        next();
        size = expectInt('a register size');
        expect(']');
      }
      const name = expectId('a register name');
      declare(name, size, word === 'qubit');
      if (word === 'bit' && peek().text === '=') {
        next();
        expect('measure');
        operand();
        measured = true;
      }
      expect(';');
    } else if (word === 'input') {
      const type = expectId('a type');
      if (type.text !== 'float' && type.text !== 'angle') failAt(type, `unsupported input type '${type.text}' (float or angle)`);
      if (peek().text === '[') {
        next();
        expectInt('a width');
        expect(']');
      }
      const name = expectId('an input name');
      if (parameters.has(name.text) || registers.has(name.text) || CONSTANTS[name.text] !== undefined) failAt(name, `'${name.text}' is already declared`);
      parameters.set(name.text, parameterNames.length);
      parameterNames.push(name.text);
      expect(';');
    } else if (word === 'barrier') {
      skipStatement();
    } else if (word === 'measure') {
      operand();
      if (peek().text === '->') {
        next();
        expectId('a classical register');
        if (peek().text === '[') {
          next();
          expectInt('a bit index');
          expect(']');
        }
      }
      expect(';');
      measured = true;
    } else if (registers.has(word) && !registers.get(word)!.quantum) {
      // c = measure q;  c[k] = measure q[k];
      if (peek().text === '[') {
        next();
        expectInt('a bit index');
        expect(']');
      }
      expect('=');
      expect('measure');
      operand();
      expect(';');
      measured = true;
    } else if (word === 'gphase') {
      expect('(');
      sum();
      expect(')');
      expect(';');
    } else if (word === 'gate' || word === 'opaque' || word === 'def') {
      failAt(t, `${word} definitions are not supported`);
    } else if (word === 'reset' || word === 'if' || word === 'for' || word === 'while') {
      failAt(t, `'${word}' is not supported (only unitary gates, barriers and final measurements)`);
    } else {
      const name = ALIASES[word] ?? word;
      const spec = GATES[name];
      if (spec === undefined) failAt(t, `unknown gate '${word}'`);
      const args: Affine[] = [];
      if (peek().text === '(') {
        next();
        if (peek().text !== ')') {
          args.push(sum());
          while (peek().text === ',') {
            next();
            args.push(sum());
          }
        }
        expect(')');
      }
      if (peek().text === '@') failAt(peek(), 'gate modifiers are not supported');
      if (args.length !== spec![0]) failAt(t, `gate '${word}' takes ${spec![0]} angle${spec![0] === 1 ? '' : 's'}, got ${args.length}`);
      const operands = [operand()];
      while (peek().text === ',') {
        next();
        operands.push(operand());
      }
      expect(';');
      if (operands.length !== spec![1]) failAt(t, `gate '${word}' acts on ${spec![1]} qubit${spec![1] === 1 ? '' : 's'}, got ${operands.length}`);
      ops.push({ tok: t, name, args, operands });
    }
  }

  const b = new CircuitBuilder(nQubits);
  for (let p = 0; p < parameterNames.length; p++) b.parameter();
  for (const op of ops) {
    const spec = GATES[op.name];
    // broadcast over whole registers: equal sizes, single qubits repeated
    const width = Math.max(...op.operands.map((o) => o.qubits.length));
    for (const o of op.operands) {
      if (o.qubits.length !== 1 && o.qubits.length !== width) failAt(o.tok, `register '${o.tok.text}' has ${o.qubits.length} qubits, expected ${width}`);
    }
    for (let k = 0; k < width; k++) {
      const qubits = op.operands.map((o) => (o.qubits.length === 1 ? o.qubits[0] : o.qubits[k]));
      if (qubits.length === 2 && qubits[0] === qubits[1]) failAt(op.tok, `gate '${op.tok.text}' on qubit ${qubits[0]} twice`);
      spec[2](b, qubits, op.args);
    }
  }
  return { circuit: b.build(), version, parameterNames, measured };
}
