import type { Meta, StoryObj } from '@storybook/react-vite';
import type { DdClientParameters } from 'ddclient-shim/storybook';
import { LiveLog } from './LiveLog.js';

const meta = { title: 'Live log', component: LiveLog } satisfies Meta<typeof LiveLog>;
export default meta;
type Story = StoryObj<typeof meta>;

/** A spawned process's output arriving over time: a mock spawn script with timed chunks. */
export const SpawnOutput: Story = {
  args: { cmd: 'tail', args: ['-f', '/var/log/app.log'] },
  parameters: {
    ddClient: {
      mock: {
        spawn: [
          {
            target: 'vm',
            argv: ['tail', '-f', '/var/log/app.log'],
            script: [
              { stdout: 'starting app\n' },
              { after: 600, stdout: 'listening on :8080\n' },
              // One line in two chunks: splitOutputLines puts it back together.
              { after: 600, stdout: 'GET /items ' },
              { after: 300, stdout: '200 12ms\n' },
              { after: 600, stderr: 'warning: cache is cold\n' },
              { after: 600, stdout: 'done\n' },
            ],
            code: 0,
          },
        ],
      },
    } satisfies DdClientParameters,
  },
};
