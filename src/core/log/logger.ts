/** The logging surface the core uses; the VS Code adapter writes to the "Moonpilot" channel. */
export interface Logger {
  debug(component: string, message: string): void;
  info(component: string, message: string): void;
  warn(component: string, message: string): void;
  error(component: string, message: string): void;
}

/** A logger that drops everything (unit tests, benchmarks). */
export const silentLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
