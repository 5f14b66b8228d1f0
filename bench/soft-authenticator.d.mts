import type { KeyObject } from "node:crypto";

/** Integers, byte strings, text strings and maps: all WebAuthn needs. */
export type Cbor = number | string | Uint8Array | Map<Cbor, Cbor>;

export function encodeCbor(value: Cbor): Buffer;
export function coseKey(publicKey: KeyObject): Buffer;
export function createSoftAuthenticator(options: { origin: string }): unknown;
