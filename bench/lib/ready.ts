/** What a bench child prints once it listens: `READY {"url": …}` (bench/lib/child.ts). */
export const READY = 'READY ';
