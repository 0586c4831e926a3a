/**
 * Exec: run to completion and collect stdout and stderr separately, bounded by
 * `maxOutputBytes` (over it, the process is killed and the call fails with
 * `output-too-large` rather than growing the gateway's memory).
 *
 * With `req.signal` aborted (its caller went away), the process is ended too.
 *
 * A binary that cannot start is a result, not an error, exactly as `docker exec`
 * reports it: exit code 126/127 (whatever the engine says) with runc's message
 * in stderr (the engine writes it on the stdout stream; the CLI prints it on
 * stderr, so do we).
 */
import type { ExecResult } from '../../protocol.js';
import { abandoned, engineLost, isStartFailureMessage, orExecGone, outputTooLarge } from './errors.js';
import { MARKER_VAR, newMarker } from './kill.js';
import { ExecProcess } from './process.js';
import { createExec, hasExited, inspectExec, pollExec, startExec, startFailed, validate } from './session.js';
import type { SpawnContext } from './spawn.js';
import type { OutputChunk, RunRequest } from './types.js';

export async function execToEnd(ctx: SpawnContext & { maxOutputBytes: number }, req: RunRequest): Promise<ExecResult> {
  validate(req);
  const { http, maxOutputBytes } = ctx;
  const marker = newMarker();
  const id = await createExec(http, req, [`${MARKER_VAR}=${marker}`]);
  let bytes = 0;
  const { output, ended, stop } = await startExec(http, id, req.container, (n) => (bytes += n));
  /** Ends the process inside the container (and drops the rest of its output). */
  const kill = async (): Promise<void> => {
    output.destroy(); // drop the rest: the engine must be able to finish writing (see output.ts)
    const { pid } = await inspectExec(http, id);
    const proc = new ExecProcess({ ...ctx, id, container: req.container, cmd: req.argv.join(' '), marker, output, stopOutput: stop, ended, pid });
    await proc.kill();
  };
  // Whoever asked is gone (the page closed, the gateway is closing): stop collecting, then end the
  // process below rather than let it run on with nobody to see its result (issue 7).
  const abandon = (): void => stop();
  req.signal?.addEventListener('abort', abandon, { once: true });
  if (req.signal?.aborted) abandon();
  const parts = { stdout: [] as string[], stderr: [] as string[] };
  try {
    for await (const chunk of output as AsyncIterable<OutputChunk>) {
      parts[chunk.stream].push(chunk.text);
      if (bytes > maxOutputBytes) {
        await kill();
        throw outputTooLarge(req.container, req.argv, maxOutputBytes);
      }
    }
  } finally {
    req.signal?.removeEventListener('abort', abandon);
  }
  if (req.signal?.aborted) {
    await kill();
    throw abandoned(req.container, req.argv);
  }
  try {
    await ended;
  } catch (err) {
    throw engineLost(http.host, `running ${JSON.stringify(req.argv.join(' '))} in "${req.container}"`, err);
  }
  const state = await pollExec(http, id, hasExited).catch(orExecGone(http.host, req.container, req.argv.join(' ')));
  let stdout = parts.stdout.join('');
  let stderr = parts.stderr.join('');
  if (startFailed(state) && isStartFailureMessage(stdout)) {
    stderr = stdout + stderr;
    stdout = '';
  }
  return { cmd: req.argv.join(' '), code: state.exitCode, signal: null, killed: false, stdout, stderr };
}
