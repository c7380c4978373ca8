import { Area, Building, Community, District, Grid, Street } from '../modules/area/area.entity';
import { Alliance, AllianceMember } from '../modules/alliance/alliance.entity';
import { Pairing } from '../modules/pairing/pairing.entity';
import { PartTimeMember, PartyOrganization } from '../modules/party-organization/party-organization.entity';
import { GridAssignment, Person } from '../modules/person/person.entity';
import { Unit } from '../modules/unit/unit.entity';
import { Account, ApiKey, RefreshToken, SignInDevice } from '../modules/identity/identity.entity';
import { PersonalDataAccess } from '../modules/identity/personal-data';
import { MutationAudit } from '../modules/identity/mutation-audit';
import { Activity, ActivityParticipation } from '../modules/activity/activity.entity';
import { RequestCategory } from '../modules/category/category.entity';
import { Claim, ListItem, ProblemList } from '../modules/list/list.entity';
import { MicroWish } from '../modules/micro-wish/micro-wish.entity';
import { PointEntry, PointRule } from '../modules/points/points.entity';
import { Request, RequestEvent } from '../modules/request/request.entity';
import { PastReport, PostClaim, ServicePost, UnitRegistration } from '../modules/service-post/service-post.entity';
import { Whistle, WhistleRecipient } from '../modules/whistle/whistle.entity';
import { SERVICE_DATA_ENTITIES } from '../modules/service-data/service-data.entity';
import { DEMAND_ENTITIES } from '../modules/demand/demand-rollup.entity';
import { PROJECT_ENTITIES } from '../modules/project/project.entity';
import { WorkCalendarDay } from '../modules/calendar/work-calendar.entity';
import { WorkCalendarAdjustment } from '../modules/calendar/work-calendar-adjustment.entity';
import { IdempotencyKey } from '../idempotency/idempotency.entity';

/** Every entity, listed explicitly so ts-jest and compiled JS discover the same set. */
export const ENTITIES = [
  Area,
  District,
  Street,
  Community,
  Grid,
  Building,
  PartyOrganization,
  PartTimeMember,
  Unit,
  Alliance,
  AllianceMember,
  Pairing,
  Person,
  GridAssignment,
  RequestCategory,
  Request,
  RequestEvent,
  Whistle,
  WhistleRecipient,
  ProblemList,
  ListItem,
  Claim,
  MicroWish,
  UnitRegistration,
  ServicePost,
  PostClaim,
  PastReport,
  PointRule,
  PointEntry,
  Activity,
  ActivityParticipation,
  ...SERVICE_DATA_ENTITIES,
  ...DEMAND_ENTITIES,
  ...PROJECT_ENTITIES,
  WorkCalendarDay,
  WorkCalendarAdjustment,
  IdempotencyKey,
  Account,
  RefreshToken,
  SignInDevice,
  ApiKey,
  PersonalDataAccess,
  MutationAudit,
];
