/** Bolt and the Web API client log through Klaxon's JSON logger (and its redaction), not the console. */
import { LogLevel, type Logger as SdkLogger } from '@slack/web-api';
import type { Logger } from './logger.ts';

export function slackSdkLogger(logger: Logger): SdkLogger {
  let level: LogLevel = LogLevel.INFO;
  const text = (msg: unknown[]): string => msg.map((m) => (typeof m === 'string' ? m : m instanceof Error ? m.message : JSON.stringify(m))).join(' ');
  return {
    debug: (...msg) => logger.debug(text(msg)),
    info: (...msg) => logger.info(text(msg)),
    warn: (...msg) => logger.warn(text(msg)),
    error: (...msg) => logger.error(text(msg)),
    setLevel: (l) => (level = l),
    getLevel: () => level,
    setName: () => {},
  };
}
