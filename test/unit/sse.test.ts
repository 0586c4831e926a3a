// @vitest-environment node
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, test } from 'vitest';
import { readEvents } from '../../src/shim/sse.js';

type Handler = (req: IncomingMessage, res: ServerResponse) => unknown;

const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((resolve) => s.close(resolve));
  }
});

/** A real HTTP server on 127.0.0.1 with an ephemeral port; returns its URL. */
async function serve(handler: Handler): Promise<string> {
  const server = createServer((req, res) => {
    req.socket.setNoDelay(true); // every write its own packet, so chunk boundaries are real
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache, no-transform' });
    res.flushHeaders();
    void handler(req, res);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/events`;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const sse = (name: string, data: unknown) => `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;
const write = (res: ServerResponse, data: string | Buffer) => new Promise((resolve) => res.write(data, resolve));

/** Resolves when the server sees the client's connection close. */
function closed(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const socket = res.socket;
    if (!socket || socket.destroyed) resolve();
    else socket.once('close', () => resolve());
  });
}

/** The same response, its body passed through a counter of the chunks the client received. */
function countChunks(response: Response, chunks: Uint8Array[]): Response {
  const counter = new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      chunks.push(chunk);
      controller.enqueue(chunk);
    },
  });
  return new Response(response.body!.pipeThrough(counter));
}

describe('readEvents', () => {
  test('delivers each event as it arrives, before the server sends the next', async () => {
    let firstSeen!: () => void;
    const first = new Promise<void>((resolve) => (firstSeen = resolve));
    let deliveredBeforeSecondWrite: boolean | undefined;
    const url = await serve(async (_req, res) => {
      await write(res, sse('stdout', 'one\n'));
      deliveredBeforeSecondWrite = await Promise.race([first.then(() => true), sleep(3000).then(() => false)]);
      await sleep(20);
      await write(res, sse('stderr', 'two\r\n'));
      await sleep(20);
      res.end(sse('exit', { code: 0, signal: null }));
    });
    const events: Array<[string, string]> = [];
    await readEvents(await fetch(url), (name, data) => {
      events.push([name, data]);
      if (events.length === 1) firstSeen();
    });
    expect(deliveredBeforeSecondWrite).toBe(true);
    expect(events).toEqual([
      ['stdout', '"one\\n"'],
      ['stderr', '"two\\r\\n"'],
      ['exit', '{"code":0,"signal":null}'],
    ]);
    expect(events.map(([, data]) => JSON.parse(data))).toEqual(['one\n', 'two\r\n', { code: 0, signal: null }]);
  });

  test('a multi-byte character split across two network chunks comes out whole', async () => {
    const bytes = Buffer.from(sse('stdout', 'héllo 😀 日本'));
    const cut = bytes.indexOf(Buffer.from('😀')) + 2; // in the middle of the emoji's four bytes
    const url = await serve(async (_req, res) => {
      await write(res, bytes.subarray(0, cut));
      await sleep(50);
      res.end(bytes.subarray(cut));
    });
    const chunks: Uint8Array[] = [];
    const events: Array<[string, string]> = [];
    await readEvents(countChunks(await fetch(url), chunks), (name, data) => events.push([name, data]));
    expect(chunks.length).toBeGreaterThanOrEqual(2);
    expect(chunks[0]!.length).toBe(cut);
    expect(events).toEqual([['stdout', JSON.stringify('héllo 😀 日本')]]);
  });

  test('the same, one byte per chunk', async () => {
    const text = sse('stdout', 'é😀\u{1F468}\u200D\u{1F469}') + sse('stdout', '日本');
    const bytes = Buffer.from(text);
    const url = await serve(async (_req, res) => {
      for (const byte of bytes) {
        await write(res, Buffer.of(byte));
        await sleep(2);
      }
      res.end();
    });
    const chunks: Uint8Array[] = [];
    const events: string[] = [];
    await readEvents(countChunks(await fetch(url), chunks), (_name, data) => events.push(JSON.parse(data) as string));
    expect(chunks.length).toBeGreaterThan(bytes.length / 2); // most bytes did arrive alone
    expect(events).toEqual(['é😀\u{1F468}\u200D\u{1F469}', '日本']);
  });

  test('comments (the : ping heartbeats) are ignored', async () => {
    const url = await serve(async (_req, res) => {
      await write(res, ': ping\n\n');
      await write(res, `: ping\n\n${sse('stdout', 'a')}: ping\n\n`);
      await sleep(10);
      await write(res, ':\n\n: ping\n\n');
      res.end(sse('exit', { code: 3, signal: null }));
    });
    const events: Array<[string, string]> = [];
    await readEvents(await fetch(url), (name, data) => events.push([name, data]));
    expect(events).toEqual([
      ['stdout', '"a"'],
      ['exit', '{"code":3,"signal":null}'],
    ]);
  });

  test('an event with no name is a "message"; multi-line data is joined with \\n', async () => {
    const url = await serve((_req, res) => res.end('data: x\n\nevent: stdout\ndata: a\ndata: b\n\n'));
    const events: Array<[string, string]> = [];
    await readEvents(await fetch(url), (name, data) => events.push([name, data]));
    expect(events).toEqual([
      ['message', 'x'],
      ['stdout', 'a\nb'],
    ]);
  });

  test('an event cut off by the end of the stream is not delivered', async () => {
    const url = await serve((_req, res) => res.end(`${sse('stdout', 'a')}event: stdout\ndata: "b"\n`));
    const events: string[] = [];
    await readEvents(await fetch(url), (_name, data) => events.push(data));
    expect(events).toEqual(['"a"']);
  });

  test('resolves at once for a response with no body', async () => {
    await expect(readEvents(new Response(null), () => {})).resolves.toBeUndefined();
  });

  describe('abort', () => {
    /** A server that sends one event, then heartbeats until the client goes away. */
    async function endless(): Promise<{ url: string; closed: Promise<void> }> {
      let gone!: (p: Promise<void>) => void;
      const closedP = new Promise<Promise<void>>((resolve) => (gone = resolve));
      const url = await serve(async (_req, res) => {
        gone(closed(res));
        // two events in one write: the second must not be delivered after an abort in the first
        await write(res, sse('stdout', 'first') + sse('stdout', 'second'));
        while (!res.destroyed && res.socket && !res.socket.destroyed) {
          await sleep(20);
          res.write(': ping\n\n');
        }
      });
      return { url, closed: closedP.then((p) => p) };
    }

    test('mid-stream (signal given to fetch too): resolves quietly, the server sees the connection close', async () => {
      const server = await endless();
      const controller = new AbortController();
      const events: string[] = [];
      const response = await fetch(server.url, { signal: controller.signal });
      await expect(
        readEvents(
          response,
          (_name, data) => {
            events.push(data);
            controller.abort();
          },
          controller.signal,
        ),
      ).resolves.toBeUndefined();
      expect(events).toEqual(['"first"']);
      await server.closed;
    });

    test('mid-stream (signal given to readEvents only): it cancels the body itself', async () => {
      const server = await endless();
      const controller = new AbortController();
      const events: string[] = [];
      const reading = readEvents(await fetch(server.url), (_name, data) => events.push(data), controller.signal);
      await sleep(100); // heartbeats flowing, reader waiting on the network
      controller.abort();
      await expect(reading).resolves.toBeUndefined();
      expect(events).toEqual(['"first"', '"second"']);
      await server.closed;
    });

    test('a signal already aborted: resolves, delivers nothing, closes the connection', async () => {
      const server = await endless();
      const events: string[] = [];
      await readEvents(await fetch(server.url), (_name, data) => events.push(data), AbortSignal.abort());
      expect(events).toEqual([]);
      await server.closed;
    });
  });

  describe('failures (never retried)', () => {
    test('a connection that breaks mid-stream rejects', async () => {
      let requests = 0;
      const url = await serve(async (_req, res) => {
        requests++;
        await write(res, sse('stdout', 'a'));
        await sleep(20);
        res.socket?.destroy();
      });
      const events: string[] = [];
      await expect(readEvents(await fetch(url), (_name, data) => events.push(data))).rejects.toThrow();
      expect(events).toEqual(['"a"']);
      await sleep(50);
      expect(requests).toBe(1);
    });

    test('an error thrown by onEvent rejects readEvents and closes the connection', async () => {
      let res!: ServerResponse;
      const url = await serve(async (_req, r) => {
        res = r;
        await write(r, sse('stdout', 'a'));
      });
      const boom = new Error('boom');
      await expect(
        readEvents(await fetch(url), () => {
          throw boom;
        }),
      ).rejects.toBe(boom);
      await closed(res);
    });
  });
});
