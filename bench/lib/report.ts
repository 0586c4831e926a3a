/** The benchmark table: one row per figure, printed to the terminal and written to docs/benchmarks.md. */

export interface Row {
  /** Which benchmark (1–6) and which figure of it, e.g. `2a`. */
  id: string;
  figure: string;
  value: string;
  baseline: string;
  ratio: string;
  target: string;
  /** undefined: informational, no target (or not judged in a quick run). */
  met: boolean | undefined;
}

/** What one benchmark hands back: its rows, and the prose docs/benchmarks.md says about its limits. */
export interface Section {
  name: string;
  rows: Row[];
  /** Measured facts worth keeping next to the table (one line each). */
  notes: string[];
  /** A markdown block shown under the table (a breakdown, a timeline). */
  details?: string;
  /** Set when the benchmark could not run (no Docker engine, …): the reason. */
  skipped?: string;
}

const COLUMNS = ['#', 'figure', 'value', 'baseline', 'ratio', 'target', 'met?'] as const;

const cells = (r: Row): string[] => [r.id, r.figure, r.value, r.baseline, r.ratio, r.target, r.met === undefined ? '–' : r.met ? 'yes' : 'NO'];

export function textTable(rows: readonly Row[]): string {
  const all = [[...COLUMNS], ...rows.map(cells)];
  const widths = COLUMNS.map((_, i) => Math.max(...all.map((r) => r[i]!.length)));
  const line = (r: readonly string[]) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(all[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...all.slice(1).map(line)].join('\n');
}

export function markdownTable(rows: readonly Row[]): string {
  const esc = (c: string) => c.replace(/\|/g, '\\|');
  return [
    `| ${COLUMNS.join(' | ')} |`,
    `| ${COLUMNS.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${cells(r).map(esc).join(' | ')} |`),
  ].join('\n');
}
