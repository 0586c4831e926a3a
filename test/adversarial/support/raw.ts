// Raw HTTP/1.1 over node:net, for requests no HTTP client would send as they
// are written (fetch and node:http normalise targets, refuse CR/LF in headers,
// and add their own Host and framing).
import { connect, type Socket } from 'node:net';

export interface RawAnswer {
  /** The status of the first response, 0 when none came. */
  status: number;
  /** Lower-cased header names of the first response. */
  headers: Record<string, string>;
  /** Everything after the first response's header block. */
  body: string;
  /** Every byte received, as latin1. */
  raw: string;
  /** Whether the gateway closed the connection before `waitMs` passed. */
  closedByPeer: boolean;
}

/** Opens a TCP connection to the gateway on loopback. */
export function openRaw(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => resolve(socket));
    socket.once('error', reject);
  });
}

/**
 * Writes `text` as it is and collects what comes back until the peer closes,
 * a whole response has arrived (with `Connection: close` in the request, the
 * close comes right after), or `waitMs` pass.
 */
export async function rawRequest(port: number, text: string | Buffer, waitMs = 2_000): Promise<RawAnswer> {
  const socket = await openRaw(port);
  socket.on('error', () => undefined);
  const chunks: Buffer[] = [];
  let closedByPeer = false;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, waitMs);
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('close', () => {
      closedByPeer = true;
      clearTimeout(timer);
      resolve();
    });
    socket.write(text);
  });
  socket.destroy();
  return parse(Buffer.concat(chunks).toString('latin1'), closedByPeer);
}

function parse(raw: string, closedByPeer: boolean): RawAnswer {
  const end = raw.indexOf('\r\n\r\n');
  const head = end === -1 ? raw : raw.slice(0, end);
  const [statusLine = '', ...lines] = head.split('\r\n');
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1] ?? 0);
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const i = line.indexOf(':');
    if (i > 0) headers[line.slice(0, i).toLowerCase()] = line.slice(i + 1).trim();
  }
  return { status, headers, body: end === -1 ? '' : raw.slice(end + 4), raw, closedByPeer };
}

/** A request head with CRLF line ends; `Connection: close` so the answer ends with the connection. */
export function head(requestLine: string, headers: Array<string>): string {
  return `${requestLine}\r\n${[...headers, 'Connection: close'].join('\r\n')}\r\n\r\n`;
}
