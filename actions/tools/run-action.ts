/**
 * npm run action -- <name> [--input k=v ...] [--env K=V ...] [--no-post] [--keep-temp]
 * Runs the bundled action locally (see local-runner.ts), streams its log, then prints its
 * outputs and job summary. Exits non-zero when the main step failed. --keep-temp keeps
 * RUNNER_TEMP, the event and the command files (GITHUB_OUTPUT, GITHUB_STATE...) and
 * prints where they are, for debugging.
 */
import { runAction } from './local-runner.ts';

function usage(message?: string): never {
  if (message) console.error(`error: ${message}`);
  console.error(
    'usage: npm run action -- <name> [--input k=v ...] [--env K=V ...] [--no-post] [--keep-temp]',
  );
  process.exit(2);
}

function pair(text: string | undefined, flag: string): [string, string] {
  const eq = text?.indexOf('=') ?? -1;
  if (!text || eq <= 0) usage(`${flag} expects NAME=VALUE, got "${text ?? ''}"`);
  return [text.slice(0, eq), text.slice(eq + 1)];
}

const args = process.argv.slice(2);
const inputs: Record<string, string> = {};
const env: Record<string, string> = {};
let action: string | undefined;
let post = true;
let keepTemp = false;
for (let i = 0; i < args.length; i++) {
  const arg = args[i];
  if (arg === '--input' || arg === '-i') {
    const [k, v] = pair(args[++i], arg);
    inputs[k] = v;
  } else if (arg === '--env' || arg === '-e') {
    const [k, v] = pair(args[++i], arg);
    env[k] = v;
  } else if (arg === '--no-post') post = false;
  else if (arg === '--keep-temp') keepTemp = true;
  else if (arg === '--help' || arg === '-h') usage();
  else if (arg?.startsWith('-')) usage(`unknown option ${arg}`);
  else if (action === undefined) action = arg;
  else usage(`unexpected argument ${arg}`);
}
if (!action) usage('which action? e.g. build-images');

try {
  const result = await runAction({ action, inputs, env, post, keepTemp, stream: true });
  console.log(`\n── ${action}: main exited ${result.exitCode} in ${result.durationMs} ms`);
  if (result.post)
    console.log(`── post exited ${result.post.exitCode} in ${result.post.durationMs} ms`);
  else console.log(`── post skipped: ${result.postSkipped}`);
  console.log('── outputs');
  for (const [name, value] of Object.entries(result.outputs)) console.log(`${name}=${value}`);
  if (result.summary.trim()) console.log(`── job summary\n${result.summary.trim()}`);
  if (result.tempDir) console.log(`── kept ${result.tempDir} (RUNNER_TEMP, event, command files)`);
  process.exitCode = result.exitCode === 0 ? 0 : 1;
} catch (error) {
  console.error(`error: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 2;
}
