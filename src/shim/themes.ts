/**
 * `window.__ddMuiV5Themes` and `window.__ddMuiV6Themes` (DDCLIENT-SEMANTICS §1):
 * `@docker/docker-mui-theme` 0.0.13 reads them with no fallback, so without
 * them an extension built on it renders a blank page.
 *
 * The values come from the fallback themes of @docker/docker-mui-theme 0.0.11
 * (`dist/packagedThemes.js`, Copyright Docker, Inc., Apache License 2.0,
 * https://www.npmjs.com/package/@docker/docker-mui-theme), abridged to what
 * sets the look: the palette with its full `palette.docker` ramps, typography,
 * and the component overrides that show most (buttons, tabs, ripples, page
 * padding). Left out: DataGrid, cards, lists, menus, inputs, tooltips, scroll
 * bars and the `inline-code` variant.
 */

const HUES = ['amber', 'blue', 'green', 'grey', 'red', 'violet'] as const;

/** Shades 100…800 of each hue, in HUES order, 6 hex digits each. The dark ramp is its own, not the light one reversed. */
const RAMPS = {
  dark: '6728057B3606944307AF560ACD6A0AED8D25F6A650F8B9740B1B4606326D0843911557B8116ED03391EE55A4F17CB9F40D342E11423B1453481A655A2283752AA3913CC1AD7ACCC3141B1F27343E364754465C6E7794AB94ABBCADBECBC4D0DA58111B741624951C2FBC233CC32438DD4659E36676EA8E9A341458491D7B5F25A08032D68A53ECA371FCB38BFCC5A6FD',
  light: 'FFF6E2FCE1A9FBB552DD7805B85504AA4409893607421A02E8F4FDC0E0FA8BC7F51C90ED116ED00055BD1144A600084DF3FAF9C6EAE188D5C03BA08D2E7F741E6C5F185A510C2C28EAEAEDE1E2E6C4C8D18993A5677285505968393F4917191EFEEFEFF6CFD0EEA3A5E25D68D52536B721328B1924350A10F7ECFFE9D4FFC9A6FF9860FF7D2EFF6D00EB5700BB220041',
};

type Ramp = Record<number, string>;

/**
 * Docker Desktop's MUI `ThemeOptions` for one mode, as a fresh object (accepted
 * by `createTheme()` of MUI 5 and 6). `palette.docker` holds the ramps:
 * `amber`, `blue`, `green`, `grey`, `red`, `violet`, each `100`…`800`, plus
 * `text` and `background`.
 */
export function dockerTheme(mode: 'light' | 'dark') {
  const dark = mode === 'dark';
  const docker: Record<string, Ramp | string> = { text: dark ? '#FFFFFF' : '#27343B', background: dark ? '#1C262D' : '#F9F9FA' };
  const ramp = (i: number): Ramp => {
    const shades: Ramp = {};
    for (let s = 1; s < 9; s++) shades[s * 100] = `#${RAMPS[mode].substr((i * 8 + s - 1) * 6, 6)}`;
    return shades;
  };
  const [amber, blue, green, grey, red] = HUES.map((hue, i) => (docker[hue] = ramp(i))) as [Ramp, Ramp, Ramp, Ramp, Ramp];
  // The package's hover/selected: grey 400 at 0.4 (0x66 / 255).
  const hover = `${grey[400]}66`;
  const bg = dark ? '#202C33' : '#F4F4F6';
  // The semantic colours are not in the package; Docker's docs say they are "members of our palette" (inferred: 500, 600 on dark for contrast).
  const main = (r: Ramp) => ({ main: r[dark ? 600 : 500]! });
  const heading = (fontSize: number, fontWeight: number, lineHeight: number) => ({ fontSize, fontWeight, lineHeight: `${lineHeight}px` });
  return {
    palette: {
      mode,
      primary: { light: '#6BC3F3', main: '#007BFF', dark: '#096BD4' },
      secondary: { main: '#E12B0C', dark: '#871907' },
      error: main(red),
      warning: main(amber),
      success: main(green),
      info: main(blue),
      text: { primary: docker.text as string, secondary: grey[600]!, disabled: grey[500]! },
      action: { hover, hoverOpacity: 0.4, selected: hover, selectedOpacity: 0.3, active: grey[600]!, disabled: grey[500]! },
      background: { default: bg, paper: bg },
      // The package sets this on MuiDivider; as the palette's divider it also reaches tables and lists.
      divider: dark ? '#FFFFFF1A' : '#0F161E1A',
      docker,
    },
    typography: {
      fontFamily: '"Open SansVariable", "Open Sans", "Helvetica Neue", sans-serif',
      fontSize: 12,
      // Regular 400 and medium 500 are MUI's defaults too.
      fontWeightBold: 600,
      body1: { fontSize: 14 },
      subtitle1: { fontSize: 16 },
      subtitle2: { fontSize: 22, fontWeight: 600 },
      h1: heading(36, 600, 40),
      h2: heading(24, 400, 32),
      h3: heading(18, 600, 24),
    },
    // shape.borderRadius: the package keeps MUI's 4.
    // The package gives sm/md/lg only, which leaves xs and xl undefined in MUI: keep MUI's for those.
    breakpoints: { values: { xs: 0, sm: 640, md: 1024, lg: 1280, xl: 1536 } },
    components: {
      MuiButtonBase: { defaultProps: { disableRipple: true } },
      MuiButton: {
        styleOverrides: {
          root: { textTransform: 'initial', fontWeight: 600 },
          contained: { boxShadow: 'none', '&:hover, &:focus': { boxShadow: 'none' } },
        },
      },
      MuiTab: { styleOverrides: { root: { textTransform: 'none', fontSize: 14 } } },
      MuiCssBaseline: { styleOverrides: { body: { padding: '16px 32px' } } },
    },
  };
}

/**
 * Defines `window.__ddMuiV5Themes` and `window.__ddMuiV6Themes` as
 * `{light, dark}`, each only where it is not already there (inside Docker
 * Desktop it is, and Docker Desktop's own wins).
 */
export function installThemes(win: Window): void {
  const w = win as unknown as Record<string, unknown>;
  for (const name of ['__ddMuiV5Themes', '__ddMuiV6Themes']) w[name] ??= { light: dockerTheme('light'), dark: dockerTheme('dark') };
}
