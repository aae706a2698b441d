// Runs root scripts one after the other, as `pnpm a && pnpm b && …` does, and says where it is:
// a start line (with the command), a line every 20 s while a step runs, and an end line with the time,
// so `pnpm test` is never silent for long (tsc and eslint print nothing until they finish).
//   node scripts/step.mjs build typecheck lint jest
// Stops at the first step that fails, with its exit code.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { scripts } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
const steps = process.argv.slice(2);
const heartbeatMs = 20_000;

const unknown = steps.filter((step) => typeof scripts?.[step] !== 'string');
if (steps.length === 0 || unknown.length > 0) {
  console.error(`usage: node scripts/step.mjs <script>…; unknown script(s): ${unknown.join(', ') || '(none given)'}`);
  process.exit(2);
}

const seconds = (ms) => {
  const total = Math.round(ms / 1000);
  return total < 60 ? `${(ms / 1000).toFixed(1)} s` : `${Math.floor(total / 60)} min ${total % 60} s`;
};

// `pnpm test` sets npm_execpath to pnpm's own entry: run the steps with the same pnpm.
const execPath = process.env.npm_execpath;
const pnpm = execPath && /\.[cm]?js$/.test(execPath) ? [process.execPath, execPath] : ['pnpm'];

const run = (step) =>
  new Promise((resolve) => {
    const [command, ...args] = pnpm;
    const child = spawn(command, [...args, '--silent', 'run', step], { cwd: root, stdio: 'inherit' });
    const forward = (signal) => child.kill(signal);
    process.on('SIGINT', forward).on('SIGTERM', forward);
    child.on('error', (error) => {
      console.error(`::: ${step}: could not start ${command}: ${error.message}`);
      resolve(1);
    });
    child.on('exit', (code, signal) => {
      process.off('SIGINT', forward).off('SIGTERM', forward);
      resolve(code ?? (signal ? 128 : 1));
    });
  });

const started = Date.now();
const timings = [];
for (const [index, step] of steps.entries()) {
  const label = `${step} (${index + 1}/${steps.length})`;
  const stepStarted = Date.now();
  console.log(`\n::: ${label}: ${scripts[step]}`);
  const heartbeat = setInterval(() => {
    console.log(`::: ${label} still running, ${seconds(Date.now() - stepStarted)}`);
  }, heartbeatMs);
  const code = await run(step);
  clearInterval(heartbeat);
  const took = Date.now() - stepStarted;
  timings.push(`${step} ${seconds(took)}`);
  if (code !== 0) {
    console.log(
      `::: ${label} failed after ${seconds(took)} (exit code ${code}); total ${seconds(Date.now() - started)}`
    );
    process.exit(code);
  }
  console.log(`::: ${label} done in ${seconds(took)}; total ${seconds(Date.now() - started)}`);
}
console.log(`\n::: all ${steps.length} steps passed in ${seconds(Date.now() - started)} (${timings.join(', ')})`);
