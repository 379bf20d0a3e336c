import { describe, expect, it } from "vitest";
import { ibanValid, isSpecialIpv4, luhnValid, personalData } from "./pii.js";

const kinds = (text: string) => personalData(text).map((h) => [h.rule.id, h.value]);

describe("personal data", () => {
  it("finds emails but not example, reserved or no-reply addresses, nor image names", () => {
    expect(kinds("contact alice.martin@gmail.com, ops@acme-corp.io; ml-team@example.com, x@foo.test, noreply@github.com, icon@2x.png, git@github.com:org/repo")).toEqual([
      ["notebook/pii-email", "alice.martin@gmail.com"],
      ["notebook/pii-email", "ops@acme-corp.io"],
    ]);
  });

  it("finds phone numbers but not fictional 555 ones or plain numbers", () => {
    expect(kinds("call (415) 867-5309 or +44 20 7946 0958; not (415) 555-0123 nor 555-0199; ids 4158675309 0.415 867 5309")).toEqual([
      ["notebook/pii-phone", "(415) 867-5309"],
      ["notebook/pii-phone", "+44 20 7946 0958"],
    ]);
  });

  it("finds SSNs in valid ranges, not impossible or published example ones", () => {
    expect(kinds("ssn 512-48-3379; 000-12-3456 666-12-3456 912-12-3456 123-45-6789 078-05-1120 512-00-3379")).toEqual([["notebook/pii-national-id", "512-48-3379"]]);
  });

  it("finds card numbers that pass Luhn with a known issuer, not test cards or random digits", () => {
    expect(luhnValid("4539578763621486")).toBe(true);
    expect(luhnValid("4539578763621487")).toBe(false);
    expect(kinds("card 4539 5787 6362 1486 and 4539578763621487 and 4111 1111 1111 1111 and 1234567812345670")).toEqual([["notebook/pii-credit-card", "4539 5787 6362 1486"]]);
  });

  it("finds IBANs whose mod-97 checksum holds, not documentation ones", () => {
    expect(ibanValid("DE44500105175407324931")).toBe(true);
    expect(ibanValid("DE44500105175407324932")).toBe(false);
    expect(kinds("pay DE44 5001 0517 5407 3249 31, not DE44500105175407324932 nor GB82 WEST 1234 5698 7654 32")).toEqual([["notebook/pii-iban", "DE44 5001 0517 5407 3249 31"]]);
  });

  it("finds public IPv4 addresses, not private, reserved, documentation, resolver or version numbers", () => {
    expect(isSpecialIpv4("172.20.1.1")).toBe(true);
    expect(isSpecialIpv4("172.32.1.1")).toBe(false);
    expect(kinds("client 81.2.69.142 connected; 10.0.0.5 192.168.1.10 127.0.0.1 203.0.113.7 8.8.8.8 100.64.1.1 torch==1.13.1.2 v2.10.3.4 3.14159.26.5")).toEqual([["notebook/pii-ip-address", "81.2.69.142"]]);
  });

  it("stays quiet on tables of numbers", () => {
    const table = Array.from({ length: 200 }, (_, i) => `${i}  ${(Math.sin(i) * 1e4).toFixed(6)}  ${(i * 123457) % 99991}  ${1.5e9 + i * 86400}  ${(i / 7).toFixed(10)}`).join("\n");
    expect(kinds(table)).toEqual([]);
  });
});
