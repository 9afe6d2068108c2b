/** Where the CLI writes; injected so tests can capture it. */
export interface CliIo {
  out(line: string): void;
  err(line: string): void;
  /** Rewrites the current progress line when stderr is a terminal. */
  progress(line: string): void;
}

export class CliFailure extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

export const processIo: CliIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  progress: (() => {
    let lastPlain = 0;
    return (line: string) => {
      if (process.stderr.isTTY) {
        process.stderr.write(`\r\x1b[2K${line}`);
      } else if (Date.now() - lastPlain > 2000) {
        // Logs and CI: one line every two seconds at most.
        lastPlain = Date.now();
        process.stderr.write(`${line}\n`);
      }
    };
  })(),
};
