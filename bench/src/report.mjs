// Summaries, verdicts and tables (plain text for the terminal, Markdown for the README).

export const median = (values) => {
  const sorted = values.filter((value) => Number.isFinite(value)).sort((left, right) => left - right);
  if (sorted.length === 0) return undefined;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

/** (max − min) / median of the rounds: how much a figure moved from one round to the next. */
export const spread = (values) => {
  const finite = values.filter((value) => Number.isFinite(value));
  const middle = median(finite);
  if (!middle || finite.length < 2) return 0;
  return (Math.max(...finite) - Math.min(...finite)) / middle;
};

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

/**
 * `at least as fast`: met when ours ≥ theirs; within noise when ours is behind by less than the
 * round-to-round spread of either side (the difference is not measurable on this machine).
 */
export const atLeast = (ours, theirs, noise = 0, factor = 1) => {
  if (!Number.isFinite(ours) || !Number.isFinite(theirs)) return 'n/a';
  if (ours >= theirs * factor) return 'met';
  return ours >= theirs * factor * (1 - noise) ? 'noise' : 'missed';
};

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
