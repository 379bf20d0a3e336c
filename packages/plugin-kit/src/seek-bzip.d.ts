// seek-bzip 2.0.0 ships no types; only its default export (the Bunzip constructor) is used.
declare module "seek-bzip" {
  const Bunzip: unknown;
  export default Bunzip;
}
