import { registerEnumType } from 'type-graphql';

/** Resident groups used across requests, wishes and analytics (docs/DOMAIN.md). */
export enum ResidentGroup {
  ELDERLY = 'ELDERLY',
  CHILDREN = 'CHILDREN',
  YOUTH = 'YOUTH',
  WOMEN = 'WOMEN',
  DISABLED = 'DISABLED',
  LOW_INCOME = 'LOW_INCOME',
  GENERAL = 'GENERAL',
}

/** The values' descriptions, shared with the analytics' DemandResidentGroup (which adds UNKNOWN). */
export const RESIDENT_GROUP_VALUES: Readonly<Record<ResidentGroup, { description: string }>> = {
  ELDERLY: { description: '老年人: elderly residents; a vulnerable group (vulnerableShare).' },
  CHILDREN: { description: '儿童: children; a vulnerable group (vulnerableShare).' },
  YOUTH: { description: '青年: young people.' },
  WOMEN: { description: '妇女: women.' },
  DISABLED: { description: '残疾人: people with disabilities; a vulnerable group (vulnerableShare).' },
  LOW_INCOME: { description: '低收入: low-income residents; a vulnerable group (vulnerableShare).' },
  GENERAL: { description: '一般居民: residents of no particular group.' },
};
registerEnumType(ResidentGroup, {
  name: 'ResidentGroup',
  description: '老年人, 儿童, 青年, 妇女, 残疾人, 低收入, 一般居民.',
  valuesConfig: RESIDENT_GROUP_VALUES,
});
