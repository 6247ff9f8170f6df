/**
 * The packer's per-document cache: the scan, the verdict, the token estimate and the rendered
 * blocks of each document for the exact text they were computed from, and the small fixed
 * blocks, so a re-pack after a keystroke re-reads only the active document (contextPacker.ts).
 */
import { fenceFor, fileBlockHead, fileBlockTail } from './blockRendering';
import { contentSkipReason, scanContent, type ContentLimits, type ContentStats } from './contentFilters';
import type { ContextBlock, ExclusionKind, TrackedDocument } from './contextTypes';
import { selectDefinitions, type DefinitionSelection } from './definitionBlock';
import type { Definition } from './definitionTypes';
import { secretContentReason, secretFileReason } from './secretFiles';
import { describeMasked, maskSecretTokens } from './secretTokens';
import { estimateTokens } from './tokenEstimate';

/** @internal Why a document is left out. */
export interface Verdict {
  reason: string;
  kind: ExclusionKind;
}

/** @internal One document's cached work. */
export interface DocEntry {
  /** The document's text as given (the cache key). */
  source: string;
  /** The text that is sent: `source` with credentials masked. */
  text: string;
  /** What was masked ("2 secrets masked (GitHub token, password)"), if anything. */
  masked: string | undefined;
  path: string;
  languageId: string;
  untitled: boolean;
  absolutePath: string | undefined;
  stats: ContentStats;
  limits: ContentLimits;
  verdict: Verdict | null;
  textTokens: number;
  fence: string;
  fileBlock?: ContextBlock;
  activeBlock?: ContextBlock;
}

/**
 * Per-document work saved between packs, keyed by URI and valid for the exact text (and path,
 * language, limits) it was computed from. Also keeps the small fixed blocks.
 */
export class PackCache {
  private readonly docs = new Map<string, DocEntry>();
  private readonly fixed = new Map<string, ContextBlock>();
  private readonly tailTokens = new Map<string, number>();
  private lastDefinitions: { definitions: readonly Definition[]; budget: number; carried: string; activeUri: string | undefined; selection: DefinitionSelection } | undefined;

  /** @internal The definitions block, chosen again only when its inputs change (the keystroke path hands the same array). */
  definitions(definitions: readonly Definition[], budget: number, carried: ReadonlyMap<string, string>, activeUri: string | undefined): DefinitionSelection {
    const key = [...carried.keys()].join('\u0000');
    const last = this.lastDefinitions;
    if (last && last.definitions === definitions && last.budget === budget && last.carried === key && last.activeUri === activeUri) {
      return last.selection;
    }
    const selection = selectDefinitions(definitions, budget, (uri) => carried.get(uri), activeUri);
    // The same bytes as before when the chosen set is the same (a new array from a new lookup).
    const old = last?.selection.block;
    if (old && selection.block && old.text === selection.block.text) {
      selection.block = old;
    }
    this.lastDefinitions = { definitions, budget, carried: key, activeUri, selection };
    return selection;
  }

  /** @internal */
  entry(doc: TrackedDocument, limits: ContentLimits): DocEntry {
    const old = this.docs.get(doc.uri);
    if (
      old &&
      old.source === doc.text &&
      old.path === doc.path &&
      old.languageId === doc.languageId &&
      old.untitled === (doc.untitled ?? false) &&
      old.absolutePath === doc.absolutePath &&
      old.limits === limits
    ) {
      return old;
    }
    const stats = scanContent(doc.text);
    const secret = secretFileReason(doc.relativePath ?? doc.path, doc.absolutePath) ?? secretContentReason(doc.text);
    const skip = secret ? undefined : contentSkipReason(doc.path, stats, limits);
    // Credentials are masked in any file that is sent; one pass, once per text.
    const masked = secret || skip ? undefined : maskSecretTokens(doc.text);
    const fresh: DocEntry = {
      source: doc.text,
      text: masked?.text ?? doc.text,
      masked: masked && masked.count > 0 ? describeMasked(masked) : undefined,
      path: doc.path,
      languageId: doc.languageId,
      untitled: doc.untitled ?? false,
      absolutePath: doc.absolutePath,
      stats,
      limits,
      verdict: secret ? { reason: secret, kind: 'secret' } : skip ? { reason: skip, kind: 'content' } : null,
      // Secret or skipped text is never estimated (nor rendered).
      textTokens: secret || skip ? 0 : estimateTokens(masked?.text ?? doc.text),
      fence: fenceFor(stats.longestBacktickRun),
    };
    this.docs.set(doc.uri, fresh);
    return fresh;
  }

  /** @internal */
  fileBlock(doc: TrackedDocument, entry: DocEntry, role: 'file' | 'activeFile'): ContextBlock {
    const cached = role === 'file' ? entry.fileBlock : entry.activeBlock;
    if (cached) {
      return cached;
    }
    const head = fileBlockHead(doc, role, entry.fence);
    const tail = fileBlockTail(entry.text, entry.fence);
    const block: ContextBlock = {
      kind: role,
      key: doc.path,
      text: head + entry.text + tail,
      tokens: this.smallTokens(head) + entry.textTokens + this.smallTokens(tail),
    };
    if (role === 'file') {
      entry.fileBlock = block;
    } else {
      entry.activeBlock = block;
    }
    return block;
  }

  /** @internal */
  fixedBlock(kind: 'instructions' | 'projectInstructions' | 'workspaceSummary', text: string): ContextBlock {
    const id = `${kind}\u0000${text}`;
    let block = this.fixed.get(id);
    if (!block) {
      if (this.fixed.size > 16) {
        this.fixed.clear();
      }
      block = { kind, key: kind, text, tokens: estimateTokens(text) };
      this.fixed.set(id, block);
    }
    return block;
  }

  private smallTokens(text: string): number {
    let t = this.tailTokens.get(text);
    if (t === undefined) {
      if (this.tailTokens.size > 1000) {
        this.tailTokens.clear();
      }
      t = estimateTokens(text);
      this.tailTokens.set(text, t);
    }
    return t;
  }

  /** @internal Drops entries of documents no longer open. */
  retain(uris: ReadonlySet<string>): void {
    for (const uri of this.docs.keys()) {
      if (!uris.has(uri)) {
        this.docs.delete(uri);
      }
    }
  }
}
