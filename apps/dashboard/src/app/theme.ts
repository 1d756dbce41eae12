import { Anchor, Modal, Notification, createTheme, type CSSVariablesResolver } from '@mantine/core';

export const theme = createTheme({
  primaryColor: 'indigo',
  // Shade 7 (light) / 8 (dark) keeps white button text above a 4.5:1 contrast (axe checks every page).
  primaryShade: { light: 7, dark: 8 },
  defaultRadius: 'md',
  // People who ask their system for less motion get no fades or slides (dialogs, menus, notifications).
  respectReducedMotion: true,
  fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
  fontFamilyMonospace: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace',
  // Links inside text must not rely on color alone.
  components: {
    Anchor: Anchor.extend({ defaultProps: { underline: 'always' } }),
    // Mantine's close button is an icon without a name; every dialog gets one.
    Modal: Modal.extend({ defaultProps: { closeButtonProps: { 'aria-label': 'Close' } } }),
    // The same for the toasts (mantine/notifications renders this component).
    Notification: Notification.extend({ defaultProps: { closeButtonProps: { 'aria-label': 'Close the message' } } }),
  },
});

/** Mantine's default "dimmed" and field-error texts are below 4.5:1 on both backgrounds; stronger shades pass. */
export const cssVariablesResolver: CSSVariablesResolver = () => ({
  variables: {},
  // Likewise the error red (field errors, invalid inputs) and red outline buttons: red-9 on light, red-4 on dark.
  // Filled red buttons (confirming a deletion) take red-9 too: white on red-7/8 is below 4.5:1.
  light: {
    '--mantine-color-dimmed': 'var(--mantine-color-gray-7)',
    '--mantine-color-error': 'var(--mantine-color-red-9)',
    '--mantine-color-red-outline': 'var(--mantine-color-red-9)',
    '--mantine-color-red-filled': 'var(--mantine-color-red-9)',
    '--mantine-color-red-filled-hover': 'var(--mantine-color-red-8)',
  },
  dark: {
    '--mantine-color-dimmed': 'var(--mantine-color-dark-1)',
    '--mantine-color-error': 'var(--mantine-color-red-4)',
    '--mantine-color-red-filled': 'var(--mantine-color-red-9)',
    '--mantine-color-red-filled-hover': 'var(--mantine-color-red-8)',
  },
});
