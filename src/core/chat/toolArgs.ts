/** Reading a tool call's arguments, which come from the model: anything may be missing or wrong. */

/** A tool call's arguments, parsed. */
export type ToolArgs = Record<string, unknown>;

/** The arguments as an object (empty text counts as `{}`), or undefined when they are not one. */
export function parseArgs(raw: string): ToolArgs | undefined {
  try {
    const value: unknown = JSON.parse(raw.trim() === '' ? '{}' : raw);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as ToolArgs) : undefined;
  } catch {
    return undefined;
  }
}

/** A string argument, or undefined. */
export function str(args: ToolArgs, key: string): string | undefined {
  return typeof args[key] === 'string' ? (args[key] as string) : undefined;
}

/** A positive integer argument, or undefined. */
export function int(args: ToolArgs, key: string): number | undefined {
  const v = args[key];
  return typeof v === 'number' && Number.isInteger(v) && v > 0 ? v : undefined;
}

/** Turns a glob into a safe relative one: no absolute paths, no `..`. */
export function safeGlob(glob: string): string | undefined {
  const g = glob.trim().replace(/\\/g, '/').replace(/^\.\//, '');
  if (g === '' || g.startsWith('/') || /^[a-z]:/i.test(g) || g.split('/').includes('..') || g.length > 300) {
    return undefined;
  }
  return g;
}
