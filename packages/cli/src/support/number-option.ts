import { InvalidArgumentError } from 'commander';

/**
 * A commander parser for a numeric flag or argument within `min..max` (whole numbers only with
 * `integer`); anything else is a usage error that names the flag and the range.
 *
 * @example
 * .option('--canary <percent>', '…', numberOption('--canary', { min: 0, max: 100, integer: true }))
 */
export function numberOption(name: string, range: { min: number; max: number; integer?: boolean }) {
  return (value: string): number => {
    const n = Number(value);
    if (
      value.trim() === '' ||
      !Number.isFinite(n) ||
      n < range.min ||
      n > range.max ||
      (range.integer && !Number.isInteger(n))
    ) {
      throw new InvalidArgumentError(
        `${name} must be ${range.integer ? 'a whole number' : 'a number'} from ${range.min} to ${range.max}`,
      );
    }
    return n;
  };
}

/**
 * A commander parser for a number whose range the validator checks afterwards, so that a value out
 * of range is refused in the database's own words; only what is not a number at all is a usage
 * error here.
 *
 * @example
 * .option('--window <minutes>', '…', anyNumber('--window'))
 */
export function anyNumber(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n))
      throw new InvalidArgumentError(`${name} must be a number`);
    return n;
  };
}
