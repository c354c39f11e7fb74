/** An artifact that cannot be used; the message is a sentence saying what is wrong and what to do. */
export class ArtifactError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "ArtifactError";
  }
}
