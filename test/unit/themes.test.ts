// The theme globals @docker/docker-mui-theme reads (DDCLIENT-SEMANTICS §1,
// issue 5): their shape, and that MUI 5's and 6's createTheme() take them
// without a warning.
import { createTheme as createThemeV6, type Theme, type ThemeOptions } from '@mui/material/styles';
import { createTheme as createThemeV5 } from '@mui/material-v5/styles';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { dockerTheme, installThemes } from '../../src/shim/themes.js';
import { contrast } from '../helpers/contrast.js';

const MODES = ['light', 'dark'] as const;
const HUES = ['amber', 'blue', 'green', 'grey', 'red', 'violet'];
const SHADES = ['100', '200', '300', '400', '500', '600', '700', '800'];


describe('dockerTheme', () => {
  afterEach(() => vi.restoreAllMocks());

  it.each(MODES)('%s: palette.docker has every hue with shades 100…800, plus text and background', (mode) => {
    const { docker } = dockerTheme(mode).palette;
    expect(Object.keys(docker).sort()).toEqual([...HUES, 'background', 'text'].sort());
    for (const hue of HUES) {
      const ramp = docker[hue] as Record<string, string>;
      expect(Object.keys(ramp), hue).toEqual(SHADES);
      for (const shade of SHADES) expect(ramp[shade], `${hue} ${shade}`).toMatch(/^#[0-9A-F]{6}$/);
    }
  });

  it('has the package’s values (spot checks against @docker/docker-mui-theme 0.0.11 packagedThemes)', () => {
    const light = dockerTheme('light').palette;
    const dark = dockerTheme('dark').palette;
    expect(light.docker.amber).toMatchObject({ 100: '#FFF6E2', 800: '#421A02' });
    expect(light.docker.grey).toMatchObject({ 500: '#677285', 800: '#17191E' });
    expect(light.docker.violet).toMatchObject({ 800: '#220041' });
    expect(dark.docker.amber).toMatchObject({ 100: '#672805', 800: '#F8B974' });
    expect(dark.docker.blue).toMatchObject({ 500: '#116ED0', 600: '#3391EE' });
    expect(dark.docker.violet).toMatchObject({ 800: '#C5A6FD' });
    expect(light.docker).toMatchObject({ text: '#27343B', background: '#F9F9FA' });
    expect(dark.docker).toMatchObject({ text: '#FFFFFF', background: '#1C262D' });
    expect(light.text).toEqual({ primary: '#27343B', secondary: '#505968', disabled: '#677285' });
    expect(dark.text).toEqual({ primary: '#FFFFFF', secondary: '#94ABBC', disabled: '#7794AB' });
    expect(light.primary.main).toBe('#007BFF');
    expect(light.background).toEqual({ default: '#F4F4F6', paper: '#F4F4F6' });
    expect(dark.background).toEqual({ default: '#202C33', paper: '#202C33' });
  });

  it.each(MODES)('%s: text reads on the background (WCAG AA)', (mode) => {
    const { text, background } = dockerTheme(mode).palette;
    expect(contrast(text.primary, background.default)).toBeGreaterThanOrEqual(7);
    expect(contrast(text.secondary, background.default)).toBeGreaterThanOrEqual(4.5);
  });

  it('is typed as MUI’s ThemeOptions (this file fails to compile otherwise)', () => {
    const options: ThemeOptions = dockerTheme('light');
    expect(options.palette?.mode).toBe('light');
  });

  it('returns a fresh object each time (a page may change one)', () => {
    expect(dockerTheme('dark')).not.toBe(dockerTheme('dark'));
    expect(dockerTheme('dark').palette.docker).not.toBe(dockerTheme('dark').palette.docker);
  });

  // Both read as MUI 6's types: only what both versions have is checked.
  const versions: Array<[string, (options: object) => Theme]> = [
    ['MUI 6', createThemeV6],
    ['MUI 5', createThemeV5 as unknown as (options: object) => Theme],
  ];
  for (const [version, createTheme] of versions) {
    it.each(MODES)(`${version} createTheme() takes the %s options without a warning`, (mode) => {
      const error = vi.spyOn(console, 'error');
      const warn = vi.spyOn(console, 'warn');
      const theme = createTheme(dockerTheme(mode));
      expect(error).not.toHaveBeenCalled();
      expect(warn).not.toHaveBeenCalled();
      expect(theme.palette.mode).toBe(mode);
      expect(theme.palette.primary.main).toBe('#007BFF');
      // Derived colours come out (MUI fills light/dark/contrastText from main).
      expect(theme.palette.error.contrastText).toMatch(/^(#|rgb)/);
      expect((theme.palette as unknown as { docker: { blue: Record<number, string> } }).docker.blue[500]).toBe('#116ED0');
      expect(theme.typography.fontFamily).toContain('Open Sans');
      expect(theme.typography.button.fontSize).toBeDefined();
      expect(theme.breakpoints.values).toEqual({ xs: 0, sm: 640, md: 1024, lg: 1280, xl: 1536 });
      expect(theme.breakpoints.up('xs')).toBe('@media (min-width:0px)');
      expect(theme.components?.MuiButton?.styleOverrides?.root).toMatchObject({ textTransform: 'initial' });
      // MUI's colour helpers parse what the options hold (#RRGGBBAA included).
      expect(theme.palette.action.hover).toMatch(/^#[0-9A-F]{8}$/);
      expect(theme.palette.getContrastText(theme.palette.background.default)).toBe(mode === 'dark' ? '#fff' : 'rgba(0, 0, 0, 0.87)');
    });
  }
});

describe('installThemes', () => {
  it('defines both globals as {light, dark}, separate objects', () => {
    const win = {} as Record<string, any>;
    installThemes(win as unknown as Window);
    for (const name of ['__ddMuiV5Themes', '__ddMuiV6Themes']) {
      expect(Object.keys(win[name])).toEqual(['light', 'dark']);
      expect(win[name].light.palette.mode).toBe('light');
      expect(win[name].dark.palette.mode).toBe('dark');
    }
    expect(win.__ddMuiV5Themes).not.toBe(win.__ddMuiV6Themes);
    expect(win.__ddMuiV5Themes.dark).toEqual(win.__ddMuiV6Themes.dark);
  });

  it('leaves themes that are already there (Docker Desktop’s own) alone', () => {
    const mine = { light: {}, dark: {} };
    const win = { __ddMuiV6Themes: mine } as Record<string, any>;
    installThemes(win as unknown as Window);
    expect(win.__ddMuiV6Themes).toBe(mine);
    expect(win.__ddMuiV5Themes.light.palette.mode).toBe('light');
  });
});
