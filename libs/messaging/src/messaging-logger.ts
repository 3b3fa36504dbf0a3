/**
 * The logging surface messaging needs. A pino logger (libs/observability) fits it as is; keeping
 * the interface this small lets tests pass a silent or recording logger.
 */
export interface MessagingLogger {
  debug(details: object, message: string): void;
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
}

export const silentLogger: MessagingLogger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
