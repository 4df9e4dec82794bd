/**
 * Process entry of the `qde` command for development runs from source:
 * `node --import tsx src/cli/entry.ts energy examples/h2.xyz`. The installed command is bin/qde (a launcher that starts bin/qde.js).
 */
import { main } from './main.js';

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
