import * as vscode from 'vscode';
import { KimiError } from '../../core/kimi/kimiErrors';
import type { FinishReason } from '../../core/kimi/kimiTypes';
import { CodeStreamExtractor } from '../../core/mockup/codeExtraction';
import type { PreparedImage } from '../../core/mockup/imagePreparation';
import { toDataUrl } from '../../core/mockup/imagePreparation';
import { buildMockupRequest } from '../../core/mockup/mockupPrompt';
import { TARGETS, type MockupTarget } from '../../core/mockup/mockupTargets';
import type { KimiClient } from '../../core/kimi/kimiClient';
import type { OutputLogger } from '../outputLogger';
import { StreamingDocument } from './streamingDocument';

/** How a generation ended. `dismissed`: the user closed a picker before anything was sent. */
export type MockupStatus = 'done' | 'incomplete' | 'cancelled' | 'failed' | 'dismissed';

export interface GenerationOutcome {
  status: Exclude<MockupStatus, 'dismissed'>;
  /** The editor holding the code, when any code arrived. */
  document?: vscode.TextDocument;
  /** Why it is not `done`, for the user. */
  reason?: string;
  errorKind?: string;
}

export interface GenerationInput {
  client: KimiClient;
  model: string;
  image: PreparedImage;
  imageName: string;
  target: MockupTarget;
  instruction: string;
  /** Cancels besides the notification's Cancel button (scripts and tests). */
  cancellation?: vscode.CancellationToken;
}

/**
 * Sends the request and streams the code into a new untitled editor under a cancellable progress
 * notification. The editor opens with the first line of code; when the answer stops early
 * (failure, cancel, token limit) the partial code stays and gets a comment at the top saying it
 * is incomplete and why. Cancel aborts the request, which closes the connection.
 */
export function generateCode(input: GenerationInput, log: OutputLogger): Thenable<GenerationOutcome> {
  const target = TARGETS[input.target];
  const request = buildMockupRequest(input.model, {
    target: input.target,
    imageDataUrl: toDataUrl(input.image),
    width: input.image.width,
    height: input.image.height,
    crop: input.image.crop,
    instruction: input.instruction,
  });
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Moonpilot: ${target.label} from ${input.imageName}`, cancellable: true },
    async (progress, token) => {
      const controller = new AbortController();
      const subscriptions = [token, input.cancellation].flatMap((t) => (t ? [t.onCancellationRequested(() => controller.abort())] : []));
      if (input.cancellation?.isCancellationRequested) {
        controller.abort();
      }
      const extractor = new CodeStreamExtractor();
      let editor: StreamingDocument | undefined;
      let lines = 0;
      let finish: FinishReason | undefined;
      let failure: unknown;
      const write = async (code: string): Promise<void> => {
        if (code === '') {
          return;
        }
        editor ??= await StreamingDocument.open(target.languageId, target.fallbackLanguageId);
        editor.append(code);
        lines += code.split('\n').length - 1;
        progress.report({ message: `${lines} lines…` });
      };
      progress.report({ message: 'sending the mockup…' });
      try {
        for await (const event of input.client.stream(request, controller.signal)) {
          if (event.kind === 'thinking' && !editor) {
            progress.report({ message: 'reading the mockup…' });
          } else if (event.kind === 'content') {
            await write(extractor.push(event.text));
          } else if (event.kind === 'finish') {
            finish = event.reason;
          }
        }
      } catch (err) {
        failure = err;
      } finally {
        subscriptions.forEach((s) => s.dispose());
      }
      await write(extractor.end());
      await editor?.flush();
      if (editor?.failure) {
        log.warn('mockup', `could not write into the editor: ${editor.failure.message}`);
      }
      const outcome = classify(controller.signal.aborted, failure, finish, extractor);
      log.info('mockup', `${outcome.status}: ${extractor.codeLength} chars of ${input.target} code${outcome.reason ? ` (${outcome.reason})` : ''}`);
      if (editor && outcome.status !== 'done') {
        await editor.prepend(`${target.comment(`Moonpilot: INCOMPLETE — ${outcome.reason ?? 'the answer stopped early'} The code below is partial.`)}\n`);
      }
      return { ...outcome, document: editor?.document };
    },
  );
}

function classify(cancelled: boolean, failure: unknown, finish: FinishReason | undefined, extractor: CodeStreamExtractor): Omit<GenerationOutcome, 'document'> {
  if (cancelled || KimiError.is(failure, 'cancelled')) {
    return { status: 'cancelled', reason: 'generation was cancelled.', errorKind: 'cancelled' };
  }
  if (failure !== undefined) {
    const message = KimiError.is(failure) ? failure.message : `Unexpected failure: ${failure instanceof Error ? failure.message : String(failure)}`;
    return { status: extractor.codeLength > 0 ? 'incomplete' : 'failed', reason: message, errorKind: KimiError.is(failure) ? failure.kind : 'unexpected' };
  }
  if (extractor.codeLength === 0) {
    const said = extractor.proseText.trim().replace(/\s+/g, ' ').slice(0, 200);
    return { status: 'failed', reason: said ? `Kimi answered without code: “${said}”` : 'Kimi sent an empty answer.', errorKind: 'noCode' };
  }
  if (finish === 'length') {
    return { status: 'incomplete', reason: `the answer reached its output limit.`, errorKind: 'length' };
  }
  if (finish === 'content_filter') {
    return { status: 'incomplete', reason: "Kimi's content filter stopped the answer.", errorKind: 'contentFilter' };
  }
  return { status: 'done' };
}
