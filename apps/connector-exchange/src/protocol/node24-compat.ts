import util from 'node:util';

/**
 * ews-javascript-api 0.15.3 calls `util.isNullOrUndefined` (ExtendedPropertyDefinition, when it
 * reads an extended property's id), one of the `util.is*` helpers deprecated since Node 4 and
 * removed in Node 23. The library reads it from the shared `util` module object at call time, so
 * restoring that one function with its documented meaning before the first EWS call is enough
 * (decision 0014). Nothing else of the library touches removed APIs (checked with grep for
 * `util.is` over its `js/` tree).
 */
const legacy = util as unknown as { isNullOrUndefined?: (value: unknown) => boolean };
legacy.isNullOrUndefined ??= (value: unknown): boolean => value === null || value === undefined;
