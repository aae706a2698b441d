// What a run prints: the four tables of the pairs and the two of the routing connector (plain text
// for the terminal, Markdown for the README and results.json), the header line, the problems. Figures
// come summarized from statistics.mjs.

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

// ── the routing connector's tables ─────────────────────────────────────────────────────────────

const routerStartupRow = (
  label,
  { footprint, startup, ratio, newToLogto = footprint && newToLogtoBytes(footprint) }
) => [
  label,
  libCell(footprint),
  formatKb(footprint?.tarball.size),
  packagesCell(footprint),
  formatKb(newToLogto),
  formatMs(startup?.importAndCreateMs),
  formatRatio(ratio),
  formatMs(startup?.processReadyMs),
  formatMb(startup?.rss),
];

/** The router beside the single connectors: footprint and start-up (time ratios: below 1, the router is ready sooner). */
const routerStartupTable = (router) => {
  const headers = [
    'Connector',
    'lib/index.js KB (gzip)',
    'Tarball KB',
    'Runtime packages direct/all (new to Logto)',
    'New to Logto KB',
    'Import + create ms',
    'Router ÷ row, import + create',
    'Process ready ms',
    'RSS at start MB',
  ];
  const { singleConnectors: singles, ratios } = router;
  const rows = [routerStartupRow(router.label, { footprint: router.footprint, startup: router.startup })];
  rows[0][6] = ''; // the router's own row: no ratio
  if (router.single) {
    rows.push(
      routerStartupRow(`${router.single.label}, ours (the routed provider's single connector)`, {
        footprint: router.single.footprint,
        startup: router.single.startup,
        ratio: ratios.startupRouterOverSingle?.median,
      })
    );
  }
  if (singles.connectors > 0) {
    rows.push([
      `Ours, the ${singles.connectors} single connectors (median)`,
      `${formatKb(singles.ours.libBytes)} (${formatKb(singles.ours.libGzipBytes)})`,
      formatKb(singles.ours.tarballBytes),
      '–',
      '–',
      formatMs(singles.ours.importAndCreateMs),
      formatRatio(ratios.startupRouterOverOurs?.median),
      formatMs(singles.ours.processReadyMs),
      formatMb(singles.ours.rss),
    ]);
  }
  if (singles.slowestOfficial) {
    rows.push(
      routerStartupRow(`Official, slowest to start (${singles.slowestOfficial.package})`, {
        footprint: singles.slowestOfficial.footprint,
        startup: singles.slowestOfficial.startup,
        ratio: ratios.startupRouterOverSlowestOfficial?.median,
      })
    );
  }
  return {
    title: `Routing connector: footprint and start-up, beside the single connectors (router ÷ row: time ratio, run by run, median; below 1, the router is ready sooner)`,
    headers,
    rows,
  };
};

/** The router's send path against our single connector of the routed provider and the bare fetch of the router's request. */
const routerSendTable = (router, memorySends) => {
  const sendsLabel = `${memorySends / 1000}k`;
  const headers = [
    'Side',
    'Conc.',
    'Sends/s',
    'Router ÷ row, sends/s',
    'p50 ms',
    'p99 ms',
    'CPU µs/send',
    `RSS over ${sendsLabel} sends MB`,
    `Heap trend / ${sendsLabel} sends MB`,
  ];
  const sides = [
    ['router', router.label, router, undefined],
    ['single', `${router.single?.label}, ours (single connector)`, router.single, 'routerOverSingle'],
    ['floor', 'Floor (bare fetch of the router’s request)', router.floor, 'routerOverFloor'],
  ];
  const failed = (side, summary) =>
    !summary || summary.error || router.failures[side] || (side === 'router' && router.failed);
  const rows = sides.flatMap(([side, label, summary, ratioName]) =>
    ['c1', 'c32'].map((level) => [
      level === 'c1' ? label : '',
      level.slice(1),
      !router.networkRan ? '–' : failed(side, summary?.[level]) ? 'failed' : formatRate(summary[level].sendsPerSecond),
      ratioName ? formatRatio(router.ratios[level][ratioName]?.median) : '',
      formatMs(summary?.[level]?.p50),
      formatMs(summary?.[level]?.p99),
      level === 'c1' ? formatMicros(summary?.cpuMicrosPerCall) : '',
      level === 'c1' && side !== 'floor' ? rssRangeCell(summary?.memory) : '',
      level === 'c1' && side !== 'floor' ? formatSignedMb(summary?.memory?.heapTrend) : '',
    ])
  );
  return {
    title: `Routing connector: per send, route * → ${router.single?.label} (same responder; router ÷ row in sends/s, paired rounds)`,
    headers,
    rows,
  };
};

/** The router's two tables; none when the run did not cover it. */
export const routerTablesOf = (router, settings) =>
  router
    ? [routerStartupTable(router), ...(router.single ? [routerSendTable(router, settings.memory.count)] : [])]
    : [];

/** The four tables of the pairs, then the router's, each `{ title, headers, rows }`, for the terminal and for Markdown alike. */
export const tablesOf = (pairs, settings, router) => [
  perSendTable(pairs),
  startupTable(pairs),
  footprintTable(pairs, settings.memory.count),
  targetsTable(pairs),
  ...routerTablesOf(router, settings),
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

/** The router's failed sides, discarded rounds, unexpected runtime dependencies and request differences. */
const routerProblemsOf = (router) => {
  if (!router) return [];
  const label = router.label;
  return [
    ...(router.sendPath.skipped ? [`${label}: no send path: ${router.sendPath.skipped}`] : []),
    ...(router.startup.error ? [`${label} start-up: ${router.startup.error}`] : []),
    ...Object.entries(router.failures).map(([side, reason]) => `${label} ${side}: ${reason}`),
    ...['c1', 'c32'].flatMap((level) =>
      [
        ['router', router],
        ['single', router.single],
        ['floor', router.floor],
      ]
        .filter(([, summary]) => summary?.[level]?.problem)
        .map(
          ([side, summary]) =>
            `${label} ${side} ${level}: ${summary[level].invalidRounds} round(s) discarded: ${summary[level].problem}`
        )
    ),
    ...(router.extraRuntimeDependencies.length
      ? [`${label}: runtime dependencies beyond kit/zod: ${router.extraRuntimeDependencies.join(', ')}`]
      : []),
    ...(router.differencesFromSingle?.length
      ? [
          `${label}: its request differs from the single connector's (${router.differencesFromSingle.join(', ')}): the floor is the router's`,
        ]
      : []),
  ];
};

/** One line on the router for the terminal: its start-up and send overhead in ratios. */
const routerSummaryLine = (router) => {
  if (!router) return undefined;
  const { ratios, single } = router;
  const parts = [
    `start-up ${formatMs(router.startup.importAndCreateMs)} ms`,
    single && `${formatRatio(ratios.startupRouterOverSingle?.median)} ${single.label}'s`,
    ratios.startupRouterOverOurs &&
      `${formatRatio(ratios.startupRouterOverOurs.median)} ours (${router.singleConnectors.connectors} connectors)`,
    ratios.startupRouterOverSlowestOfficial &&
      `${formatRatio(ratios.startupRouterOverSlowestOfficial.median)} the slowest official (${router.singleConnectors.slowestOfficial.label})`,
    `lib/index.js ${formatKb(router.footprint.lib.bytes)} KB`,
    `${router.footprint.runtimePackages.added.length} runtime package(s) new to Logto`,
  ];
  if (router.networkRan && !router.failed && single) {
    parts.push(
      `routed send ÷ ${single.label} ${formatRatio(ratios.c1.routerOverSingle?.median)} (c1) · ${formatRatio(ratios.c32.routerOverSingle?.median)} (c32) in sends/s`,
      `CPU ${formatMicros(router.cpuMicrosPerCall)} µs/send (${Number.isFinite(ratios.cpuRouterMinusSingleMicros) ? `${ratios.cpuRouterMinusSingleMicros >= 0 ? '+' : '−'}${formatMicros(Math.abs(ratios.cpuRouterMinusSingleMicros))}` : '–'} µs)`,
      `memory ${router.memory?.flat ? 'flat' : router.memory?.error ? 'not measured' : 'NOT flat'}`
    );
  }
  return `${router.label}: ${parts.filter(Boolean).join('; ')}`;
};

/**
 * Everything the run prints on stdout: header, transport, the tables as text, problems, what was not
 * covered, then the Markdown block to paste into the root README's "Performance" section.
 */
export const terminalReport = ({ header, results, tables }) => {
  const { transport, pairs, router, notCovered, markdown } = results;
  const parts = [`\n${header}\n${transport}\n`];
  for (const { title, headers, rows } of tables) parts.push(`\n${title}\n${renderText(headers, rows)}\n`);
  const routerLine = routerSummaryLine(router);
  if (routerLine) parts.push(`\n${routerLine}\n`);
  const problems = [...problemsOf(pairs), ...routerProblemsOf(router)];
  if (problems.length) parts.push(`\nProblems\n${problems.map((line) => `  - ${line}`).join('\n')}\n`);
  if (notCovered.length)
    parts.push(`\nNot covered: ${notCovered.map(({ folder, reason }) => `${folder} (${reason})`).join('; ')}\n`);
  parts.push(
    `\n── Markdown for the README "Performance" section ──\n\n_${header}. ${transport}. Reproduce with \`npx --yes pnpm@10 bench\`; method in bench/README.md._\n\n${markdown}\n\n── end ──\n`
  );
  return parts.join('');
};
