/**
 * Canonical JSON and hashing shared by cache keys and node seeds. Canonical means sorted
 * keys, so two equal param objects written in a different key order hash the same.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import { configure } from 'safe-stable-stringify';

/** Sorted-key JSON; throws on circular values instead of writing a marker into a key. */
export const canonicalJson = configure({ deterministic: true, circularValue: Error, bigint: false });

/** Hex sha-256 of the canonical JSON of `value`. */
export function canonicalHash(value: unknown): string {
  return bytesToHex(sha256(utf8ToBytes(canonicalJson(value) ?? 'undefined')));
}

/**
 * A node's seed: the graph seed mixed with the node id, so two random nodes in one graph
 * draw different numbers, and the same graph always gives each node the same seed.
 * An unsigned 32-bit integer.
 */
export function deriveNodeSeed(graphSeed: number, nodeId: string): number {
  const digest = sha256(utf8ToBytes(`${graphSeed}\u0000${nodeId}`));
  return ((digest[0] << 24) | (digest[1] << 16) | (digest[2] << 8) | digest[3]) >>> 0;
}
