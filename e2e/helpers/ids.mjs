// Identifiers the journeys make up: CN patent application numbers with their check digit.

const WEIGHTS = [2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5];

/** The check digit of a 12-digit application-number body: weighted sum mod 11, 10 → 'X'. */
export function checkDigit(body) {
  if (!/^\d{12}$/.test(body)) throw new Error(`an application-number body is 12 digits, got ${body}`);
  const sum = [...body].reduce((total, digit, index) => total + Number(digit) * WEIGHTS[index], 0);
  const value = sum % 11;
  return value === 10 ? 'X' : String(value);
}

/** `202610000001` → `202610000001.X` (the normal form the server uses). */
export function applicationNo(body) {
  return `${body}.${checkDigit(body)}`;
}

/** The same number with a wrong check digit. */
export function withWrongCheckDigit(body) {
  const right = checkDigit(body);
  const wrong = right === '1' ? '2' : '1';
  return `${body}.${wrong}`;
}
