/**
 * The demo part of the loop stage: `runDemo`, quantum labels → active learning → a model that
 * predicts larger hydrogen chains → the HTML report, with a table of the errors it measured.
 */
export { runDemo } from './demo.js';
export type { DemoErrorRow, DemoOptions, DemoResult } from './demo.js';
