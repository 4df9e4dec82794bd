export * from './gbs.js';
export * from './library.js';
export * from './shell-functions.js';
export * from './molecular-basis.js';
