/**
 * Masking of personal data, in one place. Until viewers and scopes exist, every
 * phone and ID number leaves the API masked.
 */

/** 13812345678 → 138****5678; landlines keep area code and last 4: 0531-****1234. */
export function maskPhone(phone: string | null | undefined): string | null {
  if (!phone) return null;
  const digits = phone.replace(/\D/g, '');
  if (/^1\d{10}$/.test(digits)) return `${digits.slice(0, 3)}****${digits.slice(7)}`;
  const landline = /^(0\d{2,3})-?(\d{7,8})$/.exec(phone);
  if (landline) return `${landline[1]}-****${landline[2].slice(-4)}`;
  return digits.length > 4 ? `${'*'.repeat(digits.length - 4)}${digits.slice(-4)}` : '****';
}

/** 370102199001011234 → 370***********1234: region prefix and last four only, never the birth date. */
export function maskIdNumber(idNumber: string | null | undefined): string | null {
  if (!idNumber) return null;
  if (idNumber.length < 8) return '*'.repeat(idNumber.length);
  return `${idNumber.slice(0, 3)}${'*'.repeat(idNumber.length - 7)}${idNumber.slice(-4)}`;
}

/** 张三丰 → 张**: a resident's name keeps its first character only. */
export function maskName(name: string | null | undefined): string | null {
  if (!name) return null;
  const characters = [...name.trim()];
  return characters.length <= 1 ? '*' : `${characters[0]}${'*'.repeat(characters.length - 1)}`;
}
