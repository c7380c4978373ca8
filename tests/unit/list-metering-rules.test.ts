import { ResourceType } from '../../src/modules/list/list.entity';
import { assertKindKeptWhileUsed, assertQuantityCoversUse, assertQuantityFitsNewType } from '../../src/modules/list/list.rules';

/* An edit of a resource keeps what claims and projects hold of it covered, in the resource's unit. */
const fieldOf = (run: () => void): unknown => {
  try {
    run();
  } catch (error) {
    return (error as { extensions: { code: string; field: string } }).extensions;
  }
  return null;
};
const refusedOn = (field: string) => ({ code: 'BAD_USER_INPUT', field });

describe('assertQuantityCoversUse', () => {
  it('refuses clearing the quantity (unmetering) while something is held, and going below it', () => {
    expect(fieldOf(() => assertQuantityCoversUse(null, 6))).toEqual(refusedOn('input.quantity'));
    expect(fieldOf(() => assertQuantityCoversUse(5.999, 6))).toEqual(refusedOn('input.quantity'));
  });
  it('lets exactly what is held (to a millionth), more, or anything when nothing is held', () => {
    for (const [quantity, used] of [[6, 6], [0.3, 0.1 + 0.2], [7, 6], [null, 0], [1, 0]] as const) {
      expect(fieldOf(() => assertQuantityCoversUse(quantity, used))).toBeNull();
    }
  });
});

describe('assertKindKeptWhileUsed', () => {
  it('refuses another kind while something is held, allows the same kind or any kind when nothing is', () => {
    expect(fieldOf(() => assertKindKeptWhileUsed(ResourceType.STAFF_HOURS, ResourceType.MONEY, 6))).toEqual(refusedOn('input.resourceType'));
    expect(fieldOf(() => assertKindKeptWhileUsed(ResourceType.STAFF_HOURS, ResourceType.STAFF_HOURS, 6))).toBeNull();
    expect(fieldOf(() => assertKindKeptWhileUsed(ResourceType.STAFF_HOURS, ResourceType.MONEY, 0))).toBeNull();
  });
});

describe('assertQuantityFitsNewType', () => {
  it('refuses a new kind keeping a quantity counted in the old unit; a quantity given (or none to keep) passes', () => {
    expect(fieldOf(() => assertQuantityFitsNewType({ resourceType: ResourceType.VENUE, quantity: 50 }, { resourceType: ResourceType.MONEY }))).toEqual(refusedOn('input.quantity'));
    expect(fieldOf(() => assertQuantityFitsNewType({ resourceType: ResourceType.VENUE, quantity: 50 }, { resourceType: ResourceType.MONEY, quantity: null }))).toBeNull();
    expect(fieldOf(() => assertQuantityFitsNewType({ resourceType: ResourceType.VENUE, quantity: 50 }, { resourceType: ResourceType.GOODS, quantity: 12 }))).toBeNull();
    expect(fieldOf(() => assertQuantityFitsNewType({ resourceType: ResourceType.VENUE, quantity: null }, { resourceType: ResourceType.MONEY }))).toBeNull();
    expect(fieldOf(() => assertQuantityFitsNewType({ resourceType: ResourceType.VENUE, quantity: 50 }, { quantity: 40 }))).toBeNull();
  });
});
