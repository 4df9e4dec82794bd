#!/usr/bin/env node
import { main, useSerialScavenges } from '../dist/cli/main.js';

useSerialScavenges();
main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
