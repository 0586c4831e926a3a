import { createRequire } from 'node:module';

/** This package's version, read once from package.json (works from src/ under vitest and from dist/). */
export const VERSION: string = (() => {
  const require = createRequire(import.meta.url);
  for (const path of ['../package.json', '../../package.json']) {
    try {
      const pkg = require(path) as { name?: string; version?: string };
      if (pkg.name === 'ddclient-shim' && pkg.version) return pkg.version;
    } catch {
      // not at this depth: try the next
    }
  }
  return '0.0.0';
})();
