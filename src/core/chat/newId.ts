/** Ids for chats, turns and attachments. */

let counter = 0;
/** Ids safe for the protocol's id check (`[\w.:-]+`). */
export function newId(prefix: string, now: number = Date.now()): string {
  counter = (counter + 1) % 1_000_000;
  return `${prefix}-${now.toString(36)}-${counter.toString(36)}-${Math.floor(Math.random() * 1e6).toString(36)}`;
}
