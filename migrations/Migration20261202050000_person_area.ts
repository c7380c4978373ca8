import { Migration } from '@mikro-orm/migrations';

/**
 * person_area: every area a person is linked to by the work of a community — where they live,
 * the grids they work, the posts they hold, the activities they join, the party organisations
 * and alliance seats they sit in, the requests, claims and wishes they carry out. A scoped
 * viewer reads a person linked to their subtree (scope.rules.ts), so a community sees the
 * member from elsewhere who serves in it.
 */
export class Migration20261202050000_person_area extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create view person_area as
      select p.id as person_id, a.path from person p join area a on a.id = p.residence_community_id
      union select ga.person_id, a.path from grid_assignment ga join area a on a.id = ga.grid_id
      union select pc.person_id, a.path from post_claim pc join service_post sp on sp.id = pc.post_id join area a on a.id = sp.community_id
      union select ap.person_id, a.path from activity_participation ap join activity ac on ac.id = ap.activity_id join area a on a.id = ac.community_id
      union select ptm.person_id, a.path from part_time_member ptm join party_organization po on po.id = ptm.organization_id join area a on a.id = po.area_id
      union select po.secretary_id, a.path from party_organization po join area a on a.id = po.area_id where po.secretary_id is not null
      union select am.seat_holder_id, a.path from alliance_member am join alliance al on al.id = am.alliance_id join area a on a.id = al.area_id where am.seat_holder_id is not null
      union select r.assignee_person_id, a.path from request r join area a on a.id = r.area_id where r.assignee_person_id is not null
      union select c.person_id, a.path from claim c join list_item li on li.id = c.item_id join problem_list pl on pl.id = li.list_id join area a on a.id = pl.community_id where c.person_id is not null
      union select mw.claimant_person_id, a.path from micro_wish mw join area a on a.id = mw.community_id where mw.claimant_person_id is not null`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop view if exists person_area;`);
  }
}
