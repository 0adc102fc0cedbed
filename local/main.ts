/** `npm start`: the local runtime's command line (see `local/cli.ts`). */
import { main } from './cli.ts';

await main(process.argv.slice(2));
