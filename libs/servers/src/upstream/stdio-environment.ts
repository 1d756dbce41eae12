/** The only variables a stdio server inherits from the hub; the hub's own secrets must never reach a child. */
export const INHERITED_ENV_VARS = ['PATH', 'HOME', 'LANG', 'TMPDIR', 'TEMP'] as const;

/**
 * Environment for a stdio server: the inherited basics (when set) plus the server's own variables, which win.
 * Note: the SDK's StdioClientTransport also merges its own safe list (HOME, LOGNAME, PATH, SHELL, TERM, USER).
 */
export function minimalStdioEnv(
  serverEnv: Record<string, string>,
  parent: Record<string, string | undefined> = process.env,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of INHERITED_ENV_VARS) {
    const value = parent[name];
    // Exported shell functions ("() { …") are a known injection vector; never pass them on.
    if (value !== undefined && !value.startsWith('()')) env[name] = value;
  }
  return { ...env, ...serverEnv };
}
