import { byForeignKey } from '../../context/loaders';
import { Person } from '../person/person.entity';
import { PostClaim, PostClaimStatus, ServicePost, UnitRegistration } from './service-post.entity';

export const registrationsOfCommunity = byForeignKey('Community.registeredUnits', UnitRegistration, 'community');
export const registrationsOfUnit = byForeignKey('Unit.registrations', UnitRegistration, 'unit');
export const reportedMembersOfCommunity = byForeignKey('Community.reportedMembers', Person, 'residenceCommunity', { reportedOn: { $ne: null } });
export const postsOfCommunity = byForeignKey('Community.servicePosts', ServicePost, 'community');
export const claimsOfPost = byForeignKey('ServicePost.claims', PostClaim, 'post');
export const activeClaimsOfPost = byForeignKey('ServicePost.activeClaims', PostClaim, 'post', { status: PostClaimStatus.ACTIVE });
export const claimsOfPerson = byForeignKey('Person.postClaims', PostClaim, 'person');
export const activeClaimsOfPerson = byForeignKey('Person.activePostClaims', PostClaim, 'person', { status: PostClaimStatus.ACTIVE });
