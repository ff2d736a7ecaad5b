import { createHash } from 'node:crypto';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

/** A file served to browsers, built once at start-up. */
export interface BrowserAsset {
  body: string;
  contentType: string;
  /** A short hash of the body: the page's links carry it, so a new build is a new URL. */
  version: string;
}

export interface BrowserAssets {
  /** The search page's enhancement: suggestions, territory pickers, my commune remembered. */
  pageJs: BrowserAsset;
  pageCss: BrowserAsset;
  /** The partners' widget: a `<public-action-search>` web component. */
  widgetJs: BrowserAsset;
}

const BROWSER_DIR = path.join(import.meta.dirname, '..', 'browser');

/**
 * Bundles and minifies the browser code (browser/, TypeScript) with esbuild, in memory: no build step
 * to forget, and what is served is always what the code says. About 100 ms, once per process.
 */
export async function buildBrowserAssets(): Promise<BrowserAssets> {
  const output = await build({
    entryPoints: {
      page: path.join(BROWSER_DIR, 'search-page.ts'),
      widget: path.join(BROWSER_DIR, 'widget.ts'),
      'page-style': path.join(BROWSER_DIR, 'search-page.css'),
    },
    bundle: true,
    minify: true,
    format: 'iife',
    target: ['es2020', 'chrome100', 'firefox100', 'safari15'],
    outdir: 'out',
    write: false,
    legalComments: 'none',
    charset: 'utf8',
  });
  const file = (name: string) => {
    const found = output.outputFiles.find((candidate) => path.basename(candidate.path) === name);
    if (!found) throw new Error(`esbuild produced no ${name}`);
    return found.text;
  };
  return {
    pageJs: asset(file('page.js'), 'text/javascript; charset=utf-8'),
    pageCss: asset(file('page-style.css'), 'text/css; charset=utf-8'),
    widgetJs: asset(file('widget.js'), 'text/javascript; charset=utf-8'),
  };
}

function asset(body: string, contentType: string): BrowserAsset {
  return { body, contentType, version: createHash('sha256').update(body).digest('base64url').slice(0, 10) };
}

/** Bytes of an asset once gzipped, as a browser downloads it (compress() serves it so). */
export function gzippedSize(asset: BrowserAsset): number {
  return gzipSync(asset.body, { level: 6 }).length;
}
