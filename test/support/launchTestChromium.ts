import { existsSync } from 'node:fs';
import { Browser, chromium } from 'playwright-core';
import { errorMessage } from '../../shared/model/errors';

/** Debian's and Ubuntu's package path; a machine that has it needs nothing extracted. */
const SYSTEM_CHROMIUM = '/usr/bin/chromium';

/**
 * Headless and offline: no GPU, no QUIC, and none of the background fetches (updates, sync, field
 * trials) a fresh profile starts, since only loopback traffic leaves this machine. playwright-core
 * gives every launch a fresh temporary profile (it refuses a --user-data-dir here).
 */
const HEADLESS_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * The Chromium the browser tests drive: the system's when installed, otherwise the one
 * `@sparticuz/chromium` ships inside its npm package, so `npm ci && npm test` needs no apt-get.
 */
export async function launchTestChromium(): Promise<Browser> {
  const executablePath = existsSync(SYSTEM_CHROMIUM) ? SYSTEM_CHROMIUM : await packagedChromium();
  try {
    return await chromium.launch({ executablePath, args: HEADLESS_ARGS });
  } catch (error) {
    // A run killed while the package inflated its binary leaves a truncated file behind, and the
    // package reuses any file at that path: say which file to delete.
    throw new Error(`Chromium at ${executablePath} did not start (if it is a half-extracted copy, delete it and rerun): ${errorMessage(error)}`);
  }
}

/** Inflates the package's brotli-packed binary into the temp directory once; later calls reuse it. */
async function packagedChromium(): Promise<string> {
  const { default: packaged } = await import('@sparticuz/chromium');
  return packaged.executablePath();
}
