import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

export interface StaticFile {
  readonly contentType: string;
  readonly body: Buffer;
}

const PUBLIC = path.join(import.meta.dirname, 'public');
const PAGE_FILES = [
  'dashboard.js',
  'card.js',
  'charts.js',
  'dead-letters.js',
  'dom.js',
  'memory.js',
  'overview.js',
  'dashboard.css',
];
const UPLOT_FILES = ['uPlot.iife.min.js', 'uPlot.min.css'];
const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

/** The page, its scripts and style, and uPlot from node_modules (no CDN, no build step), by URL path. */
export function loadStaticFiles(): ReadonlyMap<string, StaticFile> {
  const require = createRequire(import.meta.url);
  const file = (filePath: string): StaticFile => ({
    contentType: CONTENT_TYPES[path.extname(filePath)] ?? 'application/octet-stream',
    body: readFileSync(filePath),
  });
  return new Map([
    ['/', file(path.join(PUBLIC, 'index.html'))],
    ...PAGE_FILES.map((name) => [`/${name}`, file(path.join(PUBLIC, name))] as const),
    ...UPLOT_FILES.map(
      (name) => [`/vendor/${name}`, file(require.resolve(`uplot/dist/${name}`))] as const,
    ),
  ]);
}
