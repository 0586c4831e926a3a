// Every story gets window.ddClient from its parameters.ddClient (mock handlers,
// a recorded fixture, or a live gateway), fresh for each story.
import type { Preview } from '@storybook/react-vite';
import { withDdClient } from 'ddclient-shim/storybook';

const preview: Preview = {
  decorators: [withDdClient],
};
export default preview;
