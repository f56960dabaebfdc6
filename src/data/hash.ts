/** Content hashes: sha-256 hex of raw bytes, so re-importing the same file finds the stored copy. */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { createSHA256 } from 'hash-wasm';

export function contentHash(data: Uint8Array | string): string {
  const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
  return bytesToHex(sha256(bytes));
}

/** The same hash, through WebCrypto when the platform has it (browser, worker, Node: several times faster). */
export async function contentHashAsync(bytes: Uint8Array): Promise<string> {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) return contentHash(bytes);
  return bytesToHex(new Uint8Array(await subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>)));
}

/**
 * Incremental sha-256 for bytes that arrive in chunks (a streamed file); same hex as
 * contentHash. hash-wasm's WebAssembly build: a 73 MB file hashes in ~0.2 s in a browser
 * worker, where @noble/hashes' JavaScript took ~3.8 s (WebCrypto cannot hash incrementally).
 */
export async function createContentHasher(): Promise<{ update(chunk: Uint8Array): void; hex(): string }> {
  const state = await createSHA256();
  state.init();
  return {
    update: (chunk) => void state.update(chunk),
    hex: () => state.digest('hex'),
  };
}
