// A Storybook for an extension UI with no Docker Desktop, gateway or backend:
// the stories get window.ddClient from ddclient-shim/storybook (preview.ts).
import type { StorybookConfig } from '@storybook/react-vite';

const config: StorybookConfig = {
  stories: ['../src/**/*.stories.tsx'],
  framework: { name: '@storybook/react-vite', options: {} },
  core: { disableTelemetry: true },
};
export default config;
