import { Models } from "@cyclonedx/cyclonedx-library";

/** A property value before stringification; `undefined` entries are dropped. */
export type PropertyValue = string | number | boolean | undefined;

/** Prefix of every property this reporter writes (CycloneDX property taxonomy style). */
export const NS = "modelward";

/** A property repository in the given order, skipping undefined values. */
export function propertiesOf(entries: readonly (readonly [string, PropertyValue])[]): Models.PropertyRepository {
  const repo = new Models.PropertyRepository();
  for (const [name, value] of entries) if (value !== undefined) repo.add(new Models.Property(name, String(value)));
  return repo;
}
