import { plainToInstance } from 'class-transformer';
import { getMetadataStorage, IsInt, IsString, validateSync } from 'class-validator';
import { memoizeValidationMetadataLookups } from './validation-metadata-cache';

class Parent {
  @IsString()
  name!: string;
}

class Child extends Parent {
  @IsInt()
  count!: number;
}

function errorsOf(cls: new () => object, plain: object): string[] {
  return validateSync(plainToInstance(cls, plain), { forbidUnknownValues: true }).map(
    (error) => error.property,
  );
}

describe('memoizeValidationMetadataLookups', () => {
  beforeAll(() => memoizeValidationMetadataLookups());

  it('answers a repeated lookup with the rules it found the first time', () => {
    const storage = getMetadataStorage();
    const first = storage.getTargetValidationMetadatas(Child, '', false, false);
    expect(storage.getTargetValidationMetadatas(Child, '', false, false)).toBe(first);
    expect(first.map((rule) => rule.propertyName).sort()).toEqual(['count', 'name']);
  });

  it('validates exactly as before, inherited rules included', () => {
    expect(errorsOf(Child, { name: 'a', count: 1 })).toEqual([]);
    expect(errorsOf(Child, { name: 1, count: 'x' }).sort()).toEqual(['count', 'name']);
    expect(errorsOf(Parent, { name: 2 })).toEqual(['name']);
  });

  it('sees a rule registered after an earlier lookup of the same class', () => {
    class Late {
      @IsString()
      label!: string;
    }
    expect(errorsOf(Late, { label: 1, extra: 2 })).toEqual(['label']);
    IsInt()(Late.prototype, 'extra');
    expect(errorsOf(Late, { label: 1, extra: 'y' }).sort()).toEqual(['extra', 'label']);
  });

  it('memoizes once however often it is called', () => {
    const storage = getMetadataStorage();
    const memoized = storage.getTargetValidationMetadatas;
    memoizeValidationMetadataLookups();
    expect(storage.getTargetValidationMetadatas).toBe(memoized);
  });
});
