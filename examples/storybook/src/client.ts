// As extension UIs do it: the client taken once, at module top level. Storybook
// imports this before any decorator runs, and the same object serves every
// story: ddclient-shim/storybook swaps what answers it, not the object.
import { createDockerDesktopClient } from '@docker/extension-api-client';

export const ddClient = createDockerDesktopClient();
