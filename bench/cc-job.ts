/**
 * One RHF + correlated job of bench/cc.bench.ts in a fresh process, timed as the first job of a
 * process is (what `qde energy` pays), with the `qde` command's garbage-collector settings; the
 * environment (and so glibc's malloc tunables) is the caller's. Usage:
 *   node --import tsx bench/cc-job.ts mp2|ccsd|ccsd(t) BASIS h2o|XYZ-FILE
 * Prints one line `QDE_RESULT {json}`: seconds (RHF + the method, imports excluded), scfSeconds,
 * energy, iterations, cpuSeconds.
 */
import { createMolecule } from '../src/chem/molecule.js';
import { readXyzFile } from '../src/chem/xyz.js';
import { loadBasisLibrary } from '../src/basis/library.js';
import { buildMolecularBasis } from '../src/basis/molecular-basis.js';
import { runRhf } from '../src/scf/index.js';
import { runMp2, runCcsd, runCcsdT } from '../src/classical/index.js';
import { useSerialScavenges } from '../src/core/index.js';

useSerialScavenges();
const [method, basisName, geometry] = process.argv.slice(2);
if (!method || !basisName || !geometry || !['mp2', 'ccsd', 'ccsd(t)'].includes(method)) {
  process.stderr.write('usage: cc-job.ts mp2|ccsd|ccsd(t) BASIS h2o|XYZ-FILE\n');
  process.exit(2);
}
const molecule =
  geometry === 'h2o' ? createMolecule({ symbols: ['O', 'H', 'H'], positionsAngstrom: [0, 0, 0, 0, 0.757, 0.587, 0, -0.757, 0.587] }) : readXyzFile(geometry);
const basis = buildMolecularBasis(molecule, loadBasisLibrary(basisName));
const cpu0 = process.cpuUsage();
const t0 = process.hrtime.bigint();
const scf = runRhf(molecule, basis);
const scfSeconds = Number(process.hrtime.bigint() - t0) / 1e9;
let energy: number;
let iterations = 0;
if (method === 'mp2') energy = runMp2(scf).energyHartree;
else {
  const r = method === 'ccsd' ? runCcsd(scf) : runCcsdT(scf);
  energy = r.energyHartree;
  iterations = r.iterations;
}
const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
const cpu = process.cpuUsage(cpu0);
process.stdout.write(`QDE_RESULT ${JSON.stringify({ seconds, scfSeconds, energy, iterations, cpuSeconds: (cpu.user + cpu.system) / 1e6 })}\n`);
process.exit(0);
