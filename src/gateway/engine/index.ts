/** A Docker Engine API client for exec and spawn in containers (issue 3). Re-exports only. */
export { createEngine, DEFAULT_KILL_GRACE_MS, DEFAULT_MAX_OUTPUT_BYTES } from './engine.js';
export { DEFAULT_DOCKER_HOST, parseDockerHost, resolveDockerHost } from './host.js';
export type { EngineTarget } from './host.js';
export { createDemuxer } from './demux.js';
export type { Demuxer, FrameStream } from './demux.js';
export type { Engine, EngineOptions, ExitStatus, OutputChunk, RunRequest, RunningProcess } from './types.js';
