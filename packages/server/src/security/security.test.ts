import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { generateApiKey, hashApiKey, keyFromHeaders } from "./api-keys.js";
import { SecretBox } from "./secret-box.js";
import { assertReachable, isBlockedAddress } from "./ssrf-guard.js";

describe("SecretBox", () => {
  const box = new SecretBox(randomBytes(32));
  it("round-trips, never stores the plaintext, and binds the ciphertext to its record", () => {
    const sealed = box.seal("hf_secret_token_value", "int_a");
    expect(sealed.includes(Buffer.from("hf_secret_token_value"))).toBe(false);
    expect(box.open(sealed, "int_a")).toBe("hf_secret_token_value");
    expect(() => box.open(sealed, "int_b")).toThrow();
    const tampered = Buffer.from(sealed);
    tampered[tampered.length - 1]! ^= 1;
    expect(() => box.open(tampered, "int_a")).toThrow();
    expect(() => new SecretBox(randomBytes(32)).open(sealed, "int_a")).toThrow();
  });
});

describe("API keys", () => {
  it("are random, stored as a hash, and read from Bearer or X-API-Key", () => {
    const a = generateApiKey();
    const b = generateApiKey();
    expect(a.key).not.toBe(b.key);
    expect(a.hash).toBe(hashApiKey(a.key));
    expect(a.hash).not.toContain(a.key.slice(4));
    expect(keyFromHeaders({ authorization: `Bearer ${a.key}` })).toBe(a.key);
    expect(keyFromHeaders({ "x-api-key": a.key })).toBe(a.key);
    expect(keyFromHeaders({ authorization: `Basic ${a.key}` })).toBeUndefined();
    expect(keyFromHeaders({})).toBeUndefined();
  });
});

describe("SSRF guard", () => {
  it("refuses loopback, link-local, private and mapped addresses, and allows public ones", () => {
    for (const a of ["127.0.0.1", "127.1.2.3", "169.254.169.254", "10.0.0.1", "192.168.1.1", "172.16.0.1", "100.64.0.1", "0.0.0.0", "::1", "fe80::1", "fd00::1", "::ffff:127.0.0.1", "not-an-ip"])
      expect(isBlockedAddress(a), a).toBe(true);
    for (const a of ["8.8.8.8", "140.82.112.3", "2606:4700::1111"]) expect(isBlockedAddress(a), a).toBe(false);
  });

  it("checks URLs: scheme, credentials, literal and resolved hosts; allows private networks only when configured", async () => {
    await expect(assertReachable("http://127.0.0.1/x", {})).rejects.toThrow(/refused/);
    await expect(assertReachable("http://[::1]:8080/x", {})).rejects.toThrow(/refused/);
    await expect(assertReachable("http://localhost/x", {})).rejects.toThrow(/refused|resolve/);
    await expect(assertReachable("file:///etc/passwd", {})).rejects.toThrow(/scheme/);
    await expect(assertReachable("https://user:pw@example.com/", {})).rejects.toThrow(/credentials/);
    await expect(assertReachable("http://127.0.0.1/x", { allowPrivateNetworks: true })).resolves.toBeUndefined();
    await expect(assertReachable("http://8.8.8.8/x", {})).resolves.toBeUndefined();
  });
});
