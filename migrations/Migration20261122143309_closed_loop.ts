import { Migration } from '@mikro-orm/migrations';

export class Migration20261122143309_closed_loop extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "point_rule" ("id" serial primary key, "created_at" timestamptz not null, "updated_at" timestamptz not null, "kind" text check ("kind" in ('REQUEST_RESOLVED', 'CLAIM_CONFIRMED', 'ACTIVITY_ATTENDED', 'MICRO_WISH_FULFILLED', 'SERVICE_REDEEMED')) not null, "points" int not null, "description" varchar(120) not null, "active" boolean not null default true);`);
    this.addSql(`create index "point_rule_kind_index" on "point_rule" ("kind");`);

    this.addSql(`create table "problem_list" ("id" serial primary key, "created_at" timestamptz not null, "updated_at" timestamptz not null, "community_id" int not null, "period" varchar(10) not null, "starts_on" date not null, "ends_on" date not null, "title" varchar(120) not null);`);
    this.addSql(`alter table "problem_list" add constraint "problem_list_community_id_period_unique" unique ("community_id", "period");`);

    this.addSql(`create table "request_category" ("id" serial primary key, "created_at" timestamptz not null, "updated_at" timestamptz not null, "code" varchar(32) not null, "name" varchar(60) not null, "parent_id" int null, "community_hours" int null, "street_hours" int null, "district_hours" int null, "active" boolean not null default true);`);
    this.addSql(`alter table "request_category" add constraint "request_category_code_unique" unique ("code");`);
    this.addSql(`create index "request_category_name_index" on "request_category" ("name");`);
    this.addSql(`create index "request_category_parent_id_index" on "request_category" ("parent_id");`);

    this.addSql(`create table "service_post" ("id" serial primary key, "created_at" timestamptz not null, "updated_at" timestamptz not null, "community_id" int not null, "title" varchar(120) not null, "description" text null, "category_id" int null, "capacity" int not null);`);
    this.addSql(`create index "service_post_community_id_index" on "service_post" ("community_id");`);

    this.addSql(`create table "request" ("id" serial primary key, "created_at" timestamptz not null, "updated_at" timestamptz not null, "number" varchar(32) not null, "title" varchar(200) not null, "body" text not null, "channel" text check ("channel" in ('COUNTER', 'VISIT', 'DOOR_KNOCKING', 'GRID_PATROL', 'HOTLINE_12345', 'WECHAT_GROUP', 'MINI_PROGRAM')) not null, "category_id" int not null, "area_id" int not null, "resident_group" text check ("resident_group" in ('ELDERLY', 'CHILDREN', 'YOUTH', 'WOMEN', 'DISABLED', 'LOW_INCOME', 'GENERAL')) null, "resident_name" varchar(60) null, "resident_phone" varchar(20) null, "status" text check ("status" in ('ORDERED', 'DISPATCHED', 'TAKEN', 'IN_PROGRESS', 'RESOLVED', 'CLOSED', 'REJECTED', 'RETURNED', 'SUSPENDED', 'REOPENED')) not null, "status_before_suspension" text check ("status_before_suspension" in ('ORDERED', 'DISPATCHED', 'TAKEN', 'IN_PROGRESS', 'RESOLVED', 'CLOSED', 'REJECTED', 'RETURNED', 'SUSPENDED', 'REOPENED')) null, "level" text check ("level" in ('COMMUNITY', 'STREET', 'DISTRICT')) not null, "assignee_person_id" int null, "assignee_unit_id" int null, "due_at" timestamptz not null, "suspended_at" timestamptz null, "resolved_at" timestamptz null, "closed_at" timestamptz null, "satisfaction" smallint null, "rating_comment" text null, "last_reason" text null, "version" int not null default 1);`);
    this.addSql(`alter table "request" add constraint "request_number_unique" unique ("number");`);
    this.addSql(`create index "request_category_id_index" on "request" ("category_id");`);
    this.addSql(`create index "request_area_id_index" on "request" ("area_id");`);
    this.addSql(`create index "request_status_index" on "request" ("status");`);
    this.addSql(`create index "request_assignee_person_id_index" on "request" ("assignee_person_id");`);
    this.addSql(`create index "request_assignee_unit_id_index" on "request" ("assignee_unit_id");`);
    this.addSql(`create index "request_status_due_at_index" on "request" ("status", "due_at");`);

    this.addSql(`create table "request_event" ("id" serial primary key, "created_at" timestamptz not null, "updated_at" timestamptz not null, "request_id" int not null, "sequence" int not null, "kind" text check ("kind" in ('CREATED', 'DISPATCHED', 'TAKEN', 'STARTED', 'RESOLVED', 'RATED', 'CLOSED_OUT', 'REJECTED', 'RETURNED', 'SUSPENDED', 'RESUMED', 'REOPENED', 'ESCALATED', 'WHISTLE_BLOWN', 'WHISTLE_REPORTED', 'WHISTLE_FEEDBACK', 'COMMENTED')) not null, "actor" varchar(100) not null, "from_status" text check ("from_status" in ('ORDERED', 'DISPATCHED', 'TAKEN', 'IN_PROGRESS', 'RESOLVED', 'CLOSED', 'REJECTED', 'RETURNED', 'SUSPENDED', 'REOPENED')) null, "to_status" text check ("to_status" in ('ORDERED', 'DISPATCHED', 'TAKEN', 'IN_PROGRESS', 'RESOLVED', 'CLOSED', 'REJECTED', 'RETURNED', 'SUSPENDED', 'REOPENED')) null, "note" text null, "data" jsonb not null);`);
    this.addSql(`alter table "request_event" add constraint "request_event_request_id_sequence_unique" unique ("request_id", "sequence");`);

    this.addSql(`create table "post_claim" ("id" serial primary key, "created_at" timestamptz not null, "updated_at" timestamptz not null, "post_id" int not null, "person_id" int not null, "status" text check ("status" in ('ACTIVE', 'ENDED')) not null, "claimed_on" date not null);`);
    this.addSql(`create index "post_claim_person_id_index" on "post_claim" ("person_id");`);
    this.addSql(`alter table "post_claim" add constraint "post_claim_post_id_person_id_unique" unique ("post_id", "person_id");`);

    this.addSql(`create table "point_entry" ("id" serial primary key, "created_at" timestamptz not null, "updated_at" timestamptz not null, "person_id" int not null, "kind" text check ("kind" in ('REQUEST_RESOLVED', 'CLAIM_CONFIRMED', 'ACTIVITY_ATTENDED', 'MICRO_WISH_FULFILLED', 'SERVICE_REDEEMED')) not null, "amount" int not null, "source_type" varchar(40) not null, "source_id" int not null, "note" varchar(200) null);`);
    this.addSql(`create index "point_entry_person_id_index" on "point_entry" ("person_id");`);
    this.addSql(`alter table "point_entry" add constraint "point_entry_person_id_kind_source_type_source_id_unique" unique ("person_id", "kind", "source_type", "source_id");`);

    this.addSql(`create table "activity" ("id" serial primary key, "created_at" timestamptz not null, "updated_at" timestamptz not null, "community_id" int not null, "organizer_id" int null, "title" varchar(200) not null, "kind" text check ("kind" in ('THEME_PARTY_DAY', 'WEEKLY_MENU', 'VOLUNTEER_SERVICE', 'STUDY', 'MEETING')) not null, "starts_at" timestamptz not null, "ends_at" timestamptz not null, "capacity" int null);`);
    this.addSql(`create index "activity_community_id_index" on "activity" ("community_id");`);
    this.addSql(`create index "activity_starts_at_index" on "activity" ("starts_at");`);

    this.addSql(`create table "micro_wish" ("id" serial primary key, "created_at" timestamptz not null, "updated_at" timestamptz not null, "community_id" int not null, "title" varchar(200) not null, "description" text null, "resident_name" varchar(60) null, "resident_group" text check ("resident_group" in ('ELDERLY', 'CHILDREN', 'YOUTH', 'WOMEN', 'DISABLED', 'LOW_INCOME', 'GENERAL')) null, "estimated_value" double precision null, "status" text check ("status" in ('PUBLISHED', 'CLAIMED', 'FULFILLED', 'CONFIRMED', 'CANCELLED')) not null, "claimant_person_id" int null, "claimant_unit_id" int null, "claimed_at" timestamptz null, "fulfilled_at" timestamptz null, "confirmed_at" timestamptz null, "version" int not null default 1);`);
    this.addSql(`create index "micro_wish_community_id_index" on "micro_wish" ("community_id");`);

    this.addSql(`create table "list_item" ("id" serial primary key, "created_at" timestamptz not null, "updated_at" timestamptz not null, "list_id" int not null, "kind" text check ("kind" in ('RESOURCE', 'DEMAND', 'SERVICE', 'PROBLEM')) not null, "title" varchar(200) not null, "description" text null, "category_id" int null, "unit_id" int null, "resource_type" text check ("resource_type" in ('MONEY', 'VENUE', 'STAFF_HOURS', 'EXPERTISE', 'GOODS')) null, "quantity" double precision null, "value" double precision null, "source_request_id" int null, "status" text check ("status" in ('OPEN', 'CLAIMED', 'DELIVERED', 'CLOSED')) not null, "due_at" timestamptz null, "closed_at" timestamptz null, "version" int not null default 1);`);
    this.addSql(`create index "list_item_category_id_index" on "list_item" ("category_id");`);
    this.addSql(`create index "list_item_unit_id_index" on "list_item" ("unit_id");`);
    this.addSql(`create index "list_item_list_id_kind_index" on "list_item" ("list_id", "kind");`);

    this.addSql(`create table "claim" ("id" serial primary key, "created_at" timestamptz not null, "updated_at" timestamptz not null, "item_id" int not null, "unit_id" int not null, "resource_id" int null, "person_id" int null, "status" text check ("status" in ('CLAIMED', 'DELIVERED', 'CONFIRMED', 'CANCELLED')) not null, "quantity" double precision null, "delivered_at" timestamptz null, "confirmed_at" timestamptz null, "note" text null);`);
    this.addSql(`create index "claim_item_id_index" on "claim" ("item_id");`);
    this.addSql(`create index "claim_unit_id_index" on "claim" ("unit_id");`);
    this.addSql(`create index "claim_resource_id_index" on "claim" ("resource_id");`);

    this.addSql(`create table "activity_participation" ("id" serial primary key, "created_at" timestamptz not null, "updated_at" timestamptz not null, "activity_id" int not null, "person_id" int not null, "unit_id" int null, "attended_at" timestamptz null);`);
    this.addSql(`create index "activity_participation_person_id_index" on "activity_participation" ("person_id");`);
    this.addSql(`create index "activity_participation_unit_id_index" on "activity_participation" ("unit_id");`);
    this.addSql(`alter table "activity_participation" add constraint "activity_participation_activity_id_person_id_unique" unique ("activity_id", "person_id");`);

    this.addSql(`create table "unit_registration" ("id" serial primary key, "created_at" timestamptz not null, "updated_at" timestamptz not null, "unit_id" int not null, "community_id" int not null, "registered_on" date not null);`);
    this.addSql(`create index "unit_registration_community_id_index" on "unit_registration" ("community_id");`);
    this.addSql(`alter table "unit_registration" add constraint "unit_registration_unit_id_community_id_unique" unique ("unit_id", "community_id");`);

    this.addSql(`create table "whistle" ("id" serial primary key, "created_at" timestamptz not null, "updated_at" timestamptz not null, "request_id" int null, "problem_id" int null, "blown_by_id" int not null, "letter" text not null, "blown_at" timestamptz not null);`);
    this.addSql(`create index "whistle_request_id_index" on "whistle" ("request_id");`);
    this.addSql(`create index "whistle_problem_id_index" on "whistle" ("problem_id");`);
    this.addSql(`create index "whistle_blown_by_id_index" on "whistle" ("blown_by_id");`);

    this.addSql(`create table "whistle_recipient" ("id" serial primary key, "created_at" timestamptz not null, "updated_at" timestamptz not null, "whistle_id" int not null, "unit_id" int not null, "status" text check ("status" in ('AWAITING_REPORT', 'REPORTED', 'ANSWERED')) not null, "report_due_at" timestamptz not null, "feedback_due_at" timestamptz not null, "reported_at" timestamptz null, "answered_at" timestamptz null, "feedback" text null);`);
    this.addSql(`create index "whistle_recipient_unit_id_index" on "whistle_recipient" ("unit_id");`);
    this.addSql(`alter table "whistle_recipient" add constraint "whistle_recipient_whistle_id_unit_id_unique" unique ("whistle_id", "unit_id");`);

    this.addSql(`alter table "problem_list" add constraint "problem_list_community_id_foreign" foreign key ("community_id") references "area" ("id") on update cascade on delete restrict;`);

    this.addSql(`alter table "request_category" add constraint "request_category_parent_id_foreign" foreign key ("parent_id") references "request_category" ("id") on update cascade on delete restrict;`);

    this.addSql(`alter table "service_post" add constraint "service_post_community_id_foreign" foreign key ("community_id") references "area" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "service_post" add constraint "service_post_category_id_foreign" foreign key ("category_id") references "request_category" ("id") on update cascade on delete restrict;`);

    this.addSql(`alter table "request" add constraint "request_category_id_foreign" foreign key ("category_id") references "request_category" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "request" add constraint "request_area_id_foreign" foreign key ("area_id") references "area" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "request" add constraint "request_assignee_person_id_foreign" foreign key ("assignee_person_id") references "person" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "request" add constraint "request_assignee_unit_id_foreign" foreign key ("assignee_unit_id") references "unit" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "request_event" add constraint "request_event_request_id_foreign" foreign key ("request_id") references "request" ("id") on update cascade on delete restrict;`);

    this.addSql(`alter table "post_claim" add constraint "post_claim_post_id_foreign" foreign key ("post_id") references "service_post" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "post_claim" add constraint "post_claim_person_id_foreign" foreign key ("person_id") references "person" ("id") on update cascade on delete restrict;`);

    this.addSql(`alter table "point_entry" add constraint "point_entry_person_id_foreign" foreign key ("person_id") references "person" ("id") on update cascade on delete restrict;`);

    this.addSql(`alter table "activity" add constraint "activity_community_id_foreign" foreign key ("community_id") references "area" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "activity" add constraint "activity_organizer_id_foreign" foreign key ("organizer_id") references "party_organization" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "micro_wish" add constraint "micro_wish_community_id_foreign" foreign key ("community_id") references "area" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "micro_wish" add constraint "micro_wish_claimant_person_id_foreign" foreign key ("claimant_person_id") references "person" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "micro_wish" add constraint "micro_wish_claimant_unit_id_foreign" foreign key ("claimant_unit_id") references "unit" ("id") on update cascade on delete restrict;`);

    this.addSql(`alter table "list_item" add constraint "list_item_list_id_foreign" foreign key ("list_id") references "problem_list" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "list_item" add constraint "list_item_category_id_foreign" foreign key ("category_id") references "request_category" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "list_item" add constraint "list_item_unit_id_foreign" foreign key ("unit_id") references "unit" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "list_item" add constraint "list_item_source_request_id_foreign" foreign key ("source_request_id") references "request" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "claim" add constraint "claim_item_id_foreign" foreign key ("item_id") references "list_item" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "claim" add constraint "claim_unit_id_foreign" foreign key ("unit_id") references "unit" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "claim" add constraint "claim_resource_id_foreign" foreign key ("resource_id") references "list_item" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "claim" add constraint "claim_person_id_foreign" foreign key ("person_id") references "person" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "activity_participation" add constraint "activity_participation_activity_id_foreign" foreign key ("activity_id") references "activity" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "activity_participation" add constraint "activity_participation_person_id_foreign" foreign key ("person_id") references "person" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "activity_participation" add constraint "activity_participation_unit_id_foreign" foreign key ("unit_id") references "unit" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "unit_registration" add constraint "unit_registration_unit_id_foreign" foreign key ("unit_id") references "unit" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "unit_registration" add constraint "unit_registration_community_id_foreign" foreign key ("community_id") references "area" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "whistle" add constraint "whistle_request_id_foreign" foreign key ("request_id") references "request" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "whistle" add constraint "whistle_problem_id_foreign" foreign key ("problem_id") references "list_item" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "whistle" add constraint "whistle_blown_by_id_foreign" foreign key ("blown_by_id") references "area" ("id") on update cascade on delete restrict;`);

    this.addSql(`alter table "whistle_recipient" add constraint "whistle_recipient_whistle_id_foreign" foreign key ("whistle_id") references "whistle" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "whistle_recipient" add constraint "whistle_recipient_unit_id_foreign" foreign key ("unit_id") references "unit" ("id") on update cascade on delete restrict;`);

    // Reference data: the request category catalogue (13 kinds of grid work, 7 one-window categories).
    this.addSql(`insert into "request_category" ("created_at", "updated_at", "code", "name", "parent_id", "community_hours", "street_hours", "district_hours", "active") values (now(), now(), 'GRID', '网格工作事项', null, 72, 120, 240, true);`);
    this.addSql(`insert into "request_category" ("created_at", "updated_at", "code", "name", "parent_id", "community_hours", "street_hours", "district_hours", "active") values (now(), now(), 'GRID-INFO', '基础信息采集', (select id from request_category where code = 'GRID'), 72, 144, 216, true);`);
    this.addSql(`insert into "request_category" ("created_at", "updated_at", "code", "name", "parent_id", "community_hours", "street_hours", "district_hours", "active") values (now(), now(), 'GRID-OPINION', '社情民意收集', (select id from request_category where code = 'GRID'), 72, 144, 216, true);`);
    this.addSql(`insert into "request_category" ("created_at", "updated_at", "code", "name", "parent_id", "community_hours", "street_hours", "district_hours", "active") values (now(), now(), 'GRID-DISPUTE', '矛盾纠纷排查化解', (select id from request_category where code = 'GRID'), 48, 96, 144, true);`);
    this.addSql(`insert into "request_category" ("created_at", "updated_at", "code", "name", "parent_id", "community_hours", "street_hours", "district_hours", "active") values (now(), now(), 'GRID-SECURITY', '治安隐患排查', (select id from request_category where code = 'GRID'), 24, 48, 72, true);`);
    this.addSql(`insert into "request_category" ("created_at", "updated_at", "code", "name", "parent_id", "community_hours", "street_hours", "district_hours", "active") values (now(), now(), 'GRID-SAFETY', '安全生产巡查', (select id from request_category where code = 'GRID'), 24, 48, 72, true);`);
    this.addSql(`insert into "request_category" ("created_at", "updated_at", "code", "name", "parent_id", "community_hours", "street_hours", "district_hours", "active") values (now(), now(), 'GRID-FIRE', '消防安全检查', (select id from request_category where code = 'GRID'), 24, 48, 72, true);`);
    this.addSql(`insert into "request_category" ("created_at", "updated_at", "code", "name", "parent_id", "community_hours", "street_hours", "district_hours", "active") values (now(), now(), 'GRID-SANITATION', '环境卫生整治', (select id from request_category where code = 'GRID'), 72, 144, 216, true);`);
    this.addSql(`insert into "request_category" ("created_at", "updated_at", "code", "name", "parent_id", "community_hours", "street_hours", "district_hours", "active") values (now(), now(), 'GRID-BUILDING', '违法建设巡查', (select id from request_category where code = 'GRID'), 72, 144, 216, true);`);
    this.addSql(`insert into "request_category" ("created_at", "updated_at", "code", "name", "parent_id", "community_hours", "street_hours", "district_hours", "active") values (now(), now(), 'GRID-ORDER', '市容秩序管理', (select id from request_category where code = 'GRID'), 72, 144, 216, true);`);
    this.addSql(`insert into "request_category" ("created_at", "updated_at", "code", "name", "parent_id", "community_hours", "street_hours", "district_hours", "active") values (now(), now(), 'GRID-SPECIAL', '特殊人群服务管理', (select id from request_category where code = 'GRID'), 72, 144, 216, true);`);
    this.addSql(`insert into "request_category" ("created_at", "updated_at", "code", "name", "parent_id", "community_hours", "street_hours", "district_hours", "active") values (now(), now(), 'GRID-PROXY', '民生服务代办', (select id from request_category where code = 'GRID'), 120, 240, 360, true);`);
    this.addSql(`insert into "request_category" ("created_at", "updated_at", "code", "name", "parent_id", "community_hours", "street_hours", "district_hours", "active") values (now(), now(), 'GRID-PUBLICITY', '政策宣传', (select id from request_category where code = 'GRID'), 120, 240, 360, true);`);
    this.addSql(`insert into "request_category" ("created_at", "updated_at", "code", "name", "parent_id", "community_hours", "street_hours", "district_hours", "active") values (now(), now(), 'GRID-EMERGENCY', '应急事件处置', (select id from request_category where code = 'GRID'), 12, 24, 36, true);`);
    this.addSql(`insert into "request_category" ("created_at", "updated_at", "code", "name", "parent_id", "community_hours", "street_hours", "district_hours", "active") values (now(), now(), 'SOC', '社会保障', null, 72, 120, 240, true);`);
    this.addSql(`insert into "request_category" ("created_at", "updated_at", "code", "name", "parent_id", "community_hours", "street_hours", "district_hours", "active") values (now(), now(), 'SOC-INSURANCE', '社保参保缴费', (select id from request_category where code = 'SOC'), 72, 120, 240, true);`);
    this.addSql(`insert into "request_category" ("created_at", "updated_at", "code", "name", "parent_id", "community_hours", "street_hours", "district_hours", "active") values (now(), now(), 'SOC-PENSION', '养老金领取认证', (select id from request_category where code = 'SOC'), 72, 120, 240, true);`);
    this.addSql(`insert into "request_category" ("created_at", "updated_at", "code", "name", "parent_id", "community_hours", "street_hours", "district_hours", "active") values (now(), now(), 'SOC-MEDICAL', '医保报销', (select id from request_category where code = 'SOC'), 72, 120, 240, true);`);
    this.addSql(`insert into "request_category" ("created_at", "updated_at", "code", "name", "parent_id", "community_hours", "street_hours", "district_hours", "active") values (now(), now(), 'CIV', '民政服务', null, 72, 120, 240, true);`);
    this.addSql(`insert into "request_category" ("created_at", "updated_at", "code", "name", "parent_id", "community_hours", "street_hours", "district_hours", "active") values (now(), now(), 'CIV-SUBSIDY', '低保与困难救助', (select id from request_category where code = 'CIV'), 72, 120, 240, true);`);
    this.addSql(`insert into "request_category" ("created_at", "updated_at", "code", "name", "parent_id", "community_hours", "street_hours", "district_hours", "active") values (now(), now(), 'CIV-MARRIAGE', '婚姻登记咨询', (select id from request_category where code = 'CIV'), 72, 120, 240, true);`);
    this.addSql(`insert into "request_category" ("created_at", "updated_at", "code", "name", "parent_id", "community_hours", "street_hours", "district_hours", "active") values (now(), now(), 'CIV-ELDERLY-ALLOWANCE', '高龄津贴', (select id from request_category where code = 'CIV'), 72, 120, 240, true);`);
    this.addSql(`insert into "request_category" ("created_at", "updated_at", "code", "name", "parent_id", "community_hours", "street_hours", "district_hours", "active") values (now(), now(), 'HEALTH', '医疗卫生', null, 72, 120, 240, true);`);
    this.addSql(`insert into "request_category" ("created_at", "updated_at", "code", "name", "parent_id", "community_hours", "street_hours", "district_hours", "active") values (now(), now(), 'HEALTH-FAMILY-DOCTOR', '家庭医生签约', (select id from request_category where code = 'HEALTH'), 72, 120, 240, true);`);
    this.addSql(`insert into "request_category" ("created_at", "updated_at", "code", "name", "parent_id", "community_hours", "street_hours", "district_hours", "active") values (now(), now(), 'HEALTH-VACCINE', '疫苗接种', (select id from request_category where code = 'HEALTH'), 72, 120, 240, true);`);
    this.addSql(`insert into "request_category" ("created_at", "updated_at", "code", "name", "parent_id", "community_hours", "street_hours", "district_hours", "active") values (now(), now(), 'HEALTH-CHRONIC', '慢病管理', (select id from request_category where code = 'HEALTH'), 72, 120, 240, true);`);
    this.addSql(`insert into "request_category" ("created_at", "updated_at", "code", "name", "parent_id", "community_hours", "street_hours", "district_hours", "active") values (now(), now(), 'HOUSING', '住房物业', null, 72, 120, 240, true);`);
    this.addSql(`insert into "request_category" ("created_at", "updated_at", "code", "name", "parent_id", "community_hours", "street_hours", "district_hours", "active") values (now(), now(), 'HOUSING-PROPERTY', '物业服务', (select id from request_category where code = 'HOUSING'), 72, 120, 240, true);`);
    this.addSql(`insert into "request_category" ("created_at", "updated_at", "code", "name", "parent_id", "community_hours", "street_hours", "district_hours", "active") values (now(), now(), 'HOUSING-REPAIR', '房屋维修', (select id from request_category where code = 'HOUSING'), 72, 120, 240, true);`);
    this.addSql(`insert into "request_category" ("created_at", "updated_at", "code", "name", "parent_id", "community_hours", "street_hours", "district_hours", "active") values (now(), now(), 'HOUSING-PARKING', '停车管理', (select id from request_category where code = 'HOUSING'), 72, 120, 240, true);`);
    this.addSql(`insert into "request_category" ("created_at", "updated_at", "code", "name", "parent_id", "community_hours", "street_hours", "district_hours", "active") values (now(), now(), 'HOUSING-LIGHTS', '路灯照明', (select id from request_category where code = 'HOUSING'), 72, 120, 240, true);`);
    this.addSql(`insert into "request_category" ("created_at", "updated_at", "code", "name", "parent_id", "community_hours", "street_hours", "district_hours", "active") values (now(), now(), 'HOUSING-DRAINAGE', '排水管网', (select id from request_category where code = 'HOUSING'), 72, 120, 240, true);`);
    this.addSql(`insert into "request_category" ("created_at", "updated_at", "code", "name", "parent_id", "community_hours", "street_hours", "district_hours", "active") values (now(), now(), 'HOUSING-ELEVATOR', '加装电梯', (select id from request_category where code = 'HOUSING'), 72, 120, 240, true);`);
    this.addSql(`insert into "request_category" ("created_at", "updated_at", "code", "name", "parent_id", "community_hours", "street_hours", "district_hours", "active") values (now(), now(), 'JOB', '就业创业', null, 72, 120, 240, true);`);
    this.addSql(`insert into "request_category" ("created_at", "updated_at", "code", "name", "parent_id", "community_hours", "street_hours", "district_hours", "active") values (now(), now(), 'JOB-REGISTER', '就业登记', (select id from request_category where code = 'JOB'), 72, 120, 240, true);`);
    this.addSql(`insert into "request_category" ("created_at", "updated_at", "code", "name", "parent_id", "community_hours", "street_hours", "district_hours", "active") values (now(), now(), 'JOB-TRAINING', '职业培训', (select id from request_category where code = 'JOB'), 72, 120, 240, true);`);
    this.addSql(`insert into "request_category" ("created_at", "updated_at", "code", "name", "parent_id", "community_hours", "street_hours", "district_hours", "active") values (now(), now(), 'JOB-LOAN', '创业担保贷款', (select id from request_category where code = 'JOB'), 72, 120, 240, true);`);
    this.addSql(`insert into "request_category" ("created_at", "updated_at", "code", "name", "parent_id", "community_hours", "street_hours", "district_hours", "active") values (now(), now(), 'CARE', '养老助残', null, 72, 120, 240, true);`);
    this.addSql(`insert into "request_category" ("created_at", "updated_at", "code", "name", "parent_id", "community_hours", "street_hours", "district_hours", "active") values (now(), now(), 'CARE-CANTEEN', '老年助餐', (select id from request_category where code = 'CARE'), 72, 120, 240, true);`);
    this.addSql(`insert into "request_category" ("created_at", "updated_at", "code", "name", "parent_id", "community_hours", "street_hours", "district_hours", "active") values (now(), now(), 'CARE-DAYCARE', '日间照料', (select id from request_category where code = 'CARE'), 72, 120, 240, true);`);
    this.addSql(`insert into "request_category" ("created_at", "updated_at", "code", "name", "parent_id", "community_hours", "street_hours", "district_hours", "active") values (now(), now(), 'CARE-DISABILITY', '残疾人服务', (select id from request_category where code = 'CARE'), 72, 120, 240, true);`);
    this.addSql(`insert into "request_category" ("created_at", "updated_at", "code", "name", "parent_id", "community_hours", "street_hours", "district_hours", "active") values (now(), now(), 'CARE-ACCESSIBILITY', '无障碍设施', (select id from request_category where code = 'CARE'), 72, 120, 240, true);`);
    this.addSql(`insert into "request_category" ("created_at", "updated_at", "code", "name", "parent_id", "community_hours", "street_hours", "district_hours", "active") values (now(), now(), 'CERT', '证照代办', null, 72, 120, 240, true);`);
    this.addSql(`insert into "request_category" ("created_at", "updated_at", "code", "name", "parent_id", "community_hours", "street_hours", "district_hours", "active") values (now(), now(), 'CERT-ID', '身份证办理', (select id from request_category where code = 'CERT'), 72, 120, 240, true);`);
    this.addSql(`insert into "request_category" ("created_at", "updated_at", "code", "name", "parent_id", "community_hours", "street_hours", "district_hours", "active") values (now(), now(), 'CERT-RESIDENCE', '居住证办理', (select id from request_category where code = 'CERT'), 72, 120, 240, true);`);
    this.addSql(`insert into "request_category" ("created_at", "updated_at", "code", "name", "parent_id", "community_hours", "street_hours", "district_hours", "active") values (now(), now(), 'CERT-PROOF', '证明开具', (select id from request_category where code = 'CERT'), 72, 120, 240, true);`);
    // Reference data: points per kind of verified work (积分规则), editable through the API.
    this.addSql(`insert into "point_rule" ("created_at", "updated_at", "kind", "points", "description", "active") values (now(), now(), 'REQUEST_RESOLVED', 5, '办结群众诉求并获评价', true);`);
    this.addSql(`insert into "point_rule" ("created_at", "updated_at", "kind", "points", "description", "active") values (now(), now(), 'CLAIM_CONFIRMED', 10, '认领项目经社区确认', true);`);
    this.addSql(`insert into "point_rule" ("created_at", "updated_at", "kind", "points", "description", "active") values (now(), now(), 'ACTIVITY_ATTENDED', 2, '参加活动并签到', true);`);
    this.addSql(`insert into "point_rule" ("created_at", "updated_at", "kind", "points", "description", "active") values (now(), now(), 'MICRO_WISH_FULFILLED', 5, '圆梦微心愿经确认', true);`);
    // The ledger is append-only: history is never rewritten.
    this.addSql(`create function request_event_append_only() returns trigger language plpgsql as $$ begin raise exception 'request_event is append-only (% refused)', tg_op; end $$;`);
    this.addSql(`create trigger request_event_append_only before update or delete on "request_event" for each row execute function request_event_append_only();`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop trigger if exists request_event_append_only on "request_event";`);
    this.addSql(`drop function if exists request_event_append_only();`);

    this.addSql(`alter table "list_item" drop constraint "list_item_list_id_foreign";`);

    this.addSql(`alter table "request_category" drop constraint "request_category_parent_id_foreign";`);

    this.addSql(`alter table "service_post" drop constraint "service_post_category_id_foreign";`);

    this.addSql(`alter table "request" drop constraint "request_category_id_foreign";`);

    this.addSql(`alter table "list_item" drop constraint "list_item_category_id_foreign";`);

    this.addSql(`alter table "post_claim" drop constraint "post_claim_post_id_foreign";`);

    this.addSql(`alter table "request_event" drop constraint "request_event_request_id_foreign";`);

    this.addSql(`alter table "list_item" drop constraint "list_item_source_request_id_foreign";`);

    this.addSql(`alter table "whistle" drop constraint "whistle_request_id_foreign";`);

    this.addSql(`alter table "activity_participation" drop constraint "activity_participation_activity_id_foreign";`);

    this.addSql(`alter table "claim" drop constraint "claim_item_id_foreign";`);

    this.addSql(`alter table "claim" drop constraint "claim_resource_id_foreign";`);

    this.addSql(`alter table "whistle" drop constraint "whistle_problem_id_foreign";`);

    this.addSql(`alter table "whistle_recipient" drop constraint "whistle_recipient_whistle_id_foreign";`);

    this.addSql(`drop table if exists "point_rule" cascade;`);

    this.addSql(`drop table if exists "problem_list" cascade;`);

    this.addSql(`drop table if exists "request_category" cascade;`);

    this.addSql(`drop table if exists "service_post" cascade;`);

    this.addSql(`drop table if exists "request" cascade;`);

    this.addSql(`drop table if exists "request_event" cascade;`);

    this.addSql(`drop table if exists "post_claim" cascade;`);

    this.addSql(`drop table if exists "point_entry" cascade;`);

    this.addSql(`drop table if exists "activity" cascade;`);

    this.addSql(`drop table if exists "micro_wish" cascade;`);

    this.addSql(`drop table if exists "list_item" cascade;`);

    this.addSql(`drop table if exists "claim" cascade;`);

    this.addSql(`drop table if exists "activity_participation" cascade;`);

    this.addSql(`drop table if exists "unit_registration" cascade;`);

    this.addSql(`drop table if exists "whistle" cascade;`);

    this.addSql(`drop table if exists "whistle_recipient" cascade;`);
  }

}
