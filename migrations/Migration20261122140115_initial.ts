import { Migration } from '@mikro-orm/migrations';

export class Migration20261122140115_initial extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "area" ("id" serial primary key, "created_at" timestamptz not null, "updated_at" timestamptz not null, "level" text check ("level" in ('DISTRICT', 'STREET', 'COMMUNITY', 'GRID', 'BUILDING')) not null, "name" varchar(100) not null, "code" varchar(32) not null, "parent_id" int null, "path" varchar(255) not null, "longitude" double precision null, "latitude" double precision null, "boundary" jsonb null, "population" int null, "households" int null, "floors" int null);`);
    this.addSql(`create index "area_level_index" on "area" ("level");`);
    this.addSql(`create index "area_name_index" on "area" ("name");`);
    this.addSql(`alter table "area" add constraint "area_code_unique" unique ("code");`);
    this.addSql(`create index "area_parent_id_index" on "area" ("parent_id");`);
    this.addSql(`create index "area_path_pattern_idx" on "area" ("path" text_pattern_ops);`);

    this.addSql(`create table "unit" ("id" serial primary key, "created_at" timestamptz not null, "updated_at" timestamptz not null, "name" varchar(120) not null, "code" varchar(32) not null, "kind" text check ("kind" in ('AGENCY', 'ENTERPRISE', 'SCHOOL', 'HOSPITAL', 'POLICE_STATION', 'PROPERTY_COMPANY', 'OWNERS_COMMITTEE', 'SOCIAL_ORGANIZATION')) not null, "address" varchar(200) null, "contact_name" varchar(60) null, "contact_phone" varchar(20) null, "area_id" int null);`);
    this.addSql(`create index "unit_name_index" on "unit" ("name");`);
    this.addSql(`alter table "unit" add constraint "unit_code_unique" unique ("code");`);
    this.addSql(`create index "unit_kind_index" on "unit" ("kind");`);
    this.addSql(`create index "unit_area_id_index" on "unit" ("area_id");`);

    this.addSql(`create table "person" ("id" serial primary key, "created_at" timestamptz not null, "updated_at" timestamptz not null, "name" varchar(60) not null, "gender" text check ("gender" in ('FEMALE', 'MALE')) null, "birth_year" smallint null, "phone" varchar(20) null, "id_number" varchar(18) null, "party_status" text check ("party_status" in ('IN_SERVICE', 'RETIRED', 'MOBILE')) null, "joined_party_on" date null, "reported_on" date null, "employer_unit_id" int null, "residence_community_id" int null, "organization_id" int null);`);
    this.addSql(`create index "person_name_index" on "person" ("name");`);
    this.addSql(`alter table "person" add constraint "person_id_number_unique" unique ("id_number");`);
    this.addSql(`create index "person_employer_unit_id_index" on "person" ("employer_unit_id");`);
    this.addSql(`create index "person_organization_id_index" on "person" ("organization_id");`);
    this.addSql(`create index "person_residence_community_id_party_status_index" on "person" ("residence_community_id", "party_status");`);

    this.addSql(`create table "party_organization" ("id" serial primary key, "created_at" timestamptz not null, "updated_at" timestamptz not null, "name" varchar(120) not null, "code" varchar(32) not null, "kind" text check ("kind" in ('COMMITTEE', 'GENERAL_BRANCH', 'BRANCH', 'GROUP')) not null, "functional" boolean not null default false, "function_description" varchar(100) null, "area_id" int not null, "parent_id" int null, "secretary_id" int null, "established_on" date null);`);
    this.addSql(`create index "party_organization_name_index" on "party_organization" ("name");`);
    this.addSql(`alter table "party_organization" add constraint "party_organization_code_unique" unique ("code");`);
    this.addSql(`create index "party_organization_area_id_index" on "party_organization" ("area_id");`);
    this.addSql(`create index "party_organization_parent_id_index" on "party_organization" ("parent_id");`);

    this.addSql(`create table "alliance" ("id" serial primary key, "created_at" timestamptz not null, "updated_at" timestamptz not null, "name" varchar(120) not null, "model" text check ("model" in ('ONE_THREE_N', 'ONE_N_X', 'BIG_PARTY_COMMITTEE')) not null, "area_id" int not null, "lead_organization_id" int null, "established_on" date null, "description" text null);`);
    this.addSql(`alter table "alliance" add constraint "alliance_area_id_unique" unique ("area_id");`);

    this.addSql(`create table "grid_assignment" ("id" serial primary key, "created_at" timestamptz not null, "updated_at" timestamptz not null, "grid_id" int not null, "person_id" int not null, "role" text check ("role" in ('FULL_TIME', 'PART_TIME', 'GRID_LEADER')) not null, "starts_on" date null);`);
    this.addSql(`create index "grid_assignment_person_id_index" on "grid_assignment" ("person_id");`);
    this.addSql(`alter table "grid_assignment" add constraint "grid_assignment_grid_id_person_id_unique" unique ("grid_id", "person_id");`);

    this.addSql(`create table "part_time_member" ("id" serial primary key, "created_at" timestamptz not null, "updated_at" timestamptz not null, "organization_id" int not null, "person_id" int not null, "unit_id" int null, "title" varchar(60) not null, "starts_on" date null, "ends_on" date null);`);
    this.addSql(`create index "part_time_member_person_id_index" on "part_time_member" ("person_id");`);
    this.addSql(`alter table "part_time_member" add constraint "part_time_member_organization_id_person_id_unique" unique ("organization_id", "person_id");`);

    this.addSql(`create table "pairing" ("id" serial primary key, "created_at" timestamptz not null, "updated_at" timestamptz not null, "unit_id" int not null, "community_id" int not null, "starts_on" date not null, "ends_on" date null, "agreement_title" varchar(200) not null, "agreement_signed_on" date null, "duties" jsonb not null);`);
    this.addSql(`create index "pairing_community_id_index" on "pairing" ("community_id");`);
    this.addSql(`alter table "pairing" add constraint "pairing_unit_id_community_id_starts_on_unique" unique ("unit_id", "community_id", "starts_on");`);

    this.addSql(`create table "alliance_member" ("id" serial primary key, "created_at" timestamptz not null, "updated_at" timestamptz not null, "alliance_id" int not null, "unit_id" int not null, "role" text check ("role" in ('CORE', 'POLICE', 'OWNERS_COMMITTEE', 'PROPERTY', 'IN_AREA', 'OUT_OF_AREA')) not null, "seat_title" varchar(60) null, "seat_holder_id" int null, "joined_on" date null);`);
    this.addSql(`create index "alliance_member_unit_id_index" on "alliance_member" ("unit_id");`);
    this.addSql(`alter table "alliance_member" add constraint "alliance_member_alliance_id_unit_id_unique" unique ("alliance_id", "unit_id");`);

    this.addSql(`alter table "area" add constraint "area_parent_id_foreign" foreign key ("parent_id") references "area" ("id") on update cascade on delete restrict;`);

    this.addSql(`alter table "unit" add constraint "unit_area_id_foreign" foreign key ("area_id") references "area" ("id") on update cascade on delete restrict;`);

    this.addSql(`alter table "person" add constraint "person_employer_unit_id_foreign" foreign key ("employer_unit_id") references "unit" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "person" add constraint "person_residence_community_id_foreign" foreign key ("residence_community_id") references "area" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "person" add constraint "person_organization_id_foreign" foreign key ("organization_id") references "party_organization" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "party_organization" add constraint "party_organization_area_id_foreign" foreign key ("area_id") references "area" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "party_organization" add constraint "party_organization_parent_id_foreign" foreign key ("parent_id") references "party_organization" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "party_organization" add constraint "party_organization_secretary_id_foreign" foreign key ("secretary_id") references "person" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "alliance" add constraint "alliance_area_id_foreign" foreign key ("area_id") references "area" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "alliance" add constraint "alliance_lead_organization_id_foreign" foreign key ("lead_organization_id") references "party_organization" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "grid_assignment" add constraint "grid_assignment_grid_id_foreign" foreign key ("grid_id") references "area" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "grid_assignment" add constraint "grid_assignment_person_id_foreign" foreign key ("person_id") references "person" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "part_time_member" add constraint "part_time_member_organization_id_foreign" foreign key ("organization_id") references "party_organization" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "part_time_member" add constraint "part_time_member_person_id_foreign" foreign key ("person_id") references "person" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "part_time_member" add constraint "part_time_member_unit_id_foreign" foreign key ("unit_id") references "unit" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "pairing" add constraint "pairing_unit_id_foreign" foreign key ("unit_id") references "unit" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "pairing" add constraint "pairing_community_id_foreign" foreign key ("community_id") references "area" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "alliance_member" add constraint "alliance_member_alliance_id_foreign" foreign key ("alliance_id") references "alliance" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "alliance_member" add constraint "alliance_member_unit_id_foreign" foreign key ("unit_id") references "unit" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "alliance_member" add constraint "alliance_member_seat_holder_id_foreign" foreign key ("seat_holder_id") references "person" ("id") on update cascade on delete set null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "area" drop constraint "area_parent_id_foreign";`);

    this.addSql(`alter table "unit" drop constraint "unit_area_id_foreign";`);

    this.addSql(`alter table "person" drop constraint "person_residence_community_id_foreign";`);

    this.addSql(`alter table "party_organization" drop constraint "party_organization_area_id_foreign";`);

    this.addSql(`alter table "alliance" drop constraint "alliance_area_id_foreign";`);

    this.addSql(`alter table "grid_assignment" drop constraint "grid_assignment_grid_id_foreign";`);

    this.addSql(`alter table "pairing" drop constraint "pairing_community_id_foreign";`);

    this.addSql(`alter table "person" drop constraint "person_employer_unit_id_foreign";`);

    this.addSql(`alter table "part_time_member" drop constraint "part_time_member_unit_id_foreign";`);

    this.addSql(`alter table "pairing" drop constraint "pairing_unit_id_foreign";`);

    this.addSql(`alter table "alliance_member" drop constraint "alliance_member_unit_id_foreign";`);

    this.addSql(`alter table "party_organization" drop constraint "party_organization_secretary_id_foreign";`);

    this.addSql(`alter table "grid_assignment" drop constraint "grid_assignment_person_id_foreign";`);

    this.addSql(`alter table "part_time_member" drop constraint "part_time_member_person_id_foreign";`);

    this.addSql(`alter table "alliance_member" drop constraint "alliance_member_seat_holder_id_foreign";`);

    this.addSql(`alter table "person" drop constraint "person_organization_id_foreign";`);

    this.addSql(`alter table "party_organization" drop constraint "party_organization_parent_id_foreign";`);

    this.addSql(`alter table "alliance" drop constraint "alliance_lead_organization_id_foreign";`);

    this.addSql(`alter table "part_time_member" drop constraint "part_time_member_organization_id_foreign";`);

    this.addSql(`alter table "alliance_member" drop constraint "alliance_member_alliance_id_foreign";`);

    this.addSql(`drop table if exists "area" cascade;`);

    this.addSql(`drop table if exists "unit" cascade;`);

    this.addSql(`drop table if exists "person" cascade;`);

    this.addSql(`drop table if exists "party_organization" cascade;`);

    this.addSql(`drop table if exists "alliance" cascade;`);

    this.addSql(`drop table if exists "grid_assignment" cascade;`);

    this.addSql(`drop table if exists "part_time_member" cascade;`);

    this.addSql(`drop table if exists "pairing" cascade;`);

    this.addSql(`drop table if exists "alliance_member" cascade;`);
  }

}
