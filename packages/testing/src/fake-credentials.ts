import { crc32 } from "node:zlib";

/**
 * Fake but well-formed credentials for the tests, built at run time from a
 * seed so no credential-shaped literal sits in the repository. None is real.
 */
const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const HEX = "0123456789abcdef";

export function randomFrom(alphabet: string, n: number, seed: number): string {
  let x = seed >>> 0 || 7;
  let s = "";
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    s += alphabet[(x >>> 0) % alphabet.length];
  }
  return s;
}

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
function base62(n: number): string {
  let s = "";
  do {
    s = BASE62[n % 62]! + s;
    n = Math.floor(n / 62);
  } while (n > 0);
  return s.padStart(6, "0");
}

/** A GitHub classic token whose CRC32 checksum is right (or deliberately wrong). */
export function githubToken(seed: number, validChecksum = true): string {
  const body = randomFrom(ALNUM, 30, seed);
  let sum = base62(crc32(Buffer.from(body)));
  if (!validChecksum) sum = sum.slice(0, 5) + (sum[5] === "A" ? "B" : "A");
  return `gh${"p"}_${body}${sum}`;
}

/** One well-formed fake value per credential kind the secret rules know. */
export const FAKE_CREDENTIALS = {
  hf: () => "hf" + "_" + randomFrom(ALNUM, 34, 11),
  openai: () => "sk-" + "proj-" + randomFrom(ALNUM, 48, 12) + "T3Blbk" + "FJ" + randomFrom(ALNUM, 24, 13),
  anthropic: () => "sk-" + "ant-api03-" + randomFrom(ALNUM + "_-", 95, 14) + "AA",
  replicate: () => "r8" + "_" + randomFrom(ALNUM, 37, 15),
  wandb: () => randomFrom(HEX, 40, 16),
  kaggleKey: () => randomFrom(HEX, 32, 17),
  neptune: () => Buffer.from(JSON.stringify({ api_address: "https://app.neptune.ai", api_url: "https://app.neptune.ai", api_key: randomFrom(HEX, 36, 18) })).toString("base64"),
  azureKey: () => randomFrom(ALNUM + "+/", 86, 19) + "==",
  awsId: () => "AK" + "IA" + randomFrom("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16, 20),
  awsSecret: () => randomFrom(ALNUM + "/+", 40, 21),
  googleApi: () => "AI" + "za" + randomFrom(ALNUM + "_-", 35, 22),
  cohere: () => randomFrom(ALNUM, 40, 23),
  comet: () => randomFrom(ALNUM, 25, 24),
  slack: () => "xo" + "xb-" + randomFrom("0123456789", 11, 25) + "-" + randomFrom("0123456789", 13, 26) + "-" + randomFrom(ALNUM, 24, 27),
  password: () => "Tr0ub4dor&" + randomFrom(ALNUM, 6, 28),
};

