// What a run prints: the four tables (plain text for the terminal, Markdown for the README and
// results.json), the header line, the problems. Figures come summarized from statistics.mjs.

const fixed = (value, digits) => (Number.isFinite(value) ? value.toFixed(digits) : '–');
export const formatRate = (value) => (Number.isFinite(value) ? Math.round(value).toLocaleString('en-US') : '–');
export const formatMs = (value) => fixed(value, value >= 100 ? 0 : value >= 10 ? 1 : 2);
export const formatRatio = (value) => (Number.isFinite(value) ? `${value.toFixed(2)}×` : '–');
export const formatKb = (bytes) => (Number.isFinite(bytes) ? `${(bytes / 1024).toFixed(1)}` : '–');
export const formatMb = (bytes) => (Number.isFinite(bytes) ? `${(bytes / 1024 / 1024).toFixed(1)}` : '–');
export const formatSignedMb = (bytes) =>
  Number.isFinite(bytes) ? `${bytes >= 0 ? '+' : '−'}${Math.abs(bytes / 1024 / 1024).toFixed(1)}` : '–';
export const formatMicros = (value) => fixed(value, 0);

export const verdictMark = { met: '✓', missed: '✗', noise: '≈', 'n/a': '–' };

const cellWidth = (text) => [...String(text)].length;

export const renderText = (headers, rows) => {
  const widths = headers.map((header, column) =>
    Math.max(cellWidth(header), ...rows.map((row) => cellWidth(row[column] ?? '')))
  );
  const line = (cells) =>
    cells
      .map((cell, column) => {
        const text = String(cell ?? '');
        const pad = ' '.repeat(widths[column] - cellWidth(text));
        return column === 0 ? text + pad : pad + text;
      })
      .join('  ');
  return [line(headers), widths.map((width) => '─'.repeat(width)).join('  '), ...rows.map(line)].join('\n');
};

export const renderMarkdown = (headers, rows) => {
  const escape = (cell) => String(cell ?? '').replace(/\|/g, '\\|');
  return [
    `| ${headers.map(escape).join(' | ')} |`,
    `|${headers.map((_, column) => (column === 0 ? ':---' : '---:')).join('|')}|`,
    ...rows.map((row) => `| ${row.map(escape).join(' | ')} |`),
  ].join('\n');
};

// ── the tables ──────────────────────────────────────────────────────────────────────────────────

/** sends/s, or why there is none: not measured at all (–), or the side failed its checks. */
const sendsCell = (pair, side, summary) => {
  if (!pair.networkRan) return '–';
  if (!summary || summary.error || pair.failures[side] || (side === 'ours' && pair.failed)) return 'failed';
  return formatRate(summary.sendsPerSecond);
};

const perSendTable = (pairs) => {
  const headers = [
    'Connector',
    'Conc.',
    'Ours sends/s',
    'Official sends/s',
    'Floor sends/s',
    'Ours ÷ official',
    'Ours ÷ floor',
    'p50 ms ours · official · floor',
    'p99 ms ours · official · floor',
  ];
  const rows = pairs.flatMap((pair) =>
    ['c1', 'c32'].map((level) => {
      const ours = pair.ours?.[level];
      const official = pair.official?.[level];
      const floor = pair.floor?.[level];
      return [
        level === 'c1' ? pair.label : '',
        level.slice(1),
        sendsCell(pair, 'ours', ours),
        pair.official ? sendsCell(pair, 'official', official) : 'n/a',
        sendsCell(pair, 'floor', floor),
        formatRatio(pair.ratios[level].oursOverOfficial?.median),
        formatRatio(pair.ratios[level].oursOverFloor?.median),
        [ours?.p50, official?.p50, floor?.p50].map(formatMs).join(' · '),
        [ours?.p99, official?.p99, floor?.p99].map(formatMs).join(' · '),
      ];
    })
  );
  return { title: 'Per send (local HTTPS responder, same transport for every side)', headers, rows };
};

const startupTable = (pairs) => {
  const headers = [
    'Connector',
    'Import + create ms ours · official',
    'Official ÷ ours',
    'Process ready ms ours · official',
    'RSS at start MB ours · official',
    'CPU µs/send ours · official · floor',
  ];
  const rows = pairs.map((pair) => [
    pair.label,
    [pair.ours.startup?.importAndCreateMs, pair.official?.startup?.importAndCreateMs].map(formatMs).join(' · '),
    formatRatio(pair.ratios.startupOfficialOverOurs?.median),
    [pair.ours.startup?.processReadyMs, pair.official?.startup?.processReadyMs].map(formatMs).join(' · '),
    [pair.ours.startup?.rss, pair.official?.startup?.rss].map(formatMb).join(' · '),
    [pair.ours.cpuMicrosPerCall, pair.official?.cpuMicrosPerCall, pair.floor?.cpuMicrosPerCall]
      .map(formatMicros)
      .join(' · '),
  ]);
  return { title: 'Start-up and CPU', headers, rows };
};

/** direct/all runtime packages (how many of them are new to a Logto install). */
const packagesCell = (footprint) =>
  footprint
    ? `${footprint.dependencies.length}/${footprint.runtimePackages.total} (${footprint.runtimePackages.added.length} new)`
    : '–';

const libCell = (footprint) =>
  footprint ? `${formatKb(footprint.lib.bytes)} (${formatKb(footprint.lib.gzipBytes)})` : '–';

/** What installing the connector adds to a Logto install: its own unpacked files and the packages Logto lacks. */
const newToLogtoBytes = (footprint) => footprint.runtimePackages.addedBytes + (footprint.tarball.unpackedSize ?? 0);

const rssRangeCell = (memory) =>
  memory?.rssMin === undefined ? '–' : `${formatMb(memory.rssMin)}–${formatMb(memory.rssMax)}`;

const footprintTable = (pairs, memorySends) => {
  const sendsLabel = `${memorySends / 1000}k`;
  const headers = [
    'Connector',
    'lib/index.js KB (gzip) ours · official',
    'Tarball KB ours · official',
    'Runtime packages direct/all (new to Logto) ours · official',
    'New to Logto KB ours · official',
    `RSS over ${sendsLabel} sends MB ours · official`,
    `Heap trend / ${sendsLabel} sends MB ours · official`,
  ];
  const rows = pairs.map((pair) => {
    const ours = pair.ours.footprint;
    const official = pair.official?.footprint;
    return [
      pair.label,
      `${libCell(ours)} · ${libCell(official)}`,
      [ours.tarball.size, official?.tarball.size].map(formatKb).join(' · '),
      `${packagesCell(ours)} · ${packagesCell(official)}`,
      [newToLogtoBytes(ours), official ? newToLogtoBytes(official) : undefined].map(formatKb).join(' · '),
      [pair.ours.memory, pair.official?.memory].map(rssRangeCell).join(' · '),
      [pair.ours.memory?.heapTrend, pair.official?.memory?.heapTrend].map(formatSignedMb).join(' · '),
    ];
  });
  return { title: 'Footprint', headers, rows };
};

/** The targets in their column order, as named in results.json `targets`. */
const targetNames = [
  'asFastAsOfficial_c1',
  'asFastAsOfficial_c32',
  'within15PercentOfFloor_c32',
  'startupNoSlower',
  'rssFlat',
  'onlyKitZodKy',
];

const targetsTable = (pairs) => {
  const headers = [
    'Connector',
    '≥ official, c1',
    '≥ official, c32',
    '≥ 85 % of floor, c32',
    'Start-up ≤ official',
    'RSS flat',
    'Only kit · zod',
  ];
  const rows = pairs.map((pair) => [pair.label, ...targetNames.map((name) => verdictMark[pair.targets[name]])]);
  return {
    title: 'Targets (✓ met in the median round · ≈ met in some rounds only · ✗ met in none · – not measured)',
    headers,
    rows,
  };
};

/** The four tables, each `{ title, headers, rows }`, for the terminal and for Markdown alike. */
export const tablesOf = (pairs, settings) => [
  perSendTable(pairs),
  startupTable(pairs),
  footprintTable(pairs, settings.memory.count),
  targetsTable(pairs),
];

export const markdownOf = (tables) =>
  tables.map(({ title, headers, rows }) => `**${title}**\n\n${renderMarkdown(headers, rows)}`).join('\n\n');

// ── the terminal report ─────────────────────────────────────────────────────────────────────────

/** Machine, Node, date and load before the run; `abRunFrom` names the builds an A/B run measured as ours. */
export const runHeader = (results, abRunFrom) => {
  const m = results.machine;
  const variantNote = abRunFrom ? ` · ours = builds from ${abRunFrom} (A/B run)` : '';
  return `${m.cpuModel}, ${m.cores} cores, ${formatMb(m.memoryBytes)} MB RAM · Node ${m.node} · ${results.date} · load ${results.loadAverage.before.map((value) => value.toFixed(2)).join(' ')}${variantNote}`;
};

/** Failed sides, discarded rounds and runtime dependencies beyond kit/zod, one line each. */
const problemsOf = (pairs) =>
  pairs.flatMap((pair) => [
    ...Object.entries(pair.failures).map(([side, reason]) => `${pair.label} ${side}: ${reason}`),
    ...['c1', 'c32'].flatMap((level) =>
      ['ours', 'official', 'floor']
        .map((side) => [side, side === 'floor' ? pair.floor?.[level] : pair[side]?.[level]])
        .filter(([, summary]) => summary?.problem)
        .map(
          ([side, summary]) =>
            `${pair.label} ${side} ${level}: ${summary.invalidRounds} round(s) discarded: ${summary.problem}`
        )
    ),
    ...(pair.extraRuntimeDependencies.length
      ? [`${pair.label}: runtime dependencies beyond kit/zod: ${pair.extraRuntimeDependencies.join(', ')}`]
      : []),
  ]);

/**
 * Everything the run prints on stdout: header, transport, the tables as text, problems, what was not
 * covered, then the Markdown block to paste into the root README's "Performance" section.
 */
export const terminalReport = ({ header, results, tables }) => {
  const { transport, pairs, notCovered, markdown } = results;
  const parts = [`\n${header}\n${transport}\n`];
  for (const { title, headers, rows } of tables) parts.push(`\n${title}\n${renderText(headers, rows)}\n`);
  const problems = problemsOf(pairs);
  if (problems.length) parts.push(`\nProblems\n${problems.map((line) => `  - ${line}`).join('\n')}\n`);
  if (notCovered.length)
    parts.push(`\nNot covered: ${notCovered.map(({ folder, reason }) => `${folder} (${reason})`).join('; ')}\n`);
  parts.push(
    `\n── Markdown for the README "Performance" section ──\n\n_${header}. ${transport}. Reproduce with \`npx --yes pnpm@10 bench\`; method in bench/README.md._\n\n${markdown}\n\n── end ──\n`
  );
  return parts.join('');
};
