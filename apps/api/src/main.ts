import './instrument.js';

import { main } from './bootstrap.js';

await main(process.argv.slice(2));
