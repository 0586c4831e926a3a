import { join } from 'node:path';
import { tmpdir } from 'node:os';
import type { EngineOptions } from '../../src/gateway/engine/index.js';

/** Engine options for a machine without Docker: a socket that does not exist, so every call answers `engine-unreachable`. */
export const NO_ENGINE: EngineOptions = { host: `unix://${join(tmpdir(), 'ddshim-no-engine', 'docker.sock')}` };
