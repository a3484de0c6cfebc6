// Typed errors for usage and environment problems. Odd kernel output is never
// an error: it becomes a corrupted report or an ignored line instead.

export type ErrorCode =
  | 'usage.invalid'
  | 'input.not-found'
  | 'input.unreadable'
  | 'input.read-failed'
  | 'input.decompress-failed'
  | 'config.invalid'
  | 'output.unwritable';

export interface ErrorLocation {
  /** File the problem is in, when there is one. */
  file?: string;
  /** 1-based line in that file, when known. */
  line?: number;
}

export class KtriageError extends Error {
  readonly code: ErrorCode;
  readonly exitCode: number;
  readonly file: string | undefined;
  readonly line: number | undefined;

  constructor(code: ErrorCode, message: string, where: ErrorLocation = {}, exitCode = 2) {
    super(message);
    this.name = 'KtriageError';
    this.code = code;
    this.exitCode = exitCode;
    this.file = where.file;
    this.line = where.line;
  }

  /** One line for a terminal: "file:line: message". */
  describe(): string {
    const at = this.file === undefined ? '' : this.line === undefined ? `${this.file}: ` : `${this.file}:${this.line}: `;
    return `${at}${this.message}`;
  }
}

/** Maps a Node.js file-system error to a KtriageError naming the file. */
export function fromFsError(err: unknown, file: string): KtriageError {
  const code = typeof err === 'object' && err !== null && 'code' in err ? String((err as { code: unknown }).code) : '';
  if (code === 'ENOENT') return new KtriageError('input.not-found', 'no such file or directory', { file });
  if (code === 'EACCES' || code === 'EPERM') return new KtriageError('input.unreadable', 'permission denied', { file });
  if (code === 'EISDIR') return new KtriageError('input.unreadable', 'is a directory', { file });
  const msg = err instanceof Error ? err.message : String(err);
  return new KtriageError('input.read-failed', msg, { file });
}

/** Maps a failure to create or write an output file to a KtriageError naming the file. */
export function outputError(err: unknown, file: string): KtriageError {
  const code = typeof err === 'object' && err !== null && 'code' in err ? String((err as { code: unknown }).code) : '';
  const reason: Record<string, string> = {
    ENOENT: 'cannot write: no such directory',
    EACCES: 'cannot write: permission denied',
    EPERM: 'cannot write: permission denied',
    EISDIR: 'cannot write: is a directory',
    ENOSPC: 'cannot write: no space left on device',
    EROFS: 'cannot write: read-only file system',
  };
  const msg = reason[code] ?? `cannot write: ${err instanceof Error ? err.message : String(err)}`;
  return new KtriageError('output.unwritable', msg, { file });
}
