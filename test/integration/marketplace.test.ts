// Marketplace readiness that only a real VS Code can judge: Moonpilot's keybindings collide with
// none of VS Code's own defaults on this platform, and every command the walkthrough links to exists.
import * as assert from 'assert';
import { parse } from 'jsonc-parser';
import * as vscode from 'vscode';
import { getExtension } from './helpers';

interface Keybinding {
  readonly key: string;
  readonly command: string;
  readonly when?: string;
}

/** `Ctrl+Alt+M`, `alt+ctrl+m` → `alt+ctrl+m`; chords keep their order. */
function normalizeKey(key: string): string {
  return key
    .toLowerCase()
    .split(' ')
    .filter((part) => part !== '')
    .map((part) => part.split('+').sort().join('+'))
    .join(' ');
}

describe('marketplace readiness', () => {
  it('binds only keys that none of VS Code\'s default keybindings use', async () => {
    // VS Code's own list for the platform the workbench runs on (the document behind
    // "Preferences: Open Default Keyboard Shortcuts (JSON)").
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.parse('vscode://defaultsettings/keybindings.json'));
    const defaults = (parse(doc.getText()) as Keybinding[]).filter((k) => !k.command.startsWith('moonpilot.') && !k.command.startsWith('-moonpilot.'));
    assert.ok(defaults.length > 300, `read VS Code's default keybindings (${defaults.length})`);
    assert.ok(defaults.some((k) => k.command === 'workbench.action.showCommands' && normalizeKey(k.key) === 'ctrl+p+shift'), 'the list holds Ctrl+Shift+P');
    const ours = (getExtension().packageJSON.contributes.keybindings as Keybinding[]) ?? [];
    assert.ok(ours.length >= 3, 'Moonpilot contributes keybindings');
    const taken = new Map(defaults.map((k) => [normalizeKey(k.key), k.command]));
    const collisions = ours.filter((k) => taken.has(normalizeKey(k.key))).map((k) => `${k.key} → ${k.command} collides with ${taken.get(normalizeKey(k.key))}`);
    assert.deepEqual(collisions, []);
  });

  it('links the walkthrough only to commands that exist', async () => {
    const walkthroughs = getExtension().packageJSON.contributes.walkthroughs as { steps: { description: string }[] }[];
    const linked = walkthroughs.flatMap((w) => w.steps.flatMap((s) => [...s.description.matchAll(/\(command:([\w.]+)/g)].map((m) => m[1])));
    assert.ok(linked.length >= 4, `the walkthrough links to commands (${linked.join(', ')})`);
    const all = new Set(await vscode.commands.getCommands(false));
    assert.deepEqual(linked.filter((id) => !all.has(id)), [], 'every linked command is registered');
  });
});
