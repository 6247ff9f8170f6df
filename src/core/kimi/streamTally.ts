import { estimateMessagesTokens, estimateTokens } from '../context/tokenEstimate';
import type { KimiError } from './kimiErrors';
import type { ChatMessage, StreamEvent, Usage } from './kimiTypes';

/**
 * What one streamed request has brought so far: whether it finished, whether anything but usage
 * arrived, the usage Kimi reported and the text it sent; and from that, what a failure after the
 * request went out is billed for (issue 15).
 */
export class StreamTally {
  /** A finish reason arrived: the answer is whole. */
  finished = false;
  /** Something other than usage arrived: the user has seen part of the answer. */
  received = false;
  /** The request went out (the server got it, so it may bill for it). */
  sent = false;
  private usage: Usage | undefined;
  private output = '';

  /** `messages`: the request's, for the estimate when Kimi reported no usage. */
  constructor(private readonly messages: readonly ChatMessage[]) {}

  /** Counts one event of the stream. */
  add(event: StreamEvent): void {
    if (event.kind === 'finish') {
      this.finished = true;
    } else if (event.kind === 'usage') {
      this.usage = event.usage;
    } else if (event.kind === 'content' || event.kind === 'thinking') {
      this.output += event.text;
    } else {
      this.output += event.argumentsDelta;
    }
    this.received ||= event.kind !== 'usage';
  }

  /** Marks a failure of a request the server got with what it is billed for (issue 15). */
  billed(error: KimiError): KimiError {
    if (this.sent && error.status === undefined) {
      error.billed = this.usage
        ? { usage: this.usage, estimated: false }
        : { usage: { promptTokens: estimateMessagesTokens(this.messages), cachedTokens: 0, completionTokens: estimateTokens(this.output) }, estimated: true };
    }
    return error;
  }
}
