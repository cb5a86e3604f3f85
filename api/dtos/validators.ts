import { registerDecorator, type ValidationOptions } from 'class-validator';

const CURRENCIES = new Set(Intl.supportedValuesOf('currency'));

/** An ISO 4217 code that the runtime knows, in upper case. */
export function IsCurrencyCode(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isCurrencyCode',
      target: target.constructor,
      propertyName: String(propertyName),
      options: {
        message: `${String(propertyName)} must be an ISO 4217 currency code such as CNY or USD`,
        ...options,
      },
      validator: { validate: (value: unknown) => typeof value === 'string' && CURRENCIES.has(value) },
    });
}

/** Largest amount in minor units accepted anywhere: well inside integer precision. */
export const MAX_AMOUNT = 1_000_000_000_00;
export const MAX_QUANTITY = 1_000_000;
export const MAX_STOCK = 1_000_000_000;
