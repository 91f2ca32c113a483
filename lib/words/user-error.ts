// A mistake a user can make gets one clear sentence and a non-zero exit, never a stack trace.
export class UserError extends Error {
  constructor(
    message: string,
    readonly exitCode = 2,
  ) {
    super(message);
  }
}

export function failWith(error: unknown): never {
  if (error instanceof UserError) {
    process.stderr.write(`procbook: ${error.message}\n`);
    process.exit(error.exitCode);
  }
  throw error;
}
