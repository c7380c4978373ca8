/**
 * Every field that holds a person's phone, ID number, name or raw identifier, by its name in
 * inputs and entities: personalField serves only these (masked unless revealed), and the logger
 * redacts them wherever they appear, so a new personal field added here is covered by both.
 * residentRef: the raw identifier an API import hashes (often an ID number).
 */
export const PERSONAL_DATA_FIELDS = ['phone', 'idNumber', 'residentName', 'residentPhone', 'contactName', 'contactPhone', 'residentRef'] as const;
export type PersonalDataField = (typeof PERSONAL_DATA_FIELDS)[number];
