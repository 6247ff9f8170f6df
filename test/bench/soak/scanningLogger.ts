import type { Logger } from '../../../src/core/log/logger';
import { redactSecrets } from '../../../src/core/log/redact';

/** Log lines as the extension's OutputLogger writes them (redacted with the key), scanned for leaks. */
export class ScanningLogger implements Logger {
  lines = 0;
  keyLeaks = 0;
  canaryLeaks = 0;
  readonly byLevel = { debug: 0, info: 0, warn: 0, error: 0 };
  private readonly recent: string[] = [];

  constructor(
    private readonly apiKey: string,
    private readonly canary: string,
  ) {}

  private write(level: keyof ScanningLogger['byLevel'], component: string, message: string): void {
    const line = `[${component}] ${redactSecrets(message, [this.apiKey])}`;
    this.lines++;
    this.byLevel[level]++;
    if (line.includes(this.apiKey)) {
      this.keyLeaks++;
    }
    if (line.includes(this.canary)) {
      this.canaryLeaks++;
    }
    this.recent.push(line);
    if (this.recent.length > 20) {
      this.recent.shift();
    }
  }
  debug(component: string, message: string): void {
    this.write('debug', component, message);
  }
  info(component: string, message: string): void {
    this.write('info', component, message);
  }
  warn(component: string, message: string): void {
    this.write('warn', component, message);
  }
  error(component: string, message: string): void {
    this.write('error', component, message);
  }
  get lastLines(): readonly string[] {
    return this.recent;
  }
}
