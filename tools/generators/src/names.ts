/**
 * A service or PSP name is one lower-case word: it becomes a folder, a URL path, a database name
 * (`keel_<name>`), an environment variable prefix (`PSP_<NAME>_URL`) and a TypeScript identifier,
 * and `keel_<name>` with a hyphen would not be a database name the service environment accepts.
 */
const NAME_PATTERN = /^[a-z][a-z0-9]{1,29}$/;

/** The spellings of one name that generated code needs. */
export interface NameForms {
  /** `risk`: folders, files, tags, URL paths. */
  readonly fileName: string;
  /** `Risk`: classes and types. */
  readonly className: string;
  /** `RISK`: constants and environment variables. */
  readonly constantName: string;
}

/** Throws when `name` cannot serve as all of NameForms. */
export function nameFormsOf(name: string, what: string): NameForms {
  if (!NAME_PATTERN.test(name)) {
    throw new Error(
      `${what} name '${name}' must be 2-30 lower-case letters and digits, starting with a letter`,
    );
  }
  return {
    fileName: name,
    className: `${name.charAt(0).toUpperCase()}${name.slice(1)}`,
    constantName: name.toUpperCase(),
  };
}
