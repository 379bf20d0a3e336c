// lz4js 0.2.0 ships no types; only its default export is used (as unknown).
declare module "lz4js" {
  const lz4: unknown;
  export default lz4;
}
