import { byForeignKey } from '../../context/loaders';
import { RequestEvent } from './request.entity';

export const eventsOfRequest = byForeignKey('Request.events', RequestEvent, 'request');
