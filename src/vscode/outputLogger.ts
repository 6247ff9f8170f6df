import * as vscode from 'vscode';
import type { Logger } from '../core/log/logger';
import { redactSecrets } from '../core/log/redact';

/**
 * Writes to the one "Moonpilot" LogOutputChannel (created and owned by the activation shell).
 * Every line is tagged by component and passed through `redactSecrets` with the current key, so
 * a key can never reach the log.
 */
export class OutputLogger implements Logger {
  private secrets: string[] = [];

  constructor(readonly channel: vscode.LogOutputChannel) {}

  /** Values to scrub from every line (the API key, once known). */
  setSecrets(secrets: readonly (string | undefined)[]): void {
    this.secrets = secrets.filter((s): s is string => typeof s === 'string' && s.length > 0);
  }

  private line(component: string, message: string): string {
    return `[${component}] ${redactSecrets(message, this.secrets)}`;
  }

  debug(component: string, message: string): void {
    this.channel.debug(this.line(component, message));
  }
  info(component: string, message: string): void {
    this.channel.info(this.line(component, message));
  }
  warn(component: string, message: string): void {
    this.channel.warn(this.line(component, message));
  }
  error(component: string, message: string): void {
    this.channel.error(this.line(component, message));
  }
}
