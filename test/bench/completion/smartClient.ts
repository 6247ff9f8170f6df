import { performance } from 'node:perf_hooks';
import { CompletionService, type CompletionEditor } from '../../../src/core/completion/completionService';
import type { StreamedCompletion } from '../../../src/core/completion/completionStream';
import type { CursorSnapshot } from '../../../src/core/completion/completionTypes';
import type { CompletionFetcher, FetchResult } from '../../../src/core/completion/requestTypes';
import { parseSettings } from '../../../src/core/config/settings';
import type { PackedContext } from '../../../src/core/context/contextTypes';
import { KimiClient } from '../../../src/core/kimi/kimiClient';
import { silentLogger } from '../../../src/core/log/logger';
import type { Clock } from '../../../src/core/platform/clock';
import { benchFetch, counting, requestIds, takeRequestId } from './benchRequests';

/**
 * The extension's completion service, minus VS Code: each request tagged with its benchmark id
 * (read by the fetch wrapper) and the stream it produced.
 */
export function smartClient(model: string, baseUrl: string, apiKey: string, context: (s: CursorSnapshot, text: string) => PackedContext, clock: Clock, currentText: () => string, editor?: CompletionEditor): CompletionService {
  const client = new KimiClient({ baseUrl, apiKey, dialect: 'moonshot', retry: false, fetch: benchFetch });
  const source = counting(client);
  const settings = parseSettings({ get: (key) => (key === 'completion.model' ? model : undefined), userValue: () => undefined }, {});
  const instrument = (inner: CompletionFetcher): CompletionFetcher => (snapshot, signal, onText) => {
    const id = takeRequestId();
    const wrapped = (text: string, partial?: FetchResult): void => onText(text, partial && { ...partial, tag: { id, streamed: partial.tag as StreamedCompletion } });
    return requestIds.run(id, () => inner(snapshot, signal, wrapped)).then((r) => ({ ...r, tag: { id, streamed: r.tag as StreamedCompletion } }));
  };
  return new CompletionService({
    connection: { client: () => Promise.resolve(source) },
    settings: () => settings,
    completionSettings: parseSettings({ get: () => undefined, userValue: () => undefined }, {}).completion,
    context: (s) => context(s, currentText()),
    editor,
    log: silentLogger,
    clock,
    now: () => performance.now(),
    instrument,
  });
}
