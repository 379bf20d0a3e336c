// seek-bzip 2.0.0 and lz4js 0.2.0 ship no types; only the members used here are declared (as unknown).
declare module "seek-bzip" {
  const Bunzip: unknown;
  export default Bunzip;
}
declare module "lz4js" {
  const lz4: unknown;
  export default lz4;
}
