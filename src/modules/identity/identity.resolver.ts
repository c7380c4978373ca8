import { DateTimeISOResolver } from 'graphql-scalars';
import { ArrayMaxSize, IsOptional, ValidateNested } from 'class-validator';
import { CharLength, MaxChars } from '../../common/validators';
import { Arg, Args, ArgsType, Ctx, Field, FieldResolver, ID, InputType, Int, Mutation, ObjectType, Query, Resolver, Root, registerEnumType } from 'type-graphql';
import { forbidden } from '../../common/errors';
import { ConnectionArgs, ConnectionType, OrderDirection, paginate } from '../../common/pagination';
import { PersonalDataAccess } from './personal-data';
import { MutationAudit } from './mutation-audit';
import { IdInput, TextInput } from '../../common/input-fields';
import type { AppContext, Viewer } from '../../context/context';
import { Area } from '../area/area.entity';
import { Account, ApiKey, Role } from './identity.entity';
import { mayReadSignInDevicesOf } from './access.policy';
import { identityService } from './identity.service';
import type { TokenSettings } from './sessions';
import { SIGN_IN_DEVICES, SIGN_IN_LOCKOUT, type SignInDeviceView } from './sign-in-guard';
import { USERNAME_RULE } from './username';

@ObjectType({ description: 'A signed-in session: send `accessToken` as `Authorization: Bearer …`; trade `refreshToken` for a new session before it expires.' })
class SessionPayload {
  @Field()
  accessToken!: string;

  @Field(() => DateTimeISOResolver)
  accessTokenExpiresAt!: Date;

  @Field({ description: 'Single use: refreshSession spends it and returns a new one.' })
  refreshToken!: string;

  @Field(() => Account)
  account!: Account;

  @Field(() => String, {
    nullable: true,
    description:
      "Keep it on this client and send it as signIn's `deviceToken` next time: a client that signed in before is then not locked out by other people's wrong passwords for this name (it has a lockout of its own). New at every signIn and changePassword (the one sent is replaced); null from refreshSession, and from a signIn without one when the account already keeps 20 devices all used in the last 30 days (sign-ins without a token never push out a device in use).",
  })
  deviceToken?: string | null;
}

@ObjectType('SignInDevice', {
  description: `A client an account signed in with that keeps a device token (signIn's deviceToken): it signs in under a lockout of its own, apart from the account's. Kept ${SIGN_IN_DEVICES.days} days after its last use, at most ${SIGN_IN_DEVICES.perAccount} per account. The token itself is never shown.`,
})
class SignInDeviceType implements SignInDeviceView {
  @Field(() => ID, { description: 'Opaque and stable while the device is remembered (not the token): pass it to forgetSignInDevice. Not a Node: node(id:) answers null for it.' })
  id!: string;

  @Field(() => DateTimeISOResolver, { description: 'When the client was first remembered (its first sign-in that got a device token).' })
  rememberedAt!: Date;

  @Field(() => DateTimeISOResolver, { description: 'Its last sign-in with the right password.' })
  lastUsedAt!: Date;

  @Field(() => DateTimeISOResolver, { description: `When its token stops counting unless it signs in again (${SIGN_IN_DEVICES.days} days after its last use).` })
  expiresAt!: Date;

  @Field(() => Int, { description: `Wrong passwords sent with its token since its last right one or pause (${SIGN_IN_LOCKOUT.failures} in a row pause it).` })
  failedSignIns!: number;

  @Field(() => DateTimeISOResolver, { nullable: true, description: 'Its sign-ins are refused until then (too many wrong passwords with its token); null when not paused. unlockAccount lifts it.' })
  signInPausedUntil!: Date | null;

  @Field({ description: 'A session signed in on it is open now (it can still be refreshed): forgetSignInDevice would sign it out. False once every such session was signed out, revoked or expired.' })
  signedIn!: boolean;
}

@ObjectType({ description: 'A new API key. The key is shown this once; only its hash is stored.' })
class CreatedApiKey {
  @Field(() => ApiKey)
  apiKey!: ApiKey;

  @Field({ description: 'Send as the X-Api-Key header.' })
  key!: string;
}

/** The Viewer union's kinds (src/context/context.ts), as they are: the compiler holds the two to the same strings. */
const ViewerKind = Object.freeze({ anonymous: 'anonymous', account: 'account', portal: 'portal' } as const satisfies { readonly [K in Viewer['kind']]: K });
type ViewerKind = Viewer['kind'];
registerEnumType(ViewerKind, {
  name: 'ViewerKind',
  description: 'anonymous (no credentials), account (a bearer token), portal (an API key).',
  valuesConfig: {
    anonymous: { description: 'No credential sent: may call only viewer, signIn, refreshSession and signOut.' },
    account: { description: 'A signed-in account (Authorization: Bearer <accessToken>); its role says what it may do.' },
    portal: { description: 'A portal API key (X-Api-Key): reads the directory and figures, writes nothing.' },
  },
});

@ObjectType({ description: 'Who the server thinks is asking.' })
class ViewerInfo {
  @Field(() => ViewerKind)
  kind!: ViewerKind;

  @Field(() => Role, { nullable: true, description: 'Null when anonymous.' })
  role!: Role | null;

  @Field(() => String, { nullable: true })
  name!: string | null;
}

@InputType()
class SignInInput {
  @TextInput(60, { description: 'In any case; spaces around it are ignored.' })
  username!: string;

  @Field()
  @CharLength(1, 200)
  password!: string;

  @Field(() => String, { nullable: true, description: 'The deviceToken an earlier sign-in of this account gave this client, if any.' })
  @IsOptional()
  @CharLength(1, 200)
  deviceToken?: string | null;
}

@InputType()
class CreateAccountInput {
  @TextInput(60, { description: `Stored in one form: ${USERNAME_RULE}. Unique whatever the case.` })
  username!: string;

  @TextInput(60)
  displayName!: string;

  @Field({ description: 'At least 12 characters; stored as a scrypt hash.' })
  @CharLength(1, 200)
  password!: string;

  @Field(() => Role)
  role!: Role;

  @IdInput({ nullable: true, description: 'The area subtree the account works in: a street, community or grid for their staff; optional for district admins and analysts; none for unit liaisons and party members (theirs follows from the unit or the residence community).' })
  scopeAreaId?: string | null;

  @IdInput({ nullable: true, description: 'For a unit liaison (required), and only for one.' })
  unitId?: string | null;

  @IdInput({ nullable: true, description: 'Who they are: required for a party member (a member who has reported to a residence community), optional otherwise.' })
  personId?: string | null;
}

@InputType()
class UpdateAccountInput {
  @TextInput(60, { nullable: true, description: 'Omit to keep it.' })
  displayName?: string | null;

  @IdInput({ nullable: true, description: "The area subtree the account works in, by the role's rule as at createAccount (a community for community staff, …). Omit to keep it; null for everything (district admins and analysts only)." })
  scopeAreaId?: string | null;
}

@InputType()
class ChangePasswordInput {
  @Field()
  @CharLength(1, 200)
  currentPassword!: string;

  @Field({ description: 'At least 12 characters, not the current one.' })
  @CharLength(1, 200)
  newPassword!: string;
}

@InputType()
class ResetAccountPasswordInput {
  @IdInput({ description: 'The account.' })
  accountId!: string;

  @Field({ description: 'At least 12 characters; tell its owner by another channel.' })
  @CharLength(1, 200)
  newPassword!: string;
}

@InputType()
class CreateApiKeyInput {
  @TextInput(100)
  name!: string;

  @IdInput({ nullable: true, description: 'Limit the portal to this area subtree.' })
  scopeAreaId?: string | null;

  @Field(() => DateTimeISOResolver, { nullable: true })
  @IsOptional()
  expiresAt?: Date | null;
}

@ArgsType()
class PersonalDataAccessArgs extends ConnectionArgs {
  @Field(() => ID, { nullable: true, description: 'Only readings of this record.' })
  subjectId?: string | null;

  @Field(() => String, { nullable: true, description: 'Only readings by this actor, e.g. account:wang.li.' })
  actor?: string | null;
}

@InputType()
class AccountFilter {
  @Field(() => [Role], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(10)
  roles?: Role[];

  @Field(() => Boolean, { nullable: true, description: 'Only active (true) or deactivated (false) accounts.' })
  @IsOptional()
  active?: boolean;

  @Field(() => Boolean, { nullable: true, description: 'Only accounts whose sign-in is locked now (true), or not (false).' })
  @IsOptional()
  signInLocked?: boolean;

  @Field(() => Boolean, {
    nullable: true,
    description:
      'Only accounts with a device paused now (true: a client with a device token refused after wrong passwords with it, while the account itself may not be locked), or with none (false). Apart from signInLocked, which is about the account.',
  })
  @IsOptional()
  devicePaused?: boolean;

  @Field(() => String, { nullable: true, description: 'Username or display name contains this text (Chinese works).' })
  @IsOptional()
  @MaxChars(60)
  search?: string;
}

@ArgsType()
class AccountListArgs extends ConnectionArgs {
  @Field(() => AccountFilter, { nullable: true })
  @IsOptional()
  @ValidateNested()
  filter?: AccountFilter;
}

const AccountConnection = ConnectionType(Account, 'Account');
const ApiKeyConnection = ConnectionType(ApiKey, 'ApiKey');
const PersonalDataAccessConnection = ConnectionType(PersonalDataAccess, 'PersonalDataAccess');
const MutationAuditConnection = ConnectionType(MutationAudit, 'MutationAudit');

@ArgsType()
class MutationAuditArgs extends ConnectionArgs {
  @Field(() => String, { nullable: true, description: 'Only mutations by this actor, e.g. account:wang.li.' })
  actor?: string | null;

  @Field(() => String, { nullable: true, description: 'Only this root field, e.g. dispatchRequest.' })
  field?: string | null;
}
const NEWEST_FIRST = { property: 'id', direction: OrderDirection.DESC };

function tokensOf(ctx: AppContext): TokenSettings {
  if (!ctx.tokens) throw new Error('token settings missing from the context');
  return ctx.tokens;
}

@Resolver(() => Account)
export class IdentityResolver {
  @Query(() => ViewerInfo, { description: 'Who you are to this server.' })
  viewer(@Ctx() ctx: AppContext): ViewerInfo {
    const viewer = ctx.viewer;
    if (viewer.kind === 'account') return { kind: 'account', role: viewer.role, name: viewer.username };
    if (viewer.kind === 'portal') return { kind: 'portal', role: viewer.role, name: viewer.prefix };
    return { kind: 'anonymous', role: null, name: null };
  }

  @Query(() => Account, { description: 'Your own account (any signed-in account, never a portal), with your remembered sign-in devices: their ids are what forgetSignInDevice takes.' })
  me(@Ctx() ctx: AppContext) {
    return identityService.me(ctx);
  }

  @Query(() => AccountConnection, { description: 'Staff accounts, newest first (district administrators).' })
  accounts(@Args() args: AccountListArgs, @Ctx() ctx: AppContext) {
    return identityService.listAccounts(ctx, args.filter ?? {}, args);
  }

  @Query(() => ApiKeyConnection, { description: 'Portal API keys, newest first (district administrators). Secrets are never shown again.' })
  apiKeys(@Args() args: ConnectionArgs, @Ctx() ctx: AppContext) {
    return paginate(ctx.em, ApiKey, {}, NEWEST_FIRST, args);
  }

  @Query(() => PersonalDataAccessConnection, { description: 'The audit log of unmasked personal data, newest first (district administrators).' })
  personalDataAccesses(@Args() args: PersonalDataAccessArgs, @Ctx() ctx: AppContext) {
    const where: Record<string, unknown> = {};
    if (args.subjectId) where.subjectId = args.subjectId;
    if (args.actor) where.actor = args.actor;
    return paginate(ctx.em, PersonalDataAccess, where, NEWEST_FIRST, args);
  }

  @Query(() => MutationAuditConnection, { description: 'Who ran which mutation and how it ended, newest first (district administrators).' })
  mutationAudits(@Args() args: MutationAuditArgs, @Ctx() ctx: AppContext) {
    const where: Record<string, unknown> = {};
    if (args.actor) where.actor = args.actor;
    if (args.field) where.field = args.field;
    return paginate(ctx.em, MutationAudit, where, NEWEST_FIRST, args);
  }

  @Mutation(() => SessionPayload, { description: 'Staff sign-in. An unknown name, a wrong password and a locked account (after 5 wrong passwords in a row, for 15 minutes) all get the same UNAUTHENTICATED answer: which one is not said. A client that sends the deviceToken of an earlier sign-in has a lockout of its own.' })
  signIn(@Arg('input') input: SignInInput, @Ctx() ctx: AppContext) {
    return identityService.signIn(ctx, tokensOf(ctx), input.username, input.password, input.deviceToken);
  }

  @Mutation(() => SessionPayload, { description: 'Trade a refresh token for a new session (the old token is spent).' })
  refreshSession(@Arg('refreshToken') refreshToken: string, @Ctx() ctx: AppContext) {
    return identityService.refresh(ctx, tokensOf(ctx), refreshToken);
  }

  @Mutation(() => Boolean, { description: 'Revoke a refresh token; true when it was live.' })
  signOut(@Arg('refreshToken') refreshToken: string, @Ctx() ctx: AppContext) {
    return identityService.signOut(ctx, refreshToken);
  }

  @Mutation(() => Account, { description: 'District administrators only.' })
  createAccount(@Arg('input') input: CreateAccountInput, @Ctx() ctx: AppContext) {
    return identityService.createAccount(ctx, input);
  }

  @Mutation(() => SessionPayload, {
    description: 'Change your own password. Every session of the account ends (other devices sign in again); the answer is a new one for this client. A wrong current password counts towards the sign-in lockout.',
  })
  changePassword(@Arg('input') input: ChangePasswordInput, @Ctx() ctx: AppContext) {
    return identityService.changePassword(ctx, tokensOf(ctx), input.currentPassword, input.newPassword);
  }

  @Mutation(() => Account, { description: 'Set a forgotten password (district administrators only): ends every session of the account and lifts a sign-in lockout.' })
  resetAccountPassword(@Arg('input') input: ResetAccountPasswordInput, @Ctx() ctx: AppContext) {
    return identityService.resetAccountPassword(ctx, input.accountId, input.newPassword);
  }

  @Mutation(() => Account, { description: 'Deactivate (every session ends at once) or reactivate an account; district administrators only, never their own.' })
  setAccountActive(@Arg('id', () => ID) id: string, @Arg('active') active: boolean, @Ctx() ctx: AppContext) {
    return identityService.setAccountActive(ctx, id, active);
  }

  @Mutation(() => Account, { description: 'Rename an account or move it to another area (district administrators only; never your own scope). Takes effect on its next request.' })
  updateAccount(@Arg('id', () => ID) id: string, @Arg('input') input: UpdateAccountInput, @Ctx() ctx: AppContext) {
    return identityService.updateAccount(ctx, id, input);
  }

  @Mutation(() => Account, {
    description:
      "Forget one remembered sign-in device (a lost phone, one paused after wrong passwords): its deviceToken counts for nothing from now on, so its next sign-in is a new client's. Your own devices (`me { signInDevices { id } }`), with your currentPassword (a wrong one counts towards the sign-in lockout), or any account's for a district administrator of everything; any other id is NOT_FOUND. The sessions signed in on that device end with it, at once (yours too, if it is the device you are on); a session whose sign-in was not remembered belongs to no device: changePassword (yours) or resetAccountPassword (an administrator) ends every session. Answers the device's account.",
  })
  forgetSignInDevice(
    @Arg('id', () => ID) id: string,
    @Arg('currentPassword', () => String, { nullable: true, description: 'Required for one of your own devices; not needed by an administrator forgetting another account\'s.' }) currentPassword: string | null | undefined,
    @Ctx() ctx: AppContext,
  ) {
    return identityService.forgetSignInDevice(ctx, id, currentPassword);
  }

  @Mutation(() => Account, { description: 'Lift a sign-in lockout (too many wrong passwords) before it runs out; district administrators only.' })
  unlockAccount(@Arg('id', () => ID) id: string, @Ctx() ctx: AppContext) {
    return identityService.unlockAccount(ctx, id);
  }

  @Mutation(() => CreatedApiKey, { description: 'A read-only portal key; district administrators only. The key is in the answer once.' })
  createApiKey(@Arg('input') input: CreateApiKeyInput, @Ctx() ctx: AppContext) {
    return identityService.createApiKey(ctx, input);
  }

  @Mutation(() => ApiKey, { description: 'District administrators only; takes effect on the next request.' })
  revokeApiKey(@Arg('id', () => ID) id: string, @Ctx() ctx: AppContext) {
    return identityService.revokeApiKey(ctx, id);
  }

  @FieldResolver(() => [SignInDeviceType], {
    description: `The clients that keep a device token of this account, most recently used first (expired ones are gone): how many there are, and which is paused. A client whose sign-in is refused while the account is not locked is likely paused here. District administrators of everything, and the account itself (me).`,
  })
  signInDevices(@Root() account: Account, @Ctx() ctx: AppContext) {
    // The access guard does not type-check a session's own answer (signIn, me, …): this field
    // stays for whoever may read SignInDevice there too, and for the account's own.
    if (!mayReadSignInDevicesOf(ctx.viewer, account.id)) throw forbidden('Your role may not read SignInDevice records');
    return ctx.loaders.get<number, SignInDeviceView[]>('Account.signInDevices', (ids) => identityService.signInDevicesOf(ctx, ids)).load(account.id);
  }

  @FieldResolver(() => Area, { nullable: true })
  scopeArea(@Root() account: Account, @Ctx() ctx: AppContext) {
    return account.scopeArea ? ctx.loaders.byId(Area).load(account.scopeArea.id) : null;
  }
}
