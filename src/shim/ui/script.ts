/**
 * The entry of dist/ddclient-shim-ui.js, an ES module: the in-page UI, which
 * the script-tag shim imports the first time it is needed (ui/lazy.ts).
 */
import { inPageUi } from './index.js';

export const { toast, openDialog, navigate } = inPageUi;
