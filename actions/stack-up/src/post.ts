import { run } from './post-main.ts';

await run();
