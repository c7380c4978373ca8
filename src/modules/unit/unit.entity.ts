import { Entity, Enum, Index, ManyToOne, Property, type Opt, type Rel } from '@mikro-orm/core';
import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { FreeText } from '../../common/free-text-field';
import { NodeEntity } from '../../common/node.entity';
import { maskedCopyOf } from '../../common/privacy';
import type { Area } from '../area/area.entity';

/** 驻区单位 / 结对共建单位 kinds. */
export enum UnitKind {
  AGENCY = 'AGENCY',
  ENTERPRISE = 'ENTERPRISE',
  SCHOOL = 'SCHOOL',
  HOSPITAL = 'HOSPITAL',
  POLICE_STATION = 'POLICE_STATION',
  PROPERTY_COMPANY = 'PROPERTY_COMPANY',
  OWNERS_COMMITTEE = 'OWNERS_COMMITTEE',
  SOCIAL_ORGANIZATION = 'SOCIAL_ORGANIZATION',
}
registerEnumType(UnitKind, {
  name: 'UnitKind',
  description: '机关 AGENCY, 企业 ENTERPRISE, 学校 SCHOOL, 医院 HOSPITAL, 派出所 POLICE_STATION, 物业 PROPERTY_COMPANY, 业委会 OWNERS_COMMITTEE, 社会组织 SOCIAL_ORGANIZATION.',
  valuesConfig: {
    AGENCY: { description: '机关: a government agency or department.' },
    ENTERPRISE: { description: '企业: an enterprise.' },
    SCHOOL: { description: '学校: a school.' },
    HOSPITAL: { description: '医院: a hospital.' },
    POLICE_STATION: { description: '派出所: a police station; the only kind for an alliance\'s POLICE seat.' },
    PROPERTY_COMPANY: { description: '物业: a property-management company; the only kind for an alliance\'s PROPERTY seat.' },
    OWNERS_COMMITTEE: { description: '业委会: an owners\' committee; the only kind for an alliance\'s OWNERS_COMMITTEE seat.' },
    SOCIAL_ORGANIZATION: { description: '社会组织: a social organisation.' },
  },
});

/** A resident or paired unit (驻区单位 / 结对共建单位). */
@ObjectType({ implements: NodeEntity, description: '单位: an agency, enterprise, school, hospital, police station, property company, owners\' committee or social organisation.' })
@Entity({ tableName: 'unit' })
export class Unit extends NodeEntity {
  @Field()
  @Property({ type: 'string', length: 120 })
  @Index()
  name!: string;

  @Field({ description: 'Unique code, e.g. the unified social credit code (统一社会信用代码).' })
  @Property({ type: 'string', length: 32, unique: true })
  code!: string;

  @Field(() => UnitKind)
  @Enum({ items: () => UnitKind })
  @Index()
  kind!: UnitKind;

  @Field(() => String, { nullable: true, description: 'As written for staff inside their scope; phone, ID and other long numbers in it masked for everyone else.' })
  @FreeText()
  @Property({ type: 'string', length: 200, nullable: true })
  address?: string | null;

  /** What viewers without the personal-data right are shown of the address: what the units search compares. */
  @Property(maskedCopyOf('address'))
  addressMasked?: string & Opt;

  /** The liaison's (联络人) name: personal data, exposed masked through a field resolver. */
  @Property({ type: 'string', length: 60, nullable: true })
  contactName?: string | null;

  /** Exposed masked through a field resolver, never raw. */
  @Property({ type: 'string', length: 20, nullable: true })
  contactPhone?: string | null;

  /** Where the unit sits; null for units from outside the district (区外单位). */
  @ManyToOne('Area', { nullable: true, deleteRule: 'restrict' })
  @Index()
  area?: Rel<Area> | null;
}
