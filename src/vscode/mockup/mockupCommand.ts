import * as path from 'node:path';
import * as vscode from 'vscode';
import { COMMANDS } from '../../core/config/commandIds';
import type { KimiClient } from '../../core/kimi/kimiClient';
import { ImageError } from '../../core/mockup/imageError';
import { prepareMockupImage, type PreparedImage } from '../../core/mockup/imagePreparation';
import { checkFileSize, DEFAULT_IMAGE_LIMITS, formatBytes, type ImageLimits } from '../../core/mockup/imageValidation';
import { isMockupTarget, TARGETS, type MockupTarget } from '../../core/mockup/mockupTargets';
import { checkVisionModel } from '../../core/mockup/visionModel';
import { SET_API_KEY_ACTION, type KimiConnection } from '../kimiConnection';
import type { Notifier } from '../notifier';
import type { OutputLogger } from '../outputLogger';
import type { SettingsReader } from '../settingsReader';
import { generateCode, type MockupStatus } from './mockupGeneration';
import { askForImage, askForInstruction, askForTarget } from './mockupInputs';
import { openMockupPreview } from './mockupPreview';

export const OPEN_PREVIEW = 'Open Preview';
export const SAVE_TO_WORKSPACE = 'Save to Workspace';
const RETRY = 'Retry';
const OPEN_SETTINGS = 'Open Settings';

export interface MockupDeps {
  connection: KimiConnection;
  settings: SettingsReader;
  notifier: Notifier;
  log: OutputLogger;
  workspaceState: vscode.Memento;
}

/** Second command argument: skips the pickers (scripts, keybindings, tests). */
export interface MockupCommandOptions {
  target?: MockupTarget;
  /** '' for none; undefined asks. */
  instruction?: string;
  cancellation?: vscode.CancellationToken;
}

/** What the command resolves to (for scripts and the integration tests). */
export interface MockupResult {
  status: MockupStatus;
  /** What the user was told when it did not succeed. */
  message?: string;
  errorKind?: string;
  target?: MockupTarget;
  document?: vscode.Uri;
  image?: { mime: string; width: number; height: number; byteLength: number; original: PreparedImage['original']; action: PreparedImage['action'] };
}

function parseOptions(raw: unknown): MockupCommandOptions {
  // From the explorer menu the second argument is the array of selected resources.
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
    return {};
  }
  const o = raw as Record<string, unknown>;
  return {
    target: isMockupTarget(o.target) ? o.target : undefined,
    instruction: typeof o.instruction === 'string' ? o.instruction : undefined,
    cancellation: o.cancellation && typeof (o.cancellation as vscode.CancellationToken).onCancellationRequested === 'function' ? (o.cancellation as vscode.CancellationToken) : undefined,
  };
}

/** Reads and prepares the image; `ImageError` for anything wrong with it. */
async function loadImage(uri: vscode.Uri, name: string, limits: ImageLimits = DEFAULT_IMAGE_LIMITS): Promise<PreparedImage> {
  let stat: vscode.FileStat;
  try {
    stat = await vscode.workspace.fs.stat(uri);
  } catch {
    throw new ImageError('notImage', `${name} cannot be read (does it still exist?).`);
  }
  if (stat.type & vscode.FileType.Directory) {
    throw new ImageError('notImage', `${name} is a folder, not an image.`);
  }
  checkFileSize(stat.size, limits, name);
  const bytes = await vscode.workspace.fs.readFile(uri);
  return prepareMockupImage(bytes, { name, limits });
}

/**
 * The image at a quarter of the pixels it was sent with (half of each edge), for the one retry
 * after Kimi said the request is over the context window: the image is most of a mockup
 * request. Undefined when it cannot get smaller.
 */
async function smallerImage(uri: vscode.Uri, name: string, sent: PreparedImage): Promise<PreparedImage | undefined> {
  try {
    const smaller = await loadImage(uri, name, { ...DEFAULT_IMAGE_LIMITS, maxSentPixels: Math.floor((sent.width * sent.height) / 4) });
    return smaller.width * smaller.height < sent.width * sent.height ? smaller : undefined;
  } catch {
    return undefined;
  }
}

/** The notification's buttons for a failed or incomplete generation. */
function failureActions(errorKind: string | undefined): string[] {
  if (errorKind === 'auth') {
    return [SET_API_KEY_ACTION, RETRY];
  }
  // The same image and instruction would be rejected again.
  return errorKind === 'contentFilter' ? [] : [RETRY];
}

/** The whole command: image → checks → pickers → model check → streamed code → next steps. */
export async function runMockupToCode(deps: MockupDeps, uriArg: unknown, optionsArg: unknown): Promise<MockupResult> {
  const { connection, settings, notifier, log } = deps;
  const options = parseOptions(optionsArg);
  const uri = uriArg instanceof vscode.Uri ? uriArg : await askForImage();
  if (!uri) {
    return { status: 'dismissed' };
  }
  const name = path.basename(uri.path);
  const fail = (message: string, errorKind: string): MockupResult => {
    log.warn('mockup', `${name}: ${message}`);
    void notifier.show('error', `Moonpilot: ${message}`);
    return { status: 'failed', message, errorKind };
  };

  let image: PreparedImage;
  try {
    image = await loadImage(uri, name);
  } catch (err) {
    if (ImageError.is(err)) {
      return fail(err.message, err.kind);
    }
    throw err;
  }
  let imageInfo = { mime: image.mime, width: image.width, height: image.height, byteLength: image.bytes.byteLength, original: image.original, action: image.action };
  const t = image.timings;
  log.info(
    'mockup',
    `${name}: ${image.original.mime} ${image.original.width}×${image.original.height} ${formatBytes(image.original.byteLength)} → ${image.mime} ${image.width}×${image.height} ${formatBytes(image.bytes.byteLength)} (${image.action}; ${Math.round(t.decodeMs + t.resizeMs + t.encodeMs)} ms)${image.notes.length ? `; ${image.notes.join('; ')}` : ''}`,
  );

  const target = options.target ?? (await askForTarget(deps.workspaceState));
  if (!target) {
    return { status: 'dismissed', image: imageInfo };
  }
  const instruction = options.instruction ?? (await askForInstruction());
  if (instruction === undefined) {
    return { status: 'dismissed', target, image: imageInfo };
  }

  let client: KimiClient;
  try {
    client = await connection.client('Mockup to Code');
  } catch (err) {
    // No key (the connection offered Set API Key) or the endpoint's origin not approved: say which.
    return { status: 'failed', message: err instanceof Error ? err.message : String(err), errorKind: 'noClient', target, image: imageInfo };
  }
  const model = connection.settingsNow.visionModel;
  // A model the endpoint does not list (a retired kimi-k2.5): one message, the one-click switch, no request.
  const unlisted = await connection.migration.check('vision.model', client);
  if (unlisted) {
    return { status: 'failed', message: unlisted.message, errorKind: 'modelNotFound', target, image: imageInfo };
  }
  const vision = checkVisionModel(model, await connection.modelList(client));
  if (!vision.ok) {
    const use = vision.suggestion ? `Use ${vision.suggestion}` : undefined;
    log.warn('mockup', vision.message);
    void notifier.show('error', `Moonpilot: ${vision.message}`, ...(use ? [use] : []), OPEN_SETTINGS).then(async (choice) => {
      if (choice === use && vision.suggestion) {
        await settings.update('vision.model', vision.suggestion, vscode.ConfigurationTarget.Global);
      } else if (choice === OPEN_SETTINGS) {
        await vscode.commands.executeCommand('workbench.action.openSettings', 'moonpilot.vision.model');
      }
    });
    return { status: 'failed', message: vision.message, errorKind: 'noVision', target, image: imageInfo };
  }
  if (!vision.known) {
    log.info('mockup', `cannot tell whether ${model} takes images (no /models entry); trying`);
  }

  let outcome = await generateCode({ client, model, image, imageName: name, target, instruction, cancellation: options.cancellation }, log);
  if (outcome.status === 'failed' && outcome.errorKind === 'contextTooLong') {
    // Shrink what fills the window, the image, and try once more.
    const smaller = await smallerImage(uri, name, image);
    if (smaller) {
      log.warn('mockup', `${name}: over the context window at ${image.width}×${image.height}; retrying once at ${smaller.width}×${smaller.height}`);
      image = smaller;
      imageInfo = { mime: image.mime, width: image.width, height: image.height, byteLength: image.bytes.byteLength, original: image.original, action: image.action };
      outcome = await generateCode({ client, model, image, imageName: name, target, instruction, cancellation: options.cancellation }, log);
    }
  }
  if (outcome.status === 'failed' && outcome.errorKind === 'modelNotFound') {
    const problem = await connection.migration.notFound('vision.model', client, model);
    return { status: 'failed', message: problem.message, errorKind: 'modelNotFound', target, image: imageInfo };
  }
  const result: MockupResult = { status: outcome.status, target, image: imageInfo, document: outcome.document?.uri, errorKind: outcome.errorKind };
  const retryOptions = { target, instruction };
  const retry = (): Thenable<unknown> => vscode.commands.executeCommand(COMMANDS.mockupToCode, uri, retryOptions);
  const onChoice = (choice: string | undefined): Thenable<unknown> | undefined =>
    choice === RETRY ? retry() : choice === SET_API_KEY_ACTION ? vscode.commands.executeCommand(COMMANDS.setApiKey) : undefined;
  switch (outcome.status) {
    case 'done': {
      const actions = target === 'html' ? [OPEN_PREVIEW, SAVE_TO_WORKSPACE] : [SAVE_TO_WORKSPACE];
      const doc = outcome.document;
      void notifier.show('info', `Moonpilot: generated ${TARGETS[target].label} from ${name}.`, ...actions).then((choice) => {
        if (doc && choice === OPEN_PREVIEW) {
          openMockupPreview(doc.getText(), name);
        } else if (doc && choice === SAVE_TO_WORKSPACE) {
          return saveToWorkspace(doc, uri, target, notifier);
        }
        return undefined;
      });
      break;
    }
    case 'cancelled':
      result.message = outcome.document ? 'Generation cancelled; the partial code stays in the editor, marked incomplete.' : 'Generation cancelled.';
      void notifier.show('info', `Moonpilot: ${result.message}`);
      break;
    case 'incomplete':
      result.message = `The answer stopped early: ${outcome.reason ?? ''} The partial code stays in the editor, marked incomplete.`;
      void notifier.show('error', `Moonpilot: ${result.message}`, ...failureActions(outcome.errorKind)).then(onChoice);
      break;
    case 'failed':
      result.message = outcome.reason ?? 'The request failed.';
      void notifier.show('error', `Moonpilot: ${result.message}`, ...failureActions(outcome.errorKind)).then(onChoice);
      break;
  }
  return result;
}

/** Asks where to save (next to the image by default) and writes the generated file there. */
async function saveToWorkspace(doc: vscode.TextDocument, imageUri: vscode.Uri, target: MockupTarget, notifier: Notifier): Promise<void> {
  const info = TARGETS[target];
  const base = path.basename(imageUri.path).replace(/\.[^.]+$/, '');
  const folder = vscode.workspace.getWorkspaceFolder(imageUri) ? vscode.Uri.joinPath(imageUri, '..') : vscode.workspace.workspaceFolders?.[0]?.uri;
  const fileName = `${target === 'html' ? base : toPascalCase(base)}.${info.fileExtension}`;
  const destination = await vscode.window.showSaveDialog({
    title: 'Moonpilot: save the generated code',
    defaultUri: folder ? vscode.Uri.joinPath(folder, fileName) : undefined,
    filters: { [info.label]: [info.fileExtension] },
  });
  if (!destination) {
    return;
  }
  await vscode.workspace.fs.writeFile(destination, new TextEncoder().encode(doc.getText()));
  await vscode.window.showTextDocument(destination, { preview: false });
  void notifier.show('info', `Moonpilot: saved ${vscode.workspace.asRelativePath(destination)}.`);
}

function toPascalCase(name: string): string {
  const words = name.split(/[^A-Za-z0-9]+/).filter(Boolean);
  const joined = words.map((w) => w[0].toUpperCase() + w.slice(1)).join('');
  return /^[A-Za-z]/.test(joined) ? joined : `Mockup${joined}`;
}
