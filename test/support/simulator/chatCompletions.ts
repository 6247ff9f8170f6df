import type { ServerResponse } from 'node:http';
import { validateChatRequest, type ValidChat } from './chatValidation';
import { completionBody, emptyChoicesPayload, newCompletionMeta, streamPayloads } from './completionFormat';
import { isJsonObject } from './jsonObject';
import type { PrefixCache } from './prefixCache';
import { defaultReply, planCompletion } from './replyPlan';
import { writeError, writeJson, writeSse, type Delivery } from './responseWriter';
import { loadRecording } from './sseRecordings';
import type { Fault, HttpErrorReply, RecordedRequest, ScriptedReply, SimFlavor, SimModel, StreamFault } from './types';

/** What serving one `POST /v1/chat/completions` needs from the simulator. */
export interface ChatContext {
  readonly record: RecordedRequest;
  readonly res: ServerResponse;
  readonly models: readonly SimModel[];
  readonly flavor: SimFlavor;
  /** Share of default partial-mode replies on always-reasoning models that end with no content. */
  readonly emptyContinuationRate: number | undefined;
  /** How a validation error is worded on the wire (Kimi's body, or vLLM's). */
  readonly errorReply: (reply: HttpErrorReply) => HttpErrorReply;
  readonly cache: PrefixCache;
  readonly chunkSize: number;
  /** The first matching scripted reply, if any (consumes one use). */
  readonly findReply: (record: RecordedRequest) => ScriptedReply | undefined;
  /** The first matching injected fault, if any (consumes one use). */
  readonly takeFault: (record: RecordedRequest) => Fault | undefined;
  readonly signal: AbortSignal;
  readonly onCut: () => void;
}

/**
 * Serves a chat completion: Kimi's validation first (so an invalid request fails as on Kimi, even
 * when scripted), then injected faults, then the scripted or default reply, JSON or SSE.
 */
export async function serveChatCompletion(ctx: ChatContext): Promise<void> {
  const validation = validateChatRequest(ctx.record.body, ctx.models, ctx.flavor);
  if (!validation.ok) {
    await writeError(ctx.res, ctx.errorReply(validation.error));
    return;
  }
  const chat = validation.chat;
  ctx.record.reasoningReplayed = chat.reasoningReplayed;
  const injected = ctx.takeFault(ctx.record);
  const reply = ctx.findReply(ctx.record) ?? defaultReply(chat, ctx.emptyContinuationRate);
  const faults = [injected, reply.fault].filter((f): f is Fault => f !== undefined);
  const latency = faults.reduce((sum, f) => sum + (f.kind === 'latency' ? f.ms : 0), 0);
  const delivery: Delivery = {
    firstByteDelayMs: latency + (reply.firstByteDelayMs ?? 0),
    chunkDelayMs: reply.chunkDelayMs ?? 0,
    fault: faults.find(isStreamFault),
    signal: ctx.signal,
    onCut: ctx.onCut,
  };
  const httpFault = faults.find((f): f is Fault & { kind: 'http' } => f.kind === 'http');
  if (httpFault) {
    await writeError(ctx.res, httpFault, delivery);
    return;
  }
  if (reply.status !== undefined) {
    await writeError(ctx.res, scriptedError(reply), delivery);
    return;
  }
  const cachedTokens = ctx.cache.lookupAndRemember(chat.prompt, chat.cachePartition);
  if (reply.replay !== undefined) {
    await serveReplay(ctx.res, reply.replay, delivery);
    return;
  }
  await serveCompletion(ctx, chat, reply, cachedTokens, delivery);
}

async function serveCompletion(
  ctx: ChatContext,
  chat: ValidChat,
  reply: ScriptedReply,
  cachedTokens: number,
  delivery: Delivery,
): Promise<void> {
  const plan = planCompletion(chat, reply, cachedTokens, ctx.chunkSize);
  const meta = newCompletionMeta(chat.model.id);
  const emptyChoices = delivery.fault?.kind === 'emptyChoices';
  if (chat.stream) {
    const payloads = emptyChoices
      ? [emptyChoicesPayload(meta), emptyChoicesPayload(meta, plan.usage ?? undefined)]
      : streamPayloads(meta, plan, chat.includeUsage);
    await writeSse(ctx.res, payloads, delivery);
    return;
  }
  const body = completionBody(meta, plan);
  if (emptyChoices) {
    body.choices = [];
  }
  await writeJson(ctx.res, 200, JSON.stringify(body), delivery);
}

/** Serves a recording verbatim: `.json` as the response body, streams as SSE + `[DONE]`. */
async function serveReplay(res: ServerResponse, name: string, delivery: Delivery): Promise<void> {
  const recording = loadRecording(name);
  if (recording.kind === 'json') {
    await writeJson(res, 200, recording.bodyText ?? '', delivery);
  } else {
    await writeSse(res, recording.payloads, delivery);
  }
}

/** `error` may be the whole body (`{error:{...}}`, or text) or just its inner `{message, type}`. */
function scriptedError(reply: ScriptedReply): HttpErrorReply {
  const status = reply.status ?? 500;
  const error = reply.error ?? { message: `Simulated error ${status}`, type: status >= 500 ? 'server_error' : 'invalid_request_error' };
  const body = isJsonObject(error) && !('error' in error) ? { error } : error;
  return { status, body };
}

function isStreamFault(fault: Fault): fault is StreamFault {
  return fault.kind === 'stall' || fault.kind === 'cut' || fault.kind === 'malformed' || fault.kind === 'emptyChoices';
}
