/**
 * Reads the Server-Sent Events of `GET spawn/<id>/events` (DESIGN.md, wire
 * protocol) with `fetch`, not `EventSource`: EventSource cannot send the
 * client/token headers and reconnects on its own, and a spawn must never be
 * retried (it would run the command twice).
 */
import { createParser } from 'eventsource-parser';

/**
 * Most characters one event (or one unterminated line) may buffer. The gateway
 * sends output in bounded chunks, so only a broken stream reaches it.
 * @defaultValue 16 MiB (16777216 UTF-16 units)
 */
export const MAX_EVENT_CHARS = 1 << 24;

/**
 * Reads `response.body` as an SSE stream and calls `onEvent(name, data)` for
 * each event, in order, as soon as it is complete (`data` is the raw field
 * text; an event with no `event:` field is named `message`, as the SSE spec
 * says). Comments such as the `: ping` heartbeats are skipped. Bytes are
 * decoded in stream mode, so a character split across network chunks comes out
 * whole (DDCLIENT-SEMANTICS 2.3).
 *
 * Resolves when the stream ends (at once when there is no body). Rejects when a
 * read fails, when an event exceeds {@link MAX_EVENT_CHARS}, or with what
 * `onEvent` throws; the body is then cancelled. If `signal` aborts, the body is
 * cancelled (closing the connection), no further event is delivered, and the
 * promise resolves. Never retries.
 */
export async function readEvents(
  response: Response,
  onEvent: (name: string, data: string) => void,
  signal?: AbortSignal,
): Promise<void> {
  const reader = response.body?.getReader();
  if (!reader) return;
  const parser = createParser({
    maxBufferSize: MAX_EVENT_CHARS,
    onEvent: (e) => signal?.aborted || onEvent(e.event ?? 'message', e.data),
    onError: (e) => {
      // Unknown fields are ignored, as the SSE spec says; only the bound is fatal.
      if (e.type === 'max-buffer-size-exceeded') throw e;
    },
  });
  const decoder = new TextDecoder();
  const stop = (): void => void reader.cancel().catch(() => {});
  signal?.addEventListener('abort', stop);
  try {
    if (signal?.aborted) return stop();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      parser.feed(decoder.decode(value, { stream: true }));
    }
    parser.feed(decoder.decode());
  } catch (err) {
    stop();
    // A fetch aborted by the same signal errors its body: that is the quiet case.
    if (!signal?.aborted) throw err;
  } finally {
    signal?.removeEventListener('abort', stop);
  }
}
