import { join } from 'node:path';

import type { RequestHandler } from 'express';
import type express from 'express';

/**
 * Vite names the built assets by their content hash (assets/index-<hash>.js): a name never
 * changes content, so browsers may keep them for a year. index.html is revalidated every time,
 * so a new deployment reaches the browser at the next load.
 */
const ASSET_MAX_AGE_MS = 365 * 24 * 60 * 60 * 1000;

/** Paths that belong to the API (and metrics): never answered with the console. */
function isServerPath(path: string): boolean {
  return /^\/(api|metrics)(\/|$)/.test(path);
}

/**
 * Static files of the console's build, and index.html for every other GET (the console's own
 * routes, e.g. a deep link to /t/<tenant>/runs/<id>). A missing file under /assets stays a 404.
 */
export function consoleMiddleware(dist: string, serveStatic: typeof express.static): RequestHandler {
  const files = serveStatic(dist, {
    index: false,
    fallthrough: true,
    setHeaders: (response, path) => {
      response.setHeader(
        'Cache-Control',
        path.startsWith(join(dist, 'assets'))
          ? `public, max-age=${ASSET_MAX_AGE_MS / 1000}, immutable`
          : 'no-cache',
      );
    },
  });
  const indexHtml = join(dist, 'index.html');
  return (request, response, next) => {
    if ((request.method !== 'GET' && request.method !== 'HEAD') || isServerPath(request.path)) {
      next();
      return;
    }
    files(request, response, (error?: unknown) => {
      if (error !== undefined && error !== null) {
        next(error);
        return;
      }
      if (request.path.startsWith('/assets/')) {
        next();
        return;
      }
      response.setHeader('Cache-Control', 'no-cache');
      response.sendFile(indexHtml, (sendError?: Error) => {
        if (sendError) next(sendError);
      });
    });
  };
}
