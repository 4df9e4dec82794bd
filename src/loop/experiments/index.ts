/** The experiments part of the loop stage: how far learned models carry quantum labels. */
export * from './interactions.js';
