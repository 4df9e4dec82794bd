export * from './client.js';
export * from './sampler.js';
