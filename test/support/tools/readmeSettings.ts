/**
 * Renders the README's settings table from package.json (`npm run docs`), and lets a unit test
 * check that the README is current. One source of truth: the manifest.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from '../repoRoot';

const START = '<!-- settings:start -->';
const END = '<!-- settings:end -->';

interface SettingSchema {
  type?: string | string[];
  default?: unknown;
  description?: string;
  markdownDescription?: string;
  enum?: unknown[];
  scope?: string;
}

export function settingsTable(manifest: { contributes: { configuration: { properties: Record<string, SettingSchema> } } }): string {
  const rows = Object.entries(manifest.contributes.configuration.properties).map(([key, schema]) => {
    const text = (schema.markdownDescription ?? schema.description ?? '').replace(/\|/g, '\\|').replace(/\n/g, ' ');
    const values = schema.enum ? ` One of: ${schema.enum.map((v) => `\`${String(v)}\``).join(', ')}.` : '';
    const scope = schema.scope === 'machine' || schema.scope === 'application' ? ' *(user/machine only)*' : '';
    return `| \`${key}\` | \`${JSON.stringify(schema.default)}\` | ${text}${values}${scope} |`;
  });
  return ['| setting | default | description |', '|---|---|---|', ...rows].join('\n');
}

export function renderReadme(readme: string, table: string): string {
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start < 0 || end < start) {
    throw new Error('README.md has no settings markers');
  }
  return `${readme.slice(0, start + START.length)}\n${table}\n${readme.slice(end)}`;
}

if (require.main === module) {
  const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
  const readmePath = path.join(repoRoot, 'README.md');
  fs.writeFileSync(readmePath, renderReadme(fs.readFileSync(readmePath, 'utf8'), settingsTable(manifest)));
  console.log('README.md settings table updated');
}
