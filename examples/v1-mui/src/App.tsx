// A V1 extension UI written the way extension authors write them (issue 5):
// the client created at module top level, the V1 API only, MUI with Docker's theme.
import { createDockerDesktopClient } from '@docker/extension-api-client';
import { Alert, Button, Chip, Paper, Stack, Typography } from '@mui/material';
import { useEffect, useState, type ReactNode } from 'react';

const ddClient = createDockerDesktopClient();

interface Item {
  id: number;
  name: string;
}
interface EngineContainer {
  Names: string[];
  State: string;
}
interface PsLine {
  Names: string;
  State: string;
}

/** The message of whatever a ddClient call rejected with (ServiceError, exec result, Error). */
const messageOf = (e: unknown): string => (e as { message?: string; stderr?: string }).message ?? (e as { stderr?: string }).stderr ?? String(e);

/** A card for one call; `data-status` (loading, ok, error) tells tests when it is done. */
function Section({ id, title, value, error, children }: { id: string; title: string; value: unknown; error: string | undefined; children: ReactNode }) {
  return (
    <Paper variant="outlined" sx={{ p: 2 }} data-testid={id} data-status={error ? 'error' : value === undefined ? 'loading' : 'ok'}>
      <Typography variant="h3" gutterBottom>
        {title}
      </Typography>
      {error ? <Alert severity="error">{error}</Alert> : children}
    </Paper>
  );
}

export function App() {
  const [items, setItems] = useState<Item[]>();
  const [containers, setContainers] = useState<EngineContainer[]>();
  const [ps, setPs] = useState<PsLine[]>();
  const [lines, setLines] = useState<string[]>([]);
  const [exit, setExit] = useState<number>();
  const [picked, setPicked] = useState<string>();
  const [errors, setErrors] = useState<Record<string, string>>({});
  const fail = (key: string) => (e: unknown) => setErrors((all) => ({ ...all, [key]: messageOf(e) }));

  useEffect(() => {
    ddClient.extension.vm?.service
      ?.get('/items')
      .then((body) => {
        setItems(body as Item[]);
        ddClient.desktopUI.toast.success(`Loaded ${(body as Item[]).length} items from the backend`);
      })
      .catch(fail('items'));
    ddClient.docker
      .listContainers({ all: true })
      .then((list) => setContainers(list as EngineContainer[]))
      .catch(fail('containers'));
    ddClient.docker.cli
      .exec('ps', ['--all', '--format', '"{{json .}}"'])
      .then((result) => setPs(result.parseJsonLines() as PsLine[]))
      .catch(fail('ps'));
    const proc = ddClient.extension.vm?.cli.exec('sh', ['-c', 'echo alpha; echo beta; echo gamma'], {
      stream: {
        splitOutputLines: true,
        onOutput: (data) => data.stdout !== undefined && setLines((all) => [...all, data.stdout]),
        onError: fail('stream'),
        onClose: setExit,
      },
    });
    return () => proc?.close();
  }, []);

  const pick = () =>
    ddClient.desktopUI.dialog
      .showOpenDialog({ title: 'Choose a compose file', properties: ['openFile'], defaultPath: '/home/me/' })
      .then((r) => setPicked(r.canceled ? 'canceled' : r.filePaths.join(', ')));

  return (
    <Stack spacing={2}>
      <Typography variant="h1">V1 MUI extension</Typography>
      <Typography variant="body1" color="text.secondary" data-testid="host">
        Running on {ddClient.host.hostname} ({ddClient.host.platform}/{ddClient.host.arch}), extension {ddClient.extension.image}
      </Typography>
      <Stack direction="row" spacing={1}>
        <Button variant="contained" data-testid="hello" onClick={() => ddClient.desktopUI.toast.success('Hello from the V1 page')}>
          Say hello
        </Button>
        <Button variant="outlined" data-testid="pick" onClick={pick}>
          Choose a file…
        </Button>
        <Button variant="outlined" color="secondary" data-testid="logs" onClick={() => ddClient.desktopUI.navigate.viewContainerLogs('ddshim-c').catch((e: Error) => ddClient.desktopUI.toast.error(e.message))}>
          Open ddshim-c logs
        </Button>
      </Stack>
      {picked !== undefined && <Typography data-testid="picked">Picked: {picked}</Typography>}
      <Section id="items" title="extension.vm.service.get('/items')" value={items} error={errors.items}>
        {items?.map((item) => <Chip key={item.id} label={item.name} sx={{ mr: 1 }} />)}
      </Section>
      <Section id="containers" title="docker.listContainers({all: true})" value={containers} error={errors.containers}>
        {containers?.map((c) => <Chip key={c.Names[0]} label={`${c.Names[0]} · ${c.State}`} sx={{ mr: 1 }} />)}
      </Section>
      <Section id="ps" title="docker.cli.exec('ps', …).parseJsonLines()" value={ps} error={errors.ps}>
        {ps?.map((c) => <Chip key={c.Names} label={`${c.Names} · ${c.State}`} color="primary" variant="outlined" sx={{ mr: 1 }} />)}
      </Section>
      <Section id="stream" title="extension.vm.cli.exec(…, {stream: {splitOutputLines: true}})" value={exit} error={errors.stream}>
        <Typography component="pre" sx={{ m: 0, fontFamily: 'monospace' }} data-testid="lines">
          {lines.join('\n')}
        </Typography>
        {exit !== undefined && <Typography data-testid="exit">exit code {exit}</Typography>}
      </Section>
    </Stack>
  );
}
