// What each way of sending the same request costs, nothing else: `node bench/variants/transport-costs.mjs [rounds]`.
// Twilio's request bytes (as our connector builds them) go to the bench's local HTTPS responder through
//   fetch        a bare fetch, body read with arrayBuffer() (the bench's floor)
//   fetch+kit    fetch with what the kit wraps around it: an AbortController timer, a body reader loop
//   ky           ky called exactly as packages/sms-kit/src/http.ts calls it, body read the same way
//   node-https   node:https request on the global keep-alive agent, body collected from 'data' events
// each in a fresh process, rounds interleaved; prints CPU µs per send (c1) and sends/s at c1 and c32.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { median } from '../src/report.mjs';

const here = fileURLToPath(import.meta.url);
const benchDir = path.resolve(path.dirname(here), '..');
const variants = ['fetch', 'fetch+kit', 'ky', 'node-https'];

const twilioRequest = async () => {
  const { providers } = await import('../src/providers.mjs');
  const { config } = providers.twilio;
  return {
    url: `https://api.twilio.com/2010-04-01/Accounts/${config.accountSID}/Messages.json`,
    headers: {
      authorization: `Basic ${Buffer.from(`${config.accountSID}:${config.authToken}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
      accept: 'application/json',
    },
    body: new URLSearchParams({
      To: '+16502530000',
      MessagingServiceSid: config.fromMessagingServiceSID,
      Body: 'Your Logto SignIn code is 123456. It expires in 10 minutes.',
      RiskCheck: 'enable',
    }).toString(),
  };
};

const probe = async (variant) => {
  const { url, headers, body } = await twilioRequest();
  const readLoop = async (response) => {
    const reader = response.body.getReader();
    const chunks = [];
    for (;;) {
      // eslint-disable-next-line no-await-in-loop
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
    }
    return new TextDecoder().decode(Buffer.concat(chunks));
  };
  const withTimer = async (run) => {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), 10_000);
    try {
      return await run(controller.signal);
    } finally {
      clearTimeout(timer);
    }
  };
  const ky = (await import(pathToFileURL(createRequire(path.join(benchDir, 'package.json')).resolve('ky')).href)).default;
  const https = await import('node:https');
  const sends = {
    fetch: async () => Buffer.from(await (await fetch(url, { method: 'POST', headers, body })).arrayBuffer()),
    'fetch+kit': () =>
      withTimer(async (signal) => readLoop(await fetch(url, { method: 'POST', headers, body, signal, redirect: 'manual' }))),
    ky: () =>
      withTimer(async (signal) =>
        readLoop(
          await ky(url, { method: 'POST', headers, body, retry: { limit: 0 }, redirect: 'manual', timeout: false, throwHttpErrors: false, signal })
        )
      ),
    'node-https': () =>
      withTimer(
        (signal) =>
          new Promise((resolve, reject) => {
            const payload = Buffer.from(body);
            const request = https.request(url, { method: 'POST', headers: { ...headers, 'content-length': String(payload.length) }, signal }, (response) => {
              const chunks = [];
              response.on('data', (chunk) => chunks.push(chunk));
              response.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
              response.on('error', reject);
            });
            request.on('error', reject);
            request.end(payload);
          })
      ),
  };
  const send = sends[variant];
  const run = async (count, concurrency) => {
    let next = 0;
    const startedAt = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next++ < count) {
          // eslint-disable-next-line no-await-in-loop
          await send();
        }
      })
    );
    return (count / (performance.now() - startedAt)) * 1000;
  };
  await run(300, 1);
  const before = process.cpuUsage();
  const c1 = await run(1000, 1);
  const used = process.cpuUsage(before);
  await run(300, 32);
  const c32 = await run(2000, 32);
  process.stdout.write(`${JSON.stringify({ cpuMicros: (used.user + used.system) / 1000, c1, c32 })}\n`);
};

const drive = async () => {
  const { makeCertificate, startResponder } = await import('../src/harness.mjs');
  const rounds = Number(process.argv[2] ?? 3);
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'sms-bench-transport-'));
  const certificate = makeCertificate(tmp, ['api.twilio.com']);
  const { responder, port } = await startResponder(certificate);
  const results = Object.fromEntries(variants.map((variant) => [variant, []]));
  try {
    for (let round = 0; round < rounds; round += 1) {
      for (const variant of variants.map((_, index) => variants[(index + round) % variants.length])) {
        // eslint-disable-next-line no-await-in-loop
        const output = await new Promise((resolve, reject) => {
          const child = spawn(process.execPath, ['--import', pathToFileURL(path.join(benchDir, 'src/redirect.mjs')).href, here, '--probe', variant], {
            env: { ...process.env, NODE_EXTRA_CA_CERTS: certificate.cert, BENCH_HOSTS: 'api.twilio.com', BENCH_PORT: String(port) },
            stdio: ['ignore', 'pipe', 'inherit'],
          });
          let stdout = '';
          child.stdout.on('data', (chunk) => (stdout += chunk));
          child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(stdout)) : reject(new Error(`${variant} exited with ${code}`))));
        });
        results[variant].push(output);
      }
    }
  } finally {
    responder.send({ cmd: 'exit' });
    rmSync(tmp, { recursive: true, force: true });
  }
  process.stdout.write(`Twilio request, ${rounds} round(s), medians (load ${os.loadavg().map((value) => value.toFixed(2)).join(' ')})\n`);
  process.stdout.write(`${'variant'.padEnd(12)} ${'CPU µs/send'.padStart(12)} ${'sends/s c1'.padStart(11)} ${'sends/s c32'.padStart(12)}\n`);
  for (const [variant, runs] of Object.entries(results)) {
    const value = (key) => median(runs.map((entry) => entry[key]));
    process.stdout.write(
      `${variant.padEnd(12)} ${value('cpuMicros').toFixed(0).padStart(12)} ${value('c1').toFixed(0).padStart(11)} ${value('c32').toFixed(0).padStart(12)}\n`
    );
  }
};

if (process.argv[2] === '--probe') {
  await probe(process.argv[3]);
} else {
  await drive();
}
