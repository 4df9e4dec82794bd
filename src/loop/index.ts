/**
 * The virtuous-cycle stage: active learning that prices every label by its cost, learning curves
 * against random acquisition, the self-contained HTML report, the experiments that measure how far
 * learned models carry quantum labels, and the end-to-end demo. It stands on the method layer (to
 * compute labels), the dataset stage (to store them) and the learned models.
 */
export * from './active/index.js';
export * from './report/index.js';
export * from './experiments/index.js';
export * from './demo/index.js';
