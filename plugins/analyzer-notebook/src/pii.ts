import type { Hit } from "./hit.js";
import { RULES } from "./rules.js";

// Personal data detectors. Each one pairs a shape with a check (checksum, valid range) and stays
// quiet on the documentation and example values people paste into notebooks.

const EMAIL = /(?<![\w.%+-])([A-Za-z0-9][A-Za-z0-9._%+-]{0,63})@((?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+([A-Za-z]{2,24}))(?![\w-])/g;
/** RFC 2606 / 6761 reserved names and the usual "nobody" mailboxes. */
const EXAMPLE_DOMAIN = /(?:^|\.)(?:example\.(?:com|org|net|edu)|example|test|invalid|localhost|local|domain\.com|email\.com|yourdomain\.com|company\.com|users\.noreply\.github\.com)$/i;
const NOBODY_LOCAL = /^(?:no-?reply|do-?not-?reply|noreply\+.*|git|root|admin|user|username|name|firstname\.lastname|john\.doe|jane\.doe|foo|bar|test|example|someone|info|support|hello|contact)$/i;
/** File extensions that follow `@2x` style names (`icon@2x.png`), not top-level domains. */
const FILE_TLD = /^(?:png|jpe?g|gif|svg|webp|bmp|ico|js|mjs|ts|css|json|py|ipynb|txt|md|html?|pt|pth|bin|ckpt|onnx|pkl|h5|csv|yaml|yml|toml|lock|zip|gz|tar|whl)$/i;

const NANP = /(?<![\w.+-])(?:\+?1[ .-]?)?\(?([2-9]\d{2})\)?[ .-]([2-9]\d{2})[ .-](\d{4})(?![\w.-]|\d)/g;
const INTL = /(?<![\w.+-])\+([1-9]\d{0,2})[ .-]?\(?\d{1,4}\)?(?:[ .-]?\d{2,4}){2,4}(?![\w.-]|\d)/g;

const SSN = /(?<![\w-])(\d{3})-(\d{2})-(\d{4})(?![\w-])/g;
/** SSNs printed in documentation and on sample cards. */
const EXAMPLE_SSN = new Set(["123-45-6789", "078-05-1120", "219-09-9999", "457-55-5462"]);

const CARD = /(?<![\w.-])((?:\d[ -]?){12,18}\d)(?![\w.-]|\d)/g;
/** Card numbers payment providers publish for testing. */
const TEST_CARDS = new Set([
  "4111111111111111", "4242424242424242", "4012888888881881", "4000056655665556", "4222222222222", "5555555555554444", "5105105105105100",
  "5200828282828210", "2223003122003222", "378282246310005", "371449635398431", "378734493671000", "6011111111111117", "6011000990139424",
  "3530111333300000", "3566002020360505", "30569309025904", "38520000023237", "6200000000000005",
]);

const IBAN = /(?<![A-Za-z0-9])([A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?)(?![A-Za-z0-9])/g;
/** IBAN lengths by country (ISO 13616 registry), for the countries seen most. */
const IBAN_LENGTH: Record<string, number> = {
  AD: 24, AE: 23, AT: 20, BE: 16, BG: 22, BH: 22, BR: 29, CH: 21, CY: 28, CZ: 24, DE: 22, DK: 18, EE: 20, ES: 24, FI: 18, FR: 27, GB: 22, GR: 27,
  HR: 21, HU: 28, IE: 22, IL: 23, IS: 26, IT: 27, KW: 30, KZ: 20, LI: 21, LT: 20, LU: 20, LV: 21, MC: 27, MT: 31, NL: 18, NO: 15, PK: 24, PL: 28,
  PT: 25, QA: 29, RO: 24, SA: 24, SE: 24, SI: 19, SK: 24, SM: 27, TR: 26, UA: 29,
};
/** IBANs from standards documents and bank examples. */
const EXAMPLE_IBANS = new Set(["GB82WEST12345698765432", "GB29NWBK60161331926819", "DE89370400440532013000", "FR1420041010050500013M02606", "NL91ABNA0417164300", "CH9300762011623852957", "BE68539007547034", "ES9121000418450200051332", "IT60X0542811101000000123456"]);

const IPV4 = /(?<![\w.-])((?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?:\.(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3})(?![\w-]|\.\d)/g;
/** Public resolvers and other well-known service addresses: not a person. */
const WELL_KNOWN_IPS = new Set(["8.8.8.8", "8.8.4.4", "1.1.1.1", "1.0.0.1", "9.9.9.9", "149.112.112.112", "208.67.222.222", "208.67.220.220", "4.2.2.2", "4.2.2.1"]);

/** True for an IPv4 address in a private, shared, loopback, link-local, documentation, benchmark, multicast or reserved range (IANA special-purpose registry). */
export function isSpecialIpv4(ip: string): boolean {
  const [a, b, c] = ip.split(".").map(Number) as [number, number, number, number];
  if (a === 0 || a === 10 || a === 127 || a >= 224) return true;
  if (a === 100 && b >= 64 && b <= 127) return true;
  if (a === 169 && b === 254) return true;
  if (a === 172 && b >= 16 && b <= 31) return true;
  if (a === 192 && b === 168) return true;
  if (a === 192 && b === 0 && (c === 0 || c === 2)) return true;
  if (a === 198 && (b === 18 || b === 19)) return true;
  if (a === 198 && b === 51 && c === 100) return true;
  if (a === 203 && b === 0 && c === 113) return true;
  return false;
}

/** Luhn checksum of a digit string. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** ISO 13616 mod-97 check of an IBAN without spaces. */
export function ibanValid(iban: string): boolean {
  const want = IBAN_LENGTH[iban.slice(0, 2)];
  if (want === undefined || iban.length !== want) return false;
  const moved = iban.slice(4) + iban.slice(0, 4);
  let rem = 0;
  for (const ch of moved) {
    const v = ch >= "A" && ch <= "Z" ? ch.charCodeAt(0) - 55 : ch.charCodeAt(0) - 48;
    rem = v >= 10 ? (rem * 100 + v) % 97 : (rem * 10 + v) % 97;
  }
  return rem === 1;
}

/** Issuer prefixes of the major card networks (Visa, Mastercard, Amex, Discover, JCB, Diners, UnionPay). */
function knownIssuer(d: string): boolean {
  const n2 = Number(d.slice(0, 2));
  const n4 = Number(d.slice(0, 4));
  const n3 = Number(d.slice(0, 3));
  if (d[0] === "4") return d.length === 13 || d.length === 16 || d.length === 19;
  if ((n2 >= 51 && n2 <= 55) || (n4 >= 2221 && n4 <= 2720)) return d.length === 16;
  if (n2 === 34 || n2 === 37) return d.length === 15;
  if (d.startsWith("6011") || d.startsWith("65") || (n3 >= 644 && n3 <= 649)) return d.length >= 16;
  if (n4 >= 3528 && n4 <= 3589) return d.length >= 16;
  if (n2 === 36 || n2 === 38 || (n3 >= 300 && n3 <= 305)) return d.length === 14;
  if (n2 === 62) return d.length >= 16;
  return false;
}

function hit(rule: Hit["rule"], kind: string, start: number, value: string, extra: Partial<Hit> = {}): Hit {
  return { rule, kind, start, end: start + value.length, value, detector: "modelward", ...extra };
}

/** Personal data in one text: emails, phone numbers, US SSNs, card numbers, IBANs, public IPv4 addresses. */
export function personalData(text: string): Hit[] {
  const hits: Hit[] = [];
  const add = (h: Hit) => {
    if (hits.length < 10_000) hits.push(h);
  };

  if (text.includes("@")) {
    EMAIL.lastIndex = 0;
    for (let m = EMAIL.exec(text); m; m = EMAIL.exec(text)) {
      const [all, local, domain, tld] = m as unknown as [string, string, string, string];
      if (FILE_TLD.test(tld) || EXAMPLE_DOMAIN.test(domain) || NOBODY_LOCAL.test(local)) continue;
      add(hit(RULES.email, "email address", m.index, all));
    }
  }

  for (const re of [NANP, INTL]) {
    re.lastIndex = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      const digits = m[0].replace(/\D/g, "");
      if (digits.length < 10 || digits.length > 15) continue;
      if (re === NANP && (m[2] === "555" || m[1] === "555")) continue; // fictional numbers
      if (re === INTL && /(?:^|\D)555[ .-]?\d{4}\b/.test(m[0]) && m[1] === "1") continue;
      add(hit(RULES.phone, "phone number", m.index, m[0]));
    }
  }

  SSN.lastIndex = 0;
  for (let m = SSN.exec(text); m; m = SSN.exec(text)) {
    const [all, area, group, serial] = m as unknown as [string, string, string, string];
    if (area === "000" || area === "666" || area[0] === "9" || group === "00" || serial === "0000" || EXAMPLE_SSN.has(all)) continue;
    add(hit(RULES.nationalId, "US Social Security number", m.index, all));
  }

  CARD.lastIndex = 0;
  for (let m = CARD.exec(text); m; m = CARD.exec(text)) {
    const raw = m[1]!;
    // Groups must look like a card (4-4-4-4, 4-6-5) or be one run of digits; mixed separators are something else.
    if (/[ -]/.test(raw) && !/^\d{4}([ -])(?:\d{4}\1\d{4}\1\d{1,7}|\d{6}\1\d{4,5})$/.test(raw)) continue;
    const digits = raw.replace(/\D/g, "");
    if (digits.length < 13 || digits.length > 19 || !knownIssuer(digits) || !luhnValid(digits) || TEST_CARDS.has(digits)) continue;
    if (/^(\d)\1+$/.test(digits)) continue;
    add(hit(RULES.creditCard, "payment card number", m.index, raw));
  }

  IBAN.lastIndex = 0;
  for (let m = IBAN.exec(text); m; m = IBAN.exec(text)) {
    const compact = m[1]!.replace(/ /g, "");
    if (!ibanValid(compact) || EXAMPLE_IBANS.has(compact)) continue;
    add(hit(RULES.iban, "IBAN", m.index, m[1]!));
  }

  IPV4.lastIndex = 0;
  for (let m = IPV4.exec(text); m; m = IPV4.exec(text)) {
    const ip = m[1]!;
    if (isSpecialIpv4(ip) || WELL_KNOWN_IPS.has(ip)) continue;
    // Version strings: `v1.2.3.4`, `==1.2.3.4`, `version 1.2.3.4`.
    const before = text.slice(Math.max(0, m.index - 10), m.index);
    if (/(?:v|==|>=|<=|~=|version\s?|ver\.?\s?)$/i.test(before)) continue;
    add(hit(RULES.ipAddress, "public IPv4 address", m.index, ip, { confidence: "low" }));
  }
  return hits;
}
