/** Bolt and the Web API client log through Klaxon's JSON logger (and its redaction), not the console. */
import { LogLevel, type Logger as SdkLogger } from '@slack/web-api';
import type { Logger } from './logger.ts';

export function slackSdkLogger(logger: Logger): SdkLogger {
  let level: LogLevel = LogLevel.INFO;
  const text = (msg: unknown[]): string => msg.map((m) => (typeof m === 'string' ? m : m instanceof Error ? m.message : JSON.stringify(m))).join(' ');
  // An Error among the arguments is also passed whole, so the line carries its stack and causes.
  const fields = (msg: unknown[]): { error: Error } | undefined => {
    const error = msg.find((m) => m instanceof Error);
    return error instanceof Error ? { error } : undefined;
  };
  return {
    debug: (...msg) => logger.debug(text(msg), fields(msg)),
    info: (...msg) => logger.info(text(msg), fields(msg)),
    warn: (...msg) => logger.warn(text(msg), fields(msg)),
    error: (...msg) => logger.error(text(msg), fields(msg)),
    setLevel: (l) => (level = l),
    getLevel: () => level,
    setName: () => {},
  };
}
