import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

const VERSION = 1;

/**
 * Encrypts integration secrets at rest with AES-256-GCM under the server key:
 * `version(1) ‖ iv(12) ‖ tag(16) ‖ ciphertext`. The record id is bound as
 * additional data, so a ciphertext copied onto another integration does not
 * decrypt. Secrets are write-only: the API never returns them, only the worker
 * decrypts one to reach a private source.
 */
export class SecretBox {
  constructor(private readonly key: Buffer) {
    if (key.length !== 32) throw new Error("the server key must be 32 bytes (AES-256)");
  }

  seal(plaintext: string, boundTo: string): Buffer {
    const iv = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", this.key, iv);
    cipher.setAAD(Buffer.from(boundTo, "utf8"));
    const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
    return Buffer.concat([Buffer.from([VERSION]), iv, cipher.getAuthTag(), body]);
  }

  open(sealed: Uint8Array, boundTo: string): string {
    const buf = Buffer.from(sealed);
    if (buf.length < 29 || buf[0] !== VERSION) throw new Error("not a sealed secret of this server");
    const decipher = createDecipheriv("aes-256-gcm", this.key, buf.subarray(1, 13));
    decipher.setAAD(Buffer.from(boundTo, "utf8"));
    decipher.setAuthTag(buf.subarray(13, 29));
    return Buffer.concat([decipher.update(buf.subarray(29)), decipher.final()]).toString("utf8");
  }
}

/**
 * The server key: `MODELWARD_SERVER_KEY` (64 hex characters or base64 of 32
 * bytes) when set, which every host sharing a PostgreSQL store must use; else
 * `<dataDir>/server.key`, created once with mode 0600.
 */
export function loadServerKey(options: { env?: NodeJS.ProcessEnv; keyFile?: string }): Buffer {
  const fromEnv = options.env?.MODELWARD_SERVER_KEY?.trim();
  if (fromEnv) return parseKey(fromEnv, "MODELWARD_SERVER_KEY");
  if (!options.keyFile) throw new Error("no server key: set MODELWARD_SERVER_KEY (32 bytes, hex or base64) or give a data folder");
  if (existsSync(options.keyFile)) return parseKey(readFileSync(options.keyFile, "utf8").trim(), options.keyFile);
  mkdirSync(dirname(options.keyFile), { recursive: true });
  const key = randomBytes(32);
  writeFileSync(options.keyFile, key.toString("hex") + "\n", { mode: 0o600, flag: "wx" });
  chmodSync(options.keyFile, 0o600);
  return key;
}

function parseKey(text: string, where: string): Buffer {
  const key = /^[0-9a-f]{64}$/i.test(text) ? Buffer.from(text, "hex") : Buffer.from(text, "base64");
  if (key.length !== 32) throw new Error(`${where}: the server key must be 32 bytes as 64 hex characters or base64`);
  return key;
}
