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
registerEnumType(ResidentGroup, { name: 'ResidentGroup', description: '老年人, 儿童, 青年, 妇女, 残疾人, 低收入, 一般居民.' });
