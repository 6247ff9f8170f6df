import * as vscode from 'vscode';
import { TARGET_IDS, TARGETS, type MockupTarget } from '../../core/mockup/mockupTargets';
import { guessTarget } from '../../core/mockup/targetGuess';

/** workspaceState key of the target last chosen in this workspace. */
export const LAST_TARGET_KEY = 'moonpilot.mockup.lastTarget';

/** From the palette: asks for one image file. Undefined when the user dismissed the dialog. */
export async function askForImage(): Promise<vscode.Uri | undefined> {
  const picked = await vscode.window.showOpenDialog({
    title: 'Moonpilot: choose a mockup image',
    openLabel: 'Generate Code',
    canSelectMany: false,
    canSelectFolders: false,
    defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
    filters: { Images: ['png', 'jpg', 'jpeg', 'webp', 'gif'], 'All files': ['*'] },
  });
  return picked?.[0];
}

/** The remembered target, else a guess from the workspace folders' package.json files. */
export async function defaultTarget(state: vscode.Memento): Promise<MockupTarget> {
  const remembered = state.get<string>(LAST_TARGET_KEY);
  if (remembered && (TARGET_IDS as readonly string[]).includes(remembered)) {
    return remembered as MockupTarget;
  }
  const texts: string[] = [];
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    try {
      const bytes = await vscode.workspace.fs.readFile(vscode.Uri.joinPath(folder.uri, 'package.json'));
      texts.push(new TextDecoder().decode(bytes));
    } catch {
      // No package.json in this folder.
    }
  }
  return guessTarget(texts);
}

/** Quick pick of the target, the default first and marked; remembers the choice. */
export async function askForTarget(state: vscode.Memento): Promise<MockupTarget | undefined> {
  const preferred = await defaultTarget(state);
  const order = [preferred, ...TARGET_IDS.filter((t) => t !== preferred)];
  const items = order.map((id) => ({ label: TARGETS[id].label, detail: TARGETS[id].detail, description: id === preferred ? 'default for this workspace' : undefined, id }));
  const picked = await vscode.window.showQuickPick(items, { title: 'Moonpilot: generate code as…', placeHolder: 'Target framework' });
  if (picked) {
    await state.update(LAST_TARGET_KEY, picked.id);
  }
  return picked?.id;
}

/** Optional free text; '' when left empty, undefined when dismissed with Escape. */
export function askForInstruction(): Thenable<string | undefined> {
  return vscode.window.showInputBox({
    title: 'Moonpilot: anything the code should follow? (optional)',
    placeHolder: 'e.g. dark theme · use our <Button> component · mobile first',
    prompt: 'Press Enter to skip.',
    ignoreFocusOut: true,
  });
}
