/** Injection token of the service's pino Logger. The metrics registry is injected by its class, `Registry`. */
export const OBSERVABILITY_LOGGER = Symbol('keel.observability.logger');
export const OBSERVABILITY_OPTIONS = Symbol('keel.observability.options');
