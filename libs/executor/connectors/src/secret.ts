import { inspect } from 'node:util';

const MASK = '[Secret]';

/**
 * A credential that cannot leak through a log line, an error message or JSON by accident: only
 * `reveal()` gives the value, at the one place it is sent.
 */
export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return MASK;
  }

  toJSON(): string {
    return MASK;
  }

  [inspect.custom](): string {
    return MASK;
  }
}
