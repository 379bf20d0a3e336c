import SevenZip from "7z-wasm";

/**
 * Test fixtures no JS library writes: 7z, xz and bzip2 archives, produced in
 * memory by 7-Zip (WASM) from the given files. Only for tests.
 */
export async function sevenZipFixture(type: "7z" | "xz" | "bzip2", files: Record<string, Uint8Array | string>, extra: string[] = []): Promise<Uint8Array> {
  const sz = await SevenZip({ print: () => undefined, printErr: () => undefined });
  sz.FS.mkdir("/in");
  const names: string[] = [];
  for (const [name, data] of Object.entries(files)) {
    const parts = name.split("/");
    for (let i = 1; i < parts.length; i++) {
      const dir = `/in/${parts.slice(0, i).join("/")}`;
      try {
        sz.FS.mkdir(dir);
      } catch {
        // exists
      }
    }
    sz.FS.writeFile(`/in/${name}`, typeof data === "string" ? new TextEncoder().encode(data) : data);
    names.push(name);
  }
  sz.FS.chdir("/in");
  const saved = process.exitCode;
  try {
    sz.callMain(["a", `-t${type}`, "/out.bin", ...names, "-bso0", "-bsp0", ...extra]);
  } finally {
    process.exitCode = saved;
  }
  return sz.FS.readFile("/out.bin").slice();
}
