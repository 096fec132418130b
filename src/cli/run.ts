/**
 * `longview <command> [flags]`: parses the command line, runs one command, and turns every
 * failure into one line on stderr plus an exit code (see exit-codes.ts). Kept free of
 * `process.exit` so tests can run it in-process.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { LongviewError, UsageError } from '../shared/errors.js';
import { EXIT_CANCELLED, EXIT_CODES, EXIT_OK } from './exit-codes.js';
import { analyzeCommand } from './analyze-command.js';
import { forwardCommand } from './forward-command.js';
import { infoCommand } from './info-command.js';
import { modelsCommand } from './models-command.js';
import { evalCommand } from './eval-command.js';
import { serveCommand } from './serve-command.js';

export interface Output {
  write(text: string): void;
}

export interface CommandContext {
  stdout: Output;
  stderr: Output;
  /** Aborted on Ctrl-C (SIGINT): long commands stop cleanly and exit 130. */
  signal?: AbortSignal | undefined;
  /** Whether stderr is a terminal (progress bars) or a log (one line per step). */
  interactive?: boolean | undefined;
}

export interface Command {
  /** One line for the command list. */
  summary: string;
  usage: string;
  options: NonNullable<ParseArgsConfig['options']>;
  /** Names of the positional arguments the command takes, in order (none when absent). */
  positionals?: readonly string[];
  run(values: Record<string, string | boolean | undefined>, context: CommandContext, positionals: string[]): Promise<void>;
}

const COMMANDS: Readonly<Record<string, Command>> = {
  analyze: analyzeCommand,
  forward: forwardCommand,
  info: infoCommand,
  models: modelsCommand,
  eval: evalCommand,
  serve: serveCommand,
};

function mainUsage(): string {
  const lines = Object.entries(COMMANDS).map(([name, command]) => `  ${name.padEnd(10)}${command.summary}`);
  return [
    'Longview: watches long videos with a TimeSformer and tells you what happens when.',
    '',
    'Usage: longview <command> [flags]',
    '',
    'Commands:',
    ...lines,
    '',
    'Run `longview <command> --help` for a command\'s flags.',
    'Exit codes: 0 ok, 1 internal error, 2 usage, 3 bad input, 4 model error, 5 backend unavailable, 130 cancelled (Ctrl-C).',
    '',
  ].join('\n');
}

export async function runCli(argv: readonly string[], context: CommandContext): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    const topic = name === 'help' ? rest[0] : undefined;
    const command = topic === undefined ? undefined : COMMANDS[topic];
    context.stdout.write(command?.usage ?? mainUsage());
    return EXIT_OK;
  }
  const command = COMMANDS[name];
  try {
    if (command === undefined) throw new UsageError(`unknown command "${name}"; run \`longview --help\` for the list`);
    if (rest.includes('--help') || rest.includes('-h')) {
      context.stdout.write(command.usage);
      return EXIT_OK;
    }
    let values: Record<string, string | boolean | undefined>;
    let positionals: string[];
    const allowed = command.positionals ?? [];
    try {
      // No option is declared `multiple`, so every value is a string or a boolean.
      const parsed = parseArgs({ args: [...rest], options: command.options, strict: true, allowPositionals: allowed.length > 0 });
      values = parsed.values as typeof values;
      positionals = parsed.positionals;
    } catch (error) {
      throw new UsageError(`${name}: ${(error as Error).message.split('\n')[0]}`);
    }
    if (positionals.length > allowed.length) throw new UsageError(`${name}: unexpected argument "${positionals[allowed.length]}"`);
    await command.run(values, context, positionals);
    return EXIT_OK;
  } catch (error) {
    // One line on stderr, whatever failed; LONGVIEW_DEBUG=1 adds the stack for bug reports.
    const debug = process.env.LONGVIEW_DEBUG === '1' && error instanceof Error && error.stack !== undefined ? `\n${error.stack}` : '';
    if (error instanceof LongviewError && error.reason === 'cancelled') {
      context.stderr.write(`longview: ${oneLine(error.message)}\n`);
      return EXIT_CANCELLED;
    }
    if (error instanceof LongviewError) {
      const hint = error.kind === 'usage' ? ` (see \`longview ${command === undefined ? '' : `${name} `}--help\`)` : '';
      context.stderr.write(`longview: ${oneLine(error.message)}${hint}${debug}\n`);
      return EXIT_CODES[error.kind];
    }
    const message = error instanceof Error ? error.message : String(error);
    context.stderr.write(`longview: internal error: ${oneLine(message)} (set LONGVIEW_DEBUG=1 for details)${debug}\n`);
    return EXIT_CODES.internal;
  }
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ');
}

/** Reads a required string flag or throws a usage error naming it. */
export function requireFlag(values: Record<string, string | boolean | undefined>, flag: string): string {
  const value = values[flag];
  if (typeof value !== 'string' || value === '') throw new UsageError(`--${flag} is required`);
  return value;
}
