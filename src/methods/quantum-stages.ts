/**
 * The quantum stages as the method layer reaches them: imported on first use, not when the method
 * layer loads. An HF, MP2, CC or FCI calculation (a campaign's label worker, `qde energy` with a
 * classical method) thus never loads algorithms, backends, circuits or qubits, about 70 modules.
 */

/** The stages the quantum methods and the fault-tolerant estimate run on. */
export interface QuantumStages {
  algorithms: typeof import('../algorithms/index.js');
  circuits: typeof import('../circuits/index.js');
}

let stages: Promise<QuantumStages> | undefined;

/** The algorithms and circuits stages (backends and qubits come with them), imported once. */
export function loadQuantumStages(): Promise<QuantumStages> {
  stages ??=
    typeof require === 'function'
      ? // This module runs as CommonJS: tsx compiles the sources so in worker threads (a campaign's
        // label workers run from source), where its ES-module hooks, which import() needs, are absent.
        Promise.resolve({ algorithms: require('../algorithms/index.js') as QuantumStages['algorithms'], circuits: require('../circuits/index.js') as QuantumStages['circuits'] })
      : Promise.all([import('../algorithms/index.js'), import('../circuits/index.js')]).then(([algorithms, circuits]) => ({ algorithms, circuits }));
  return stages;
}
