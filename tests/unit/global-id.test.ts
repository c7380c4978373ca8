import { expectGlobalId, fromGlobalId, toGlobalId } from '../../src/common/global-id';

test('round-trips type and id, and is opaque (no raw "Community:" text)', () => {
  const id = toGlobalId('Community', 42);
  expect(id).not.toContain('Community');
  expect(fromGlobalId(id)).toEqual({ typeName: 'Community', id: 42 });
});

test.each(['', 'not base64!', Buffer.from('Community:abc').toString('base64url'), Buffer.from('Community:0').toString('base64url'), Buffer.from('Community:99999999999').toString('base64url'), 'x'.repeat(300)])(
  'rejects malformed %p',
  (value) => {
    expect(fromGlobalId(value)).toBeNull();
  },
);

test('expectGlobalId names the field and the expected type', () => {
  expect(() => expectGlobalId(toGlobalId('Unit', 1), ['Community'], 'input.communityId')).toThrow(
    /input\.communityId: expected the ID of a Community, got the ID of a Unit/,
  );
  try {
    expectGlobalId('@@', ['Community'], 'input.communityId');
  } catch (error) {
    expect((error as { extensions: Record<string, unknown> }).extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.communityId' });
  }
});
