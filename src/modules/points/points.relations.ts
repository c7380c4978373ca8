import { byForeignKey } from '../../context/loaders';
import { PointEntry } from './points.entity';

export const entriesOfPerson = byForeignKey('Person.pointEntries', PointEntry, 'person');
