/** Injection tokens for values that are not classes. */
export const API_LOGGER = Symbol('mailkeep:api-logger');
export const API_CONFIG = Symbol('mailkeep:api-config');
export const API_METRICS = Symbol('mailkeep:api-metrics');
