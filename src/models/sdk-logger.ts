import type { Logger } from 'pino';

export interface SdkLogger {
  error(message: string, ...rest: unknown[]): void;
  warn(message: string, ...rest: unknown[]): void;
  info(message: string, ...rest: unknown[]): void;
  debug(message: string, ...rest: unknown[]): void;
}

/**
 * Routes an SDK's own log lines into pino. Only the message is kept: the extra arguments can hold request
 * headers, and the SDKs are run at level `warn`, where they have nothing else to say.
 */
export function sdkLogger(log: Logger): SdkLogger {
  const child = log.child({ source: 'sdk' });
  return {
    error: (message) => child.error(String(message)),
    warn: (message) => child.warn(String(message)),
    info: (message) => child.info(String(message)),
    debug: (message) => child.debug(String(message)),
  };
}
