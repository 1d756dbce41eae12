export type Transport = 'STDIO' | 'SSE' | 'STREAMABLE_HTTP';

export const TRANSPORT_LABEL: Record<Transport, string> = { STDIO: 'STDIO', SSE: 'SSE', STREAMABLE_HTTP: 'Streamable HTTP' };

export const STDIO_ADMINS_ONLY = "Only admins may register or change STDIO servers: they run a program on the hub's machine.";

/** One line per argument (arguments may contain spaces); blank lines are dropped. */
export const argsFromText = (text: string): string[] => text.split('\n').filter((line) => line.trim() !== '');
