import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { connectorPackages, createFakeLogto, installPacked, removeFakeLogto, repositoryRoot } from './harness';

/**
 * Every send is bounded, on real sockets, with garbage collection running while it waits: each
 * packed connector, installed in a fake Logto instance and loaded through the @logto/cli loader, sends
 * to a server of its own that accepts TCP and never answers. The sends run in a child process
 * (bounded-send-child.mjs, `--expose-gc`, the Node running jest), all at once, so the whole check
 * costs about the longest timeout. No nock and no fake timers: what is proven is what Logto runs.
 */
const childScript = fileURLToPath(new URL('./bounded-send-child.mjs', import.meta.url));
const examplesDirectory = path.join(repositoryRoot, 'packages/cli/examples');
const packages = connectorPackages();
/** The child gives up on a send 5 s past its timeout (at most 15 s) and needs 1 s to watch sockets close. */
const childLimit = 45_000;

type SendRow = {
  kind: 'send';
  case: 'silent server' | 'forbidden port';
  connector: string;
  /** The first word of the connector's display name: every provider name the kit uses starts with it. */
  providerWord: string;
  scheme: 'https' | 'http';
  timeout: 'default' | number;
  /** The timeout in force: the kit's default (10 000 ms) when the config has none. */
  deadline: number;
  port: number;
  /** Set when the port was in use on this machine, so the row proves nothing. */
  skipped?: string;
  settled: boolean;
  outcome: 'resolved' | 'rejected' | 'unsettled';
  elapsed: number;
  errorName: string | null;
  isLoaderConnectorError: boolean;
  code: string | null;
  data: string | null;
  connections?: number;
  bytesReceived?: number;
  closeDelays?: number[];
  closedWithinGrace?: boolean;
};

type DoneLine = { kind: 'done'; node: string; loaded: string[]; skippedLoads: string[]; totalMs: number };

type ChildRun = { rows: SendRow[]; done?: DoneLine; crash?: string; exit: string; stderr: string };

const runChild = async (connectorsDirectory: string): Promise<ChildRun> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--expose-gc', childScript, connectorsDirectory, examplesDirectory], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    // The child exits by itself; this only guards against the child's own safety cap failing.
    const killer = setTimeout(() => child.kill('SIGKILL'), childLimit);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(killer);
      const lines = stdout
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as { kind: string });
      resolve({
        rows: lines.filter((line): line is SendRow => line.kind === 'send'),
        done: lines.find((line): line is DoneLine => line.kind === 'done'),
        crash: (lines.find((line) => line.kind === 'crash') as { message?: string } | undefined)?.message,
        exit: signal ? `killed by ${signal} after ${childLimit} ms` : `exit code ${String(code)}`,
        stderr,
      });
    });
  });

let instance: string | undefined;
let connectorsDirectory = '';
let run: ChildRun = { rows: [], exit: 'not run', stderr: '' };

const silentRows = () => run.rows.filter((row) => row.case === 'silent server');
const forbiddenPortRows = () => run.rows.filter((row) => row.case === 'forbidden port' && !row.skipped);

const labelOf = (row: SendRow) =>
  `${row.connector} ${row.scheme}://127.0.0.1:${row.port} timeout ${row.timeout === 'default' ? `default (${row.deadline})` : row.timeout}`;

const descriptionOf = (row: SendRow): string => {
  const data = row.data ? (JSON.parse(row.data) as unknown) : undefined;
  const description = (data as { errorDescription?: unknown } | undefined)?.errorDescription;
  return typeof description === 'string' ? description : '';
};

/** `10 000`, `10,000` and `10000` are the same number of milliseconds to a reader. */
const withoutDigitGrouping = (text: string) => text.replace(/(\d)[\s,\u202f](?=\d{3}\b)/g, '$1');

/** Rows in a stable order (connector, scheme, timeout, port) for reading, whatever order they settled in. */
const sortedForReading = (rows: SendRow[]) =>
  [...rows].sort(
    (a, b) =>
      a.connector.localeCompare(b.connector) ||
      b.scheme.localeCompare(a.scheme) ||
      a.deadline - b.deadline ||
      a.port - b.port
  );

const connectionsOf = (row: SendRow): string => {
  if (row.connections === undefined) {
    return '';
  }
  const closed = row.settled ? `closed ${JSON.stringify(row.closeDelays)} ms after settling` : 'left open';
  return `connections ${row.connections}, ${closed}`;
};

const tableOf = (rows: SendRow[]): string =>
  sortedForReading(rows)
    .map((row) =>
      [
        labelOf(row).padEnd(52),
        row.skipped
          ? `skipped: ${row.skipped}`
          : row.settled
            ? `settled ${row.elapsed} ms`
            : `UNSETTLED after ${row.elapsed} ms`,
        row.code ?? '',
        connectionsOf(row),
        descriptionOf(row),
      ]
        .filter(Boolean)
        .join(' | ')
    )
    .join('\n');

/** Fails with every broken row named, and every row checked below them, rather than with the first mismatch. */
const expectNoProblems = (check: string, rows: SendRow[], problemsOf: (row: SendRow) => string[]) => {
  const problems = rows.flatMap(problemsOf);
  if (problems.length > 0) {
    throw new Error(
      `${check}: ${problems.length} problem(s)\n  ${problems.join('\n  ')}\n\nThe sends checked (child: ${run.exit}, ${
        run.done ? `${run.done.totalMs} ms, Node ${run.done.node}` : 'no "done" line'
      }):\n${tableOf(rows)}`
    );
  }
};

/** Settled as the loader's ConnectorError `general`: what Logto core's error handler turns into a readable 400. */
const connectorErrorProblems = (row: SendRow): string[] => {
  if (!row.settled) {
    return [`${labelOf(row)}: did not settle within ${row.elapsed} ms (timeout + 5 s)`];
  }
  const problems: string[] = [];
  if (row.outcome !== 'rejected') {
    problems.push(`${labelOf(row)}: resolved, but nothing ever answered`);
  } else if (!row.isLoaderConnectorError) {
    problems.push(
      `${labelOf(row)}: threw ${String(row.errorName)}, not the loader's ConnectorError (Logto answers 500)`
    );
  } else if (row.code !== 'general') {
    problems.push(`${labelOf(row)}: code ${String(row.code)}, expected general`);
  }
  const description = descriptionOf(row);
  if (!description.includes(row.providerWord)) {
    problems.push(
      `${labelOf(row)}: errorDescription does not name ${row.providerWord}: ${JSON.stringify(description)}`
    );
  }
  return problems;
};

beforeAll(async () => {
  instance = createFakeLogto();
  connectorsDirectory = await installPacked(instance, packages);
}, 180_000);

beforeAll(async () => {
  run = await runChild(connectorsDirectory);
}, 60_000);

afterAll(() => {
  removeFakeLogto(instance);
});

describe('a send to a provider that never answers, with garbage collection running', () => {
  it('loads every connector through the loader and sends through each, 2 schemes × 2 timeouts', () => {
    if (!run.done) {
      throw new Error(
        `the child ended without a "done" line (${run.exit})\n${run.crash ?? ''}\n${run.stderr.slice(-4000)}`
      );
    }
    expect(run.done.skippedLoads).toEqual([]);
    const expected = packages.flatMap(({ name }) =>
      ['https', 'http'].flatMap((scheme) => ['default', '15000'].map((timeout) => `${name} ${scheme} ${timeout}`))
    );
    const seen = silentRows().map((row) => `${row.connector} ${row.scheme} ${String(row.timeout)}`);
    expect(seen.sort()).toEqual(expected.sort());
  });

  it("settles as the loader's ConnectorError general within its timeout + 1 s, and never before the timeout", () => {
    expectNoProblems('bounded sends', silentRows(), (row) => {
      const problems = connectorErrorProblems(row);
      if (row.settled && row.elapsed > row.deadline + 1000) {
        problems.push(`${labelOf(row)}: settled after ${row.elapsed} ms, more than the timeout + 1 s`);
      }
      if (row.settled && row.elapsed < row.deadline - 50) {
        problems.push(`${labelOf(row)}: gave up after ${row.elapsed} ms, before its timeout of ${row.deadline} ms`);
      }
      const description = withoutDigitGrouping(descriptionOf(row));
      if (row.settled && !description.includes(String(row.deadline))) {
        problems.push(
          `${labelOf(row)}: errorDescription does not give the timeout (${row.deadline} ms): ${JSON.stringify(description)}`
        );
      }
      return problems;
    });
  });

  it('says whether the message could have reached the provider', () => {
    expectNoProblems(
      'what the admin is told',
      silentRows().filter((row) => row.settled),
      (row) => {
        const description = descriptionOf(row);
        // A stalled TLS handshake: not a byte of the request left, so the message was not sent.
        if (row.scheme === 'https') {
          return /not sent/i.test(description) && !/may have been delivered/i.test(description)
            ? []
            : [
                `${labelOf(row)}: a stalled handshake must say "not sent" (and not "may have been delivered"): ${JSON.stringify(description)}`,
              ];
        }
        // The request was written: the provider may have it, and a retry could deliver a second code.
        return /may have been delivered/i.test(description) &&
          /retr(ied|y)/i.test(description) &&
          !/not sent/i.test(description)
          ? []
          : [
              `${labelOf(row)}: a written request must say it "may have been delivered" and was not retried: ${JSON.stringify(description)}`,
            ];
      }
    );
  });

  it('opens at most one connection per send (no retry) and closes it within 1 s of settling', () => {
    expectNoProblems('connections', silentRows(), (row) => [
      ...((row.connections ?? 0) > 1 ? [`${labelOf(row)}: the server saw ${String(row.connections)} connections`] : []),
      ...(row.settled && !row.closedWithinGrace
        ? [
            `${labelOf(row)}: a connection stayed open past 1 s after settling (closed ${JSON.stringify(row.closeDelays)} ms after)`,
          ]
        : []),
      ...(row.settled ? [] : [`${labelOf(row)}: did not settle, so its connection was never released`]),
    ]);
  });
});

describe('a send to a port fetch forbids (1, 25, 6000), where nothing listens', () => {
  it('rejects at once as general, saying the message was not sent', () => {
    for (const row of run.rows.filter((candidate) => candidate.skipped)) {
      console.warn(`not checked: ${labelOf(row)}: ${String(row.skipped)}`);
    }
    expect(run.rows.filter((row) => row.case === 'forbidden port')).toHaveLength(packages.length * 3);
    expectNoProblems('forbidden ports', forbiddenPortRows(), (row) => {
      const problems = connectorErrorProblems(row);
      if (row.settled && row.elapsed >= 2000) {
        problems.push(`${labelOf(row)}: took ${row.elapsed} ms to fail, expected well under 2 s`);
      }
      const description = descriptionOf(row);
      if (row.settled && !(description.includes(`127.0.0.1:${row.port}`) && /not sent/i.test(description))) {
        problems.push(
          `${labelOf(row)}: errorDescription must name 127.0.0.1:${row.port} and say "not sent": ${JSON.stringify(description)}`
        );
      }
      return problems;
    });
  });
});
