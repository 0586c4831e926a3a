/**
 * Ending a process inside a container.
 *
 * The Engine API has no "kill exec", and closing the attach connection leaves
 * the process running in the container (DDCLIENT-SEMANTICS §2.3). So every exec
 * the gateway starts carries a marker in its environment, `DDSHIM_SPAWN=<random
 * id>`, which its children inherit; killing is a second exec in the same
 * container running a small `sh` script that signals every process whose
 * `/proc/<pid>/environ` holds the marker: SIGTERM, then SIGKILL to whatever is
 * left after the grace. This takes the process's children too, which a kill of
 * the one host pid would not.
 *
 * Fallback, for containers without `sh` (distroless, scratch): signal the exec's
 * host pid (`GET /exec/{id}/json` → `Pid`) from the gateway, which works only when
 * the engine is local (unix socket) and its pids are ours to see, and reaches
 * the process alone, not its children.
 */
import { randomBytes } from 'node:crypto';
import type { EngineHttp } from './http.js';
import { runQuiet } from './session.js';

export const MARKER_VAR = 'DDSHIM_SPAWN';

export function newMarker(): string {
  return randomBytes(12).toString('hex');
}

// $1 = grace in 50 ms steps, then the markers (hex ids). The markers are in
// our argv, never our environment, so the script (and its grep) never matches
// itself. One grep over every environ file, not one per process: 50 concurrent
// kills would otherwise fork thousands of greps. `sleep 0.05` is busybox/GNU; a
// sleep without fractions falls back to 1 s steps.
const SCRIPT = `
g=$1; shift
pat=; for m in "$@"; do pat="$pat -e ${MARKER_VAR}=$m"; done
marked() { for f in $(grep -ls $pat /proc/[0-9]*/environ); do f=\${f#/proc/}; echo "\${f%/environ}"; done; }
p=$(marked); [ -z "$p" ] && exit 0
kill -TERM $p 2>/dev/null
i=0
while p=$(marked); [ -n "$p" ]; do
  [ "$i" -ge "$g" ] && kill -KILL $p 2>/dev/null
  [ "$i" -ge $((g + 100)) ] && exit 1
  sleep 0.05 2>/dev/null || { sleep 1; i=$((i + 19)); }
  i=$((i + 1))
done
exit 0
`;

export type KillOutcome = 'gone' | 'no-shell' | 'survived';

/** Kill execs one container runs at once; more wait and go together in the next. */
export const KILLS_IN_FLIGHT = 2;

interface Batch {
  markers: string[];
  settle: Array<{ resolve: (o: KillOutcome) => void; reject: (e: unknown) => void }>;
}

/**
 * Signals every process in a container marked with one of the markers and waits
 * until none is left (SIGKILL after the grace; `survived` if one outlives that
 * by 5 s, e.g. stuck in uninterruptible I/O). `no-shell` when the container has
 * no `sh` (the caller falls back to the host pid). Engine and container errors
 * propagate.
 *
 * Kills asked for in the same tick for the same container share one exec: a
 * page that goes away drops all its streams at once, and each exec costs the
 * engine ~70 ms. And at most {@link KILLS_IN_FLIGHT} kill execs run in a
 * container at once; kills asked for meanwhile wait and share the next one:
 * 100 pages dropped a few ms apart (each on its own timer) made 100 kill execs
 * that saturated the engine for 10 s; they now make a handful (issue 7).
 *
 * Deliberately no exec inspect here: while a client is not reading a process's
 * output, the engine holds that exec's lock from its exit until the output
 * drains, and an inspect would wait that long. The script sees /proc directly.
 */
export class Killer {
  private readonly pending = new Map<string, Batch>();
  /** Kill execs running, by container. */
  private readonly inFlight = new Map<string, number>();

  constructor(
    private readonly http: EngineHttp,
    private readonly graceMs: number,
  ) {}

  kill(container: string, marker: string): Promise<KillOutcome> {
    let batch = this.pending.get(container);
    if (!batch) {
      const fresh: Batch = { markers: [], settle: [] };
      this.pending.set(container, fresh);
      if ((this.inFlight.get(container) ?? 0) < KILLS_IN_FLIGHT) setImmediate(() => this.next(container));
      batch = fresh;
    }
    batch.markers.push(marker);
    const { settle } = batch;
    return new Promise((resolve, reject) => settle.push({ resolve, reject }));
  }

  /** Runs the container's waiting batch, then the one that gathered meanwhile, if any. */
  private next(container: string): void {
    const batch = this.pending.get(container);
    if (batch === undefined) return;
    this.pending.delete(container);
    this.inFlight.set(container, (this.inFlight.get(container) ?? 0) + 1);
    void this.run(container, batch).finally(() => {
      const left = (this.inFlight.get(container) ?? 1) - 1;
      if (left === 0) this.inFlight.delete(container);
      else this.inFlight.set(container, left);
      this.next(container);
    });
  }

  private async run(container: string, batch: Batch): Promise<void> {
    const steps = Math.max(0, Math.ceil(this.graceMs / 50));
    try {
      const result = await runQuiet(this.http, container, ['sh', '-c', SCRIPT, 'ddshim-kill', String(steps), ...batch.markers]);
      const outcome: KillOutcome = result.startFailed ? 'no-shell' : result.state.exitCode === 0 ? 'gone' : 'survived';
      for (const s of batch.settle) s.resolve(outcome);
    } catch (err) {
      for (const s of batch.settle) s.reject(err);
    }
  }
}

/**
 * The fallback: signal a host pid (only meaningful when the engine runs on this
 * machine). SIGTERM, SIGKILL after the grace, then wait until it is gone.
 * Resolves false if it is still there 5 s after SIGKILL.
 */
export async function killHostPid(pid: number, graceMs: number): Promise<boolean> {
  if (!send(pid, 'SIGTERM')) return true;
  const killAt = Date.now() + graceMs;
  const giveUpAt = killAt + 5_000;
  let killed = false;
  while (send(pid, 0)) {
    if (Date.now() >= giveUpAt) return false;
    if (!killed && Date.now() >= killAt) killed = send(pid, 'SIGKILL') || true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return true;
}

function send(pid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(pid, signal);
    return true;
  } catch {
    return false; // ESRCH: gone already; EPERM: not ours to kill (remote or rootless engine)
  }
}
