/**
 * Demultiplexer for the Docker Engine's attach/exec stream when `Tty` is false
 * (Engine API, "Stream format"): frames of an 8-byte header — stream type
 * (0 stdin, 1 stdout, 2 stderr, 3 system error), three zero bytes, payload
 * length as uint32 big-endian — followed by the payload.
 *
 * TCP delivers the stream at arbitrary boundaries: a header may be split across
 * chunks and a payload may span many. Payload bytes are handed on as they
 * arrive, never buffered up to a whole frame, so memory stays bounded by the
 * chunk size whatever frame size the engine picks.
 */

export type FrameStream = 'stdout' | 'stderr';

export interface Demuxer {
  /** Feeds the next chunk of the raw stream; calls `onPayload` zero or more times. Throws on a malformed header. */
  feed(chunk: Uint8Array): void;
  /** Bytes still expected for the current frame (header or payload); non-zero at end means a truncated stream. */
  readonly pending: number;
}

const HEADER = 8;

export function createDemuxer(onPayload: (stream: FrameStream, payload: Buffer) => void): Demuxer {
  const header = Buffer.alloc(HEADER);
  let headerFill = 0;
  let remaining = 0; // payload bytes left in the current frame
  let stream: FrameStream = 'stdout';

  function feed(chunk: Uint8Array): void {
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    let at = 0;
    while (at < buf.length) {
      if (remaining === 0) {
        const take = Math.min(HEADER - headerFill, buf.length - at);
        buf.copy(header, headerFill, at, at + take);
        headerFill += take;
        at += take;
        if (headerFill < HEADER) return;
        headerFill = 0;
        stream = streamOf(header);
        remaining = header.readUInt32BE(4);
        continue; // a zero-length frame is legal: just read the next header
      }
      const take = Math.min(remaining, buf.length - at);
      remaining -= take;
      onPayload(stream, buf.subarray(at, at + take));
      at += take;
    }
  }

  return {
    feed,
    get pending() {
      return remaining > 0 ? remaining : headerFill > 0 ? HEADER - headerFill : 0;
    },
  };
}

function streamOf(header: Buffer): FrameStream {
  const type = header[0];
  if (header[1] !== 0 || header[2] !== 0 || header[3] !== 0 || type === undefined || type > 3) {
    // Most likely a TTY (raw, unframed) stream: we never ask for one.
    throw new Error(`not a multiplexed Docker stream (frame header ${header.toString('hex')})`);
  }
  // stdin (0) is documented to be written on stdout; system errors (3) belong with stderr.
  return type === 2 || type === 3 ? 'stderr' : 'stdout';
}
