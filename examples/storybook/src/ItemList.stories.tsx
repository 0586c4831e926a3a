import type { Meta, StoryObj } from '@storybook/react-vite';
import { reply, type DdClientParameters, type Fixture } from 'ddclient-shim/storybook';
import recorded from '../fixtures/items.json' with { type: 'json' };
import { ItemList } from './ItemList.js';

const meta = { title: 'Items', component: ItemList } satisfies Meta<typeof ItemList>;
export default meta;
type Story = StoryObj<typeof meta>;

/** Data from mock handlers: `GET /items` answered in the page. */
export const FromHandlers: Story = {
  parameters: {
    ddClient: {
      mock: {
        service: {
          'GET /items': [
            { id: 1, name: 'Answered by a mock handler', done: true },
            { id: 2, name: 'No gateway, no backend', done: false },
            { id: 3, name: 'Same window.ddClient as in Docker Desktop', done: false },
          ],
        },
      },
    } satisfies DdClientParameters,
  },
};

/** Data replayed from a session recorded with `ddclient-shim gateway --record fixtures/items.json`. */
export const FromRecordedFixture: Story = {
  parameters: { ddClient: { replay: recorded as Fixture } satisfies DdClientParameters },
};

/** The backend fails: the same ServiceError rejection ({name, message, statusCode}) Docker Desktop gives. */
export const ErrorState: Story = {
  parameters: { ddClient: { mock: { service: { 'GET /items': reply(500, { message: 'boom' }) } } } satisfies DdClientParameters },
};

/** No parameters.ddClient: every call says what to add. */
export const NoParameters: Story = {};
