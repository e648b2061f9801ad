/**
 * Structured logs: one JSON line per event on stdout, level from LOG_LEVEL. Lines written while a Slack request
 * or a job is handled carry its id and the incident (log-context.ts); `child` adds fields of its own.
 * An error is logged by passing the Error itself as a field (`logger.error('…', { error })`): the line carries
 * its message, stack and cause chain, redacted like everything else.
 */
import { logContext } from './log-context.ts';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
  child(fields: Record<string, unknown>): Logger;
  readonly level: LogLevel;
}

export type LogSink = (line: string) => void;

export function createLogger(level: LogLevel, sink: LogSink = (line) => process.stdout.write(`${line}\n`), base: Record<string, unknown> = {}): Logger {
  const write = (lineLevel: LogLevel, message: string, fields?: Record<string, unknown>): void => {
    if (ORDER[lineLevel] < ORDER[level]) return;
    sink(redact(JSON.stringify({ time: new Date().toISOString(), level: lineLevel, msg: message, ...logContext(), ...base, ...fields }, errorReplacer)));
  };
  return {
    level,
    debug: (m, f) => write('debug', m, f),
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
    child: (fields) => createLogger(level, sink, { ...base, ...fields }),
  };
}

/**
 * Slack tokens never reach a log line, whatever carried them (an error message, a URL, a payload): they are
 * recognisable by their prefixes. Response URLs carry a secret path too. The signing secret and the webhook
 * secret are never logged by Klaxon in the first place.
 */
const SECRETS: [RegExp, string][] = [
  [/\bxox[abposr]-[A-Za-z0-9-]+/g, 'xox?-[redacted]'],
  [/\bxapp-[A-Za-z0-9-]+/g, 'xapp-[redacted]'],
  [/(hooks\.slack\.com\/(?:commands|actions|services)\/)[^\s"]+/g, '$1[redacted]'],
];

export function redact(line: string): string {
  return SECRETS.reduce((text, [pattern, replacement]) => text.replace(pattern, replacement), line);
}

/** Causes followed at most this deep, so a cycle of causes cannot grow a line without end. */
const CAUSES_MAX = 5;

function errorReplacer(_key: string, value: unknown): unknown {
  return value instanceof Error ? errorFields(value, CAUSES_MAX) : value;
}

/**
 * An Error as log fields: name, message, Slack's or Node's `code`, the stack, and the cause (`cause`, or the
 * `original` Bolt wraps a listener's error in), each cause the same way.
 */
function errorFields(error: Error, causesLeft: number): Record<string, unknown> {
  const code = (error as { code?: unknown }).code;
  const cause = error.cause ?? (error as { original?: unknown }).original;
  return {
    name: error.name,
    message: error.message,
    ...(typeof code === 'string' || typeof code === 'number' ? { code } : {}),
    ...(error.stack ? { stack: error.stack } : {}),
    ...(cause === undefined || causesLeft === 0 ? {} : { cause: cause instanceof Error ? errorFields(cause, causesLeft - 1) : cause }),
  };
}

/** A logger that drops everything: for tests and tools that do not want output. */
export const silentLogger: Logger = createLogger('error', () => {});
