import { writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable, Transform } from 'node:stream';
import { GATEWAY_ERROR_HEADER, type ExecRequest, type ExecResult, type Fixture, type FixtureCall, type GatewayErrorCode } from '../protocol.js';
import type { OutputChunk, RunningProcess } from './engine/index.js';
import { toGatewayError } from './errors.js';
import { limitBody } from './respond.js';

/** Bodies larger than this are not kept whole in a fixture; it says so in their place. */
export const MAX_RECORDED_BODY = 1024 * 1024;
/** Calls kept in one fixture; later ones are counted, not kept. */
export const MAX_RECORDED_CALLS = 10_000;

export type Recorder = ReturnType<typeof createRecorder>;

/**
 * `gateway --record <file>` (issue 6): every service call, exec, spawn (with
 * the timing of its output) and engine read, in order, as the readable JSON of
 * protocol's `Fixture` that `install({replay})` answers from. The file is
 * rewritten (debounced) as calls end, so it is whole whenever the gateway stops.
 */
export function createRecorder(file: string, log: (line: string) => void) {
  const calls: FixtureCall[] = [];
  let dropped = 0;
  let timer: NodeJS.Timeout | undefined;
  const flush = () => {
    clearTimeout(timer);
    timer = undefined;
    const fixture: Fixture = { version: 1, calls };
    writeFileSync(file, `${JSON.stringify(fixture, null, 2)}\n`);
  };
  const add = (call: FixtureCall) => {
    if (calls.length >= MAX_RECORDED_CALLS) {
      if (dropped++ === 0) log(`--record: ${file} holds ${MAX_RECORDED_CALLS} calls, its limit; later calls are not recorded`);
      return;
    }
    calls.push(call);
    timer ??= setTimeout(flush, 100);
  };
  const errorOf = (err: unknown) => {
    const e = toGatewayError(err);
    return { code: e.code, message: e.message, status: e.status };
  };

  return {
    file,

    /**
     * Records a service call. The request body is read first (within `maxBody`) so it can be both
     * kept and forwarded: `forward` gets a stand-in request that replays it.
     */
    async service(req: IncomingMessage, res: ServerResponse, url: string, maxBody: number, forward: (req: IncomingMessage) => Promise<void>): Promise<void> {
      const chunks: Buffer[] = [];
      for await (const chunk of limitBody(req, maxBody)) chunks.push(chunk);
      const body = Buffer.concat(chunks);
      const standIn = Object.assign(Readable.from(body.length ? [body] : []), { headers: req.headers, rawHeaders: req.rawHeaders, method: req.method, url: req.url }) as unknown as IncomingMessage;
      const response = tap(res);
      res.once('finish', () => {
        const gatewayError = res.getHeader(GATEWAY_ERROR_HEADER) as GatewayErrorCode | undefined;
        add({
          kind: 'service',
          method: req.method ?? 'GET',
          url,
          ...(body.length ? { body: body.toString('utf8') } : {}),
          status: res.statusCode,
          // A success as the page receives it; a failure as its raw text, the ServiceError message (§2.1).
          response: gatewayError ? (JSON.parse(response()) as { error: { message: string } }).error.message : res.statusCode < 300 ? parse(response()) : response(),
          ...(gatewayError ? { gatewayError } : {}),
        });
      });
      await forward(standIn);
    },

    async exec(request: ExecRequest, run: () => Promise<ExecResult>): Promise<ExecResult> {
      try {
        const result = await run();
        add({ kind: 'exec', request, result });
        return result;
      } catch (err) {
        add({ kind: 'exec', request, error: errorOf(err) });
        throw err;
      }
    },

    /** Records a spawn's output with its timing, passing it through untouched (backpressure included). */
    async spawn(request: ExecRequest, start: () => Promise<RunningProcess>): Promise<RunningProcess> {
      const t0 = Date.now();
      const call: Extract<FixtureCall, { kind: 'spawn' }> = { kind: 'spawn', request, output: [] };
      let proc: RunningProcess;
      try {
        proc = await start();
      } catch (err) {
        add({ ...call, error: errorOf(err) });
        throw err;
      }
      let size = 0;
      const output = proc.output.pipe(
        new Transform({
          objectMode: true,
          transform(chunk: OutputChunk, _, done) {
            size += chunk.text.length;
            if (size <= MAX_RECORDED_BODY) call.output.push({ at: Date.now() - t0, [chunk.stream]: chunk.text });
            done(null, chunk);
          },
        }),
      );
      proc.exited.then(
        ({ code, signal }) => add({ ...call, exit: { at: Date.now() - t0, code, signal } }),
        (err: unknown) => add({ ...call, error: errorOf(err) }),
      );
      return { output, exited: proc.exited, kill: () => proc.kill() };
    },

    docker(path: string, status: number, response: unknown): void {
      add({ kind: 'docker', path, status, response });
    },

    close: flush,
  };
}

/** Collects what is written to a response, up to MAX_RECORDED_BODY, without changing what is sent. */
function tap(res: ServerResponse): () => string {
  const chunks: Buffer[] = [];
  let size = 0;
  const keep = (chunk: unknown) => {
    if (chunk === undefined || chunk === null || typeof chunk === 'function') return;
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string);
    size += buf.length;
    if (size <= MAX_RECORDED_BODY) chunks.push(buf);
  };
  const write = res.write.bind(res) as (...args: unknown[]) => boolean;
  const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
  res.write = ((chunk: unknown, ...rest: unknown[]) => (keep(chunk), write(chunk, ...rest))) as typeof res.write;
  res.end = ((chunk: unknown, ...rest: unknown[]) => (keep(chunk), end(chunk, ...rest))) as typeof res.end;
  return () => (size > MAX_RECORDED_BODY ? `<not recorded: ${size} bytes, over ${MAX_RECORDED_BODY}>` : Buffer.concat(chunks).toString('utf8'));
}

function parse(text: string): unknown {
  try {
    return text === '' ? '' : JSON.parse(text);
  } catch {
    return text;
  }
}
