import { useEffect, useState } from 'react';
import { ddClient } from './client.js';

/** A process's output, line by line as it arrives: `extension.vm.cli.exec` with `stream`. */
export function LiveLog({ cmd, args }: { cmd: string; args: string[] }) {
  const [lines, setLines] = useState<Array<{ text: string; err: boolean }>>([]);
  const [exit, setExit] = useState<string>();
  useEffect(() => {
    setLines([]);
    setExit(undefined);
    const process = ddClient.extension.vm?.cli.exec(cmd, args, {
      stream: {
        splitOutputLines: true,
        onOutput: (data) => setLines((old) => [...old, data.stdout !== undefined ? { text: data.stdout, err: false } : { text: data.stderr, err: true }]),
        onError: (e: unknown) => setExit(`failed: ${(e as Error).message}`),
        onClose: (code) => setExit(`exited with code ${code}`),
      },
    });
    // Unmounting stops the process, as a real extension should.
    return () => process?.close();
  }, [cmd, args.join(' ')]);

  return (
    <div style={{ fontFamily: 'system-ui, sans-serif' }}>
      <pre data-testid="output" style={{ background: '#111', color: '#eee', padding: 12, minHeight: 120, borderRadius: 4 }}>
        {lines.map((l, i) => (
          <div key={i} data-line={i} style={l.err ? { color: '#ff8a80' } : undefined}>
            {l.text}
          </div>
        ))}
      </pre>
      <p data-testid="exit">{exit ?? 'running…'}</p>
    </div>
  );
}
