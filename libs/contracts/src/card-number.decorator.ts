import { buildMessage, ValidateBy, type ValidationOptions } from 'class-validator';
import { containsCardNumber } from './card-number.util';

export const NO_CARD_NUMBER = 'noCardNumber';

/**
 * Refuses a string that holds a card number anywhere (card-number.util.ts), so that a request
 * carrying one is answered 400 before anything of it is stored. Values of other types are left to
 * the property's other rules; `{ each: true }` checks every item of an array, Set or Map.
 */
export function NoCardNumber(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: NO_CARD_NUMBER,
      validator: {
        validate: (value) => typeof value !== 'string' || !containsCardNumber(value),
        defaultMessage: buildMessage(
          (eachPrefix) => `${eachPrefix}$property must not contain a card number`,
          options,
        ),
      },
    },
    options,
  );
}
