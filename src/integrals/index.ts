export * from './eri-layout.js';
