import { IsOptional, ValidateNested } from 'class-validator';
import { Field, InputType, registerEnumType } from 'type-graphql';
import { OrderDirection } from './pagination';

/** Order fields shared by lists of named things (units, organisations, alliances, people). */
export enum NamedOrderField {
  NAME = 'name',
  CREATED_AT = 'createdAt',
  ID = 'id',
}
registerEnumType(NamedOrderField, {
  name: 'NamedOrderField',
  description: 'NAME sorts by Unicode code point (stable, not pinyin).',
  valuesConfig: {
    NAME: { description: 'The name, by Unicode code point (stable, not pinyin).' },
    CREATED_AT: { description: 'When the record was created.' },
    ID: { description: 'The id (creation order).' },
  },
});

@InputType({ description: 'Order of a list; ties are broken by id.' })
export class NamedOrder {
  @Field(() => NamedOrderField, { defaultValue: NamedOrderField.NAME })
  field: NamedOrderField = NamedOrderField.NAME;

  @Field(() => OrderDirection, { defaultValue: OrderDirection.ASC })
  direction: OrderDirection = OrderDirection.ASC;
}

export { IsOptional, ValidateNested };
