import { ArgumentMetadata } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsInt, IsNotEmpty, IsString, Min, ValidateNested } from 'class-validator';
import { ObservabilityErrorCode } from './observability.error';
import { ValidationFailedException } from './validation-failed.error';
import { fieldErrors, validationPipe } from './validation.pipe';

class AddressDto {
  @IsString()
  @IsNotEmpty()
  city!: string;
}

class CheckoutDto {
  @IsInt()
  @Min(1)
  amountMinor!: number;

  @ValidateNested()
  @Type(() => AddressDto)
  address!: AddressDto;
}

const bodyOf = (metatype: ArgumentMetadata['metatype']): ArgumentMetadata => ({ type: 'body', metatype });

async function validationErrors(body: unknown, maxErrors?: number) {
  try {
    await validationPipe({ maxErrors }).transform(body, bodyOf(CheckoutDto));
  } catch (error: unknown) {
    if (error instanceof ValidationFailedException) return error.errors;
    throw error;
  }
  throw new Error('expected validation to fail');
}

describe('validationPipe', () => {
  it('transforms a valid body into the DTO class', async () => {
    const result: unknown = await validationPipe().transform(
      { amountMinor: 100, address: { city: 'Lyon' } },
      bodyOf(CheckoutDto),
    );
    expect(result).toBeInstanceOf(CheckoutDto);
  });

  it('lists each failed constraint with its dotted field path and never the value', async () => {
    const errors = await validationErrors({ amountMinor: 'lots', address: { city: '' } });
    expect(errors).toEqual(
      expect.arrayContaining([
        { field: 'amountMinor', message: expect.stringContaining('integer') },
        { field: 'address.city', message: 'city should not be empty' },
      ]),
    );
    expect(JSON.stringify(errors)).not.toContain('lots');
  });

  it('rejects properties the DTO does not declare', async () => {
    const errors = await validationErrors({ amountMinor: 1, address: { city: 'Lyon' }, cardNumber: '4111' });
    expect(errors).toEqual([{ field: 'cardNumber', message: 'property cardNumber should not exist' }]);
  });

  it('bounds the number of listed errors', async () => {
    const errors = await validationErrors({ amountMinor: 'x', address: { city: '' }, a: 1, b: 2 }, 2);
    expect(errors).toHaveLength(3);
    expect(errors[2]).toEqual({ field: '*', message: expect.stringMatching(/^\d+ more errors omitted$/) });
  });

  it('refuses an invalid limit', () => {
    expect(() => validationPipe({ maxErrors: 0 })).toThrow(
      expect.objectContaining({ code: ObservabilityErrorCode.InvalidLimit }),
    );
  });
});

describe('fieldErrors', () => {
  it('masks a card number that names a property', () => {
    const errors = fieldErrors(
      [
        {
          property: '4111111111111111',
          constraints: { whitelistValidation: 'property 4111111111111111 should not exist' },
        },
      ],
      10,
    );
    expect(errors).toEqual([{ field: '411111…1111', message: 'property 411111…1111 should not exist' }]);
  });

  it('follows array indexes into nested errors', () => {
    const errors = fieldErrors(
      [
        {
          property: 'items',
          children: [
            { property: '0', children: [{ property: 'sku', constraints: { isString: 'bad sku' } }] },
          ],
        },
      ],
      10,
    );
    expect(errors).toEqual([{ field: 'items.0.sku', message: 'bad sku' }]);
  });
});
