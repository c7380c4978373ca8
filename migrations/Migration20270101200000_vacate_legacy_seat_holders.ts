import { Migration } from '@mikro-orm/migrations';

/**
 * Frozen copy of vacateSeatsOutside (alliance.service.ts) for every seat at once: a seat whose
 * holder no longer represents its unit (unitRepresentedBy: retired — RETIRED, the employer kept
 * on record — or working elsewhere or nowhere) falls vacant; only the holder is cleared, the
 * title and the rest of the row stay, as a person edit leaves them.
 */
export const VACATE_SEATS_NOT_REPRESENTED = `update alliance_member am set seat_holder_id = null
  from person p
  where p.id = am.seat_holder_id
    and (p.party_status = 'RETIRED' or p.employer_unit_id is distinct from am.unit_id);`;

/**
 * Seats held by someone who had retired, or left the unit, before the rules that vacate them on
 * that person edit (retired: 8218417; left the unit: c207aa0) kept their holder until the person's
 * next such edit. This vacates them as that edit would have.
 */
export class Migration20270101200000_vacate_legacy_seat_holders extends Migration {
  override async up(): Promise<void> {
    this.addSql(VACATE_SEATS_NOT_REPRESENTED);
  }

  override async down(): Promise<void> {
    // A seat held by someone who does not represent the unit is not worth restoring: it was the fault.
  }
}
