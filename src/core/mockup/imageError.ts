/**
 * Why an image cannot be sent, as a kind plus a message written for the user. The adapter
 * shows `message` as is; tests check `kind`.
 */
export type ImageErrorKind = 'notImage' | 'corrupt' | 'tooLarge' | 'tooSmall';

export class ImageError extends Error {
  constructor(
    readonly kind: ImageErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'ImageError';
  }

  /** Type guard, optionally for one kind: `ImageError.is(e, 'corrupt')`. */
  static is(value: unknown, kind?: ImageErrorKind): value is ImageError {
    return value instanceof ImageError && (kind === undefined || value.kind === kind);
  }
}
