/**
 * Turns the raw body of an exec start into an object-mode Readable of
 * {@link OutputChunk}s: demultiplexed, decoded as UTF-8 per stream with a
 * streaming decoder (a character split across frames or writes comes out whole),
 * and with backpressure: when the consumer stops reading, the body (and with it
 * undici's socket, and the engine, and the process's pipe) is paused.
 *
 * If the consumer destroys the Readable, or `stop()` is called (on kill), the
 * rest of the body is read and dropped, so `ended` still tells when the engine
 * closed the stream (i.e. the process is done). That matters beyond memory: the
 * engine processes a container's exit events one at a time, and the handler of
 * an exec's exit waits until that exec's output has been written out, so an
 * exited process whose output nobody reads stalls every other exec in its
 * container (Docker 20.10; seen here as `docker exec` hanging). The kill exec
 * would wait behind it too. And after 2 s the engine gives up on the unread
 * rest and closes the stream: output still buffered in the engine (≲ 1 MiB per
 * stream) is lost. Our buffer (below) absorbs that much when the consumer is
 * keeping up; a consumer that stalls while the process exits loses the tail.
 */
import { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { createDemuxer, type FrameStream } from './demux.js';
import type { OutputChunk } from './types.js';

/** Object-mode buffer of the Readable: chunks are at most a socket read (≤ 64 KiB) each. */
const HIGH_WATER_MARK = 16;

export interface ExecOutput {
  output: Readable;
  /** Delivers what is already buffered, then ends `output`; everything after is drained and dropped. */
  stop(): void;
  /** Resolves when the engine closed the stream and every chunk was pushed; rejects on a broken stream. Never unhandled. */
  ended: Promise<void>;
}

export function outputFrom(body: Readable, onBytes?: (n: number) => void): ExecOutput {
  const decoders: Record<FrameStream, StringDecoder> = { stdout: new StringDecoder('utf8'), stderr: new StringDecoder('utf8') };
  let dropped = false;
  let finished = false;
  let outputEnded = false;

  const output = new Readable({
    objectMode: true,
    highWaterMark: HIGH_WATER_MARK,
    read() {
      body.resume();
    },
    destroy(err, callback) {
      stop();
      callback(err);
    },
  });

  function endOutput(): void {
    if (outputEnded) return;
    outputEnded = true;
    if (!output.destroyed) output.push(null);
  }
  function stop(): void {
    if (!dropped) {
      // Flush first so a character held back by the decoders is not lost.
      push({ stream: 'stdout', text: decoders.stdout.end() });
      push({ stream: 'stderr', text: decoders.stderr.end() });
    }
    dropped = true;
    endOutput();
    body.resume(); // drain and drop the rest: see the file comment
  }

  const push = (chunk: OutputChunk): void => {
    if (dropped || outputEnded || !chunk.text) return;
    if (!output.push(chunk)) body.pause();
  };
  const demuxer = createDemuxer((stream, payload) => {
    onBytes?.(payload.length);
    push({ stream, text: decoders[stream].write(payload) });
  });

  const ended = new Promise<void>((resolve, reject) => {
    const finish = (err?: unknown): void => {
      if (finished) return;
      finished = true;
      // A dangling partial character becomes U+FFFD, as Node's own decoding would.
      push({ stream: 'stdout', text: decoders.stdout.end() });
      push({ stream: 'stderr', text: decoders.stderr.end() });
      endOutput();
      if (err === undefined) resolve();
      else reject(err instanceof Error ? err : new Error(String(err)));
    };
    body.on('data', (chunk: Buffer) => {
      if (finished) return;
      try {
        demuxer.feed(chunk);
      } catch (err) {
        body.destroy();
        finish(err);
      }
    });
    body.on('end', () => finish());
    body.on('error', (err) => finish(err));
    // A close without end or error (destroyed under us) is a broken stream too.
    body.on('close', () => finish(new Error('the stream from the engine closed early')));
  });
  ended.catch(() => {});
  return { output, stop, ended };
}

/** Reads a whole output into two strings (for short, bounded outputs like the kill script's). */
export async function collect(output: Readable): Promise<{ stdout: string; stderr: string }> {
  const parts = { stdout: [] as string[], stderr: [] as string[] };
  for await (const chunk of output as AsyncIterable<OutputChunk>) parts[chunk.stream].push(chunk.text);
  return { stdout: parts.stdout.join(''), stderr: parts.stderr.join('') };
}
