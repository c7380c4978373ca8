import { byForeignKey } from '../../context/loaders';
import { ActivityParticipation } from './activity.entity';

export const participantsOfActivity = byForeignKey('Activity.participants', ActivityParticipation, 'activity');
export const attendeesOfActivity = byForeignKey('Activity.attendees', ActivityParticipation, 'activity', { attendedAt: { $ne: null } });
export const participationsOfPerson = byForeignKey('Person.activityParticipations', ActivityParticipation, 'person');
