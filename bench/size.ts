/**
 * 1. Script size: dist/ddclient-shim.js, minified and gzip -9, with a
 * breakdown by where its bytes come from. A CI check: over budget fails the run.
 *
 * Method. The total is the built artifact itself. The breakdown needs no
 * second build: the real build writes esbuild's metafile next to the script
 * (build.mjs), whose `bytesInOutput` says how many minified bytes each input
 * put in it; the script's source map says *which* bytes, so each group's bytes
 * are cut out of the minified file, concatenated in output order, and gzipped
 * on their own. Compression shares context across groups, so the standalone
 * gzip figures add up to a little more than the whole; the "share" column
 * scales them to the real total. The budget check on our own code uses its
 * standalone gzip, the stricter of the two.
 *
 * Two parts are files of their own, which the script imports the first time
 * a page needs them (issue 8, src/shim/chunk.ts): the in-page UI (toasts, the
 * open dialog, navigation notices), dist/ddclient-shim-ui.js, and the spawn
 * code (the SSE stream and its parser), dist/ddclient-shim-spawn.js. They are
 * not in every page, so each is reported on its own (1f, 1g), and counted in
 * neither the total nor our own code.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import type { Section } from './lib/report.js';
import { fmtBytes, fmtRatio } from './lib/stats.js';

const SCRIPT = 'dist/ddclient-shim.js';
const META = 'dist/ddclient-shim.meta.json';
/** The files the script loads on first use: row, file, what is in it. */
const CHUNKS = [
  { id: '1f', file: 'dist/ddclient-shim-ui.js', what: 'in-page UI', use: 'toasts, the open dialog, navigation notices', when: "a page's first use of one" },
  { id: '1g', file: 'dist/ddclient-shim-spawn.js', what: 'spawn code', use: 'the spawn stream, its SSE reader and eventsource-parser', when: "a page's first streamed exec or spawn" },
] as const;
/** Issue 8's budget, enforced in CI. */
export const BUDGET = { total: 30 * 1024, own: 5 * 1024 };

const GROUPS = ['our own code', 'theme globals', 'axios', 'eventsource-parser', 'other dependencies', 'bundler glue'] as const;
type Group = (typeof GROUPS)[number];

/** Which group an input (path relative to the repo) belongs to. */
function groupOf(path: string): Group {
  if (path === 'src/shim/themes.ts') return 'theme globals';
  if (path.startsWith('src/')) return 'our own code';
  if (path.startsWith('node_modules/axios/')) return 'axios';
  if (path.startsWith('node_modules/eventsource-parser/')) return 'eventsource-parser';
  return path.startsWith('node_modules/') ? 'other dependencies' : 'bundler glue';
}

/** gzip -9 of `data` by the gzip program when there is one (what the budget means), else zlib at level 9. */
function gzip9(data: string | Buffer): number {
  try {
    return execFileSync('gzip', ['-9', '-n', '-c'], { input: data, maxBuffer: 64 * 1024 * 1024 }).length;
  } catch {
    return gzipSync(data, { level: 9 }).length;
  }
}

/** A built file less its `sourceMappingURL` line: the bytes measured are the code's. */
const withoutMapLine = (code: string): string => code.replace(/\n\/\/# sourceMappingURL=.*\n?$/, '');

export function measureSize(): Section & { overBudget: boolean } {
  const missing = [SCRIPT, META, ...CHUNKS.map((c) => c.file)].filter((f) => !existsSync(f));
  if (missing.length) throw new Error(`${missing.join(', ')} missing: run \`npm run build\` first`);
  const code = withoutMapLine(readFileSync(SCRIPT, 'utf8'));
  const map = JSON.parse(readFileSync(`${SCRIPT}.map`, 'utf8')) as { sources: string[]; mappings: string };
  const meta = JSON.parse(readFileSync(META, 'utf8')) as { outputs: Record<string, { inputs: Record<string, { bytesInOutput: number }> }> };
  const output = meta.outputs[SCRIPT] ?? Object.values(meta.outputs).find((o) => Object.keys(o.inputs).length > 0);
  if (output === undefined) throw new Error(`${META} has no output for ${SCRIPT}`);

  const minified: Record<Group, number> = Object.fromEntries(GROUPS.map((g) => [g, 0])) as Record<Group, number>;
  for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) minified[groupOf(input)] += bytesInOutput;
  minified['bundler glue'] += Buffer.byteLength(code) - Object.values(minified).reduce((a, b) => a + b, 0);

  const texts = sliceBySource(code, map);
  const gz: Record<Group, number> = Object.fromEntries(GROUPS.map((g) => [g, texts[g] ? gzip9(texts[g]) : 0])) as Record<Group, number>;
  const total = { min: Buffer.byteLength(code), gz: gzip9(code) };
  const gzSum = GROUPS.reduce((a, g) => a + gz[g], 0);
  const share = (g: Group) => (total.gz * gz[g]) / gzSum;

  const own = gz['our own code'];
  const chunks = CHUNKS.map((c) => ({ ...c, code: withoutMapLine(readFileSync(c.file, 'utf8')) }));
  // Both budgets are CI checks (issue 8): the total, what every page pays, and our own code.
  const overBudget = total.gz > BUDGET.total || own > BUDGET.own;
  const row = (id: string, figure: string, bytes: number, budget?: number) => ({
    id,
    figure,
    value: fmtBytes(bytes),
    baseline: budget === undefined ? `of ${fmtBytes(total.gz)}` : `budget ${fmtBytes(budget)}`,
    ratio: fmtRatio(budget === undefined ? bytes / total.gz : bytes / budget),
    target: budget === undefined ? '–' : `≤ ${fmtBytes(budget)}`,
    met: budget === undefined ? undefined : bytes <= budget,
  });

  const breakdown = [
    '| part | minified (metafile) | gzip -9 alone | share of the gzip total |',
    '| --- | --- | --- | --- |',
    ...GROUPS.filter((g) => minified[g] > 0 || gz[g] > 0).map((g) => `| ${g} | ${fmtBytes(minified[g])} | ${fmtBytes(gz[g])} | ${fmtBytes(share(g))} (${((100 * gz[g]) / gzSum).toFixed(0)} %) |`),
    `| **${SCRIPT}** | **${fmtBytes(total.min)}** | **${fmtBytes(total.gz)}** | |`,
  ].join('\n');
  const ownFiles = Object.entries(output.inputs)
    .filter(([input]) => groupOf(input) === 'our own code')
    .sort((a, b) => b[1].bytesInOutput - a[1].bytesInOutput);
  const notes = [
    `Our own code, minified, by file: ${ownFiles.map(([input, { bytesInOutput }]) => `${input.replace(/^src\//, '')} ${fmtBytes(bytesInOutput)}`).join(', ')}.`,
    ...(minified['theme globals'] === 0 ? ['The theme globals (src/shim/themes.ts) are not in the script-tag bundle in this build.'] : []),
    'The script-tag build stubs out axios\'s fetch adapter (build.mjs): XHR serves every page a script tag runs in.',
    ...chunks.map((c) => `The ${c.what} (${c.use}) is ${c.file}, ${fmtBytes(Buffer.byteLength(c.code))} minified, loaded on ${c.when}: ${c.id}, in neither 1a nor 1b.`),
  ];
  return {
    name: '1. Script size',
    rows: [
      row('1a', 'script, gzip -9', total.gz, BUDGET.total),
      row('1b', 'our own code, gzip -9 alone', own, BUDGET.own),
      row('1c', 'axios, gzip -9 alone', gz.axios),
      row('1d', 'eventsource-parser, gzip -9 alone', gz['eventsource-parser']),
      row('1e', 'theme globals, gzip -9 alone', gz['theme globals']),
      ...chunks.map((c) => ({ ...row(c.id, `${c.what}, on first use, gzip -9`, gzip9(c.code)), baseline: 'not in 1a', ratio: '–' })),
    ],
    notes,
    details: breakdown,
    overBudget,
  };
}

/** The minified text of each group, cut out by the source map's segments (generated ranges → source files). */
function sliceBySource(code: string, map: { sources: string[]; mappings: string }): Partial<Record<Group, string>> {
  const groups = map.sources.map((s) => groupOf(s.replace(/^(\.\.\/)+/, '')));
  const lines = code.split('\n');
  const parts: Partial<Record<Group, string[]>> = {};
  const add = (g: Group, text: string) => (parts[g] ??= []).push(text);
  let source = 0;
  map.mappings.split(';').forEach((lineMappings, lineNo) => {
    const line = lines[lineNo] ?? '';
    let col = 0;
    let prev: { col: number; group: Group } = { col: 0, group: 'bundler glue' };
    for (const segment of lineMappings ? lineMappings.split(',') : []) {
      const fields = decodeVlq(segment);
      col += fields[0] ?? 0;
      add(prev.group, line.slice(prev.col, col));
      if (fields.length >= 4) source += fields[1]!;
      prev = { col, group: fields.length >= 4 ? (groups[source] ?? 'bundler glue') : 'bundler glue' };
    }
    add(prev.group, `${line.slice(prev.col)}${lineNo < lines.length - 1 ? '\n' : ''}`);
  });
  return Object.fromEntries(Object.entries(parts).map(([g, p]) => [g, p.join('')]));
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** One source-map segment: base64 VLQ fields, each relative to the previous segment's. */
function decodeVlq(segment: string): number[] {
  const out: number[] = [];
  let value = 0;
  let shift = 0;
  for (const ch of segment) {
    const digit = BASE64.indexOf(ch);
    value += (digit & 31) << shift;
    if (digit & 32) shift += 5;
    else {
      out.push(value & 1 ? -(value >>> 1) : value >>> 1);
      value = 0;
      shift = 0;
    }
  }
  return out;
}
